"""Chapter 9's exercise checks (your own digit): call one right under your answer."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.checks.core import (
    CheckResult,
    _call,
    _failed,
    _guard,
    _same,
    _short,
    check_function,
)


@_guard("Size in the 20x20 box")
def check_box_size(box_size: Callable[[int, int], tuple[int, int]]) -> CheckResult:
    """Exercise 9.1: `box_size(height, width)` of the ink scaled so its longer side is 20."""
    exercise = "Size in the 20x20 box"
    ok, got = _call(exercise, box_size, 100, 20)
    if not ok:
        return got
    if np.shape(got) == (2,) and _same(got, (4, 20), 0):
        return _failed(exercise, "for height 100, width 20 you gave (4, 20): that is (width, height); return (height, width).")
    if np.shape(got) == (2,) and _same(got, (20, 20), 0):
        return _failed(exercise, "for 100 × 20 you gave (20, 20): keep the aspect ratio, the shorter side shrinks by the same factor.")
    cases = [((100, 20), (20, 4)), ((20, 100), (4, 20)), ((60, 60), (20, 20)), ((7, 3), (20, 9)), ((33, 50), (13, 20)), ((300, 1), (20, 1))]
    return check_function(exercise, box_size, cases)


@_guard("Invert if the background is light")
def check_invert_if_light(invert_if_light: Callable[[np.ndarray], np.ndarray]) -> CheckResult:
    """Exercise 9.2: `invert_if_light(gray)` is 1 - gray when the border's median is above 0.5."""
    exercise = "Invert if the background is light"
    rng = np.random.default_rng(9)
    paper = np.clip(0.85 + rng.normal(0, 0.03, (30, 24)), 0, 1)
    paper[8:22, 10:14] = 0.1  # dark ink on light paper
    board = 1.0 - paper  # light ink on dark
    spotlight = np.zeros((30, 24))
    spotlight[3:27, 3:21] = 0.9  # a large light middle but a dark border: not inverted
    for image, expected, what in ((paper, 1.0 - paper, "dark ink on light paper (should be inverted)"),
                                  (board, board, "light ink on a dark board (should stay as it is)")):
        ok, got = _call(exercise, invert_if_light, image)
        if not ok:
            return got
        if not _same(got, expected, 1e-6):
            return _failed(exercise, f"for {what} expected {_short(expected)}, got {_short(got)}.")
    ok, got = _call(exercise, invert_if_light, spotlight)
    if not ok:
        return got
    if _same(got, 1.0 - spotlight, 1e-6):
        return _failed(exercise, "an image with a dark border and a large light middle was inverted: judge the background by the border pixels, not by the whole image.")
    # A large 7 on light paper: its bar runs along the top edge and its stroke down the right
    # edge, so 46 % of the border is ink. The border's mean falls below 0.5, its median does not.
    seven = np.clip(0.85 + rng.normal(0, 0.03, (30, 24)), 0, 1)
    seven[0, :] = 0.05
    seven[1:25, -1] = 0.05
    ok, got = _call(exercise, invert_if_light, seven)
    if not ok:
        return got
    if _same(got, seven, 1e-6):
        return _failed(exercise, "a digit on light paper whose stroke runs along the border was left as it is: "
                                 "a few dark border pixels pull the border's mean down, but not its median.")
    return check_function(exercise, invert_if_light, [((paper,), 1.0 - paper), ((board,), board),
                                                      ((spotlight,), spotlight), ((seven,), 1.0 - seven)])


@_guard("Centre of mass")
def check_center_of_mass(center_of_mass: Callable[[np.ndarray], tuple[float, float]]) -> CheckResult:
    """Exercise 9.3: `center_of_mass(image)` is the brightness-weighted mean (row, column)."""
    exercise = "Centre of mass"
    dot = np.zeros((28, 28))
    dot[3, 5] = 1.0
    ok, got = _call(exercise, center_of_mass, dot)
    if not ok:
        return got
    if np.shape(got) == (2,) and _same(got, (5.0, 3.0), 1e-6):
        return _failed(exercise, "for a single pixel at row 3, column 5 you gave (5, 3): return (row, column).")
    pair = np.zeros((28, 28))
    pair[10, 4], pair[10, 20] = 1.0, 3.0
    ramp = np.outer(np.linspace(0, 1, 28), np.ones(28))
    cases = [((dot,), (3.0, 5.0)), ((pair,), (10.0, 16.0)), ((ramp,), (55 / 3, 13.5))]
    return check_function(exercise, center_of_mass, cases)
