"""The book's plots: digits, data summaries, kernels, feature maps and probabilities.

Every function is pure: it checks its input (a `ValueError` or `TypeError` says what was expected and what
came), draws on the `ax` (or `axes`) it is given, creating one only when none is given, and
returns what it drew on. Nothing is shown or saved here: the notebook displays the figure.
Digits are drawn as dark ink on white paper (the book's ``gray_r`` colour map), so pixel value
0 is white and the largest value is black.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from helpers import _validate as _v
from helpers.data import check_images, check_labels
from helpers.style import ACCENT_COLOR, TRAIN_COLOR, VAL_COLOR

#: Colour map for maps with signed values (kernels, edge responses): blue < 0 < red.
SIGNED_CMAP = "RdBu_r"
#: Most digits `plot_misclassified` draws: one small picture each; more would take minutes.
MAX_GALLERY = 100
#: Most panels `show_kernels` and `show_feature_maps` draw side by side in one row.
MAX_PANELS = 16


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """The given Axes, or a new one in a new figure of `figsize` inches."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
        return ax
    return _v.axes(ax)


def _as_digit(image: np.ndarray, name: str = "image") -> np.ndarray:
    """One 28x28 digit as a 2-D array; accepts (28, 28) or (28, 28, 1)."""
    image = _v.as_array(image, name)
    if image.shape not in ((28, 28), (28, 28, 1)):
        hint = " For one digit of a batch, take images[i]." if image.ndim in (3, 4) and image.shape[1:3] == (28, 28) else ""
        raise ValueError(f"{name} should be one digit of shape (28, 28) or (28, 28, 1); got {image.shape}.{hint}")
    _v.finite(image, name)  # first, so a NaN is named by its (row, column)
    check_images(image[np.newaxis], name=name)
    return image.reshape(28, 28)


def _pixel_top(values: np.ndarray) -> float:
    """The value drawn as full black: 255 for raw pixels, 1 for scaled ones."""
    return 255.0 if values.dtype == np.uint8 or (values.size and values.max() > 1) else 1.0


def show_digit(image: np.ndarray, ax: Axes | None = None, title: str = "A handwritten digit") -> Axes:
    """Draw one digit as a picture, ink dark on white.

    `image`: shape (28, 28) or (28, 28, 1), raw pixels 0-255 or scaled values in [0, 1].
    Returns the Axes. Introduced in chapter 1.
    """
    digit = _as_digit(image)
    title = _v.text(title, "title")
    ax = _new_axes(ax, (3.2, 3.2))
    ax.imshow(digit, cmap="gray_r", vmin=0, vmax=_pixel_top(digit))
    ax.set_title(title)
    ax.set_xlabel("column (pixel)")
    ax.set_ylabel("row (pixel)")
    ax.set_xticks([0, 7, 14, 21, 27])
    ax.set_yticks([0, 7, 14, 21, 27])
    return ax


def show_pixel_values(
    image: np.ndarray,
    rows: tuple[int, int],
    cols: tuple[int, int],
    ax: Axes | None = None,
    title: str = "Pixel values",
) -> Axes:
    """Draw a window of a digit with each pixel's number written in its square.

    `image`: shape (28, 28) or (28, 28, 1). `rows` and `cols` are half-open ranges
    ``(start, stop)`` inside 0-28, at most 16 wide so the numbers stay readable. Tick labels
    are the pixels' indices in the full image. Returns the Axes. Introduced in chapter 1.
    """
    digit = _as_digit(image)
    rows, cols = _v.pair(rows, "rows", minimum=None), _v.pair(cols, "cols", minimum=None)
    title = _v.text(title, "title")
    for axis, (start, stop) in (("rows", rows), ("cols", cols)):
        if not (0 <= start < stop <= 28) or stop - start > 16:
            raise ValueError(
                f"{axis} should be a range (start, stop) with 0 <= start < stop <= 28 and at most "
                f"16 pixels; got ({start}, {stop})."
            )
    window = digit[rows[0] : rows[1], cols[0] : cols[1]]
    top = _pixel_top(digit)
    ax = _new_axes(ax, (0.45 * window.shape[1] + 1, 0.45 * window.shape[0] + 1))
    ax.imshow(window, cmap="gray_r", vmin=0, vmax=top)
    size = 7 if top == 255 else 6
    for (r, c), value in np.ndenumerate(window):
        text = f"{int(value)}" if top == 255 else f"{value:.2f}".lstrip("0")
        ax.text(c, r, text, ha="center", va="center", fontsize=size,
                color="white" if value > 0.5 * top else "#222222")
    ax.set_xticks(range(window.shape[1]), [str(c) for c in range(*cols)], fontsize=7)
    ax.set_yticks(range(window.shape[0]), [str(r) for r in range(*rows)], fontsize=7)
    ax.set_title(title)
    ax.set_xlabel("column (pixel)")
    ax.set_ylabel("row (pixel)")
    return ax


def mark_window(ax: Axes, rows: tuple[int, int], cols: tuple[int, int], color: str = VAL_COLOR) -> Axes:
    """Outline the window ``rows x cols`` (half-open ranges) on an image drawn in `ax`.

    Used with `show_digit` to show where a `show_pixel_values` window sits. Introduced in chapter 1.
    """
    ax = _v.axes(ax)
    rows, cols = _v.pair(rows, "rows", minimum=None), _v.pair(cols, "cols", minimum=None)
    if not (rows[0] < rows[1] and cols[0] < cols[1]):
        raise ValueError(f"rows and cols should be ranges (start, stop) with start < stop; got {rows}, {cols}.")
    ax.add_patch(Rectangle((cols[0] - 0.5, rows[0] - 0.5), cols[1] - cols[0], rows[1] - rows[0],
                           fill=False, edgecolor=color, linewidth=2))
    return ax


def digit_mosaic(images: np.ndarray, labels: np.ndarray, per_class: int = 8, pad: int = 2) -> np.ndarray:
    """One big picture: row k holds the first `per_class` images whose label is k.

    `images`: (n, 28, 28) or (n, 28, 28, 1); `labels`: (n,) digits 0-9, every digit at least
    `per_class` times. Returns an array of shape (10 * (28 + pad), per_class * (28 + pad)) with
    the images' own values and `pad` blank pixels after each digit. Introduced in chapter 2.
    """
    check_images(images)
    labels = check_labels(labels)
    if len(images) != len(labels):
        raise ValueError(f"images and labels should have the same length; got {len(images)} and {len(labels)}.")
    per_class, pad = _v.whole(per_class, "per_class", minimum=None), _v.whole(pad, "pad", minimum=None)
    if per_class < 1 or pad < 0:
        raise ValueError(f"per_class should be >= 1 and pad >= 0; got {per_class} and {pad}.")
    found = np.bincount(labels, minlength=10)
    if found.min() < per_class:  # before the mosaic is allocated: a huge per_class would fill the memory
        digit = int(np.argmin(found))
        raise ValueError(f"need {per_class} examples of each digit; the digit {digit} has {found[digit]}.")
    if pad > 28:
        raise ValueError(f"pad should be at most 28 blank pixels; got {pad}.")
    images = np.asarray(images).reshape(len(images), 28, 28)
    cell = 28 + pad
    mosaic = np.zeros((10 * cell, per_class * cell), dtype=images.dtype)
    for digit in range(10):
        found = np.flatnonzero(labels == digit)[:per_class]
        if len(found) < per_class:
            raise ValueError(f"need {per_class} examples of each digit; the digit {digit} has {len(found)}.")
        for column, index in enumerate(found):
            mosaic[digit * cell : digit * cell + 28, column * cell : column * cell + 28] = images[index]
    return mosaic


def show_digit_grid(
    images: np.ndarray,
    labels: np.ndarray,
    per_class: int = 8,
    ax: Axes | None = None,
    title: str = "Examples of each digit",
) -> Axes:
    """Draw `per_class` examples of every digit, one row per class (0 at the top).

    `images`: (n, 28, 28) or (n, 28, 28, 1), raw or scaled; `labels`: (n,) digits 0-9.
    Returns the Axes. Introduced in chapter 2.
    """
    mosaic = digit_mosaic(images, labels, per_class=per_class)
    ax = _new_axes(ax, (0.6 * per_class + 1, 7.0))
    ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=_pixel_top(np.asarray(images)))
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


def plot_class_counts(
    labels: np.ndarray,
    ax: Axes | None = None,
    title: str = "Images per digit",
    color: str = TRAIN_COLOR,
) -> Axes:
    """Bar chart of how many times each digit 0-9 occurs in `labels` (shape (n,)).

    Each bar is labelled with its count. Returns the Axes. Introduced in chapter 2.
    """
    labels = check_labels(labels)
    _v.nonempty(labels, "labels")
    title = _v.text(title, "title")
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


def plot_pixel_histogram(
    images: np.ndarray,
    ax: Axes | None = None,
    bins: int = 51,
    title: str = "Pixel values",
    log: bool = True,
    color: str = TRAIN_COLOR,
) -> Axes:
    """Histogram of every pixel value in `images` ((n, 28, 28) or (n, 28, 28, 1)).

    Raw pixels are binned over 0-255, scaled ones over [0, 1]; with `log` the counts axis
    is logarithmic (most pixels are 0). Returns the Axes. Introduced in chapter 3.
    """
    check_images(images)
    values = np.asarray(images).ravel()
    if values.size == 0:
        raise ValueError("images should hold at least one image; got none.")
    if values.min() < 0:
        raise ValueError(f"pixel values should not be negative; got a minimum of {values.min()}.")
    bins, log = _v.whole(bins, "bins", minimum=None, maximum=1024), _v.flag(log, "log")
    if bins < 1:
        raise ValueError(f"bins should be at least 1; got {bins}.")
    top = _pixel_top(values)
    ax = _new_axes(ax, (5.0, 3.5))
    ax.hist(values, bins=bins, range=(0, top), color=color, log=log)
    ax.set_xlim(0, top)
    ax.set_title(title)
    ax.set_xlabel("pixel value" + (" (0-255)" if top == 255 else " (scaled to 0-1)"))
    ax.set_ylabel("number of pixels" + (" (log scale)" if log else ""))
    return ax


def _as_maps(maps: np.ndarray | Sequence[np.ndarray], titles: Sequence[str], what: str) -> list[np.ndarray]:
    """2-D float arrays, one per title, from one (h, w) array, a (k, h, w) stack or a list."""
    if isinstance(titles, str) or not isinstance(titles, (list, tuple, np.ndarray)):
        raise TypeError(f"titles should be a list of strings, one per {what[:-1]}; got {_v.describe(titles)}.")
    if maps is None or isinstance(maps, (str, bytes, dict)):
        raise TypeError(f"{what} should be a 2-D array or a list of them; got {_v.describe(maps)}.")
    if isinstance(maps, np.ndarray):
        if maps.ndim not in (2, 3):
            raise ValueError(
                f"{what} should be one 2-D array, a stack of shape (k, height, width) or a list of "
                f"2-D arrays; got an array of shape {maps.shape}."
            )
        items = [maps] if maps.ndim == 2 else list(maps)
    else:
        items = list(maps)
    arrays = []
    for k, item in enumerate(items):
        array = _v.as_array(item, f"{what}[{k}]")
        if array.ndim != 2 or 0 in array.shape:
            raise ValueError(f"each of the {what} should be a non-empty 2-D array; item {k} has shape {array.shape}.")
        _v.finite(array, f"{what}[{k}]")
        arrays.append(array.astype(float))
    if len(titles) != len(arrays) or not arrays:
        raise ValueError(f"need one title per {what[:-1]}: {len(arrays)} {what}, {len(titles)} titles.")
    if len(arrays) > MAX_PANELS:
        raise ValueError(f"at most {MAX_PANELS} {what} fit side by side; got {len(arrays)}. Pick a few "
                         "(e.g. maps[:8]), or draw a whole layer with helpers.inspection.show_map_grid.")
    return arrays


def _grid_axes(axes: Sequence[Axes] | np.ndarray | None, k: int, width: float) -> tuple[Figure, list[Axes]]:
    """The given k Axes (and their figure), or a new row of k."""
    if axes is None:
        fig, made = plt.subplots(1, k, figsize=(width * k, width + 0.6), squeeze=False, layout="constrained")
        return fig, list(made[0])
    axes = [_v.axes(one, "each of axes") for one in np.ravel(np.asarray(axes, dtype=object))]
    if len(axes) != k:
        raise ValueError(f"need one Axes per panel: {k} panels, {len(axes)} Axes given.")
    return axes[0].figure, axes


def show_kernels(
    kernels: np.ndarray | Sequence[np.ndarray],
    titles: Sequence[str],
    axes: Sequence[Axes] | None = None,
) -> Figure:
    """Draw convolution kernels side by side, each weight written in its square.

    `kernels`: shape (k, h, w) (or one (h, w) kernel), small grids such as 3x3, any real
    values; `titles`: k names. Positive weights are red, negative blue, zero white, on one
    colour scale shared by all kernels. Returns the Figure. Introduced in chapter 1.
    """
    stack = _as_maps(kernels, titles, "kernels")
    shapes = sorted({kernel.shape for kernel in stack})
    if len(shapes) > 1:
        raise ValueError(f"kernels should all have one shape, to share a colour scale; got shapes {shapes}.")
    if max(shapes[0]) > 9:
        raise ValueError(f"kernels should be small grids (at most 9x9) to show their weights; got {shapes[0]}.")
    fig, axes = _grid_axes(axes, len(stack), 2.4)
    limit = max(float(np.abs(kernel).max()) for kernel in stack) or 1.0
    for ax, kernel, title in zip(axes, stack, titles, strict=True):
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


def show_feature_maps(
    maps: np.ndarray | Sequence[np.ndarray],
    titles: Sequence[str],
    axes: Sequence[Axes] | None = None,
    colorbar: bool = True,
) -> Figure:
    """Draw 2-D maps (images, feature maps) side by side, each with its own colour scale.

    `maps`: a list of 2-D arrays (shapes may differ), a (k, h, w) stack or one (h, w) map, any
    real values. A map with negative values
    is drawn red (positive) and blue (negative) around a white zero; a map with none is drawn
    as ink on white from 0 to its maximum. Returns the Figure. Introduced in chapter 1.
    """
    stack = _as_maps(maps, titles, "maps")
    colorbar = _v.flag(colorbar, "colorbar")
    fig, axes = _grid_axes(axes, len(stack), 3.3 if colorbar else 2.8)
    for ax, fmap, title in zip(axes, stack, titles, strict=True):
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


def plot_probabilities(
    probabilities: np.ndarray,
    ax: Axes | None = None,
    true_label: int | None = None,
    title: str = "Predicted probabilities",
) -> Axes:
    """Bar chart of the 10 class probabilities of one image; the most probable bar is highlighted.

    `probabilities`: shape (10,), values in [0, 1] summing to 1 (a softmax output).
    `true_label`, if given (0-9), is named in the x-axis label. Returns the Axes.
    Introduced in chapter 1.
    """
    probs = _v.as_array(probabilities, "probabilities")
    if probs.shape != (10,):
        hint = " (one image's row: take probabilities[i])" if probs.ndim == 2 else ""
        raise ValueError(f"probabilities should have shape (10,), one per digit; got {probs.shape}{hint}.")
    if probs.dtype == np.bool_:
        raise ValueError("probabilities should be numbers in [0, 1]; got booleans.")
    _v.finite(probs, "probabilities")
    probs = probs.astype(float)
    if probs.min() < 0 or probs.max() > 1 or abs(probs.sum() - 1) > 1e-3:
        raise ValueError(
            f"probabilities should lie in [0, 1] and sum to 1; got values from {probs.min():.3g} to "
            f"{probs.max():.3g} summing to {probs.sum():.3g} (scores? apply softmax first)."
        )
    if true_label is not None:
        true_label = _v.digit(true_label, "true_label")
    title = _v.text(title, "title")
    ax = _new_axes(ax, (5.0, 3.0))
    colors = [ACCENT_COLOR if k == probs.argmax() else TRAIN_COLOR for k in range(10)]
    bars = ax.bar(range(10), probs, color=colors)
    ax.bar_label(bars, labels=[f"{p:.2f}" for p in probs], fontsize=8, padding=2)
    ax.set_xticks(range(10))
    ax.set_ylim(0, 1.1)
    ax.set_title(title)
    ax.set_xlabel("digit (class)" + (f"; the true digit is {true_label}" if true_label is not None else ""))
    ax.set_ylabel("probability")
    return ax


# --- Chapters 4-6: the network diagram, training curves, predictions and mistakes ---

_LAYER_COLORS = {"input": "#BBBBBB", "conv": "#0072B2", "pool": "#E69F00", "flatten": "#999999", "dense": "#009E73"}


def _layer_kind(name: str) -> str:
    for kind in ("conv", "pool", "flatten", "dense", "input"):
        if kind in name.lower():
            return kind
    return "flatten"


def _check_layers(layers: list) -> list[tuple[str, tuple[int, ...], int]]:
    if not isinstance(layers, (list, tuple)) or not layers:
        raise ValueError(f"layers should be a non-empty list of (name, shape, params); got {_v.describe(layers)}.")
    if len(layers) > 2 * MAX_PANELS:
        raise ValueError(f"plot_network draws at most {2 * MAX_PANELS} layers in one row; got {len(layers)}.")
    checked = []
    for entry in layers:
        if not (isinstance(entry, (list, tuple)) and len(entry) == 3):
            raise ValueError(f"each layer should be a (name, shape, params) triple; got {entry!r}.")
        name, shape, params = entry
        if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__"):
            raise TypeError(f"layer {name!r}: shape should be a tuple of whole numbers; got {_v.describe(shape)}.")
        shape = tuple(_v.whole(s, f"layer {name!r}: each size of its shape", minimum=None) for s in shape)
        params = _v.whole(params, f"layer {name!r}: its parameter count", minimum=None)
        if len(shape) not in (1, 3) or min(shape) < 1:
            raise ValueError(
                f"layer {name!r}: shape should be (height, width, channels) or (units,), "
                f"all positive; got {shape}."
            )
        if int(params) < 0:
            raise ValueError(f"layer {name!r}: a parameter count cannot be negative; got {params}.")
        checked.append((str(name), shape, int(params)))
    return checked


def plot_network(
    layers: list[tuple[str, tuple[int, ...], int]],
    input_shape: tuple[int, int, int] = (28, 28, 1),
    ax: Axes | None = None,
) -> Axes:
    """Draw a network as a row of blocks, input on the left, with Matplotlib only.

    `layers` lists (name, output shape without the batch axis, parameter count), like
    `helpers.models.SEED_LAYERS`. A feature map (h, w, c) is a block whose height grows with
    h and whose depth with c; a vector (n,) is a bar. Each block is labelled with its
    name, shape and parameters; colours tell convolution, pooling, flatten and dense apart.
    Introduced in chapter 4.
    """
    from matplotlib.patches import FancyArrowPatch, Polygon

    if isinstance(input_shape, (str, bytes)) or not hasattr(input_shape, "__len__") or len(input_shape) != 3:
        raise TypeError(f"input_shape should be (height, width, channels) such as (28, 28, 1); got "
                        f"{_v.describe(input_shape)}.")
    input_shape = tuple(_v.whole(s, "each size of input_shape") for s in input_shape)
    blocks = [("input", input_shape, 0)] + _check_layers(layers)
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


def _check_history(history: dict, metric: str) -> tuple[list[float], list[float]]:
    if isinstance(history, tuple) and len(history) == 2 and hasattr(history[0], "layers"):
        raise TypeError(f"history should be a training history; got a (model, history) pair: {_v.UNPACK}.")
    if hasattr(history, "layers"):
        raise TypeError(f"history should be a training history; got a Keras model: {_v.UNPACK}.")
    metric = _v.text(metric, "metric")
    logs = history.history if hasattr(history, "history") else history
    if not isinstance(logs, dict):
        raise ValueError(f"history should be a dict of lists (or a keras History); got {type(history).__name__}.")
    missing = [key for key in (metric, f"val_{metric}") if key not in logs]
    if missing:
        raise ValueError(
            f"history lacks {missing}; expected the keys '{metric}' and 'val_{metric}' "
            f"(fit with validation_data), got {sorted(logs)}."
        )
    for key in (metric, f"val_{metric}"):
        values = _v.as_array(logs[key], f"history['{key}']")
        if values.ndim != 1 or values.dtype == np.bool_:
            raise ValueError(f"history['{key}'] should be a list of numbers, one per epoch; got shape {values.shape}.")
    train, val = list(logs[metric]), list(logs[f"val_{metric}"])
    if len(train) != len(val) or not train:
        raise ValueError(
            f"'{metric}' and 'val_{metric}' should hold one value per epoch each; got {len(train)} and {len(val)}."
        )
    return train, val


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
    if which not in ("both", "train", "validation"):
        raise ValueError(f"which should be 'both', 'train' or 'validation'; got {which!r}.")
    train, val = _check_history(history, metric)
    label = _v.text(label, "label")
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


def plot_confusion_matrix(
    cm: np.ndarray, normalize: bool = False, ax: Axes | None = None, scale_to_mistakes: bool = False
) -> Axes:
    """Draw a 10x10 confusion matrix as a seaborn heatmap, in counts or row-normalised.

    Rows are true digits, columns predictions. With ``normalize=True`` each row is divided
    by its total, so a cell reads "the share of digit i predicted as j" and the diagonal is
    each digit's recall. With ``scale_to_mistakes=True`` the colour scale ends at the largest
    cell off the diagonal, so that the mistakes show; the diagonal is then off the scale (the
    numbers in the cells stay exact). Introduced in chapter 6.
    """
    import seaborn as sns

    from helpers.evaluation import check_confusion_matrix, normalize_rows

    counts = check_confusion_matrix(cm)
    normalize, scale_to_mistakes = _v.flag(normalize, "normalize"), _v.flag(scale_to_mistakes, "scale_to_mistakes")
    ax = _new_axes(ax, (6.4, 5.4))
    values = normalize_rows(counts) if normalize else counts
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


def plot_misclassified(
    images: np.ndarray,
    y_true: np.ndarray,
    y_pred: np.ndarray,
    confidence: np.ndarray,
    indices: np.ndarray | None = None,
    ncols: int = 8,
    fig: Figure | None = None,
) -> Figure:
    """A gallery of digits, each titled with its true label, the prediction and its probability.

    `images` (n, 28, 28) or (n, 28, 28, 1); `y_true`, `y_pred` digits 0-9 and `confidence`
    (the predicted class's probability, in [0, 1]) of length n. `indices`, if given, are the
    images' positions in the test set, shown as "#1234". Each title reads "true 4, pred 9"
    over the position and the probability the model gave its prediction. Introduced in chapter 6.
    At most `MAX_GALLERY` (100) digits: more is refused with a ValueError (each digit is its own
    small plot, so 10,000 would take minutes); pick the ones to show first, e.g. the first 32.
    """
    images = _v.as_array(images, "images")
    check_images(images, name="images")
    y_true = check_labels(y_true, name="y_true")
    y_pred = check_labels(y_pred, name="y_pred")
    confidence = _v.as_array(confidence, "confidence")
    lengths = {"images": images, "y_true": y_true, "y_pred": y_pred, "confidence": confidence}
    if indices is not None:
        lengths["indices"] = _check_indices(indices)
    if confidence.ndim != 1:
        raise ValueError(f"confidence should be a 1-D array of probabilities in [0, 1], one per image; "
                         f"got shape {confidence.shape}.")
    _v.same_length(**lengths)
    _v.in_range(confidence, "confidence", 0.0, 1.0, "It is the probability of the predicted class.")
    if not len(images):
        raise ValueError("there are no images to show; pass at least one.")
    if len(images) > MAX_GALLERY:
        raise ValueError(
            f"plot_misclassified draws at most {MAX_GALLERY} digits, one small plot each; got {len(images):,}. "
            "Pick the ones to show first, e.g. shown = misclassified_indices(y_test, y_pred)[:32]."
        )
    ncols = _v.whole(ncols, "ncols", minimum=None)
    if ncols < 1:
        raise ValueError(f"ncols should be a positive number of columns; got {ncols}.")
    if fig is not None and not isinstance(fig, Figure):
        raise TypeError(f"fig should be a Matplotlib Figure (plt.figure()); got {_v.describe(fig)}.")
    indices = lengths.get("indices")
    ncols = min(ncols, len(images))
    nrows = -(-len(images) // ncols)
    if fig is None:
        fig = plt.figure(figsize=(1.3 * ncols, 1.75 * nrows))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= len(images):
            continue
        ax.imshow(images[k].reshape(28, 28), cmap="gray_r", vmin=0, vmax=images.max() or 1)
        where = f"#{int(indices[k])} · " if indices is not None else ""
        ax.set_title(f"true {y_true[k]}, pred {y_pred[k]}\n{where}{confidence[k]:.0%}", fontsize=8,
                     fontweight="normal")
    fig.tight_layout()
    return fig


def show_augmented(
    images: np.ndarray, augment: Callable[..., np.ndarray], copies: int = 5, figsize: tuple[float, float] | None = None
) -> Figure:
    """A grid: each row one digit (left) and `copies` random augmentations of it (chapter 7).

    `images`: float (n, 28, 28, 1) in [0, 1], n from 1 to 10; `augment`: a Keras layer or
    function mapping such a batch to one of the same shape (called with ``training=True``).
    """
    check_images(images, scaled=True)
    images = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28, 1)
    copies = _v.whole(copies, "copies", minimum=None)
    if not 1 <= len(images) <= 10 or not 1 <= copies <= 10:
        raise ValueError(f"show 1-10 images with 1-10 copies each; got {len(images)} images, {copies} copies.")
    if not callable(augment) or hasattr(augment, "__array__"):
        raise TypeError(f"augment should be a Keras layer or a function of a batch; got {_v.describe(augment)}.")
    rows = [images] + [_augmented(augment, images) for _ in range(copies)]
    fig, axes = plt.subplots(len(images), copies + 1, figsize=figsize or (1.1 * (copies + 1), 1.1 * len(images)),
                             squeeze=False)
    for col, batch in enumerate(rows):
        for row in range(len(images)):
            ax = axes[row, col]
            ax.imshow(batch[row, ..., 0], cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
        axes[0, col].set_title("original" if col == 0 else f"copy {col}", fontsize=8)
    fig.suptitle("Random shifts, rotations and zooms keep each digit what it is")
    return fig


def _check_indices(indices: np.ndarray) -> np.ndarray:
    """Positions in the test set: a 1-D array of whole numbers, 0 or more."""
    indices = _v.as_array(indices, "indices")
    if indices.ndim != 1 or indices.dtype == np.bool_:
        raise ValueError(f"indices should be a 1-D array of positions (whole numbers); got shape {indices.shape}"
                         f"{' of booleans: take np.flatnonzero(mask)' if indices.dtype == np.bool_ else ''}.")
    _v.finite(indices, "indices")
    if indices.size and (np.any(indices != np.round(indices)) or indices.min() < 0):
        raise ValueError("indices should be positions in the test set: whole numbers, 0 or more.")
    return indices


def _augmented(augment: Callable[..., np.ndarray], images: np.ndarray) -> np.ndarray:
    """One call of `augment` on the batch, checked to return a batch of the same shape in [0, 1]."""
    out = _v.as_array(np.asarray(augment(images, training=True)), "what augment returned")
    if out.shape != images.shape:
        raise ValueError(f"augment should return a batch of the shape it was given, {images.shape}; got {out.shape}.")
    _v.finite(out, "what augment returned")
    return out
