"""Chapter 3's exercise checks (scaling and reshaping): call one right under your answer."""

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
    _num,
    check_array,
    check_function,
    check_number,
)


@_guard("Memory of the prepared test set")
def check_test_bytes(test_bytes: Any) -> CheckResult:
    """Chapter 3: bytes of the prepared test set, (10000, 28, 28, 1) float32."""
    name = "Memory of the prepared test set"
    expected = 10000 * 28 * 28 * 1 * 4
    if _equals(test_bytes, expected // 4):
        return _failed(name, f"{test_bytes:,} bytes is one byte per value, as for uint8; a float32 takes 4.")
    if _equals(test_bytes, expected * 2):
        return _failed(name, f"{test_bytes:,} bytes is 8 bytes per value, as for float64; a float32 takes 4.")
    if _equals(test_bytes, expected / 1e6):
        return _failed(name, "that is the size in megabytes; give it in bytes.")
    return check_number(name, test_bytes, expected, hint="Multiply the number of values by the bytes per float32.")


@_guard("Write the preparation step")
def check_prepare(prepare: Callable[[np.ndarray], np.ndarray]) -> CheckResult:
    """Chapter 3: `prepare(images)` turns uint8 (n, 28, 28) into float32 (n, 28, 28, 1) in [0, 1]."""
    name = "Write the preparation step"
    # No pixel is 0 or 255: scaling by the batch's own extremes (x / x.max(), min-max) agrees
    # with / 255 on a batch that holds both, so these inputs leave them out.
    raw = np.random.default_rng(3).integers(3, 241, size=(3, 28, 28), dtype=np.uint8)
    expected = (raw.astype(np.float32) / 255).reshape(3, 28, 28, 1)
    ok, got = _call(name, prepare, raw)
    if not ok:
        return got
    if got is None:
        return _failed(name, "your function returned None: did you forget `return`?")
    got_array = np.asarray(got)
    if got_array.shape == (3, 784):
        return _failed(name, "you flattened each image to 784 values; Conv2D needs (n, 28, 28, 1): add a channel axis.")
    if got_array.shape == (3, 28, 28):
        return _failed(name, "the shape is still (n, 28, 28); add the channel axis Conv2D expects, (n, 28, 28, 1).")
    if got_array.shape == expected.shape and np.issubdtype(got_array.dtype, np.number) and got_array.max() > 1:
        return _failed(name, f"the largest value is {_num(got_array.max())}; scale the pixels to [0, 1] by dividing by 255.")
    if got_array.dtype == np.float64:
        return _failed(name, "the values are float64 (what `/ 255` gives by default); make them float32.")
    if got_array.shape == expected.shape and got_array.dtype != np.float32:
        return _failed(name, f"expected dtype float32, got {got_array.dtype}.")
    if got_array.shape == expected.shape and np.isclose(got_array.max(), 1.0, atol=1e-6):
        return _failed(name, f"your largest value is 1, but no pixel in this batch is white (the brightest is "
                             f"{int(raw.max())}, which should become {raw.max() / 255:.3f}): divide by 255, the most a "
                             "uint8 pixel can hold, not by the batch's own largest value.")
    if got_array.shape == expected.shape and np.isclose(got_array.min(), 0.0, atol=1e-6):
        return _failed(name, f"your smallest value is 0, but no pixel in this batch is black (the darkest is "
                             f"{int(raw.min())}): do not subtract the batch's smallest value; a pixel's scaled "
                             "value should not depend on the other images.")
    one = np.random.default_rng(4).integers(1, 200, size=(1, 28, 28), dtype=np.uint8)
    cases = [((raw,), expected), ((one,), (one.astype(np.float32) / 255).reshape(1, 28, 28, 1))]
    return check_function(name, prepare, cases)


@_guard("Flattening, for real")
def check_flattened(x_flat: Any, images: np.ndarray) -> CheckResult:
    """Chapter 3: `images` (n, 28, 28) reshaped to one row of 784 values per image."""
    name = "Flattening, for real"
    images = np.asarray(images)
    expected = images.reshape(len(images), -1)
    shape = np.shape(x_flat) if x_flat is not None and x_flat is not Ellipsis else None
    if shape == images.shape + (1,):
        return _failed(
            name,
            f"shape {shape} is the channel-axis reshape: each image is still 28x28. Flattening makes "
            f"one row of 784 values per image, shape {expected.shape}.",
        )
    if shape == (images.size,):
        return _failed(name, f"you flattened everything into one row of {images.size:,}; keep one row per image, shape {expected.shape}.")
    return check_array(name, x_flat, expected, atol=1e-6, check_dtype=False)
