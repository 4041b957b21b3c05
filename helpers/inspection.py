"""Looking inside a trained CNN: filters, feature maps, receptive fields, saliency, Grad-CAM.

Introduced in chapter 8. This module computes; `helpers.plotting` draws what it computes.
The functions take a Keras model of (28, 28, 1) digits in [0, 1] (the book's networks) and
one digit as (28, 28), (28, 28, 1) or (1, 28, 28, 1); a model that is not one (the
``(model, history)`` tuple, a recipe, a model of other inputs) is refused with a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from helpers import _validate as _v
from helpers._validate import accepts
from helpers.data import check_images

if TYPE_CHECKING:
    import keras

#: Images per gradient computation in `gradient_mask` (the mask is the same in any batching).
GRADIENT_BATCH = 1024
#: Largest image side `visible_mask` and `registered_upsample` make (the book's are 28).
MAX_SIDE = 4096


# --- Chapter 8 -------------------------------------------------------------------------------


@accepts(image=_v.OneDigit(shapes=((28, 28), (28, 28, 1), (1, 28, 28, 1)), scaled=True))
def as_batch_of_one(image: np.ndarray) -> np.ndarray:
    """One digit, (28, 28), (28, 28, 1) or (1, 28, 28, 1), as float32 (1, 28, 28, 1) in [0, 1] (chapter 8)."""
    return image.astype(np.float32).reshape(1, 28, 28, 1)


@accepts(model=_v.Model())
def conv_layer_names(model: keras.Model) -> list[str]:
    """Names of the model's Conv2D layers, input side first (chapter 8)."""
    import keras

    names = [layer.name for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    if not names:
        raise ValueError(f"the model {model.name!r} has no Conv2D layer to inspect.")
    return names


@accepts(model=_v.Model())
def first_layer_filters(model: keras.Model) -> np.ndarray:
    """The first convolution's kernels as an array (filters, height, width), e.g. (25, 3, 3) (chapter 8):
    each is the small grid of weights slid over the grey input, drawn as a tiny image."""
    layer = model.get_layer(conv_layer_names(model)[0])
    kernel = np.asarray(layer.get_weights()[0])  # (height, width, in_channels, filters)
    if kernel.shape[2] != 1:
        raise ValueError(f"the first convolution should see one grey channel; its kernel is {kernel.shape}.")
    return np.transpose(kernel[:, :, 0, :], (2, 0, 1))


@accepts(model=_v.DigitModel(), layer_names=_v.Maybe(_v.LayerNames()))
def feature_model(model: keras.Model, layer_names: Sequence[str] | None = None) -> keras.Model:
    """A model from the same input to the outputs of `layer_names`, by default every Conv2D (chapter 8):
    ``keras.Model(model.input, [layer.output, ...])`` shares the trained weights."""
    import keras

    names = layer_names if layer_names is not None else conv_layer_names(model)
    known = [layer.name for layer in model.layers]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise ValueError(f"expected layer names among {known}; got {names}.")
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs  # one digit in, no warning
    return keras.Model(inputs, [model.get_layer(name).output for name in names])


@accepts(model=_v.DigitModel(), layer_names=_v.Maybe(_v.LayerNames()))
def feature_maps(
    model: keras.Model, image: np.ndarray, layer_names: Sequence[str] | None = None
) -> dict[str, np.ndarray]:
    """Each named layer's output for one digit, {name: (height, width, channels)}, by default
    every Conv2D's (chapter 8)."""
    names = layer_names if layer_names is not None else conv_layer_names(model)
    outputs = feature_model(model, names)(as_batch_of_one(image), training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    return {name: np.asarray(output)[0] for name, output in zip(names, outputs, strict=True)}


@accepts(model=_v.Model())
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


@accepts(steps=_v.Steps())
def receptive_field(steps: Sequence[tuple[int, int]]) -> int:
    """Side of the input square one output pixel sees after (window, stride) steps (chapter 8).

    Each step widens it by (window - 1) times the product of the strides before it:
    [(3, 1), (2, 2), (3, 1)] (conv, pool, conv) gives 3, then 4, then 8.
    """
    size, jump = 1, 1
    for window, stride in steps:
        size += (window - 1) * jump
        jump *= stride
    return size


@accepts(layer_name=_v.Text())
def steps_up_to(model: keras.Model, layer_name: str) -> list[tuple[int, int]]:
    """The (window, stride) steps from the input up to and including `layer_name` (chapter 8)."""
    steps = layer_steps(model)
    names = [name for name, _, _ in steps]
    if layer_name not in names:
        raise ValueError(f"expected a convolution or pooling layer among {names}; got {layer_name!r}.")
    return [(window, stride) for _, window, stride in steps[: names.index(layer_name) + 1]]


@accepts(steps=_v.Steps(), index=_v.Position())
def receptive_window(steps: Sequence[tuple[int, int]], index: int) -> tuple[int, int]:
    """The input rows (or columns) ``first..last``, both included, that position `index` sees (chapter 8).

    Position `index` of the last map reads the input from ``index * jump`` (jump = product of
    the strides) over `receptive_field(steps)` pixels: a window that moves with the position.
    """
    jump = int(np.prod([stride for _, stride in steps]))
    first = index * jump
    return first, first + receptive_field(steps) - 1


@accepts(steps=_v.Steps(), size=_v.Whole())
def output_size(steps: Sequence[tuple[int, int]], size: int = 28) -> int:
    """Side of the map after a chain of valid (window, stride) steps on a `size` input (chapter 4).

    Each step gives floor((n - window) / stride) + 1; 28 through the article's six steps gives
    26, 13, 11, 5, 3, 1. Raises ValueError if a window no longer fits.
    """
    for window, stride in steps:
        if window > size:
            raise ValueError(f"a window of {window} does not fit in a map of side {size}.")
        size = (size - window) // stride + 1
    return size


@accepts(size=_v.Whole(maximum=MAX_SIDE))
def visible_mask(model: keras.Model, size: int = 28) -> np.ndarray:
    """The input pixels the model's output can depend on, from its architecture: bool (28, 28) (chapter 8).

    The union of the windows of every position of the last convolution or pooling map.
    """
    steps = [(window, stride) for _, window, stride in layer_steps(model)]
    if not steps:
        raise ValueError(f"the model {model.name!r} has no convolution or pooling layer.")
    last = receptive_window(steps, output_size(steps, size) - 1)[1]
    visible = np.arange(size) <= last
    return visible[:, None] & visible[None, :]


@accepts(model=_v.ScoringModel(), images=_v.ScaledBatch(), layer_name=_v.Maybe(_v.Text()),
         cell=_v.Maybe(_v.Pair()))
def gradient_mask(model: keras.Model, images: np.ndarray, layer_name: str | None = None,
                  cell: tuple[int, int] | None = None) -> np.ndarray:
    """Where the gradient is not zero for at least one of `images`: bool (28, 28) (chapter 8).

    The gradient of the sum of the class scores (before softmax), or with `layer_name` and
    `cell` = (row, col) of that cell of that layer's map, with respect to the input pixels.
    """
    import tensorflow as tf

    if layer_name is None:
        def target_of(x: Any) -> Any:
            return tf.reduce_sum(class_scores(model, x))
    else:
        if cell is None:
            raise ValueError("with a layer_name, give the cell (row, col) of its map.")
        row, col = cell
        features = feature_model(model, [layer_name])
        shape = tuple(features.outputs[0].shape[1:])
        if len(shape) != 3 or not (row < shape[0] and col < shape[1]):
            raise ValueError(f"cell should be a (row, col) of {layer_name!r}'s map, of shape {shape}; got ({row}, {col}).")

        def target_of(x: Any) -> Any:
            return tf.reduce_sum(features(x, training=False)[:, row, col, :])
    seen = np.zeros((28, 28), dtype=bool)
    for start in range(0, len(images), GRADIENT_BATCH):  # in batches: 60,000 at once would fill the memory
        x = tf.convert_to_tensor(images[start : start + GRADIENT_BATCH])
        with tf.GradientTape() as tape:
            tape.watch(x)
            target = target_of(x)
        seen |= np.abs(tape.gradient(target, x).numpy()[..., 0]).max(axis=0) > 0
    return seen


@accepts(model=_v.ScoringModel(), training=_v.Flag())
def class_scores(model: keras.Model, images: Any, training: bool = False) -> Any:
    """The model's class scores before softmax (logits), shape (n, 10), as a tensor (chapter 8):
    their gradients do not vanish when a probability is near 1."""
    import keras

    last = model.layers[-1]
    if isinstance(images, np.ndarray):
        check_images(images, scaled=True, name="images")
        images = images.astype(np.float32).reshape(-1, 28, 28, 1)
    x = images
    for layer in model.layers[:-1]:
        x = layer(x, training=training)
    scores = keras.ops.matmul(x, last.kernel)
    return scores + last.bias if last.use_bias else scores


@accepts(model=_v.ScoringModel(), class_index=_v.Maybe(_v.Digit()))
def saliency_map(model: keras.Model, image: np.ndarray, class_index: int | None = None) -> np.ndarray:
    """Sensitivity of one class score to each pixel: |d score / d pixel|, (28, 28), max 1 (chapter 8).

    How strongly a tiny change of the pixel would move the score (before softmax), either way
    (Simonyan et al., 2014). `class_index` defaults to the predicted class.
    """
    gradient, _ = _score_gradient(model, image, class_index)
    return _scaled(np.abs(gradient))


@accepts(model=_v.ScoringModel(), class_index=_v.Maybe(_v.Digit()))
def gradient_times_input(model: keras.Model, image: np.ndarray, class_index: int | None = None) -> np.ndarray:
    """Gradient x input for one class score, signed, shape (28, 28), scaled to [-1, 1] (chapter 8).

    How much each pixel's ink adds to (positive) or takes from (negative) the score, to first
    order; paper pixels (value 0) get exactly 0, unlike in `saliency_map`.
    """
    gradient, pixels = _score_gradient(model, image, class_index)
    return _scaled(gradient * pixels)


def _score_gradient(model: keras.Model, image: np.ndarray, class_index: int | None) -> tuple[np.ndarray, ...]:
    """d score / d pixel of one class score (default: the predicted one), and the pixels, both (28, 28)."""
    import tensorflow as tf

    x = tf.convert_to_tensor(as_batch_of_one(image))
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = class_scores(model, x)
        score = scores[0, int(tf.argmax(scores[0])) if class_index is None else class_index]
    return tape.gradient(score, x).numpy()[0, :, :, 0], x.numpy()[0, :, :, 0]


def _scaled(values: np.ndarray) -> np.ndarray:
    """`values` divided by their largest magnitude (unchanged if all are 0), as float32."""
    top = np.abs(values).max()
    return (values / top if top > 0 else values).astype(np.float32)


@accepts(model=_v.ScoringModel(), class_index=_v.Maybe(_v.Digit()))
def grad_cam_cells(
    model: keras.Model, image: np.ndarray, layer_name: str | None = None, class_index: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Grad-CAM on the layer's own grid, and the cells the score has zero gradient for (chapter 8).

    Weights each channel of `layer_name` (default: the last Conv2D) by the mean gradient of
    the class score over it, sums the maps and keeps the positive part (Selvaraju et al., 2017).
    Returns (cam, dead), both (h, w): dead is True where no channel's gradient is non-zero.
    """
    import keras
    import tensorflow as tf

    name = _grad_cam_layer(model, layer_name)
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
        score = scores[0, int(tf.argmax(scores[0])) if class_index is None else class_index]
    gradients = tape.gradient(score, activations)[0].numpy()  # (h, w, channels)
    weights = gradients.mean(axis=(0, 1))
    cam = np.maximum((np.asarray(activations[0]) * weights).sum(axis=-1), 0.0)
    return cam.astype(np.float32), np.all(gradients == 0, axis=-1)


@accepts(cells=_v.CellMap(), first_centre=_v.Number(), jump=_v.Whole(), size=_v.Whole(maximum=MAX_SIDE))
def registered_upsample(cells: np.ndarray, first_centre: float, jump: int, size: int = 28) -> np.ndarray:
    """Resize a layer's (h, w) map to the input's (size, size), each cell at its true centre (chapter 8).

    Cell i is centred on input pixel ``first_centre + jump * i`` (see `receptive_window`), not
    spread evenly as by an image resize; bilinear between centres, the edge value beyond them.
    """
    rows = np.clip((np.arange(size) - first_centre) / jump, 0, cells.shape[0] - 1)
    cols = np.clip((np.arange(size) - first_centre) / jump, 0, cells.shape[1] - 1)
    along_rows = np.stack([np.interp(rows, np.arange(cells.shape[0]), cells[:, j]) for j in range(cells.shape[1])], 1)
    return np.stack([np.interp(cols, np.arange(cells.shape[1]), row) for row in along_rows]).astype(np.float32)


@accepts(model=_v.ScoringModel())
def grad_cam(
    model: keras.Model, image: np.ndarray, layer_name: str | None = None, class_index: int | None = None
) -> np.ndarray:
    """Grad-CAM heat map for one digit, registered on the input: (28, 28) in [0, 1] (chapter 8).

    `grad_cam_cells` on `layer_name` (default: the last Conv2D), then each cell placed at the
    centre of its receptive window (`registered_upsample`). Cells the score has zero gradient
    for are set to 0 first: the score cannot depend on them, so they get no heat.
    """
    name = _grad_cam_layer(model, layer_name)
    cam, dead = grad_cam_cells(model, image, name, class_index)
    cam = np.where(dead, 0.0, cam)
    steps = steps_up_to(model, name)
    first, last = receptive_window(steps, 0)
    jump = int(np.prod([stride for _, stride in steps]))
    return _scaled(registered_upsample(cam, (first + last) / 2, jump))


def _grad_cam_layer(model: Any, layer_name: str | None) -> str:
    """The layer Grad-CAM weighs: `layer_name` if it is a convolution or pooling layer, else the last Conv2D."""
    if layer_name is None:
        return conv_layer_names(model)[-1]
    _v.text(layer_name, "layer_name")
    maps = [name for name, _, _ in layer_steps(model)]
    if layer_name not in [layer.name for layer in model.layers]:
        raise ValueError(f"expected a layer of the model, one of its convolutions or poolings {maps}; got {layer_name!r}.")
    if layer_name not in maps:
        kind = type(model.get_layer(layer_name)).__name__
        raise ValueError(f"Grad-CAM weighs the maps of a convolution or pooling layer, one of {maps}; "
                         f"{layer_name!r} is a {kind} layer, which has no map of cells.")
    return layer_name


@accepts(layer_names=_v.LayerNames())
def default_cells(model: keras.Model, layer_names: Sequence[str]) -> dict[str, tuple[int, int]]:
    """The middle cell (row, col) of each named layer's map, e.g. (5, 5) of an 11 x 11 map (chapter 8)."""
    sides = {name: output_size(steps_up_to(model, name)) for name in layer_names}
    return {name: ((side - 1) // 2, (side - 1) // 2) for name, side in sides.items()}


@accepts(cells=_v.LayerCells())
def field_windows(model: keras.Model, cells: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int, int, int]]:
    """For each layer name and cell (row, col) of its map, the input window it sees (chapter 8).

    Returns {name: (top, bottom, left, right)}, input pixels, all four included, from
    `receptive_window`: e.g. cell (5, 5) of `conv2d_2` sees rows and columns 10-17.
    """
    windows = {}
    for name, (row, col) in cells.items():
        steps = steps_up_to(model, name)
        side = output_size(steps)
        if not (0 <= row < side and 0 <= col < side):
            raise ValueError(f"{name}'s map is {side} x {side}; got the cell ({row}, {col}).")
        windows[name] = (*receptive_window(steps, row), *receptive_window(steps, col))
    return windows
