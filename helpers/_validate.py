"""Shared checks of the arguments the helpers take, each raising a sentence for a student.

Every public helper calls these at its top, so the same mistake gets the same message in
every chapter: a NaN named with its index, a count that is not a whole number, the
``(model, history)`` pair that `train_or_load` returns passed where a model is expected, a
recipe given by its name. Private to the package (the leading underscore); the helpers'
own docstrings say what they expect.
"""

from __future__ import annotations

import functools
import inspect
import numbers
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

UNPACK = "unpack it: model, history = train_or_load(...)"


def as_array(value: Any, name: str) -> np.ndarray:
    """`value` as a NumPy array of numbers; a ragged list, None, a string, a dict or an
    array of objects is a ValueError/TypeError saying what came."""
    if value is None or isinstance(value, (str, bytes, dict)):
        raise TypeError(f"{name} should be an array of numbers; got {describe(value)}.")
    if hasattr(value, "layers") and hasattr(value, "predict"):
        raise TypeError(f"{name} should be an array of numbers; got a Keras model: pass what it computes, "
                        "e.g. model.predict(x_test, verbose=0).")
    if isinstance(value, tuple) and len(value) == 2 and hasattr(value[0], "layers"):
        raise TypeError(f"{name} should be an array of numbers; got a (model, history) pair: {UNPACK}.")
    if callable(value) and not hasattr(value, "__array__"):
        raise TypeError(f"{name} should be an array of numbers; got the function {getattr(value, '__name__', value)!r} "
                        "(did you forget to call it?).")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} should be an array of numbers; got {describe(value)} that NumPy cannot "
                         "read as one array (rows of different lengths?).") from None
    if array.dtype == object or array.dtype.kind in "USV":
        raise ValueError(f"{name} should hold numbers; got {describe(value)} (dtype {array.dtype}).")
    return array


def finite(array: Any, name: str) -> None:
    """Raise ValueError if `array` holds a NaN or an infinity, naming the first one's index."""
    array = np.asarray(array)
    if array.dtype.kind not in "fc" or array.size == 0:
        return
    bad = ~np.isfinite(array)
    if bad.any():
        index = tuple(int(i) for i in np.unravel_index(int(np.argmax(bad)), array.shape))
        what = "NaN" if np.isnan(array[index]) else "infinity"
        count = int(bad.sum())
        shown = index[0] if len(index) == 1 else index
        raise ValueError(
            f"{name} contains {what} at index {shown} ({count:,} value{'s' if count != 1 else ''} "
            "not finite in all); a NaN or infinity usually comes from a division by zero or a "
            "diverged training run."
        )


def whole(value: Any, name: str, minimum: int | None = 1, maximum: int | None = None) -> int:
    """`value` as an int if it is a whole number (Python or NumPy int, not a bool) within
    [minimum, maximum]; a fraction, a string or None is a TypeError/ValueError."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
            raise TypeError(f"{name} should be a whole number (an int); got the float {value!r}: write {int(value)}.")
        raise TypeError(f"{name} should be a whole number (an int); got {describe(value)}.")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} should be at least {minimum}; got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} should be at most {maximum}; got {value}.")
    return value


def number(value: Any, name: str, *, positive: bool = False, minimum: float | None = None,
           maximum: float | None = None) -> float:
    """`value` as a finite float (an int or float, not a bool or string), optionally > 0
    or within [minimum, maximum]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.integer, np.floating)):
        raise TypeError(f"{name} should be a number; got {describe(value)}.")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} should be a finite number; got {value}.")
    if positive and value <= 0:
        raise ValueError(f"{name} should be greater than 0; got {value:g}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} should be at least {minimum:g}; got {value:g}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} should be at most {maximum:g}; got {value:g}.")
    return value


def model(value: Any, name: str = "model") -> Any:
    """Return `value` if it looks like a Keras model; explain the usual mix-ups otherwise:
    the ``(model, history)`` pair, a recipe or its name, a history, a builder not called."""
    if isinstance(value, tuple) and len(value) == 2 and hasattr(value[0], "layers"):
        raise TypeError(f"{name} should be a Keras model; got the (model, history) tuple that train_or_load "
                        f"returns: {UNPACK}.")
    if isinstance(value, str):
        raise TypeError(
            f"{name} should be a Keras model; got the string {value!r}. A recipe's name is not its model: "
            "model, history = train_or_load(SEED_RECIPE) gives the model."
        )
    if type(value).__name__ == "Recipe":
        raise TypeError(f"{name} should be a Keras model; got the recipe {value.name!r}: "
                        f"train or load it first ({UNPACK}).")
    if isinstance(value, dict) or hasattr(value, "history") and not hasattr(value, "layers"):
        raise TypeError(f"{name} should be a Keras model; got {describe(value)}, which looks like a "
                        f"training history: {UNPACK}.")
    if callable(value) and not hasattr(value, "layers"):
        raise TypeError(f"{name} should be a Keras model; got the function "
                        f"{getattr(value, '__name__', value)!r}: call it to build the model.")
    if not (hasattr(value, "layers") and hasattr(value, "predict")):
        raise TypeError(f"{name} should be a Keras model; got {describe(value)}.")
    return value


def recipe(value: Any, name: str = "recipe") -> Any:
    """Return `value` if it is a `helpers.training.Recipe`; a name or anything else is a TypeError.

    Recognised by its class name, so that this module imports nothing from `helpers`."""
    if type(value).__name__ == "Recipe" and hasattr(value, "build") and hasattr(value, "epochs"):
        return value
    if isinstance(value, str):
        raise TypeError(
            f"{name} should be a Recipe, not its name {value!r}: pass the recipe itself, e.g. SEED_RECIPE or "
            "IMPROVED_RECIPE from helpers.training."
        )
    raise TypeError(f"{name} should be a Recipe (helpers.training); got {describe(value)}.")


def describe(value: Any) -> str:
    """A few words on what a wrong argument is: 'the string '5'', 'a list of 3 items'."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (str, bytes)):
        return f"the {type(value).__name__} {value!r}"[:80]
    if isinstance(value, (list, tuple, dict, set)):
        return f"a {type(value).__name__} of {len(value)} items"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


def in_range(array: np.ndarray, name: str, low: float, high: float, hint: str = "") -> None:
    """Raise ValueError unless every value of `array` is finite and within [low, high].

    NaN and infinity are named with their index first (a comparison with NaN is always
    False, so a plain min/max check would let them through)."""
    finite(array, name)
    if array.size and (array.min() < low or array.max() > high):
        raise ValueError(f"{name} should lie in [{low:g}, {high:g}]; got values from {array.min():.4g} to "
                         f"{array.max():.4g}.{' ' + hint if hint else ''}")


def nonempty(array: np.ndarray, name: str) -> None:
    """Raise ValueError if `array` holds no item at all."""
    if array.size == 0 or (array.ndim and len(array) == 0):
        raise ValueError(f"{name} is empty (shape {array.shape}); it should hold at least one item.")


def same_length(**arrays: Any) -> None:
    """Raise ValueError unless every named array has the same length, naming each length."""
    lengths = {name: len(value) for name, value in arrays.items()}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{name} {length:,}" for name, length in lengths.items())
        raise ValueError(f"{' and '.join(lengths)} should have the same length, one per image; got {listed}.")


def choice(value: Any, name: str, options: tuple[str, ...]) -> str:
    """`value` if it is one of the strings `options`; anything else is a ValueError/TypeError."""
    if not isinstance(value, str):
        raise TypeError(f"{name} should be one of {', '.join(map(repr, options))}; got {describe(value)}.")
    if value not in options:
        raise ValueError(f"{name} should be one of {', '.join(map(repr, options))}; got {value!r}.")
    return value


def flag(value: Any, name: str) -> bool:
    """`value` as a bool if it is True or False (a NumPy bool too); 'yes', 1 or None are a TypeError."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} should be True or False; got {describe(value)}.")
    return bool(value)


def text(value: Any, name: str) -> str:
    """`value` if it is a string (a title, a label); a number or None is a TypeError."""
    if not isinstance(value, str):
        raise TypeError(f"{name} should be a string; got {describe(value)}.")
    return value


def axes(value: Any, name: str = "ax") -> Any:
    """`value` if it is one Matplotlib Axes; a Figure or an array of Axes gets a hint."""
    from matplotlib.axes import Axes  # here, not at the top: the checks load without Matplotlib
    from matplotlib.figure import Figure

    if isinstance(value, Axes):
        return value
    if isinstance(value, Figure):
        raise TypeError(f"{name} should be one Matplotlib Axes; got a Figure: pass fig.gca() or one of fig.axes.")
    if isinstance(value, (np.ndarray, list, tuple)):
        raise TypeError(f"{name} should be one Matplotlib Axes; got {describe(value)}: pick one, e.g. axes[0].")
    raise TypeError(f"{name} should be a Matplotlib Axes (from plt.subplots()); got {describe(value)}.")


def pair(value: Any, name: str, minimum: int | None = 0) -> tuple[int, int]:
    """`value` as a pair of whole numbers (a (row, col) cell, a (start, stop) range)."""
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__") or len(value) != 2:
        raise TypeError(f"{name} should be a pair of whole numbers such as (3, 5); got {describe(value)}.")
    return whole(value[0], f"{name}[0]", minimum), whole(value[1], f"{name}[1]", minimum)


def load_npz(path: Any, expected: Any, what: str) -> dict[str, np.ndarray]:
    """The arrays of the `.npz` file at `path`, loaded without pickles; any damage is a ValueError.

    `what` names the file for the reader ("MNIST .npz file"). A missing file, a folder, a
    `.npy` or text file under an `.npz` name, an empty, truncated or corrupt archive and a
    missing key each get a sentence naming the file and the arrays `expected`. NumPy's own
    advice to load "unsafely" is never passed on: a course must not suggest it."""
    file = Path(path).expanduser()
    wanted = f"expected a .npz archive (numpy.savez) holding the arrays {sorted(expected)}"
    if not file.exists():
        raise ValueError(f"no file at {file}; {wanted}.")
    if not file.is_file():
        raise ValueError(f"{file} is a folder, not a readable {what}; {wanted}.")
    with open(file, "rb") as handle:
        head = handle.read(6)
    reason = None
    if head.startswith(b"\x93NUMPY"):
        reason = "it is a single .npy array, as numpy.save writes"
    elif not head:
        reason = "it is empty"
    elif not head.startswith(b"PK"):
        reason = "it is not a zip archive: text or another format"
    if reason is None:
        try:
            with np.load(file, allow_pickle=False) as npz:
                arrays = {key: npz[key] for key in npz.files}
            if not all(isinstance(array, np.ndarray) for array in arrays.values()):
                reason = "it is a zip archive of other files, not of .npy arrays"
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error, ValueError, KeyError) as error:
            reason = ("it holds Python objects, which are never loaded" if "pickle" in str(error)
                      else "it is damaged or truncated")
    if reason is not None:
        raise ValueError(f"{file} is not a readable {what} ({reason}); {wanted}.")
    missing = sorted(set(expected) - set(arrays))
    if missing:
        raise ValueError(f"{file} lacks the arrays {missing} (it holds {sorted(arrays)}); {wanted}.")
    return arrays


def digit(value: Any, name: str) -> int:
    """`value` as an int if it is a whole number 0-9 (a class, a label); else TypeError/ValueError."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} should be a digit 0-9 (an int); got {describe(value)}.")
    if not 0 <= int(value) <= 9:
        raise ValueError(f"{name} should be a digit 0-9; got {int(value)}.")
    return int(value)


# --- Declarative guards: the checks above, named beside a function's arguments ----------------
#
#     @accepts(size=Whole(), padding=OneOf("valid", "same", fold_case=True))
#     def conv_output_size(size, kernel, stride=1, padding="valid"): ...
#
# Each spec is a callable (value, name) -> checked value; the function's body receives the
# checked values (an int for a NumPy integer, a lower-cased option), so it reads like the
# chapter's cell. Refusals that teach (a window that does not fit) stay in the body.

Spec = Callable[[Any, str], Any]
F = TypeVar("F", bound=Callable[..., Any])


def accepts(**specs: Spec) -> Callable[[F], F]:
    """Check the named arguments with their specs before the body runs.

    Only the arguments the caller passed are checked (defaults are the helper's own); the
    specs are kept on the function as ``__accepts__`` for the tests and the docs."""

    def wrap(function: F) -> F:
        signature = inspect.signature(function)
        unknown = sorted(set(specs) - set(signature.parameters))
        if unknown:
            raise TypeError(f"{function.__name__} has no argument {', '.join(unknown)} to check.")

        @functools.wraps(function)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            for name, spec in specs.items():
                if name in bound.arguments:
                    bound.arguments[name] = spec(bound.arguments[name], name)
            return function(*bound.args, **bound.kwargs)

        guarded.__accepts__ = specs  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return wrap


class _Spec:
    """A named, printable spec: `check(value, name)` does the work."""

    def __init__(self, check: Callable[..., Any], **options: Any) -> None:
        self.check, self.options = check, options

    def __call__(self, value: Any, name: str) -> Any:
        return self.check(value, name, **self.options)

    def __repr__(self) -> str:
        options = ", ".join(f"{key}={value!r}" for key, value in self.options.items())
        return f"{type(self).__name__}({options})"


class Whole(_Spec):
    """A whole number (an int, not a bool or float) within [minimum, maximum]."""

    def __init__(self, minimum: int | None = 1, maximum: int | None = None) -> None:
        super().__init__(whole, minimum=minimum, maximum=maximum)


class Number(_Spec):
    """A finite int or float, optionally > 0 or within [minimum, maximum]."""

    def __init__(self, *, positive: bool = False, minimum: float | None = None, maximum: float | None = None) -> None:
        super().__init__(number, positive=positive, minimum=minimum, maximum=maximum)


def _one_of(value: Any, name: str, options: tuple[str, ...], fold_case: bool) -> str:
    if fold_case and isinstance(value, str) and value.lower() in options:
        value = value.lower()
    return choice(value, name, options)


class OneOf(_Spec):
    """One of the given strings; with `fold_case`, 'Same' is taken as 'same'."""

    def __init__(self, *options: str, fold_case: bool = False) -> None:
        super().__init__(_one_of, options=options, fold_case=fold_case)


class Flag(_Spec):
    """True or False."""

    def __init__(self) -> None:
        super().__init__(flag)


class Text(_Spec):
    """A string."""

    def __init__(self) -> None:
        super().__init__(text)


class Digit(_Spec):
    """A whole number 0-9."""

    def __init__(self) -> None:
        super().__init__(digit)


class Pair(_Spec):
    """A pair of whole numbers, each at least `minimum`."""

    def __init__(self, minimum: int | None = 0) -> None:
        super().__init__(pair, minimum=minimum)


class Model(_Spec):
    """A Keras model (the usual mix-ups get their own sentence)."""

    def __init__(self) -> None:
        super().__init__(model)


class RecipeSpec(_Spec):
    """A `helpers.training.Recipe`."""

    def __init__(self) -> None:
        super().__init__(recipe)


class AxesSpec(_Spec):
    """One Matplotlib Axes."""

    def __init__(self) -> None:
        super().__init__(axes)


class Array(_Spec):
    """An array of numbers (a list NumPy can read, not a model, a string or a ragged list)."""

    def __init__(self) -> None:
        super().__init__(as_array)


def _maybe(value: Any, name: str, spec: Spec) -> Any:
    return None if value is None else spec(value, name)


class Maybe(_Spec):
    """None, or what `spec` accepts."""

    def __init__(self, spec: Spec) -> None:
        super().__init__(_maybe, spec=spec)


# --- Digits and the drawing area (helpers.digits, helpers.canvas) ---


def generator(value: Any, name: str = "rng") -> np.random.Generator:
    """`value` if it is a NumPy Generator; a seed (the usual mix-up) or None is a TypeError."""
    if not isinstance(value, np.random.Generator):
        raise TypeError(f"{name} should be a NumPy Generator, np.random.default_rng(seed); got {describe(value)}.")
    return value


class Generator(_Spec):
    """A NumPy random Generator, as np.random.default_rng(seed) gives."""

    def __init__(self) -> None:
        super().__init__(generator)


def path_name(value: Any, name: str, what: str) -> Path:
    """`value` as a Path if it is a str or a path; anything else is a TypeError naming `what`."""
    if not isinstance(value, str) and not hasattr(value, "__fspath__"):  # a str or an os.PathLike
        raise TypeError(f"{name} should be {what} (a str or Path); got {describe(value)}.")
    return Path(value)


class PathName(_Spec):
    """A file or folder name, a str or a Path (given as a Path); `what` says which is meant."""

    def __init__(self, what: str = "a folder or file name") -> None:
        super().__init__(path_name, what=what)


def gray_image(value: Any, name: str) -> np.ndarray:
    """`value` as float32 if it is one non-empty 2-D grey image of floats in [0, 1]."""
    image = as_array(value, name)
    if image.ndim != 2 or image.size == 0:
        raise ValueError(f"{name} should be a non-empty 2-D grey image (H, W); got shape {image.shape}.")
    if not np.issubdtype(image.dtype, np.floating):
        hint = " Run load_grayscale first, which scales uint8 pixels to [0, 1]." if image.dtype == np.uint8 else ""
        raise ValueError(f"{name} should hold floats in [0, 1]; got dtype {image.dtype}.{hint}")
    finite(image, name)
    if image.min() < 0 or image.max() > 1:
        raise ValueError(f"{name} should be in [0, 1]; got values from {image.min():g} to {image.max():g}.")
    return image.astype(np.float32)


class GrayImage(_Spec):
    """One grey picture (H, W) of floats in [0, 1], given as float32."""

    def __init__(self) -> None:
        super().__init__(gray_image)


def ink_image(value: Any, name: str) -> np.ndarray:
    """`value` as float64 if it is one non-empty 2-D image of ink brightness, 0 or more (bools too)."""
    image = as_array(value, name)
    if image.ndim != 2 or image.size == 0:
        raise ValueError(f"{name} should be a non-empty 2-D image (H, W); got shape {image.shape}.")
    image = image.astype(np.float64) if image.dtype == np.bool_ else image
    finite(image, name)
    if image.min() < 0:
        raise ValueError(f"{name} should hold ink brightness, 0 or more; got a minimum of {image.min():g}.")
    return image.astype(np.float64)


class InkImage(_Spec):
    """One 2-D image of ink brightness, 0 or more, given as float64."""

    def __init__(self) -> None:
        super().__init__(ink_image)


def point(value: Any, name: str) -> tuple[float, float]:
    """`value` as a (row, column) pair of finite floats, such as (14.0, 14.0)."""
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__") or len(value) != 2:
        raise TypeError(f"{name} should be a (row, column) pair such as (14.0, 14.0); got {describe(value)}.")
    return number(value[0], f"{name}[0]"), number(value[1], f"{name}[1]")


class Point(_Spec):
    """A (row, column) pair of numbers."""

    def __init__(self) -> None:
        super().__init__(point)


def element_id(value: Any, name: str) -> str:
    """`value` if it is a string of letters, digits and '-' (safe as an HTML id and in CSS)."""
    if not text(value, name).replace("-", "").isalnum():
        raise ValueError(f"{name} should hold only letters, digits and '-'; got {value!r}.")
    return value


class ElementId(_Spec):
    """An HTML element id: letters, digits and '-'."""

    def __init__(self) -> None:
        super().__init__(element_id)

# --- Images, labels, probabilities, histories (data, evaluation, training) ---
#
# The checks of what the chapters pass around: a stack of digits, their labels, a model's
# probabilities, a confusion matrix, a training history, a recipe's fields. Each returns the
# checked value as the helpers use it (an array, int labels, a dict of float lists).

def images(value: Any, name: str = "images", scaled: bool | None = None, nonempty: bool = False) -> np.ndarray:
    """`value` as an array of 28x28 digits, (n, 28, 28) or (n, 28, 28, 1).

    With ``scaled=True`` also floats in [0, 1] (uint8 pixels are refused, whatever their
    values); with ``scaled=False`` values in 0-255. NaN and infinity are named with their
    index; a list is read as an array; booleans and text are refused."""
    if scaled is not None:
        flag(scaled, "scaled")
    array = as_array(value, name)
    if array.ndim not in (3, 4) or array.shape[1:3] != (28, 28) or (array.ndim == 4 and array.shape[3] != 1):
        hint = ""
        if array.shape in ((28, 28), (28, 28, 1)):
            hint = " This is one digit: make a batch of one with images[np.newaxis]."
        elif array.ndim == 2 and array.shape[1] == 784:
            hint = " These are flattened: reshape them with images.reshape(-1, 28, 28)."
        raise ValueError(f"{name} should have shape (n, 28, 28) or (n, 28, 28, 1); got {array.shape}.{hint}")
    if array.dtype == np.bool_:
        raise ValueError(f"{name} should hold numbers; got dtype {array.dtype} (a mask?).")
    if nonempty:
        _at_least_one(array, name, "image")
    finite(array, name)
    if scaled is True and array.dtype == np.uint8:
        raise ValueError(f"{name} should be floats scaled to [0, 1]; got raw uint8 pixels 0-255. "
                         "Divide them by 255 first: scale_images(images) (chapter 3).")
    if scaled is True and array.size and (array.min() < 0 or array.max() > 1):
        raise ValueError(f"{name} should be scaled to [0, 1]; got values from {array.min():.4g} to "
                         f"{array.max():.4g}. Divide the uint8 pixels by 255 first (chapter 3).")
    if scaled is False and array.size and (array.min() < 0 or array.max() > 255):
        raise ValueError(f"{name} should hold pixels 0-255; got {array.min():.4g} to {array.max():.4g}.")
    return array


def labels(value: Any, name: str = "labels", nonempty: bool = False) -> np.ndarray:
    """`value` as a 1-D int64 array of digits 0-9.

    Whole floats (3.0) are accepted; fractions, NaN, booleans, one-hot rows and
    probabilities are refused with a sentence saying what to do."""
    array = as_array(value, name)
    if array.ndim != 1:
        hint = ""
        if array.ndim == 2 and array.shape[1] == 10:
            one_hot = bool(np.isin(array, (0, 1)).all()) if array.size else False
            hint = (" (these look like one-hot rows: take np.argmax(labels, axis=1))" if one_hot
                    else " (these look like probabilities: take np.argmax(..., axis=1))")
        elif array.ndim == 0:
            hint = " (one number: wrap it in a list, [label])"
        raise ValueError(f"{name} should be a 1-D array of digits 0-9; got shape {array.shape}{hint}.")
    if array.dtype == np.bool_:
        raise ValueError(f"{name} should be digits 0-9; got booleans (a mask of right and wrong answers?).")
    if nonempty:
        _at_least_one(array, name, "label")
    finite(array, name)
    if array.size and not np.issubdtype(array.dtype, np.integer):
        fractional = np.flatnonzero(array != np.round(array))
        if fractional.size:
            first = int(fractional[0])
            raise ValueError(f"{name} should be whole numbers 0-9; got {array[first]:g} at index {first} "
                             "(probabilities? take np.argmax(..., axis=1) first).")
    if array.size and (array.min() < 0 or array.max() > 9):
        first = int(np.flatnonzero((array < 0) | (array > 9))[0])
        raise ValueError(f"{name} should be digits 0-9; got values from {array.min():g} to {array.max():g} "
                         f"(the first out of range, {array[first]:g}, at index {first}).")
    return array.astype(np.int64)


def probabilities(value: Any, name: str = "probabilities", nonempty: bool = False) -> np.ndarray:
    """`value` as a float64 (n, 10) array whose rows are 10 numbers in [0, 1] adding up to 1
    (a softmax output, as `model.predict` returns it)."""
    array = as_array(value, name)
    if array.ndim != 2 or array.shape[1] != 10:
        hint = " (these look like labels: pass what model.predict returns)" if array.ndim == 1 else ""
        raise ValueError(f"{name} should have shape (n, 10), one row of class probabilities per image; "
                         f"got shape {array.shape}{hint}.")
    if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(f"{name} should be floats in [0, 1]; got dtype {array.dtype}.")
    if nonempty:
        _at_least_one(array, name, "row")
    finite(array, name)
    if array.size and (array.min() < 0 or array.max() > 1):
        raise ValueError(f"{name} should lie in [0, 1]; got values from {array.min():.3g} to "
                         f"{array.max():.3g} (logits? apply a softmax first).")
    sums = array.sum(axis=1)
    if array.size and not np.allclose(sums, 1.0, atol=1e-3):
        worst = int(np.argmax(np.abs(sums - 1)))
        raise ValueError(f"each row of {name} should sum to 1; row {worst} sums to {sums[worst]:.4f}.")
    return array.astype(np.float64)


def confusion(value: Any, name: str = "cm") -> np.ndarray:
    """`value` as an int64 10x10 table of whole, non-negative counts (a confusion matrix)."""
    array = as_array(value, "the confusion matrix")
    if array.shape != (10, 10):
        raise ValueError(f"a confusion matrix should have shape (10, 10); got {array.shape}.")
    if not np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_:
        raise ValueError(f"a confusion matrix should hold counts; got dtype {array.dtype}.")
    finite(array, "the confusion matrix")
    if array.min() < 0 or not np.all(array == np.round(array)):
        raise ValueError("a confusion matrix should hold whole, non-negative counts "
                         "(a row-normalised one? pass the counts instead).")
    return array.astype(np.int64)


def _at_least_one(array: np.ndarray, name: str, item: str) -> None:
    if len(array) == 0:
        raise ValueError(f"{name} should hold at least one {item}; got an empty array of shape {array.shape}.")


def equal_length(first: Any, second: Any, names: str) -> None:
    """Raise ValueError unless the two arrays named `names` ("x and y") have the same length."""
    if len(first) != len(second):
        raise ValueError(f"{names} should have the same length; got {len(first):,} and {len(second):,}.")


def mask(value: Any, name: str) -> np.ndarray:
    """`value` as a 1-D boolean array: True where a model got an image right."""
    array = as_array(value, name)
    if array.dtype != np.bool_ or array.ndim != 1:
        raise TypeError(f"{name} should be a 1-D boolean array (True where the model is right); "
                        f"got dtype {array.dtype}, shape {array.shape}.")
    return array


def widths(value: Any, name: str = "widths") -> tuple[int, ...]:
    """Three whole numbers of filters, each at least 1, for a network's three convolutions."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 3:
        raise TypeError(f"{name} should be three numbers of filters such as (25, 64, 64); got {describe(value)}.")
    return tuple(whole(v, f"{name}[{k}]") for k, v in enumerate(value))


def rate(value: Any, name: str) -> float:
    """A share in [0, 1): a dropout rate."""
    value = number(value, name, minimum=0.0)
    if value >= 1:
        raise ValueError(f"{name} should be a rate in [0, 1), the share of units dropped; got {value:g}.")
    return value


def fraction(value: Any, name: str) -> float:
    """A number strictly between 0 and 1 (a confidence level, a smoothing, a momentum)."""
    value = number(value, name)
    if not 0 < value < 1:
        raise ValueError(f"{name} should be a number strictly between 0 and 1; got {value:g}.")
    return value


def name_text(value: Any, name: str) -> str:
    """A string with something in it (a recipe's name)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} should be a non-empty string; got {describe(value)}.")
    if not value.strip():
        raise ValueError(f"{name} should be a non-empty string; got {value!r}.")
    return value


def place(value: Any, name: str, what: str = "a folder") -> Path:
    """`value` as a Path if it is a str or a Path; a number or a list is a TypeError."""
    if not isinstance(value, (str, Path)) and not hasattr(value, "__fspath__"):
        raise TypeError(f"{name} should be {what}, as a str or Path; got {describe(value)}.")
    return Path(value).expanduser()


def history(value: Any, name: str = "history") -> dict[str, list[float]]:
    """What `model.fit` returns (a Keras History) or its ``.history`` dict, as a dict of float
    lists, one value per epoch; the (model, history) pair and a lone number get a sentence."""
    if isinstance(value, tuple) and len(value) == 2 and hasattr(value[0], "layers"):
        raise TypeError(f"{name} should be a training history; got a (model, history) pair: {UNPACK}.")
    logs = getattr(value, "history", value)
    wanted = f"{name} should be what model.fit returns, or a dict of lists, one value per epoch"
    if not isinstance(logs, dict):
        raise TypeError(f"{wanted}; got {describe(logs)}.")
    if not logs:
        raise ValueError(f"{wanted}; got an empty dict (no metric recorded).")
    for key, values in logs.items():
        if not isinstance(key, str) or not isinstance(values, (list, tuple, np.ndarray)):
            raise TypeError(f"{wanted}; {name}[{key!r}] is {describe(values)}.")
        for epoch, item in enumerate(values):
            if isinstance(item, (bool, np.bool_)) or not isinstance(item, (numbers.Real, np.integer, np.floating)):
                raise TypeError(f"{wanted}; {name}[{key!r}][{epoch}] is {describe(item)}.")
    return {key: [float(v) for v in values] for key, values in logs.items()}


def times(value: Any, name: str) -> list[float]:
    """A list of non-negative numbers of seconds (one per epoch)."""
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__"):
        raise TypeError(f"{name} should be a list of seconds, one per epoch; got {describe(value)}.")
    return [number(v, f"{name}[{k}]", minimum=0.0) for k, v in enumerate(value)]


def prepared(value: Any, name: str = "data") -> dict[str, np.ndarray]:
    """A dict like `load_prepared()`'s: scaled images and labels under x_fit, y_fit, x_val, y_val."""
    keys = ("x_fit", "y_fit", "x_val", "y_val")
    if not isinstance(value, dict):
        raise TypeError(f"{name} should be the dict load_prepared() returns ({', '.join(keys)}); "
                        f"got {describe(value)}.")
    missing = [key for key in keys if key not in value]
    if missing:
        raise ValueError(f"{name} should hold the arrays {', '.join(keys)} (load_prepared() returns them); "
                         f"it lacks {', '.join(missing)}.")
    checked = dict(value)
    for split in ("fit", "val"):
        x, y = f"x_{split}", f"y_{split}"
        checked[x] = images(value[x], f"{name}[{x!r}]", scaled=True, nonempty=True)
        checked[y] = labels(value[y], f"{name}[{y!r}]")
        equal_length(checked[x], checked[y], f"{name}[{x!r}] and {name}[{y!r}]")
    return checked


class Images(_Spec):
    """A stack of 28x28 digits; `scaled` asks for [0, 1] floats (True) or 0-255 pixels (False)."""

    def __init__(self, scaled: bool | None = None, nonempty: bool = False) -> None:
        super().__init__(images, scaled=scaled, nonempty=nonempty)


class Labels(_Spec):
    """A 1-D array of digits 0-9 (returned as int64)."""

    def __init__(self, nonempty: bool = False) -> None:
        super().__init__(labels, nonempty=nonempty)


class Probabilities(_Spec):
    """An (n, 10) array of class probabilities, rows summing to 1 (returned as float64)."""

    def __init__(self, nonempty: bool = False) -> None:
        super().__init__(probabilities, nonempty=nonempty)


class ConfusionMatrix(_Spec):
    """A 10x10 table of whole, non-negative counts (a confusion matrix)."""

    def __init__(self) -> None:
        super().__init__(confusion)


class Mask(_Spec):
    """A 1-D boolean array (True where a model is right)."""

    def __init__(self) -> None:
        super().__init__(mask)


class Widths(_Spec):
    """Three whole numbers of filters, one per convolution."""

    def __init__(self) -> None:
        super().__init__(widths)


class Rate(_Spec):
    """A number in [0, 1): a dropout rate."""

    def __init__(self) -> None:
        super().__init__(rate)


class Fraction(_Spec):
    """A number strictly between 0 and 1."""

    def __init__(self) -> None:
        super().__init__(fraction)


class Name(_Spec):
    """A non-empty string."""

    def __init__(self) -> None:
        super().__init__(name_text)


class Place(_Spec):
    """A file or folder, as a str or Path (returned as a Path); `what` names it in the message."""

    def __init__(self, what: str = "a folder") -> None:
        super().__init__(place, what=what)


class History(_Spec):
    """A Keras History or a dict of lists of numbers (returned as the dict)."""

    def __init__(self) -> None:
        super().__init__(history)


class Times(_Spec):
    """A list of non-negative numbers of seconds."""

    def __init__(self) -> None:
        super().__init__(times)


class Prepared(_Spec):
    """The dict `load_prepared()` returns."""

    def __init__(self) -> None:
        super().__init__(prepared)

# --- Drawing (helpers.plotting) and what inspection computes ---
#
# What the drawing helpers take: pictures whose values are pixels, one digit, stacks of maps,
# masks, heat maps, a Figure, a function to call.

STANDARDISED = ("pixels are never negative: these look standardised (the mean taken away, divided by the "
                "spread); draw the images before standardising them, or undo it with x * std + mean")


def pixels(array: np.ndarray, name: str, scaled: bool = False) -> None:
    """Raise ValueError unless `array` can be drawn as a picture: finite values in [0, 1],
    or 0-255 unless `scaled`; negative values are named as standardised ones."""
    finite(array, name)
    if not array.size:
        return
    low, high = float(array.min()), float(array.max())
    if low >= 0 and high <= (1 if scaled else 255):
        return
    expected = "[0, 1] (scaled as in chapter 3)" if scaled else "[0, 1] (or 0-255)"
    why = STANDARDISED if low < 0 else "raw pixels? divide them by 255 first (chapter 3)" if high <= 255 else ""
    raise ValueError(f"{name} should hold pixel values in {expected}; got values from {low:.4g} to {high:.4g}"
                     f"{': ' + why if why else ''}.")


def one_digit(value: Any, name: str, shapes: tuple[tuple[int, ...], ...] = ((28, 28), (28, 28, 1)),
              scaled: bool = False) -> np.ndarray:
    """One 28x28 digit of pixels as a (28, 28) array; a batch, a mask or standardised values are refused."""
    if hasattr(value, "layers") and hasattr(value, "predict"):
        raise TypeError(f"{name} should be one digit as an array; got a Keras model "
                        "(are the model and the image swapped?).")
    image = as_array(value, name)
    if image.shape not in shapes:
        listed = " or ".join(filter(None, [", ".join(map(str, shapes[:-1])), str(shapes[-1])]))
        batch = image.ndim in (3, 4) and image.shape[1:3] == (28, 28)
        raise ValueError(f"{name} should be one digit of shape {listed}; got {image.shape}."
                         f"{' For one digit of a batch, take images[i].' if batch else ''}")
    if image.dtype == np.bool_:
        raise ValueError(f"{name} should hold pixel values; got dtype bool (a mask?).")
    pixels(image, name, scaled)
    return image.reshape(28, 28)


class OneDigit(_Spec):
    """One digit, (28, 28) or (28, 28, 1) (or the `shapes` given), of pixels; checked as (28, 28)."""

    def __init__(self, shapes: tuple[tuple[int, ...], ...] = ((28, 28), (28, 28, 1)), scaled: bool = False) -> None:
        super().__init__(one_digit, shapes=shapes, scaled=scaled)


def _stack(value: Any, name: str, layout: str, batch_hint: str) -> np.ndarray:
    array = as_array(value, name)
    if array.ndim != 3 or 0 in array.shape:
        hint = f" ({batch_hint})" if batch_hint and array.ndim == 4 else ""
        raise ValueError(f"{name} should have shape {layout}; got {array.shape}{hint}.")
    finite(array, name)
    return array.astype(np.float32)


class Stack(_Spec):
    """A non-empty 3-D array of finite numbers laid out as `layout`, checked as float32;
    a 4-D one gets `batch_hint`."""

    def __init__(self, layout: str = "(height, width, channels)", batch_hint: str = "") -> None:
        super().__init__(_stack, layout=layout, batch_hint=batch_hint)


def _mask(value: Any, name: str) -> np.ndarray:
    mask = as_array(value, name)
    if mask.shape != (28, 28) or mask.dtype != np.bool_:
        raise ValueError(f"{name} should be a boolean (28, 28) mask, as visible_mask returns; "
                         f"got {mask.dtype} {mask.shape}.")
    return mask


class ImageMask(_Spec):
    """A boolean (28, 28) mask, such as `inspection.visible_mask` returns."""

    def __init__(self) -> None:
        super().__init__(_mask)


def _heat_map(value: Any, name: str) -> np.ndarray:
    heat = as_array(value, name)
    if heat.shape != (28, 28):
        raise ValueError(f"{name} should be a (28, 28) heat map in [0, 1]; got shape {heat.shape}.")
    in_range(heat, "the heat map", 0.0, 1.0, "Scale it by its maximum, as saliency_map and grad_cam do.")
    return heat.astype(np.float32)


class HeatMap(_Spec):
    """A (28, 28) map of values in [0, 1], such as `saliency_map` and `grad_cam` return."""

    def __init__(self) -> None:
        super().__init__(_heat_map)


def _shares(value: Any, name: str, what: str, hint: str) -> np.ndarray:
    array = as_array(value, name)
    if array.ndim != 1 or array.dtype == np.bool_:
        raise ValueError(f"{name} should be a 1-D array of {what} in [0, 1], one per image; got shape {array.shape}"
                         f"{' of booleans' if array.dtype == np.bool_ else ''}.")
    in_range(array, name, 0.0, 1.0, hint)
    return array


class Shares(_Spec):
    """A 1-D array of numbers in [0, 1], one per image; `what` names them, `hint` says what they are."""

    def __init__(self, what: str = "probabilities", hint: str = "") -> None:
        super().__init__(_shares, what=what, hint=hint)


def _figure(value: Any, name: str) -> Any:
    from matplotlib.figure import Figure  # here, not at the top: the checks load without Matplotlib

    if not isinstance(value, Figure):
        raise TypeError(f"{name} should be a Matplotlib Figure (plt.figure()); got {describe(value)}.")
    return value


class FigureSpec(_Spec):
    """One Matplotlib Figure."""

    def __init__(self) -> None:
        super().__init__(_figure)


def _function(value: Any, name: str, what: str) -> Any:
    if not callable(value) or hasattr(value, "__array__"):
        raise TypeError(f"{name} should be {what}; got {describe(value)}.")
    return value


class Function(_Spec):
    """Something to call, described by `what` ("a Keras layer or a function of a batch")."""

    def __init__(self, what: str = "a function") -> None:
        super().__init__(_function, what=what)


def digit_model(value: Any, name: str = "model") -> Any:
    """`value` checked to be a Keras model (see `model`) that takes (28, 28, 1) digits."""
    value = model(value, name)
    try:
        shape = tuple(value.input_shape[1:])
    except (AttributeError, ValueError):
        raise ValueError(f"the model {value.name!r} has no input yet; build it with keras.Input((28, 28, 1)) "
                         "as its first layer, like the book's networks.") from None
    if shape != (28, 28, 1):
        raise ValueError(f"{name} should take (28, 28, 1) digits, like the book's networks; got input shape {shape}.")
    return value


class DigitModel(_Spec):
    """A Keras model of (28, 28, 1) digits, like the book's networks."""

    def __init__(self) -> None:
        super().__init__(digit_model)


def _positions(value: Any, name: str) -> np.ndarray:
    indices = as_array(value, name)
    if indices.ndim != 1 or indices.dtype == np.bool_:
        raise ValueError(f"{name} should be a 1-D array of positions (whole numbers); got shape {indices.shape}"
                         f"{' of booleans: take np.flatnonzero(mask)' if indices.dtype == np.bool_ else ''}.")
    finite(indices, name)
    if indices.size and (np.any(indices != np.round(indices)) or indices.min() < 0):
        raise ValueError(f"{name} should be positions in the test set: whole numbers, 0 or more.")
    return indices


class Positions(_Spec):
    """Positions in the test set: a 1-D array of whole numbers, 0 or more."""

    def __init__(self) -> None:
        super().__init__(_positions)


def _span(value: Any, name: str, within: int | None, widest: int | None) -> tuple[int, int]:
    start, stop = pair(value, name, minimum=None)
    if within is None and start >= stop:
        raise ValueError(f"{name} should be a range (start, stop) with start < stop; got ({start}, {stop}).")
    if within is not None and (not 0 <= start < stop <= within or widest is not None and stop - start > widest):
        raise ValueError(f"{name} should be a range (start, stop) with 0 <= start < stop <= {within}"
                         f"{f' and at most {widest} pixels' if widest else ''}; got ({start}, {stop}).")
    return start, stop


class Span(_Spec):
    """A half-open range (start, stop) of whole numbers, start < stop; with `within`, inside
    0-`within`, and at most `widest` wide."""

    def __init__(self, within: int | None = None, widest: int | None = None) -> None:
        super().__init__(_span, within=within, widest=widest)


def _probability_row(value: Any, name: str) -> np.ndarray:
    probs = as_array(value, name)
    if probs.shape != (10,):
        hint = f" (one image's row: take {name}[i])" if probs.ndim == 2 else ""
        raise ValueError(f"{name} should have shape (10,), one per digit; got {probs.shape}{hint}.")
    if probs.dtype == np.bool_:
        raise ValueError(f"{name} should be numbers in [0, 1]; got booleans.")
    finite(probs, name)
    probs = probs.astype(float)
    if probs.min() < 0 or probs.max() > 1 or abs(probs.sum() - 1) > 1e-3:
        raise ValueError(f"{name} should lie in [0, 1] and sum to 1; got values from {probs.min():.3g} to "
                         f"{probs.max():.3g} summing to {probs.sum():.3g} (scores? apply softmax first).")
    return probs


class ProbabilityRow(_Spec):
    """The 10 probabilities of one image (a softmax output), in [0, 1] and summing to 1."""

    def __init__(self) -> None:
        super().__init__(_probability_row)


def _input_shape(value: Any, name: str) -> tuple[int, ...]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 3:
        raise TypeError(f"{name} should be (height, width, channels) such as (28, 28, 1); got {describe(value)}.")
    return tuple(whole(size, f"each size of {name}") for size in value)


class InputShape(_Spec):
    """An input shape (height, width, channels) of positive whole numbers."""

    def __init__(self) -> None:
        super().__init__(_input_shape)


def _layer_table(value: Any, name: str, most: int) -> list[tuple[str, tuple[int, ...], int]]:
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError(f"{name} should be a non-empty list of (name, shape, params); got {describe(value)}.")
    if len(value) > most:
        raise ValueError(f"{name} should hold at most {most} layers, to draw them in one row; got {len(value)}.")
    checked = []
    for entry in value:
        if not (isinstance(entry, (list, tuple)) and len(entry) == 3):
            raise ValueError(f"each layer should be a (name, shape, params) triple; got {entry!r}.")
        layer, shape, params = entry
        if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__"):
            raise TypeError(f"layer {layer!r}: shape should be a tuple of whole numbers; got {describe(shape)}.")
        shape = tuple(whole(size, f"layer {layer!r}: each size of its shape", minimum=None) for size in shape)
        params = whole(params, f"layer {layer!r}: its parameter count", minimum=None)
        if len(shape) not in (1, 3) or min(shape) < 1:
            raise ValueError(f"layer {layer!r}: shape should be (height, width, channels) or (units,), "
                             f"all positive; got {shape}.")
        if params < 0:
            raise ValueError(f"layer {layer!r}: a parameter count cannot be negative; got {params}.")
        checked.append((str(layer), shape, params))
    return checked


class LayerTable(_Spec):
    """A list of (name, output shape, parameter count), like `helpers.models.SEED_LAYERS`, at most `most` long."""

    def __init__(self, most: int = 32) -> None:
        super().__init__(_layer_table, most=most)


def _history(value: Any, name: str) -> dict[str, Any]:
    if isinstance(value, tuple) and len(value) == 2 and hasattr(value[0], "layers"):
        raise TypeError(f"{name} should be a training history; got a (model, history) pair: {UNPACK}.")
    if hasattr(value, "layers"):
        raise TypeError(f"{name} should be a training history; got a Keras model: {UNPACK}.")
    logs = value.history if hasattr(value, "history") else value
    if not isinstance(logs, dict):
        raise ValueError(f"{name} should be a dict of lists (or a keras History); got {type(value).__name__}.")
    return logs


class PlotHistory(_Spec):
    """A keras History or its ``.history`` dict (not the (model, history) pair); checked as the dict."""

    def __init__(self) -> None:
        super().__init__(_history)


def _loss_table(value: Any, name: str) -> Any:
    if not (hasattr(value, "iterrows") and {"val loss", "loss sd"} <= set(getattr(value, "columns", ()))):
        raise TypeError(f"{name} should be the DataFrame ablation.factor_table returns, with the columns "
                        f"'val loss' and 'loss sd'; got {describe(value)}.")
    if not len(value):
        raise ValueError(f"{name} has no row to draw; it should hold at least one factor.")
    return value


class LossTable(_Spec):
    """A table such as `helpers.ablation.factor_table` returns: rows with 'val loss' and 'loss sd'."""

    def __init__(self) -> None:
        super().__init__(_loss_table)


def _stages(value: Any, name: str) -> dict[str, np.ndarray]:
    if not isinstance(value, dict) or not value:
        raise TypeError(f"{name} should be the dict preprocess_stages returns; got {describe(value)}.")
    checked = {}
    for stage, image in value.items():
        image = as_array(image, f"stage {stage!r}")
        if image.ndim != 2 or image.size == 0:
            raise ValueError(f"stage {stage!r} should be a non-empty 2-D image; got shape {image.shape}.")
        pixels(image, f"stage {stage!r}", scaled=True)
        checked[stage] = image
    return checked


class Stages(_Spec):
    """The dict `helpers.digits.preprocess_stages` returns: {stage name: 2-D image in [0, 1]}."""

    def __init__(self) -> None:
        super().__init__(_stages)


def _layer_names(value: Any, name: str) -> list[str]:
    if isinstance(value, str):
        raise TypeError(f"{name} should be a list of names; got the string {value!r}: write [{value!r}].")
    if not isinstance(value, (list, tuple)) or not all(isinstance(n, str) for n in value):
        raise TypeError(f"{name} should be a list of layer names (strings); got {describe(value)}.")
    return list(value)


class LayerNames(_Spec):
    """A list of layer names; a single name given as a string gets a hint."""

    def __init__(self) -> None:
        super().__init__(_layer_names)


def _steps(value: Any, name: str) -> list[tuple[int, int]]:
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} should be a list of (window, stride) pairs; got {describe(value)}.")
    checked = []
    for step in value:
        if isinstance(step, (str, bytes)) or not hasattr(step, "__len__") or len(step) != 2:
            raise ValueError(f"each step should be (window, stride) with positive numbers; got {step!r}.")
        window, stride = (whole(v, f"the step {tuple(step)!r}: its window and stride", minimum=None) for v in step)
        if min(window, stride) < 1:
            raise ValueError(f"each step should be (window, stride) with positive numbers; got {step!r}.")
        checked.append((window, stride))
    return checked


class Steps(_Spec):
    """A list of (window, stride) pairs of whole numbers, each at least 1."""

    def __init__(self) -> None:
        super().__init__(_steps)


def _panels(value: Any, name: str, most: int) -> list[np.ndarray]:
    if value is None or isinstance(value, (str, bytes, dict)):
        raise TypeError(f"{name} should be a 2-D array or a list of them; got {describe(value)}.")
    if isinstance(value, np.ndarray) and value.ndim not in (2, 3):
        raise ValueError(f"{name} should be one 2-D array, a stack of shape (k, height, width) or a list of "
                         f"2-D arrays; got an array of shape {value.shape}.")
    items = [value] if isinstance(value, np.ndarray) and value.ndim == 2 else list(value)
    arrays = []
    for k, item in enumerate(items):
        array = as_array(item, f"{name}[{k}]")
        if array.ndim != 2 or 0 in array.shape:
            raise ValueError(f"each of the {name} should be a non-empty 2-D array; item {k} has shape {array.shape}.")
        finite(array, f"{name}[{k}]")
        arrays.append(array.astype(float))
    if not arrays:
        raise ValueError(f"{name} should hold at least one 2-D array; got none.")
    if len(arrays) > most:
        raise ValueError(f"at most {most} {name} fit side by side; got {len(arrays)}. Pick a few "
                         f"(e.g. {name}[:8]), or draw a whole layer with show_map_grid.")
    return arrays


class Panels(_Spec):
    """2-D arrays to draw side by side (at most `most`): one (h, w) array, a (k, h, w) stack or a
    list; checked as a list of float arrays."""

    def __init__(self, most: int = 16) -> None:
        super().__init__(_panels, most=most)


def _titles(value: Any, name: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, (list, tuple, np.ndarray)):
        raise TypeError(f"{name} should be a list of strings, one per panel; got {describe(value)}.")
    return list(value)


class Titles(_Spec):
    """A list of titles, one per panel (a single string gets its own sentence)."""

    def __init__(self) -> None:
        super().__init__(_titles)

# --- Training, digits and inspection, round two ---


def _builder(value: Any, name: str, module: Any) -> str:
    if not isinstance(value, str) or not callable(getattr(module, value, None)):
        raise ValueError(f"{name} should name a function in {module.__name__}, e.g. 'build_seed_cnn'; got {value!r}.")
    return value


class Builder(_Spec):
    """The name of a function in `module` (helpers.models) that builds a network."""

    def __init__(self, module: Any) -> None:
        super().__init__(_builder, module=module)


def _keywords(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise TypeError(f"{name} should be a dict of keyword arguments; got {describe(value)}.")
    return value


class Keywords(_Spec):
    """A dict of keyword arguments (for a builder)."""

    def __init__(self) -> None:
        super().__init__(_keywords)


def _fitting_images(value: Any, name: str) -> np.ndarray:
    array = images(value, name, scaled=True, nonempty=True)
    if array.dtype != np.float32:
        raise ValueError(f"{name} should be float32 (see chapter 3); got {array.dtype}.")
    return array


class FittingImages(_Spec):
    """At least one digit of float32 pixels in [0, 1], as a tf.data pipeline takes them."""

    def __init__(self) -> None:
        super().__init__(_fitting_images)


def _uci_digit(value: Any, name: str) -> np.ndarray:
    image = as_array(value, name)
    if image.shape != (8, 8):
        raise ValueError(f"{name} should be one 8x8 UCI digit, shape (8, 8); got shape {image.shape}"
                         + (" (a batch? take image[i])." if image.ndim == 3 else "."))
    if image.dtype == np.bool_ or not np.issubdtype(image.dtype, np.number):
        raise ValueError(f"an 8x8 UCI digit holds ink counts 0-16; got dtype {image.dtype}.")
    finite(image, name)
    if image.min() < 0 or image.max() > 16:
        raise ValueError(f"an 8x8 UCI digit holds ink counts 0-16; got values from {image.min():g} to {image.max():g}.")
    return image.astype(np.float32)


class UciDigit(_Spec):
    """One 8x8 UCI digit of ink counts 0-16, given as float32."""

    def __init__(self) -> None:
        super().__init__(_uci_digit)


def _mnist_digit(value: Any, name: str) -> np.ndarray:
    digit = as_array(value, name)
    if digit.shape != (28, 28):
        raise ValueError(f"{name} should be one MNIST digit of shape (28, 28); got shape {digit.shape}.")
    return digit


class MnistDigit(_Spec):
    """One MNIST digit of shape (28, 28); its pixels are checked where they are read."""

    def __init__(self) -> None:
        super().__init__(_mnist_digit)


def scoring_model(value: Any, name: str = "model") -> Any:
    """A digit model whose class scores can be read: a Sequential ending in Dense(10) (softmax or not).

    A model ending in a separate Softmax or Activation layer is refused: its scores before
    the softmax are not the output of one layer to stop before."""
    import keras  # here, not at the top: the checks load without Keras

    value = digit_model(value, name)
    last = value.layers[-1] if value.layers else None
    if not isinstance(value, keras.Sequential) or not isinstance(last, keras.layers.Dense):
        kind = type(last).__name__ if last is not None else "no layer"
        hint = (" (build it with Dense(10, activation='softmax') as its last layer instead of a separate "
                "softmax layer)" if kind in ("Softmax", "Activation") else "")
        raise ValueError(f"{name} should be a keras.Sequential model ending in a Dense layer, like the book's "
                         f"networks; got one that ends in {kind}{hint}.")
    if last.units != 10:
        raise ValueError(f"{name} should end in a Dense layer of 10 units, one per digit; got {last.units}.")
    return value


class ScoringModel(_Spec):
    """A Sequential digit model ending in Dense(10), whose class scores can be read."""

    def __init__(self) -> None:
        super().__init__(scoring_model)


def _scaled_batch(value: Any, name: str) -> np.ndarray:
    array = images(value, name)
    pixels(array, name)  # negative values get the sentence on standardised ones
    images(array, name, scaled=True)
    nonempty(array, name)
    return array.astype(np.float32).reshape(-1, 28, 28, 1)


class ScaledBatch(_Spec):
    """At least one digit of floats in [0, 1], given as float32 (n, 28, 28, 1)."""

    def __init__(self) -> None:
        super().__init__(_scaled_batch)


def _cell_map(value: Any, name: str) -> np.ndarray:
    cells = as_array(value, name)
    if cells.ndim != 2 or 0 in cells.shape:
        raise ValueError(f"{name} should be a 2-D map of a layer's cells; got shape {cells.shape}.")
    finite(cells, name)
    return cells.astype(np.float32)


class CellMap(_Spec):
    """A non-empty 2-D map of finite numbers (a layer's cells), given as float32."""

    def __init__(self) -> None:
        super().__init__(_cell_map)


def _layer_cells(value: Any, name: str) -> dict[str, tuple[int, int]]:
    if not isinstance(value, dict):
        raise TypeError(f"{name} should be a dict {{layer name: (row, col)}}; got {describe(value)}.")
    return {layer: pair(cell, f"the cell of {layer!r}", minimum=None) for layer, cell in value.items()}


class LayerCells(_Spec):
    """A dict {layer name: (row, col)} of cells, each a pair of whole numbers."""

    def __init__(self) -> None:
        super().__init__(_layer_cells)


def _position(value: Any, name: str) -> int:
    value = whole(value, name, minimum=None)
    if value < 0:
        raise ValueError(f"{name} should be a position, 0 or more; got {value}.")
    return value


class Position(_Spec):
    """A position in a map or a list: a whole number, 0 or more."""

    def __init__(self) -> None:
        super().__init__(_position)


#: What `keras.datasets.mnist.load_data()` returns, array by array.
MNIST_SHAPES = {"x_train": (60000, 28, 28), "y_train": (60000,), "x_test": (10000, 28, 28), "y_test": (10000,)}


def mnist_arrays(arrays: dict[str, np.ndarray], source: str = "MNIST") -> None:
    """Raise unless `arrays` are the four MNIST arrays: keys, shapes, dtype uint8, labels 0-9."""
    if not isinstance(arrays, dict):
        raise TypeError(f"{source} should give a dict of the four MNIST arrays; got {describe(arrays)}.")
    missing = sorted(set(MNIST_SHAPES) - set(arrays))
    if missing:
        raise ValueError(f"{source} should hold the arrays {sorted(MNIST_SHAPES)}; it lacks the arrays {missing}.")
    for key, shape in MNIST_SHAPES.items():
        array = arrays[key]
        if not isinstance(array, np.ndarray):
            raise TypeError(f"{source}: {key} should be a NumPy array; got {describe(array)}.")
        if array.shape != shape:
            raise ValueError(f"{source}: {key} should have shape {shape}; got {array.shape}.")
        if array.dtype != np.uint8:
            raise ValueError(f"{source}: {key} should have dtype uint8; got {array.dtype}.")
    for key in ("y_train", "y_test"):
        if arrays[key].max() > 9:
            raise ValueError(f"{source}: {key} should hold labels 0-9; got the label {int(arrays[key].max())}.")


def uci_arrays(arrays: dict[str, np.ndarray], file: Path) -> tuple[np.ndarray, np.ndarray]:
    """The UCI digits' (images, labels) read from `file`, checked: uint8 (n, 8, 8) counts 0-16."""
    images, labels_ = arrays["images"], arrays["labels"]
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (8, 8):
        raise ValueError(f"{file}: images should be uint8 of shape (n, 8, 8); got {images.dtype} {images.shape}.")
    if labels_.shape != (len(images),):
        raise ValueError(f"{file}: labels should have shape ({len(images)},); got {labels_.shape}.")
    if images.size and images.max() > 16:
        raise ValueError(f"{file}: pixels should count ink in 4x4 blocks, 0-16; got up to {images.max()}.")
    return images, labels(labels_, f"{file}: labels").astype(np.uint8)


def _count(value: Any, name: str, what: str) -> int:
    value = whole(value, name, minimum=None)
    if value < 1:
        raise ValueError(f"{name} should be a positive number of {what}; got {value}.")
    return value


class Count(_Spec):
    """A whole number of `what` ("pairs", "mistakes"), at least 1."""

    def __init__(self, what: str) -> None:
        super().__init__(_count, what=what)


def one_per_epoch(history: dict[str, list[float]], epoch_seconds: list[float]) -> None:
    """Raise ValueError unless every metric of `history` and `epoch_seconds` have one value per epoch."""
    epochs = {len(values) for values in history.values()}
    if len(epochs) > 1:
        counts = ", ".join(f"{key} {len(values)}" for key, values in history.items())
        raise ValueError(f"every metric of history should have one value per epoch; got {counts}.")
    if epochs != {len(epoch_seconds)}:
        raise ValueError(f"epoch_seconds should have one time per epoch, {epochs.pop()} like the metrics; "
                         f"got {len(epoch_seconds)}.")


# --- Drawing, round two ---
#
# Many digits drawn as pictures, and kernels small enough to write their weights in.


def _pictures(value: Any, name: str, scaled: bool, nonempty: bool, most: int | None, why: str,
              hint: str) -> np.ndarray:
    array = images(value, name, nonempty=nonempty)
    pixels(array, name)
    if most is not None and len(array) > most:
        raise ValueError(f"{name} should hold at most {most} digits, {why}; got {len(array):,}."
                         f"{' ' + hint if hint else ''}")
    if scaled:
        return images(array, name, scaled=True).astype(np.float32).reshape(-1, 28, 28, 1)
    return array


class Pictures(_Spec):
    """Digits (n, 28, 28) or (n, 28, 28, 1) whose values are pixels, 0-255 or [0, 1]; with `scaled`,
    floats in [0, 1], checked as float32 (n, 28, 28, 1); at most `most` of them (`why` says why)."""

    def __init__(self, scaled: bool = False, nonempty: bool = False, most: int | None = None, why: str = "",
                 hint: str = "") -> None:
        super().__init__(_pictures, scaled=scaled, nonempty=nonempty, most=most, why=why, hint=hint)


def _kernels(value: Any, name: str, most: int) -> list[np.ndarray]:
    kernels = _panels(value, name, most)
    shapes = sorted({kernel.shape for kernel in kernels})
    if len(shapes) > 1:
        raise ValueError(f"{name} should all have one shape, to share a colour scale; got shapes {shapes}.")
    if max(shapes[0]) > 9:
        raise ValueError(f"{name} should be small grids (at most 9x9) to show their weights; got {shapes[0]}.")
    return kernels


class Kernels(_Spec):
    """Panels (see `Panels`) of one shape, at most 9x9: kernels whose weights can be written in."""

    def __init__(self, most: int = 16) -> None:
        super().__init__(_kernels, most=most)
