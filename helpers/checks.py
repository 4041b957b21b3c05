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


# --- Chapters 4-6 ---


def _seed_layer_params(filters: tuple[int, int, int]) -> list[tuple[str, int, int]]:
    """(layer, parameters, biases) of the article's network with these filter counts."""
    from helpers.models import conv_params, dense_params

    f1, f2, f3 = filters
    return [
        ("conv2d_1", conv_params(3, 1, f1), f1),
        ("conv2d_2", conv_params(3, f1, f2), f2),
        ("conv2d_3", conv_params(3, f2, f3), f3),
        ("dense_1", dense_params(f3, 64), 64),
        ("dense_2", dense_params(64, 10), 10),
    ]


def _param_hint(value: float, layers: list[tuple[str, int, int]], extra: dict[float, str]) -> str:
    """A sentence guessing the slip behind a wrong parameter count."""
    expected = sum(params for _, params, _ in layers)
    missing = expected - value
    if value in extra:
        return extra[value]
    if missing == sum(biases for _, _, biases in layers):
        return f"Off by {_num(missing)}: that is every bias. Each filter and each unit has one bias."
    for name, _, biases in layers:
        if missing == biases:
            return f"Off by {_num(missing)}: did you forget the {biases} biases of {name}?"
    for name, params, _ in layers:
        if missing == params:
            return f"Off by {_num(missing)}: that is all of {name}; did you leave that layer out?"
    return "Add up (kernel height × kernel width × input channels + 1) × filters for each convolution and (inputs + 1) × units for each Dense layer."


def check_params_with_filters(answer: Any, filters: tuple[int, int, int] = (32, 64, 64)) -> CheckResult:
    """Exercise 4.1: the article's network's parameter count with `filters` in its three convolutions."""
    exercise = f"Parameters with filters {filters}"
    layers = _seed_layer_params(filters)
    expected = sum(params for _, params, _ in layers)
    original = sum(params for _, params, _ in _seed_layer_params((25, 64, 64)))
    stale = expected - layers[1][1] + (9 * 25 + 1) * filters[1]
    extra = {
        float(original): "That is the original network's count (25 filters first); change the first convolution.",
        float(stale): (
            "conv2d_2 now sees more input channels: its kernels are 3 × 3 × (filters of conv2d_1) deep, "
            "so its count changes too."
        ),
    }
    if answer is None or answer is Ellipsis or isinstance(answer, (bool, str)) or np.ndim(answer) != 0:
        return check_number(exercise, answer, expected)
    value = float(answer)
    if value == expected:
        return _passed(exercise, f"{_num(expected)} parameters.")
    return check_number(exercise, answer, expected, hint=_param_hint(value, layers, extra))


#: (output shape, parameters) of each layer of the article's network with padding="same" in its convolutions.
SAME_PADDING_LAYERS = [
    ((28, 28, 25), 250), ((14, 14, 25), 0), ((14, 14, 64), 14_464), ((7, 7, 64), 0),
    ((7, 7, 64), 36_928), ((3, 3, 64), 0), ((576,), 0), ((64,), 36_928), ((10,), 650),
]


def check_same_padding_model(function: Callable[[], Any]) -> CheckResult:
    """Exercise 4.3: `function()` builds the article's network with padding="same" in each Conv2D."""
    exercise = "The network with 'same' padding"
    ok, model = _call(exercise, function)
    if not ok:
        return model
    if not hasattr(model, "layers") or not hasattr(model, "count_params"):
        return _failed(exercise, f"expected your function to return a Keras model, got {_describe(model)}.")
    try:
        table = [(tuple(layer.output.shape[1:]), layer.count_params()) for layer in model.layers]
    except Exception as error:  # a model without an input shape has no output shapes yet
        return _failed(exercise, f"could not read the layers' output shapes ({type(error).__name__}); "
                                 "does your model start with keras.Input((28, 28, 1))?")
    if len(table) != len(SAME_PADDING_LAYERS):
        return _failed(exercise, f"expected {len(SAME_PADDING_LAYERS)} layers (three Conv2D + MaxPooling2D "
                                 f"pairs, Flatten, two Dense), got {len(table)}.")
    for k, ((shape, params), (want, want_params)) in enumerate(zip(table, SAME_PADDING_LAYERS, strict=True)):
        if shape != want:
            kind = type(model.layers[k]).__name__
            hint = ""
            if kind == "Conv2D" and len(shape) == 3 and shape[0] == want[0] - 2:
                hint = " This convolution still shrinks the map by 2: give it padding=\"same\"."
            elif kind == "MaxPooling2D" and len(shape) == 3 and shape[0] == want[0] + 1:
                hint = " Leave the pooling layers as they were (no padding): 7 // 2 = 3."
            return _failed(exercise, f"layer {k + 1} ({kind}) outputs {shape}, expected {want}.{hint}")
        if params != want_params:
            return _failed(exercise, f"layer {k + 1} has {params:,} parameters, expected {want_params:,}.")
    return _passed(exercise, f"{model.count_params():,} parameters; dense_1 alone now has 36,928.")


def check_dense_without_last_pool(answer: Any) -> CheckResult:
    """Exercise 4.3: dense_1's parameters when the third pooling is removed (3×3×64 = 576 inputs)."""
    exercise = "dense_1 without the last pooling"
    expected = (3 * 3 * 64 + 1) * 64
    hints = {
        3 * 3 * 64 * 64: "Off by 64: did you forget the 64 biases of dense_1?",
        (64 + 1) * 64: "That is dense_1 with the pooling: without it, Flatten gets the whole 3 × 3 × 64 map.",
        3 * 3 * 64: "That is the number of inputs dense_1 gets; each of its 64 units has a weight per input plus a bias.",
    }
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool):
        if float(answer) in hints:
            return _failed(exercise, f"expected {_num(expected)}, got {_num(answer)}. {hints[float(answer)]}")
    return check_number(exercise, answer, expected)


def check_loss_for_one_hot(answer: Any) -> CheckResult:
    """Exercise 5.1: the Keras loss for one-hot labels of shape (n, 10)."""
    exercise = "Loss for one-hot labels"
    if answer is None or answer is Ellipsis:
        return _not_done(exercise)
    name = answer if isinstance(answer, str) else getattr(answer, "__name__", type(answer).__name__)
    key = name.lower().replace("_", "")
    if key in ("categoricalcrossentropy",):
        return _passed(exercise, "one-hot rows go with categorical cross-entropy.")
    hints = {
        "sparsecategoricalcrossentropy": "The sparse version expects one integer label per image; these labels are rows of ten 0s and 1s.",
        "binarycrossentropy": "Binary cross-entropy treats each of the 10 outputs as a separate yes/no question; a digit is exactly one of ten classes.",
        "meansquarederror": "Mean squared error trains poorly with softmax outputs; classification uses a cross-entropy.",
        "mse": "Mean squared error trains poorly with softmax outputs; classification uses a cross-entropy.",
    }
    return _failed(exercise, f"expected 'categorical_crossentropy', got {_describe(answer)}. {hints.get(key, '')}".strip())


def check_cross_entropy(function: Callable[[np.ndarray, np.ndarray], float]) -> CheckResult:
    """Exercise 5.2: `function(probabilities, labels)` is the mean of -log(probability of the true class)."""
    exercise = "Cross-entropy by hand"
    p = np.array([[0.7, 0.2, 0.1] + [0.0] * 7, [0.1, 0.8, 0.1] + [0.0] * 7, [0.25, 0.25, 0.5] + [0.0] * 7])
    labels = np.array([0, 1, 2])
    cases = [
        ((p, labels), float(-np.mean(np.log([0.7, 0.8, 0.5])))),
        ((p, np.array([1, 1, 0])), float(-np.mean(np.log([0.2, 0.8, 0.25])))),
        ((np.full((1, 10), 0.1), np.array([7])), float(np.log(10))),
    ]
    ok, got = _call(exercise, function, p, labels)
    if not ok:
        return got
    if np.ndim(got) == 0 and np.isclose(float(got), -cases[0][1]):
        return _failed(exercise, "the sign is wrong: the loss is minus the log-probability, so it is positive.")
    if np.ndim(got) != 0:
        return _failed(exercise, f"expected one number (the mean over the images), got {_describe(got)}.")
    return check_function(exercise, function, cases)


def check_best_epoch(function: Callable[[dict], int]) -> CheckResult:
    """Exercise 5.3: `function(history)` is the epoch (counted from 1) with the lowest validation loss."""
    exercise = "Best epoch"
    first = {"loss": [0.5, 0.3, 0.2, 0.1], "val_loss": [0.40, 0.25, 0.30, 0.35]}
    ok, got = _call(exercise, function, first)
    if not ok:
        return got
    if got == 1:
        return _failed(exercise, "for validation losses [0.40, 0.25, 0.30, 0.35] you gave 1: epochs count from 1, so the lowest is epoch 2 (np.argmin gives 1, add 1).")
    if got == 4:
        return _failed(exercise, "you followed the training loss, which keeps falling; use history['val_loss'].")
    cases = [
        ((first,), 2),
        (({"loss": [0.3, 0.2, 0.1], "val_loss": [0.3, 0.2, 0.1]},), 3),
        (({"loss": [0.9] * 5, "val_loss": [0.2, 0.3, 0.4, 0.5, 0.6]},), 1),
    ]
    return check_function(exercise, function, cases)


def check_learning_rate_histories(histories: Any, rates: tuple[float, ...] = (1e-3, 1e-2)) -> CheckResult:
    """Exercise 5.4: a dict {learning rate: history} with one run per rate, each fitted with validation."""
    exercise = "Two learning rates"
    if histories is None or histories is Ellipsis:
        return _not_done(exercise)
    if not isinstance(histories, dict):
        return _failed(exercise, f"expected a dict {{learning rate: history}}, got {_describe(histories)}.")
    if sorted(float(k) for k in histories) != sorted(rates):
        return _failed(exercise, f"expected the learning rates {list(rates)} as keys, got {sorted(histories)}.")
    lengths = set()
    for rate, history in histories.items():
        logs = getattr(history, "history", history)
        if not isinstance(logs, dict):
            return _failed(exercise, f"the history for {rate} should be a dict of lists, got {_describe(history)}.")
        missing = [k for k in ("loss", "val_loss", "accuracy", "val_accuracy") if k not in logs]
        if missing:
            return _failed(exercise, f"the history for {rate} lacks {missing}: fit with validation data and metrics=['accuracy'].")
        values = [np.asarray(logs[k], dtype=float) for k in ("loss", "val_loss", "accuracy", "val_accuracy")]
        if len({len(v) for v in values}) != 1 or len(values[0]) < 2:
            return _failed(exercise, f"the history for {rate} should have one value per epoch, at least 2 epochs.")
        if not all(np.all(np.isfinite(v)) for v in values):
            return _failed(exercise, f"the run with learning rate {rate} diverged (a NaN or infinite loss).")
        lengths.add(len(values[0]))
    if len(lengths) != 1:
        return _failed(exercise, f"train both runs for the same number of epochs to compare them; got {sorted(lengths)}.")
    return _passed(exercise, f"{len(histories)} runs of {lengths.pop()} epochs each, ready to compare.")


def check_most_confused_pair(function: Callable[[np.ndarray], tuple[int, int]]) -> CheckResult:
    """Exercise 6.1: `function(cm)` is (true digit, predicted digit) of the largest off-diagonal entry."""
    exercise = "Most-confused pair"
    cm = np.diag(np.full(10, 900))
    cm[4, 9], cm[9, 4], cm[7, 2], cm[3, 5] = 11, 6, 8, 9
    ok, got = _call(exercise, function, cm)
    if not ok:
        return got
    try:
        pair = tuple(int(v) for v in got)
    except (TypeError, ValueError):
        return _failed(exercise, f"expected a pair (true digit, predicted digit), got {_describe(got)}.")
    if len(pair) == 2 and pair[0] == pair[1]:
        return _failed(exercise, f"you returned {pair}, a diagonal cell: those are correct predictions. Ignore the diagonal.")
    if pair == (9, 4):
        return _failed(exercise, "you returned (9, 4) where the answer is (4, 9): rows are true digits, columns predictions.")
    other = np.diag(np.full(10, 50))
    other[0, 6], other[6, 0], other[8, 3] = 2, 3, 1
    return check_function(exercise, function, [((cm,), (4, 9)), ((other,), (6, 0))])


def check_precision_recall(function: Callable[[np.ndarray, int], tuple[float, float]]) -> CheckResult:
    """Exercise 6.2: `function(cm, digit)` is (precision, recall) of `digit`."""
    exercise = "Precision and recall"
    cm = np.diag(np.full(10, 90))
    cm[3, 5], cm[5, 3], cm[8, 3] = 10, 4, 6  # digit 3: 90 right, 10 missed, 10 false alarms
    cm[7, 7] = 80
    ok, got = _call(exercise, function, cm, 5)
    if not ok:
        return got
    precision, recall = 90 / 100, 90 / 94
    if np.shape(got) == (2,) and np.allclose(np.asarray(got, dtype=float), [recall, precision]):
        return _failed(exercise, "precision and recall are swapped: precision reads a column (what was predicted k), recall a row (what is k).")
    return check_function(exercise, function, [((cm, 5), (precision, recall)), ((cm, 3), (90 / 100, 90 / 100)), ((cm, 7), (1.0, 1.0))])


def check_top2_accuracy(answer: Any, probabilities: np.ndarray, labels: np.ndarray) -> CheckResult:
    """Exercise 6.3: the share of images whose true digit is among the model's two most probable."""
    exercise = "Top-2 accuracy"
    probabilities, labels = np.asarray(probabilities), np.asarray(labels)
    top2 = np.argsort(probabilities, axis=1)[:, -2:]
    expected = float(np.mean(np.any(top2 == labels[:, None], axis=1)))
    top1 = float(np.mean(np.argmax(probabilities, axis=1) == labels))
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool):
        if abs(float(answer) - top1) < 1e-9 and top1 != expected:
            return _failed(exercise, f"{float(answer):.4f} is the ordinary (top-1) accuracy; count an image as right when its label is either of the two most probable digits.")
        if float(answer) > 1:
            return _failed(exercise, f"expected a fraction between 0 and 1, got {_num(answer)}; divide the count by the number of images.")
    return check_number(exercise, answer, expected, tol=1e-6)


# --- Chapters 8-9 ---


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
            return _failed(exercise, f"expected {_num(11 * 11 * 64)}, got {_num(value)}. {hint}")
    return check_number(exercise, answer, 11 * 11 * 64, hint="Chapter 4's table gives conv2d_2's output shape.")


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
            return _failed(exercise, f"expected {expected}, got {value}. {hint}")
    return check_number(
        exercise, answer, expected,
        hint="Go layer by layer: each window adds (window - 1) × (product of the strides before it).",
    )


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
    return check_function(exercise, invert_if_light, [((paper,), 1.0 - paper), ((board,), board), ((spotlight,), spotlight)])


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


# --- Chapter 7 ---


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


# --- added for issue 12 ---


def check_pixels_that_can_change(answer: Any) -> CheckResult:
    """Exercise 8.4: which input pixels can change the seed network's output, a bool (28, 28).

    Compared with the mask where the gradient of the class scores with respect to the input is
    not identically zero (the seed architecture, on random images). A wrong answer gets the
    number of pixels it marks wrongly either way and a hint, never the mask itself.
    """
    from helpers.inspection import gradient_mask
    from helpers.models import build_seed_cnn

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
