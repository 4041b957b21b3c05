"""The built book in a real browser, as a reader meets it.

Serves `_build/html` on 127.0.0.1 and opens every page in headless Chromium (Debian's
`chromium` package, driven by Playwright; nothing is downloaded at run time, and any request
that leaves 127.0.0.1 is blocked and reported). Checks: every page loads with no console
error and nothing fetched from the internet; math is typeset (MathJax is served by the book
itself); every image has alt text and loads; every chapter has the Colab launch button and
an .ipynb download; search finds "convolution"; "next" links lead from the first chapter to
the last; figures stay readable in the dark theme (opaque white plot backgrounds); and
axe-core (PyPI's `axe-playwright-python`, injected into the page, nothing fetched) finds no
serious or critical accessibility violation on any page beyond the theme's own baseline, in
the light theme (every rule) and the dark one (colour contrast).

Needs `make book` first. Set CNN_BOOK_HTML to test another build folder, and
CNN_BOOK_SCREENSHOTS to a folder to keep light and dark screenshots of a chapter.
Without Chromium the tests are skipped locally and fail in CI (where `.ci/run` installs it).
The server, the browser and `open_page` are shared with tests/build/test_widget.py (tests/conftest.py).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.build  # serves _build/html
ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("CNN_BOOK_HTML", ROOT / "_build" / "html"))
IN_CI = bool(os.environ.get("CI"))
COLAB_PREFIX = "https://colab.research.google.com/github/"

# axe-core's rules, plus one it ships as experimental: a control whose accessible name does not
# contain its visible label (speech users say what they see).
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}
# The dark theme changes colours only, so there only colour contrast is checked again.
AXE_DARK_OPTIONS = {"resultTypes": ["violations"], "runOnly": {"type": "rule", "values": ["color-contrast"]}}
FAILING_IMPACTS = {"serious", "critical"}
# The theme's own (sphinx-book-theme's) baseline, on every page: the accessible names of its
# search button ("Search", shown as "Search Ctrl+K") and of its colour-mode button differ
# from what they show, and its header and sidebars sit outside any landmark. Each entry:
# rule -> substrings, one of which the node's CSS target or HTML holds (None: any node).
THEME_BASELINE = {"label-content-name-mismatch": ("search-button", "theme-switch-button"), "region": None}
# Rules fixed in the book's pages (_ext/a11y_pages.py): any impact fails, so they stay fixed.
FIXED_RULES = {"aria-required-children", "aria-deprecated-role", "aria-allowed-role", "empty-table-header"}


def toc_docnames() -> list[str]:
    """Every page of the book in reading order: the root, then each TOC entry."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    names = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                names.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", toc.get("chapters", [])))
    return names


DOCNAMES = toc_docnames()
CHAPTERS = [name for name in DOCNAMES if name.startswith("chapters/")]
PAGES = [*DOCNAMES, "genindex", "search"]


IMAGES_JS = """() => Array.from(document.querySelectorAll('img')).map(img => ({
    src: img.getAttribute('src'),
    alt: (img.getAttribute('alt') || '').trim(),
    loaded: img.complete && img.naturalWidth > 0,
}))"""


@functools.cache
def axe():
    """axe-core as shipped by axe-playwright-python (its script is injected into each page)."""
    if IN_CI:
        from axe_playwright_python.sync_playwright import Axe
    else:
        Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe
    return Axe()


def in_baseline(rule: str, node: dict) -> bool:
    if rule not in THEME_BASELINE:
        return False
    where = THEME_BASELINE[rule]
    places = [*map(str, node["target"]), node.get("html", "")]
    return where is None or any(mark in place for place in places for mark in where)


def accessibility_problems(page, options: dict = AXE_OPTIONS) -> list[str]:
    """axe-core's serious and critical violations on `page` (and any of FIXED_RULES) outside
    the theme's baseline, one line per rule: its impact, how many nodes, and the first node."""
    found = []
    for violation in axe().run(page, options=options).response["violations"]:
        nodes = [node for node in violation["nodes"] if not in_baseline(violation["id"], node)]
        impacts = {node.get("impact") or violation["impact"] for node in nodes}
        if nodes and (impacts & FAILING_IMPACTS or violation["id"] in FIXED_RULES):
            first = nodes[0]
            summary = " ".join(first.get("failureSummary", "").split())
            found.append(
                f"{violation['id']} ({'/'.join(sorted(impacts))}): {len(nodes)} node(s), "
                f"first {first['target']} {first['html'][:120]!r}: {summary}"
            )
    return found


@pytest.fixture(scope="module")
def visits(open_page):
    """Each page visited once: its problems, images, math and buttons (checked by the tests below)."""
    found = {}
    for name in PAGES:
        page = open_page(f"{name}.html")
        has_math = page.locator(".math").count() > 0
        if has_math:
            page.wait_for_selector("mjx-container", state="attached")
        found[name] = {
            "problems": list(page.problems),
            "images": page.evaluate(IMAGES_JS),
            "has_math": has_math,
            "typeset": page.locator("mjx-container").count(),
            "colab": page.eval_on_selector_all(
                ".dropdown-launch-buttons a", "links => links.map(a => a.href)"
            ),
            "downloads": page.eval_on_selector_all(
                ".dropdown-download-buttons a", "links => links.map(a => a.href)"
            ),
            "accessibility": accessibility_problems(page),
        }
        page.context.close()
    return found


@pytest.fixture(scope="module")
def dark_contrast(open_page):
    """Each page in the dark theme: axe-core's colour-contrast problems."""
    found = {}
    for name in PAGES:
        page = open_page(f"{name}.html", color_scheme="dark")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        found[name] = accessibility_problems(page, AXE_DARK_OPTIONS) + page.problems
        page.context.close()
    return found


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_console_errors_or_internet(visits, name):
    assert visits[name]["problems"] == []


@pytest.mark.parametrize("name", PAGES)
def test_math_is_typeset_offline(visits, name):
    if not visits[name]["has_math"]:
        pytest.skip("no math on this page")
    assert visits[name]["typeset"] > 0, "MathJax did not typeset the page's math"


@pytest.mark.parametrize("name", PAGES)
def test_every_image_has_alt_text_and_loads(visits, name):
    images = visits[name]["images"]
    assert [img["src"] for img in images if not img["alt"]] == [], "images without alt text"
    assert [img["src"] for img in images if not img["loaded"]] == [], "images that did not load"


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violation(visits, name):
    """axe-core, light theme: nothing serious or critical beyond the theme's baseline."""
    assert visits[name]["accessibility"] == []


@pytest.mark.parametrize("name", PAGES)
def test_text_contrast_in_dark_theme(dark_contrast, name):
    assert dark_contrast[name] == []


def test_accessibility_check_fails_on_a_violation(open_page):
    """The check above can fail: text too pale to read and a list of non-items are reported,
    and the baseline hides nothing but the theme's own."""
    page = open_page("intro.html")
    page.evaluate("""() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('afterbegin',
            '<p id="pale" style="color:#bbbbbb;background:#ffffff">too pale to read</p>' +
            '<div id="not-a-list" role="list"><span>not an item</span></div>' +
            '<table id="blank-head"><tr><th></th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>');
    }""")
    problems = "\n".join(accessibility_problems(page))
    assert "color-contrast (serious)" in problems and "#pale" in problems
    assert "aria-required-children (critical)" in problems and "#not-a-list" in problems
    assert "empty-table-header (minor)" in problems
    page.context.close()


def test_bibliography_is_a_list_of_entries(base_url):
    """The bibliography's entries are list items, with no deprecated DPUB-ARIA role."""
    page = (HTML / "bibliography.html").read_text()
    assert 'role="doc-biblioentry"' not in page
    entries = re.findall(r'<div class="citation"[^>]*role="listitem"', page)
    assert len(entries) >= 5, "the bibliography lists the works cited"


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_has_colab_button_and_ipynb_download(visits, name):
    colab = [url for url in visits[name]["colab"] if url.startswith(COLAB_PREFIX)]
    assert len(colab) == 1, f"expected one Colab launch button, found {visits[name]['colab']}"
    assert colab[0].endswith(f"/{name}.ipynb")
    assert any(url.endswith(f"/_sources/{name}.ipynb") for url in visits[name]["downloads"])


def test_colab_button_opens_from_the_rocket_menu(open_page):
    """A reader clicks the rocket icon and sees "Colab" in the menu."""
    page = open_page(f"{CHAPTERS[0]}.html")
    page.click(".dropdown-launch-buttons button")
    link = page.locator(f'.dropdown-launch-buttons a[href^="{COLAB_PREFIX}"]')
    link.wait_for(state="visible")
    assert "Colab" in link.inner_text()
    page.context.close()


def test_search_finds_convolution(open_page):
    """Clicking "Search", typing and pressing Enter lists chapters about convolution."""
    page = open_page("intro.html")
    page.locator("button.search-button-field:visible").first.click()
    box = page.locator(".bd-search input[name='q']:visible").first
    box.fill("convolution")
    box.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=convolution"))
    page.wait_for_selector("#search-results ul.search li")
    results = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    assert any("/chapters/" in url for url in results), results
    assert page.problems == []
    page.context.close()


def test_next_links_lead_from_first_to_last_chapter(open_page, base_url):
    page = open_page(f"{CHAPTERS[0]}.html")
    visited = [CHAPTERS[0]]
    while visited[-1] != CHAPTERS[-1] and len(visited) <= len(CHAPTERS):
        page.click("a.right-next")
        page.wait_for_load_state("load")
        visited.append(page.url.split(base_url, 1)[1].removesuffix(".html"))
    assert visited == CHAPTERS
    assert page.problems == []
    page.context.close()


MIN_ALPHA_JS = """(img) => {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d'); ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let min = 255;
    for (let i = 3; i < data.length; i += 4) min = Math.min(min, data[i]);
    return min;
}"""


def chapter_with_figures(visits) -> str:
    for name in CHAPTERS:
        if any("_images/" in (img["src"] or "") for img in visits[name]["images"]):
            return name
    pytest.skip("no chapter page has a figure yet")


def test_figures_readable_in_dark_theme(open_page, visits):
    """In the dark theme the page turns dark, and every plot keeps its opaque white card."""
    name = chapter_with_figures(visits)
    shots = os.environ.get("CNN_BOOK_SCREENSHOTS")
    for scheme in ("light", "dark"):
        page = open_page(f"{name}.html", color_scheme=scheme)
        assert page.evaluate("document.documentElement.dataset.theme") == scheme
        figures = page.locator("main img[src*='_images/']")
        assert figures.count() > 0
        for i in range(figures.count()):
            src = figures.nth(i).get_attribute("src")
            assert figures.nth(i).evaluate(MIN_ALPHA_JS) == 255, f"{src} has transparent pixels"
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            figures.first.scroll_into_view_if_needed()
            page.screenshot(path=str(Path(shots) / f"{Path(name).name}_{scheme}.png"))
        assert page.problems == []
        page.context.close()


def test_execution_statistics_report_every_chapter_and_model(base_url):
    """The statistics page lists each executed chapter as a success, and each model's accuracy."""
    page = (HTML / "execution_statistics.html").read_text()
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, re.DOTALL)
    for name in CHAPTERS:
        row = [row for row in rows if f">{name}</span>" in row]
        assert row, f"{name} is not in the execution table"
        assert "\u2705" in row[0], f"{name} did not execute successfully: {row[0]}"
    accuracies = re.findall(r'class="pasted-text">(\d+\.\d\d)%<', page)
    assert accuracies and all(90 <= float(value) <= 100 for value in accuracies), accuracies
