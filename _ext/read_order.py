"""Read (and so execute) the chapters before their "Notes and details" pages.

Sphinx reads the pages in the sorted order of their names, and MyST-NB executes a notebook
when it reads it, so `appendix/*` would run before `chapters/*`. A notes page uses the model
its chapter trained and saved (`helpers.training.train_or_load`); run first, in a clean build
it would train that model itself, and the chapter would then train it again. Reading the
chapters first also keeps an incremental build clean when a label moves from a chapter to its
notes page: the chapter, read first, gives the label up before the notes page claims it.

The order within each group is left as Sphinx has it.
"""

from __future__ import annotations

from sphinx.application import Sphinx

NOTES = "appendix/"


def chapters_first(app: Sphinx, env, docnames: list[str]) -> None:
    """Move the notes pages to the end of the reading list, in place (as Sphinx asks)."""
    docnames.sort(key=lambda name: name.startswith(NOTES))


def setup(app: Sphinx) -> dict:
    app.connect("env-before-read-docs", chapters_first)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
