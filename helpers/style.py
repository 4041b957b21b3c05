"""The book's one figure style (every chapter's setup cell calls `use_book_style`)."""

from __future__ import annotations

import matplotlib as mpl

#: Colours used across the book's plots (colour-blind safe, readable on white).
TRAIN_COLOR = "#0072B2"
VAL_COLOR = "#D55E00"
ACCENT_COLOR = "#009E73"

BOOK_RC = {
    "figure.figsize": (6.0, 4.0),
    "figure.dpi": 100,
    "figure.facecolor": "white",  # an opaque white card: readable in light and dark themes
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#222222",
    "text.color": "#222222",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "axes.grid": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titleweight": "bold",
    "font.size": 10,
    "image.cmap": "gray_r",
}


def use_book_style() -> None:
    """Apply the book's Matplotlib style (white figure, dark text, ink-on-paper digits)."""
    mpl.rcParams.update(BOOK_RC)
