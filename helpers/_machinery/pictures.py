"""Step 1 of chapter 9's preprocessing, the part a student never calls: any picture (a file,
a NumPy array, a Pillow image) checked and read as one grey float32 (H, W) array in [0, 1].

`helpers.digits.load_grayscale` is the public face of it. A file is checked before its
pixels are decoded (it exists, has an image suffix, a sane size); an array is checked for
its shape, dtype and range; colour becomes grey with the BT.601 weights, transparent
pixels white paper, and a large picture is shrunk to `WORK_SIDE`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from helpers import _validate as _v

#: Smallest image side accepted: fewer pixels cannot hold a readable digit.
MIN_SIDE = 8
#: Largest image accepted (pixels): 40 megapixels, a large phone photo.
MAX_PIXELS = 40_000_000
#: Longer side that larger images are first shrunk to (the result is 28x28 anyway).
WORK_SIDE = 1024
#: File types read (anything Pillow decodes with one of these suffixes).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")
# Luma weights of ITU-R BT.601, the ones Pillow's convert("L") uses.
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def gray_picture(image: Any) -> np.ndarray:
    """`image` (a path, an array or a Pillow image) as grey float32 (H, W) in [0, 1], shrunk."""
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
        array = array @ LUMA
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

