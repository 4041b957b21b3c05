"""Chapter 7's exercise checks (going further): call one right under your answer."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from helpers.checks.core import (
    CheckResult,
    _describe,
    _equals,
    _expected,
    _failed,
    _guard,
    _not_done,
    _passed,
    check_function,
    check_number,
)


@_guard("Parameters of the third block")
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
            return _failed(name, f"{value:,} is not it: {hint}" + _expected(f"{weights + norm:,}"))
    return check_number(name, answer, weights + norm,
                        hint="Kernel 3x3, 64 input channels, 128 filters; batch norm stores 4 numbers per channel.")


@_guard("Transformations that keep the label")
def check_label_preserving(answer: Any) -> CheckResult:
    """Chapter 7: which transformations keep a digit's label (a set of letters)."""
    name = "Transformations that keep the label"
    expected = {"a", "c", "e"}
    if answer is None or answer is Ellipsis:
        return _not_done(name)
    if not isinstance(answer, (set, frozenset, list, tuple)) or not all(isinstance(x, str) for x in answer):
        return _failed(name, f"expected a set of letters such as {{'a', 'b'}}, got {_describe(answer)}.")
    got = {x.strip().lower() for x in answer}
    unknown = sorted(got - set("abcdef"))
    if unknown:
        return _failed(name, f"the choices are the letters a to f; {unknown} {'is' if len(unknown) == 1 else 'are'} not among them.")
    if got == expected:
        return _passed(name, "small shifts, small rotations and zooms keep a digit what it is.")
    right, wrong = len(got & expected), len(got - expected)
    # How many, never which: naming the wrong letters would let six letters reveal the answer.
    return _failed(
        name,
        f"of your {len(got)} letter{'s' if len(got) != 1 else ''}, {right} keep{'s' if right == 1 else ''} the label "
        f"and {wrong} change{'s' if wrong == 1 else ''} it, and {len(expected) - right} transformation"
        f"{'s' if len(expected) - right != 1 else ''} that keep{'s' if len(expected) - right == 1 else ''} it "
        "are missing. For each one, picture a 6, a 7 and a 2 transformed: would a reader still name the same digit?"
        + _expected("{'a', 'c', 'e'}"),
    )


@_guard("Cosine learning-rate schedule")
def check_cosine_lr(cosine_lr: Callable[[int, int, float], float]) -> CheckResult:
    """Chapter 7: `cosine_lr(step, total_steps, base)` as Keras's CosineDecay (alpha=0)."""
    name = "Cosine learning-rate schedule"
    cases = [((0, 100, 0.002), 0.002), ((50, 100, 0.002), 0.001), ((100, 100, 0.002), 0.0),
             ((25, 100, 1.0), 0.5 * (1 + math.cos(math.pi / 4))), ((150, 100, 1.0), 0.0)]
    return check_function(name, cosine_lr, cases, atol=1e-9)
