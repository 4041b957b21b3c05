"""A chapter that trains says so in its first cell, with the minutes it took in a fresh runtime.

`tools/sync_notebooks.py` writes the note from its table `COLAB_RUN_SECONDS` (measured with
`make test-colab`). These tests read the committed notebooks: every chapter that trains a
network (it calls `train_or_load`, `fit_recipe` or `model.fit` on the full data) is marked as
training in the table and carries the note, whose minutes are the table's seconds rounded; no
other chapter carries it; the table's seconds are the ones README.md reports.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tools import sync_notebooks as sync

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
#: Calls that train a whole network (chapter 3's two epochs on 2,048 images are not one).
TRAINS = re.compile(r"\btrain_or_load\(|\bfit_recipe\(|^\s*history = model\.fit\(", re.M)
#: A chapter that fits its model in a cell of its own trains every time it runs.
ALWAYS = re.compile(r"^\s*history = model\.fit\(", re.M)




def cells(chapter: Path) -> list[dict]:
    return json.loads(chapter.read_text())["cells"]


def code(chapter: Path) -> str:
    return "\n".join("".join(c["source"]) for c in cells(chapter) if c["cell_type"] == "code")


def note_lines(chapter: Path) -> list[str]:
    first = "".join(cells(chapter)[0]["source"])
    return [line for line in first.split("\n") if "trains a network" in line or "Run all" in line]


def test_the_note_says_when_a_chapter_trains():
    assert sync.training_note("05_training").startswith("**This chapter trains a network.** From a fresh runtime")
    assert "** when it finds none saved" in sync.training_note("08_inside_the_cnn")
    assert sync.training_note("02_loading_mnist") is None


def test_every_chapter_has_a_measured_time():
    assert sorted(sync.COLAB_RUN_SECONDS) == [chapter.stem for chapter in CHAPTERS]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_a_chapter_that_trains_is_marked_as_training(chapter):
    _, trains = sync.COLAB_RUN_SECONDS[chapter.stem]
    assert (trains is not None) == bool(TRAINS.search(code(chapter)))
    always = bool(ALWAYS.search(code(chapter))) and "train_or_load(" not in code(chapter)
    assert (trains == "always") == always, "only a chapter that trains in front of the reader always trains"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_the_first_cell_says_how_long_training_takes(chapter):
    seconds, trains = sync.COLAB_RUN_SECONDS[chapter.stem]
    lines = note_lines(chapter)
    if not trains:
        assert lines == [], "a chapter that does not train carries no training note"
        return
    assert len(lines) == 1, "one training note, in the first cell (make strip writes it)"
    (note,) = lines
    first = "".join(cells(chapter)[0]["source"]).split("\n")
    row = next(i for i, line in enumerate(first) if line.startswith("[Open in Colab]("))
    assert first[row + 2] == note, "the note is the paragraph under the button row"
    minutes = re.findall(r"about (\d+) minutes? on a 2-core CPU", note)
    assert minutes == [str(round(seconds / 60))], f"{seconds} s is about {round(seconds / 60)} min: {note}"
    assert "GPU runtime" in note and "not measured" in note, "no GPU figure the book did not measure"
    assert sync.COLAB_MEASURED_ON in note


def test_the_table_holds_the_times_the_readme_reports():
    readme = (ROOT / "README.md").read_text()
    header = re.search(r"^\s*\| chapter \|(.*)\|\s*$", readme, re.M)
    values = re.search(r"^\s*\| seconds \|(.*)\|\s*$", readme, re.M)
    assert header and values, "README.md's Colab section has the table of measured seconds"
    chapters = [cell.strip() for cell in header.group(1).split("|")]
    seconds = [cell.strip().replace(",", "") for cell in values.group(1).split("|")]
    reported = {int(ch): int(s) for ch, s in zip(chapters, seconds, strict=True) if ch.isdigit()}
    table = {int(stem[:2]): s for stem, (s, _) in sync.COLAB_RUN_SECONDS.items()}
    assert table == reported
