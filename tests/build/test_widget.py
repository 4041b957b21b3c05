"""The draw-a-digit page in a real browser: the book's networks, run by the page's JavaScript.

Serves `_build/html` on 127.0.0.1 and opens `draw_a_digit.html` in headless Chromium
(Debian's `chromium`, driven by Playwright, as `tests/build/test_browser.py` does; any request
that leaves 127.0.0.1 is blocked and reported). Checks:

- parity: on the first 200 MNIST test images, the page's forward pass gives the digit Keras
  gives, and every probability within 1e-4 of `model.predict`, for both networks; and on
  the first 50, every layer's output the page draws is within 1e-4 of Keras's
  `keras.Model(model.inputs, layer.output)` (the largest difference per layer is printed);
- preprocessing: on the 20 sample digits of chapter 9, the page's 28x28 image matches
  `helpers.digits.preprocess_digit` within PREPROCESS_TOLERANCE, and the digit read agrees;
- inside the network: the blind band hatched over the 28x28 view is chapter 8's gradient
  mask as exported (and follows the export when it changes); ink in the band changes nothing
  in the article's network's answer; the shares of moved test digits each network misreads,
  as the page states them; the shift buttons, Clear and the tiles work from the keyboard and
  the live regions (the layer summary, both answers) follow; at 390 px the drawing area comes
  first, nothing scrolls sideways and the layers stack;
- drawing: a 7 and a 1 drawn with the mouse are read as 7 and 1; a dot and an empty area get
  a message, not a guess; the buttons work from the keyboard; no console error and no
  request leaving the machine; axe-core finds no serious or critical violation with a digit
  drawn, moved and a tile opened, in the light and the dark theme and at 390 px;
- touch and pen: in a browser context with a touch screen, a 7 and a 1 drawn with Chromium's
  own touch input and with pen input (the DevTools protocol's Input.dispatchTouchEvent and
  Input.dispatchMouseEvent with pointerType "pen") are read, with no pointercancel and no
  scrolling of the page (a control shows that without `touch-action: none` the same finger
  stroke scrolls the page); a second finger resting on the area draws nothing;
- chapter 9's notebook drawing area (helpers.canvas): with Colab's kernel bridge played by
  the test, strokes reach `read_drawing` and its answers show under the area; on the book's
  page of chapter 9 (no kernel) the area says so, and its PNG download reads as drawn.

Needs `make book` first (it trains the models and exports them for the page). Without
Chromium the tests are skipped locally and fail in CI. The server and the browser are
shared with tests/build/test_browser.py (tests/conftest.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.build  # serves _build/html and reads the models the book trained
ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("CNN_BOOK_HTML", ROOT / "_build" / "html"))
DATA = HTML / "_static" / "digit-widget-data"
MODELS = Path(os.environ.get("CNN_BOOK_MODELS") or ROOT / "_build" / "models")
SAMPLES = ROOT / "chapters" / "own_digits"
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


@pytest.fixture(scope="module")
def manifest():
    if not (HTML / PAGE).is_file():
        pytest.fail(f"no {PAGE} in {HTML}: run `make book` first")
    path = DATA / "digit-widget-manifest.json"
    if not path.is_file():
        pytest.fail(f"no {path}: the build did not run _ext/digit_widget.py")
    found = json.loads(path.read_text())
    if not found["networks"]:
        pytest.fail(f"the book was built without trained models ({found['missing']}): run `make book`")
    return found


def open_widget(open_page, color_scheme="light", has_touch=False):
    """The page with its widget ready; problems (console errors, internet requests) in page.problems."""
    page = open_page(PAGE, color_scheme=color_scheme, has_touch=has_touch, ignore_favicon=True)
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
def page(open_page, manifest):
    page = open_widget(open_page)
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


#: Resolves once the element has kept its place for five animation frames in a row (at most
#: about 5 s): after a resize or a scroll the layout and the browser's hit testing can lag a
#: frame behind, and a finger's fling goes on scrolling after the finger has left, so the
#: points of a stroke would land where the area used to be.
SETTLE_JS = """(selector) => new Promise(resolve => {
    let last = null, still = 0, frames = 0;
    const tick = () => {
        const r = document.querySelector(selector).getBoundingClientRect();
        const now = [r.left, r.top, r.width, r.height].join();
        still = now === last ? still + 1 : 0;
        last = now;
        if (still >= 5 || ++frames > 300) resolve(frames); else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
})"""


def viewport_points(page, stroke, steps=15, canvas=".dw-canvas"):
    """A stroke given in canvas pixels (280x280) as viewport points, `steps` per segment,
    measured once the drawing area has stopped moving."""
    page.evaluate(SETTLE_JS, canvas)
    box = page.locator(canvas).bounding_box()
    sx, sy = box["width"] / 280, box["height"] / 280
    points = [stroke[0]]
    for (x0, y0), (x1, y1) in zip(stroke[:-1], stroke[1:], strict=True):
        points += [(x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps) for k in range(1, steps + 1)]
    return [(box["x"] + x * sx, box["y"] + y * sy) for x, y in points]


def draw(page, strokes, device="mouse", canvas=".dw-canvas"):
    """Draw strokes (canvas pixels, 280x280) with the mouse, a finger or a pen.

    mouse: Playwright's mouse (pointerdown, pointermoves, pointerup). touch: Chromium's own
    touch input through the DevTools protocol (touchStart, touchMoves, touchEnd; the page
    gets pointer events of type "touch", as from a phone's screen; needs a context with
    has_touch). pen: mouse input that the protocol marks as a pen (pointer type "pen").
    """
    if device == "mouse":
        for stroke in strokes:
            first, *rest = viewport_points(page, stroke, steps=1, canvas=canvas)
            page.mouse.move(*first)
            page.mouse.down()
            for x, y in rest:
                page.mouse.move(x, y, steps=15)
            page.mouse.up()
        return
    cdp = page.context.new_cdp_session(page)
    try:
        for stroke in strokes:
            points = viewport_points(page, stroke, canvas=canvas)
            if device == "touch":
                for kind, (x, y) in zip(["touchStart"] + ["touchMove"] * (len(points) - 1), points, strict=True):
                    finger = {"x": x, "y": y, "id": 1, "radiusX": 4, "radiusY": 4, "force": 1}
                    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [finger]})
                cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
            elif device == "pen":
                pen = {"pointerType": "pen", "button": "left", "force": 0.5}
                (x, y), last = points[0], points[-1]
                cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y, "pointerType": "pen"})
                cdp.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x, "y": y, "buttons": 1,
                                                      "clickCount": 1, **pen})
                for x, y in points[1:]:
                    cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y, "buttons": 1, **pen})
                cdp.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": last[0], "y": last[1],
                                                      "buttons": 0, "clickCount": 1, **pen})
            else:
                raise ValueError(f"device should be 'mouse', 'touch' or 'pen'; got {device!r}")
    finally:
        cdp.detach()


def wait_for_text(page, selector, text):
    """Wait until the element `selector` shows `text`; on a timeout, fail saying what the page
    showed instead (the status line, where the drawing area was, any problem recorded)."""
    try:
        page.wait_for_function("([s, t]) => document.querySelector(s).textContent.includes(t)", arg=[selector, text])
    except PlaywrightTimeout:
        seen = page.evaluate("""(s) => ({shown: document.querySelector(s).textContent.trim(),
            status: document.querySelector('.dw-status').textContent.trim(),
            canvas: document.querySelector('.dw-canvas').getBoundingClientRect().toJSON(),
            scrollY: window.scrollY, width: window.innerWidth, height: window.innerHeight,
            strokes: document.querySelector('.digit-widget').digitWidget.strokes})""", selector)
        pytest.fail(f"{selector} never showed {text!r}: {seen}; problems: {getattr(page, 'problems', [])}")


def status(page):
    return page.locator(".dw-status").inner_text()


@pytest.mark.parametrize("network", ["seed_cnn", "improved_cnn"])
def test_drawn_digits_are_read_and_clear_empties(page, network):
    page.select_option(".dw-select", network)
    for digit, strokes in ((7, SEVEN), (1, ONE)):
        page.click(CLEAR)
        draw(page, strokes)
        wait_for_text(page, ".dw-status", "reads a")
        assert f"reads a {digit}," in status(page)
        assert page.locator(".dw-best .dw-bar-digit").inner_text() == str(digit)
    page.click(CLEAR)
    assert "empty" in status(page)
    assert page.locator(".dw-best").count() == 0
    assert page.evaluate("document.querySelector('.digit-widget').digitWidget.result") is None
    assert page.problems == []


#: Records, on the drawing area, the type of each pointer that went down and every
#: pointercancel (what a browser sends when it takes a touch over to scroll the page).
POINTER_LOG_JS = """() => {
    const canvas = document.querySelector('.dw-canvas');
    window.pointerLog = {down: [], cancelled: 0};
    canvas.addEventListener('pointerdown', e => window.pointerLog.down.push(e.pointerType));
    canvas.addEventListener('pointercancel', () => window.pointerLog.cancelled++);
    canvas.scrollIntoView({block: 'center'});
}"""


@pytest.fixture(scope="module")
def touch_page(open_page, manifest):
    """The widget in a browser context with a touch screen (as a phone or a tablet)."""
    page = open_widget(open_page, has_touch=True)
    page.evaluate(POINTER_LOG_JS)
    yield page
    page.context.close()


def draw_and_read(page, strokes, device):
    """Clear, draw `strokes` with `device`: (status line, pointer types that went down,
    pointercancels, how far the page scrolled meanwhile)."""
    page.click(CLEAR)
    page.evaluate("window.pointerLog.down = []; window.pointerLog.cancelled = 0")
    before = page.evaluate("window.scrollY")
    draw(page, strokes, device)
    wait_for_text(page, ".dw-status", "reads a")
    log = page.evaluate("window.pointerLog")
    return status(page), log["down"], log["cancelled"], page.evaluate("window.scrollY") - before


@pytest.mark.parametrize("device", ["touch", "pen"])
def test_digits_drawn_with_a_finger_or_a_pen_are_read(touch_page, device):
    """A 7 and a 1 drawn with touch or pen input are read, and the page does not scroll."""
    page = touch_page
    assert page.evaluate("document.scrollingElement.scrollHeight > window.innerHeight + 200"), \
        "the page should be long enough to scroll, or a scroll could not show"
    assert page.evaluate("window.scrollY") > 0
    for digit, strokes in ((7, SEVEN), (1, ONE)):
        said, down, cancelled, scrolled = draw_and_read(page, strokes, device)
        assert f"reads a {digit}," in said, (device, said)
        assert down == [device] * len(strokes)
        assert cancelled == 0 and scrolled == 0
    assert page.problems == []


def test_the_scroll_check_fails_when_touch_scrolls_the_page(touch_page):
    """The check above can fail: with the browser's default touch-action, the same finger
    stroke scrolls the page and the browser cancels the pointer."""
    page = touch_page
    page.evaluate("document.querySelector('.dw-canvas').style.touchAction = 'auto'")
    try:
        page.click(CLEAR)
        page.evaluate("window.pointerLog.down = []; window.pointerLog.cancelled = 0")
        before = page.evaluate("window.scrollY")
        draw(page, ONE, "touch")
        page.wait_for_function(f"window.scrollY !== {before}", timeout=5_000)
        assert page.evaluate("window.pointerLog.cancelled") == 1
    finally:
        page.evaluate("document.querySelector('.dw-canvas').style.touchAction = ''")
        page.evaluate("document.querySelector('.dw-canvas').scrollIntoView({block: 'center', behavior: 'instant'})")
        page.evaluate(SETTLE_JS, ".dw-canvas")  # the stroke's fling, if any, has stopped


def test_a_second_finger_does_not_draw(touch_page):
    """While one finger draws a 7, a second one resting on the area (a palm, a thumb)
    leaves no ink and does not break the stroke."""
    page = touch_page
    page.click(CLEAR)
    first = viewport_points(page, SEVEN[0])
    rest = viewport_points(page, [(250, 250)])[0]
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [
            {"x": first[0][0], "y": first[0][1], "id": 1}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [
            {"x": first[0][0], "y": first[0][1], "id": 1}, {"x": rest[0], "y": rest[1], "id": 2}]})
        for x, y in first[1:]:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
                {"x": x, "y": y, "id": 1}, {"x": rest[0], "y": rest[1], "id": 2}]})
        # The protocol lifts every finger missing from the list: first the drawing one, then the other.
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": rest[0], "y": rest[1], "id": 2}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    finally:
        cdp.detach()
    wait_for_text(page, ".dw-status", "reads a")
    assert "reads a 7," in status(page)
    grey_at_rest = page.evaluate("document.querySelector('.dw-canvas').getContext('2d').getImageData(250, 250, 1, 1).data[0]")
    assert grey_at_rest == 255, "the second finger drew"
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
    wait_for_text(page, ".dw-status", "reads a")
    first = manifest["samples"][0]
    assert Path(first["file"]).name in page.locator(".dw-note").inner_text()
    assert f"reads a {first['label']}," in status(page)
    page.keyboard.press("Tab")  # to the network menu, labelled
    assert page.evaluate("document.activeElement.labels[0].textContent.trim()") == "Network"
    page.select_option(".dw-select", manifest["networks"][-1]["name"])
    wait_for_text(page, ".dw-status", "improved")
    assert page.problems == []


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 390)])
def test_no_serious_accessibility_violation(open_page, manifest, scheme, width):
    """axe-core on the widget as a reader leaves it: a 7 drawn, moved one pixel into the band,
    a tile opened with its weights; on a desktop and on a 390-px phone."""
    from axe_playwright_python.sync_playwright import Axe

    page = open_widget(open_page, color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 900})
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    page.evaluate("document.querySelector('.dw-canvas').scrollIntoView({block: 'center', behavior: 'instant'})")  # clear of the sticky header, no smooth scroll
    draw(page, SEVEN)
    wait_for_text(page, ".dw-status", "reads a")
    page.click(SHIFT_RIGHT)
    wait_for_text(page, ".dw-shift-text", "Moved 1 right")
    page.locator(".dw-layers:not([hidden]) .dw-tile").nth(2).click()
    assert page.locator(".dw-weights td").count() == 9
    # preload off: axe would refetch the theme's stylesheets and resolve their @import against
    # the page instead of the stylesheet (a 404 for /basic.css that no reader ever sees).
    results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    bad = [(v["id"], v["impact"], v["help"]) for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert bad == []
    assert page.problems == []
    page.context.close()


# --- Inside the network: every layer, the blind band, the phone, the keyboard ---------------

N_LAYER_PARITY = 50
#: Every layer's output for each image, each as base64 of its float32 bytes (a compact way
#: out of the page for some 70,000 numbers an image).
LAYERS_JS = """async ([header, images]) => {
    const net = await window.digitWidget.loadNetwork('_static/digit-widget-data/', header);
    const b64 = a => { const bytes = new Uint8Array(Float32Array.from(a).buffer); let s = '';
        for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
        return btoa(s); };
    return {names: net.header.layers.map(l => l.name),
            outs: images.map(px => window.digitWidget.forwardLayers(net, px.map(v => v / 255)).map(t => b64(t.data)))};
}"""


def keras_layer_outputs(model, images):
    """{layer name: Keras's keras.Model(model.inputs, layer.output) on `images`}."""
    import keras

    probe = keras.Model(model.inputs, [layer.output for layer in model.layers])
    return dict(zip([layer.name for layer in model.layers], probe.predict(images, verbose=0), strict=True))


@pytest.mark.parametrize("name", ["seed_cnn", "improved_cnn"])
def test_every_layer_the_page_draws_equals_keras(page, manifest, mnist, name):
    """Each exported layer's output, as the page computes and draws it, equals the output of
    the Keras layer of the same name within 1e-4 on 50 test digits; prints the largest error."""
    import base64

    (_, _), (x_test, _) = mnist
    images = x_test[:N_LAYER_PARITY]
    header = [n for n in manifest["networks"] if n["name"] == name][0]["header"]
    expected = keras_layer_outputs(keras_model(name), (images.astype(np.float32) / 255)[..., None])
    errors = {}
    for start in range(0, N_LAYER_PARITY, 10):  # ten digits a call keeps each answer a few MB
        got = page.evaluate(LAYERS_JS, [header, images[start:start + 10].reshape(-1, 784).tolist()])
        assert got["names"] == list(expected), "the page's layers are not the Keras layers, in order"
        for i, outs in enumerate(got["outs"]):
            for layer, data in zip(got["names"], outs, strict=True):
                mine = np.frombuffer(base64.b64decode(data), dtype="<f4")
                keras_out = expected[layer][start + i].reshape(-1)
                assert mine.shape == keras_out.shape, layer
                errors[layer] = max(errors.get(layer, 0.0), float(np.abs(mine - keras_out).max()))
    print(f"{name}: largest difference per layer over {N_LAYER_PARITY} test digits:",
          ", ".join(f"{layer} {error:.1e}" for layer, error in errors.items()))
    assert max(errors.values()) < PROB_TOLERANCE, errors


def header_of(name):
    return json.loads((DATA / f"{name}.json").read_text())


def test_the_band_is_chapter_8s_mask_from_the_export(page, manifest, mnist):
    """The exported mask is what chapter 8 computes for the article's network (its gradient
    mask over the first 1,024 test digits, equal to the mask derived from the layers, 300
    pixels in rows and columns 22-27); the improved network's reads every pixel; and the
    hatching over the 28x28 view is that mask, cell for cell."""
    from helpers.data import prepare_images
    from helpers.inspection import gradient_mask, visible_mask

    (_, _), (x_test, _) = mnist
    seed = keras_model("seed_cnn")
    exported = np.array([[ch == "1" for ch in row] for row in header_of("seed_cnn")["input_seen"]["rows"]])
    assert header_of("seed_cnn")["input_seen"]["images"] == 1024
    assert np.array_equal(exported, gradient_mask(seed, prepare_images(x_test[:1024])))
    assert np.array_equal(exported, visible_mask(seed)) and int((~exported).sum()) == 300
    assert all(set(row) == {"1"} for row in header_of("improved_cnn")["input_seen"]["rows"])
    assert np.array_equal(overlay_hatched(page), ~exported)
    assert "the 300 pixels" in page.locator(".dw-band-text").inner_text()


def overlay_hatched(page):
    """Which of the 28x28 cells the band overlay covers (its colour at each cell's corner)."""
    alpha = page.evaluate("""() => { const c = document.querySelector('.dw-overlay'), s = c.width / 28;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const out = []; for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++)
            out.push(d[4 * ((y * s + 1) * c.width + x * s + 1) + 3]); return out; }""")
    return np.array(alpha).reshape(28, 28) > 0


def test_the_band_overlay_follows_the_exported_header_not_the_script(open_page, manifest):
    """Control: a header whose mask hides only row 0 gets row 0 hatched, and the page's
    sentence counts 28 pixels: the page takes the band from the export."""
    context_page = open_page(PAGE, ignore_favicon=True)
    header = header_of("seed_cnn")
    header["input_seen"]["rows"] = ["0" * 28] + ["1" * 28] * 27
    context_page.route("**/seed_cnn.json", lambda route: route.fulfill(body=json.dumps(header),
                                                                        content_type="application/json"))
    context_page.reload(wait_until="networkidle")
    context_page.evaluate("document.querySelector('.digit-widget').digitWidget.ready")
    wait_for_text(context_page, ".dw-band-text", "pixels")
    expected = np.zeros((28, 28), dtype=bool)
    expected[0] = True
    assert np.array_equal(overlay_hatched(context_page), expected)
    assert "the 28 pixels" in context_page.locator(".dw-band-text").inner_text()
    context_page.context.close()


#: The page's own shift and forward pass on one test digit: both networks' probabilities for
#: it moved `dx` right, and the article's network's for the same with the band erased.
BAND_JS = """async ([pixels, dx]) => {
    const w = window.digitWidget, base = '_static/digit-widget-data/';
    const seed = await w.loadNetwork(base, 'seed_cnn.json'), improved = await w.loadNetwork(base, 'improved_cnn.json');
    const rows = seed.header.input_seen.rows.join('');
    const moved = w.shiftPixels(Float32Array.from(pixels, v => v / 255), dx, 0);
    const erased = moved.map((v, p) => rows[p] === '1' ? v : 0);
    return {seed: w.forward(seed, moved), improved: w.forward(improved, moved), erased: w.forward(seed, erased),
            inBand: moved.reduce((s, v, p) => s + (rows[p] === '0' ? v : 0), 0)};
}"""


def shifted(images, dx):
    """Images (n, 28, 28) moved `dx` columns right (left when negative), zeros coming in."""
    out = np.zeros_like(images)
    if dx >= 0:
        out[:, :, dx:] = images[:, :, :images.shape[2] - dx]
    else:
        out[:, :, :dx] = images[:, :, -dx:]
    return out


N_SHIFTED = 1000


def test_what_moving_a_digit_shows_about_the_two_networks(page, mnist):
    """What the page says of moving digits: among the first 1,000 test digits both networks
    read correctly, the article's network misreads more than a quarter once they are moved
    four pixels right (into the band) and at least as many moved four left (away from it),
    the improved network fewer than one in fifty either way; and on the page, ink in the band
    changes nothing at all in the article's network's answer (erasing it gives the same)."""
    (_, _), (x_test, y_test) = mnist
    images, labels = x_test[:N_SHIFTED].astype(np.float32) / 255, y_test[:N_SHIFTED]
    seed, improved = keras_model("seed_cnn"), keras_model("improved_cnn")
    read = {name: {dx: model.predict(shifted(images, dx)[..., None], verbose=0).argmax(axis=1) == labels
                   for dx in (0, 4, -4)} for name, model in (("seed", seed), ("improved", improved))}
    both = read["seed"][0] & read["improved"][0]
    misread = {(name, dx): float((both & ~read[name][dx]).sum() / both.sum())
               for name in read for dx in (4, -4)}
    print("share of the digits both read at the centre that each misreads moved 4 px:", misread)
    assert misread[("seed", 4)] > 0.25 and misread[("seed", -4)] >= misread[("seed", 4)], misread
    assert misread[("improved", 4)] < 0.02 and misread[("improved", -4)] < 0.02, misread
    # On the page: digits the article's network misreads moved right, with ink in the band.
    for index in np.flatnonzero(both & ~read["seed"][4] & read["improved"][4])[:3]:
        got = page.evaluate(BAND_JS, [x_test[index].reshape(-1).tolist(), 4])
        assert got["inBand"] > 0
        assert int(np.argmax(got["seed"])) != labels[index] and int(np.argmax(got["improved"])) == labels[index]
        assert got["erased"] == got["seed"], "ink in the band changed the article's network's answer"


SHIFT_RIGHT = "button[aria-label='Shift right one pixel']"


def test_keyboard_shifts_and_clears_and_the_live_regions_follow(page):
    """From the keyboard alone: Tab from the network menu reaches the shift buttons, Enter
    moves the image the networks get one pixel a press, Centre again puts it back, Clear
    empties; the live regions (the layer summary, both answers) say each new state."""
    page.click(CLEAR)
    draw(page, SEVEN)
    wait_for_text(page, ".dw-summary", "Answer: 7.")
    summary_seven = page.locator(".dw-summary").inner_text()
    assert page.locator(".dw-summary").get_attribute("aria-live") == "polite"
    assert page.locator(".dw-compare").get_attribute("aria-live") == "polite"
    assert "conv2d_1: strongest channels" in summary_seven
    centred = page.evaluate("Array.from(document.querySelector('.digit-widget').digitWidget.result.pixels)")
    page.locator(".dw-select").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Shift left one pixel"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Shift right one pixel"
    before = page.locator(".dw-compare").inner_text()
    for _ in range(3):
        page.keyboard.press("Enter")
    wait_for_text(page, ".dw-shift-text", "Moved 3 right")
    page.wait_for_function(f"document.querySelector('.dw-compare').textContent !== {json.dumps(before)}")
    moved = np.array(page.evaluate("Array.from(document.querySelector('.digit-widget').digitWidget.result.pixels)"))
    assert np.array_equal(moved.reshape(28, 28), shifted(np.array(centred).reshape(1, 28, 28), 3)[0])
    compare = page.locator(".dw-compare").inner_text()
    assert compare.count(" reads a ") == 2 and "of the ink lies in the band" in compare
    for _ in range(3):  # past "up" and "down" to "Centre again"
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Centre again"
    page.keyboard.press("Space")
    wait_for_text(page, ".dw-shift-text", "centre of mass")
    page.locator(CLEAR).focus()
    page.keyboard.press("Enter")
    assert "empty" in status(page)
    assert page.locator(".dw-summary").inner_text() == ""
    draw(page, ONE)
    wait_for_text(page, ".dw-summary", "Answer: 1.")
    assert page.locator(".dw-summary").inner_text() != summary_seven
    assert page.problems == []


def test_a_tile_opens_from_the_keyboard_with_its_filter(page):
    """Tab reaches a layer's first tile, an arrow key the next, Enter shows that channel at
    full size with the 3 x 3 weights of its filter."""
    page.click(CLEAR)
    draw(page, SEVEN)
    wait_for_text(page, ".dw-summary", "Answer: 7.")
    first = page.locator(".dw-layers:not([hidden]) .dw-tile").first
    first.focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").endswith(
        "channel 1: show it at full size with its filter")
    page.keyboard.press("Enter")
    assert ", channel 1 (" in page.locator(".dw-detail-title").inner_text()
    assert page.locator(".dw-weights td").count() == 9
    assert page.problems == []


def test_on_a_phone_the_canvas_comes_first_and_the_maps_stack(open_page, manifest):
    """At 390 px wide: no sideways scrolling; the drawing area is the widget's first thing
    on screen; every layer's tiles fit the width and the layers follow one another down."""
    page = open_widget(open_page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.select_option(".dw-select", "improved_cnn")
    page.evaluate("document.querySelector('.dw-canvas').scrollIntoView({block: 'center', behavior: 'instant'})")  # clear of the sticky header, no smooth scroll
    draw(page, SEVEN)
    wait_for_text(page, ".dw-summary", "Answer: ")
    boxes = page.evaluate("""() => {
        const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top + scrollY, r.right, r.bottom + scrollY]; };
        const shown = s => Array.from(document.querySelectorAll(s)).filter(e => e.offsetParent !== null).map(box);
        return {scroll: document.documentElement.scrollWidth, canvas: box(document.querySelector('.dw-canvas')),
                parts: shown('.digit-widget .dw-results, .digit-widget .dw-band, .digit-widget .dw-inside'),
                layers: shown('.digit-widget .dw-layer'), tiles: shown('.digit-widget .dw-tiles, .digit-widget .dw-strip')};
    }""")
    assert boxes["scroll"] <= 390, f"the page scrolls sideways: {boxes['scroll']} px wide"
    assert all(boxes["canvas"][3] <= top for _, top, _, _ in boxes["parts"]), "something comes before the drawing area"
    # conv2d_1 to conv2d_3 and their poolings as tiles, flatten and dense_hidden as strips
    assert len(boxes["layers"]) == 7 and len(boxes["tiles"]) == 7
    assert all(0 <= left and right <= 390 for left, _, right, _ in boxes["tiles"])
    assert all(a[3] <= b[1] for a, b in zip(boxes["layers"], boxes["layers"][1:], strict=False)), "layers side by side"
    assert page.problems == []
    page.context.close()


# --- Chapter 9's drawing area for the notebook (helpers.canvas) ------------------------------

#: Colab's side of the drawing area, played by the test: `google.colab.kernel.invokeFunction`
#: hands the payload to Python (here `window.readDrawing`, exposed by Playwright) and answers
#: with what the registered function returned, as Colab does ({data: {"application/json": ...}}).
FAKE_COLAB_JS = """window.google = {colab: {kernel: {invokeFunction: (name, args, kwargs) => {
    window.colabCalls = (window.colabCalls || []).concat([name]);
    return window.readDrawing(args[0]).then(json => ({data: {"application/json": json}}));
}}}};"""


def test_notebook_drawing_area_in_colab_reads_a_7_and_a_1(browser):
    """In Colab (its kernel bridge played by the test), strokes drawn with a finger and a pen
    reach `read_drawing` with the trained network, and its answers appear under the area."""
    from helpers.canvas import CALLBACK_NAME, drawing_area, read_drawing

    model = keras_model("seed_cnn")
    context = browser.new_context(has_touch=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.expose_function("readDrawing", lambda payload: read_drawing(payload, model).to_json())
    page.add_init_script(FAKE_COLAB_JS)
    html = f"<!doctype html><html lang='en'><body><main>{drawing_area()._repr_html_()}</main></body></html>"
    page.route("http://127.0.0.1/cell-output.html", lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto("http://127.0.0.1/cell-output.html")  # answered by the route: no server, no request
    area = "#cnn-book-drawing-area"
    assert "reads it when you lift the pen" in page.locator(f"{area} .cb-status").inner_text()
    for digit, strokes, device in ((7, SEVEN, "touch"), (1, ONE, "pen")):
        page.click(f"{area} .cb-clear")
        draw(page, strokes, device, canvas=f"{area} .cb-pad")
        page.wait_for_function(f"document.querySelector('{area} .cb-status').textContent.includes('reads a')")
        assert f"The network reads a {digit}," in page.locator(f"{area} .cb-status").inner_text()
        assert f"{digit}: " in page.locator(f"{area} .cb-probs").inner_text()
        seen = page.evaluate(f"Array.from(document.querySelector('{area} .cb-seen').getContext('2d')"
                             ".getImageData(0, 0, 28, 28).data).filter((v, i) => i % 4 === 0 && v < 128).length")
        assert seen > 20 and page.locator(f"{area} .cb-seen").is_visible(), "the 28x28 image the model saw is shown"
    assert page.evaluate("window.colabCalls") == [CALLBACK_NAME] * (len(SEVEN) + len(ONE))
    assert problems == []
    context.close()


def test_chapter_9_page_offers_the_drawing_as_a_png_that_reads_as_drawn(open_page, manifest, tmp_path):
    """Outside Colab (here, the book's page of chapter 9) the area says no kernel answers,
    and its PNG download, read by `read_drawing` with the trained network, gives the digit."""
    from helpers.canvas import file_to_data_url, read_drawing

    page = open_page("chapters/09_your_own_digit.html", has_touch=True, ignore_favicon=True)
    area = "#cnn-book-drawing-area"
    page.locator(f"{area} .cb-pad").scroll_into_view_if_needed()
    assert "No Python kernel answers" in page.locator(f"{area} .cb-status").inner_text()
    draw(page, SEVEN, "touch", canvas=f"{area} .cb-pad")
    assert not page.locator(f"{area} .cb-seen").is_visible()  # no model has seen anything here
    with page.expect_download() as download:
        page.click(f"{area} .cb-download")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "drawing.png"
    assert read_drawing(file_to_data_url(path), keras_model("seed_cnn")).digit == 7
    assert page.problems == []
    page.context.close()
