"""Chapter 2's exercise checks (loading MNIST): call one right under your answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.checks.core import (
    CheckResult,
    _call,
    _equals,
    _failed,
    _guard,
    check_array,
    check_function,
    check_number,
)

MNIST_TRAIN_COUNTS = (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949)
MNIST_TEST_COUNTS = (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009)


@_guard("Counting sevens")
def check_n_sevens(n_sevens: Any) -> CheckResult:
    """Chapter 2: how many training images show the digit 7."""
    name = "Counting sevens"
    if _equals(n_sevens, MNIST_TEST_COUNTS[7]):
        return _failed(name, f"{n_sevens:,} is the number of sevens in the test set; count them in y_train.")
    if _equals(n_sevens, 7):
        return _failed(name, "7 is the digit; count how many labels in y_train equal it.")
    return check_number(name, n_sevens, MNIST_TRAIN_COUNTS[7], hint="Compare y_train with 7 and count the True values.")


@_guard("The first examples of a digit")
def check_examples_of(examples_of: Callable[..., np.ndarray]) -> CheckResult:
    """Chapter 2: `examples_of(digit, images, labels, n)` returns the first n images of a digit."""
    name = "The first examples of a digit"
    images = (np.arange(12, dtype=np.uint8)[:, None, None] * np.ones((1, 28, 28), dtype=np.uint8))
    labels = np.array([3, 1, 3, 0, 3, 1, 2, 3, 9, 1, 3, 5], dtype=np.uint8)
    ok, got = _call(name, examples_of, 3, images, labels, 2)
    if not ok:
        return got
    if np.shape(got) != (2, 28, 28):
        more = " (did you return the labels instead of the images?)" if np.shape(got) == (2,) else ""
        return _failed(name, f"examples_of(3, images, labels, 2) should have shape (2, 28, 28); got {np.shape(got)}{more}.")
    cases = [
        ((3, images, labels, 2), images[[0, 2]].astype(np.float64)),
        ((1, images, labels, 3), images[[1, 5, 9]].astype(np.float64)),
        ((9, images, labels, 1), images[[8]].astype(np.float64)),
    ]
    return check_function(name, examples_of, cases)


@_guard("Which digit uses the most ink?")
def check_mean_ink(mean_ink: Any, images: np.ndarray, labels: np.ndarray) -> CheckResult:
    """Chapter 2: the average pixel value of each digit's images, an array of shape (10,)."""
    name = "Which digit uses the most ink?"
    images = np.asarray(images)
    labels = np.asarray(labels)
    expected = np.array([images[labels == k].mean() for k in range(10)])
    shape = np.shape(mean_ink) if mean_ink is not None and mean_ink is not Ellipsis else None
    if shape == (10, 28, 28):
        return _failed(name, "you have one average image per digit, shape (10, 28, 28); average over the pixels too.")
    if shape == () and isinstance(mean_ink, (int, float, np.number)):
        return _failed(name, "you have one number; we want one average per digit, shape (10,).")
    return check_array(name, mean_ink, expected, atol=1e-3, check_dtype=False)
