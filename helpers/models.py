"""The book's networks and the arithmetic of their shapes (chapters 1, 4 and 7).

Keras is imported inside the functions, so importing `helpers` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: str = "valid") -> int:
    """Side length after a convolution or pooling window (chapters 1 and 4).

    ``valid``: floor((size - kernel) / stride) + 1; ``same``: ceil(size / stride).
    """
    if min(size, kernel, stride) < 1:
        raise ValueError(f"size, kernel and stride must be positive; got {size}, {kernel}, {stride}.")
    if padding == "same":
        return -(-size // stride)
    if padding != "valid":
        raise ValueError(f"padding must be 'valid' or 'same'; got {padding!r}.")
    if kernel > size:
        raise ValueError(f"a {kernel}-wide window does not fit in {size} pixels without padding.")
    return (size - kernel) // stride + 1


def conv_params(kernel: int, in_channels: int, filters: int) -> int:
    """Weights plus biases of a Conv2D layer with square kernels (chapter 4)."""
    return (kernel * kernel * in_channels + 1) * filters


def dense_params(inputs: int, units: int) -> int:
    """Weights plus biases of a Dense layer (chapter 4)."""
    return (inputs + 1) * units


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
