"""Chapter 7's exercise checks (going further): call one right under your answer."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from helpers.checks.core import (
    CheckResult,
    _describe,
    _equals,
    _failed,
    _not_done,
    _passed,
    check_function,
    check_number,
)


def check_block3_params(answer: Any) -> CheckResult:
    """Chapter 7: parameters of `conv2d_3` (no bias) plus `batch_norm_3` in the improved network."""
    name = "Parameters of the third block"
    weights, norm = 3 * 3 * 64 * 128, 4 * 128
    hints = {
        weights: "that is the convolution alone; batch norm adds four numbers per channel.",
        weights + 128: "a bias is not used here (batch norm's beta replaces it), and batch norm keeps four numbers per channel.",
        weights + 2 * 128: "batch norm also keeps a moving mean and variance per channel (not trained, but stored).",
        weights + 128 + norm: "with batch norm the convolution has no bias (use_bias=False).",
    }
    if _equals(answer, weights + norm) or answer is None or answer is Ellipsis:
        return check_number(name, answer, weights + norm)
    for value, hint in hints.items():
        if _equals(answer, value):
            return _failed(name, f"expected {weights + norm:,}, got {value:,}: {hint}")
    return check_number(name, answer, weights + norm,
                        hint="Kernel 3x3, 64 input channels, 128 filters; batch norm stores 4 numbers per channel.")


def check_label_preserving(answer: Any) -> CheckResult:
    """Chapter 7: which transformations keep a digit's label (a set of letters)."""
    name = "Transformations that keep the label"
    expected = {"a", "c", "e"}
    if answer is None or answer is Ellipsis:
        return _not_done(name)
    if not isinstance(answer, (set, frozenset, list, tuple)) or not all(isinstance(x, str) for x in answer):
        return _failed(name, f"expected a set of letters such as {{'a', 'b'}}, got {_describe(answer)}.")
    got = {x.strip().lower() for x in answer}
    if got == expected:
        return _passed(name, "small shifts, small rotations and zooms keep a digit what it is.")
    wrong = sorted(got - expected)
    missing = sorted(expected - got)
    reasons = {"b": "a mirrored 2, 3 or 7 is not a digit", "d": "a 6 turned by 180 degrees reads as a 9",
               "f": "flipped upside down, a 6 becomes a 9-like shape and a 7 an unfamiliar one"}
    parts = [f"'{x}' changes the label ({reasons.get(x, 'not one of a-f')})" for x in wrong]
    parts += [f"'{x}' keeps the label and is missing" for x in missing]
    return _failed(name, "; ".join(parts) + ".")


def check_cosine_lr(cosine_lr: Callable[[int, int, float], float]) -> CheckResult:
    """Chapter 7: `cosine_lr(step, total_steps, base)` as Keras's CosineDecay (alpha=0)."""
    name = "Cosine learning-rate schedule"
    cases = [((0, 100, 0.002), 0.002), ((50, 100, 0.002), 0.001), ((100, 100, 0.002), 0.0),
             ((25, 100, 1.0), 0.5 * (1 + math.cos(math.pi / 4))), ((150, 100, 1.0), 0.0)]
    return check_function(name, cosine_lr, cases, atol=1e-9)
