"""Accessible pages: markup that axe-core (tests/build/test_browser.py) finds fault with, fixed.

1. The bibliography. Docutils writes the citation list as `<div role="list">` whose entries
   are `<div role="doc-biblioentry">`: that role is deprecated in ARIA (DPUB-ARIA 1.1) and not
   allowed on a `div`, and a list whose children are not list items is a critical error for
   screen readers (aria-required-children). The entries become `role="listitem"`.
2. Empty table headers. An empty `<th>` announces nothing: the corner of a pandas DataFrame or
   Styler table (chapters 6 and 7) and the first column of a Markdown table whose header row
   leaves it blank (the introduction's chapter numbers, chapter 3's comparison table). A cell
   that heads nothing is not a header: it becomes a `<td>` with the same attributes.
3. Colour contrast: `_static/a11y-contrast.css` (see that file) is added to every page.
4. Reflow on a phone: `_static/a11y-reflow.css` (see that file) keeps every page within a
   390-px screen (tests/build/test_phone_width.py).

Enabled in `_config.yml` under `sphinx.local_extensions`. The changes are made to the page
body Sphinx renders (`html-page-context`), so they cover every page, whatever wrote its HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

STATIC = Path(__file__).resolve().parents[1] / "_static"
CSS_FILES = ("a11y-contrast.css", "a11y-reflow.css")
BIBLIOENTRY = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')
# A header cell holding nothing a screen reader could announce: whitespace, &nbsp; or empty <p>.
EMPTY_TH = re.compile(r"<th(\s[^>]*)?>(?:\s|&nbsp;|&#160;|<p>\s*</p>)*</th>")


def add_static_path(app: Sphinx, config: Config) -> None:
    paths = [Path(app.confdir, path).resolve() for path in config.html_static_path]
    if STATIC not in paths:
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def accessible_body(body: str) -> str:
    """The page body with the markup fixes above applied (no other change)."""
    body = BIBLIOENTRY.sub(r'\1 role="listitem"', body)
    return EMPTY_TH.sub(lambda m: f"<td{m.group(1) or ''}></td>", body)


def fix_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "body" in context:
        context["body"] = accessible_body(context["body"])


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", add_static_path)
    for css_file in CSS_FILES:
        app.add_css_file(css_file)
    app.connect("html-page-context", fix_page, priority=800)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
