"""Chapter 8's exercise checks (inside the CNN): call one right under your answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.checks.core import (
    CheckResult,
    _equals,
    _expected,
    _failed,
    _guard,
    _num,
    _passed,
    check_function,
    check_number,
)


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
    from helpers.inspection import receptive_field

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
