"""The book's networks and the arithmetic of their shapes (chapters 1, 4 and 7).

Keras is imported inside the functions, so importing `helpers` stays fast.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from helpers._validate import Flag, Model, Number, OneOf, Rate, Whole, Widths, accepts

if TYPE_CHECKING:
    import keras

#: Output shape and parameter count of each layer of the article's network (chapter 4).
SEED_LAYERS: list[tuple[str, tuple[int, ...], int]] = [
    ("conv2d_1", (26, 26, 25), 250),
    ("max_pooling_1", (13, 13, 25), 0),
    ("conv2d_2", (11, 11, 64), 14464),
    ("max_pooling_2", (5, 5, 64), 0),
    ("conv2d_3", (3, 3, 64), 36928),
    ("max_pooling_3", (1, 1, 64), 0),
    ("flatten", (64,), 0),
    ("dense_1", (64,), 4160),
    ("dense_2", (10,), 650),
]
SEED_PARAMS = 56452


@accepts(size=Whole(minimum=None), kernel=Whole(minimum=None), stride=Whole(minimum=None),
         padding=OneOf("valid", "same", fold_case=True))
def conv_output_size(size: int, kernel: int, stride: int = 1, padding: str = "valid") -> int:
    """Side length after a convolution or pooling window (chapters 1 and 4).

    ``valid``: floor((size - kernel) / stride) + 1; ``same``: ceil(size / stride)."""
    if min(size, kernel, stride) < 1:
        raise ValueError(f"size, kernel and stride should be positive; got {size}, {kernel}, {stride}.")
    if padding == "same":
        return math.ceil(size / stride)
    if kernel > size:
        raise ValueError(f"a {kernel}-wide window does not fit in {size} pixels without padding.")
    return (size - kernel) // stride + 1


@accepts(kernel=Whole(), in_channels=Whole(), filters=Whole())
def conv_params(kernel: int, in_channels: int, filters: int) -> int:
    """Weights plus biases of a Conv2D layer with square kernels (chapter 4): (3 * 3 * 1 + 1) * 25 = 250."""
    return (kernel * kernel * in_channels + 1) * filters


@accepts(inputs=Whole(), units=Whole())
def dense_params(inputs: int, units: int) -> int:
    """Weights plus biases of a Dense layer (chapter 4): (64 + 1) * 10 = 650."""
    return (inputs + 1) * units


@accepts(filters=Widths())
def build_seed_cnn(filters: tuple[int, int, int] = (25, 64, 64)) -> keras.Model:
    """The source article's network, in Keras 3 style (chapter 4).

    Input (28, 28, 1) floats in [0, 1]; output 10 softmax probabilities. Three blocks of
    3x3 convolution + ReLU and 2x2 max pooling, then Dense(64, relu) and Dense(10, softmax).
    `filters` sets the three convolutions' widths (the exercises change it).
    """
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(filters[0], (3, 3), activation="relu", name="conv2d_1"),
            layers.MaxPooling2D((2, 2), name="max_pooling_1"),
            layers.Conv2D(filters[1], (3, 3), activation="relu", name="conv2d_2"),
            layers.MaxPooling2D((2, 2), name="max_pooling_2"),
            layers.Conv2D(filters[2], (3, 3), activation="relu", name="conv2d_3"),
            layers.MaxPooling2D((2, 2), name="max_pooling_3"),
            layers.Flatten(name="flatten"),
            layers.Dense(64, activation="relu", name="dense_1"),
            layers.Dense(10, activation="softmax", name="dense_2"),
        ],
        name="seed_cnn",
    )


@accepts(widths=Widths(), batch_norm=Flag(), dropout=Rate(), last_pool=Flag(), dense_units=Whole(minimum=0),
         first_padding=OneOf("valid", "same", fold_case=True))
def build_improved_cnn(
    widths: tuple[int, int, int] = (32, 64, 128),
    batch_norm: bool = True,
    dropout: float = 0.25,
    last_pool: bool = False,
    dense_units: int = 128,
    first_padding: str = "valid",
) -> keras.Model:
    """The article's network, improved step by step in chapter 7.

    Same three 3x3 convolution blocks as `build_seed_cnn`, with switches for each change the
    chapter measures: `widths` (filters per block), `batch_norm` after each convolution,
    `dropout` before the classifier, `last_pool` (the article's third pooling, which keeps
    one value of each 3x3 map), `dense_units` (the article's hidden Dense(64); 0 drops it) and
    `first_padding`: with "same", the first convolution keeps the 28x28 size, every later
    convolution and pooling then divides evenly (28, 14, 12, 6, 4, 2) and the output depends
    on every input pixel; with "valid" (the article's) rows and columns 22-27 (or 26-27 without
    the last pooling) never reach the output.
    Each block is convolution, max pooling, batch norm, ReLU. Max pooling commutes exactly with
    ReLU, so without batch norm this is the article's network (tests/unit/test_models_improved.py checks
    it). With batch norm it is a different network: pooling commutes with batch norm's
    per-channel map only where its scale is positive, and the statistics are those of the
    pooled map. Pooling first, batch norm and ReLU work on a map four times smaller.
    Input (28, 28, 1) floats in [0, 1]; output 10 softmax probabilities.
    """
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input((28, 28, 1))], name="improved_cnn")
    for block, filters in enumerate(widths, start=1):
        padding = first_padding if block == 1 else "valid"
        model.add(layers.Conv2D(filters, (3, 3), padding=padding, use_bias=not batch_norm, name=f"conv2d_{block}"))
        if block < 3 or last_pool:
            model.add(layers.MaxPooling2D((2, 2), name=f"max_pooling_{block}"))
        if batch_norm:  # momentum 0.9: its running statistics settle within a short run too
            model.add(layers.BatchNormalization(momentum=0.9, name=f"batch_norm_{block}"))
        model.add(layers.Activation("relu", name=f"relu_{block}"))
    model.add(layers.Flatten(name="flatten"))
    if dense_units:
        model.add(layers.Dense(dense_units, activation="relu", name="dense_hidden"))
    if dropout:
        model.add(layers.Dropout(dropout, name="dropout"))
    model.add(layers.Dense(10, activation="softmax", name="dense_out"))
    return model


@accepts(shift=Number(minimum=0.0, maximum=0.5), rotation_degrees=Number(minimum=0.0, maximum=180.0),
         zoom=Number(minimum=0.0, maximum=0.5))
def build_augmenter(shift: float = 0.08, rotation_degrees: float = 8.0, zoom: float = 0.08) -> keras.Sequential:
    """Random small shifts (up to 8 % of the side, about 2 pixels), rotations (up to 8 degrees)
    and zooms (up to 8 %), active only in training (chapter 7).

    No flips: a mirrored 2 or 7 is not a digit. Empty space is filled with 0, the background.
    """
    import keras
    from keras import layers

    return keras.Sequential(
        [
            layers.RandomRotation(rotation_degrees / 360.0, fill_mode="constant"),
            layers.RandomTranslation(shift, shift, fill_mode="constant"),
            layers.RandomZoom(zoom, fill_mode="constant"),
        ],
        name="augment",
    )


@accepts(model=Model())
def layer_table(model: keras.Model) -> list[tuple[str, tuple[int, ...], int]]:
    """Each layer's (name, output shape without the batch axis, parameter count), in order (chapter 4).

    For the article's network it equals `SEED_LAYERS`, as chapter 4 asserts.
    """
    return [(layer.name, tuple(layer.output.shape[1:]), layer.count_params()) for layer in model.layers]

