"""Pasting computed values into the book's prose, in the book and in Colab alike."""

from __future__ import annotations

from typing import Any

from helpers._validate import Flag, accepts, describe

#: What `glue` gets when no value is passed (None is a value one may glue).
_NO_VALUE = object()


def _glue_name(value: Any, name: str) -> str:
    """A spec: `value` if it is a non-empty string, the name the prose refers to."""
    if not isinstance(value, str):
        raise TypeError(f"{name} should be a string naming the value, given first as in "
                        f"glue('test_accuracy', test_accuracy); got {describe(value)}.")
    if not value.strip():
        raise ValueError(f"{name} should be a non-empty string naming the value, such as 'test_accuracy' "
                         f"(the prose shows it with {{glue:text}}`test_accuracy`); got {value!r}.")
    return value


@accepts(name=_glue_name, display=Flag())
def glue(name: str, value: Any = _NO_VALUE, display: bool = True) -> None:
    """Record `value` under `name` for the prose of every chapter (MyST-NB's ``glue``), wherever it runs.

    In the book's build this is `myst_nb.glue`, so ``{glue:text}`name``` in a markdown cell
    shows the value computed by the code. Where MyST-NB is not installed (Colab, a plain
    Jupyter), the value is simply displayed when `display` is true, and nothing else happens.
    """
    if value is _NO_VALUE:
        raise TypeError(f"glue({name!r}) has no value to record: pass it second, glue({name!r}, value).")
    value = _plain(value)
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        if display:
            from IPython.display import display as show

            show(value)
        return
    myst_glue(name, value, display=display)


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python number it holds, so `{glue:text}` can format it."""
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "shape", None) == ():
        return item()
    return value
