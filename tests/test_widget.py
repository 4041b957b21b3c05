"""The draw-a-digit page in a real browser: the book's networks, run by the page's JavaScript.

Serves `_build/html` on 127.0.0.1 and opens `draw_a_digit.html` in headless Chromium
(Debian's `chromium`, driven by Playwright, as `tests/test_browser.py` does; any request
that leaves 127.0.0.1 is blocked and reported). Checks:

- parity: on the first 200 MNIST test images, the page's forward pass gives the digit Keras
  gives, and every probability within 1e-4 of `model.predict`, for both networks;
- preprocessing: on the 20 sample digits of chapter 9, the page's 28x28 image matches
  `helpers.digits.preprocess_digit` within PREPROCESS_TOLERANCE, and the digit read agrees;
- drawing: a 7 and a 1 drawn with pointer events are read as 7 and 1; a dot and an empty
  area get a message, not a guess; the buttons work from the keyboard; no console error and
  no request leaving the machine; axe-core finds no serious or critical violation, in the
  light and the dark theme.

Needs `make book` first (it trains the models and exports them for the page). Without
Chromium the tests are skipped locally and fail in CI.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = Path(os.environ.get("CNN_BOOK_HTML", ROOT / "_build" / "html"))
DATA = HTML / "_static" / "digit-widget-data"
MODELS = Path(os.environ.get("CNN_BOOK_MODELS") or ROOT / "_build" / "models")
SAMPLES = ROOT / "chapters" / "own_digits"
IN_CI = bool(os.environ.get("CI"))
CHROMIUM = os.environ.get("CNN_BOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PAGE = "draw_a_digit.html"
CLEAR = "button.dw-button:text-is('Clear')"
N_PARITY = 200
PROB_TOLERANCE = 1e-4
#: Largest difference allowed between a pixel of the page's 28x28 image and Python's, on the
#: sample digits. The arithmetic is the same, down to Pillow's integer grey weights and its
#: bilinear weights; measured here (Chromium 2026-12, Pillow 12.3) the largest difference was
#: 1.2e-7, float32 rounding. 1e-3 leaves room for a browser whose JPEG decoder rounds a grey
#: level differently, and still catches any real mistake (a one-pixel shift moves pixels by 0.5).
PREPROCESS_TOLERANCE = 1e-3


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def base_url():
    if not (HTML / PAGE).is_file():
        pytest.fail(f"no {PAGE} in {HTML}: run `make book` first")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(HTML)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
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


@pytest.fixture(scope="module")
def manifest():
    path = DATA / "digit-widget-manifest.json"
    if not path.is_file():
        pytest.fail(f"no {path}: the build did not run _ext/digit_widget.py")
    found = json.loads(path.read_text())
    if not found["networks"]:
        pytest.fail(f"the book was built without trained models ({found['missing']}): run `make book`")
    return found


def open_widget(browser, base_url, color_scheme="light"):
    """The page with its widget ready; problems (console errors, internet requests) in page.problems."""
    context = browser.new_context(color_scheme=color_scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.problems = []
    def on_console(message):
        # Chromium asks for /favicon.ico by itself once the page has loaded; the book has none.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            page.problems.append(f"console error: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.problems.append(f"uncaught error: {error}"))

    def block_external(route):
        page.problems.append(f"request to the internet: {route.request.url}")
        route.abort()

    page.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://"), block_external)
    page.goto(base_url + PAGE, wait_until="networkidle")
    page.evaluate("document.querySelector('.digit-widget').digitWidget.ready")
    page.wait_for_selector(".digit-widget canvas.dw-canvas")
    return page


def keras_model(name):
    from helpers.training import IMPROVED_RECIPE, SEED_RECIPE, load_trained

    recipe = {"seed_cnn": SEED_RECIPE, "improved_cnn": IMPROVED_RECIPE}[name]
    found = load_trained(recipe, MODELS)
    if found is None:
        pytest.fail(f"no trained {name} in {MODELS}: run `make book`")
    return found[0]


@pytest.fixture(scope="module")
def page(browser, base_url, manifest):
    page = open_widget(browser, base_url)
    yield page
    page.context.close()


PREDICT_JS = """async ([header, images]) => {
    const net = await window.digitWidget.loadNetwork('_static/digit-widget-data/', header);
    return images.map(pixels => window.digitWidget.forward(net, pixels.map(v => v / 255)));
}"""


@pytest.mark.parametrize("name", ["seed_cnn", "improved_cnn"])
def test_page_forward_pass_matches_keras(page, manifest, mnist, name):
    (_, _), (x_test, _) = mnist
    images = x_test[:N_PARITY]
    entry = [n for n in manifest["networks"] if n["name"] == name]
    assert entry, f"{name} was not exported for the page"
    got = np.array(page.evaluate(PREDICT_JS, [entry[0]["header"], images.reshape(len(images), -1).tolist()]))
    expected = keras_model(name).predict((images.astype(np.float32) / 255)[..., None], verbose=0)
    assert got.shape == (N_PARITY, 10)
    assert (got.argmax(axis=1) == expected.argmax(axis=1)).all()
    assert np.abs(got - expected).max() < PROB_TOLERANCE


PREPROCESS_JS = """async (file) => {
    const img = await window.digitWidget.loadImage('_static/digit-widget-data/' + file);
    const out = window.digitWidget.preprocess(window.digitWidget.pictureData(img, img.naturalWidth, img.naturalHeight));
    const net = await window.digitWidget.loadNetwork('_static/digit-widget-data/', 'seed_cnn.json');
    return {pixels: Array.from(out.pixels), probs: window.digitWidget.forward(net, out.pixels)};
}"""


def test_page_preprocessing_matches_chapter_9_on_the_samples(page, manifest):
    from helpers.digits import preprocess_digit

    model = keras_model("seed_cnn")
    assert len(manifest["samples"]) == len(list(SAMPLES.glob("[0-9]_*"))) > 0
    differences = {}
    for sample in manifest["samples"]:
        name = Path(sample["file"]).name
        result = page.evaluate(PREPROCESS_JS, sample["file"])
        expected = preprocess_digit(SAMPLES / name)
        differences[name] = float(np.abs(np.array(result["pixels"]).reshape(28, 28) - expected).max())
        keras_digit = int(model.predict(expected[None, ..., None], verbose=0).argmax())
        assert int(np.argmax(result["probs"])) == keras_digit, name
    assert max(differences.values()) < PREPROCESS_TOLERANCE, differences


SEVEN = [[(60, 55), (220, 55), (130, 245)]]
ONE = [[(150, 35), (140, 250)]]


def draw(page, strokes):
    """Draw strokes (canvas pixels, 280x280) with the mouse: pointerdown, pointermoves, pointerup."""
    box = page.locator(".dw-canvas").bounding_box()
    sx, sy = box["width"] / 280, box["height"] / 280
    for stroke in strokes:
        page.mouse.move(box["x"] + stroke[0][0] * sx, box["y"] + stroke[0][1] * sy)
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x * sx, box["y"] + y * sy, steps=15)
        page.mouse.up()


def status(page):
    return page.locator(".dw-status").inner_text()


@pytest.mark.parametrize("network", ["seed_cnn", "improved_cnn"])
def test_drawn_digits_are_read_and_clear_empties(page, network):
    page.select_option(".dw-select", network)
    for digit, strokes in ((7, SEVEN), (1, ONE)):
        page.click(CLEAR)
        draw(page, strokes)
        page.wait_for_function("document.querySelector('.dw-status').textContent.includes('reads a')")
        assert f"reads a {digit}," in status(page)
        assert page.locator(".dw-best .dw-bar-digit").inner_text() == str(digit)
    page.click(CLEAR)
    assert "empty" in status(page)
    assert page.locator(".dw-best").count() == 0
    assert page.evaluate("document.querySelector('.digit-widget').digitWidget.result") is None
    assert page.problems == []


def test_a_dot_gets_a_message_not_a_guess(page):
    page.click(CLEAR)
    draw(page, [[(140, 140), (141, 141)]])
    assert "only a dot" in status(page)
    assert page.locator(".dw-best").count() == 0


def test_keyboard_loads_a_sample_and_switches_network(page, manifest):
    page.click(CLEAR)
    page.locator(CLEAR).focus()
    page.keyboard.press("Tab")  # to "Load a sample digit"
    assert page.evaluate("document.activeElement.textContent") == "Load a sample digit"
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.dw-status').textContent.includes('reads a')")
    first = manifest["samples"][0]
    assert Path(first["file"]).name in page.locator(".dw-note").inner_text()
    assert f"reads a {first['label']}," in status(page)
    page.keyboard.press("Tab")  # to the network menu, labelled
    assert page.evaluate("document.activeElement.labels[0].textContent.trim()") == "Network"
    page.select_option(".dw-select", manifest["networks"][-1]["name"])
    page.wait_for_function("document.querySelector('.dw-status').textContent.includes('improved')")
    assert page.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation(browser, base_url, manifest, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page = open_widget(browser, base_url, color_scheme=scheme)
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    draw(page, SEVEN)
    page.wait_for_function("document.querySelector('.dw-status').textContent.includes('reads a')")
    # preload off: axe would refetch the theme's stylesheets and resolve their @import against
    # the page instead of the stylesheet (a 404 for /basic.css that no reader ever sees).
    results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    bad = [(v["id"], v["impact"], v["help"]) for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert bad == []
    assert page.problems == []
    page.context.close()
