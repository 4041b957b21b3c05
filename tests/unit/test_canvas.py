"""helpers.canvas: from what the notebook's drawing area sends to the model's answer (chapter 9).

A stand-in model (a fixed random linear map and a softmax, with `predict` like Keras's) keeps
these tests fast; tests/build/test_widget.py runs the drawing area in Chromium with the trained one.
"""

from __future__ import annotations

import base64
import io
import json
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from helpers.canvas import (
    CALLBACK_NAME,
    CANVAS_SIDE,
    DOT_MESSAGE,
    EMPTY_MESSAGE,
    PEN_WIDTH,
    drawing_area,
    drawing_to_gray,
    file_to_data_url,
    read_drawing,
    register_in_colab,
)
from helpers.digits import preprocess_digit

SAMPLES = Path(__file__).resolve().parents[2] / "chapters" / "own_digits"


class LinearModel:
    """Softmax of a fixed random linear map of the 784 pixels; records what it was given.

    Like a Keras model it has `layers` and `predict`, which is what `read_drawing` checks."""

    layers = ()

    def __init__(self, seed: int = 0) -> None:
        self.weights = np.random.default_rng(seed).normal(size=(784, 10)).astype(np.float32)
        self.seen: list[np.ndarray] = []

    def predict(self, x, verbose="auto"):
        self.seen.append(x)
        logits = x.reshape(len(x), -1) @ self.weights
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


def canvas_picture(strokes, side: int = CANVAS_SIDE) -> Image.Image:
    """What the drawing area holds: black round-pen strokes on white RGBA, like its canvas."""
    image = Image.new("RGBA", (side, side), (255, 255, 255, 255))
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        draw.line(stroke, fill=(17, 17, 17, 255), width=PEN_WIDTH, joint="curve")
        for x, y in (stroke[0], stroke[-1]):
            r = PEN_WIDTH / 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(17, 17, 17, 255))
    return image


def data_url(image: Image.Image, kind: str = "PNG") -> str:
    buffer = io.BytesIO()
    image.save(buffer, kind)
    mime = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/png"}[kind]
    return f"data:{mime};base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


SEVEN = [[(60, 55), (220, 55), (130, 245)]]


@pytest.fixture()
def model() -> LinearModel:
    return LinearModel()


def test_a_sample_file_reads_as_preprocess_digit_and_the_model_say(model):
    path = sorted(SAMPLES.glob("7_*"))[0]
    reading = read_drawing(file_to_data_url(path), model)
    expected = preprocess_digit(path)
    np.testing.assert_array_equal(reading.pixels, expected)
    probabilities = LinearModel().predict(expected[None, ..., None])[0]
    assert reading.digit == int(probabilities.argmax())
    np.testing.assert_allclose(reading.probabilities, probabilities, rtol=1e-6)
    assert model.seen[0].shape == (1, 28, 28, 1) and model.seen[0].dtype == np.float32
    assert reading.message == f"The network reads a {reading.digit}, with probability {100 * probabilities.max():.1f} %."


def test_a_drawing_reads_the_same_as_a_data_url_and_as_grey_values(model):
    picture = canvas_picture(SEVEN)
    from_url = read_drawing(data_url(picture), model)
    grey = np.asarray(picture.convert("L"))
    from_values = read_drawing(grey.ravel().tolist(), model)
    from_array = read_drawing(grey, model)
    np.testing.assert_array_equal(from_url.pixels, preprocess_digit(np.asarray(picture)))
    np.testing.assert_array_equal(from_values.pixels, from_url.pixels)
    np.testing.assert_array_equal(from_array.pixels, from_url.pixels)
    assert from_url.digit == from_values.digit == from_array.digit


def test_drawing_to_gray_gives_the_picture_in_0_1(model):
    gray = drawing_to_gray(data_url(canvas_picture(SEVEN)))
    assert gray.shape == (CANVAS_SIDE, CANVAS_SIDE) and gray.dtype == np.float32
    assert gray.max() == 1.0 and gray.min() == pytest.approx(17 / 255, abs=1 / 255)


def test_an_empty_area_and_a_dot_get_a_message_not_a_guess(model):
    blank = [255] * CANVAS_SIDE**2
    dot = canvas_picture([[(140, 140), (141, 141)]])
    for payload, message in ((blank, EMPTY_MESSAGE), (data_url(canvas_picture([])), EMPTY_MESSAGE),
                             (data_url(dot), DOT_MESSAGE)):
        reading = read_drawing(payload, model)
        assert reading.message == message
        assert reading.digit is None and reading.probabilities is None and reading.pixels is None
    assert model.seen == []  # the model was never asked


def test_a_short_stroke_is_a_digit_not_a_dot(model):
    """The dot rule is a tenth of the side: a 40-pixel stroke is read (a small 1, say)."""
    assert read_drawing(data_url(canvas_picture([[(140, 120), (140, 150)]])), model).digit is not None


def test_reading_to_json_is_plain_json(model):
    found = json.loads(json.dumps(read_drawing(data_url(canvas_picture(SEVEN)), model).to_json()))
    assert set(found) == {"message", "digit", "probabilities", "pixels"}
    assert len(found["probabilities"]) == 10 and len(found["pixels"]) == 784
    assert abs(sum(found["probabilities"]) - 1) < 1e-5
    assert read_drawing([255] * 784, model).to_json() == {
        "message": EMPTY_MESSAGE, "digit": None, "probabilities": None, "pixels": None}


def png_base64(payload: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(payload).decode("ascii")


def truncated_png() -> str:
    buffer = io.BytesIO()
    canvas_picture(SEVEN).save(buffer, "PNG")
    return png_base64(buffer.getvalue()[:300])


@pytest.mark.parametrize(
    ("payload", "error", "says"),
    [
        (None, TypeError, "data URL string"),
        (7, TypeError, "got int"),
        ({"pixels": []}, TypeError, "got dict"),
        ("hello", ValueError, "expected a data URL of a PNG or JPEG"),
        ("data:text/plain;base64,aGVsbG8=", ValueError, "expected a data URL of a PNG or JPEG"),
        ("data:image/png,rawtext", ValueError, "expected a data URL of a PNG or JPEG"),
        ("data:image/png;base64,@@not base64@@", ValueError, "base64"),
        (png_base64(b"just some text"), ValueError, "not a picture"),
        ("GIF", ValueError, "holds a GIF picture"),
        ("TRUNCATED", ValueError, "incomplete"),
        ([255] * 1000, ValueError, "square image"),
        ([], ValueError, "square image"),
        ([300] * 784, ValueError, "0-255"),
        ([0.5] * 784, ValueError, "whole numbers 0-255"),
        ([-1] * 784, ValueError, "0-255"),
        (["a"] * 784, TypeError, "whole numbers 0-255"),
        ([True] * 784, TypeError, "whole numbers 0-255"),
        ([[1, 2], [3]], ValueError, "one rectangle"),
        (np.zeros((28, 28, 3), np.uint8), ValueError, "flat or (H, W)"),
        ([0] * 9, ValueError, "too small"),
    ],
    ids=lambda value: None,
)
def test_bad_payloads_get_errors_that_say_what_was_expected(model, payload, error, says):
    if isinstance(payload, str) and payload == "GIF":
        payload = data_url(canvas_picture(SEVEN).convert("P"), "GIF")
    elif isinstance(payload, str) and payload == "TRUNCATED":
        payload = truncated_png()
    with pytest.raises(error) as raised:
        read_drawing(payload, model)
    assert says in str(raised.value)


def test_a_huge_picture_is_refused_before_it_is_decoded(model):
    buffer = io.BytesIO()
    Image.new("L", (9000, 9000), 255).save(buffer, "PNG")  # 81 megapixels, 100 KB of PNG
    with pytest.raises(ValueError, match="too large"):
        read_drawing(png_base64(buffer.getvalue()), model)


def test_a_bad_model_gets_a_clear_error():
    payload = data_url(canvas_picture(SEVEN))
    with pytest.raises(TypeError, match=r"model should be a Keras model; got the string 'model'"):
        read_drawing(payload, "model")
    with pytest.raises(TypeError, match=r"model should be a Keras model; got the \(model, history\) tuple"):
        read_drawing(payload, (LinearModel(), {"loss": [1.0]}))

    class NoLayers:  # what the old check let through: anything with a predict method
        def predict(self, x, verbose="auto"):
            return np.full((1, 10), 0.1)

    with pytest.raises(TypeError, match=r"model should be a Keras model; got NoLayers"):
        read_drawing(payload, NoLayers())

    class FiveClasses(LinearModel):
        def predict(self, x, verbose="auto"):
            return np.full((1, 5), 0.2)

    with pytest.raises(ValueError, match=r"shape \(1, 10\); got shape \(1, 5\)"):
        read_drawing(payload, FiveClasses())


def test_file_to_data_url_refuses_what_is_not_a_picture(tmp_path):
    (tmp_path / "digit.txt").write_text("7")
    for path in (tmp_path / "digit.txt", tmp_path / "missing.png"):
        with pytest.raises(ValueError, match="path should be an existing PNG or JPEG file"):
            file_to_data_url(path)
    with pytest.raises(TypeError, match=r"path should be the path of a PNG or JPEG file \(a str or Path\); got None"):
        file_to_data_url(None)


def test_outside_colab_nothing_is_registered(model):
    assert "google.colab" not in sys.modules
    assert register_in_colab(model) is False
    with pytest.raises(TypeError, match=r"model should be a Keras model; got None"):
        register_in_colab(None)


def test_in_colab_the_drawing_area_reaches_read_drawing(monkeypatch, model):
    registered = {}
    output = types.ModuleType("google.colab.output")
    output.register_callback = lambda name, function: registered.update({name: function})
    colab = types.ModuleType("google.colab")
    colab.output = output
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.output", output)
    assert register_in_colab(model) is True
    answer = registered[CALLBACK_NAME](data_url(canvas_picture(SEVEN))).data
    assert answer == read_drawing(data_url(canvas_picture(SEVEN)), LinearModel()).to_json()
    bad = registered[CALLBACK_NAME]("hello").data
    assert bad["digit"] is None and bad["message"].startswith("The drawing could not be read: expected a data URL")


def test_the_drawing_area_is_self_contained_and_labelled():
    html = drawing_area()._repr_html_()
    assert html.count("<canvas") == 2 and f'width="{CANVAS_SIDE}"' in html
    assert "touch-action: none" in html and 'role="status"' in html and 'aria-label="Drawing area' in html
    assert f'"{CALLBACK_NAME}"' in html and "google.colab.kernel.invokeFunction" in html
    assert "src=" not in html and "http" not in html  # nothing loaded from anywhere
    assert drawing_area()._repr_html_() == html  # the same every time (stable outputs)
    with pytest.raises(ValueError, match="element_id should hold only letters, digits and '-'"):
        drawing_area(element_id='x"><script>')
    with pytest.raises(TypeError, match="element_id should be a string; got None"):
        drawing_area(element_id=None)
    with pytest.raises(TypeError, match="callback should be a string; got int 3"):
        drawing_area(callback=3)
