"""Chapter 7's experiment: the decision rule, the recipes it builds, its recorded result and
the accuracy interval the chapter quotes for the test set."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from statistics import NormalDist

import pytest

from helpers import ablation, training
from helpers.evaluation import accuracy_interval

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_ablation.py"


def test_keep_change_needs_more_than_the_spread():
    assert ablation.keep_change([0.30, 0.31, 0.32], [0.20, 0.21, 0.22])  # 0.10 better, sd 0.01
    assert not ablation.keep_change([0.30, 0.31, 0.32], [0.30, 0.305, 0.31])  # 0.005 better, within sd
    assert not ablation.keep_change([0.20], [0.30])  # worse
    assert ablation.keep_change([0.30], [0.29])  # one seed each: no spread, any gain counts


def test_keep_change_refuses_empty_or_nan():
    with pytest.raises(ValueError, match="finite"):
        ablation.keep_change([], [0.1])
    with pytest.raises(ValueError, match="finite"):
        ablation.keep_change([0.1, float("nan")], [0.1])


def test_replay_keeps_the_best_so_far():
    rows = [{"runs": [{"val_loss": v} for v in losses]} for losses in
            ([0.5, 0.5], [0.3, 0.3], [0.31, 0.29], [0.1, 0.1])]
    assert ablation.replay_decisions(rows) == [True, False, True]


def test_start_is_the_article_network_and_each_factor_changes_one_thing():
    model = ablation.START.build()
    assert model.count_params() == 56452
    for name, change in ablation.FACTORS.items():
        changed = ablation.apply_change(ablation.START, change)
        assert changed != ablation.START, name
        assert ablation.undo_change(changed, change) == ablation.START, name


def test_final_recipe_applies_the_kept_factors():
    recipe = ablation.final_recipe(["batch norm", "augmentation"], epochs=10)
    assert recipe.builder_kwargs["batch_norm"] and recipe.augment and recipe.epochs == 10
    assert recipe.builder_kwargs["widths"] == (25, 64, 64)


def test_recorded_ablation_is_complete_and_its_decisions_follow_the_rule():
    record = ablation.recorded_ablation()
    forward = record["forward"]
    assert [row["factor"] for row in forward] == ["start", *ablation.FACTORS]
    assert all(len(row["runs"]) >= 3 for row in forward)
    assert any("bench_ablation.py" in command for command in record["command"])


def _recorded_as_built(row: dict, built) -> None:
    """The recipe a row records is `built`, field by field as the record writes it (JSON); a
    field the record predates must be at its default in `built`."""
    built = json.loads(json.dumps(dataclasses.asdict(built)))
    assert {key: built[key] for key in row["recipe"]} == row["recipe"], row["factor"]
    defaults = {f.name: f.default for f in dataclasses.fields(training.Recipe)}
    assert all(built[key] == defaults[key] for key in set(built) - set(row["recipe"])), row["factor"]


def _budget(rows: list[dict]) -> dict:
    """The one (epochs, train_subset) that every row of a part was trained with."""
    budgets = {(row["recipe"]["epochs"], row["recipe"]["train_subset"]) for row in rows}
    assert len(budgets) == 1, f"rows trained on different budgets: {budgets}"
    epochs, train_subset = budgets.pop()
    return {"epochs": epochs, "train_subset": train_subset}


def test_recorded_rows_are_the_recipes_the_code_builds_on_the_budget_the_record_states():
    """Replaying the study's path with today's code builds, row by row, the recipe each row
    trained: every forward row is the kept recipe so far with its factor, every remove-one row
    the final recipe without one kept factor, every lever row the first stage's recipe with the
    kept levers so far and its own, on the longer budget. So the budgets the record states are
    the ones its rows ran and the code would run again."""
    record = ablation.recorded_ablation()
    forward, levers = record["forward"], record["levers"]
    _recorded_as_built(forward[0], ablation.START)
    kept: list[str] = []
    for i, row in enumerate(forward[1:], start=1):
        _recorded_as_built(row, ablation.final_recipe([*kept, row["factor"]], name=f"ablation_{i}"))
        kept += [row["factor"]] if row["kept"] else []
    for i, row in enumerate(record["remove_one"]):
        final = ablation.final_recipe(kept)
        _recorded_as_built(row, ablation.undo_change(final, ablation.FACTORS[row["factor"]],
                                                     name=f"ablation_without_{i}"))
    assert _budget(forward + record["remove_one"]) == record["budget"]
    lever_budget = _budget(levers)
    assert lever_budget == record["lever_budget"] and lever_budget["epochs"] > record["budget"]["epochs"]
    _recorded_as_built(levers[0], ablation.final_recipe(kept, name="levers_start", **lever_budget))
    for i, row in enumerate(levers[1:], start=1):
        _recorded_as_built(row, ablation.final_recipe([*kept, row["factor"]], name=f"levers_{i}", **lever_budget))
        kept += [row["factor"]] if row["kept"] else []


@pytest.mark.parametrize("text", ["{not json", "[]", '{"date": "x"}'])
def test_recorded_ablation_refuses_a_broken_file(tmp_path, text):
    path = tmp_path / "ablation.json"
    path.write_text(text)
    with pytest.raises(ValueError, match="ablation record|should hold"):
        ablation.recorded_ablation(path)


def test_recorded_ablation_names_a_missing_file(tmp_path):
    with pytest.raises(ValueError, match="bench_ablation.py"):
        ablation.recorded_ablation(tmp_path / "absent.json")


def test_recorded_ablation_refuses_decisions_the_numbers_do_not_support(tmp_path):
    record = json.loads(ablation.ABLATION_FILE.read_text())
    record["forward"][1]["kept"] = not record["forward"][1]["kept"]
    path = tmp_path / "ablation.json"
    path.write_text(json.dumps(record))
    with pytest.raises(ValueError, match="do not follow"):
        ablation.recorded_ablation(path)


def test_recorded_ablation_refuses_a_nan_loss(tmp_path):
    record = json.loads(ablation.ABLATION_FILE.read_text())
    record["forward"][0]["runs"][0]["val_loss"] = float("nan")
    path = tmp_path / "ablation.json"
    path.write_text(json.dumps(record))
    with pytest.raises(ValueError, match="finite val_loss"):
        ablation.recorded_ablation(path)


def test_accuracy_interval_matches_the_wilson_formula():
    low, high = accuracy_interval(9860, 10_000)
    assert low < 0.986 < high
    # Wilson's interval by its definition: the true accuracies q whose normal test does not
    # reject the observed 0.986, so at each end (0.986 - q)^2 = z^2 q (1 - q) / n.
    z = NormalDist().inv_cdf(0.975)
    for q in (low, high):
        assert (0.986 - q) ** 2 == pytest.approx(z * z * q * (1 - q) / 10_000, rel=1e-9)
    assert high - low == pytest.approx(2 * 0.0023, abs=0.0003)  # about ±0.23 points at 98.6 %
    assert accuracy_interval(10, 10)[1] == 1.0 and accuracy_interval(10, 10)[0] < 1.0
    assert accuracy_interval(0, 10)[0] == 0.0
    wider = accuracy_interval(9860, 10_000, level=0.99)
    assert wider[0] < low and wider[1] > high


@pytest.mark.parametrize(("args", "error"), [((11, 10), ValueError), ((5, 0), ValueError), ((5.5, 10), TypeError),
                                             ((True, 10), TypeError)])
def test_accuracy_interval_refuses_bad_counts(args, error):
    with pytest.raises(error, match="n_correct"):
        accuracy_interval(*args)


def test_accuracy_interval_refuses_a_bad_level():
    with pytest.raises(ValueError, match="level"):
        accuracy_interval(5, 10, level=95)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "--part"),
        (["--part", "forward", "--seeds", "1", "1"], "--seeds must be distinct"),
        (["--part", "forward", "--epochs", "5"], "apply to --part longer only"),
        (["--part", "longer", "--images", "70000"], "--images must be between"),
    ],
)
def test_bench_ablation_refuses_bad_arguments(arguments, message):
    result = subprocess.run([sys.executable, str(BENCH), *arguments], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert message in result.stderr


def test_improved_recipe_is_the_one_the_recorded_study_chose():
    record = ablation.recorded_ablation()
    chosen = ablation.final_recipe(ablation.kept_factors(record), name="improved_cnn", epochs=15,
                                   train_subset=None, early_stopping_patience=3)
    assert chosen == training.IMPROVED_RECIPE


def test_recorded_levers_start_from_the_first_stage_and_try_each_lever_once():
    record = ablation.recorded_ablation()
    first_stage = [row["factor"] for row in record["forward"][1:] if row["kept"]]
    assert record["levers"][0]["recipe"]["builder_kwargs"] == \
        json.loads(json.dumps(ablation.final_recipe(first_stage).builder_kwargs))
    assert [row["factor"] for row in record["levers"][1:]] == list(ablation.LEVERS)
    assert all(len(row["runs"]) >= 3 for row in record["levers"])
    smoothed = record["levers"][2]
    assert all("val_crossentropy" in run for run in smoothed["runs"])  # compared on the plain loss


def test_recorded_remove_one_undoes_each_kept_change_once():
    record = ablation.recorded_ablation()
    kept = [row["factor"] for row in record["forward"][1:] if row["kept"]]
    assert [row["factor"] for row in record["remove_one"]] == kept
    assert all(len(row["runs"]) >= 3 for row in record["remove_one"])


def _rows(*losses_per_row):
    return [{"factor": f"row {i}", "runs": [{"seed": s, "val_loss": v} for s, v in enumerate(losses)]}
            for i, losses in enumerate(losses_per_row)]


def test_removal_is_adopted_only_when_it_beats_the_spread():
    final, *removed = _rows([0.10, 0.11, 0.12], [0.05, 0.05, 0.06], [0.105, 0.11, 0.115], [0.2, 0.2, 0.2])
    assert ablation.removal_decisions(final, removed) == {"row 1": True, "row 2": False, "row 3": False}
    with pytest.raises(ValueError, match="at least one remove-one row"):
        ablation.removal_decisions(final, [])


def test_recorded_remove_one_leaves_the_recipe_as_it_is():
    record = ablation.recorded_ablation()
    final = next(row for row in record["forward"][::-1] if row.get("kept"))
    assert not any(ablation.removal_decisions(final, record["remove_one"]).values())


def test_leave_one_seed_out_replays_the_path_without_each_seed():
    # change 1 passes by 0.067 against an sd of 0.058; without seed 0 or 1 its sd grows to 0.071
    # and it fails, so change 2 is then judged against the start and kept: the path changes
    rows = _rows([0.30, 0.30, 0.30], [0.20, 0.20, 0.30], [0.20, 0.20, 0.20])
    assert ablation.replay_decisions(rows) == [True, False]
    assert ablation.leave_one_seed_out(rows) == {0: [False, True], 1: [False, True], 2: [True, False]}


def test_without_seed_refuses_a_seed_not_in_every_row():
    with pytest.raises(ValueError, match="seed 7 is not in every row"):
        ablation.without_seed(_rows([0.3, 0.3]), 7)
    with pytest.raises(ValueError, match="no run"):
        ablation.without_seed(_rows([0.3]), 0)


def test_recorded_frontier_is_the_benchmarks_summary():
    """The shipped record says what benchmarks/results/ says, line by line."""
    import re

    table = ablation.recorded_frontier()
    text = (BENCH.parent / "results" / "bench_training_2026-12-02.txt").read_text()
    summary = re.findall(r"SUMMARY (\w+)\s+(\d+) epochs\s+(\d+) s .*?test accuracy ([\d.]+) ± ([\d.]+) over (\d+)", text)
    assert len(summary) == len(table) == 5
    for recipe, epochs, seconds, accuracy, sd, seeds in summary:
        row = table.loc[recipe]
        assert (row["epochs"], row["seconds"], row["seeds"]) == (int(epochs), int(seconds), int(seeds))
        assert row["test_accuracy"] == float(accuracy) and row["test_accuracy_sd"] == float(sd)


def test_recorded_frontier_refuses_a_broken_file(tmp_path):
    path = tmp_path / "frontier.json"
    path.write_text(json.dumps({"runs": [{"recipe": "x", "epochs": 1, "seconds": 0, "test_accuracy": 0.9,
                                          "test_accuracy_sd": 0, "seeds": 1}]}))
    with pytest.raises(ValueError, match="positive time"):
        ablation.recorded_frontier(path)
    with pytest.raises(ValueError, match="no readable"):
        ablation.recorded_frontier(tmp_path / "missing.json")


def test_decision_margins_are_positive_exactly_where_the_rule_keeps():
    record = ablation.recorded_ablation()
    for part in ("forward", "levers"):
        margins = ablation.decision_margins(record[part])
        assert [m > 0 for m in margins] == ablation.replay_decisions(record[part])
    rows = _rows([0.30, 0.30, 0.30], [0.20, 0.20, 0.30])
    assert ablation.decision_margins(rows) == pytest.approx([0.30 - 0.7 / 3 - 0.1 / 3 ** 0.5])
