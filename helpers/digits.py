"""From a picture of a digit to an MNIST-style input (chapter 9).

MNIST's digits were made like this (LeCun et al.): the scanned ink was scaled to fit a
20x20 box, keeping its aspect ratio, and placed in a 28x28 field with the ink's centre of
mass at the centre, ink high on a background of 0. A photo of a digit on paper is none of
those things, so before the model sees it we repeat MNIST's steps:

1. `load_grayscale`: read a file or an array; colour becomes grey; values become [0, 1].
2. `ink_on_black`: invert if the background is light; paper becomes 0 and the ink 1.
3. `crop_to_ink`: cut away everything around the ink.
4. `fit_in_box`: scale the ink into a 20x20 box, keeping its aspect ratio.
5. `center_by_mass`: place it in 28x28 with its centre of mass at (14, 14).

`preprocess_digit` runs all five. Bad input (a blank image, a file that is not an image, a
wrong size, dtype or shape, NaN) raises a sentence saying what was expected, before
TensorFlow ever sees it. Reading files and arrays is `helpers._machinery.pictures`'s job.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

# The limits and weights chapter 9 states are read from here: MIN_SIDE, MAX_PIXELS, _LUMA.
from helpers._machinery.pictures import (  # noqa: F401
    IMAGE_SUFFIXES,
    MAX_PIXELS,
    MIN_SIDE,
    WORK_SIDE,
    gray_picture,
)
from helpers._machinery.pictures import LUMA as _LUMA  # noqa: F401
from helpers._machinery.samples import make_sample_digits
from helpers._validate import Flag, GrayImage, InkImage, MnistDigit, PathName, Point, UciDigit, Whole, accepts

#: Side of an MNIST image and of the box its ink is scaled into.
MNIST_SIZE = 28
MNIST_BOX = 20
#: Where MNIST puts the ink's centre of mass (row, column), measured on its test set.
MNIST_CENTER = (14.0, 14.0)
#: Ink must differ from the background by at least this much (on a 0-1 scale).
MIN_CONTRAST = 0.15
#: After stretching, pixels below this fraction of the ink's strength count as paper.
INK_THRESHOLD = 0.25


def load_grayscale(image: str | os.PathLike | np.ndarray | Any) -> np.ndarray:
    """Step 1 (chapter 9): a picture of a digit as a grey float32 array (H, W) in [0, 1], 0 black.

    `image` is a file path (PNG, JPEG, ...; EXIF rotation applied), a NumPy array ((H, W)
    grey, (H, W, 3) RGB or (H, W, 4) RGBA; uint8 0-255, float 0-1 or bool) or a Pillow
    image. Colour becomes grey as 0.299 R + 0.587 G + 0.114 B; transparent pixels become
    white paper; a longer side over 1024 pixels is shrunk to 1024 (the result is 28x28 anyway).
    """
    return gray_picture(image)


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


@accepts(image=UciDigit())
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


@accepts(digit=MnistDigit())
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
