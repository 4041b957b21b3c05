"""Best effort: the improved network trained longer, over several seeds (not run in CI).

Trains `helpers.training.IMPROVED_RECIPE` with a longer schedule (default 30 epochs, no early
stopping) once per seed, evaluates each on the test set, prints every run and the mean and
spread of test accuracy, and writes them with the date and machine to
helpers/results/best_effort.json, which ships with the helpers so that chapter 7 can show it
as a recorded result (`helpers.records.recorded_best_effort`), in Colab too.

    MNIST_NPZ=../shared/data/mnist.npz .venv/bin/python benchmarks/bench_best_effort.py --epochs 30 --seeds 0 1 2
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import statistics
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "helpers" / "results" / "best_effort.json"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU cores ({cpu}), {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()

    import tensorflow as tf

    from helpers.data import load_prepared
    from helpers.training import IMPROVED_RECIPE, fit_recipe

    data = load_prepared()
    runs = []
    for seed in args.seeds:
        recipe = dataclasses.replace(IMPROVED_RECIPE, name=f"best_effort_{seed}", epochs=args.epochs,
                                     early_stopping_patience=None, seed=seed)
        model, history = fit_recipe(recipe, data, verbose=0)
        accuracy = float(model.evaluate(data["x_test"], data["y_test"], verbose=0)[1])
        runs.append({"seed": seed, "test_accuracy": accuracy, "seconds": history["seconds"][0],
                     "best_val_accuracy": max(history["val_accuracy"])})
        print(f"seed {seed}: test accuracy {accuracy:.4f}, {history['seconds'][0] / 60:.1f} min", flush=True)
    accuracies = [run["test_accuracy"] for run in runs]
    summary = {
        "recipe": dataclasses.asdict(dataclasses.replace(IMPROVED_RECIPE, epochs=args.epochs,
                                                         early_stopping_patience=None)),
        "runs": runs,
        "mean_test_accuracy": statistics.mean(accuracies),
        "stdev_test_accuracy": statistics.stdev(accuracies) if len(accuracies) > 1 else 0.0,
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "tensorflow": tf.__version__,
        "command": f"python benchmarks/bench_best_effort.py --epochs {args.epochs} --seeds "
                   + " ".join(map(str, args.seeds)),
    }
    print(f"mean test accuracy {summary['mean_test_accuracy']:.4f} ± {summary['stdev_test_accuracy']:.4f} "
          f"over {len(runs)} seeds")
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(summary, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
