"""The book's plots: digits, data summaries, kernels, feature maps, training curves, mistakes,
what a trained network looks at, and the stages of preparing your own digit.

Every function is pure: its arguments are checked first (the ``@accepts`` guards above each
function; a `ValueError` or `TypeError` says what was expected and what came), it draws on the
`ax` (or `axes`) it is given, creating one only when none is given, and returns what it drew
on. Nothing is shown or saved here: the notebook displays the figure. Digits are drawn as dark
ink on white paper (the book's ``gray_r`` colour map), so pixel value 0 is white and the
largest value is black. The numbers drawn in chapter 8 are computed in `helpers.inspection`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Polygon, Rectangle

from helpers import _validate as _v
from helpers import inspection
from helpers._validate import (
    AxesSpec,
    Digit,
    DigitModel,
    FigureSpec,
    Flag,
    Function,
    HeatMap,
    ImageMask,
    InputShape,
    LayerTable,
    LossTable,
    Maybe,
    Number,
    OneDigit,
    OneOf,
    Panels,
    PlotHistory,
    Positions,
    ProbabilityRow,
    Shares,
    Span,
    Stack,
    Stages,
    Text,
    Titles,
    Whole,
    accepts,
)
from helpers.data import check_images, check_labels
from helpers.evaluation import check_confusion_matrix, normalize_rows
from helpers.style import ACCENT_COLOR, TRAIN_COLOR, VAL_COLOR

if TYPE_CHECKING:
    import keras

#: Colour map for maps with signed values (kernels, edge responses): blue < 0 < red.
SIGNED_CMAP = "RdBu_r"
#: Most digits `plot_misclassified` draws: one small picture each; more would take minutes.
MAX_GALLERY = 100
#: Most panels `show_kernels` and `show_feature_maps` draw side by side in one row.
MAX_PANELS = 16
#: A digit drawn as the networks of chapter 8 take it: (28, 28), (28, 28, 1) or a batch of one.
SCALED_DIGIT = OneDigit(shapes=((28, 28), (28, 28, 1), (1, 28, 28, 1)), scaled=True)
OPTIONAL_AX = Maybe(AxesSpec())


# --- Specs that use the checks of helpers.data and helpers.evaluation ----------------------


def _pictures(value: Any, name: str) -> np.ndarray:
    """Digits (n, 28, 28) or (n, 28, 28, 1) whose values are pixels, raw or scaled."""
    images = _v.as_array(value, name)
    check_images(images, name=name)
    _v.pixels(images, name)
    return images


def _scaled_pictures(value: Any, name: str) -> np.ndarray:
    """Digits of floats in [0, 1], as float32 (n, 28, 28, 1)."""
    images = _pictures(value, name)
    check_images(images, scaled=True, name=name)
    return images.astype(np.float32).reshape(-1, 28, 28, 1)


def _gallery(value: Any, name: str) -> np.ndarray:
    """1 to `MAX_GALLERY` digits of pixels: each is its own small plot, so 10,000 would take minutes."""
    images = _pictures(value, name)
    if not len(images):
        raise ValueError("there are no images to show; pass at least one.")
    if len(images) > MAX_GALLERY:
        raise ValueError(
            f"plot_misclassified draws at most {MAX_GALLERY} digits, one small plot each; got {len(images):,}. "
            "Pick the ones to show first, e.g. shown = misclassified_indices(y_test, y_pred)[:32]."
        )
    return images


def _labels(value: Any, name: str) -> np.ndarray:
    return check_labels(value, name=name)


def _counts(value: Any, name: str) -> np.ndarray:
    return check_confusion_matrix(value)


# --- Small shared pieces ------------------------------------------------------------------


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """The given Axes, or a new one in a new figure of `figsize` inches."""
    return plt.subplots(figsize=figsize)[1] if ax is None else ax


def _each_axes(axes: Any, count: int, what: str) -> list[Axes]:
    """The Axes of `axes` (a list or an array of them), checked to be one per `what`."""
    axes = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(axes) != count:
        raise ValueError(f"axes should hold one Axes per {what}: {count} {what}s, {len(axes)} Axes given.")
    return [_v.axes(one, "each of axes") for one in axes]


def _grid_axes(axes: Sequence[Axes] | np.ndarray | None, k: int, width: float) -> tuple[Figure, list[Axes]]:
    """The given k Axes (and their figure), or a new row of k."""
    if axes is None:
        fig, made = plt.subplots(1, k, figsize=(width * k, width + 0.6), squeeze=False, layout="constrained")
        return fig, list(made[0])
    axes = _each_axes(axes, k, "panel")
    return axes[0].figure, axes


def _pixel_top(values: np.ndarray) -> float:
    """The value drawn as full black: 255 for raw pixels, 1 for scaled ones."""
    return 255.0 if values.dtype == np.uint8 or (values.size and values.max() > 1) else 1.0


def _digit_ticks(ax: Axes, xlabel: str = "column (pixel)", ylabel: str = "row (pixel)") -> None:
    ax.set_xticks([0, 7, 14, 21, 27])
    ax.set_yticks([0, 7, 14, 21, 27])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


# --- Chapters 1-3: digits and the data -----------------------------------------------------


@accepts(image=OneDigit(), ax=OPTIONAL_AX, title=Text())
def show_digit(image: np.ndarray, ax: Axes | None = None, title: str = "A handwritten digit") -> Axes:
    """Draw one digit as a picture, ink dark on white (chapter 1).

    `image`: shape (28, 28) or (28, 28, 1), raw pixels 0-255 or scaled values in [0, 1].
    Returns the Axes.
    """
    ax = _new_axes(ax, (3.2, 3.2))
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=_pixel_top(image))
    ax.set_title(title)
    _digit_ticks(ax)
    return ax


@accepts(image=OneDigit(), rows=Span(within=28, widest=16), cols=Span(within=28, widest=16), ax=OPTIONAL_AX, title=Text())
def show_pixel_values(
    image: np.ndarray,
    rows: tuple[int, int],
    cols: tuple[int, int],
    ax: Axes | None = None,
    title: str = "Pixel values",
) -> Axes:
    """Draw a window of a digit with each pixel's number written in its square (chapter 1).

    `image`: shape (28, 28) or (28, 28, 1). `rows` and `cols` are half-open ranges
    ``(start, stop)`` inside 0-28, at most 16 wide so the numbers stay readable. Tick labels
    are the pixels' indices in the full image. Returns the Axes.
    """
    window = image[rows[0] : rows[1], cols[0] : cols[1]]
    top = _pixel_top(image)
    ax = _new_axes(ax, (0.45 * window.shape[1] + 1, 0.45 * window.shape[0] + 1))
    ax.imshow(window, cmap="gray_r", vmin=0, vmax=top)
    for (r, c), value in np.ndenumerate(window):
        text = f"{int(value)}" if top == 255 else f"{value:.2f}".lstrip("0")
        ax.text(c, r, text, ha="center", va="center", fontsize=7 if top == 255 else 6,
                color="white" if value > 0.5 * top else "#222222")
    ax.set_xticks(range(window.shape[1]), [str(c) for c in range(*cols)], fontsize=7)
    ax.set_yticks(range(window.shape[0]), [str(r) for r in range(*rows)], fontsize=7)
    ax.set_title(title)
    ax.set_xlabel("column (pixel)")
    ax.set_ylabel("row (pixel)")
    return ax


@accepts(ax=AxesSpec(), rows=Span(), cols=Span())
def mark_window(ax: Axes, rows: tuple[int, int], cols: tuple[int, int], color: str = VAL_COLOR) -> Axes:
    """Outline the window ``rows x cols`` (half-open ranges) on an image drawn in `ax` (chapter 1).

    Used with `show_digit` to show where a `show_pixel_values` window sits.
    """
    ax.add_patch(Rectangle((cols[0] - 0.5, rows[0] - 0.5), cols[1] - cols[0], rows[1] - rows[0],
                           fill=False, edgecolor=color, linewidth=2))
    return ax


@accepts(images=_pictures, labels=_labels, per_class=Whole(), pad=Whole(minimum=0, maximum=28))
def digit_mosaic(images: np.ndarray, labels: np.ndarray, per_class: int = 8, pad: int = 2) -> np.ndarray:
    """One big picture: row k holds the first `per_class` images whose label is k (chapter 2).

    `images`: (n, 28, 28) or (n, 28, 28, 1); `labels`: (n,) digits 0-9, every digit at least
    `per_class` times. Returns an array of shape (10 * (28 + pad), per_class * (28 + pad)) with
    the images' own values and `pad` blank pixels after each digit.
    """
    _v.same_length(images=images, labels=labels)
    found = np.bincount(labels, minlength=10)
    if found.min() < per_class:  # before the mosaic is allocated: a huge per_class would fill the memory
        digit = int(np.argmin(found))
        raise ValueError(f"need {per_class} examples of each digit; the digit {digit} has {found[digit]}.")
    images = images.reshape(len(images), 28, 28)
    cell = 28 + pad
    mosaic = np.zeros((10 * cell, per_class * cell), dtype=images.dtype)
    for digit in range(10):
        for column, index in enumerate(np.flatnonzero(labels == digit)[:per_class]):
            mosaic[digit * cell : digit * cell + 28, column * cell : column * cell + 28] = images[index]
    return mosaic


@accepts(ax=OPTIONAL_AX, title=Text())
def show_digit_grid(
    images: np.ndarray,
    labels: np.ndarray,
    per_class: int = 8,
    ax: Axes | None = None,
    title: str = "Examples of each digit",
) -> Axes:
    """Draw `per_class` examples of every digit, one row per class, 0 at the top (chapter 2).

    `images`: (n, 28, 28) or (n, 28, 28, 1), raw or scaled; `labels`: (n,) digits 0-9.
    Returns the Axes.
    """
    mosaic = digit_mosaic(images, labels, per_class=per_class)
    ax = _new_axes(ax, (0.6 * per_class + 1, 7.0))
    ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=_pixel_top(mosaic))
    cell = mosaic.shape[0] // 10
    ax.set_yticks([k * cell + 13.5 for k in range(10)], [str(k) for k in range(10)])
    ax.set_xticks([k * cell + 13.5 for k in range(per_class)], [str(k + 1) for k in range(per_class)])
    ax.tick_params(length=0)
    ax.set_title(title)
    ax.set_xlabel("example")
    ax.set_ylabel("label (digit)")
    for side in ax.spines.values():
        side.set_visible(False)
    return ax


@accepts(labels=_labels, ax=OPTIONAL_AX, title=Text())
def plot_class_counts(
    labels: np.ndarray,
    ax: Axes | None = None,
    title: str = "Images per digit",
    color: str = TRAIN_COLOR,
) -> Axes:
    """Bar chart of how many times each digit 0-9 occurs in `labels`, shape (n,) (chapter 2).

    Each bar is labelled with its count. Returns the Axes.
    """
    _v.nonempty(labels, "labels")
    counts = np.bincount(labels, minlength=10)
    ax = _new_axes(ax, (6.0, 3.5))
    bars = ax.bar(range(10), counts, color=color)
    ax.bar_label(bars, labels=[f"{c:,}" for c in counts], fontsize=8, padding=2)
    ax.set_xticks(range(10))
    ax.set_ylim(0, counts.max() * 1.15 if counts.max() else 1)
    ax.set_title(title)
    ax.set_xlabel("digit (class)")
    ax.set_ylabel("number of images")
    return ax


@accepts(images=_pictures, ax=OPTIONAL_AX, bins=Whole(maximum=1024), title=Text(), log=Flag())
def plot_pixel_histogram(
    images: np.ndarray,
    ax: Axes | None = None,
    bins: int = 51,
    title: str = "Pixel values",
    log: bool = True,
    color: str = TRAIN_COLOR,
) -> Axes:
    """Histogram of every pixel value in `images`, (n, 28, 28) or (n, 28, 28, 1) (chapter 3).

    Raw pixels are binned over 0-255, scaled ones over [0, 1]; with `log` the counts axis
    is logarithmic (most pixels are 0). Returns the Axes.
    """
    if not len(images):
        raise ValueError("images should hold at least one image; got none.")
    values = images.ravel()
    top = _pixel_top(values)
    ax = _new_axes(ax, (5.0, 3.5))
    ax.hist(values, bins=bins, range=(0, top), color=color, log=log)
    ax.set_xlim(0, top)
    ax.set_title(title)
    ax.set_xlabel("pixel value" + (" (0-255)" if top == 255 else " (scaled to 0-1)"))
    ax.set_ylabel("number of pixels" + (" (log scale)" if log else ""))
    return ax


# --- Chapter 1: kernels, feature maps and probabilities ------------------------------------


@accepts(kernels=Panels(most=MAX_PANELS), titles=Titles())
def show_kernels(
    kernels: np.ndarray | Sequence[np.ndarray],
    titles: Sequence[str],
    axes: Sequence[Axes] | None = None,
) -> Figure:
    """Draw convolution kernels side by side, each weight written in its square (chapter 1).

    `kernels`: shape (k, h, w) (or one (h, w) kernel), small grids such as 3x3, any real
    values; `titles`: k names. Positive weights are red, negative blue, zero white, on one
    colour scale shared by all kernels. Returns the Figure.
    """
    if len(titles) != len(kernels):
        raise ValueError(f"titles should hold one title per kernel: {len(kernels)} kernels, {len(titles)} titles.")
    shapes = sorted({kernel.shape for kernel in kernels})
    if len(shapes) > 1:
        raise ValueError(f"kernels should all have one shape, to share a colour scale; got shapes {shapes}.")
    if max(shapes[0]) > 9:
        raise ValueError(f"kernels should be small grids (at most 9x9) to show their weights; got {shapes[0]}.")
    fig, axes = _grid_axes(axes, len(kernels), 2.4)
    limit = max(float(np.abs(kernel).max()) for kernel in kernels) or 1.0
    for ax, kernel, title in zip(axes, kernels, titles, strict=True):
        ax.imshow(kernel, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        for (r, c), value in np.ndenumerate(kernel):
            text = f"{value:g}" if float(value).is_integer() else f"{value:.2f}"
            ax.text(c, r, text, ha="center", va="center", fontsize=9,
                    color="white" if abs(value) > 0.6 * limit else "#222222")
        ax.set_xticks(range(kernel.shape[1]))
        ax.set_yticks(range(kernel.shape[0]))
        ax.set_title(title)
        ax.set_xlabel("kernel column")
        ax.set_ylabel("kernel row")
    return fig


@accepts(maps=Panels(most=MAX_PANELS), titles=Titles(), colorbar=Flag())
def show_feature_maps(
    maps: np.ndarray | Sequence[np.ndarray],
    titles: Sequence[str],
    axes: Sequence[Axes] | None = None,
    colorbar: bool = True,
) -> Figure:
    """Draw 2-D maps (images, feature maps) side by side, each on its own colour scale (chapter 1).

    `maps`: a list of 2-D arrays (shapes may differ), a (k, h, w) stack or one (h, w) map, any
    real values. A map with negative values
    is drawn red (positive) and blue (negative) around a white zero; a map with none is drawn
    as ink on white from 0 to its maximum. Returns the Figure.
    """
    if len(titles) != len(maps):
        raise ValueError(f"titles should hold one title per map: {len(maps)} maps, {len(titles)} titles.")
    fig, axes = _grid_axes(axes, len(maps), 3.3 if colorbar else 2.8)
    for ax, fmap, title in zip(axes, maps, titles, strict=True):
        if fmap.min() < 0:
            limit = float(np.abs(fmap).max())
            image = ax.imshow(fmap, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        else:
            image = ax.imshow(fmap, cmap="gray_r", vmin=0, vmax=float(fmap.max()) or 1.0)
        if colorbar:
            fig.colorbar(image, ax=ax, shrink=0.75)
        ax.set_title(title)
        ax.set_xlabel(f"column ({fmap.shape[1]} wide)")
        ax.set_ylabel(f"row ({fmap.shape[0]} high)")
    return fig


@accepts(probabilities=ProbabilityRow(), ax=OPTIONAL_AX, true_label=Maybe(Digit()), title=Text())
def plot_probabilities(
    probabilities: np.ndarray,
    ax: Axes | None = None,
    true_label: int | None = None,
    title: str = "Predicted probabilities",
) -> Axes:
    """Bar chart of the 10 class probabilities of one image; the most probable bar is highlighted (chapter 1).

    `probabilities`: shape (10,), values in [0, 1] summing to 1 (a softmax output).
    `true_label`, if given (0-9), is named in the x-axis label. Returns the Axes.
    """
    ax = _new_axes(ax, (5.0, 3.0))
    colors = [ACCENT_COLOR if k == probabilities.argmax() else TRAIN_COLOR for k in range(10)]
    bars = ax.bar(range(10), probabilities, color=colors)
    ax.bar_label(bars, labels=[f"{p:.2f}" for p in probabilities], fontsize=8, padding=2)
    ax.set_xticks(range(10))
    ax.set_ylim(0, 1.1)
    ax.set_title(title)
    ax.set_xlabel("digit (class)" + (f"; the true digit is {true_label}" if true_label is not None else ""))
    ax.set_ylabel("probability")
    return ax


# --- Chapters 4-7: the network diagram, training curves, predictions and mistakes ----------

_LAYER_COLORS = {"input": "#BBBBBB", "conv": "#0072B2", "pool": "#E69F00", "flatten": "#999999", "dense": "#009E73"}


def _layer_kind(name: str) -> str:
    for kind in ("conv", "pool", "flatten", "dense", "input"):
        if kind in name.lower():
            return kind
    return "flatten"


@accepts(layers=LayerTable(most=2 * MAX_PANELS), input_shape=InputShape(), ax=OPTIONAL_AX)
def plot_network(
    layers: list[tuple[str, tuple[int, ...], int]],
    input_shape: tuple[int, int, int] = (28, 28, 1),
    ax: Axes | None = None,
) -> Axes:
    """Draw a network as a row of blocks, input on the left, with Matplotlib only (chapter 4).

    `layers` lists (name, output shape without the batch axis, parameter count), like
    `helpers.models.SEED_LAYERS`. A feature map (h, w, c) is a block whose height grows with
    h and whose depth with c; a vector (n,) is a bar. Each block is labelled with its
    name, shape and parameters; colours tell convolution, pooling, flatten and dense apart.
    """
    blocks = [("input", input_shape, 0)] + layers
    ax = _new_axes(ax, (1.15 * len(blocks) + 0.4, 3.2))
    step, top = 1.25, 1.6
    right_edges: list[float] = []
    for i, (name, shape, params) in enumerate(blocks):
        kind = _layer_kind(name) if i else "input"
        if len(shape) == 3:
            height = 0.3 + 1.3 * shape[0] / max(28, shape[0])
            width = 0.1 + 0.05 * np.log2(shape[2])
            depth = 0.06 + 0.03 * np.log2(shape[2])
        else:
            height = 0.35 + 0.25 * np.log10(shape[0])
            width, depth = 0.14, 0.0
        x, y = i * step - (width + depth) / 2, (top - height) / 2  # the block is centred on i * step
        face = _LAYER_COLORS[kind]
        if depth:  # the top and side faces make the block look like a stack of maps
            ax.add_patch(Polygon([(x, y + height), (x + depth, y + height + depth),
                                  (x + width + depth, y + height + depth), (x + width, y + height)],
                                 closed=True, facecolor=face, alpha=0.55, edgecolor="#333333", lw=0.6))
            ax.add_patch(Polygon([(x + width, y), (x + width + depth, y + depth),
                                  (x + width + depth, y + height + depth), (x + width, y + height)],
                                 closed=True, facecolor=face, alpha=0.35, edgecolor="#333333", lw=0.6))
        ax.add_patch(Rectangle((x, y), width, height, facecolor=face, alpha=0.85, edgecolor="#333333", lw=0.6))
        label_y = top + 0.3 + (0.22 if i % 2 else 0.0)  # staggered so long names never touch
        ax.text(i * step, label_y, name, ha="center", va="bottom", fontsize=8, fontweight="bold")
        ax.text(i * step, -0.1, "×".join(str(s) for s in shape), ha="center", va="top", fontsize=8)
        if i:
            ax.text(i * step, -0.38, f"{params:,} params", ha="center", va="top", fontsize=7.5, color="#444444")
            ax.add_patch(FancyArrowPatch((right_edges[-1] + 0.05, top / 2), (x - 0.05, top / 2),
                                         arrowstyle="-|>", mutation_scale=8, color="#555555", lw=0.8))
        right_edges.append(x + width + depth)
    total = sum(params for _, _, params in blocks)
    weighted = sum(1 for _, _, params in blocks if params)
    ax.set_xlim(-0.6, (len(blocks) - 1) * step + 0.6)
    ax.set_ylim(-0.7, top + 0.85)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"{len(blocks) - 1} layers after the input, {weighted} of them with weights: "
                 f"{total:,} parameters")
    return ax


def _curves(logs: dict[str, Any], metric: str) -> tuple[list[float], list[float]]:
    """The training and validation values of `metric`, one per epoch each."""
    keys = (metric, f"val_{metric}")
    missing = [key for key in keys if key not in logs]
    if missing:
        raise ValueError(f"history lacks {missing}; expected the keys '{metric}' and 'val_{metric}' "
                         f"(fit with validation_data), got {sorted(logs)}.")
    for key in keys:
        values = _v.as_array(logs[key], f"history['{key}']")
        if values.ndim != 1 or values.dtype == np.bool_:
            raise ValueError(f"history['{key}'] should be a list of numbers, one per epoch; got shape {values.shape}.")
    train, val = list(logs[metric]), list(logs[f"val_{metric}"])
    if len(train) != len(val) or not train:
        raise ValueError(f"'{metric}' and 'val_{metric}' should hold one value per epoch each; "
                         f"got {len(train)} and {len(val)}.")
    return train, val


@accepts(history=PlotHistory(), metric=Text(), ax=OPTIONAL_AX, label=Text(), which=OneOf("both", "train", "validation"))
def plot_history(
    history: dict[str, list[float]],
    metric: str = "loss",
    ax: Axes | None = None,
    label: str = "",
    which: str = "both",
) -> Axes:
    """Plot one metric per epoch, training against validation (chapter 5).

    `history` is a keras History or its ``.history`` dict (or a record saved by
    `helpers.training`), holding `metric` and ``val_`` + `metric`, one value per epoch.
    `which` is "both", "train" or "validation"; `label` prefixes the legend (to compare runs).
    """
    train, val = _curves(history, metric)
    ax = _new_axes(ax, (6.0, 4.0))
    epochs = np.arange(1, len(train) + 1)
    prefix = f"{label} " if label else ""
    if which in ("both", "train"):
        ax.plot(epochs, train, "o-", ms=3.5, color=None if label else TRAIN_COLOR, label=f"{prefix}training")
    if which in ("both", "validation"):
        ax.plot(epochs, val, "s--" if which == "both" else "s-", ms=3.5, color=None if label else VAL_COLOR,
                label=f"{prefix}validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric.replace("_", " "))
    ax.set_title(f"{metric.replace('_', ' ').capitalize()} per epoch")
    # Every epoch up to 20; beyond, the first and every fifth (Matplotlib's own ticks would
    # widen the axis to -5 and past the last epoch).
    ax.set_xticks(epochs if len(epochs) <= 20 else epochs[(epochs == 1) | (epochs % 5 == 0)])
    ax.legend()
    return ax


@accepts(cm=_counts, normalize=Flag(), ax=OPTIONAL_AX, scale_to_mistakes=Flag())
def plot_confusion_matrix(
    cm: np.ndarray, normalize: bool = False, ax: Axes | None = None, scale_to_mistakes: bool = False
) -> Axes:
    """Draw a 10x10 confusion matrix as a seaborn heatmap, in counts or row-normalised (chapter 6).

    Rows are true digits, columns predictions. With ``normalize=True`` each row is divided
    by its total, so a cell reads "the share of digit i predicted as j" and the diagonal is
    each digit's recall. With ``scale_to_mistakes=True`` the colour scale ends at the largest
    cell off the diagonal, so that the mistakes show; the diagonal is then off the scale (the
    numbers in the cells stay exact).
    """
    import seaborn as sns  # here: seaborn is slow to import and only this plot uses it

    ax = _new_axes(ax, (6.4, 5.4))
    values = normalize_rows(cm) if normalize else cm
    off_diagonal = values[~np.eye(10, dtype=bool)]
    vmax = float(off_diagonal.max()) if scale_to_mistakes and off_diagonal.max() > 0 else None
    label = "share of the row" if normalize else "images"
    sns.heatmap(values, annot=True, fmt=".1%" if normalize else "d", cmap="Blues", square=True, vmin=0, vmax=vmax,
                cbar_kws={"label": label + (" (scale ends at the largest mistake)" if vmax else "")},
                annot_kws={"fontsize": 6.5 if normalize else 7.5}, linewidths=0.5, linecolor="#eeeeee", ax=ax)
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.tick_params(axis="y", rotation=0)
    ax.set_title("Confusion matrix, row-normalised" if normalize else "Confusion matrix, counts")
    return ax


@accepts(images=_gallery, y_true=_labels, y_pred=_labels,
         confidence=Shares(hint="It is the probability of the predicted class."),
         indices=Maybe(Positions()), ncols=Whole(), fig=Maybe(FigureSpec()))
def plot_misclassified(
    images: np.ndarray,
    y_true: np.ndarray,
    y_pred: np.ndarray,
    confidence: np.ndarray,
    indices: np.ndarray | None = None,
    ncols: int = 8,
    fig: Figure | None = None,
) -> Figure:
    """A gallery of digits, each titled with its true label, the prediction and its probability (chapter 6).

    `images` (n, 28, 28) or (n, 28, 28, 1); `y_true`, `y_pred` digits 0-9 and `confidence`
    (the predicted class's probability, in [0, 1]) of length n. `indices`, if given, are the
    images' positions in the test set, shown as "#1234". Each title reads "true 4, pred 9"
    over the position and the probability the model gave its prediction.
    At most `MAX_GALLERY` (100) digits: more is refused with a ValueError (each digit is its own
    small plot, so 10,000 would take minutes); pick the ones to show first, e.g. the first 32.
    """
    _v.same_length(images=images, y_true=y_true, y_pred=y_pred, confidence=confidence,
                   **({} if indices is None else {"indices": indices}))
    ncols = min(ncols, len(images))
    nrows = -(-len(images) // ncols)  # rounded up: a last row that is not full still gets drawn
    if fig is None:
        fig = plt.figure(figsize=(1.3 * ncols, 1.75 * nrows))
    for k, ax in enumerate(fig.subplots(nrows, ncols, squeeze=False).flat):
        ax.axis("off")
        if k < len(images):
            ax.imshow(images[k].reshape(28, 28), cmap="gray_r", vmin=0, vmax=images.max() or 1)
            where = f"#{int(indices[k])} · " if indices is not None else ""
            ax.set_title(f"true {y_true[k]}, pred {y_pred[k]}\n{where}{confidence[k]:.0%}", fontsize=8,
                         fontweight="normal")
    fig.tight_layout()
    return fig


@accepts(images=_scaled_pictures, augment=Function("a Keras layer or a function of a batch"), copies=Whole(minimum=None))
def show_augmented(
    images: np.ndarray, augment: Callable[..., np.ndarray], copies: int = 5, figsize: tuple[float, float] | None = None
) -> Figure:
    """A grid: each row one digit (left) and `copies` random augmentations of it (chapter 7).

    `images`: float (n, 28, 28, 1) in [0, 1], n from 1 to 10; `augment`: a Keras layer or
    function mapping such a batch to one of the same shape (called with ``training=True``).
    """
    if not 1 <= len(images) <= 10 or not 1 <= copies <= 10:
        raise ValueError(f"show 1-10 images with 1-10 copies each; got {len(images)} images, {copies} copies.")
    rows = [images] + [_augmented(augment, images) for _ in range(copies)]
    fig, axes = plt.subplots(len(images), copies + 1, figsize=figsize or (1.1 * (copies + 1), 1.1 * len(images)),
                             squeeze=False)
    for col, batch in enumerate(rows):
        for row in range(len(images)):
            axes[row, col].imshow(batch[row, ..., 0], cmap="gray_r", vmin=0, vmax=1)
            axes[row, col].set_xticks([])
            axes[row, col].set_yticks([])
        axes[0, col].set_title("original" if col == 0 else f"copy {col}", fontsize=8)
    fig.suptitle("Random shifts, rotations and zooms keep each digit what it is")
    return fig


def _augmented(augment: Callable[..., np.ndarray], images: np.ndarray) -> np.ndarray:
    """One call of `augment` on the batch, checked to return a batch of the same shape in [0, 1]."""
    out = _v.as_array(np.asarray(augment(images, training=True)), "what augment returned")
    if out.shape != images.shape:
        raise ValueError(f"augment should return a batch of the shape it was given, {images.shape}; got {out.shape}.")
    _v.finite(out, "what augment returned")
    return out


@accepts(table=LossTable(), ax=OPTIONAL_AX, title=Text())
def plot_factor_table(table: Any, ax: Axes | None = None, title: str = "Validation loss, mean ± sd over seeds") -> Axes:
    """Error bars of `ablation.factor_table`'s validation loss, one row per factor, top to bottom (chapter 7).

    Kept rows are drawn filled if the table has a boolean 'kept' column. Returns the Axes.
    """
    ax = _new_axes(ax, (7, 0.45 * len(table) + 1.2))
    positions = list(range(len(table)))[::-1]
    kept = table["kept"] if "kept" in table else [True] * len(table)
    for y, (_, line), filled in zip(positions, table.iterrows(), kept, strict=True):
        ax.errorbar(line["val loss"], y, xerr=line["loss sd"], fmt="o", capsize=4, color="C0",
                    markerfacecolor="C0" if filled else "white", label=None)
    ax.set_yticks(positions, [str(label) for label in table.index])
    ax.set_xlabel("validation loss after the last epoch (lower is better)")
    ax.set_title(title)
    return ax


# --- Chapter 8: what the trained network computes (the numbers come from helpers.inspection) --


@accepts(maps=Stack(), ncols=Maybe(Whole(minimum=None)), pad=Whole(minimum=0, maximum=10), normalize=Flag())
def tile_maps(maps: np.ndarray, ncols: int | None = None, pad: int = 1, normalize: bool = True) -> np.ndarray:
    """Lay a stack of maps (height, width, channels) out as one 2-D mosaic, NaN between tiles (chapter 8).

    With ``normalize=True`` each map is scaled to [0, 1] on its own (a map that is all zero
    stays zero), so weak and strong maps both show their pattern. `ncols` defaults to a
    near-square grid and is at most the number of maps; `pad` is 0 to 10 pixels. Returns an
    array of shape (rows*(h+pad)-pad, ncols*(w+pad)-pad).
    """
    height, width, count = maps.shape
    ncols = int(np.ceil(np.sqrt(count))) if ncols is None else ncols
    if not 1 <= ncols <= count:
        raise ValueError(f"ncols should be at least 1 and at most the number of maps, {count}; got {ncols}.")
    nrows = -(-count // ncols)
    mosaic = np.full((nrows * (height + pad) - pad, ncols * (width + pad) - pad), np.nan, np.float32)
    for k in range(count):
        tile = maps[:, :, k]
        if normalize:
            low, high = float(tile.min()), float(tile.max())
            tile = (tile - low) / (high - low) if high > low else np.zeros_like(tile)
        top, left = (k // ncols) * (height + pad), (k % ncols) * (width + pad)
        mosaic[top : top + height, left : left + width] = tile
    return mosaic


@accepts(filters=Stack("(filters, height, width)", "a Keras kernel? use first_layer_filters(model)"),
         ax=AxesSpec(), ncols=Whole(), title=Text())
def show_filters(filters: np.ndarray, ax: Axes, ncols: int = 5, title: str = "First-layer filters") -> Axes:
    """Draw kernels (filters, h, w) as a grid of tiny images on one colour scale around zero (chapter 8).

    Red weights are positive (the filter likes ink there), blue negative (it likes no ink).
    Returns the Axes.
    """
    limit = float(np.abs(filters).max()) or 1.0
    mosaic = tile_maps(np.transpose(filters, (1, 2, 0)), ncols=ncols, normalize=False)
    image = ax.imshow(np.ma.masked_invalid(mosaic), cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="weight")
    _grid_ticks(ax, filters.shape[1:], filters.shape[0], ncols)
    ax.set_title(title)
    return ax


@accepts(maps=Stack(batch_hint="a batch? take maps[0]"), ax=AxesSpec(), ncols=Maybe(Whole()), title=Text())
def show_map_grid(maps: np.ndarray, ax: Axes, ncols: int | None = None, title: str = "") -> Axes:
    """Draw a layer's feature maps (height, width, channels) as a grid, each on its own scale (chapter 8).

    Dark means a strong response (the book's ink-on-paper colours); a blank tile is a
    filter that did not respond to this digit at all. Returns the Axes.
    """
    ncols = int(np.ceil(np.sqrt(maps.shape[2]))) if ncols is None else ncols
    mosaic = tile_maps(maps, ncols=ncols)
    cmap = mpl.colormaps["gray_r"].with_extremes(bad="#d9d9d9")  # the gaps between tiles in light grey
    ax.imshow(np.ma.masked_invalid(mosaic), cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
    _grid_ticks(ax, maps.shape[:2], maps.shape[2], ncols)
    ax.set_title(title or f"{maps.shape[2]} maps of {maps.shape[0]}×{maps.shape[1]}")
    return ax


def _grid_ticks(ax: Axes, tile: tuple[int, int], count: int, ncols: int) -> None:
    """Number the tiles' columns and rows of a mosaic on the axes (filter index = row*ncols+col)."""
    height, width = tile
    nrows = -(-count // ncols)
    ax.set_xticks([c * (width + 1) + (width - 1) / 2 for c in range(ncols)], [str(c) for c in range(ncols)])
    ax.set_yticks([r * (height + 1) + (height - 1) / 2 for r in range(nrows)], [str(r * ncols) for r in range(nrows)])
    ax.tick_params(length=0, labelsize=7)
    ax.set_xlabel("+ column")
    ax.set_ylabel("filter number (row start)")


@accepts(image=SCALED_DIGIT, heat=HeatMap(), ax=AxesSpec(), title=Text(), alpha=Number(minimum=0.0, maximum=1.0),
         visible=Maybe(ImageMask()))
def show_heatmap(
    image: np.ndarray, heat: np.ndarray, ax: Axes, title: str = "", alpha: float = 0.6,
    visible: np.ndarray | None = None,
) -> Axes:
    """Draw a (28, 28) heat map in [0, 1] over the digit it explains (chapter 8).

    The digit is drawn in light grey, the heat in warm colours: the darker, the larger the
    value at those pixels. With `visible` (bool (28, 28), see `inspection.visible_mask`), the
    pixels the network cannot see are hatched. Returns the Axes.
    """
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=3)  # faint ink as a backdrop
    ax.imshow(np.ma.masked_less(heat, 0.05), cmap="YlOrRd", vmin=0, vmax=1, alpha=alpha)
    if visible is not None:
        _hatch_outside(ax, visible)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    return ax


@accepts(image=SCALED_DIGIT, model=DigitModel(), ax=AxesSpec(), title=Text())
def show_receptive_fields(
    image: np.ndarray, model: keras.Model, ax: Axes, cells: dict[str, tuple[int, int]] | None = None,
    title: str = "",
) -> Axes:
    """Draw, over the digit, the input window one cell of each layer sees, where it is (chapter 8).

    `cells` maps a layer name to a cell (row, col) of its map (default: the middle cell of
    each Conv2D map and the one cell of the last map); each window comes from
    `inspection.field_windows`, so it sits where that cell really looks, not around the
    image's centre. The pixels no output can depend on (outside `inspection.visible_mask`)
    are hatched. Returns the Axes.
    """
    if cells is None:
        last = inspection.layer_steps(model)[-1][0]
        cells = inspection.default_cells(model, [*inspection.conv_layer_names(model), last])
    windows = inspection.field_windows(model, cells)
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
    _hatch_outside(ax, inspection.visible_mask(model))
    colors = [ACCENT_COLOR, TRAIN_COLOR, VAL_COLOR, "#CC79A7", "#E69F00", "#56B4E9"]
    for k, (name, (top, bottom, left, right)) in enumerate(windows.items()):
        row, col = cells[name]
        ax.add_patch(Rectangle(
            (left - 0.5, top - 0.5), right - left + 1, bottom - top + 1, fill=False, lw=2,
            ec=colors[k % len(colors)], label=f"{name} ({row}, {col}): rows {top}-{bottom}, cols {left}-{right}",
        ))
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=8, frameon=False)
    _digit_ticks(ax, "column", "row")
    ax.set_title(title or "The input window of one cell of each layer")
    return ax


@accepts(image=SCALED_DIGIT, mask=ImageMask(), ax=AxesSpec(), title=Text())
def show_visible_region(image: np.ndarray, mask: np.ndarray, ax: Axes, title: str = "") -> Axes:
    """Draw the digit with the pixels outside `mask` (bool (28, 28)) hatched over (chapter 8).

    The hatched pixels are those the network's output cannot depend on
    (`inspection.visible_mask`). Returns the Axes.
    """
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
    _hatch_outside(ax, mask, outline=True)
    _digit_ticks(ax, "column", "row")
    ax.set_title(title or "What the network can see")
    return ax


def _hatch_outside(ax: Axes, mask: np.ndarray, outline: bool = False) -> None:
    """Grey and hatch the pixels right of and below the region where `mask` is True."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    bottom, right = (rows.max(), cols.max()) if rows.size else (-1, -1)
    hidden = {"fc": (0.5, 0.5, 0.5, 0.35), "ec": (0.3, 0.3, 0.3, 0.8), "hatch": "///", "lw": 0}
    ax.add_patch(Rectangle((right + 0.5, -0.5), 27 - right, 28, label="_hidden", **hidden))
    ax.add_patch(Rectangle((-0.5, bottom + 0.5), right + 1, 27 - bottom, label="_hidden", **hidden))
    if outline:
        ax.add_patch(Rectangle((-0.5, -0.5), right + 1, bottom + 1, fill=False, lw=2, ec=ACCENT_COLOR,
                               label=f"visible: rows and columns 0-{bottom}"))


# --- Chapter 9: your own digit -------------------------------------------------------------


@accepts(stages=Stages())
def plot_stages(stages: dict[str, np.ndarray], axes: Any) -> list[Axes]:
    """Draw each preprocessing stage on its own Axes (one per stage), titled with its size (chapter 9).

    The first stage is drawn as the picture looks (0 black, 1 white); the others as every
    digit in this book, ink dark on white paper (0 white, 1 black). Returns the Axes.
    """
    axes = _each_axes(axes, len(stages), "stage")
    for index, (ax, (name, image)) in enumerate(zip(axes, stages.items(), strict=True)):
        ax.imshow(image, cmap="gray" if index == 0 else "gray_r", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(f"{name}\n{image.shape[0]}×{image.shape[1]}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():  # a thin frame: white-on-white stages keep their edges
            spine.set_visible(True)
            spine.set_color("#999999")
    return axes
