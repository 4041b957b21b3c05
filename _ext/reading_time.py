"""Reading time, one rule for the whole book, computed from the built pages.

A chapter's *Time to learn* is not typed by hand: the page writes the role
``{reading-time}`05_training``` (a document name, resolved like ``{doc}``; ``chapters/*`` gives the sum
over the chapters), and this
extension replaces it with the time the rule gives for that page:

    minutes = prose words / 200 + 1.5 per code cell, rounded to the nearest 5 (at least 5)

*Prose words* are the words of the page outside its code cells and their outputs (headings,
text, tables, exercises and solution text included); *code cells* are the notebook's code
cells on the page (the solutions among them). 200 words a minute is slower than the 238
that adults average when reading non-fiction silently (M. Brysbaert, "How many words do we
read per minute?", Journal of Memory and Language 109, 2019), because a beginner reads technical text slowly;
1.5 minutes a cell is reading about four lines of code, running them and looking at what
came out. At the book's limits for one sitting, 3,000 prose words and 30 code cells, the rule
gives 15 + 45 = 60 minutes. The time covers reading the page and running its cells once; the
training a chapter runs and any class discussion come on top.

Counts are made when a page is read (`doctree-read`) and kept in the build environment, so the
instructor guide's and the introduction's tables, which name other pages, always show the
same figure as the page itself. Both pages are rebuilt whenever any page changes. After the
build, ``_build/html/_static/reading_times.json`` holds every page's counts and minutes
(``tests/build/test_book_pages.py`` reads it; ``_ext/colab_copies.py`` reads the counts from the environment). The test counts the
built HTML again with `count_words`, so this count cannot drift from what a reader sees.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole

WORDS_PER_MINUTE = 200
MINUTES_PER_CODE_CELL = 1.5
ROUND_TO = 5
#: Pages whose tables name other pages' times: rebuilt whenever any page changes.
SUMMARY_PAGES = ("intro", "instructor_guide")
WORD = re.compile(r"\S*\w\S*")


def count_words(text: str) -> int:
    """Words in `text`: runs of non-space characters holding at least one letter or digit."""
    return len(WORD.findall(text))


def reading_minutes(words: int, code_cells: int) -> int:
    """The book's rule: words / 200 + 1.5 per code cell, rounded to the nearest 5, at least 5."""
    if words < 0 or code_cells < 0:
        raise ValueError(f"expected counts >= 0, got words={words}, code_cells={code_cells}")
    raw = words / WORDS_PER_MINUTE + MINUTES_PER_CODE_CELL * code_cells
    return max(ROUND_TO, ROUND_TO * math.floor(raw / ROUND_TO + 0.5))


class reading_time(nodes.Inline, nodes.TextElement):
    """Placeholder for a page's reading time, filled in once every page has been counted."""


def _is_code_cell(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == "cell_code"


def page_counts(doctree: nodes.document) -> tuple[int, int]:
    """(prose words, code cells) of a page: text outside code cells, outputs and placeholders."""
    cells = 0
    words = 0
    stack = [doctree]
    while stack:
        node = stack.pop()
        if _is_code_cell(node):
            cells += 1
            continue
        if isinstance(node, (reading_time, nodes.comment, nodes.raw, nodes.system_message)):
            continue
        if isinstance(node, nodes.Text):
            words += count_words(str(node))
            continue
        stack.extend(node.children)
    return words, cells


class ReadingTimeRole(SphinxRole):
    def run(self):
        target = self.text.strip()
        docname = self.env.docname if target in ("", ".") else _join(self.env.docname, target)
        return [reading_time(self.rawtext, "", docname=docname)], []


def _join(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parent = base.rsplit("/", 1)[0] + "/" if "/" in base else ""
    parts: list[str] = []
    for part in (parent + target).split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _store(env) -> dict:
    if not hasattr(env, "reading_times"):
        env.reading_times = {}
    return env.reading_times


def count_page(app: Sphinx, doctree: nodes.document) -> None:
    _store(app.env)[app.env.docname] = page_counts(doctree)


def purge(app: Sphinx, env, docname: str) -> None:
    _store(env).pop(docname, None)


def merge(app: Sphinx, env, docnames, other) -> None:
    _store(env).update({d: c for d, c in getattr(other, "reading_times", {}).items() if d in docnames})


def outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """When any page changes, the pages that quote its time are rebuilt too."""
    if added or changed or removed:
        return [page for page in SUMMARY_PAGES if page in env.found_docs]
    return []


def fill_in(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    times = _store(app.env)
    for node in list(doctree.findall(reading_time)):
        target = node["docname"]
        if target.endswith("*"):  # the sum over pages, e.g. chapters/*
            total = sum(reading_minutes(*c) for d, c in times.items() if d.startswith(target[:-1]))
            node.replace_self(nodes.Text(f"{total} minutes (about {total / 60:.1f} hours)"))
            continue
        if target not in times:
            raise ValueError(f"{docname}: {{reading-time}} names {target!r}, which is not a page of the book")
        node.replace_self(nodes.Text(f"{reading_minutes(*times[target])} minutes"))


def write_json(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir, "_static", "reading_times.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "rule": f"prose words / {WORDS_PER_MINUTE} + {MINUTES_PER_CODE_CELL} per code cell, "
        f"rounded to the nearest {ROUND_TO} minutes",
        "pages": {
            doc: {"words": words, "code_cells": cells, "minutes": reading_minutes(words, cells)}
            for doc, (words, cells) in sorted(_store(app.env).items())
        },
    }
    out.write_text(json.dumps(record, indent=1) + "\n")


def setup(app: Sphinx) -> dict:
    app.add_role("reading-time", ReadingTimeRole())
    app.add_node(reading_time)
    app.connect("doctree-read", count_page)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-outdated", outdated)
    app.connect("doctree-resolved", fill_in)
    app.connect("build-finished", write_json)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
