"""The built book in a real browser, as a reader meets it.

Serves `_build/html` on 127.0.0.1 and opens every page in headless Chromium (Debian's
`chromium` package, driven by Playwright; nothing is downloaded at run time, and any request
that leaves 127.0.0.1 is blocked and reported). Checks: every page loads with no console
error and nothing fetched from the internet; math is typeset (MathJax is served by the book
itself); every image has alt text and loads; every chapter has the Colab launch button and
an .ipynb download; search finds "convolution"; "next" links lead from the first chapter to
the last; figures stay readable in the dark theme (opaque white plot backgrounds).

Needs `make book` first. Set CNN_BOOK_HTML to test another build folder, and
CNN_BOOK_SCREENSHOTS to a folder to keep light and dark screenshots of a chapter.
Without Chromium the tests are skipped locally and fail in CI (where `.ci/run` installs it).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = Path(os.environ.get("CNN_BOOK_HTML", ROOT / "_build" / "html"))
IN_CI = bool(os.environ.get("CI"))
CHROMIUM = os.environ.get("CNN_BOOK_CHROMIUM", "/usr/bin/chromium")
# Flags for a root, offline, headless machine: no sandbox (root), no GPU, and no background
# connections to Google's services (they would be refused here and are not the book's).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
COLAB_PREFIX = "https://colab.research.google.com/github/"
TIMEOUT_MS = 30_000


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


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def base_url():
    """The book served over HTTP on 127.0.0.1 (a free port), for this module's tests."""
    if not (HTML / "index.html").is_file():
        pytest.fail(f"no built book in {HTML}: run `make book` first")
    handler = functools.partial(QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium under Playwright; skipped locally (failed in CI) without it."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium; .ci/run does)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    if IN_CI:
        from playwright.sync_api import sync_playwright
    else:
        sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def open_page(browser, base_url: str, path: str, color_scheme: str = "light"):
    """A new page at `path` with its problems recorded in `page.problems`."""
    context = browser.new_context(color_scheme=color_scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.problems = []

    def on_console(message):
        if message.type == "error":
            page.problems.append(f"console error: {message.text}")

    def block_external(route):
        page.problems.append(f"request to the internet: {route.request.url}")
        route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.problems.append(f"uncaught error: {error}"))
    page.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://"), block_external)
    response = page.goto(base_url + path, wait_until="networkidle")
    if response is None or not response.ok:
        page.problems.append(f"HTTP {response.status if response else 'no response'} for {path}")
    return page


IMAGES_JS = """() => Array.from(document.querySelectorAll('img')).map(img => ({
    src: img.getAttribute('src'),
    alt: (img.getAttribute('alt') || '').trim(),
    loaded: img.complete && img.naturalWidth > 0,
}))"""


@pytest.fixture(scope="module")
def visits(browser, base_url):
    """Each page visited once: its problems, images, math and buttons (checked by the tests below)."""
    found = {}
    for name in PAGES:
        page = open_page(browser, base_url, f"{name}.html")
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
        }
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


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_has_colab_button_and_ipynb_download(visits, name):
    colab = [url for url in visits[name]["colab"] if url.startswith(COLAB_PREFIX)]
    assert len(colab) == 1, f"expected one Colab launch button, found {visits[name]['colab']}"
    assert colab[0].endswith(f"/{name}.ipynb")
    assert any(url.endswith(f"/_sources/{name}.ipynb") for url in visits[name]["downloads"])


def test_colab_button_opens_from_the_rocket_menu(browser, base_url):
    """A reader clicks the rocket icon and sees "Colab" in the menu."""
    page = open_page(browser, base_url, f"{CHAPTERS[0]}.html")
    page.click(".dropdown-launch-buttons button")
    link = page.locator(f'.dropdown-launch-buttons a[href^="{COLAB_PREFIX}"]')
    link.wait_for(state="visible")
    assert "Colab" in link.inner_text()
    page.context.close()


def test_search_finds_convolution(browser, base_url):
    """Clicking "Search", typing and pressing Enter lists chapters about convolution."""
    page = open_page(browser, base_url, "intro.html")
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


def test_next_links_lead_from_first_to_last_chapter(browser, base_url):
    page = open_page(browser, base_url, f"{CHAPTERS[0]}.html")
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


def test_figures_readable_in_dark_theme(browser, base_url, visits):
    """In the dark theme the page turns dark, and every plot keeps its opaque white card."""
    name = chapter_with_figures(visits)
    shots = os.environ.get("CNN_BOOK_SCREENSHOTS")
    for scheme in ("light", "dark"):
        page = open_page(browser, base_url, f"{name}.html", color_scheme=scheme)
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
