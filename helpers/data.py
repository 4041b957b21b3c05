"""Loading and preparing MNIST (chapters 2 and 3).

`load_mnist` gives exactly what `keras.datasets.mnist.load_data()` gives. It asks Keras
first, which downloads the data when the machine is online (Colab, a laptop). Only when
that download fails for lack of a network does it read a local copy, from the `.npz` file
named by the environment variable ``MNIST_NPZ``.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import urllib.error
from pathlib import Path

import numpy as np

from helpers import _validate as _v
from helpers._validate import Array, Maybe, Place, Whole, accepts

#: Environment variable naming a local copy of MNIST, used only when Keras cannot download.
MNIST_ENV_VAR = "MNIST_NPZ"

#: What `keras.datasets.mnist.load_data()` returns, array by array.
EXPECTED_SHAPES = _v.MNIST_SHAPES

HOW_TO_GET_MNIST = (
    "MNIST could not be loaded. Keras could not download it (no network?) and no local "
    f"copy is set. Either connect to the internet and run again, or download mnist.npz "
    "(https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz) and point the "
    f"environment variable {MNIST_ENV_VAR} at it, e.g. in a shell: "
    f"export {MNIST_ENV_VAR}=/path/to/mnist.npz, or in a notebook: "
    f"import os; os.environ['{MNIST_ENV_VAR}'] = '/path/to/mnist.npz'."
)

Split = tuple[np.ndarray, np.ndarray]


class MnistUnavailableError(RuntimeError):
    """Raised when MNIST can be neither downloaded nor read from a local file."""


def _is_network_failure(error: BaseException) -> bool:
    """True when `error` (from Keras's downloader) means the data could not be fetched."""
    if isinstance(error, (urllib.error.URLError, ConnectionError, TimeoutError)):
        return True
    message = str(error)
    return "URL fetch failure" in message or "URL fetch" in message


def _keras_load() -> tuple[Split, Split]:
    """Call the real Keras loader (imported lazily: TensorFlow is slow to import)."""
    import keras

    return keras.datasets.mnist.load_data()


#: Check four MNIST arrays: keys, shapes, dtype uint8, labels 0-9 (chapter 2).
validate_mnist = _v.mnist_arrays


@accepts(path=Place("the file name of mnist.npz"))
def load_mnist_npz(path: str | os.PathLike) -> tuple[Split, Split]:
    """Read MNIST from a local `.npz` file laid out like Keras's `mnist.npz` (chapter 2): the
    same ``(x_train, y_train), (x_test, y_test)``; a missing or damaged file is a ValueError."""
    if not path.is_file():
        raise ValueError(f"path should name a copy of mnist.npz, as {MNIST_ENV_VAR} does; {path} is not a file. "
                         f"{HOW_TO_GET_MNIST}")
    arrays = _v.load_npz(path, EXPECTED_SHAPES, "MNIST .npz file")
    validate_mnist(arrays, source=str(path))
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def load_mnist() -> tuple[Split, Split]:
    """Load MNIST as `keras.datasets.mnist.load_data()` does (chapter 2); if its download fails
    for lack of a network, read the file ``MNIST_NPZ`` names, else say how to get the data."""
    chatter = io.StringIO()  # Keras announces its download; keep that only if it worked
    try:
        with contextlib.redirect_stdout(chatter):
            (x_train, y_train), (x_test, y_test) = _keras_load()
    except Exception as error:  # Keras raises a bare Exception for a failed download
        if not _is_network_failure(error):
            raise
        local = os.environ.get(MNIST_ENV_VAR)
        if not local:
            raise MnistUnavailableError(HOW_TO_GET_MNIST) from error
        print(f"Keras could not download MNIST (no network); reading the local copy {MNIST_ENV_VAR}={local}")
        return load_mnist_npz(local)
    sys.stdout.write(chatter.getvalue())
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    validate_mnist(arrays, source="keras.datasets.mnist")
    return (x_train, y_train), (x_test, y_test)


#: The checks of chapter 3's arrays, shared by every helper that takes images or labels:
#: `check_images(images, scaled=True)` refuses what a model cannot read (with the reason),
#: `check_labels(labels)` returns them as an int array of digits 0-9.
check_images = _v.images
check_labels = _v.labels


@accepts(images=Array())
def scale_images(images: np.ndarray) -> np.ndarray:
    """Turn uint8 pixels 0-255 into float32 values in [0, 1]. Introduced in chapter 3."""
    if images.dtype != np.uint8:
        raise ValueError(f"images should be raw uint8 pixels 0-255 for scale_images; got dtype {images.dtype}. "
                         "Were these images scaled already?")
    return images.astype(np.float32) / 255.0


@accepts(images=Array())
def add_channel_axis(images: np.ndarray) -> np.ndarray:
    """Reshape (n, 28, 28) images to (n, 28, 28, 1), the layout `Conv2D` expects (chapter 3)."""
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        hint = " It has its channel axis already." if images.shape[1:] == (28, 28, 1) else ""
        raise ValueError(f"images should have shape (n, 28, 28) for add_channel_axis; got {images.shape}.{hint}")
    return images.reshape(-1, 28, 28, 1)


def prepare_images(images: np.ndarray) -> np.ndarray:
    """Scale uint8 (n, 28, 28) digits to float32 [0, 1] and add the channel axis (chapter 3)."""
    return add_channel_axis(scale_images(images))


@accepts(x=Array(), y=Array(), n_val=Whole(minimum=None), seed=Whole(minimum=0))
def split_validation(x: np.ndarray, y: np.ndarray, n_val: int = 5000, seed: int = 0) -> tuple[Split, Split]:
    """Hold out `n_val` random examples of the training set for validation (chapter 3).

    Returns ``(x_fit, y_fit), (x_val, y_val)``; the same seed always gives the same split.
    """
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError(f"x and y should be arrays of examples; got shapes {x.shape} and {y.shape}.")
    _v.equal_length(x, y, "x and y")
    if len(x) < 2:
        raise ValueError(f"x should hold at least 2 examples to split off a validation set; got {len(x)}.")
    if not 0 < n_val < len(x):
        raise ValueError(f"n_val should be between 1 and {len(x) - 1}; got {n_val}.")
    order = np.random.default_rng(seed).permutation(len(x))
    fit, val = order[:-n_val], order[-n_val:]
    return (x[fit], y[fit]), (x[val], y[val])


@accepts(n_val=Whole(minimum=1, maximum=59999), seed=Whole(minimum=0))  # checked before the slow load
def load_prepared(n_val: int = 5000, seed: int = 0) -> dict[str, np.ndarray]:
    """MNIST prepared as chapter 3 teaches, in one call for later chapters: float32 (n, 28, 28, 1)
    images in [0, 1] and int labels under ``x_fit, y_fit, x_val, y_val, x_test, y_test``."""
    (x_train, y_train), (x_test, y_test) = load_mnist()
    (x_fit, y_fit), (x_val, y_val) = split_validation(
        prepare_images(x_train), y_train.astype(np.int64), n_val=n_val, seed=seed
    )
    return {
        "x_fit": x_fit, "y_fit": y_fit, "x_val": x_val, "y_val": y_val,
        "x_test": prepare_images(x_test), "y_test": y_test.astype(np.int64),
    }


# --- Digits written by other people (chapter 9) ----------------------------------------------

#: The shipped extract of the UCI digits (made by tools/extract_uci_digits.py).
UCI_DIGITS_FILE = Path(__file__).resolve().parent / "data_files" / "uci_digits.npz"

#: How to cite the UCI digits; their licence, CC BY 4.0, asks for it.
UCI_DIGITS_CITATION = (
    "E. Alpaydin and C. Kaynak (1998). Optical Recognition of Handwritten Digits. "
    "UCI Machine Learning Repository. https://doi.org/10.24432/C50P49 (CC BY 4.0)"
)

#: Number of digits in the extract: the 1,797 test digits of the UCI set, as scikit-learn ships them.
UCI_DIGITS_COUNT = 1797


@accepts(path=Maybe(Place("the file name of uci_digits.npz")))
def load_uci_digits(path: str | os.PathLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 handwritten digits of UCI's "Optical Recognition of Handwritten Digits" (chapter 9).

    Returns uint8 ``(images, labels)``, (1797, 8, 8) and (1797,): each pixel counts the ink
    (0-16) of a 4x4 block of a 32x32 scan. Licence CC BY 4.0, cite `UCI_DIGITS_CITATION`;
    `path` reads another copy laid out like the shipped `UCI_DIGITS_FILE`.
    """
    file = UCI_DIGITS_FILE if path is None else path
    if path is None and not file.is_file():
        raise ValueError(f"the book's copy of the UCI digits is missing ({file}); reinstall the helpers "
                         "package (pip install cnn-mnist-helpers) or remake it with tools/extract_uci_digits.py.")
    return _v.uci_arrays(_v.load_npz(file, ("images", "labels"), "UCI digits .npz file"), file)
