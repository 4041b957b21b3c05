"""The wrong-answer table: every exercise check, tried with the wrong answers a student writes.

One row per wrong answer, each named `chNN-<check>-<slip>`. Every row must FAIL: the check
returns a false result and prints a ❌ line with a hint (more than the bare verdict), and in
strict mode (``CNN_BOOK_STRICT_CHECKS=1``, as under `make` and nbgrader) it raises
`CheckFailed`. A wrong answer that passes a check is a hole a student falls through
unnoticed, so a new check gets its rows here. Where a slip has a sentence of its own, `SAYS`
names the words its hint must hold.

The rows include holes that checks once had: chapter 3's `prepare` scaled by the batch's own
largest value or by min-max (which agreed with `/ 255` while the check's inputs held 0 and
255), chapter 4's network with average pooling or without a ReLU or the softmax (which
agreed in shapes and parameter counts), and chapter 5's learning-rate runs trained on all the
data or continued from a trained model.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from helpers import checks
from helpers.checks import CheckFailed

# ---------------------------------------------------------------- chapter 1


def pool_max(m):
    h, w = m.shape[0] // 2 * 2, m.shape[1] // 2 * 2
    return m[:h, :w].reshape(h // 2, 2, w // 2, 2).max(axis=(1, 3))


def pool_stride_one(m):
    out = np.zeros((m.shape[0] // 2, m.shape[1] // 2))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = m[i:i + 2, j:j + 2].mean()  # forgot the stride: windows overlap
    return out


def pool_keeps_odd_edge(m):
    h, w = math.ceil(m.shape[0] / 2), math.ceil(m.shape[1] / 2)
    return np.array([[m[2 * i:2 * i + 2, 2 * j:2 * j + 2].mean() for j in range(w)] for i in range(h)])


def pool_transposed(m):
    out = np.zeros((m.shape[1] // 2, m.shape[0] // 2))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = m[2 * j:2 * j + 2, 2 * i:2 * i + 2].mean()  # indices swapped
    return out


def softmax_naive(z):
    e = np.exp(z)
    return e / e.sum()


def softmax_shift_mean(z):
    e = np.exp(z - np.mean(z))
    return e / e.sum()


def softmax_unnormalised(z):
    return np.exp(z - np.max(z))


# ---------------------------------------------------------------- chapter 2


def examples_labels(digit, images, labels, n):
    return labels[labels == digit][:n]


def examples_last(digit, images, labels, n):
    return images[labels == digit][-n:]


def examples_ignore_labels(digit, images, labels, n):
    return images[:n]


def _ink():
    rng = np.random.default_rng(24)
    images = rng.integers(0, 256, size=(40, 28, 28), dtype=np.uint8)
    labels = np.tile(np.arange(10), 4)
    return images, labels


# ---------------------------------------------------------------- chapter 3


def prepare_by_batch_max(images):
    x = images.astype(np.float32)
    return (x / x.max()).reshape(-1, 28, 28, 1)


def prepare_min_max(images):
    x = images.astype(np.float32)
    return ((x - x.min()) / (x.max() - x.min())).reshape(-1, 28, 28, 1)


def prepare_per_image_max(images):
    x = images.astype(np.float32)
    return (x / x.max(axis=(1, 2), keepdims=True)).reshape(-1, 28, 28, 1)


def prepare_by_256(images):
    return (images.astype(np.float32) / 256).reshape(-1, 28, 28, 1)


def prepare_float64(images):
    return (images / 255).reshape(-1, 28, 28, 1)


def prepare_channels_first(images):
    return (images.astype(np.float32) / 255).reshape(-1, 1, 28, 28)


def prepare_transposed(images):
    return (images.T.astype(np.float32) / 255).reshape(-1, 28, 28, 1)


def prepare_unscaled(images):
    return images.astype(np.float32).reshape(-1, 28, 28, 1)


# ---------------------------------------------------------------- chapter 4


def _same_padding(pool: str = "MaxPooling2D", conv_activation: str | None = "relu",
                  dense_activation: str | None = "relu", last: str | None = "softmax",
                  pool_padding: str = "valid") -> Callable[[], Any]:
    def build():
        import keras
        from keras import layers

        pooling = getattr(layers, pool)
        return keras.Sequential([
            keras.Input((28, 28, 1)),
            layers.Conv2D(25, (3, 3), activation=conv_activation, padding="same"),
            pooling((2, 2), padding=pool_padding),
            layers.Conv2D(64, (3, 3), activation="relu", padding="same"),
            pooling((2, 2), padding=pool_padding),
            layers.Conv2D(64, (3, 3), activation="relu", padding="same"),
            pooling((2, 2), padding=pool_padding),
            layers.Flatten(),
            layers.Dense(64, activation=dense_activation),
            layers.Dense(10, activation=last),
        ])

    build.__name__ = "build_same_padding_cnn"
    return build


def _same_padding_first_only():
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(25, (3, 3), activation="relu", padding="same"), layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"), layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"), layers.MaxPooling2D((2, 2)),
        layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax"),
    ])


# ---------------------------------------------------------------- chapter 5


def _run(first_loss: float = 1.6, epochs: int = 3, n_fit: int = 5000, n_val: int = 1000,
         fall: float = 0.6, with_val: bool = True) -> dict[str, list[float]]:
    """A history shaped as `fit_recipe` returns it: a fresh run starts near ln 10 and falls;
    accuracies are whole counts of the n_fit training and n_val validation images."""
    loss = [first_loss * fall**k for k in range(epochs)]
    acc = [round((0.55 + 0.13 * k) * n_fit + 3) / n_fit for k in range(epochs)]
    record = {"loss": loss, "accuracy": acc}
    if with_val:
        record["val_loss"] = [0.9 * v for v in loss]
        record["val_accuracy"] = [round((0.6 + 0.12 * k) * n_val + 7) / n_val for k in range(epochs)]
    return record


def cross_entropy_sum(p, labels):
    return float(-np.sum(np.log(p[np.arange(len(labels)), labels])))


def cross_entropy_log10(p, labels):
    return float(-np.mean(np.log10(p[np.arange(len(labels)), labels])))


def cross_entropy_predicted(p, labels):
    return float(-np.mean(np.log(p.max(axis=1))))


def cross_entropy_positive_sign(p, labels):
    return float(np.mean(np.log(p[np.arange(len(labels)), labels])))


# ---------------------------------------------------------------- chapter 6


def confused_with_diagonal(cm):
    true, predicted = np.unravel_index(np.argmax(cm), cm.shape)
    return int(true), int(predicted)


def confused_swapped(cm):
    off = cm.copy()
    np.fill_diagonal(off, -1)
    true, predicted = np.unravel_index(np.argmax(off), off.shape)
    return int(predicted), int(true)


def confused_symmetrised(cm):
    off = cm + cm.T
    np.fill_diagonal(off, -1)
    true, predicted = np.unravel_index(np.argmax(off), off.shape)
    return int(true), int(predicted)


def pr_swapped(cm, d):
    return float(cm[d, d] / cm[d, :].sum()), float(cm[d, d] / cm[:, d].sum())


def pr_percent(cm, d):
    return float(100 * cm[d, d] / cm[:, d].sum()), float(100 * cm[d, d] / cm[d, :].sum())


def pr_whole_matrix(cm, d):
    return float(cm[d, d] / cm.sum()), float(cm[d, d] / cm[d, :].sum())


def _lowest(h):
    return int(np.argmin(h["val_loss"]))


def overfit_by_gap(h):
    return h["val_loss"][-1] - h["loss"][-1] > 0.02  # a gap is not a rise


def overfit_without_tolerance(h):
    return bool(h["val_loss"][-1] > h["val_loss"][_lowest(h)] and h["loss"][-1] < h["loss"][_lowest(h)])


def overfit_ignoring_training(h):
    return bool(h["val_loss"][-1] > 1.05 * h["val_loss"][_lowest(h)])


def overfit_from_first_epoch(h):
    return bool(h["val_loss"][-1] > 1.05 * h["val_loss"][0] and h["loss"][-1] < h["loss"][0])


def overfit_absolute_rise(h):
    return bool(h["val_loss"][-1] > h["val_loss"][_lowest(h)] + 0.05 and h["loss"][-1] < h["loss"][_lowest(h)])


def overfit_epoch_after_lowest(h):
    after = min(_lowest(h) + 1, len(h["val_loss"]) - 1)
    return bool(h["val_loss"][-1] > 1.05 * h["val_loss"][after] and h["loss"][-1] < h["loss"][_lowest(h)])


def _top2_data():
    rng = np.random.default_rng(6)
    p = rng.dirichlet(np.full(10, 0.3), size=200)
    labels = np.where(rng.random(200) < 0.6, p.argmax(axis=1), rng.integers(0, 10, 200))
    return p, labels


def _top_k(k: int, *, fraction: bool = True, least: bool = False) -> float:
    p, labels = _top2_data()
    order = np.argsort(p, axis=1)
    top = order[:, :k] if least else order[:, -k:]
    hits = np.any(top == labels[:, None], axis=1)
    return float(hits.mean()) if fraction else float(hits.sum())


# ---------------------------------------------------------------- chapter 7


def cosine_linear(step, total, base):
    return base * max(0.0, 1 - step / total)


def cosine_no_half(step, total, base):
    return base * math.cos(math.pi / 2 * min(step, total) / total)


def cosine_no_clamp(step, total, base):
    return base * 0.5 * (1 + math.cos(math.pi * step / total))


# ---------------------------------------------------------------- chapter 8


def occlude_in_place(image, top, left, size):
    image[top:top + size, left:left + size] = 0.0
    return image


def occlude_off_by_one(image, top, left, size):
    out = image.copy()
    out[top:top + size + 1, left:left + size + 1] = 0.0
    return out


def occlude_swapped(image, top, left, size):
    out = image.copy()
    out[left:left + size, top:top + size] = 0.0
    return out


def occlude_to_one(image, top, left, size):
    out = image.copy()
    out[top:top + size, left:left + size] = 1.0
    return out


def _mask(rows: slice, cols: slice, value: bool = True) -> np.ndarray:
    mask = np.full((28, 28), not value)
    mask[rows, cols] = value
    return mask


# ---------------------------------------------------------------- chapter 9


def box_swapped(h, w):
    s = 20 / max(h, w)
    return max(1, round(w * s)), max(1, round(h * s))


def box_square(h, w):
    return 20, 20


def box_truncates(h, w):
    s = 20 / max(h, w)
    return max(1, int(h * s)), max(1, int(w * s))


def box_no_floor(h, w):
    s = 20 / max(h, w)
    return round(h * s), round(w * s)


def invert_by_image_mean(gray):
    return 1.0 - gray if gray.mean() > 0.5 else gray


def invert_by_border_mean(gray):
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return 1.0 - gray if border.mean() > 0.5 else gray


def invert_always(gray):
    return 1.0 - gray


def invert_by_corner(gray):
    return 1.0 - gray if gray[0, 0] > 0.5 else gray


def mass_swapped(image):
    rows, cols = np.indices(image.shape)
    return (cols * image).sum() / image.sum(), (rows * image).sum() / image.sum()


def mass_unweighted(image):
    rows, cols = np.nonzero(image)
    return rows.mean(), cols.mean()


def mass_brightest(image):
    r, c = np.unravel_index(np.argmax(image), image.shape)
    return float(r), float(c)


def mass_box_centre(image):
    rows, cols = np.nonzero(image)
    return (rows.min() + rows.max()) / 2, (cols.min() + cols.max()) / 2


# ---------------------------------------------------------------- the table

#: (row name, the check, a function returning the check's arguments for the wrong answer)
TABLE: list[tuple[str, Callable[..., Any], Callable[[], tuple]]] = [
    # chapter 1
    ("ch01-pooled-size-before-pooling", checks.check_pooled_size, lambda: (24,)),
    ("ch01-pooled-size-3x3-kernel", checks.check_pooled_size, lambda: (13,)),
    ("ch01-pooled-size-forgot-plus-one", checks.check_pooled_size, lambda: (11,)),
    ("ch01-avg-pool-max-instead", checks.check_avg_pool, lambda: (pool_max,)),
    ("ch01-avg-pool-stride-one", checks.check_avg_pool, lambda: (pool_stride_one,)),
    ("ch01-avg-pool-keeps-odd-edge", checks.check_avg_pool, lambda: (pool_keeps_odd_edge,)),
    ("ch01-avg-pool-axes-swapped", checks.check_avg_pool, lambda: (pool_transposed,)),
    ("ch01-softmax-no-shift", checks.check_softmax, lambda: (softmax_naive,)),
    ("ch01-softmax-shift-by-mean", checks.check_softmax, lambda: (softmax_shift_mean,)),
    ("ch01-softmax-not-normalised", checks.check_softmax, lambda: (softmax_unnormalised,)),
    ("ch01-flatten-32-size-for-28", checks.check_flatten_size_32, lambda: (64,)),
    ("ch01-flatten-32-one-map", checks.check_flatten_size_32, lambda: (4,)),
    ("ch01-flatten-32-no-pooling-rounding", checks.check_flatten_size_32, lambda: (576,)),
    ("ch01-dense-weights-shared-kernel", checks.check_dense_weights_for_maps, lambda: (25 * 9,)),
    ("ch01-dense-weights-one-map", checks.check_dense_weights_for_maps, lambda: (28 * 28 * 26 * 26,)),
    ("ch01-dense-weights-with-biases", checks.check_dense_weights_for_maps,
     lambda: (28 * 28 * 26 * 26 * 25 + 26 * 26 * 25,)),
    ("ch01-dense-weights-per-pixel-and-filter", checks.check_dense_weights_for_maps, lambda: (28 * 28 * 25,)),
    ("ch01-dense-weights-outputs-only", checks.check_dense_weights_for_maps, lambda: (26 * 26 * 25,)),
    ("ch01-dense-weights-28-outputs", checks.check_dense_weights_for_maps, lambda: (28 * 28 * 28 * 28 * 25,)),
    # chapter 2
    ("ch02-sevens-in-test-set", checks.check_n_sevens, lambda: (1028,)),
    ("ch02-sevens-the-digit", checks.check_n_sevens, lambda: (7,)),
    ("ch02-sevens-counted-ones", checks.check_n_sevens, lambda: (6742,)),
    ("ch02-examples-returns-labels", checks.check_examples_of, lambda: (examples_labels,)),
    ("ch02-examples-last-n", checks.check_examples_of, lambda: (examples_last,)),
    ("ch02-examples-ignores-labels", checks.check_examples_of, lambda: (examples_ignore_labels,)),
    ("ch02-mean-ink-per-pixel-image", checks.check_mean_ink,
     lambda: (np.stack([_ink()[0][_ink()[1] == k].mean(axis=0) for k in range(10)]), *_ink())),
    ("ch02-mean-ink-sum", checks.check_mean_ink,
     lambda: (np.array([_ink()[0][_ink()[1] == k].sum() for k in range(10)], dtype=float), *_ink())),
    ("ch02-mean-ink-median", checks.check_mean_ink,
     lambda: (np.array([np.median(_ink()[0][_ink()[1] == k]) for k in range(10)]), *_ink())),
    ("ch02-mean-ink-one-number", checks.check_mean_ink, lambda: (float(_ink()[0].mean()), *_ink())),
    # chapter 3
    ("ch03-test-bytes-uint8", checks.check_test_bytes, lambda: (7_840_000,)),
    ("ch03-test-bytes-float64", checks.check_test_bytes, lambda: (62_720_000,)),
    ("ch03-test-bytes-megabytes", checks.check_test_bytes, lambda: (31.36,)),
    ("ch03-prepare-divides-by-batch-max", checks.check_prepare, lambda: (prepare_by_batch_max,)),
    ("ch03-prepare-min-max-scaling", checks.check_prepare, lambda: (prepare_min_max,)),
    ("ch03-prepare-per-image-max", checks.check_prepare, lambda: (prepare_per_image_max,)),
    ("ch03-prepare-divides-by-256", checks.check_prepare, lambda: (prepare_by_256,)),
    ("ch03-prepare-float64", checks.check_prepare, lambda: (prepare_float64,)),
    ("ch03-prepare-channels-first", checks.check_prepare, lambda: (prepare_channels_first,)),
    ("ch03-prepare-transposed-batch", checks.check_prepare, lambda: (prepare_transposed,)),
    ("ch03-prepare-unscaled", checks.check_prepare, lambda: (prepare_unscaled,)),
    ("ch03-flatten-channel-axis", checks.check_flattened,
     lambda: (_ink()[0].reshape(-1, 28, 28, 1), _ink()[0])),
    ("ch03-flatten-everything", checks.check_flattened, lambda: (_ink()[0].ravel(), _ink()[0])),
    ("ch03-flatten-column-major", checks.check_flattened,
     lambda: (_ink()[0].reshape(784, -1).T, _ink()[0])),
    ("ch03-flatten-transposed-images", checks.check_flattened,
     lambda: (_ink()[0].transpose(0, 2, 1).reshape(40, -1), _ink()[0])),
    # chapter 4
    ("ch04-params-original-count", checks.check_params_with_filters, lambda: (sum(p for _, p, _ in _seed_layers((25, 64, 64))), (32, 64, 64))),
    ("ch04-params-no-biases", checks.check_params_with_filters,
     lambda: (sum(p for _, p, _ in _seed_layers()) - sum(b for *_, b in _seed_layers()), (32, 64, 64))),
    ("ch04-params-conv2-unchanged", checks.check_params_with_filters,
     lambda: (sum(p for _, p, _ in _seed_layers()) - 3 * 3 * 7 * 64, (32, 64, 64))),
    ("ch04-extra-first-layer-only", checks.check_extra_params_32, lambda: (70,)),
    ("ch04-extra-second-layer-only", checks.check_extra_params_32, lambda: (4032,)),
    ("ch04-extra-new-biases-in-conv2", checks.check_extra_params_32, lambda: (4102 + 64,)),
    ("ch04-extra-whole-network", checks.check_extra_params_32, lambda: (sum(p for _, p, _ in _seed_layers()),)),
    ("ch04-dense-no-biases", checks.check_dense_without_last_pool, lambda: (3 * 3 * 64 * 64,)),
    ("ch04-dense-with-pooling", checks.check_dense_without_last_pool, lambda: ((64 + 1) * 64,)),
    ("ch04-dense-inputs-only", checks.check_dense_without_last_pool, lambda: (576,)),
    ("ch04-one-by-one-no-bias", checks.check_one_by_one_params, lambda: (64 * 32,)),
    ("ch04-one-by-one-as-3x3", checks.check_one_by_one_params, lambda: ((3 * 3 * 64 + 1) * 32,)),
    ("ch04-one-by-one-channels-swapped", checks.check_one_by_one_params, lambda: ((32 + 1) * 64,)),
    ("ch04-one-by-one-one-channel", checks.check_one_by_one_params, lambda: ((1 * 1 * 1 + 1) * 32,)),
    ("ch04-one-by-one-pixels-times-filters", checks.check_one_by_one_params, lambda: (3 * 3 * 32,)),
    ("ch04-three-stacked-no-biases", checks.check_three_stacked_params, lambda: (3 * 3 * 3 * 64 * 64,)),
    ("ch04-three-stacked-one-layer", checks.check_three_stacked_params, lambda: ((3 * 3 * 64 + 1) * 64,)),
    ("ch04-three-stacked-two-layers", checks.check_three_stacked_params, lambda: (2 * (3 * 3 * 64 + 1) * 64,)),
    ("ch04-three-stacked-the-7x7", checks.check_three_stacked_params, lambda: ((7 * 7 * 64 + 1) * 64,)),
    ("ch04-three-stacked-one-channel", checks.check_three_stacked_params, lambda: (3 * (3 * 3 + 1) * 64,)),
    ("ch04-same-padding-average-pooling", checks.check_same_padding_model,
     lambda: (_same_padding(pool="AveragePooling2D"),)),
    ("ch04-same-padding-conv-without-relu", checks.check_same_padding_model,
     lambda: (_same_padding(conv_activation=None),)),
    ("ch04-same-padding-dense-without-relu", checks.check_same_padding_model,
     lambda: (_same_padding(dense_activation=None),)),
    ("ch04-same-padding-no-softmax", checks.check_same_padding_model, lambda: (_same_padding(last=None),)),
    ("ch04-same-padding-sigmoid-output", checks.check_same_padding_model, lambda: (_same_padding(last="sigmoid"),)),
    ("ch04-same-padding-in-pooling-too", checks.check_same_padding_model,
     lambda: (_same_padding(pool_padding="same"),)),
    ("ch04-same-padding-first-conv-only", checks.check_same_padding_model, lambda: (_same_padding_first_only,)),
    # chapter 5
    ("ch05-loss-sparse", checks.check_loss_for_one_hot, lambda: ("sparse_categorical_crossentropy",)),
    ("ch05-loss-binary", checks.check_loss_for_one_hot, lambda: ("binary_crossentropy",)),
    ("ch05-loss-mse", checks.check_loss_for_one_hot, lambda: ("mse",)),
    ("ch05-cross-entropy-sum", checks.check_cross_entropy, lambda: (cross_entropy_sum,)),
    ("ch05-cross-entropy-log10", checks.check_cross_entropy, lambda: (cross_entropy_log10,)),
    ("ch05-cross-entropy-predicted-class", checks.check_cross_entropy, lambda: (cross_entropy_predicted,)),
    ("ch05-cross-entropy-sign", checks.check_cross_entropy, lambda: (cross_entropy_positive_sign,)),
    ("ch05-best-epoch-from-zero", checks.check_best_epoch, lambda: (lambda h: int(np.argmin(h["val_loss"])),)),
    ("ch05-best-epoch-training-loss", checks.check_best_epoch, lambda: (lambda h: int(np.argmin(h["loss"])) + 1,)),
    ("ch05-best-epoch-last", checks.check_best_epoch, lambda: (lambda h: len(h["val_loss"]),)),
    ("ch05-rates-same-rate-twice", checks.check_learning_rate_histories, lambda: ({0.001: _run(), 0.01: _run()},)),
    ("ch05-rates-all-training-data", checks.check_learning_rate_histories,
     lambda: ({0.001: _run(n_fit=54_000), 0.01: _run(1.2, n_fit=54_000)},)),
    ("ch05-rates-all-validation-data", checks.check_learning_rate_histories,
     lambda: ({0.001: _run(n_val=6_000), 0.01: _run(1.2, n_val=6_000)},)),
    ("ch05-rates-continued-from-trained-model", checks.check_learning_rate_histories,
     lambda: ({0.001: _run(0.04, fall=0.9), 0.01: _run(0.09, fall=0.9)},)),
    ("ch05-rates-second-continues-first", checks.check_learning_rate_histories,
     lambda: ({0.001: _run(), 0.01: _run(0.25, fall=0.9)},)),
    ("ch05-rates-one-epoch", checks.check_learning_rate_histories,
     lambda: ({0.001: _run(epochs=1), 0.01: _run(1.2, epochs=1)},)),
    ("ch05-rates-ten-epochs", checks.check_learning_rate_histories,
     lambda: ({0.001: _run(epochs=10), 0.01: _run(1.2, epochs=10)},)),
    ("ch05-rates-no-validation", checks.check_learning_rate_histories,
     lambda: ({0.001: _run(with_val=False), 0.01: _run(1.2, with_val=False)},)),
    ("ch05-rates-keys-as-strings", checks.check_learning_rate_histories,
     lambda: ({"0.001": _run(), "0.01": _run(1.2)},)),
    # chapter 6
    ("ch06-confused-includes-diagonal", checks.check_most_confused_pair, lambda: (confused_with_diagonal,)),
    ("ch06-confused-row-column-swapped", checks.check_most_confused_pair, lambda: (confused_swapped,)),
    ("ch06-confused-symmetrised", checks.check_most_confused_pair, lambda: (confused_symmetrised,)),
    ("ch06-confused-flat-index", checks.check_most_confused_pair,
     lambda: (lambda cm: int(np.argmax(cm - np.diag(np.diag(cm)))),)),
    ("ch06-precision-recall-swapped", checks.check_precision_recall, lambda: (pr_swapped,)),
    ("ch06-precision-recall-percent", checks.check_precision_recall, lambda: (pr_percent,)),
    ("ch06-precision-over-whole-matrix", checks.check_precision_recall, lambda: (pr_whole_matrix,)),
    ("ch06-top2-is-top1", checks.check_top2_accuracy, lambda: (_top_k(1), *_top2_data())),
    ("ch06-top2-count-not-fraction", checks.check_top2_accuracy, lambda: (_top_k(2, fraction=False), *_top2_data())),
    ("ch06-top2-least-probable", checks.check_top2_accuracy, lambda: (_top_k(2, least=True), *_top2_data())),
    ("ch06-top2-top3", checks.check_top2_accuracy, lambda: (_top_k(3), *_top2_data())),
    ("ch06-overfitting-a-gap-is-enough", checks.check_overfitting, lambda: (overfit_by_gap,)),
    ("ch06-overfitting-no-tolerance", checks.check_overfitting, lambda: (overfit_without_tolerance,)),
    ("ch06-overfitting-ignores-training", checks.check_overfitting, lambda: (overfit_ignoring_training,)),
    ("ch06-overfitting-from-first-epoch", checks.check_overfitting, lambda: (overfit_from_first_epoch,)),
    ("ch06-overfitting-absolute-rise", checks.check_overfitting, lambda: (overfit_absolute_rise,)),
    ("ch06-overfitting-epoch-after-lowest", checks.check_overfitting, lambda: (overfit_epoch_after_lowest,)),
    ("ch06-overfitting-returns-a-string", checks.check_overfitting, lambda: (lambda h: "yes",)),
    # chapter 7
    ("ch07-block3-convolution-alone", checks.check_block3_params, lambda: (3 * 3 * 64 * 128,)),
    ("ch07-block3-with-bias", checks.check_block3_params, lambda: (3 * 3 * 64 * 128 + 128 + 4 * 128,)),
    ("ch07-block3-trainable-norm-only", checks.check_block3_params, lambda: (3 * 3 * 64 * 128 + 2 * 128,)),
    ("ch07-label-every-letter", checks.check_label_preserving, lambda: (set("abcdef"),)),
    ("ch07-label-with-flip", checks.check_label_preserving, lambda: ({"a", "b", "c", "e"},)),
    ("ch07-label-string", checks.check_label_preserving, lambda: ("ace",)),
    ("ch07-cosine-linear-decay", checks.check_cosine_lr, lambda: (cosine_linear,)),
    ("ch07-cosine-quarter-wave", checks.check_cosine_lr, lambda: (cosine_no_half,)),
    ("ch07-cosine-not-clamped", checks.check_cosine_lr, lambda: (cosine_no_clamp,)),
    # chapter 8
    ("ch08-values-one-map", checks.check_conv2d_2_values, lambda: (121,)),
    ("ch08-values-number-of-maps", checks.check_conv2d_2_values, lambda: (64,)),
    ("ch08-values-input-size", checks.check_conv2d_2_values, lambda: (13 * 13 * 64,)),
    ("ch08-values-after-pooling", checks.check_conv2d_2_values, lambda: (5 * 5 * 64,)),
    ("ch08-receptive-field-3x3", checks.check_receptive_field_5x5, lambda: (8,)),
    ("ch08-receptive-field-no-stride", checks.check_receptive_field_5x5, lambda: (9,)),
    ("ch08-receptive-field-no-pooling", checks.check_receptive_field_5x5, lambda: (7,)),
    ("ch08-occlude-in-place", checks.check_occlude, lambda: (occlude_in_place,)),
    ("ch08-occlude-off-by-one", checks.check_occlude, lambda: (occlude_off_by_one,)),
    ("ch08-occlude-top-left-swapped", checks.check_occlude, lambda: (occlude_swapped,)),
    ("ch08-occlude-to-white", checks.check_occlude, lambda: (occlude_to_one,)),
    ("ch08-can-change-every-pixel", checks.check_pixels_that_can_change, lambda: (np.ones((28, 28), bool),)),
    ("ch08-can-change-flipped", checks.check_pixels_that_can_change,
     lambda: (_mask(slice(0, 22), slice(0, 22), value=False),)),
    ("ch08-can-change-off-by-one", checks.check_pixels_that_can_change,
     lambda: (_mask(slice(0, 21), slice(0, 21)),)),
    ("ch08-can-change-wrong-corner", checks.check_pixels_that_can_change,
     lambda: (_mask(slice(6, 28), slice(6, 28)),)),
    ("ch08-can-change-rows-only", checks.check_pixels_that_can_change,
     lambda: (_mask(slice(0, 22), slice(0, 28)),)),
    ("ch08-can-change-shifted", checks.check_pixels_that_can_change,
     lambda: (np.pad(_mask(slice(0, 22), slice(0, 22))[:, 1:], ((0, 0), (0, 1))),)),
    # chapter 9
    ("ch09-box-width-height-swapped", checks.check_box_size, lambda: (box_swapped,)),
    ("ch09-box-square", checks.check_box_size, lambda: (box_square,)),
    ("ch09-box-truncates", checks.check_box_size, lambda: (box_truncates,)),
    ("ch09-box-side-of-zero", checks.check_box_size, lambda: (box_no_floor,)),
    ("ch09-invert-by-image-mean", checks.check_invert_if_light, lambda: (invert_by_image_mean,)),
    ("ch09-invert-by-border-mean", checks.check_invert_if_light, lambda: (invert_by_border_mean,)),
    ("ch09-invert-always", checks.check_invert_if_light, lambda: (invert_always,)),
    ("ch09-invert-never", checks.check_invert_if_light, lambda: (lambda gray: gray,)),
    ("ch09-invert-by-one-corner", checks.check_invert_if_light, lambda: (invert_by_corner,)),
    ("ch09-mass-row-column-swapped", checks.check_center_of_mass, lambda: (mass_swapped,)),
    ("ch09-mass-unweighted", checks.check_center_of_mass, lambda: (mass_unweighted,)),
    ("ch09-mass-brightest-pixel", checks.check_center_of_mass, lambda: (mass_brightest,)),
    ("ch09-mass-bounding-box-centre", checks.check_center_of_mass, lambda: (mass_box_centre,)),
    # core: the generic checks every chapter's checks are built on
    ("core-number-off-by-one", lambda a: checks.check_number("A count", a, 12), lambda: (13,)),
    ("core-number-string", lambda a: checks.check_number("A count", a, 12), lambda: ("12",)),
    ("core-number-outside-tolerance", lambda a: checks.check_number("A rate", a, 0.5, tol=1e-3, hint="Divide the count by the total."), lambda: (0.502,)),
    ("core-array-transposed", lambda a: checks.check_array("An array", a, np.arange(6.0).reshape(2, 3)),
     lambda: (np.arange(6.0).reshape(3, 2).T,)),
    ("core-array-wrong-dtype", lambda a: checks.check_array("An array", a, np.arange(6.0).reshape(2, 3)),
     lambda: (np.arange(6).reshape(2, 3),)),
    ("core-array-flat", lambda a: checks.check_array("An array", a, np.arange(6.0).reshape(2, 3)),
     lambda: (np.arange(6.0),)),
    ("core-function-wrong-result", lambda f: checks.check_function("Double", f, [((2,), 4), ((3,), 6)]),
     lambda: (lambda x: x + 2,)),
    ("ch07-rule-ignores-spread", checks.check_rule_decisions, lambda: (["A", "B", "D", "E"],)),
    ("ch07-rule-smaller-sd", checks.check_rule_decisions, lambda: (["A", "B", "D"],)),
    ("ch07-rule-by-accuracy", checks.check_rule_decisions, lambda: (["A", "D", "E"],)),
    ("ch07-rule-against-start", checks.check_rule_decisions, lambda: (["A", "B", "C", "D", "E"],)),
    ("ch07-rule-wrong-order", checks.check_rule_decisions, lambda: (["D", "A"],)),
    ("core-function-raises", lambda f: checks.check_function("Double", f, [((2,), 4)]),
     lambda: (lambda x: x / 0,)),
]


#: Words the hint of a row must hold, where the slip has a sentence of its own.
SAYS: dict[str, str] = {
    "ch08-values-one-map": "one map",
    "ch08-values-number-of-maps": "number of maps",
    "ch08-values-input-size": "input of conv2d_2",
    "ch08-values-after-pooling": "pooling",
    "ch08-receptive-field-3x3": "original 3 × 3",
    "ch08-receptive-field-no-stride": "moves 2 input pixels",
    "ch08-receptive-field-no-pooling": "Remember the pooling",
    "ch08-occlude-in-place": "changed the image it was given",
    "ch08-can-change-flipped": "flip your mask",
    "ch08-can-change-every-pixel": "three poolings",
    "ch08-can-change-shifted": "same for every image",
    "ch09-box-width-height-swapped": "(width, height)",
    "ch09-box-square": "aspect ratio",
    "ch09-box-truncates": "for input 7, 3 expected (20, 9), got (20, 8)",
    "ch09-invert-by-image-mean": "border pixels",
    "ch09-invert-always": "light ink on a dark board (should stay as it is)",
    "ch09-invert-never": "dark ink on light paper (should be inverted)",
    "ch09-mass-row-column-swapped": "(row, column)",
}


def _seed_layers(filters: tuple[int, int, int] = (32, 64, 64)) -> list[tuple[str, int, int]]:
    from helpers.checks.ch04 import _seed_layer_params

    return _seed_layer_params(filters)


def _rows() -> list:
    return [pytest.param(name, check, args, id=name) for name, check, args in TABLE]


def test_rows_are_named_once_and_every_check_has_two():
    names = [name for name, _, _ in TABLE]
    assert len(names) == len(set(names))
    assert set(SAYS) <= set(names), "SAYS names a row the table does not have"
    exercise_checks = [getattr(checks, n) for n in checks.__all__ if n.startswith("check_")
                       and n not in ("check_number", "check_array", "check_function")]
    for check in exercise_checks:
        rows = [name for name, c, _ in TABLE if c is check]
        assert len(rows) >= 2, f"{check.__name__} has {len(rows)} wrong answers in the table"


@pytest.mark.parametrize(("name", "check", "args"), _rows())
def test_wrong_answer_fails_with_a_hint(name, check, args, capsys, monkeypatch):
    monkeypatch.delenv(checks.STRICT_ENV_VAR, raising=False)
    monkeypatch.delenv(checks.SHOW_EXPECTED_ENV_VAR, raising=False)
    arguments = args()
    result = check(*arguments)
    out = capsys.readouterr().out
    assert not result, f"this wrong answer passed: {out}"
    assert out.startswith("❌") and "not yet." in out, out
    hint = out.split("not yet.", 1)[1].strip()
    assert len(hint) >= 25 and "Traceback" not in out, out
    assert SAYS.get(name, "") in hint, out
    monkeypatch.setenv(checks.STRICT_ENV_VAR, "1")
    with pytest.raises(CheckFailed):
        check(*args())
