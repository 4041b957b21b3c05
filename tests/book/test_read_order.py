"""The build reads, and so executes, every chapter before any "Notes and details" page.

A notes page uses the model its chapter saved; read first, it would train that model itself
in a clean build (`_ext/read_order.py`)."""

from __future__ import annotations

from pathlib import Path

import yaml

from _ext.read_order import chapters_first

ROOT = Path(__file__).resolve().parents[2]


def test_notes_pages_are_read_after_every_chapter_and_the_rest_keep_their_order():
    names = sorted(["appendix/08_notes", "appendix/01_notes", "chapters/05_training", "chapters/01_what_a_cnn_does",
                    "intro", "glossary"])
    chapters_first(None, None, names)
    assert names == ["chapters/01_what_a_cnn_does", "chapters/05_training", "glossary", "intro",
                     "appendix/01_notes", "appendix/08_notes"]


def test_the_extension_is_loaded_by_the_book():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["sphinx"]["local_extensions"].get("read_order") == "_ext/"
