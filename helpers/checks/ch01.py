"""Chapter 1's exercise checks (what a CNN does): call one right under your answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.checks.core import (
    CheckResult,
    _call,
    _describe,
    _equals,
    _failed,
    _guard,
    _short,
    check_function,
    check_number,
)


@_guard("Size after convolution and pooling")
def check_pooled_size(pooled_size: Any) -> CheckResult:
    """Chapter 1: side of a 28x28 image after a valid 5x5 convolution, then 2x2 max pooling."""
    name = "Size after convolution and pooling"
    if _equals(pooled_size, 24):
        return _failed(name, "24 is the size after the convolution; the 2x2 pooling comes next.")
    if _equals(pooled_size, 13):
        return _failed(name, "13 is right for a 3x3 kernel; this exercise uses a 5x5 one.")
    return check_number(
        name, pooled_size, 12,
        hint="A valid k x k convolution leaves size - k + 1 pixels; 2x2 pooling then halves that, rounding down.",
    )


@_guard("Average pooling")
def check_avg_pool(avg_pool_2x2: Callable[[np.ndarray], np.ndarray]) -> CheckResult:
    """Chapter 1: `avg_pool_2x2(feature_map)` averages each 2x2 window, dropping an odd edge."""
    name = "Average pooling"
    ok, got = _call(name, avg_pool_2x2, np.arange(25.0).reshape(5, 5))
    if not ok:
        return got
    if np.shape(got) != (2, 2):
        return _failed(
            name,
            f"a 5x5 map should pool to shape (2, 2), got {np.shape(got)}. Like Keras's pooling, "
            "drop a last row or column that has no partner.",
        )
    cases = [
        ((np.arange(16.0).reshape(4, 4),), np.array([[2.5, 4.5], [10.5, 12.5]])),
        ((np.arange(25.0).reshape(5, 5),), np.array([[3.0, 5.0], [13.0, 15.0]])),
        ((np.array([[1.0, -1.0], [4.0, 0.0]]),), np.array([[1.0]])),
        ((np.ones((6, 4)),), np.ones((3, 2))),
    ]
    return check_function(name, avg_pool_2x2, cases)


def _floats(value: Any) -> np.ndarray | None:
    """`value` as a float64 array, or None for None, a string or anything NumPy cannot read."""
    if value is None or isinstance(value, (str, bytes, dict)):
        return None
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


@_guard("A softmax that does not overflow")
def check_softmax(softmax: Callable[[np.ndarray], np.ndarray]) -> CheckResult:
    """Chapter 1: `softmax(scores)` for a 1-D array, safe for large scores."""
    name = "A softmax that does not overflow"
    big = np.array([1000.0, 1001.0, 1002.0])
    with np.errstate(over="ignore", invalid="ignore"):
        ok, got = _call(name, softmax, big)
    if not ok:
        return got
    values = _floats(got)
    if values is None:
        return _failed(name, f"3 scores should give 3 probabilities, an array of shape (3,); got {_describe(got)}.")
    if values.shape != big.shape:
        return _failed(name, f"3 scores should give 3 probabilities, shape (3,); got shape {values.shape}.")
    if not np.all(np.isfinite(values)):
        return _failed(
            name,
            f"for the scores [1000, 1001, 1002] you return {_short(values)}: np.exp(1000) overflows to "
            "inf. Subtract the largest score first; it does not change the result.",
        )
    spread = np.array([0.0, 1500.0, 3000.0])  # exp(z - mean) and exp(z - min) overflow here
    with np.errstate(over="ignore", invalid="ignore"):
        ok, got = _call(name, softmax, spread)
    if not ok:
        return got
    values = _floats(got)
    if values is None or values.shape != spread.shape or not np.all(np.isfinite(values)):
        return _failed(
            name,
            f"for the widely spread scores [0, 1500, 3000] you return {_short(got)}. Subtracting the mean "
            "or the smallest score still leaves exp of a large number; which score makes every exponent "
            "zero or negative?",
        )
    cases = [
        ((spread,), np.array([0.0, 0.0, 1.0])),
        ((np.array([0.0, 0.0]),), np.array([0.5, 0.5])),
        ((np.array([1.0, 2.0, 3.0]),), np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()),
        ((big,), np.exp([-2.0, -1.0, 0.0]) / np.exp([-2.0, -1.0, 0.0]).sum()),
        ((np.array([-5.0, 0.0, 5.0, 0.0]),), np.exp([-5.0, 0.0, 5.0, 0.0]) / np.exp([-5.0, 0.0, 5.0, 0.0]).sum()),
    ]
    return check_function(name, softmax, cases)


@_guard("The network on larger images")
def check_flatten_size_32(flatten_size: Any) -> CheckResult:
    """Chapter 1: values out of Flatten when the book's network reads 32x32 images (2*2*64)."""
    name = "The network on larger images"
    if _equals(flatten_size, 64):
        return _failed(name, "64 is the size for 28x28 images; follow the sizes again from 32.")
    if _equals(flatten_size, 2) or _equals(flatten_size, 4):
        return _failed(name, f"{flatten_size} counts the pixels of one map; Flatten also multiplies by the 64 channels.")
    return check_number(
        name, flatten_size, 256,
        hint="Go stage by stage with conv_output_size (3x3 convolution, then 2x2 pooling with stride 2), "
        "then multiply height x width x channels.",
    )


@_guard("A dense layer in place of the first convolution")
def check_dense_weights_for_maps(dense_weights_25: Any) -> CheckResult:
    """Chapter 1: weights (no biases) of a dense layer making 26x26x25 outputs from 784 pixels."""
    name = "A dense layer in place of the first convolution"
    outputs = 26 * 26 * 25
    hints = {
        25 * 9: "225 is what the convolution needs, because it shares its weights; the dense layer shares none.",
        28 * 28 * 26 * 26: "that is one feature map; the layer makes 25 of them.",
        28 * 28 * outputs + outputs: "that counts the biases too; the exercise asks for the weights only.",
        28 * 28 * 25: "a dense layer has a weight for every pixel-output pair, not one per pixel and filter.",
        outputs: "each of the outputs reads all 784 pixels, with a weight for each.",
    }
    for value, hint in hints.items():
        if _equals(dense_weights_25, value):
            return _failed(name, hint)
    return check_number(
        name, dense_weights_25, 28 * 28 * outputs,
        hint="Count the outputs (26 x 26 x 25), then give each of them one weight per input pixel.",
    )
