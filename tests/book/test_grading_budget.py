"""The grading budget (tools/nbgrader_config.py): which cells `nbgrader autograde` runs.

Fast and without nbgrader: the plan read from every chapter, and the two preprocessors that
skip lesson cells and give them back. tests/build/test_nbgrader.py grades with it for real."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("0[1-9]_*.ipynb"))


@pytest.fixture(scope="module")
def budget():
    from tools import nbgrader_config

    return nbgrader_config


def _index(nb, text: str) -> int:
    return next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and text in cell.source)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem[:2])
def test_setup_and_every_exercise_cell_run(budget, chapter):
    nb = nbformat.read(chapter, as_version=4)
    plan = budget.grading_plan(nb)
    assert plan[_index(nb, budget.SETUP_MARKER)]
    first = next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
                 and budget.EXERCISE_DIRECTIVE.search(cell.source))
    assert all(plan[i] for i in range(first, len(nb.cells)) if nb.cells[i].cell_type == "code")
    assert not any(plan[i] for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown")


def test_the_long_lesson_cells_are_skipped_and_what_exercises_read_runs(budget):
    read = {path.stem[:2]: nbformat.read(path, as_version=4) for path in CHAPTERS}
    skipped = [("05", "history = model.fit("),
               ("07", "final_model, final_history = train_or_load(IMPROVED_RECIPE"),
               ("09", "uci_batch, uci_predicted = read_8x8(uci_images)")]
    runs = [("05", "data = load_prepared()"), ("06", "probabilities = model.predict(x_test")]
    for chapter, text in skipped:
        assert not budget.grading_plan(read[chapter])[_index(read[chapter], text)], text
    for chapter, text in runs:  # chapter 5's last exercise trains on `data`; chapter 6's reads `probabilities`
        assert budget.grading_plan(read[chapter])[_index(read[chapter], text)], text


def test_a_name_an_answer_reads_makes_its_cell_run(budget):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(budget.SETUP_MARKER + "\nimport numpy as np"),
        nbformat.v4.new_code_cell("big = np.arange(10)"),
        nbformat.v4.new_code_cell("slow = big.sum()  # not read by any exercise"),
        nbformat.v4.new_code_cell("big = big * 2"),
        nbformat.v4.new_markdown_cell(":::{exercise} E\n:label: e\n:::"),
        nbformat.v4.new_code_cell("answer = big.max()"),
    ])
    assert budget.grading_plan(nb) == [True, True, False, True, False, True]


def test_skipped_cells_come_back_unchanged(budget, monkeypatch):
    monkeypatch.delenv(budget.EVERYTHING_ENV_VAR, raising=False)
    nb = nbformat.read(ROOT / "chapters" / "05_training.ipynb", as_version=4)
    before = copy.deepcopy(nb)
    emptied, _ = budget.SkipLessonCells().preprocess(nb, {})
    plan = budget.grading_plan(before)
    for cell, old, runs in zip(emptied.cells, before.cells, plan, strict=True):
        assert (cell.source == old.source) == (runs or cell.cell_type != "code")
    restored, _ = budget.RestoreLessonCells().preprocess(emptied, {})
    assert [c.source for c in restored.cells] == [c.source for c in before.cells]
    assert not any(budget.SKIPPED_KEY in c.metadata for c in restored.cells)


def test_grade_everything_turns_the_budget_off(budget, monkeypatch):
    monkeypatch.setenv(budget.EVERYTHING_ENV_VAR, "1")
    nb = nbformat.read(ROOT / "chapters" / "05_training.ipynb", as_version=4)
    sources = [c.source for c in nb.cells]
    out, _ = budget.SkipLessonCells().preprocess(nb, {})
    assert [c.source for c in out.cells] == sources
