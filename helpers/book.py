"""Pasting computed values into the book's prose, in the book and in Colab alike."""

from __future__ import annotations

from typing import Any


def glue(name: str, value: Any, display: bool = True) -> None:
    """Record `value` under `name` for the prose (MyST-NB's ``glue``), wherever the notebook runs.

    In the book's build this is `myst_nb.glue`, so ``{glue:text}`name``` in a markdown cell
    shows the value computed by the code. Where MyST-NB is not installed (Colab, a plain
    Jupyter), the value is simply displayed when `display` is true, and nothing else happens.
    """
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
