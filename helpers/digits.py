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
of the wrong kind (a fractional size, a string where a file name is expected) a TypeError.

The sample digits the book ships are read by `sample_digit_paths` (and drawn, where they are
missing, by the package's build machinery, `helpers._machinery.samples`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from helpers import _validate as _v
from helpers._machinery.samples import make_sample_digits
from helpers._validate import Flag, GrayImage, InkImage, PathName, Point, Whole, accepts

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
            "the image should be one image of shape (H, W), (H, W, 1), (H, W, 3) or (H, W, 4); "
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
    """Step 1 (chapter 9): a picture of a digit as a grey float32 array (H, W) in [0, 1], 0 black.

    `image` is a file path (PNG, JPEG, ...; read with Pillow, EXIF rotation applied), a
    NumPy array ((H, W) grey, (H, W, 3) RGB or (H, W, 4) RGBA; uint8 0-255, float 0-1 or
    bool) or a Pillow image. Colour becomes grey with the BT.601 weights
    0.299 R + 0.587 G + 0.114 B; transparent pixels become white paper. Images whose longer
    side exceeds 1024 pixels are shrunk to 1024 first (the result is 28x28 anyway).
    Raises ValueError for anything else: a missing or non-image file, an empty array, a
    side under 8 pixels, more than 40 megapixels, NaN, or values out of range.
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
            "image should be a file path, a NumPy array or a Pillow image of a digit; "
            f"got {type(image).__name__}."
        )
    return _shrink(gray)


# --- Steps 2-5: MNIST's own preprocessing ---------------------------------------------------


@accepts(gray=GrayImage())
def background_level(gray: np.ndarray) -> float:
    """The paper's grey level: the median of the image's outermost pixels (chapter 9)."""
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return float(np.median(border))


@accepts(gray=GrayImage())
def ink_on_black(gray: np.ndarray) -> tuple[np.ndarray, bool]:
    """Step 2 (chapter 9): make the ink white (1) on a black (0) background, like MNIST.

    `gray` is float (H, W) in [0, 1]. If the background (`background_level`) is light, the
    image is inverted. Then the background level is subtracted and the contrast stretched
    so the strongest ink is 1; what stays under 0.25 of that (paper texture, noise, uneven
    light) becomes 0. Returns (ink, inverted). Raises ValueError when no ink stands out:
    a blank page, an all-white or all-black image.
    """
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


@accepts(ink=GrayImage())
def ink_box(ink: np.ndarray) -> tuple[int, int, int, int]:
    """The ink's bounding box (top, bottom, left, right), bottom and right exclusive (chapter 9).

    Specks of a single pixel are ignored (a 3x3 median filter runs first, unless that
    would erase every stroke). Raises ValueError if there is no ink.
    """
    from PIL import Image, ImageFilter

    despeckled = np.asarray(Image.fromarray(ink).filter(ImageFilter.MedianFilter(3)))
    mask = despeckled > 0 if (despeckled > 0).any() else ink > 0
    if not mask.any():
        raise ValueError("no ink found: the image is all background; expected a digit.")
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


@accepts(ink=GrayImage())
def crop_to_ink(ink: np.ndarray) -> np.ndarray:
    """Step 3: cut `ink` (float (H, W), white on black) down to its ink's bounding box (chapter 9)."""
    top, bottom, left, right = ink_box(ink)
    return ink[top:bottom, left:right].copy()


@accepts(height=Whole(), width=Whole(), box=Whole())
def box_size(height: int, width: int, box: int = MNIST_BOX) -> tuple[int, int]:
    """(new height, new width) of an ink crop scaled so its longer side is `box` (chapter 9).

    The aspect ratio is kept; the shorter side is rounded and is at least 1 pixel.
    """
    scale = box / max(height, width)
    return max(1, round(height * scale)), max(1, round(width * scale))


@accepts(crop=GrayImage(), box=Whole(maximum=WORK_SIDE))
def fit_in_box(crop: np.ndarray, box: int = MNIST_BOX) -> np.ndarray:
    """Step 4 (chapter 9): scale the ink crop so its longer side is `box` pixels (20 for MNIST).

    Keeps the aspect ratio (a "1" stays thin); bilinear resampling with anti-aliasing gives
    the soft grey edges MNIST's digits have. The result is stretched so its strongest pixel
    is 1. Returns float32 (h, w) with max(h, w) == box.
    """
    from PIL import Image

    if crop.max() <= 0:
        raise ValueError("the crop holds no ink (all zeros); expected white ink on black.")
    height, width = box_size(*crop.shape, box=box)
    resized = np.asarray(
        Image.fromarray(crop).resize((width, height), Image.Resampling.BILINEAR), dtype=np.float32
    )
    resized = np.clip(resized, 0.0, None)
    return (resized / resized.max()).astype(np.float32)


@accepts(image=InkImage())
def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the ink's centre of mass, pixel indices weighted by brightness (chapter 9).

    Raises ValueError for an image without ink.
    """
    total = image.sum()
    if total <= 0:
        raise ValueError("the image has no ink (all zeros), so no centre of mass.")
    rows, cols = np.indices(image.shape)
    return float((rows * image).sum() / total), float((cols * image).sum() / total)


@accepts(boxed=GrayImage(), size=Whole(maximum=WORK_SIDE), center=Point())
def center_by_mass(
    boxed: np.ndarray, size: int = MNIST_SIZE, center: tuple[float, float] = MNIST_CENTER
) -> np.ndarray:
    """Step 5 (chapter 9): place the boxed digit in a `size` x `size` black field, centred by mass.

    The digit is shifted by whole pixels so that its centre of mass lands as close to
    `center` as possible without any ink leaving the field. Returns float32 (28, 28) in
    [0, 1].
    """
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
    """Every stage of `preprocess_digit`, in order, as a dict {stage name: 2-D float image} (chapter 9).

    Keys: "grayscale", "ink only", "cropped", "20x20 box", "centred 28x28".
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


@accepts(for_model=Flag())
def preprocess_digit(image: str | os.PathLike | np.ndarray | Any, *, for_model: bool = False) -> np.ndarray:
    """A picture of one digit as MNIST would have it, float32 (28, 28) in [0, 1] (chapter 9).

    `image`: a PNG/JPEG path, a NumPy array or a Pillow image (see `load_grayscale`).
    Runs the five steps: grayscale, ink on black, crop to the ink, scale into a 20x20 box
    keeping the aspect ratio, centre by mass in 28x28. With ``for_model=True`` returns
    shape (1, 28, 28, 1), ready for ``model.predict``. Bad input raises ValueError.
    """
    digit = preprocess_stages(image)["centred 28x28"]
    return digit.reshape(1, MNIST_SIZE, MNIST_SIZE, 1) if for_model else digit


def resize_only(image: str | os.PathLike | np.ndarray | Any) -> np.ndarray:
    """The picture squeezed to 28x28 with no MNIST preprocessing (chapter 9): float32 in [0, 1].

    Grayscale and resizing only: no inversion, no cropping, no centring, aspect ratio not
    kept. Chapter 9 feeds this to the model to show why the preprocessing matters.
    """
    from PIL import Image

    gray = load_grayscale(image)
    small = Image.fromarray(gray).resize((MNIST_SIZE, MNIST_SIZE), Image.Resampling.BILINEAR)
    return np.clip(np.asarray(small, dtype=np.float32), 0.0, 1.0)


@accepts(path=PathName("a file name such as '7_paper.png'"))
def label_from_name(path: str | os.PathLike) -> int:
    """The true digit of a sample file, from its name: ``7_paper.jpg`` is a 7 (chapter 9)."""
    name = path.name
    if len(name) < 2 or not name[0].isdigit() or name[1] != "_":
        raise ValueError(f"path should be a file name like '7_paper.png' (digit, underscore, ...); got {name!r}.")
    return int(name[0])


# --- 8x8 digits: UCI's layout (chapter 9) ---------------------------------------------------

#: UCI's digits: a 32x32 black-and-white scan, cut into 4x4 blocks, each block's inked pixels counted.
UCI_SCAN, UCI_BLOCK = 32, 4
UCI_SIDE = UCI_SCAN // UCI_BLOCK  # 8
UCI_MAX = UCI_BLOCK * UCI_BLOCK  # 16: a block full of ink


def _uci_digit(value: Any, name: str) -> np.ndarray:
    """A spec: `value` as float32 if it is one 8x8 UCI digit of ink counts 0-16."""
    image = _v.as_array(value, name)
    if image.shape != (UCI_SIDE, UCI_SIDE):
        raise ValueError(f"{name} should be one 8x8 UCI digit, shape (8, 8); got shape {image.shape}"
                         + (" (a batch? take image[i])." if image.ndim == 3 else "."))
    if image.dtype == np.bool_ or not np.issubdtype(image.dtype, np.number):
        raise ValueError(f"an 8x8 UCI digit holds ink counts 0-16; got dtype {image.dtype}.")
    _v.finite(image, name)
    if image.min() < 0 or image.max() > UCI_MAX:
        raise ValueError(f"an 8x8 UCI digit holds ink counts 0-16; got values from {image.min():g} to {image.max():g}.")
    return image.astype(np.float32)


def _mnist_digit(value: Any, name: str) -> np.ndarray:
    """A spec: `value` if it is one MNIST digit, shape (28, 28); its pixels are checked later."""
    digit = _v.as_array(value, name)
    if digit.shape != (MNIST_SIZE, MNIST_SIZE):
        raise ValueError(f"{name} should be one MNIST digit of shape (28, 28); got shape {digit.shape}.")
    return digit


@accepts(image=_uci_digit)
def upscale_8x8(image: np.ndarray) -> np.ndarray:
    """An 8x8 UCI digit (ink counts 0-16) as a 32x32 grey picture in [0, 1], ink white (chapter 9).

    Each count becomes the share of ink in its block (count / 16) and the image is enlarged
    4 times with bilinear resampling, back to the size of the scan it was counted from. The
    result is an ordinary picture for `preprocess_digit`, which puts it in MNIST's 28x28
    layout.
    """
    from PIL import Image

    share = image / UCI_MAX
    big = Image.fromarray(share).resize((UCI_SCAN, UCI_SCAN), Image.Resampling.BILINEAR)
    return np.clip(np.asarray(big, dtype=np.float32), 0.0, 1.0)


@accepts(digit=_mnist_digit)
def reduce_to_8x8(digit: np.ndarray) -> np.ndarray:
    """An MNIST digit made the way UCI made its 8x8 digits (chapter 9).

    `digit` is (28, 28), uint8 0-255 or float in [0, 1]. The ink (pixels at half strength or
    more) is cropped to its box, scaled with nearest neighbours so its longer side fills a
    32x32 field (keeping the aspect ratio, centred), and the inked pixels of each 4x4 block
    are counted. Returns uint8 (8, 8) in 0-16. Chapter 9 uses it as a control: MNIST's own
    writers at UCI's resolution.
    """
    from PIL import Image

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


@accepts(folder=PathName("a folder name"))
def sample_digit_paths(folder: str | os.PathLike = Path("own_digits")) -> list[Path]:
    """The shipped sample digits in `folder`, sorted, drawn afresh if it is missing (chapter 9).

    In the repository they are in chapters/own_digits; in Colab, where only the helpers
    are installed, the same code draws them again (seed 0, `helpers._machinery.samples`).
    """
    paths = sorted(p for p in folder.glob("[0-9]_*") if p.suffix.lower() in IMAGE_SUFFIXES) if folder.is_dir() else []
    return paths or make_sample_digits(folder)
