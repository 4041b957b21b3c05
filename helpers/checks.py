"""Self-checks for the exercises: call one right under your answer.

Each check prints a clear pass (✅) or a fail (❌) that says what was expected and what came,
never a bare traceback. With the environment variable ``CNN_BOOK_STRICT_CHECKS=1`` (the
book's build and tests set it) a failed check also raises AssertionError, so a published
solution that stops working fails the build.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np

STRICT_ENV_VAR = "CNN_BOOK_STRICT_CHECKS"


class CheckFailed(AssertionError):
    """Raised by a failed check in strict mode."""


def _passed(exercise: str, detail: str = "") -> bool:
    print(f"✅ {exercise}: correct." + (f" {detail}" if detail else ""))
    return True


def _failed(exercise: str, detail: str) -> bool:
    print(f"❌ {exercise}: not yet. {detail}")
    if os.environ.get(STRICT_ENV_VAR) == "1":
        raise CheckFailed(f"{exercise}: {detail}")
    return False


def _not_done(exercise: str) -> bool:
    return _failed(exercise, "Your answer still raises NotImplementedError: replace the stub with your code.")


def _call(exercise: str, function: Any, *args: Any) -> tuple[bool, Any]:
    """Call a student's function; turn a stub or a crash into a sentence. Returns (ok, value)."""
    if not callable(function):
        return False, _failed(exercise, f"expected a function, got {type(function).__name__}.")
    try:
        return True, function(*args)
    except NotImplementedError:
        return False, _not_done(exercise)
    except Exception as error:  # the student's code raised: say so plainly
        return False, _failed(exercise, f"calling your function raised {type(error).__name__}: {error}")


def check_number(exercise: str, answer: Any, expected: float, *, tol: float = 0.0, hint: str = "") -> bool:
    """Compare a numeric answer with the expected value (within `tol`)."""
    if answer is None or answer is Ellipsis:
        return _not_done(exercise)
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return _failed(exercise, f"expected a number, got {type(answer).__name__} {answer!r}.")
    if abs(value - expected) <= tol:
        return _passed(exercise, f"{expected:g} it is.")
    off = value - expected
    more = f" You are off by {off:+g}." if float(off).is_integer() and abs(off) <= 2 else ""
    return _failed(exercise, f"expected {expected:g}, got {value:g}.{more} {hint}".strip())


def check_array(
    exercise: str, answer: Any, expected: np.ndarray, *, atol: float = 1e-6, check_dtype: bool = True
) -> bool:
    """Compare an array answer with the expected array: shape, then dtype, then values."""
    if answer is None or answer is Ellipsis:
        return _not_done(exercise)
    answer = np.asarray(answer)
    expected = np.asarray(expected)
    if answer.shape != expected.shape:
        return _failed(exercise, f"expected shape {expected.shape}, got {answer.shape}.")
    if check_dtype and answer.dtype != expected.dtype:
        return _failed(exercise, f"expected dtype {expected.dtype}, got {answer.dtype}.")
    if not np.allclose(answer.astype(float), expected.astype(float), atol=atol):
        worst = np.unravel_index(np.argmax(np.abs(answer.astype(float) - expected)), expected.shape)
        return _failed(
            exercise,
            f"shape and dtype are right, but values differ: at index {tuple(int(i) for i in worst)} "
            f"expected {expected[worst]!r}, got {answer[worst]!r}.",
        )
    return _passed(exercise, f"shape {expected.shape}, dtype {expected.dtype}.")


def check_function(
    exercise: str, function: Callable[..., Any], cases: list[tuple[tuple, Any]], *, atol: float = 1e-6
) -> bool:
    """Call `function` on each case's arguments and compare with the expected result."""
    for args, expected in cases:
        ok, got = _call(exercise, function, *args)
        if not ok:
            return False
        same = (
            np.shape(got) == np.shape(expected) and np.allclose(np.asarray(got, float), np.asarray(expected, float), atol=atol)
            if isinstance(expected, (np.ndarray, float))
            else got == expected
        )
        if not same:
            shown = ", ".join(_short(a) for a in args)
            return _failed(exercise, f"for input {shown} expected {_short(expected)}, got {_short(got)}.")
    return _passed(exercise, f"all {len(cases)} test cases pass.")


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}" if value.size > 12 else np.array2string(value, precision=3)
    return repr(value)
