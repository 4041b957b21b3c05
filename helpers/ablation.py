"""Chapter 7's experiment: one change at a time, a decision rule, and its recorded result.

The study starts from the article's network trained the book's way, tries each change in
`FACTORS` in turn on a small budget over several seeds, and keeps a change only if
`keep_change` says so; then it removes each kept change from the final recipe in turn
(remove-one ablation). `benchmarks/bench_ablation.py` runs it and writes
helpers/results/ablation.json; `recorded_ablation` reads that file back and checks it.
"""

from __future__ import annotations

import dataclasses
import json
import math
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from helpers.training import SEED_RECIPE, Recipe

#: The small budget of every variant: 3 epochs over the first 10,000 fitting images.
BUDGET: dict[str, int] = {"epochs": 3, "train_subset": 10_000}

#: The article's network (build_improved_cnn with the article's switches computes exactly
#: build_seed_cnn) trained the book's way on the small budget: the study's starting point.
ARTICLE_SWITCHES: dict[str, Any] = {"widths": (25, 64, 64), "batch_norm": False, "dropout": 0.0,
                                    "last_pool": True, "dense_units": 64, "first_padding": "valid"}
START = dataclasses.replace(SEED_RECIPE, name="ablation_start", builder="build_improved_cnn",
                            builder_kwargs=dict(ARTICLE_SWITCHES), **BUDGET)

#: The changes tried, in order: each is a change of builder switches or of recipe fields.
FACTORS: dict[str, dict[str, Any]] = {
    "see every pixel": {"builder_kwargs": {"first_padding": "same"}},
    "batch norm": {"builder_kwargs": {"batch_norm": True}},
    "wider blocks": {"builder_kwargs": {"widths": (32, 64, 128)}},
    "no last pooling": {"builder_kwargs": {"last_pool": False}},
    "wider dense layer": {"builder_kwargs": {"dense_units": 128}},
    "dropout": {"builder_kwargs": {"dropout": 0.25}},
    "augmentation": {"augment": True},
    "larger learning rate": {"learning_rate": 2e-3},
}

#: The second stage: training levers, tried one at a time from the architecture the first
#: stage chose, on the longer budget (10 epochs over 10,000 images), where levers that act
#: late in training (augmentation, an average of the weights) have time to show.
LEVER_BUDGET: dict[str, int] = {"epochs": 10, "train_subset": 10_000}
LEVERS: dict[str, dict[str, Any]] = {
    "augmentation": {"augment": True},
    "label smoothing": {"label_smoothing": 0.1},
    "weight average (EMA)": {"ema_momentum": 0.99},
    "warm-up": {"schedule": "warmup-cosine"},
}

#: Where `benchmarks/bench_ablation.py` records its result; it ships with the helpers.
ABLATION_FILE = Path(__file__).resolve().parent / "results" / "ablation.json"

RULE = ("keep a change only if it lowers the mean validation loss by more than the spread "
        "between seeds (the larger of the two standard deviations)")


def apply_change(recipe: Recipe, change: dict[str, Any], name: str | None = None) -> Recipe:
    """`recipe` with one factor's `change` applied (builder switches merged), renamed `name`."""
    fields = {key: value for key, value in change.items() if key != "builder_kwargs"}
    kwargs = {**recipe.builder_kwargs, **change.get("builder_kwargs", {})}
    return dataclasses.replace(recipe, builder_kwargs=kwargs, name=name or recipe.name, **fields)


def run_loss(run: dict[str, Any]) -> float:
    """A run's final validation loss: the plain cross-entropy, also for a run trained with
    label smoothing (whose own loss is larger by design), so every row is compared alike."""
    return float(run.get("val_crossentropy", run["val_loss"]))


def undo_change(recipe: Recipe, change: dict[str, Any], name: str | None = None) -> Recipe:
    """`recipe` with one factor put back as it is in `START` (the remove-one ablation)."""
    back = {key: getattr(START, key) for key in change if key != "builder_kwargs"}
    if "builder_kwargs" in change:
        back["builder_kwargs"] = {key: START.builder_kwargs[key] for key in change["builder_kwargs"]}
    return apply_change(recipe, back, name)


def mean_sd(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value) of a list of numbers."""
    values = [float(v) for v in values]
    if not values or not all(math.isfinite(v) for v in values):
        raise ValueError(f"need at least one finite number; got {values}.")
    return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def keep_change(current: Sequence[float], variant: Sequence[float]) -> bool:
    """The decision rule of chapter 7, applied to validation losses over seeds.

    Keep the change only if the variant's mean loss is lower than the current recipe's by
    more than the larger of the two standard deviations. With one seed each there is no
    spread, and any improvement counts.
    """
    (mean_now, sd_now), (mean_new, sd_new) = mean_sd(current), mean_sd(variant)
    return mean_now - mean_new > max(sd_now, sd_new)


def row_losses(row: dict[str, Any]) -> list[float]:
    """The final validation loss of each seed's run in one row of the record."""
    return [run_loss(run) for run in row["runs"]]


def replay_decisions(forward: list[dict[str, Any]]) -> list[bool]:
    """Apply `keep_change` to a forward study's rows, in order: row 0 is the start, each later
    row one factor added to the recipe kept so far. Returns one decision per factor row."""
    best = row_losses(forward[0])
    decisions = []
    for row in forward[1:]:
        kept = keep_change(best, row_losses(row))
        decisions.append(kept)
        if kept:
            best = row_losses(row)
    return decisions


def final_recipe(kept: Sequence[str], **fields: Any) -> Recipe:
    """`START` with every factor (of `FACTORS`, then of `LEVERS`) named in `kept` applied,
    then `fields` (e.g. epochs) set."""
    recipe = START
    for name in kept:
        recipe = apply_change(recipe, FACTORS[name] if name in FACTORS else LEVERS[name])
    return dataclasses.replace(recipe, **fields)


def _check_row(row: Any, path: Path) -> None:
    if not isinstance(row, dict) or not {"factor", "runs", "recipe"} <= set(row) or not row["runs"]:
        raise ValueError(f"{path}: each row should hold 'factor', 'recipe' and at least one run; got {row!r:.80}.")
    for run in row["runs"]:
        loss, accuracy = run.get("val_loss"), run.get("val_accuracy")
        if not (isinstance(loss, float | int) and math.isfinite(loss) and loss >= 0
                and isinstance(accuracy, float | int) and 0 <= accuracy <= 1 and "seed" in run):
            raise ValueError(f"{path}: a run should hold a seed, a finite val_loss >= 0 and a "
                             f"val_accuracy in [0, 1]; got {run!r:.120}.")


def recorded_ablation(path: Path | None = None) -> dict[str, Any]:
    """The recorded one-factor study (chapter 7), as `benchmarks/bench_ablation.py` wrote it:
    date, machine, command, budget, the forward rows (each with every seed's run and whether
    the change was kept) and the remove-one rows. The decisions are re-derived from the
    numbers with `keep_change` and must match. Raises ValueError if the file is missing,
    unreadable, or not such a record."""
    path = ABLATION_FILE if path is None else Path(path)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"no readable ablation record at {path} ({error}); "
                         "run benchmarks/bench_ablation.py to make one.") from None
    expected = {"date", "machine", "command", "budget", "forward", "remove_one"}
    if not isinstance(record, dict) or not expected <= set(record):
        got = sorted(record) if isinstance(record, dict) else type(record).__name__
        raise ValueError(f"{path} should hold {sorted(expected)}; got {got}.")
    if not isinstance(record["forward"], list) or len(record["forward"]) < 2:
        raise ValueError(f"{path}: 'forward' should list the start and at least one factor.")
    for row in record["forward"] + list(record["remove_one"]):
        _check_row(row, path)
    for part in ("forward", "levers"):
        rows = record.get(part, [])
        for row in rows[1:] if part == "levers" else []:
            _check_row(row, path)
        if rows and [row.get("kept") for row in rows[1:]] != replay_decisions(rows):
            raise ValueError(f"{path}: the recorded decisions ({part}) do not follow from the numbers by the rule.")
    return record


def factor_table(rows: list[dict[str, Any]]) -> Any:
    """One line per row of the record: mean ± sd of the final validation loss and accuracy
    over the seeds, and the number of seeds (a pandas DataFrame indexed by factor)."""
    import pandas as pd

    lines = {}
    for row in rows:
        loss, loss_sd = mean_sd(row_losses(row))
        accuracy, accuracy_sd = mean_sd([run["val_accuracy"] for run in row["runs"]])
        lines[row["factor"]] = {"val loss": loss, "loss sd": loss_sd, "val accuracy": accuracy,
                                "accuracy sd": accuracy_sd, "seeds": len(row["runs"])}
    table = pd.DataFrame(lines).T
    table["seeds"] = table["seeds"].astype(int)
    return table


def kept_factors(record: dict[str, Any]) -> list[str]:
    """The changes the record's two stages kept, in the order they were tried."""
    rows = record["forward"][1:] + record.get("levers", [])[1:]
    return [row["factor"] for row in rows if row["kept"]]


RULE_FOR_REMOVALS = ("undoing a kept change is itself a change, judged by the same rule: a removal "
                     "is adopted only if it lowers the mean validation loss of the final recipe by more "
                     "than the spread between seeds")


def removal_decisions(final_row: dict[str, Any], remove_one: list[dict[str, Any]]) -> dict[str, bool]:
    """The remove-one ablation read by `RULE_FOR_REMOVALS` (chapter 7's methods page): for each
    row of `remove_one` (the final recipe with one kept change undone), whether the removal is
    adopted, i.e. whether `keep_change` prefers the recipe without it to `final_row`."""
    if not remove_one:
        raise ValueError("expected at least one remove-one row; got none.")
    final = row_losses(final_row)
    return {row["factor"]: keep_change(final, row_losses(row)) for row in remove_one}


def without_seed(rows: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """`rows` with the runs of one seed left out (each row keeps its other fields)."""
    out = [row | {"runs": [run for run in row["runs"] if run["seed"] != seed]} for row in rows]
    if any(len(row["runs"]) == len(source["runs"]) for row, source in zip(out, rows, strict=True)):
        seeds = sorted({run["seed"] for row in rows for run in row["runs"]})
        raise ValueError(f"seed {seed} is not in every row; the rows have seeds {seeds}.")
    if any(not row["runs"] for row in out):
        raise ValueError(f"leaving out seed {seed} leaves a row with no run.")
    return out


def leave_one_seed_out(rows: list[dict[str, Any]]) -> dict[int, list[bool]]:
    """The study of `rows` (start first, as `replay_decisions` reads it) decided again with each
    seed left out in turn, the whole path replayed: {left-out seed: one decision per factor}.
    A decision that changes when one seed of three is dropped rests on that seed."""
    seeds = sorted({run["seed"] for run in rows[0]["runs"]})
    return {seed: replay_decisions(without_seed(rows, seed)) for seed in seeds}


#: The training benchmark's summary of 2026-12-02 (benchmarks/results/), shipped with the helpers
#: so that chapter 7's methods page can draw the accuracy-against-time frontier in Colab too.
FRONTIER_FILE = Path(__file__).resolve().parent / "results" / "training_frontier.json"


def recorded_frontier(path: Path | None = None) -> Any:
    """The recorded training benchmark (chapter 7's methods page) as a pandas DataFrame, one
    row per recipe: epochs, training seconds (the fastest of the rounds), test accuracy (mean
    and sd over `seeds` runs); the record's date, machine and command in `.attrs`. Raises
    ValueError if the file is missing or not such a record."""
    import pandas as pd

    path = FRONTIER_FILE if path is None else Path(path)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"no readable training benchmark record at {path} ({error}).") from None
    fields = {"recipe", "epochs", "seconds", "test_accuracy", "test_accuracy_sd", "seeds"}
    runs = record.get("runs") if isinstance(record, dict) else None
    if not runs or not all(isinstance(run, dict) and fields <= set(run) and 0 <= run["test_accuracy"] <= 1
                           and run["seconds"] > 0 for run in runs):
        raise ValueError(f"{path} should list runs, each with {sorted(fields)}, an accuracy in [0, 1] "
                         "and a positive time.")
    table = pd.DataFrame(runs).set_index("recipe")
    table.attrs = {key: record.get(key) for key in ("date", "machine", "command", "source")}
    return table


def decision_margins(rows: list[dict[str, Any]]) -> list[float]:
    """For each factor row of a study (as `replay_decisions` reads it), the mean gain in
    validation loss over the recipe kept so far minus the spread the rule asks it to beat:
    positive where the change was kept, and the nearer 0, the closer the call."""
    best, margins = row_losses(rows[0]), []
    for row in rows[1:]:
        (mean_now, sd_now), (mean_new, sd_new) = mean_sd(best), mean_sd(row_losses(row))
        margins.append(mean_now - mean_new - max(sd_now, sd_new))
        if keep_change(best, row_losses(row)):
            best = row_losses(row)
    return margins
