"""Self-checks for the exercises: call one right under your answer.

Each check prints a clear pass (✅) or a fail (❌) that says what was expected and what came,
never a bare traceback: a wrong shape, a wrong dtype, a count that is off by one, a stub
that still raises NotImplementedError, a function that crashes. With the environment
variable ``CNN_BOOK_STRICT_CHECKS=1`` (the book's build, its tests and an nbgrader
autograder set it) a failed check also raises `CheckFailed`, so a published solution that
stops working fails the build, and a wrong answer fails an autograded test cell.

The generic checks (`check_number`, `check_array`, `check_function`) come first; each
chapter's own checks, further down, are thin wrappers that know the expected answer.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any

import numpy as np

STRICT_ENV_VAR = "CNN_BOOK_STRICT_CHECKS"


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
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
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
    try:
        scalar = np.ndim(answer) == 0
    except ValueError:  # a ragged list
        scalar = False
    if isinstance(answer, (bool, np.bool_, str, bytes)) or not scalar:
        return _failed(exercise, f"expected a single number, got {_describe(answer)}.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return _failed(exercise, f"expected a number, got {_describe(answer)}.")
    if abs(value - expected) <= tol:
        detail = f"{_num(expected)} it is." if tol == 0 else f"{value:.6g} is within {tol:g} of {_num(expected)}."
        return _passed(exercise, detail)
    off = value - expected
    more = f" You are off by {off:+g}." if not math.isnan(off) and off.is_integer() and abs(off) <= 2 else ""
    return _failed(exercise, f"expected {_num(expected)}, got {_num(value)}.{more} {hint}".strip())


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


# --- Chapters 1-3 ---
# Exercise names match the exercise titles in the chapters.

MNIST_TRAIN_COUNTS = (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949)
MNIST_TEST_COUNTS = (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009)


def _equals(answer: Any, value: float) -> bool:
    """Whether `answer` is a single number equal to `value` (False for arrays, strings, bools)."""
    if isinstance(answer, (bool, np.bool_, str, bytes)):
        return False
    try:
        return np.ndim(answer) == 0 and float(answer) == value
    except (TypeError, ValueError):
        return False


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


def check_softmax(softmax: Callable[[np.ndarray], np.ndarray]) -> CheckResult:
    """Chapter 1: `softmax(scores)` for a 1-D array, safe for large scores."""
    name = "A softmax that does not overflow"
    big = np.array([1000.0, 1001.0, 1002.0])
    with np.errstate(over="ignore", invalid="ignore"):
        ok, got = _call(name, softmax, big)
    if not ok:
        return got
    values = np.asarray(got, dtype=np.float64)
    if values.shape != big.shape:
        return _failed(name, f"3 scores should give 3 probabilities, shape (3,); got shape {values.shape}.")
    if not np.all(np.isfinite(values)):
        return _failed(
            name,
            f"for the scores [1000, 1001, 1002] you return {_short(values)}: np.exp(1000) overflows to "
            "inf. Subtract the largest score first; it does not change the result.",
        )
    cases = [
        ((np.array([0.0, 0.0]),), np.array([0.5, 0.5])),
        ((np.array([1.0, 2.0, 3.0]),), np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()),
        ((big,), np.exp([-2.0, -1.0, 0.0]) / np.exp([-2.0, -1.0, 0.0]).sum()),
        ((np.array([-5.0, 0.0, 5.0, 0.0]),), np.exp([-5.0, 0.0, 5.0, 0.0]) / np.exp([-5.0, 0.0, 5.0, 0.0]).sum()),
    ]
    return check_function(name, softmax, cases)


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


def check_n_sevens(n_sevens: Any) -> CheckResult:
    """Chapter 2: how many training images show the digit 7."""
    name = "Counting sevens"
    if _equals(n_sevens, MNIST_TEST_COUNTS[7]):
        return _failed(name, f"{n_sevens:,} is the number of sevens in the test set; count them in y_train.")
    if _equals(n_sevens, 7):
        return _failed(name, "7 is the digit; count how many labels in y_train equal it.")
    return check_number(name, n_sevens, MNIST_TRAIN_COUNTS[7], hint="Compare y_train with 7 and count the True values.")


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


def check_prepare(prepare: Callable[[np.ndarray], np.ndarray]) -> CheckResult:
    """Chapter 3: `prepare(images)` turns uint8 (n, 28, 28) into float32 (n, 28, 28, 1) in [0, 1]."""
    name = "Write the preparation step"
    raw = np.random.default_rng(3).integers(0, 256, size=(3, 28, 28), dtype=np.uint8)
    raw[0, 0, 0], raw[0, 0, 1] = 0, 255
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
    one = np.random.default_rng(4).integers(0, 256, size=(1, 28, 28), dtype=np.uint8)
    cases = [((raw,), expected), ((one,), (one.astype(np.float32) / 255).reshape(1, 28, 28, 1))]
    return check_function(name, prepare, cases)


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
