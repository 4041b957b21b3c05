"""Draw a digit in the notebook (chapter 9): a drawing area in a cell's output, and the way
from what it sends to the model's answer.

- `drawing_area()` is the drawing area: 280 x 280 pixels of white paper, a round black pen
  (mouse, finger or pen, through pointer events), and buttons to clear it and to download
  the drawing as a PNG file. Its HTML and JavaScript are self-contained: nothing is loaded
  from anywhere.
- `read_drawing(payload, model)` is the Python side: the drawing (a PNG data URL, as the
  drawing area sends it, or the grey values of its pixels) goes through chapter 9's
  `preprocess_digit` and the model, and comes back as a `Reading`: the 28x28 image the model
  saw, its ten probabilities and a sentence for the reader. An empty drawing area or a
  single dot gets a sentence and no guess.
- `register_in_colab(model)` connects the two in Colab: each finished stroke calls
  `read_drawing` in the notebook's kernel (Colab's `google.colab.kernel.invokeFunction`
  calling a function registered with `google.colab.output.register_callback`) and the answer
  appears under the drawing. Elsewhere (JupyterLab, Jupyter Notebook, the book's own pages)
  no kernel answers the page, so the drawing area says so and offers the PNG download; the
  file then goes through the same preprocessing as any picture (chapter 9, "Your own digit").

The drawing area's pen and the dot rule are those of the book's draw-a-digit page
(`_static/digit-widget.js`); its script and style are package data,
`helpers/_machinery/drawing_area.js` and `drawing_area.css`.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import math
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from string import Template
from typing import Any

import numpy as np

from helpers._validate import ElementId, Model, PathName, Text, accepts
from helpers.digits import ink_box, ink_on_black, load_grayscale, preprocess_digit

#: Name under which `register_in_colab` registers `read_drawing` for the drawing area.
CALLBACK_NAME = "cnn_book.read_drawing"
#: Side of the drawing area in pixels, and the width of its pen (as on the draw-a-digit page).
CANVAS_SIDE = 280
PEN_WIDTH = 22
#: A drawing whose ink fits in a square a tenth of the area's side is a dot, not a digit.
DOT_FRACTION = 0.1
#: Largest data URL accepted (characters): a 280 x 280 PNG takes a few kilobytes.
MAX_DATA_URL = 20_000_000
#: Picture types a data URL may hold.
DATA_URL_TYPES = ("image/png", "image/jpeg")

EMPTY_MESSAGE = "The drawing area is empty: draw one digit, 0 to 9."
DOT_MESSAGE = "That is only a dot: draw a whole digit that fills most of the area."


@dataclass(frozen=True)
class Reading:
    """What the model made of a drawing (`read_drawing`, chapter 9).

    `message` is a sentence for the reader. For a digit, `digit` is the model's answer (0-9),
    `probabilities` its ten probabilities (float32, shape (10,)) and `pixels` the 28x28 image
    it saw (float32 in [0, 1], ink 1); for an empty area or a dot all three are None.
    """

    message: str
    digit: int | None = None
    probabilities: np.ndarray | None = None
    pixels: np.ndarray | None = None

    def to_json(self) -> dict[str, Any]:
        """The reading as JSON-ready values (what the drawing area shows in Colab)."""
        return {
            "message": self.message,
            "digit": self.digit,
            "probabilities": None if self.probabilities is None else [float(p) for p in self.probabilities],
            "pixels": None if self.pixels is None else [round(float(v), 4) for v in self.pixels.ravel()],
        }


def _gray_from_data_url(url: str) -> np.ndarray:
    """A 'data:image/png;base64,...' URL as a grey float32 image (H, W) in [0, 1]."""
    from PIL import Image, UnidentifiedImageError

    head, comma, body = url.partition(",")
    kind = head[5:].split(";")[0] if head.startswith("data:") else ""
    if not comma or kind not in DATA_URL_TYPES or not head.endswith(";base64"):
        raise ValueError(
            "expected a data URL of a PNG or JPEG picture, 'data:image/png;base64,...'; "
            f"got a string starting {url[:30]!r}."
        )
    if len(url) > MAX_DATA_URL:
        raise ValueError(
            f"the data URL is {len(url):,} characters long; expected at most {MAX_DATA_URL:,} "
            "(a drawing is a few thousand)."
        )
    try:
        data = base64.b64decode(body, validate=True)
    except binascii.Error as error:
        raise ValueError(f"the data URL's base64 part could not be decoded ({error}).") from error
    try:
        with warnings.catch_warnings():  # a huge picture is refused, not decoded with a warning
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except UnidentifiedImageError as error:
        raise ValueError(f"the data URL says {kind}, but its bytes are not a picture Pillow can read.") from error
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ValueError(f"the data URL's picture is far too large for a drawing ({error}).") from error
    if image.format not in ("PNG", "JPEG"):
        raise ValueError(f"the data URL says {kind}, but holds a {image.format} picture; expected PNG or JPEG.")
    try:
        return load_grayscale(image)
    except (OSError, SyntaxError) as error:  # a truncated file fails when its pixels are decoded
        raise ValueError(f"the data URL's picture is incomplete ({error}).") from error


def _gray_from_values(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Grey values 0-255, flat (a square number of them, row by row) or (H, W), as float32 (H, W)."""
    try:
        array = np.asarray(values)
    except ValueError as error:  # ragged nested lists
        raise ValueError(
            "the grey values should form one rectangle of pixels (rows of equal length); "
            "got rows of different lengths."
        ) from error
    if array.dtype == np.bool_ or not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        kinds = {"U": "text", "S": "bytes", "b": "True/False values", "O": "mixed Python objects"}
        raise TypeError(
            f"the grey values should be whole numbers 0-255; got {kinds.get(array.dtype.kind, array.dtype)}."
        )
    if array.ndim == 1:
        side = math.isqrt(array.size)
        if side * side != array.size or array.size == 0:
            raise ValueError(
                "a flat list of grey values should hold a square image, side x side values "
                f"({CANVAS_SIDE} x {CANVAS_SIDE} = {CANVAS_SIDE ** 2:,} for the drawing area); got {array.size:,}."
            )
        array = array.reshape(side, side)
    if array.ndim != 2 or array.size == 0:
        raise ValueError(f"the grey values should be flat or (H, W), and not empty; got shape {array.shape}.")
    if not np.isfinite(array).all() or (array != np.round(array)).any() or array.min() < 0 or array.max() > 255:
        raise ValueError(
            "the grey values should be whole numbers 0-255 (0 black, 255 white); "
            f"got values from {array.min():g} to {array.max():g}."
        )
    return load_grayscale(array.astype(np.uint8))


def drawing_to_gray(payload: str | Sequence[Any] | np.ndarray) -> np.ndarray:
    """The drawing as a grey float32 image (H, W) in [0, 1], 0 black (chapter 9).

    `payload` is what the drawing area sends, a data URL of a PNG or JPEG picture
    ('data:image/png;base64,...'), or the picture's grey values 0-255 (0 black, 255 white):
    a flat list of side x side values row by row, or an (H, W) array. Raises TypeError for
    any other kind of object and ValueError for a malformed one.
    """
    if isinstance(payload, str):
        return _gray_from_data_url(payload)
    if isinstance(payload, (list, tuple, np.ndarray)):
        return _gray_from_values(payload)
    raise TypeError(
        "payload should be the drawing as a data URL string ('data:image/png;base64,...') or a list of "
        f"0-255 grey values; got {type(payload).__name__}."
    )


@accepts(model=Model())
def read_drawing(payload: str | Sequence[Any] | np.ndarray, model: Any) -> Reading:
    """What `model` reads in a drawing: a `Reading` (chapter 9).

    `payload` is a data URL or a list of grey values (see `drawing_to_gray`); `model` is a
    trained Keras model taking (1, 28, 28, 1) and giving 10 probabilities. The drawing goes
    through `preprocess_digit` and `model.predict`. An empty drawing, or ink that fits in a
    square a tenth of the drawing's side (a dot), gets a message and no prediction.
    Raises TypeError or ValueError for a bad payload or model.
    """
    gray = drawing_to_gray(payload)
    try:
        ink, _ = ink_on_black(gray)
    except ValueError:  # no ink stands out from the paper
        return Reading(EMPTY_MESSAGE)
    top, bottom, left, right = ink_box(ink)
    if max(bottom - top, right - left) < DOT_FRACTION * max(gray.shape):
        return Reading(DOT_MESSAGE)
    pixels = preprocess_digit(gray)
    probabilities = np.asarray(model.predict(pixels[None, ..., None], verbose=0), dtype=np.float32)
    if probabilities.shape != (1, 10) or not np.isfinite(probabilities).all():
        raise ValueError(
            f"the model should give 10 finite probabilities for one image, shape (1, 10); got shape {probabilities.shape}."
        )
    digit = int(probabilities[0].argmax())
    message = f"The network reads a {digit}, with probability {100 * probabilities[0, digit]:.1f} %."
    return Reading(message, digit, probabilities[0], pixels)


@accepts(path=PathName("the path of a PNG or JPEG file"))
def file_to_data_url(path: str | os.PathLike) -> str:
    """A PNG or JPEG file as a data URL, the form the drawing area sends (chapter 9)."""
    kind = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(path.suffix.lower())
    if kind is None or not path.is_file():
        raise ValueError(f"path should be an existing PNG or JPEG file (.png, .jpg or .jpeg); got {str(path)!r}.")
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


@accepts(model=Model(), name=Text())
def register_in_colab(model: Any, name: str = CALLBACK_NAME) -> bool:
    """In Colab, let the drawing area call `read_drawing(payload, model)` in this kernel (chapter 9).

    Registers a callback with `google.colab.output.register_callback`; a bad payload gets
    its error message back instead of a guess. Returns True in Colab, False elsewhere (where
    it does nothing).
    """
    try:
        from google.colab import output
    except ImportError:
        return False
    from IPython.display import JSON

    def callback(payload: Any) -> Any:
        try:
            return JSON(read_drawing(payload, model).to_json())
        except (TypeError, ValueError) as error:
            return JSON(Reading(f"The drawing could not be read: {error}").to_json())

    output.register_callback(name, callback)
    return True


class DrawingArea:
    """The drawing area as a notebook shows it (its `_repr_html_`); see `drawing_area`."""

    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # what a front end without HTML shows instead
        return f"DrawingArea({CANVAS_SIDE} x {CANVAS_SIDE} pixels; shown where a notebook runs HTML and JavaScript)"


def _package_text(name: str) -> str:
    """The text of one of the drawing area's files, shipped in the package (helpers/_machinery)."""
    return resources.files("helpers._machinery").joinpath(name).read_text(encoding="utf-8")


@accepts(callback=Text(), element_id=ElementId())
def drawing_area(callback: str = CALLBACK_NAME, element_id: str = "cnn-book-drawing-area") -> DrawingArea:
    """The drawing area, for a notebook to show (the last line of a cell): chapter 9.

    A 280 x 280 white area to draw one digit on with a mouse, a finger or a pen, buttons
    *Clear* and *Download PNG*, a status line (a live region) and, in Colab, the 28x28 image
    the model saw and its probabilities. In Colab each finished stroke sends the drawing as a
    PNG data URL to the function registered as `callback` (`register_in_colab`); elsewhere
    the status line says that no kernel answers and how to use the PNG instead.
    `element_id` must be unique on the page (one drawing area per notebook by default).
    """
    style = Template(_package_text("drawing_area.css")).substitute(id=element_id, side=CANVAS_SIDE)
    start = (f"cnnBookDrawingArea(document.getElementById({json.dumps(element_id)}), {json.dumps(callback)}, "
             f"{CANVAS_SIDE}, {PEN_WIDTH});")
    script = _package_text("drawing_area.js") + start
    html = f"""<div id="{element_id}" class="cnn-book-drawing-area">
<style>{style}</style>
<canvas class="cb-pad" width="{CANVAS_SIDE}" height="{CANVAS_SIDE}" role="img"
  aria-label="Drawing area: draw one digit here with a mouse, a finger or a pen"></canvas>
<div class="cb-row">
  <button type="button" class="cb-clear">Clear</button>
  <button type="button" class="cb-download">Download PNG</button>
  <canvas class="cb-seen" width="28" height="28" role="img" aria-label="The 28 by 28 image the model saw" hidden></canvas>
</div>
<p class="cb-status" role="status" aria-live="polite"></p>
<p class="cb-probs"></p>
<script>{script}</script>
</div>"""
    return DrawingArea(html)
