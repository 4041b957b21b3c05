"""Reading the built book's pages as a reader sees them, for the tests of its text
(tests/build/test_book_pages.py, tests/build/test_consistency.py).

A page is named by its docname ('chapters/05_training'); its text is that of its article
element, without the heading anchors, scripts and styles a reader does not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pytest
from conftest import HTML

bs4 = pytest.importorskip("bs4")

#: Whether there is a built book to read (CNN_BOOK_HTML names another build folder).
BUILT = (HTML / "index.html").is_file()
#: Not pages but the build's own files: sources, execution reports, static assets.
NOT_PAGES = {"_static", "_sources", "_images", "reports", "jupyter_execute"}


def needs_html(test: Callable) -> Callable:
    """A test of the built pages: marked `build`, and skipped when the book is not built."""
    return pytest.mark.build(pytest.mark.skipif(not BUILT, reason=f"no built book in {HTML}")(test))


def built_pages() -> list[str]:
    """Every page of the build (docnames); index.html only redirects, so it is not one."""
    if not HTML.is_dir():
        return []
    found = []
    for path in HTML.rglob("*.html"):
        rel = path.relative_to(HTML)
        if rel.as_posix() != "index.html" and not NOT_PAGES & set(rel.parts[:-1]):
            found.append(rel.with_suffix("").as_posix())
    return sorted(found)


def article(page: str):
    """The page's article element (the whole body if it has none), parsed, without the heading
    anchors, scripts and styles."""
    soup = bs4.BeautifulSoup((HTML / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    body = soup.find("article") or soup.body
    for extra in body.select("a.headerlink, script, style"):
        extra.decompose()
    return body


def page_text(page: str) -> str:
    """The page's article as one line of text: what a reader reads (code and outputs included)."""
    return re.sub(r"\s+", " ", article(page).get_text(" ")).strip()


def expecting_failures(items: Iterable[str], failing: set[str], reason: str) -> list:
    """`items` as a test's parameters, those in `failing` strict expected failures: the entry
    must go once the page is fixed."""
    xfail = pytest.mark.xfail(reason=reason, strict=True)
    return [pytest.param(item, marks=xfail) if item in failing else item for item in items]
