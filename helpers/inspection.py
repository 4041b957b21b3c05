"""Looking inside a trained CNN: filters, feature maps, receptive fields, saliency, Grad-CAM.

Introduced in chapter 8. The functions take a Keras model whose input is (28, 28, 1) digits
in [0, 1] (the book's networks) and one digit as (28, 28), (28, 28, 1) or (1, 28, 28, 1).
TensorFlow and Keras are imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import keras
    from matplotlib.axes import Axes


def as_batch_of_one(image: np.ndarray) -> np.ndarray:
    """One digit as float32 (1, 28, 28, 1), checked to be in [0, 1] (chapter 8).

    Accepts (28, 28), (28, 28, 1) or (1, 28, 28, 1).
    """
    image = np.asarray(image)
    if image.shape not in ((28, 28), (28, 28, 1), (1, 28, 28, 1)):
        raise ValueError(
            f"expected one digit of shape (28, 28), (28, 28, 1) or (1, 28, 28, 1); got {image.shape}."
        )
    if not np.issubdtype(image.dtype, np.number) or image.dtype == np.bool_:
        raise ValueError(f"expected a digit of numbers in [0, 1]; got dtype {image.dtype}.")
    if not np.isfinite(image).all() or image.min() < 0 or image.max() > 1:
        raise ValueError(
            f"expected pixel values in [0, 1] (scaled as in chapter 3); got {image.min()} to {image.max()}."
        )
    return image.astype(np.float32).reshape(1, 28, 28, 1)


def conv_layer_names(model: keras.Model) -> list[str]:
    """Names of the model's Conv2D layers, input side first (chapter 8)."""
    import keras

    names = [layer.name for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    if not names:
        raise ValueError(f"the model {model.name!r} has no Conv2D layer to inspect.")
    return names


def first_layer_filters(model: keras.Model) -> np.ndarray:
    """The first convolution's kernels as an array (filters, height, width), e.g. (25, 3, 3).

    Each kernel is the small grid of weights slid over the grey input (one channel), so it
    can be drawn as a tiny image. Chapter 8.
    """
    layer = model.get_layer(conv_layer_names(model)[0])
    kernel = np.asarray(layer.get_weights()[0])  # (height, width, in_channels, filters)
    if kernel.shape[2] != 1:
        raise ValueError(f"the first convolution should see one grey channel; its kernel is {kernel.shape}.")
    return np.transpose(kernel[:, :, 0, :], (2, 0, 1))


def feature_model(model: keras.Model, layer_names: Sequence[str] | None = None) -> keras.Model:
    """A model from the same input to the outputs of `layer_names` (default: every Conv2D).

    Built as ``keras.Model(model.input, [layer.output, ...])``: it shares the trained
    weights, it does not copy them. Chapter 8.
    """
    import keras

    names = list(layer_names) if layer_names is not None else conv_layer_names(model)
    known = [layer.name for layer in model.layers]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise ValueError(f"expected layer names among {known}; got {names}.")
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs  # one digit in, no warning
    return keras.Model(inputs, [model.get_layer(name).output for name in names])


def feature_maps(
    model: keras.Model, image: np.ndarray, layer_names: Sequence[str] | None = None
) -> dict[str, np.ndarray]:
    """Each named layer's output for one digit: {name: array (height, width, channels)}.

    Default layers: every Conv2D. For the article's network and one digit: conv2d_1
    (26, 26, 25), conv2d_2 (11, 11, 64), conv2d_3 (3, 3, 64). Chapter 8.
    """
    names = list(layer_names) if layer_names is not None else conv_layer_names(model)
    outputs = feature_model(model, names)(as_batch_of_one(image), training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    return {name: np.asarray(output)[0] for name, output in zip(names, outputs, strict=True)}


def layer_steps(model: keras.Model) -> list[tuple[str, int, int]]:
    """(name, window, stride) of each Conv2D and pooling layer, in order (chapter 8)."""
    import keras

    steps = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            steps.append((layer.name, int(layer.kernel_size[0]), int(layer.strides[0])))
        elif isinstance(layer, (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)):
            steps.append((layer.name, int(layer.pool_size[0]), int(layer.strides[0])))
    return steps


def receptive_field(steps: Sequence[tuple[int, int]]) -> int:
    """Side of the input square one output pixel sees after a chain of (window, stride) steps.

    Each step widens it by (window - 1) times the product of the strides before it:
    [(3, 1), (2, 2), (3, 1)] (conv, pool, conv) gives 3, then 4, then 8. Chapter 8.
    """
    size, jump = 1, 1
    for step in steps:
        if len(step) != 2 or min(step) < 1:
            raise ValueError(f"each step should be (window, stride) with positive numbers; got {step!r}.")
        window, stride = step
        size += (window - 1) * jump
        jump *= stride
    return size


def class_scores(model: keras.Model, images: Any, training: bool = False) -> Any:
    """The model's class scores before softmax (logits), shape (n, 10), as a tensor.

    Runs the layers one by one and, for a last Dense layer with a softmax, stops before the
    softmax: gradients of these scores do not vanish when a probability is near 1 (chapter 8).
    """
    import keras

    last = model.layers[-1]
    if not isinstance(model, keras.Sequential) or not isinstance(last, keras.layers.Dense):
        raise ValueError("expected a keras.Sequential model ending in a Dense layer, like the book's networks.")
    x = images
    for layer in model.layers[:-1]:
        x = layer(x, training=training)
    scores = keras.ops.matmul(x, last.kernel)
    return scores + last.bias if last.use_bias else scores


def saliency_map(model: keras.Model, image: np.ndarray, class_index: int | None = None) -> np.ndarray:
    """How much each pixel sways one class score: |d score / d pixel|, shape (28, 28), max 1.

    The gradient of the class score (before softmax) with respect to the input pixels,
    computed with `tf.GradientTape` (Simonyan et al., 2014). `class_index` defaults to the
    predicted class. Scaled so the largest value is 1. Chapter 8.
    """
    import tensorflow as tf

    x = tf.convert_to_tensor(as_batch_of_one(image))
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = class_scores(model, x)
        index = int(tf.argmax(scores[0])) if class_index is None else _check_class(class_index)
        score = scores[0, index]
    gradient = np.abs(tape.gradient(score, x).numpy()[0, :, :, 0])
    top = gradient.max()
    return (gradient / top if top > 0 else gradient).astype(np.float32)


def grad_cam(
    model: keras.Model, image: np.ndarray, layer_name: str | None = None, class_index: int | None = None
) -> np.ndarray:
    """Grad-CAM heat map (Selvaraju et al., 2017) for one digit, upsampled to (28, 28) in [0, 1].

    Weights each channel of the convolution `layer_name` (default: the last Conv2D) by the
    mean gradient of the class score over that channel, sums, keeps the positive part, and
    resizes the small map to 28x28 (bilinear). `class_index` defaults to the predicted class.
    Chapter 8.
    """
    import keras
    import tensorflow as tf

    name = layer_name or conv_layer_names(model)[-1]
    if name not in [layer.name for layer in model.layers]:
        raise ValueError(f"expected a layer of the model; got {name!r}.")
    x = tf.convert_to_tensor(as_batch_of_one(image))
    with tf.GradientTape() as tape:
        activations, h = None, x
        for layer in model.layers[:-1]:
            h = layer(h, training=False)
            if layer.name == name:
                activations = h
                tape.watch(activations)
        last = model.layers[-1]
        scores = keras.ops.matmul(h, last.kernel) + last.bias
        index = int(tf.argmax(scores[0])) if class_index is None else _check_class(class_index)
        score = scores[0, index]
    gradients = tape.gradient(score, activations)[0]  # (h, w, channels)
    weights = tf.reduce_mean(gradients, axis=(0, 1))
    cam = tf.nn.relu(tf.reduce_sum(activations[0] * weights, axis=-1))
    cam = tf.image.resize(cam[..., None], (28, 28), method="bilinear")[..., 0].numpy()
    top = cam.max()
    return (cam / top if top > 0 else cam).astype(np.float32)


def _check_class(class_index: int) -> int:
    if not isinstance(class_index, (int, np.integer)) or not 0 <= class_index <= 9:
        raise ValueError(f"class_index should be a digit 0-9; got {class_index!r}.")
    return int(class_index)


# --- Drawing ---------------------------------------------------------------------------------


def tile_maps(maps: np.ndarray, ncols: int | None = None, pad: int = 1, normalize: bool = True) -> np.ndarray:
    """Lay a stack of maps (height, width, channels) out as one 2-D mosaic, NaN between tiles.

    With ``normalize=True`` each map is scaled to [0, 1] on its own (a map that is all zero
    stays zero), so weak and strong maps both show their pattern. `ncols` defaults to a
    near-square grid. Returns an array of shape (rows*(h+pad)-pad, ncols*(w+pad)-pad).
    Chapter 8.
    """
    maps = np.asarray(maps, dtype=np.float32)
    if maps.ndim != 3 or 0 in maps.shape:
        raise ValueError(f"expected maps of shape (height, width, channels); got {maps.shape}.")
    height, width, count = maps.shape
    ncols = ncols or int(np.ceil(np.sqrt(count)))
    if ncols < 1:
        raise ValueError(f"ncols should be at least 1; got {ncols}.")
    nrows = int(np.ceil(count / ncols))
    mosaic = np.full((nrows * (height + pad) - pad, ncols * (width + pad) - pad), np.nan, np.float32)
    for k in range(count):
        tile = maps[:, :, k]
        if normalize:
            low, high = float(tile.min()), float(tile.max())
            tile = (tile - low) / (high - low) if high > low else np.zeros_like(tile)
        row, col = divmod(k, ncols)
        mosaic[row * (height + pad) : row * (height + pad) + height, col * (width + pad) : col * (width + pad) + width] = tile
    return mosaic


def show_filters(filters: np.ndarray, ax: Axes, ncols: int = 5, title: str = "First-layer filters") -> Axes:
    """Draw kernels (filters, h, w) as a grid of tiny images on one colour scale around zero.

    Red weights are positive (the filter likes ink there), blue negative (it likes no ink).
    Returns the Axes. Chapter 8.
    """
    filters = np.asarray(filters, dtype=np.float32)
    if filters.ndim != 3 or 0 in filters.shape:
        raise ValueError(f"expected filters of shape (filters, height, width); got {filters.shape}.")
    limit = float(np.abs(filters).max()) or 1.0
    mosaic = tile_maps(np.transpose(filters, (1, 2, 0)), ncols=ncols, normalize=False)
    image = ax.imshow(np.ma.masked_invalid(mosaic), cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="weight")
    _grid_ticks(ax, filters.shape[1:], filters.shape[0], ncols)
    ax.set_title(title)
    return ax


def show_map_grid(maps: np.ndarray, ax: Axes, ncols: int | None = None, title: str = "") -> Axes:
    """Draw a layer's feature maps (height, width, channels) as a grid, each on its own scale.

    Dark means a strong response (the book's ink-on-paper colours); a blank tile is a
    filter that did not respond to this digit at all. Returns the Axes. Chapter 8.
    """
    maps = np.asarray(maps)
    if maps.ndim != 3:
        raise ValueError(f"expected maps of shape (height, width, channels); got {maps.shape}.")
    ncols = ncols or int(np.ceil(np.sqrt(maps.shape[2])))
    mosaic = tile_maps(maps, ncols=ncols)
    cmap = _with_bad_color("gray_r", "#d9d9d9")
    ax.imshow(np.ma.masked_invalid(mosaic), cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
    _grid_ticks(ax, maps.shape[:2], maps.shape[2], ncols)
    ax.set_title(title or f"{maps.shape[2]} maps of {maps.shape[0]}×{maps.shape[1]}")
    return ax


def show_heatmap(image: np.ndarray, heat: np.ndarray, ax: Axes, title: str = "", alpha: float = 0.6) -> Axes:
    """Draw a (28, 28) heat map in [0, 1] over the digit it explains (chapter 8).

    The digit is drawn in light grey, the heat in warm colours: the brighter, the more those
    pixels drove the class score. Returns the Axes.
    """
    digit = as_batch_of_one(image)[0, :, :, 0]
    heat = np.asarray(heat, dtype=np.float32)
    if heat.shape != (28, 28) or not np.isfinite(heat).all() or heat.min() < 0 or heat.max() > 1:
        raise ValueError(f"expected a (28, 28) heat map in [0, 1]; got shape {heat.shape}.")
    ax.imshow(digit, cmap="gray_r", vmin=0, vmax=3)  # faint ink as a backdrop
    ax.imshow(np.ma.masked_less(heat, 0.05), cmap="YlOrRd", vmin=0, vmax=1, alpha=alpha)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    return ax


def _with_bad_color(name: str, color: str) -> Any:
    import matplotlib as mpl

    return mpl.colormaps[name].with_extremes(bad=color)


def _grid_ticks(ax: Axes, tile: tuple[int, int], count: int, ncols: int) -> None:
    """Number the tiles' columns and rows of a mosaic on the axes (filter index = row*ncols+col)."""
    height, width = tile
    nrows = int(np.ceil(count / ncols))
    ax.set_xticks([c * (width + 1) + (width - 1) / 2 for c in range(ncols)], [str(c) for c in range(ncols)])
    ax.set_yticks(
        [r * (height + 1) + (height - 1) / 2 for r in range(nrows)], [str(r * ncols) for r in range(nrows)]
    )
    ax.tick_params(length=0, labelsize=7)
    ax.set_xlabel("+ column")
    ax.set_ylabel("filter number (row start)")


def show_receptive_fields(image: np.ndarray, fields: dict[str, int], ax: Axes, title: str = "") -> Axes:
    """Draw squares of the given sizes, centred on the digit, one per layer (chapter 8).

    `fields` maps a layer name to its receptive field in pixels (see `receptive_field`); each
    square is the patch of the input that one pixel in the middle of that layer's map sees.
    Returns the Axes.
    """
    from matplotlib.patches import Rectangle

    from helpers.style import ACCENT_COLOR, TRAIN_COLOR, VAL_COLOR

    digit = as_batch_of_one(image)[0, :, :, 0]
    if not fields or any(not 1 <= int(size) <= 28 for size in fields.values()):
        raise ValueError(f"expected receptive fields of 1 to 28 pixels per layer; got {fields}.")
    ax.imshow(digit, cmap="gray_r", vmin=0, vmax=1)
    colors = [ACCENT_COLOR, TRAIN_COLOR, VAL_COLOR, "#CC79A7", "#E69F00", "#56B4E9"]
    for k, (name, size) in enumerate(fields.items()):
        corner = 14 - size / 2 - 0.5
        color = colors[k % len(colors)]
        ax.add_patch(Rectangle((corner, corner), size, size, fill=False, lw=2, ec=color, label=f"{name}: {size}×{size}"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=8, frameon=False)
    ax.set_xticks([0, 7, 14, 21, 27])
    ax.set_yticks([0, 7, 14, 21, 27])
    ax.set_title(title or "What one pixel of each layer sees")
    return ax
