"""The book's plots: digits, data summaries, kernels, feature maps, training curves, mistakes,
what a trained network looks at, and the stages of preparing your own digit.

The ``@accepts`` guard above each function checks its arguments first. A function draws on
the `ax` (or `axes`) it is given, making one only when none is, and returns what it drew on;
the notebook shows the figure. Digits are dark ink on white paper (``gray_r``): pixel value 0
is white, the largest black. The numbers drawn in chapter 8 come from `helpers.inspection`.
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
    ConfusionMatrix,
    Digit,
    DigitModel,
    FigureSpec,
    Flag,
    Function,
    HeatMap,
    ImageMask,
    InputShape,
    Kernels,
    Labels,
    LayerTable,
    LossTable,
    Maybe,
    Number,
    OneDigit,
    OneOf,
    Panels,
    Pictures,
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
from helpers.evaluation import normalize_rows
from helpers.style import ACCENT_COLOR, TRAIN_COLOR, VAL_COLOR

if TYPE_CHECKING:
    import keras

#: Colour map for maps with signed values (kernels, edge responses): blue < 0 < red.
SIGNED_CMAP = "RdBu_r"
#: Most digits `plot_misclassified` draws: one small picture each; more would take minutes.
MAX_GALLERY = 100
#: The digits of a gallery: 1 to `MAX_GALLERY`; more are refused with a hint to pick some first.
GALLERY = Pictures(nonempty=True, most=MAX_GALLERY, why="one small plot each",
                   hint="Pick the ones to show first, e.g. "
                        "shown = misclassified_indices(y_test, y_pred)[:32].")
#: Most panels `show_kernels` and `show_feature_maps` draw side by side in one row.
MAX_PANELS = 16
#: A digit drawn as the networks of chapter 8 take it: (28, 28), (28, 28, 1) or a batch of one.
SCALED_DIGIT = OneDigit(shapes=((28, 28), (28, 28, 1), (1, 28, 28, 1)), scaled=True)
OPTIONAL_AX = Maybe(AxesSpec())


# --- Small shared pieces ------------------------------------------------------------------


def _each_axes(axes: Any, count: int, what: str) -> list[Axes]:
    """The Axes of `axes` (a list or an array of them), checked to be one per `what`."""
    axes = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(axes) != count:
        raise ValueError(f"axes should hold one Axes per {what}: {count} {what}s, {len(axes)} Axes given.")
    return [_v.axes(one, "each of axes") for one in axes]


def _panel_row(panels: list, titles: list[str], axes: Any, what: str, width: float) -> tuple[Figure, list]:
    """One Axes per panel, each with its title: the given ones, or a new row `width` inches each."""
    if len(titles) != len(panels):
        raise ValueError(f"titles should hold one title per {what}: "
                         f"{len(panels)} {what}s, {len(titles)} titles.")
    if axes is None:
        fig, made = plt.subplots(1, len(panels), figsize=(width * len(panels), width + 0.6), squeeze=False,
                                 layout="constrained")
        axes = list(made[0])
    axes = _each_axes(axes, len(panels), "panel")
    for ax, title in zip(axes, titles, strict=True):
        ax.set_title(title)
    return axes[0].figure, axes


def _pixel_top(values: np.ndarray) -> float:
    """The value drawn as full black: 255 for raw pixels, 1 for scaled ones."""
    return 255.0 if values.dtype == np.uint8 or (values.size and values.max() > 1) else 1.0


def _picture(ax: Axes, image: np.ndarray, vmax: float = 1.0, names: tuple[str, str] | None = None,
             cmap: str = "gray_r", **style: Any) -> None:
    """Draw `image` from 0 (white) to `vmax` (black); with `names`, ticks every 7 pixels on axes
    so named, else no ticks."""
    ax.imshow(image, cmap=cmap, vmin=0, vmax=vmax, **style)
    ticks = [0, 7, 14, 21, 27] if names else []
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    if names:
        ax.set(xlabel=names[0], ylabel=names[1])


# --- Chapters 1-3: digits and the data -----------------------------------------------------


@accepts(image=OneDigit(), ax=OPTIONAL_AX, title=Text())
def show_digit(image: np.ndarray, ax: Axes | None = None, title: str = "A handwritten digit") -> Axes:
    """Draw one digit, (28, 28) or (28, 28, 1), raw or scaled, ink dark on white (chapter 1)."""
    ax = ax or plt.subplots(figsize=(3.2, 3.2))[1]
    _picture(ax, image, _pixel_top(image), ("column (pixel)", "row (pixel)"))
    ax.set_title(title)
    return ax


@accepts(image=OneDigit(), rows=Span(within=28, widest=16), cols=Span(within=28, widest=16), ax=OPTIONAL_AX,
         title=Text())
def show_pixel_values(image: np.ndarray, rows: tuple[int, int], cols: tuple[int, int], ax: Axes | None = None,
                      title: str = "Pixel values") -> Axes:
    """Draw a window of a digit with each pixel's number written in its square (chapter 1).

    `rows` and `cols` are half-open ranges ``(start, stop)``, at most 16 wide so the numbers
    stay readable; the tick labels are the pixels' indices in the full image."""
    window = image[rows[0] : rows[1], cols[0] : cols[1]]
    top = _pixel_top(image)
    ax = ax or plt.subplots(figsize=(0.45 * window.shape[1] + 1, 0.45 * window.shape[0] + 1))[1]
    ax.imshow(window, cmap="gray_r", vmin=0, vmax=top)
    for (r, c), value in np.ndenumerate(window):
        text = f"{int(value)}" if top == 255 else f"{value:.2f}".lstrip("0")
        ax.text(c, r, text, ha="center", va="center", fontsize=7 if top == 255 else 6,
                color="white" if value > 0.5 * top else "#222222")
    ax.set_xticks(range(window.shape[1]), [str(c) for c in range(*cols)], fontsize=7)
    ax.set_yticks(range(window.shape[0]), [str(r) for r in range(*rows)], fontsize=7)
    ax.set(title=title, xlabel="column (pixel)", ylabel="row (pixel)")
    return ax


@accepts(ax=AxesSpec(), rows=Span(), cols=Span())
def mark_window(ax: Axes, rows: tuple[int, int], cols: tuple[int, int], color: str = VAL_COLOR) -> Axes:
    """Outline the window ``rows x cols`` on a digit drawn in `ax`, e.g. by `show_digit` (chapter 1)."""
    ax.add_patch(Rectangle((cols[0] - 0.5, rows[0] - 0.5), cols[1] - cols[0], rows[1] - rows[0],
                           fill=False, edgecolor=color, linewidth=2))
    return ax


def _mosaic(tiles: np.ndarray, ncols: int, pad: int, fill: float) -> np.ndarray:
    """Tiles (k, h, w) laid out in rows of `ncols`, `pad` pixels of `fill` between them."""
    count, height, width = tiles.shape
    nrows = -(-count // ncols)  # rounded up: a last row that is not full still gets drawn
    mosaic = np.full((nrows * (height + pad) - pad, ncols * (width + pad) - pad), fill, tiles.dtype)
    for k, tile in enumerate(tiles):
        top, left = (k // ncols) * (height + pad), (k % ncols) * (width + pad)
        mosaic[top : top + height, left : left + width] = tile
    return mosaic


@accepts(images=Pictures(), labels=Labels(), per_class=Whole(), pad=Whole(minimum=0, maximum=28))
def digit_mosaic(images: np.ndarray, labels: np.ndarray, per_class: int = 8, pad: int = 2) -> np.ndarray:
    """One picture: row k holds the first `per_class` images whose label is k (chapter 2).

    Every digit must occur at least `per_class` times. The result, of shape
    (10 * (28 + pad), per_class * (28 + pad)), has `pad` blank pixels after each digit."""
    _v.same_length(images=images, labels=labels)
    found = np.bincount(labels, minlength=10)
    if found.min() < per_class:  # before the mosaic is made: a huge per_class would fill the memory
        digit = int(np.argmin(found))
        raise ValueError(f"need {per_class} examples of each digit; the digit {digit} has {found[digit]}.")
    picked = np.concatenate([np.flatnonzero(labels == digit)[:per_class] for digit in range(10)])
    mosaic = _mosaic(images.reshape(-1, 28, 28)[picked], per_class, pad, fill=0)
    return np.pad(mosaic, ((0, pad), (0, pad)))


@accepts(ax=OPTIONAL_AX, title=Text())
def show_digit_grid(images: np.ndarray, labels: np.ndarray, per_class: int = 8, ax: Axes | None = None,
                    title: str = "Examples of each digit") -> Axes:
    """Draw `per_class` examples of every digit, one row per digit, 0 at the top (chapter 2)."""
    mosaic = digit_mosaic(images, labels, per_class=per_class)
    ax = ax or plt.subplots(figsize=(0.6 * per_class + 1, 7.0))[1]
    ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=_pixel_top(mosaic))
    cell = mosaic.shape[0] // 10
    ax.set_yticks([k * cell + 13.5 for k in range(10)], [str(k) for k in range(10)])
    ax.set_xticks([k * cell + 13.5 for k in range(per_class)], [str(k + 1) for k in range(per_class)])
    ax.tick_params(length=0)
    ax.set(title=title, xlabel="example", ylabel="label (digit)")
    ax.spines[:].set_visible(False)
    return ax


@accepts(labels=Labels(nonempty=True), ax=OPTIONAL_AX, title=Text())
def plot_class_counts(labels: np.ndarray, ax: Axes | None = None, title: str = "Images per digit",
                      color: str = TRAIN_COLOR) -> Axes:
    """Bar chart of how many times each digit 0-9 occurs in `labels`, each bar labelled (chapter 2)."""
    counts = np.bincount(labels, minlength=10)
    ax = ax or plt.subplots(figsize=(6.0, 3.5))[1]
    bars = ax.bar(range(10), counts, color=color)
    ax.bar_label(bars, labels=[f"{c:,}" for c in counts], fontsize=8, padding=2)
    ax.set_xticks(range(10))
    ax.set_ylim(0, counts.max() * 1.15 if counts.max() else 1)
    ax.set(title=title, xlabel="digit (class)", ylabel="number of images")
    return ax


@accepts(images=Pictures(nonempty=True), ax=OPTIONAL_AX, bins=Whole(maximum=1024), title=Text(), log=Flag())
def plot_pixel_histogram(images: np.ndarray, ax: Axes | None = None, bins: int = 51,
                         title: str = "Pixel values", log: bool = True, color: str = TRAIN_COLOR) -> Axes:
    """Histogram of every pixel value in `images`, over 0-255 or [0, 1] (chapter 3).

    With `log` the counts axis is logarithmic: most pixels are 0."""
    values = images.ravel()
    top = _pixel_top(values)
    ax = ax or plt.subplots(figsize=(5.0, 3.5))[1]
    ax.hist(values, bins=bins, range=(0, top), color=color, log=log)
    ax.set_xlim(0, top)
    ax.set(title=title, xlabel="pixel value" + (" (0-255)" if top == 255 else " (scaled to 0-1)"),
           ylabel="number of pixels" + (" (log scale)" if log else ""))
    return ax


# --- Chapter 1: kernels, feature maps and probabilities ------------------------------------


@accepts(kernels=Kernels(most=MAX_PANELS), titles=Titles())
def show_kernels(kernels: np.ndarray | Sequence[np.ndarray], titles: Sequence[str],
                 axes: Sequence[Axes] | None = None) -> Figure:
    """Draw convolution kernels side by side, each weight written in its square (chapter 1).

    `kernels`: a (k, h, w) stack or a list of small grids such as 3x3. Positive weights are
    red, negative blue, zero white, on one colour scale shared by all kernels."""
    fig, axes = _panel_row(kernels, titles, axes, "kernel", 2.4)
    limit = max(float(np.abs(kernel).max()) for kernel in kernels) or 1.0
    for ax, kernel in zip(axes, kernels, strict=True):
        ax.imshow(kernel, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        for (r, c), value in np.ndenumerate(kernel):
            text = f"{value:g}" if float(value).is_integer() else f"{value:.2f}"
            ax.text(c, r, text, ha="center", va="center", fontsize=9,
                    color="white" if abs(value) > 0.6 * limit else "#222222")
        ax.set_xticks(range(kernel.shape[1]))
        ax.set_yticks(range(kernel.shape[0]))
        ax.set(xlabel="kernel column", ylabel="kernel row")
    return fig


@accepts(maps=Panels(most=MAX_PANELS), titles=Titles(), colorbar=Flag())
def show_feature_maps(maps: np.ndarray | Sequence[np.ndarray], titles: Sequence[str],
                      axes: Sequence[Axes] | None = None, colorbar: bool = True) -> Figure:
    """Draw 2-D maps (images, feature maps) side by side, each on its own colour scale (chapter 1).

    `maps`: a list of 2-D arrays (shapes may differ), a (k, h, w) stack or one map. A map with
    negative values is red above zero and blue below; one without is ink on white from 0 to its
    maximum."""
    fig, axes = _panel_row(maps, titles, axes, "map", 3.3 if colorbar else 2.8)
    for ax, fmap in zip(axes, maps, strict=True):
        if fmap.min() < 0:
            limit = float(np.abs(fmap).max())
            image = ax.imshow(fmap, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        else:
            image = ax.imshow(fmap, cmap="gray_r", vmin=0, vmax=float(fmap.max()) or 1.0)
        if colorbar:
            fig.colorbar(image, ax=ax, shrink=0.75)
        ax.set(xlabel=f"column ({fmap.shape[1]} wide)", ylabel=f"row ({fmap.shape[0]} high)")
    return fig


@accepts(probabilities=ProbabilityRow(), ax=OPTIONAL_AX, true_label=Maybe(Digit()), title=Text())
def plot_probabilities(probabilities: np.ndarray, ax: Axes | None = None, true_label: int | None = None,
                       title: str = "Predicted probabilities") -> Axes:
    """Bar chart of one image's 10 class probabilities, the most probable highlighted (chapter 1).

    `true_label`, if given, is named in the x-axis label."""
    ax = ax or plt.subplots(figsize=(5.0, 3.0))[1]
    colors = [ACCENT_COLOR if k == probabilities.argmax() else TRAIN_COLOR for k in range(10)]
    bars = ax.bar(range(10), probabilities, color=colors)
    ax.bar_label(bars, labels=[f"{p:.2f}" for p in probabilities], fontsize=8, padding=2)
    ax.set_xticks(range(10))
    ax.set_ylim(0, 1.1)
    truth = f"; the true digit is {true_label}" if true_label is not None else ""
    ax.set(title=title, xlabel="digit (class)" + truth, ylabel="probability")
    return ax


# --- Chapters 4-7: the network diagram, training curves, predictions and mistakes ----------

_LAYER_COLORS = {"input": "#BBBBBB", "conv": "#0072B2", "pool": "#E69F00", "flatten": "#999999",
                 "dense": "#009E73"}


def _draw_block(ax: Axes, centre: float, shape: tuple[int, ...], face: str, top: float) -> tuple[float, ...]:
    """Draw a layer's output centred on `centre`, as a box for a map (h, w, c), taller with h
    and deeper with c, or as a bar for a vector (n,); return its left and right edges."""
    if len(shape) == 3:
        height = 0.3 + 1.3 * shape[0] / max(28, shape[0])
        width, depth = 0.1 + 0.05 * np.log2(shape[2]), 0.06 + 0.03 * np.log2(shape[2])
    else:
        height, width, depth = 0.35 + 0.25 * np.log10(shape[0]), 0.14, 0.0
    x, y = centre - (width + depth) / 2, (top - height) / 2
    edge = {"edgecolor": "#333333", "lw": 0.6}
    if depth:  # the top and side faces make the block look like a stack of maps
        back, up = x + width + depth, y + height + depth
        ax.add_patch(Polygon([(x, y + height), (x + depth, up), (back, up), (x + width, y + height)],
                             facecolor=face, alpha=0.55, **edge))
        ax.add_patch(Polygon([(x + width, y), (back, y + depth), (back, up), (x + width, y + height)],
                             facecolor=face, alpha=0.35, **edge))
    ax.add_patch(Rectangle((x, y), width, height, facecolor=face, alpha=0.85, **edge))
    return x, x + width + depth


@accepts(layers=LayerTable(most=2 * MAX_PANELS), input_shape=InputShape(), ax=OPTIONAL_AX)
def plot_network(layers: list[tuple[str, tuple[int, ...], int]], input_shape: tuple[int, ...] = (28, 28, 1),
                 ax: Axes | None = None) -> Axes:
    """Draw a network as a row of blocks, input on the left, with Matplotlib only (chapter 4).

    `layers` lists (name, output shape without the batch axis, parameter count), like
    `helpers.models.SEED_LAYERS`. Each block is labelled with its name, shape and parameters;
    colours tell convolution, pooling, flatten and dense apart."""
    blocks = [("input", input_shape, 0)] + layers
    ax = ax or plt.subplots(figsize=(1.15 * len(blocks) + 0.4, 3.2))[1]
    step, top, previous = 1.25, 1.6, 0.0
    for i, (name, shape, params) in enumerate(blocks):
        kind = next((kind for kind in ("conv", "pool", "flatten", "dense", "input") if kind in name.lower()),
                    "flatten")
        left, right = _draw_block(ax, i * step, shape, _LAYER_COLORS[kind if i else "input"], top)
        label_y = top + 0.3 + (0.22 if i % 2 else 0.0)  # staggered so long names never touch
        ax.text(i * step, label_y, name, ha="center", va="bottom", fontsize=8, fontweight="bold")
        ax.text(i * step, -0.1, "×".join(str(s) for s in shape), ha="center", va="top", fontsize=8)
        if i:
            ax.text(i * step, -0.38, f"{params:,} params", ha="center", va="top", fontsize=7.5,
                    color="#444444")
            ax.add_patch(FancyArrowPatch((previous + 0.05, top / 2), (left - 0.05, top / 2),
                                         arrowstyle="-|>", mutation_scale=8, color="#555555", lw=0.8))
        previous = right
    total = sum(params for _, _, params in blocks)
    weighted = sum(1 for _, _, params in blocks if params)
    ax.set_xlim(-0.6, (len(blocks) - 1) * step + 0.6)
    ax.set_ylim(-0.7, top + 0.85)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"{len(blocks) - 1} layers after the input, {weighted} of them with weights: "
                 f"{total:,} parameters")
    return ax


def _curves(logs: dict[str, Any], metric: str) -> list[np.ndarray]:
    """The training and validation values of `metric`, one per epoch each."""
    keys = (metric, f"val_{metric}")
    missing = [key for key in keys if key not in logs]
    if missing:
        raise ValueError(f"history lacks {missing}; expected the keys '{metric}' and 'val_{metric}' "
                         f"(fit with validation_data), got {sorted(logs)}.")
    curves = [_v.as_array(logs[key], f"history['{key}']") for key in keys]
    for key, values in zip(keys, curves, strict=True):
        if values.ndim != 1 or values.dtype == np.bool_:
            raise ValueError(f"history['{key}'] should be a list of numbers, one per epoch; "
                             f"got shape {values.shape}.")
    if len(curves[0]) != len(curves[1]) or not len(curves[0]):
        raise ValueError(f"'{metric}' and 'val_{metric}' should hold one value per epoch each; "
                         f"got {len(curves[0])} and {len(curves[1])}.")
    return curves


@accepts(history=PlotHistory(), metric=Text(), ax=OPTIONAL_AX, label=Text(),
         which=OneOf("both", "train", "validation"))
def plot_history(history: dict[str, list[float]], metric: str = "loss", ax: Axes | None = None,
                 label: str = "", which: str = "both") -> Axes:
    """Plot one metric per epoch, training against validation (chapter 5).

    `history`: a keras History, its ``.history`` dict or a record saved by `helpers.training`.
    `label` prefixes the legend, to compare runs."""
    train, val = _curves(history, metric)
    ax = ax or plt.subplots(figsize=(6.0, 4.0))[1]
    epochs = np.arange(1, len(train) + 1)
    prefix = f"{label} " if label else ""
    if which in ("both", "train"):
        ax.plot(epochs, train, "o-", ms=3.5, color=None if label else TRAIN_COLOR, label=f"{prefix}training")
    if which in ("both", "validation"):
        ax.plot(epochs, val, "s--" if which == "both" else "s-", ms=3.5, color=None if label else VAL_COLOR,
                label=f"{prefix}validation")
    name = metric.replace("_", " ")
    ax.set(xlabel="epoch", ylabel=name, title=f"{name.capitalize()} per epoch")
    # Every epoch up to 20, then the first and every fifth: Matplotlib's own ticks would widen the axis.
    ax.set_xticks(epochs if len(epochs) <= 20 else epochs[(epochs == 1) | (epochs % 5 == 0)])
    ax.legend()
    return ax


@accepts(cm=ConfusionMatrix(), normalize=Flag(), ax=OPTIONAL_AX, scale_to_mistakes=Flag())
def plot_confusion_matrix(cm: np.ndarray, normalize: bool = False, ax: Axes | None = None,
                          scale_to_mistakes: bool = False) -> Axes:
    """Draw a confusion matrix as a seaborn heatmap, in counts or row-normalised (chapter 6).

    Rows are true digits, columns predictions. With ``normalize=True`` a cell reads "the share
    of digit i predicted as j" and the diagonal is each digit's recall. With
    ``scale_to_mistakes=True`` the colour scale ends at the largest mistake, so that the
    mistakes show; the diagonal is then off the scale (the numbers in the cells stay exact)."""
    import seaborn as sns  # here: seaborn is slow to import and only this plot uses it

    ax = ax or plt.subplots(figsize=(6.4, 5.4))[1]
    values = normalize_rows(cm) if normalize else cm
    off_diagonal = values[~np.eye(10, dtype=bool)]
    vmax = float(off_diagonal.max()) if scale_to_mistakes and off_diagonal.max() > 0 else None
    label = "share of the row" if normalize else "images"
    label += " (scale ends at the largest mistake)" if vmax else ""
    sns.heatmap(values, annot=True, fmt=".1%" if normalize else "d", cmap="Blues", square=True, vmin=0,
                vmax=vmax, cbar_kws={"label": label},
                annot_kws={"fontsize": 6.5 if normalize else 7.5}, linewidths=0.5, linecolor="#eeeeee", ax=ax)
    ax.tick_params(axis="y", rotation=0)
    ax.set(title=f"Confusion matrix, {'row-normalised' if normalize else 'counts'}", xlabel="predicted digit",
           ylabel="true digit")
    return ax


@accepts(images=GALLERY, y_true=Labels(), y_pred=Labels(),
         confidence=Shares(hint="It is the probability of the predicted class."), indices=Maybe(Positions()),
         ncols=Whole(), fig=Maybe(FigureSpec()))
def plot_misclassified(images: np.ndarray, y_true: np.ndarray, y_pred: np.ndarray, confidence: np.ndarray,
                       indices: np.ndarray | None = None, ncols: int = 8,
                       fig: Figure | None = None) -> Figure:
    """A gallery of digits, each titled with its true label, the prediction and its probability (chapter 6).

    `confidence` is the predicted class's probability; `indices`, if given, are the images'
    positions in the test set, shown as "#1234". At most `MAX_GALLERY` digits: each is its
    own small plot, so pick the ones to show first, e.g. the first 32."""
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


@accepts(images=Pictures(scaled=True, nonempty=True, most=10, why="one row each"),
         augment=Function("a Keras layer or a function of a batch"), copies=Whole(maximum=10))
def show_augmented(images: np.ndarray, augment: Callable[..., np.ndarray], copies: int = 5,
                   figsize: tuple[float, float] | None = None) -> Figure:
    """A grid: each row one digit (left) and `copies` random augmentations of it (chapter 7).

    `augment`: a Keras layer or a function of a batch (called with ``training=True``)."""
    rows = [images] + [_augmented(augment, images) for _ in range(copies)]
    figsize = figsize or (1.1 * (copies + 1), 1.1 * len(images))
    fig, axes = plt.subplots(len(images), copies + 1, figsize=figsize, squeeze=False)
    for col, batch in enumerate(rows):
        for row in range(len(images)):
            _picture(axes[row, col], batch[row, ..., 0])
        axes[0, col].set_title("original" if col == 0 else f"copy {col}", fontsize=8)
    fig.suptitle("Random shifts, rotations and zooms keep each digit what it is")
    return fig


def _augmented(augment: Callable[..., np.ndarray], images: np.ndarray) -> np.ndarray:
    """One call of `augment` on the batch, checked to return finite values in a batch of its shape."""
    out = _v.as_array(np.asarray(augment(images, training=True)), "what augment returned")
    if out.shape != images.shape:
        raise ValueError(f"augment should return a batch of the shape it was given, {images.shape}; "
                         f"got {out.shape}.")
    _v.finite(out, "what augment returned")
    return out


@accepts(table=LossTable(), ax=OPTIONAL_AX, title=Text())
def plot_factor_table(table: Any, ax: Axes | None = None,
                      title: str = "Validation loss, mean ± sd over seeds") -> Axes:
    """Error bars of `ablation.factor_table`'s validation loss, one row per factor, top to bottom (chapter 7).

    Kept rows are drawn filled if the table has a boolean 'kept' column."""
    ax = ax or plt.subplots(figsize=(7, 0.45 * len(table) + 1.2))[1]
    positions = list(range(len(table)))[::-1]
    kept = table["kept"] if "kept" in table else [True] * len(table)
    for y, (_, line), filled in zip(positions, table.iterrows(), kept, strict=True):
        ax.errorbar(line["val loss"], y, xerr=line["loss sd"], fmt="o", capsize=4, color="C0",
                    markerfacecolor="C0" if filled else "white", label=None)
    ax.set_yticks(positions, [str(label) for label in table.index])
    ax.set(title=title, xlabel="validation loss after the last epoch (lower is better)")
    return ax


# --- Chapter 8: what the trained network computes (the numbers come from helpers.inspection) --


@accepts(maps=Stack(), ncols=Maybe(Whole(minimum=None)), pad=Whole(minimum=0, maximum=10), normalize=Flag())
def tile_maps(maps: np.ndarray, ncols: int | None = None, pad: int = 1, normalize: bool = True) -> np.ndarray:
    """Lay a stack of maps (height, width, channels) out as one 2-D mosaic, NaN between tiles (chapter 8).

    With ``normalize=True`` each map is scaled to [0, 1] on its own (a flat map becomes 0), so
    weak and strong maps both show their pattern. `ncols` defaults to a near-square grid."""
    count = maps.shape[2]
    ncols = int(np.ceil(np.sqrt(count))) if ncols is None else ncols
    if not 1 <= ncols <= count:
        raise ValueError(f"ncols should be at least 1 and at most the number of maps, {count}; got {ncols}.")
    tiles = np.moveaxis(maps, 2, 0)
    if normalize:
        low = tiles.min(axis=(1, 2), keepdims=True)
        spread = tiles.max(axis=(1, 2), keepdims=True) - low
        tiles = np.divide(tiles - low, spread, out=np.zeros_like(tiles), where=spread > 0)
    return _mosaic(tiles, ncols, pad, fill=np.nan)


def _tile_grid(ax: Axes, maps: np.ndarray, ncols: int, normalize: bool, **style: Any) -> Any:
    """Draw `tile_maps(maps)`, the gaps masked, with its tiles numbered: filter = row start + column."""
    image = ax.imshow(np.ma.masked_invalid(tile_maps(maps, ncols=ncols, normalize=normalize)), **style)
    height, width, count = maps.shape
    nrows = -(-count // ncols)
    ax.set_xticks([c * (width + 1) + (width - 1) / 2 for c in range(ncols)], [str(c) for c in range(ncols)])
    ax.set_yticks([r * (height + 1) + (height - 1) / 2 for r in range(nrows)],
                  [str(r * ncols) for r in range(nrows)])
    ax.tick_params(length=0, labelsize=7)
    ax.set(xlabel="+ column", ylabel="filter number (row start)")
    return image


@accepts(filters=Stack("(filters, height, width)", "a Keras kernel? use first_layer_filters(model)"),
         ax=AxesSpec(), ncols=Whole(), title=Text())
def show_filters(filters: np.ndarray, ax: Axes, ncols: int = 5, title: str = "First-layer filters") -> Axes:
    """Draw kernels (filters, h, w) as a grid of tiny images on one colour scale around zero (chapter 8).

    Red weights are positive (the filter likes ink there), blue negative (it likes no ink)."""
    limit = float(np.abs(filters).max()) or 1.0
    image = _tile_grid(ax, np.transpose(filters, (1, 2, 0)), ncols, False, cmap=SIGNED_CMAP, vmin=-limit,
                       vmax=limit)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="weight")
    ax.set_title(title)
    return ax


@accepts(maps=Stack(batch_hint="a batch? take maps[0]"), ax=AxesSpec(), ncols=Maybe(Whole()), title=Text())
def show_map_grid(maps: np.ndarray, ax: Axes, ncols: int | None = None, title: str = "") -> Axes:
    """Draw a layer's feature maps (height, width, channels) as a grid, each on its own scale (chapter 8).

    Dark means a strong response; a blank tile is a filter that did not respond to this digit."""
    ncols = int(np.ceil(np.sqrt(maps.shape[2]))) if ncols is None else ncols
    cmap = mpl.colormaps["gray_r"].with_extremes(bad="#d9d9d9")  # the gaps between tiles in light grey
    _tile_grid(ax, maps, ncols, True, cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
    ax.set_title(title or f"{maps.shape[2]} maps of {maps.shape[0]}×{maps.shape[1]}")
    return ax


@accepts(image=SCALED_DIGIT, heat=HeatMap(), ax=AxesSpec(), title=Text(),
         alpha=Number(minimum=0.0, maximum=1.0), visible=Maybe(ImageMask()))
def show_heatmap(image: np.ndarray, heat: np.ndarray, ax: Axes, title: str = "", alpha: float = 0.6,
                 visible: np.ndarray | None = None) -> Axes:
    """Draw a (28, 28) heat map in [0, 1] over the faint digit it explains (chapter 8).

    The darker the warm colour, the larger the heat. With `visible` (see
    `inspection.visible_mask`), the pixels the network cannot see are hatched."""
    _picture(ax, image, vmax=3)  # faint ink as a backdrop
    ax.imshow(np.ma.masked_less(heat, 0.05), cmap="YlOrRd", vmin=0, vmax=1, alpha=alpha)
    if visible is not None:
        _hatch_outside(ax, visible)
    ax.set_title(title)
    return ax


@accepts(image=SCALED_DIGIT, model=DigitModel(), ax=AxesSpec(), title=Text())
def show_receptive_fields(image: np.ndarray, model: keras.Model, ax: Axes,
                          cells: dict[str, tuple[int, int]] | None = None, title: str = "") -> Axes:
    """Draw, over the digit, the input window one cell of each layer sees, where it is (chapter 8).

    `cells` maps a layer name to a cell (row, col) of its map (default: the middle cell of
    each Conv2D map and the one cell of the last map). Each window comes from
    `inspection.field_windows`, so it sits where that cell really looks; the pixels no output
    can depend on are hatched."""
    if cells is None:
        last = inspection.layer_steps(model)[-1][0]
        cells = inspection.default_cells(model, [*inspection.conv_layer_names(model), last])
    windows = inspection.field_windows(model, cells)
    _picture(ax, image, names=("column", "row"))
    _hatch_outside(ax, inspection.visible_mask(model))
    colors = [ACCENT_COLOR, TRAIN_COLOR, VAL_COLOR, "#CC79A7", "#E69F00", "#56B4E9"]
    for k, (name, (top, bottom, left, right)) in enumerate(windows.items()):
        row, col = cells[name]
        where = f"{name} ({row}, {col}): rows {top}-{bottom}, cols {left}-{right}"
        ax.add_patch(Rectangle((left - 0.5, top - 0.5), right - left + 1, bottom - top + 1, fill=False, lw=2,
                               ec=colors[k % len(colors)], label=where))
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=8, frameon=False)
    ax.set_title(title or "The input window of one cell of each layer")
    return ax


@accepts(image=SCALED_DIGIT, mask=ImageMask(), ax=AxesSpec(), title=Text())
def show_visible_region(image: np.ndarray, mask: np.ndarray, ax: Axes, title: str = "") -> Axes:
    """Draw the digit with the pixels its network cannot see, outside `mask`, hatched (chapter 8).

    `mask` is what `inspection.visible_mask` returns."""
    _picture(ax, image, names=("column", "row"))
    _hatch_outside(ax, mask, outline=True)
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
    digit in this book, ink dark on white paper (0 white, 1 black)."""
    axes = _each_axes(axes, len(stages), "stage")
    for index, (ax, (name, image)) in enumerate(zip(axes, stages.items(), strict=True)):
        _picture(ax, image, cmap="gray" if index == 0 else "gray_r", interpolation="nearest")
        ax.set_title(f"{name}\n{image.shape[0]}×{image.shape[1]}", fontsize=9)
        ax.spines[:].set(visible=True, color="#999999")  # a frame: white-on-white stages keep their edges
    return axes
