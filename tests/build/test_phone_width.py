"""Every built page on a 390-px phone: nothing scrolls sideways.

Opens each HTML page of `_build/html` (every chapter, every appendix page, the introduction,
the glossary, the instructor guide, the draw-a-digit page, the index and search pages) in
headless Chromium as a phone of 390 CSS px (is_mobile, touch, 3x pixels) and checks that the
document is no wider than the screen: `document.documentElement.scrollWidth <= clientWidth`.
A failure names the elements that stick out (outside any box that scrolls on its own), e.g.
a long inline code name that cannot wrap. `_static/a11y-reflow.css` is what keeps the pages
within the width. Uses the server and browser of tests/conftest.py; needs `make book` first.
"""

from __future__ import annotations

import pytest
from book_html import built_pages
from conftest import HTML, TIMEOUT_MS
from test_browser import DOCNAMES

pytestmark = pytest.mark.build  # serves _build/html
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
#: Every HTML page of the build, relative to it.
PAGES = [f"{page}.html" for page in built_pages()]

#: What sticks out past the right edge of the screen, outside any box that scrolls or clips on
#: its own (a table in its scroll container, a code cell): the widest few, with their text.
#: Fixed-position boxes (the theme's off-canvas sidebars, its skip link) are skipped.
STICKING_OUT_JS = """() => {
    const width = document.documentElement.clientWidth;
    const inOwnBox = el => {
        if (getComputedStyle(el).position === 'fixed') return true;
        for (let a = el.parentElement; a; a = a.parentElement) {
            const style = getComputedStyle(a);
            if (style.overflowX !== 'visible' || style.position === 'fixed') return true;
        }
        return false;
    };
    const found = [];
    for (const el of document.querySelectorAll('body *')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= width + 0.5 || inOwnBox(el)) continue;
        if (box.right <= el.parentElement.getBoundingClientRect().right + 0.5) continue;
        const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
        found.push({over: Math.round(box.right - width), what: `<${el.tagName.toLowerCase()} class="${el.className}">`, text});
    }
    return found.sort((a, b) => b.over - a.over).slice(0, 5);
}"""


def open_on_phone(browser, base_url, path: str):
    """`path` of the served book in a phone-sized browser context, its math typeset."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.route(r"**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort())
    response = page.goto(base_url + path, wait_until="networkidle")
    assert response is not None and response.ok, f"{path}: HTTP {response.status if response else 'no response'}"
    if page.locator(".math").count() > 0:
        page.wait_for_selector("mjx-container", state="attached")
    return page


def sideways_overflow(page) -> tuple[int, list[dict]]:
    """(pixels the page is wider than the screen, the elements that stick out)."""
    wider = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    return wider, page.evaluate(STICKING_OUT_JS) if wider > 0 else []


def test_every_page_of_the_book_is_among_the_pages_checked():
    """The list is the build's own files, so a new page (an appendix) is checked without an edit here."""
    if not PAGES:
        pytest.skip(f"no built book in {HTML}")
    missing = [name for name in DOCNAMES if f"{name}.html" not in PAGES]
    assert missing == [], f"pages of the TOC not built: {missing}"


@pytest.mark.parametrize("path", PAGES)
def test_page_does_not_scroll_sideways_on_a_phone(browser, base_url, path):
    page = open_on_phone(browser, base_url, path)
    assert page.evaluate("document.documentElement.clientWidth") == PHONE["viewport"]["width"]
    wider, culprits = sideways_overflow(page)
    page.context.close()
    assert wider <= 0, f"{path} scrolls sideways by {wider} px at 390 px; sticking out: {culprits}"


def test_phone_check_fails_on_a_page_that_is_too_wide(browser, base_url):
    """The check can fail: a block wider than the screen is found and named. And the CSS, not
    luck, keeps inline code in: a long unbreakable code name added to a paragraph wraps, but
    sticks out again when the book's rule for it is switched off."""
    page = open_on_phone(browser, base_url, "intro.html")
    assert sideways_overflow(page)[0] <= 0
    long_name = "tf.config.experimental.enable_op_determinism_of_every_operation_on_the_device()"
    page.evaluate(f"""() => document.querySelector('main p').insertAdjacentHTML('beforeend',
        ' <code class="docutils literal notranslate" id="long-code"><span class="pre">{long_name}</span></code>')""")
    assert sideways_overflow(page)[0] <= 0, "a long inline code name did not wrap"
    page.add_style_tag(content="#long-code span.pre { white-space: nowrap !important; }")
    wider, culprits = sideways_overflow(page)
    assert wider > 100 and any(long_name[:40] in c["text"] for c in culprits), (wider, culprits)
    page.evaluate("""() => document.querySelector('main p').insertAdjacentHTML('afterend',
        '<div id="too-wide" style="width: 600px">a block 600 px wide</div>')""")
    wider, culprits = sideways_overflow(page)
    assert wider >= 600 - 390 and any('a block 600 px wide' in c["text"] for c in culprits), (wider, culprits)
    page.context.close()
