"""Which learning-rate schedule for the seed recipe: constant or cosine, judged on validation.

Trains `helpers.training.SEED_RECIPE` twice with the same seed, data and batches, once with
Adam's learning rate held at 0.001 and once falling from 0.001 to 0 along a cosine, and
records each epoch's validation loss and accuracy (the 5,000 held-out training images; the
test set is not touched). Writes helpers/results/seed_schedule.json with the date, machine
and command, which ships with the helpers and which chapter 5 shows as a recorded result.

    MNIST_NPZ=../shared/data/mnist.npz .venv/bin/python benchmarks/bench_schedule.py --epochs 10
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # a sibling script, not the book's helpers

from bench_best_effort import machine  # noqa: E402  (the same machine description in both records)

OUT = Path(__file__).resolve().parents[1] / "helpers" / "results" / "seed_schedule.json"
SCHEDULES = ("constant", "cosine")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()
    if args.epochs < 2:
        parser.error(f"--epochs must be at least 2, got {args.epochs}")

    import tensorflow as tf

    from helpers.data import load_prepared
    from helpers.training import SEED_RECIPE, fit_recipe

    data = load_prepared()
    runs = {}
    for schedule in SCHEDULES:
        recipe = dataclasses.replace(SEED_RECIPE, name=f"schedule_{schedule}", epochs=args.epochs,
                                     schedule=schedule)
        _, history = fit_recipe(recipe, data, verbose=0)
        runs[schedule] = {key: history[key] for key in ("val_loss", "val_accuracy", "loss", "accuracy")}
        print(f"{schedule}: last-epoch validation accuracy {history['val_accuracy'][-1]:.4f}, "
              f"loss {history['val_loss'][-1]:.4f}; {history['seconds'][0]:.0f} s", flush=True)
    summary = {
        "recipe": dataclasses.asdict(dataclasses.replace(SEED_RECIPE, epochs=args.epochs)),
        "runs": runs,
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "tensorflow": tf.__version__,
        "command": f"python benchmarks/bench_schedule.py --epochs {args.epochs}",
    }
    OUT.parent.mkdir(exist_ok=True)
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(json.dumps(summary, indent=1) + "\n")
    tmp.replace(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
