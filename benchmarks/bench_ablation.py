"""Chapter 7's one-factor study over several seeds, recorded (not run in CI).

Part `forward`: from `helpers.ablation.START` (the article's network, the book's training,
3 epochs over 10,000 images), try each change of `helpers.ablation.FACTORS` in turn, once per
seed, and keep it only if `helpers.ablation.keep_change` says so on the validation losses.
Part `remove-one`: train the final recipe with each kept change undone, once per seed.
Part `levers`: from the recipe part `forward` chose, on the longer budget
`helpers.ablation.LEVER_BUDGET`, try each training lever of `helpers.ablation.LEVERS` in turn
with the same rule (the second stage of the study).
Part `longer`: the start, the final recipe, and the final recipe with each change the study
did not keep, on a larger budget (`--epochs`, `--images`), to see whether the short study's
verdicts hold with more training.
Only validation data is used: the test set is never touched here.

Every finished row is written at once to helpers/results/ablation.json (date, machine, every
command, every run), so a part can be split over several calls: `--max-minutes` stops it from
starting a new row after that long, and the next call with the same part carries on.

    MNIST_NPZ=../shared/data/mnist.npz .venv/bin/python benchmarks/bench_ablation.py --part forward --seeds 0 1 2
    MNIST_NPZ=../shared/data/mnist.npz .venv/bin/python benchmarks/bench_ablation.py --part remove-one
    MNIST_NPZ=../shared/data/mnist.npz .venv/bin/python benchmarks/bench_ablation.py --part levers
    MNIST_NPZ=../shared/data/mnist.npz .venv/bin/python benchmarks/bench_ablation.py --part longer --epochs 10 --images 10000
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def machine() -> str:
    """CPU count and model, e.g. '2 CPU cores (AMD EPYC ...), Linux'."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU cores ({cpu}), {platform.system()}"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("forward", "remove-one", "levers", "longer"), required=True)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=None, help="longer part only: epochs (default 10)")
    parser.add_argument("--images", type=int, default=None, help="longer part only: training images")
    parser.add_argument("--max-minutes", type=float, default=None,
                        help="start no new row after this many minutes (the next call carries on)")
    parser.add_argument("--out", type=Path, default=None, help="record file (default helpers/results/ablation.json)")
    args = parser.parse_args(argv)
    if len(set(args.seeds)) != len(args.seeds) or min(args.seeds) < 0:
        parser.error(f"--seeds must be distinct non-negative integers, got {args.seeds}")
    if args.part != "longer" and (args.epochs is not None or args.images is not None):
        parser.error("--epochs and --images apply to --part longer only")
    if args.epochs is not None and args.epochs < 1:
        parser.error(f"--epochs must be at least 1, got {args.epochs}")
    if args.images is not None and not 1 <= args.images <= 55_000:
        parser.error(f"--images must be between 1 and 55000, got {args.images}")
    if args.max_minutes is not None and args.max_minutes <= 0:
        parser.error(f"--max-minutes must be positive, got {args.max_minutes}")
    return args


def run_row(factor: str, recipe, seeds: list[int], data: dict) -> dict:
    """Train `recipe` once per seed; the row holds each run's final validation loss and accuracy."""
    from helpers.training import fit_recipe

    runs = []
    for seed in seeds:
        _, history = fit_recipe(dataclasses.replace(recipe, seed=seed), data, verbose=0)
        plain = {"val_crossentropy": history["val_crossentropy"][-1]} if "val_crossentropy" in history else {}
        runs.append({"seed": seed, "val_loss": history["val_loss"][-1], **plain,
                     "val_accuracy": history["val_accuracy"][-1],
                     "best_val_accuracy": max(history["val_accuracy"]), "epochs": len(history["val_loss"]),
                     "seconds": history["seconds"][0]})
        print(f"  {factor:22s} seed {seed}: val loss {runs[-1].get('val_crossentropy', runs[-1]['val_loss']):.4f}, "
              f"val accuracy {runs[-1]['val_accuracy']:.4f}, {runs[-1]['seconds']:.0f} s", flush=True)
    return {"factor": factor, "recipe": dataclasses.asdict(recipe), "runs": runs}


def forward_rows(record: dict, seeds: list[int], data: dict, out_of_time) -> None:
    from helpers import ablation

    rows = record.setdefault("forward", [])
    if not rows:
        rows.append(run_row("start", ablation.START, seeds, data))
        save(record)
    kept = [row["factor"] for row in rows[1:] if row["kept"]]
    for name in list(ablation.FACTORS)[len(rows) - 1:]:
        if out_of_time():
            return
        candidate = ablation.final_recipe([*kept, name], name=f"ablation_{len(rows)}")
        row = run_row(name, candidate, seeds, data)
        rows.append(row)
        row["kept"] = ablation.replay_decisions(rows)[-1]
        kept += [name] if row["kept"] else []
        print(f"{name}: {'kept' if row['kept'] else 'not kept'}", flush=True)
        save(record)


def remove_one_rows(record: dict, seeds: list[int], data: dict, out_of_time) -> None:
    from helpers import ablation

    forward = record.get("forward", [])
    if len(forward) != len(ablation.FACTORS) + 1:
        raise SystemExit("run --part forward to the end first: remove-one starts from its final recipe")
    kept = [row["factor"] for row in forward[1:] if row["kept"]]
    final = ablation.final_recipe(kept)
    rows = record.setdefault("remove_one", [])
    for name in kept[len(rows):]:
        if out_of_time():
            return
        without = ablation.undo_change(final, ablation.FACTORS[name], name=f"ablation_without_{len(rows)}")
        rows.append(run_row(name, without, seeds, data))
        save(record)


def lever_rows(record: dict, seeds: list[int], data: dict, out_of_time) -> None:
    from helpers import ablation

    forward = record.get("forward", [])
    if len(forward) != len(ablation.FACTORS) + 1:
        raise SystemExit("run --part forward to the end first: the levers start from its final recipe")
    kept = [row["factor"] for row in forward[1:] if row["kept"]]
    rows = record.setdefault("levers", [])
    record["lever_budget"] = ablation.LEVER_BUDGET
    if not rows:
        base = ablation.final_recipe(kept, name="levers_start", **ablation.LEVER_BUDGET)
        rows.append(run_row("first stage's recipe", base, seeds, data))
        save(record)
    kept += [row["factor"] for row in rows[1:] if row["kept"]]
    for name in list(ablation.LEVERS)[len(rows) - 1:]:
        if out_of_time():
            return
        candidate = ablation.final_recipe([*kept, name], name=f"levers_{len(rows)}", **ablation.LEVER_BUDGET)
        row = run_row(name, candidate, seeds, data)
        rows.append(row)
        row["kept"] = ablation.replay_decisions(rows)[-1]
        kept += [name] if row["kept"] else []
        print(f"{name}: {'kept' if row['kept'] else 'not kept'}", flush=True)
        save(record)


def longer_rows(record: dict, seeds: list[int], data: dict, epochs: int, images: int | None, out_of_time) -> None:
    from helpers import ablation

    forward = record.get("forward", [])
    kept = [row["factor"] for row in forward[1:] if row.get("kept")]
    budget = {"epochs": epochs, "train_subset": images}
    rows = record.setdefault("longer", [])
    final = ablation.final_recipe(kept)
    variants = [("start", ablation.START), ("final", final)]
    variants += [(f"final + {name}", ablation.apply_change(final, change))
                 for name, change in ablation.FACTORS.items() if name not in kept]
    for factor, recipe in variants:
        if out_of_time():
            return
        if any(row["factor"] == factor and row["budget"] == budget for row in rows):
            continue
        row = run_row(factor, dataclasses.replace(recipe, name=f"longer_{len(rows)}", **budget), seeds, data)
        row["budget"] = budget
        rows.append(row)
        save(record)


OUT: Path = ROOT / "helpers" / "results" / "ablation.json"


def save(record: dict) -> None:
    """Write the record whole to a temporary file, then move it over the old one."""
    record["remove_one"] = record.get("remove_one", [])
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=1) + "\n")
    tmp.replace(OUT)


def main(argv: list[str]) -> None:
    global OUT
    args = parse(argv)
    OUT = args.out or OUT
    import tensorflow as tf

    from helpers import ablation
    from helpers.data import load_prepared

    record = json.loads(OUT.read_text()) if OUT.exists() else {}
    if record and (record.get("budget") != ablation.BUDGET or record.get("seeds") != args.seeds) \
            and args.part != "longer":
        raise SystemExit(f"{OUT} was recorded with another budget or seeds; move it away to start afresh")
    record.update({"budget": ablation.BUDGET, "rule": ablation.RULE, "machine": machine(),
                   "tensorflow": tf.__version__, "date": datetime.date.today().isoformat()})
    record.setdefault("seeds", args.seeds)
    command = "python benchmarks/bench_ablation.py " + " ".join(argv)
    record["command"] = [*record.get("command", []), command]
    data = load_prepared()
    data = {key: data[key] for key in ("x_fit", "y_fit", "x_val", "y_val")}  # never the test set
    start = time.perf_counter()

    def out_of_time() -> bool:
        return args.max_minutes is not None and time.perf_counter() - start > 60 * args.max_minutes

    if args.part == "forward":
        forward_rows(record, args.seeds, data, out_of_time)
    elif args.part == "remove-one":
        remove_one_rows(record, args.seeds, data, out_of_time)
    elif args.part == "levers":
        lever_rows(record, args.seeds, data, out_of_time)
    else:
        longer_rows(record, args.seeds, data, args.epochs or 10, args.images, out_of_time)
    save(record)
    print(f"wrote {OUT} after {(time.perf_counter() - start) / 60:.1f} min")


if __name__ == "__main__":
    main(sys.argv[1:])
