"""Chapter 8's exercise checks (inside the CNN): call one right under your answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.checks.core import (
    CheckResult,
    _describe,
    _equals,
    _expected,
    _failed,
    _guard,
    _not_done,
    _num,
    _passed,
    check_function,
    check_number,
)
from helpers.inspection import gradient_mask, receptive_field
from helpers.models import build_seed_cnn


@_guard("Numbers in conv2d_2's feature maps")
def check_conv2d_2_values(answer: Any) -> CheckResult:
    """Exercise 8.1: how many numbers conv2d_2 outputs for one digit (64 maps of 11x11)."""
    exercise = "Numbers in conv2d_2's feature maps"
    hints = {
        11 * 11: "That is one map; conv2d_2 has 64 filters, so it makes 64 maps.",
        64: "That is the number of maps; each one is 11 × 11.",
        13 * 13 * 64: "13 × 13 is the input of conv2d_2; its valid 3 × 3 convolution loses a pixel on each side.",
        5 * 5 * 64: "5 × 5 is after the pooling that follows conv2d_2; the question is about conv2d_2 itself.",
    }
    if _equals(answer, 11 * 11 * 64):
        return _passed(exercise, "64 maps of 11 × 11: 7,744 numbers.")
    for value, hint in hints.items():
        if _equals(answer, value):
            return _failed(exercise, f"{_num(value)} is not it. {hint}" + _expected(_num(11 * 11 * 64)))
    return check_number(exercise, answer, 11 * 11 * 64, hint="Chapter 4's table gives conv2d_2's output shape.")


@_guard("Receptive field with 5x5 first kernels")
def check_receptive_field_5x5(answer: Any) -> CheckResult:
    """Exercise 8.2: receptive field of one conv2d_2 pixel when conv2d_1 uses 5x5 kernels."""
    exercise = "Receptive field with 5x5 first kernels"
    expected = receptive_field([(5, 1), (2, 2), (3, 1)])
    hints = {
        8: "8 is the receptive field with the original 3 × 3 first kernels; make the first window 5.",
        9: "After the 2 × 2 pooling (stride 2) one step of conv2d_2 moves 2 input pixels: its 3 × 3 window adds (3 - 1) × 2.",
        7: "Remember the pooling: its 2 × 2 window adds (2 - 1) × 1 before conv2d_2.",
    }
    for value, hint in hints.items():
        if _equals(answer, value):
            return _failed(exercise, f"{value} is not it. {hint}" + _expected(str(expected)))
    return check_number(
        exercise, answer, expected,
        hint="Go layer by layer: each window adds (window - 1) × (product of the strides before it).",
    )


@_guard("Occlusion")
def check_occlude(occlude: Callable[[np.ndarray, int, int, int], np.ndarray]) -> CheckResult:
    """Exercise 8.3: `occlude(image, top, left, size)` blanks a size×size square, on a copy."""
    exercise = "Occlusion"
    image = np.random.default_rng(8).random((28, 28)).astype(np.float32)
    probe = image.copy()
    try:
        occlude(probe, 4, 4, 6)
    except Exception:  # reported with a sentence by check_function below
        pass
    else:
        if not np.array_equal(probe, image):
            return _failed(exercise, "your function changed the image it was given; blank a copy (image.copy()) and return that.")
    cases = []
    for top, left, size in ((0, 0, 6), (10, 12, 4), (25, 20, 6), (3, 17, 1)):
        expected = image.copy()
        expected[top : top + size, left : left + size] = 0.0
        cases.append(((image, top, left, size), expected))
    return check_function(exercise, occlude, cases)


@_guard("Pixels that can change the prediction")
def check_pixels_that_can_change(answer: Any) -> CheckResult:
    """Exercise 8.4: which input pixels can change the seed network's output, a bool (28, 28).

    Compared with the mask where the gradient of the class scores with respect to the input is
    not identically zero (the seed architecture, on random images). A wrong answer gets the
    number of pixels it marks wrongly either way and a hint, never the mask itself.
    """
    exercise = "Pixels that can change the prediction"
    if answer is None or answer is Ellipsis:
        return _not_done(exercise)
    got = np.asarray(answer)
    if got.shape != (28, 28) or not (got.dtype == np.bool_ or np.isin(got, (0, 1)).all()):
        return _failed(exercise, f"expected a (28, 28) array of True/False, one per input pixel; got {_describe(answer)}.")
    got = got.astype(bool)
    images = np.random.default_rng(12).random((4, 28, 28, 1)).astype(np.float32)
    expected = gradient_mask(build_seed_cnn(), images)
    if np.array_equal(got, expected):
        return _passed(exercise, f"{int(expected.sum())} pixels can change it; the other {int((~expected).sum())} never reach the classifier.")
    extra, missed = int((got & ~expected).sum()), int((~got & expected).sum())
    if np.array_equal(got, ~expected):
        hint = "You marked exactly the pixels that can NOT change it: flip your mask."
    elif got.all():
        hint = "Not every pixel reaches the output: follow the rows through the three poolings, as in chapter 4."
    else:
        hint = ("The answer is the same for every image (it comes from the architecture, not from one digit's ink): "
                "ask which input rows the last pooling's window is built from.")
    return _failed(exercise, f"{extra} pixels marked True cannot change the output, and {missed} marked False can. {hint}")
