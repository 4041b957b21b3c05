"""The schedule benchmark (not run in CI) and the recorded result chapter 5 shows from it."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

from helpers.training import SEED_RECIPE

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_schedule.py"


def test_bench_schedule_refuses_too_few_epochs():
    result = subprocess.run([sys.executable, str(BENCH), "--epochs", "1"], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "--epochs must be at least 2, got 1" in result.stderr


def test_the_recorded_comparison_is_of_the_seed_recipe_on_validation_only():
    record = json.loads(files("helpers").joinpath("results/seed_schedule.json").read_text())
    assert {"runs", "date", "machine", "command", "recipe"} <= set(record)
    recipe = dict(record["recipe"])
    current = dataclasses.asdict(dataclasses.replace(SEED_RECIPE, epochs=recipe["epochs"]))
    # Fields added to Recipe since the record was made (left at None, as the fingerprint
    # ignores them) do not make it another recipe.
    assert recipe == {key: value for key, value in current.items() if key in recipe or value is not None}
    assert set(record["runs"]) == {"constant", "cosine"}
    for run in record["runs"].values():
        assert set(run) == {"loss", "accuracy", "val_loss", "val_accuracy"}  # no test-set figure
        assert len(run["val_loss"]) == recipe["epochs"] == SEED_RECIPE.epochs
    # the choice chapter 5 states: the cosine ends with the lower validation loss
    assert record["runs"]["cosine"]["val_loss"][-1] < record["runs"]["constant"]["val_loss"][-1]
