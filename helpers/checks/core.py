"""The shared machinery of the exercise self-checks: verdicts, strict mode, and the generic
checks every chapter's checks are built on.

Each check prints a clear pass (✅) or a fail (❌) that says what was expected and what came,
never a bare traceback: a wrong shape, a wrong dtype, a count that is off by one, a stub
that still raises NotImplementedError, a function that crashes. With the environment
variable ``CNN_BOOK_STRICT_CHECKS=1`` (the book's build, its tests and an nbgrader
autograder set it) a failed check also raises `CheckFailed`, so a published solution that
stops working fails the build, and a wrong answer fails an autograded test cell.

The generic checks (`check_number`, `check_array`, `check_function`) live here; each
chapter's own checks, in `helpers.checks.chNN`, are thin wrappers that know the answer.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable
from typing import Any

import numpy as np

STRICT_ENV_VAR = "CNN_BOOK_STRICT_CHECKS"
#: Set to 1 by an instructor (never in a student's notebook) to add the expected value to
#: the fail line of a single-answer check; students get a hint that points to the reasoning.
SHOW_EXPECTED_ENV_VAR = "CNN_BOOK_SHOW_EXPECTED"


class CheckFailed(AssertionError):
    """Raised by a failed check in strict mode."""


class CheckResult:
    """What a check returns: true when the answer passed, false when it did not.

    Use it as a bool (``assert check_x(...)``, ``if not check_x(...)``) or compare it with
    ``==`` to True or False (``is True`` does not work: it is not a bool). `message` holds the
    printed verdict. It displays nothing in a notebook, since the check has already printed
    its verdict, so a check cell shows the ✅ or ❌ line alone.
    """

    __slots__ = ("passed", "message")

    def __init__(self, passed: bool, message: str) -> None:
        self.passed = bool(passed)
        self.message = message

    def __bool__(self) -> bool:
        return self.passed

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (bool, np.bool_, CheckResult)):
            return self.passed == bool(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.passed)

    def __repr__(self) -> str:
        return f"CheckResult(passed={self.passed}, message={self.message!r})"

    def _ipython_display_(self) -> None:
        """Show nothing: the check printed its verdict already."""


def strict() -> bool:
    """Whether failed checks raise: ``CNN_BOOK_STRICT_CHECKS`` is 1 (or true/yes/on)."""
    return os.environ.get(STRICT_ENV_VAR, "").strip().lower() in {"1", "true", "yes", "on"}


def show_expected() -> bool:
    """Whether fail lines include the expected answer: ``CNN_BOOK_SHOW_EXPECTED`` is 1 (instructors)."""
    return os.environ.get(SHOW_EXPECTED_ENV_VAR, "").strip().lower() in {"1", "true", "yes", "on"}


def _expected(text: str) -> str:
    """' (the answer is X)' for an instructor, '' for a student: fail lines never give it away."""
    return f" (instructor: the answer is {text})" if show_expected() else ""


def _guard(exercise: str) -> Callable[[Callable[..., CheckResult]], Callable[..., CheckResult]]:
    """Wrap a chapter's check so that an answer of a kind it did not foresee (a ragged list,
    a dict with odd keys, an object NumPy cannot read) gets a FAIL line, never a traceback."""

    def wrap(check: Callable[..., CheckResult]) -> Callable[..., CheckResult]:
        @functools.wraps(check)
        def guarded(*args: Any, **kwargs: Any) -> CheckResult:
            try:
                return check(*args, **kwargs)
            except CheckFailed:
                raise
            except Exception as error:  # the answer is of a kind the check could not read
                answer = args[0] if args else next(iter(kwargs.values()), None)
                return _failed(
                    exercise,
                    f"your answer is {_describe(answer)}, which this check cannot read "
                    f"({type(error).__name__}: {str(error)[:120]}). Look again at what the exercise asks for.",
                )

        return guarded

    return wrap


def _passed(exercise: str, detail: str = "") -> CheckResult:
    message = f"✅ {exercise}: correct." + (f" {detail}" if detail else "")
    print(message)
    return CheckResult(True, message)


def _failed(exercise: str, detail: str) -> CheckResult:
    message = f"❌ {exercise}: not yet. {detail}"
    print(message)
    if strict():
        raise CheckFailed(f"{exercise}: {detail}")
    return CheckResult(False, message)


def _not_done(exercise: str) -> CheckResult:
    return _failed(exercise, "Your answer still raises NotImplementedError: replace the stub with your code.")


def _plain(value: Any) -> Any:
    """NumPy scalars as Python numbers, inside lists and tuples too (for readable messages)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


def _num(value: float) -> str:
    """A number for a message: integers in full with thousands separators, else 6 digits."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.6g}"


def _describe(value: Any) -> str:
    """What a wrong answer is, in a few words: 'an array of shape (2, 3)', "the string '5'"."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (str, bytes)):
        return f"the {type(value).__name__} {value!r}"
    if isinstance(value, (list, tuple, set, dict)):
        return f"a {type(value).__name__} of {len(value)} items"
    if callable(value) and hasattr(value, "__name__"):
        return f"the function {value.__name__!r}"
    text = repr(_plain(value))
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        if value.size > 12:
            return f"an array of shape {value.shape}"
        return " ".join(np.array2string(value, precision=3, separator=", ").split()).replace("[ ", "[")
    text = repr(_plain(value))
    return text if len(text) <= 80 else text[:77] + "..."


def _call(exercise: str, function: Any, *args: Any) -> tuple[bool, Any]:
    """Call a student's function; turn a stub or a crash into a sentence. Returns (ok, value).

    NumPy arrays are passed as copies, so a function that changes its input in place cannot
    spoil the next test case.
    """
    if not callable(function):
        return False, _failed(exercise, f"expected a function, got {_describe(function)}.")
    args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
    try:
        return True, function(*args)
    except NotImplementedError:
        return False, _not_done(exercise)
    except Exception as error:  # the student's code raised: say so plainly
        return False, _failed(exercise, f"calling your function raised {type(error).__name__}: {error}")


def check_number(
    exercise: str, answer: Any, expected: float, *, tol: float = 0.0, hint: str = ""
) -> CheckResult:
    """Compare a single number (int, float or NumPy scalar) with `expected`, within `tol`.

    A bool, a string or an array is not a number, even when it would convert to one. When a
    whole-number answer is off by 1 or 2 the message says so (a parameter count that forgot
    the biases, an output size off by one); `hint` is added to the fail message.
    """
    if answer is None or answer is Ellipsis:
        return _not_done(exercise)
    if callable(answer) and not isinstance(answer, np.ndarray):
        return _failed(exercise, f"you passed the function {getattr(answer, '__name__', 'itself')!r} without calling it; "
                                 "the answer is the number it returns (add the parentheses).")
    try:
        scalar = np.ndim(answer) == 0
    except (TypeError, ValueError):  # a ragged list
        scalar = False
    if isinstance(answer, (bool, np.bool_, str, bytes, dict, set)) or not scalar:
        return _failed(exercise, f"expected a single number, got {_describe(answer)}.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return _failed(exercise, f"expected a number, got {_describe(answer)}.")
    if abs(value - expected) <= tol:
        detail = f"{_num(expected)} it is." if tol == 0 else f"{value:.6g} is within {tol:g} of the answer."
        return _passed(exercise, detail)
    if math.isnan(value):
        return _failed(exercise, f"your answer is NaN (not a number): a division by zero somewhere? {hint}".strip())
    off = value - expected
    close = " It is close: look for an off-by-one step." if off.is_integer() and abs(off) <= 2 else ""
    return _failed(exercise, f"{_num(value)} is not it.{close} {hint}".strip() + _expected(_num(expected)))


def check_array(
    exercise: str, answer: Any, expected: np.ndarray, *, atol: float = 1e-6, check_dtype: bool = True
) -> CheckResult:
    """Compare an array answer with the expected array: shape, then dtype, then values.

    Anything NumPy can turn into a numeric array (a list, a tensor) is accepted; values must
    agree within `atol`, and the fail message names the first index where they differ most.
    """
    if answer is None or answer is Ellipsis:
        return _not_done(exercise)
    expected = np.asarray(expected)
    try:
        got = np.asarray(answer)
    except (TypeError, ValueError):  # a ragged list, an object NumPy cannot read
        got = None
    if got is None or got.dtype == object:
        return _failed(exercise, f"expected an array of shape {expected.shape}, got {_describe(answer)}.")
    if got.shape != expected.shape:
        return _failed(exercise, f"expected shape {expected.shape}, got {got.shape}.")
    if check_dtype and got.dtype != expected.dtype:
        return _failed(exercise, f"expected dtype {expected.dtype}, got {got.dtype}.")
    try:
        diff = np.abs(got.astype(np.float64) - expected.astype(np.float64))
    except (TypeError, ValueError):
        return _failed(exercise, f"expected numbers, got values of dtype {got.dtype}.")
    if not np.all(diff <= atol):  # NaN counts as different
        worst = np.unravel_index(int(np.argmax(np.where(np.isnan(diff), np.inf, diff))), expected.shape)
        where = tuple(int(i) for i in worst)
        return _failed(
            exercise,
            f"shape and dtype are right, but values differ: at index {where} "
            f"expected {_short(expected[worst])}, got {_short(got[worst])}.",
        )
    return _passed(exercise, f"shape {expected.shape}, dtype {got.dtype}.")


def _same(got: Any, expected: Any, atol: float) -> bool:
    """Whether a function's result matches: arrays and floats within `atol` and of the same
    shape, lists and tuples item by item (any sequence type), anything else with ``==``."""
    try:
        if isinstance(expected, (np.ndarray, float, np.floating)):
            if isinstance(got, (str, bytes)):
                return False
            values = np.asarray(got, dtype=np.float64)
            return values.shape == np.shape(expected) and bool(
                np.allclose(values, np.asarray(expected, dtype=np.float64), atol=atol, rtol=0)
            )
        if isinstance(expected, (list, tuple)):
            if not isinstance(got, (list, tuple, np.ndarray)) or len(got) != len(expected):
                return False
            return all(_same(g, e, atol) for g, e in zip(got, expected, strict=True))
        if isinstance(got, np.ndarray) and got.ndim > 0:
            return False
        return bool(got == expected)
    except Exception:  # a comparison that cannot be made is a mismatch
        return False


def check_function(
    exercise: str, function: Callable[..., Any], cases: list[tuple[tuple, Any]], *, atol: float = 1e-6
) -> CheckResult:
    """Call `function` on each case's arguments and compare with the expected result.

    `cases` is a list of ``(args, expected)``; the first case that fails is reported with
    its input, the expected and the actual result. See `_same` for how results compare.
    """
    if not cases:
        raise ValueError("check_function needs at least one (args, expected) case; got none.")
    for args, expected in cases:
        ok, got = _call(exercise, function, *args)
        if not ok:
            return got
        if not _same(got, expected, atol):
            shown = ", ".join(_short(a) for a in args)
            return _failed(exercise, f"for input {shown} expected {_short(expected)}, got {_short(got)}.")
    return _passed(exercise, "the test case passes." if len(cases) == 1 else f"all {len(cases)} test cases pass.")


def _equals(answer: Any, value: float) -> bool:
    """Whether `answer` is a single number equal to `value` (False for arrays, strings, bools)."""
    if isinstance(answer, (bool, np.bool_, str, bytes)):
        return False
    try:
        return np.ndim(answer) == 0 and float(answer) == value
    except (TypeError, ValueError):
        return False
