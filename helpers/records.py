"""Results the benchmarks recorded, read back for the chapters that show them (chapter 7).

The long runs (`benchmarks/bench_*.py`) do not run while the book builds: each writes its
result, with the date, machine and command, to a JSON file under `helpers/results/`, which
ships with the helpers (so Colab has it too). The readers here load such a file and check
that it holds what the chapter will print, with a sentence saying how to remake it if not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from helpers._validate import Maybe, Place, accepts

#: Where the benchmarks write their records.
RESULTS = Path(__file__).resolve().parent / "results"

#: Where `benchmarks/bench_best_effort.py` records its result.
BEST_EFFORT_FILE = RESULTS / "best_effort.json"


def read_record(path: Path, what: str, remake: str) -> dict[str, Any]:
    """The JSON object in `path`, for the recorded results chapter 7 shows; a missing,
    unreadable or non-object file is a ValueError naming `what` the file should hold and the
    `remake` command that writes it."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} should hold {what}; it could not be read ({type(error).__name__}): "
                         f"run {remake} to make it.") from None
    if not isinstance(record, dict):
        raise ValueError(f"{path} should hold {what} as a JSON object; got a JSON {type(record).__name__}: "
                         f"run {remake} to remake it.")
    return record


@accepts(path=Maybe(Place("the file name of a best-effort record")))
def recorded_best_effort(path: Path | None = None) -> dict[str, Any]:
    """The recorded best-effort result (chapter 7): the improved recipe trained longer over
    several seeds, as `benchmarks/bench_best_effort.py` wrote it, with its date, machine and
    command. Raises ValueError, naming what is wrong, if the file does not hold such a record."""
    path = BEST_EFFORT_FILE if path is None else path
    remake = "benchmarks/bench_best_effort.py"
    record = read_record(path, "a best-effort record", remake)
    expected = ["command", "date", "machine", "mean_test_accuracy", "recipe", "runs", "stdev_test_accuracy"]
    missing = [key for key in expected if key not in record]
    if missing:
        raise ValueError(f"{path} should hold a best-effort record with the keys {expected}; it lacks {missing}.")
    runs = record["runs"]
    if not isinstance(runs, list) or not runs:
        raise ValueError(f"{path}: runs should be a non-empty list, one run per seed; got {runs!r:.60}.")
    accuracies = [run.get("test_accuracy") if isinstance(run, dict) else None for run in runs]
    for k, accuracy in enumerate(accuracies):
        if isinstance(accuracy, bool) or not isinstance(accuracy, float | int) or not 0 <= accuracy <= 1:
            raise ValueError(f"{path}: runs[{k}]['test_accuracy'] should be an accuracy in [0, 1]; got {accuracy!r}.")
    mean, recorded = float(np.mean(accuracies)), record["mean_test_accuracy"]
    if not isinstance(recorded, float | int) or not np.isclose(mean, recorded):
        raise ValueError(f"{path}: mean_test_accuracy should be the runs' mean, {mean:.4f}; got {recorded!r} "
                         "(the test accuracies do not average to the recorded mean).")
    return record
