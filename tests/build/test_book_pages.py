"""The built pages read as one book: each chapter fits one sitting, states the reading time the
book's one rule gives (`_ext/reading_time.py`), and says the same thing as the other pages
where they describe the same fact.

These tests read `_build/html` (or CNN_BOOK_HTML): they are marked `build` and skipped when
the book is not built (the rule's own test is not). They count the rendered HTML again, independently of the Sphinx extension that fills in the
times, so a page whose stated time no longer follows from what it shows fails here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from book_html import article, expecting_failures, needs_html, page_text
from conftest import HTML

from _ext.reading_time import count_words, reading_minutes  # the rule lives once, there

ROOT = Path(__file__).resolve().parents[2]

CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
MAX_WORDS = 3000
MAX_CODE_CELLS = 30
#: Chapters still over one sitting on the built page, waiting to be cut: a chapter put here has
#: its limit test marked as a strict expected failure.
NOT_YET_CUT: set[str] = set()


def html_counts(page: str) -> tuple[int, int]:
    """(prose words, code cells) of a built page: the article without code cells and outputs."""
    body = article(page)
    cells = body.select("div.cell")
    for cell in cells:
        cell.decompose()
    return count_words(body.get_text(" ")), len(cells)


def stated_minutes(page: str) -> int:
    match = re.search(r"Time to learn\W*about (\d+) minutes", page_text(page))
    assert match, f"{page}: no 'Time to learn: about N minutes'"
    return int(match.group(1))


@pytest.fixture(scope="module")
def recorded() -> dict:
    path = HTML / "_static" / "reading_times.json"
    if not path.is_file():
        pytest.fail(f"{path} missing: the reading_time extension did not run")
    return json.loads(path.read_text())["pages"]


def test_rule_rounds_to_five_minutes():
    assert reading_minutes(0, 0) == 5
    assert reading_minutes(3000, 30) == 60  # the limits of one sitting give one hour
    assert reading_minutes(2000, 20) == 40
    assert reading_minutes(2400, 25) == 50  # 12 + 37.5 = 49.5
    with pytest.raises(ValueError, match="counts >= 0"):
        reading_minutes(-1, 3)


@needs_html
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_stated_time_follows_the_rule(chapter, recorded):
    """The page states rule(its counts); the extension's counts agree with the HTML's."""
    page = f"chapters/{chapter}"
    words, cells = html_counts(page)
    mine = recorded[page]
    assert mine["code_cells"] == cells, f"{page}: extension counted {mine['code_cells']} code cells, the HTML has {cells}"
    # The extension counts before cross-references get their titles, so a few words may differ.
    assert abs(mine["words"] - words) <= 0.05 * words, f"{page}: {mine['words']} words counted, {words} in the HTML"
    assert stated_minutes(page) == reading_minutes(mine["words"], cells)
    assert abs(reading_minutes(words, cells) - stated_minutes(page)) <= 5


@needs_html
@pytest.mark.parametrize("summary", ["intro", "instructor_guide"])
def test_summary_tables_state_each_chapters_own_time(summary):
    text = page_text(summary)
    for chapter in CHAPTERS:
        minutes = stated_minutes(f"chapters/{chapter}")
        title = article(f"chapters/{chapter}").find("h1").get_text(" ")
        title = re.sub(r"\s+", " ", re.sub(r"^\s*[\d.]+\s*", "", title)).strip()
        row = re.search(re.escape(title) + r".{0,400}?(\d+) minutes", text)
        assert row, f"{summary}: no time for {title!r}"
        assert int(row.group(1)) == minutes, f"{summary} says {row.group(1)} min for {chapter}, the page {minutes}"


@needs_html
@pytest.mark.parametrize("chapter", expecting_failures(CHAPTERS, NOT_YET_CUT, "over one sitting; not yet cut"))
def test_chapter_fits_one_sitting(chapter):
    words, cells = html_counts(f"chapters/{chapter}")
    assert words <= MAX_WORDS, f"{chapter}: {words} prose words (at most {MAX_WORDS})"
    assert cells <= MAX_CODE_CELLS, f"{chapter}: {cells} code cells (at most {MAX_CODE_CELLS})"


@needs_html
def test_reading_time_rule_said_the_same_way():
    """The introduction and the instructor guide define the time by the same rule."""
    for page in ("intro", "instructor_guide"):
        text = page_text(page)
        assert "prose words divided by 200" in text and "1.5 minutes per code cell" in text, page
        assert "rounded to the nearest 5 minutes" in text, page
