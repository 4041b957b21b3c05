"""From a picture of a digit to an MNIST-style input (chapter 9).

MNIST's digits were made like this (LeCun et al.): the scanned ink was scaled to fit a
20x20 box, keeping its aspect ratio, and the box was placed in a 28x28 field so that the
ink's centre of mass sits at the centre. The network only ever saw digits made that way:
ink high on a background of 0 (white on black when 0 is drawn black), about 20 pixels
tall, centred by mass. A photo of a digit on paper is none of those things, so before the
model sees it we repeat MNIST's steps:

1. `load_grayscale`: read a file or an array; colour becomes grey; values become [0, 1].
2. `ink_on_black`: invert if the background is light; paper becomes 0 and the ink 1.
3. `crop_to_ink`: cut away everything around the ink.
4. `fit_in_box`: scale the ink into a 20x20 box, keeping its aspect ratio.
5. `center_by_mass`: place it in 28x28 with its centre of mass at (14, 14).

`preprocess_digit` runs all five. Bad input (an empty or blank image, a file that is not an
image, an image too small or too large to be a digit, a wrong dtype or shape, NaN) raises a
ValueError saying what was expected and what came, before TensorFlow ever sees it; an argument
of the wrong kind (a seed where a Generator is expected, a fractional count) a TypeError.

The second half of the module draws the sample digits the book ships (`make_sample_digits`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from helpers import _validate as _v

#: Side of an MNIST image and of the box its ink is scaled into.
MNIST_SIZE = 28
MNIST_BOX = 20
#: Where MNIST puts the ink's centre of mass (row, column), measured on its test set.
MNIST_CENTER = (14.0, 14.0)
#: Smallest image side accepted: fewer pixels cannot hold a readable digit.
MIN_SIDE = 8
#: Largest image accepted (pixels): 40 megapixels, a large phone photo.
MAX_PIXELS = 40_000_000
#: Longer side that larger images are first shrunk to (the result is 28x28 anyway).
WORK_SIDE = 1024
#: File types read (anything Pillow decodes with one of these suffixes).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")
#: Ink must differ from the background by at least this much (on a 0-1 scale).
MIN_CONTRAST = 0.15
#: After stretching, pixels below this fraction of the ink's strength count as paper.
INK_THRESHOLD = 0.25

# Luma weights of ITU-R BT.601, the ones Pillow's convert("L") uses.
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


# --- Step 1: any picture to a grey 2-D array in [0, 1] --------------------------------------


def _check_side(height: int, width: int, source: str) -> None:
    if min(height, width) < MIN_SIDE:
        raise ValueError(
            f"{source} is {height}x{width} pixels: too small to hold a readable digit; "
            f"expected at least {MIN_SIDE}x{MIN_SIDE}."
        )
    if height * width > MAX_PIXELS:
        raise ValueError(
            f"{source} is {height}x{width} pixels ({height * width / 1e6:.0f} megapixels): "
            f"too large; expected at most {MAX_PIXELS / 1e6:.0f} megapixels. Shrink or crop it first."
        )


def _gray_from_array(array: np.ndarray) -> np.ndarray:
    """Check an image array and return it as float32 (H, W) in [0, 1]."""
    if array.size == 0:
        raise ValueError(f"the image is empty: got an array of shape {array.shape}.")
    if not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (1, 3, 4))):
        hint = ""
        if array.ndim in (3, 4) and array.shape[0] in (1, 3, 4):
            hint = " Channels go last, (H, W, 3); for a batch of one, take image[0]."
        raise ValueError(
            "expected one image of shape (H, W), (H, W, 1), (H, W, 3) or (H, W, 4); "
            f"got shape {array.shape}.{hint}"
        )
    _check_side(array.shape[0], array.shape[1], source="the image")
    if array.dtype == np.bool_:
        array = array.astype(np.float32)
    elif np.issubdtype(array.dtype, np.integer):
        low, high = int(array.min()), int(array.max())
        if array.dtype == np.uint16 and high > 255:  # a 16-bit image
            array = array.astype(np.float32) / 65535.0
        elif low < 0 or high > 255:
            raise ValueError(f"integer pixels should be 0-255 (uint8); got values from {low} to {high}.")
        else:
            array = array.astype(np.float32) / 255.0
    elif np.issubdtype(array.dtype, np.floating):
        _v.finite(array, "the image")
        array = array.astype(np.float32)
        low, high = float(array.min()), float(array.max())
        if low < 0 or high > 1:
            hint = " Divide 0-255 pixels by 255 first, or pass them as uint8." if high <= 255 else ""
            raise ValueError(f"float pixels should be in [0, 1]; got values from {low:g} to {high:g}.{hint}")
    else:
        raise ValueError(f"an image should hold numbers (uint8 or float); got dtype {array.dtype}.")
    if array.ndim == 3 and array.shape[2] == 4:  # RGBA: lay it on white paper first
        alpha = array[:, :, 3:4]
        array = array[:, :, :3] * alpha + (1.0 - alpha)
    if array.ndim == 3 and array.shape[2] == 3:
        array = array @ _LUMA
    elif array.ndim == 3:
        array = array[:, :, 0]
    return np.clip(array, 0.0, 1.0).astype(np.float32)


def _open_image_file(path: Path) -> Any:
    """Open `path` with Pillow after checking it exists, has an image suffix and a sane size."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not path.exists():
        raise ValueError(f"no file at {path}; expected the path of a PNG or JPEG image.")
    if not path.is_file():
        raise ValueError(f"{path} is a folder; expected the path of a PNG or JPEG image.")
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise ValueError(
            f"{path.name} is not an image file: expected one of {', '.join(IMAGE_SUFFIXES)}; "
            f"got {path.suffix or 'no suffix'!r}."
        )
    try:
        image = Image.open(path)
        _check_side(image.height, image.width, source=path.name)  # before decoding any pixels
        image.load()
    except UnidentifiedImageError as error:
        raise ValueError(
            f"{path.name} could not be read as an image: its contents are not a picture format "
            "Pillow knows; expected a PNG or JPEG file."
        ) from error
    except (OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValueError(
            f"{path.name} could not be read as an image ({error}); expected a complete PNG or JPEG file."
        ) from error
    return ImageOps.exif_transpose(image)  # phone photos store their rotation in EXIF


def _gray_from_pil(image: Any) -> np.ndarray:
    """A Pillow image as float32 (H, W) in [0, 1]; transparent pixels become white paper."""
    from PIL import Image

    if image.mode.startswith("I;16"):  # 16-bit grey
        return _gray_from_array(np.asarray(image, dtype=np.float32) / 65535.0)
    if image.mode == "I":  # 32-bit integers: 0-255 or 16-bit values
        values = np.asarray(image, dtype=np.float32)
        return _gray_from_array(np.clip(values / (255.0 if values.max() <= 255 else 65535.0), 0.0, 1.0))
    if image.mode == "F":  # floats: must already be in [0, 1]
        return _gray_from_array(np.asarray(image, dtype=np.float32))
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, rgba)
    return _gray_from_array(np.asarray(image.convert("L")))


def _shrink(gray: np.ndarray, longest: int = WORK_SIDE) -> np.ndarray:
    """Shrink so the longer side is at most `longest`, keeping the aspect ratio."""
    from PIL import Image

    height, width = gray.shape
    if max(height, width) <= longest:
        return gray
    scale = longest / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return np.asarray(Image.fromarray(gray).resize(size, Image.Resampling.BOX), dtype=np.float32)


def load_grayscale(image: str | os.PathLike | np.ndarray | Any) -> np.ndarray:
    """Step 1: a picture of a digit as a grey float32 array (H, W) in [0, 1] (0 is black).

    `image` is a file path (PNG, JPEG, ...; read with Pillow, EXIF rotation applied), a
    NumPy array ((H, W) grey, (H, W, 3) RGB or (H, W, 4) RGBA; uint8 0-255, float 0-1 or
    bool) or a Pillow image. Colour becomes grey with the BT.601 weights
    0.299 R + 0.587 G + 0.114 B; transparent pixels become white paper. Images whose longer
    side exceeds 1024 pixels are shrunk to 1024 first (the result is 28x28 anyway).
    Raises ValueError for anything else: a missing or non-image file, an empty array, a
    side under 8 pixels, more than 40 megapixels, NaN, or values out of range.
    Introduced in chapter 9.
    """
    if isinstance(image, (str, os.PathLike)):
        gray = _gray_from_pil(_open_image_file(Path(image)))
    elif isinstance(image, np.ndarray):
        gray = _gray_from_array(image)
    elif type(image).__module__.startswith("PIL."):
        _check_side(image.height, image.width, source="the image")
        gray = _gray_from_pil(image)
    else:
        raise ValueError(
            "expected a file path, a NumPy array or a Pillow image of a digit; "
            f"got {type(image).__name__}."
        )
    return _shrink(gray)


# --- Steps 2-5: MNIST's own preprocessing ---------------------------------------------------


def _check_2d(image: np.ndarray, name: str) -> np.ndarray:
    image = _v.as_array(image, name)
    if image.ndim != 2 or image.size == 0:
        raise ValueError(f"{name} should be a non-empty 2-D grey image (H, W); got shape {image.shape}.")
    if not np.issubdtype(image.dtype, np.floating):
        hint = " Run load_grayscale first, which scales uint8 pixels to [0, 1]." if image.dtype == np.uint8 else ""
        raise ValueError(f"{name} should hold floats in [0, 1]; got dtype {image.dtype}.{hint}")
    _v.finite(image, name)
    if image.min() < 0 or image.max() > 1:
        raise ValueError(f"{name} should be in [0, 1]; got values from {image.min():g} to {image.max():g}.")
    return image.astype(np.float32)


def background_level(gray: np.ndarray) -> float:
    """The paper's grey level: the median of the image's outermost pixels (chapter 9)."""
    gray = _check_2d(gray, "gray")
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return float(np.median(border))


def ink_on_black(gray: np.ndarray) -> tuple[np.ndarray, bool]:
    """Step 2: make the ink white (1) on a black (0) background, like MNIST.

    `gray` is float (H, W) in [0, 1]. If the background (`background_level`) is light, the
    image is inverted. Then the background level is subtracted and the contrast stretched
    so the strongest ink is 1; what stays under 0.25 of that (paper texture, noise, uneven
    light) becomes 0. Returns (ink, inverted). Raises ValueError when no ink stands out:
    a blank page, an all-white or all-black image. Introduced in chapter 9.
    """
    gray = _check_2d(gray, "gray")
    background = background_level(gray)
    inverted = background > 0.5
    ink = (1.0 - gray) if inverted else gray
    ink = ink - (1.0 - background if inverted else background)
    strength = float(ink.max())
    if strength < MIN_CONTRAST:
        raise ValueError(
            f"no ink found: every pixel is within {max(strength, 0.0):.2f} of the background "
            f"level {background:.2f}; expected a digit at least {MIN_CONTRAST} darker or lighter "
            "than its background (is the image blank?)."
        )
    ink = np.clip(ink / strength, 0.0, 1.0)
    ink[ink < INK_THRESHOLD] = 0.0
    return ink.astype(np.float32), inverted


def ink_box(ink: np.ndarray) -> tuple[int, int, int, int]:
    """The ink's bounding box (top, bottom, left, right), bottom and right exclusive.

    Specks of a single pixel are ignored (a 3x3 median filter runs first, unless that
    would erase every stroke). Raises ValueError if there is no ink. Chapter 9.
    """
    from PIL import Image, ImageFilter

    ink = _check_2d(ink, "ink")
    despeckled = np.asarray(Image.fromarray(ink).filter(ImageFilter.MedianFilter(3)))
    mask = despeckled > 0 if (despeckled > 0).any() else ink > 0
    if not mask.any():
        raise ValueError("no ink found: the image is all background; expected a digit.")
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def crop_to_ink(ink: np.ndarray) -> np.ndarray:
    """Step 3: cut `ink` (float (H, W), white on black) down to its ink's bounding box."""
    top, bottom, left, right = ink_box(ink)
    return np.asarray(ink, dtype=np.float32)[top:bottom, left:right].copy()


def box_size(height: int, width: int, box: int = MNIST_BOX) -> tuple[int, int]:
    """(new height, new width) of an ink crop scaled so its longer side is `box` (chapter 9).

    The aspect ratio is kept; the shorter side is rounded and is at least 1 pixel.
    """
    height, width, box = (_v.whole(v, n, minimum=None) for v, n in ((height, "height"), (width, "width"), (box, "box")))
    if min(height, width, box) < 1:
        raise ValueError(f"height, width and box must be positive; got {height}, {width}, {box}.")
    scale = box / max(height, width)
    return max(1, round(height * scale)), max(1, round(width * scale))


def fit_in_box(crop: np.ndarray, box: int = MNIST_BOX) -> np.ndarray:
    """Step 4: scale the ink crop so its longer side is `box` pixels (20 for MNIST).

    Keeps the aspect ratio (a "1" stays thin); bilinear resampling with anti-aliasing gives
    the soft grey edges MNIST's digits have. The result is stretched so its strongest pixel
    is 1. Returns float32 (h, w) with max(h, w) == box. Introduced in chapter 9.
    """
    from PIL import Image

    crop = _check_2d(crop, "crop")
    box = _v.whole(box, "box", minimum=None, maximum=WORK_SIDE)
    if crop.max() <= 0:
        raise ValueError("the crop holds no ink (all zeros); expected white ink on black.")
    height, width = box_size(*crop.shape, box=box)
    resized = np.asarray(
        Image.fromarray(crop).resize((width, height), Image.Resampling.BILINEAR), dtype=np.float32
    )
    resized = np.clip(resized, 0.0, None)
    return (resized / resized.max()).astype(np.float32)


def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the ink's centre of mass: pixel indices weighted by brightness.

    Chapter 9. Raises ValueError for an image without ink.
    """
    image = _v.as_array(image, "image")
    if image.ndim != 2 or image.size == 0:
        raise ValueError(f"expected a 2-D image (H, W); got shape {image.shape}.")
    if image.dtype == np.bool_:
        image = image.astype(np.float64)
    _v.finite(image, "image")
    image = image.astype(np.float64)
    if image.min() < 0:
        raise ValueError(f"image should hold ink brightness, 0 or more; got a minimum of {image.min():g}.")
    total = image.sum()
    if total <= 0:
        raise ValueError("the image has no ink (all zeros), so no centre of mass.")
    rows, cols = np.indices(image.shape)
    return float((rows * image).sum() / total), float((cols * image).sum() / total)


def center_by_mass(
    boxed: np.ndarray, size: int = MNIST_SIZE, center: tuple[float, float] = MNIST_CENTER
) -> np.ndarray:
    """Step 5: place the boxed digit in a `size` x `size` black field, centred by mass.

    The digit is shifted by whole pixels so that its centre of mass lands as close to
    `center` as possible without any ink leaving the field. Returns float32 (28, 28) in
    [0, 1]. Introduced in chapter 9.
    """
    boxed = _check_2d(boxed, "boxed")
    size = _v.whole(size, "size", maximum=WORK_SIDE)
    if isinstance(center, (str, bytes)) or not hasattr(center, "__len__") or len(center) != 2:
        raise TypeError(f"center should be a (row, column) pair such as (14.0, 14.0); got {_v.describe(center)}.")
    center = (_v.number(center[0], "center[0]"), _v.number(center[1], "center[1]"))
    height, width = boxed.shape
    if height > size or width > size:
        raise ValueError(f"the boxed digit {boxed.shape} does not fit in {size}x{size}.")
    mass_row, mass_col = center_of_mass(boxed)
    top = int(np.clip(round(center[0] - mass_row), 0, size - height))
    left = int(np.clip(round(center[1] - mass_col), 0, size - width))
    field = np.zeros((size, size), dtype=np.float32)
    field[top : top + height, left : left + width] = boxed
    return field


def preprocess_stages(image: str | os.PathLike | np.ndarray | Any) -> dict[str, np.ndarray]:
    """Every stage of `preprocess_digit`, in order, as a dict {stage name: 2-D float image}.

    Keys: "grayscale", "ink only", "cropped", "20x20 box", "centred 28x28". Chapter 9.
    """
    gray = load_grayscale(image)
    ink, _ = ink_on_black(gray)
    cropped = crop_to_ink(ink)
    boxed = fit_in_box(cropped)
    return {
        "grayscale": gray,
        "ink only": ink,
        "cropped": cropped,
        "20x20 box": boxed,
        "centred 28x28": center_by_mass(boxed),
    }


def preprocess_digit(image: str | os.PathLike | np.ndarray | Any, *, for_model: bool = False) -> np.ndarray:
    """A picture of one digit as MNIST would have it: float32 (28, 28) in [0, 1].

    `image`: a PNG/JPEG path, a NumPy array or a Pillow image (see `load_grayscale`).
    Runs the five steps: grayscale, ink on black, crop to the ink, scale into a 20x20 box
    keeping the aspect ratio, centre by mass in 28x28. With ``for_model=True`` returns
    shape (1, 28, 28, 1), ready for ``model.predict``. Bad input raises ValueError.
    Introduced in chapter 9.
    """
    for_model = _v.flag(for_model, "for_model")
    digit = preprocess_stages(image)["centred 28x28"]
    return digit.reshape(1, MNIST_SIZE, MNIST_SIZE, 1) if for_model else digit


def resize_only(image: str | os.PathLike | np.ndarray | Any) -> np.ndarray:
    """The picture squeezed to 28x28 with no MNIST preprocessing: float32 (28, 28) in [0, 1].

    Grayscale and resizing only: no inversion, no cropping, no centring, aspect ratio not
    kept. Chapter 9 feeds this to the model to show why the preprocessing matters.
    """
    from PIL import Image

    gray = load_grayscale(image)
    small = Image.fromarray(gray).resize((MNIST_SIZE, MNIST_SIZE), Image.Resampling.BILINEAR)
    return np.clip(np.asarray(small, dtype=np.float32), 0.0, 1.0)


def label_from_name(path: str | os.PathLike) -> int:
    """The true digit of a sample file, from its name: ``7_paper.jpg`` is a 7 (chapter 9)."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path should be a file name such as '7_paper.png'; got {_v.describe(path)}.")
    name = Path(path).name
    if len(name) < 2 or not name[0].isdigit() or name[1] != "_":
        raise ValueError(f"expected a file name like '7_paper.png' (digit, underscore, ...); got {name!r}.")
    return int(name[0])


# --- 8x8 digits: UCI's layout (chapter 9) ---------------------------------------------------

#: UCI's digits: a 32x32 black-and-white scan, cut into 4x4 blocks, each block's inked pixels counted.
UCI_SCAN, UCI_BLOCK = 32, 4
UCI_SIDE = UCI_SCAN // UCI_BLOCK  # 8
UCI_MAX = UCI_BLOCK * UCI_BLOCK  # 16: a block full of ink


def _check_8x8(image: Any) -> np.ndarray:
    image = _v.as_array(image, "image")
    if image.shape != (UCI_SIDE, UCI_SIDE):
        raise ValueError(f"expected one 8x8 UCI digit, shape (8, 8); got shape {image.shape}"
                         + (" (a batch? take image[i])." if image.ndim == 3 else "."))
    if image.dtype == np.bool_ or not np.issubdtype(image.dtype, np.number):
        raise ValueError(f"an 8x8 UCI digit holds ink counts 0-16; got dtype {image.dtype}.")
    _v.finite(image, "image")
    if image.min() < 0 or image.max() > UCI_MAX:
        raise ValueError(f"an 8x8 UCI digit holds ink counts 0-16; got values from {image.min():g} to {image.max():g}.")
    return image.astype(np.float32)


def upscale_8x8(image: np.ndarray) -> np.ndarray:
    """An 8x8 UCI digit (ink counts 0-16) as a 32x32 grey picture, white ink on black, in [0, 1].

    Each count becomes the share of ink in its block (count / 16) and the image is enlarged
    4 times with bilinear resampling, back to the size of the scan it was counted from. The
    result is an ordinary picture for `preprocess_digit`, which puts it in MNIST's 28x28
    layout. Chapter 9.
    """
    from PIL import Image

    share = _check_8x8(image) / UCI_MAX
    big = Image.fromarray(share).resize((UCI_SCAN, UCI_SCAN), Image.Resampling.BILINEAR)
    return np.clip(np.asarray(big, dtype=np.float32), 0.0, 1.0)


def reduce_to_8x8(digit: np.ndarray) -> np.ndarray:
    """An MNIST digit (28x28, uint8 0-255 or float [0, 1]) made the way UCI made its digits.

    The ink (pixels at half strength or more) is cropped to its box, scaled with nearest
    neighbours so its longer side fills a 32x32 field (keeping the aspect ratio, centred),
    and the inked pixels of each 4x4 block are counted. Returns uint8 (8, 8) in 0-16.
    Chapter 9 uses it as a control: MNIST's own writers at UCI's resolution.
    """
    from PIL import Image

    digit = _v.as_array(digit, "digit")
    if digit.shape != (MNIST_SIZE, MNIST_SIZE):
        raise ValueError(f"expected one MNIST digit of shape (28, 28); got shape {digit.shape}.")
    ink = load_grayscale(digit) >= 0.5
    if not ink.any():
        raise ValueError("the digit has no pixel at half strength or more: no ink to reduce.")
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    height, width = box_size(*crop.shape, box=UCI_SCAN)
    scaled = np.asarray(Image.fromarray(crop).resize((width, height), Image.Resampling.NEAREST), dtype=bool)
    scan = np.zeros((UCI_SCAN, UCI_SCAN), dtype=bool)
    top, left = (UCI_SCAN - height) // 2, (UCI_SCAN - width) // 2
    scan[top : top + height, left : left + width] = scaled
    return scan.reshape(UCI_SIDE, UCI_BLOCK, UCI_SIDE, UCI_BLOCK).sum(axis=(1, 3)).astype(np.uint8)


# --- The sample digits the book ships (chapters/own_digits) ----------------------------------

#: How each shipped sample looks: background and ink colours, noise, file type.
SAMPLE_STYLES = ("paper", "canvas", "bluepen", "pencil", "transparent", "chalk")


def _arc(cx: float, cy: float, rx: float, ry: float, start: float, stop: float, n: int = 24) -> list:
    """Points on an ellipse arc; angles in degrees, 0 = right, 90 = down (image rows grow down)."""
    angles = np.radians(np.linspace(start, stop, n))
    return list(zip(cx + rx * np.cos(angles), cy + ry * np.sin(angles), strict=True))


def digit_strokes(digit: int) -> list[list[tuple[float, float]]]:
    """The pen strokes of `digit` in a unit box (x right 0-1, y down 0-1), as point lists."""
    strokes = {
        0: [_arc(0.5, 0.5, 0.3, 0.46, -90, 275, 40)],
        1: [[(0.3, 0.22), (0.55, 0.0), (0.55, 1.0)]],
        2: [_arc(0.5, 0.3, 0.28, 0.28, 190, 380, 20) + [(0.18, 1.0), (0.85, 0.98)]],
        3: [_arc(0.48, 0.26, 0.26, 0.24, -160, 90, 20), _arc(0.48, 0.74, 0.3, 0.26, -90, 160, 20)],
        4: [[(0.5, 0.0), (0.15, 0.62), (0.88, 0.62)], [(0.68, 0.25), (0.66, 1.0)]],
        5: [[(0.82, 0.02), (0.32, 0.0), (0.27, 0.45)] + _arc(0.5, 0.7, 0.31, 0.29, -130, 150, 22)],
        6: [[(0.72, 0.0), (0.45, 0.22)] + _arc(0.5, 0.72, 0.28, 0.27, 200, 560, 36)],
        7: [[(0.12, 0.02), (0.88, 0.0), (0.42, 1.0)]],
        8: [_arc(0.5, 0.26, 0.23, 0.24, 90, 450, 30), _arc(0.5, 0.73, 0.29, 0.26, -90, 270, 30)],
        9: [_arc(0.5, 0.3, 0.28, 0.29, 0, 360, 30) + [(0.78, 0.3), (0.72, 1.0)]],
    }
    return strokes[_v.digit(digit, "digit")]


def draw_digit(digit: int, height: int, width: int, rng: np.random.Generator, pen: float = 0.11) -> np.ndarray:
    """The digit drawn with a round pen: float32 (height, width) ink mask in [0, 1].

    The strokes of `digit_strokes` get a random slant and rotation, a wobble, a random size
    (45-75% of the height) and position; drawn 4x larger and shrunk for smooth edges.
    `pen` is the pen's width as a fraction of the digit's height.
    """
    from PIL import Image, ImageDraw

    height, width = _v.whole(height, "height", minimum=None), _v.whole(width, "width", minimum=None)
    if min(height, width) < MIN_SIDE:
        raise ValueError(f"height and width must be at least {MIN_SIDE}; got {height}, {width}.")
    if height * width > MAX_PIXELS:
        raise ValueError(f"height x width should be at most {MAX_PIXELS:,} pixels; got {height}x{width}.")
    _check_rng(rng)
    pen = _v.number(pen, "pen", positive=True, maximum=0.5)
    digit_strokes(digit)
    zoom = 4
    size = rng.uniform(0.45, 0.75) * height
    angle = np.radians(rng.uniform(-12, 12))
    slant = rng.uniform(-0.25, 0.1)
    top = rng.uniform(0.12 * height, height - size - 0.12 * height + 1e-9)
    left = rng.uniform(0.1 * width, max(0.1 * width, width - 0.85 * size - 0.1 * width))
    rotate = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    canvas = Image.new("L", (width * zoom, height * zoom), 0)
    draw = ImageDraw.Draw(canvas)
    radius = pen * size * zoom / 2
    for stroke in digit_strokes(digit):
        points = np.array(stroke, dtype=np.float64)
        t = np.linspace(0, 1, len(points))[:, None]
        phase = rng.uniform(0, 2 * np.pi, size=(1, 2))
        points = points + 0.025 * np.sin(2 * np.pi * t * rng.uniform(0.5, 1.5) + phase)  # wobble
        points[:, 0] -= slant * (points[:, 1] - 0.5)
        points = (points - 0.5) @ rotate.T + 0.5
        xy = [((left + x * size) * zoom, (top + y * size) * zoom) for x, y in points]
        draw.line(xy, fill=255, width=max(1, round(2 * radius)), joint="curve")
        for x, y in (xy[0], xy[-1]):  # round pen tips
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    small = canvas.resize((width, height), Image.Resampling.LANCZOS)
    return np.clip(np.asarray(small, dtype=np.float32) / 255.0, 0.0, 1.0)


def render_sample(digit: int, style: str, rng: np.random.Generator) -> tuple[Any, str]:
    """One sample picture of `digit` in `style` (one of SAMPLE_STYLES): (Pillow image, suffix).

    paper: dark ink on light grey paper with uneven light and noise (JPEG);
    canvas: white on black, like a drawing app (PNG); bluepen: blue ink on cream paper
    (RGB JPEG); pencil: thin grey strokes on white with noise (PNG); transparent: black
    ink on a transparent background (RGBA PNG); chalk: light strokes on a dark green
    board with noise (RGB JPEG).
    """
    from PIL import Image

    _v.choice(style, "style", SAMPLE_STYLES)
    digit_strokes(digit)
    _check_rng(rng)
    height, width = int(rng.integers(110, 221)), int(rng.integers(110, 221))
    pen = {"pencil": 0.07, "chalk": 0.13}.get(style, 0.11)
    ink = draw_digit(digit, height, width, rng, pen=pen)[..., None]
    noise = rng.normal(0.0, 1.0, size=(height, width, 1)).astype(np.float32)
    light = np.linspace(-0.06, 0.06, width, dtype=np.float32)[None, :, None] * rng.choice([-1, 1])
    if style == "transparent":
        rgba = np.concatenate([np.zeros((height, width, 3), np.float32), ink], axis=2)
        return Image.fromarray(np.round(rgba * 255).astype(np.uint8), "RGBA"), ".png"
    paper, pen_colour, sigma = {
        "paper": ((0.82,), (0.12,), 0.03),
        "canvas": ((0.0,), (1.0,), 0.0),
        "bluepen": ((0.95, 0.93, 0.86), (0.12, 0.2, 0.62), 0.015),
        "pencil": ((0.93,), (0.45,), 0.02),
        "chalk": ((0.16, 0.27, 0.21), (0.9, 0.9, 0.85), 0.04),
    }[style]
    background = np.array(paper, np.float32) + (light if style in ("paper", "pencil") else 0.0)
    picture = background * (1 - ink) + np.array(pen_colour, np.float32) * ink + sigma * noise
    pixels = np.round(np.clip(picture, 0, 1) * 255).astype(np.uint8)
    mode = "RGB" if pixels.shape[2] == 3 else "L"
    image = Image.fromarray(pixels if mode == "RGB" else pixels[:, :, 0], mode)
    return image, (".jpg" if style in ("paper", "bluepen", "chalk") else ".png")


def make_sample_digits(folder: str | os.PathLike, seed: int = 0, per_digit: int = 2) -> list[Path]:
    """Draw `per_digit` pictures of each digit 0-9 into `folder`; return their paths, sorted.

    Files are named ``<digit>_<style>.<png|jpg>``; styles cycle through SAMPLE_STYLES so
    each digit comes in different looks. The same seed gives the same pictures.
    `per_digit` is 1 to 6, the number of styles: more would give two pictures one name, so
    it is refused (ValueError) before any file is written.
    Used by tools/make_own_digits.py and by chapter 9 when the folder is missing (Colab).
    """
    if not isinstance(folder, (str, os.PathLike)):
        raise TypeError(f"folder should be a folder name (a str or Path); got {_v.describe(folder)}.")
    seed = _v.whole(seed, "seed", minimum=0)
    per_digit = _v.whole(per_digit, "per_digit")
    if per_digit > len(SAMPLE_STYLES):
        raise ValueError(
            f"per_digit should be at most {len(SAMPLE_STYLES)}, one picture per style "
            f"({', '.join(SAMPLE_STYLES)}); got {per_digit}, which would write two pictures under one "
            "name <digit>_<style>. Nothing was written."
        )
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder} is a file; expected a folder to draw the sample digits into.")
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    paths = []
    for digit in range(10):
        for k in range(per_digit):
            style = SAMPLE_STYLES[(digit + k * len(SAMPLE_STYLES) // per_digit) % len(SAMPLE_STYLES)]
            image, suffix = render_sample(digit, style, rng)
            path = folder / f"{digit}_{style}{suffix}"
            if suffix == ".jpg":
                image.save(path, quality=85)
            else:
                image.save(path, optimize=True)
            paths.append(path)
    return sorted(paths)


def sample_digit_paths(folder: str | os.PathLike = "own_digits") -> list[Path]:
    """The shipped sample digits in `folder`, sorted; drawn afresh if the folder is missing.

    In the repository they are in chapters/own_digits; in Colab, where only the helpers
    are installed, the same code draws them again (seed 0). Chapter 9.
    """
    if not isinstance(folder, (str, os.PathLike)):
        raise TypeError(f"folder should be a folder name (a str or Path); got {_v.describe(folder)}.")
    folder = Path(folder)
    paths = sorted(p for p in folder.glob("[0-9]_*") if p.suffix.lower() in IMAGE_SUFFIXES) if folder.is_dir() else []
    return paths or make_sample_digits(folder)


def _check_rng(rng: Any) -> None:
    """Raise TypeError unless `rng` is a NumPy Generator (a seed is a common mix-up)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng should be a NumPy Generator, np.random.default_rng(seed); got {_v.describe(rng)}.")
