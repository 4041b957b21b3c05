"""Chapter 5's exercise checks (training): call one right under your answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.checks.core import (
    CheckResult,
    _call,
    _describe,
    _expected,
    _failed,
    _guard,
    _not_done,
    _passed,
    check_function,
)


@_guard("Loss for one-hot labels")
def check_loss_for_one_hot(answer: Any) -> CheckResult:
    """Exercise 5.1: the Keras loss for one-hot labels of shape (n, 10)."""
    exercise = "Loss for one-hot labels"
    if answer is None or answer is Ellipsis:
        return _not_done(exercise)
    name = answer if isinstance(answer, str) else getattr(answer, "__name__", type(answer).__name__)
    key = name.lower().replace("_", "")
    if key in ("categoricalcrossentropy",):
        return _passed(exercise, "one-hot rows go with categorical cross-entropy.")
    hints = {
        "sparsecategoricalcrossentropy": "The sparse version expects one integer label per image; these labels are rows of ten 0s and 1s.",
        "binarycrossentropy": "Binary cross-entropy treats each of the 10 outputs as a separate yes/no question; a digit is exactly one of ten classes.",
        "meansquarederror": "Mean squared error trains poorly with softmax outputs; classification uses a cross-entropy.",
        "mse": "Mean squared error trains poorly with softmax outputs; classification uses a cross-entropy.",
    }
    return _failed(exercise, f"{_describe(answer)} is not the loss for one-hot labels. "
                            f"{hints.get(key, 'Which cross-entropy takes a row of ten 0s and 1s as the label?')}"
                            + _expected("'categorical_crossentropy'"))


@_guard("Cross-entropy by hand")
def check_cross_entropy(function: Callable[[np.ndarray, np.ndarray], float]) -> CheckResult:
    """Exercise 5.2: `function(probabilities, labels)` is the mean of -log(probability of the true class)."""
    exercise = "Cross-entropy by hand"
    p = np.array([[0.7, 0.2, 0.1] + [0.0] * 7, [0.1, 0.8, 0.1] + [0.0] * 7, [0.25, 0.25, 0.5] + [0.0] * 7])
    labels = np.array([0, 1, 2])
    cases = [
        ((p, labels), float(-np.mean(np.log([0.7, 0.8, 0.5])))),
        ((p, np.array([1, 1, 0])), float(-np.mean(np.log([0.2, 0.8, 0.25])))),
        ((np.full((1, 10), 0.1), np.array([7])), float(np.log(10))),
    ]
    ok, got = _call(exercise, function, p, labels)
    if not ok:
        return got
    if np.ndim(got) == 0 and np.isclose(float(got), -cases[0][1]):
        return _failed(exercise, "the sign is wrong: the loss is minus the log-probability, so it is positive.")
    if np.ndim(got) != 0:
        return _failed(exercise, f"expected one number (the mean over the images), got {_describe(got)}.")
    return check_function(exercise, function, cases)


@_guard("Best epoch")
def check_best_epoch(function: Callable[[dict], int]) -> CheckResult:
    """Exercise 5.3: `function(history)` is the epoch (counted from 1) with the lowest validation loss."""
    exercise = "Best epoch"
    first = {"loss": [0.5, 0.3, 0.2, 0.1], "val_loss": [0.40, 0.25, 0.30, 0.35]}
    ok, got = _call(exercise, function, first)
    if not ok:
        return got
    if got == 1:
        return _failed(exercise, "for validation losses [0.40, 0.25, 0.30, 0.35] you gave 1: epochs count from 1, so the lowest is epoch 2 (np.argmin gives 1, add 1).")
    if got == 4:
        return _failed(exercise, "you followed the training loss, which keeps falling; use history['val_loss'].")
    cases = [
        ((first,), 2),
        (({"loss": [0.3, 0.2, 0.1], "val_loss": [0.3, 0.2, 0.1]},), 3),
        (({"loss": [0.9] * 5, "val_loss": [0.2, 0.3, 0.4, 0.5, 0.6]},), 1),
    ]
    return check_function(exercise, function, cases)


#: The mean training loss of a fresh run's first epoch is above this: it starts at ln 10 = 2.30
#: (ten equally likely digits). A network continued from a trained one starts far below it.
FRESH_FIRST_LOSS = 0.5


def _counts_of(values: np.ndarray, count: int) -> bool:
    """Whether every accuracy is a whole number of images out of `count` (float32 rounding allowed)."""
    scaled = np.asarray(values, dtype=np.float64) * count
    return bool(np.all(np.abs(scaled - np.round(scaled)) <= 0.02))


@_guard("Two learning rates")
def check_learning_rate_histories(
    histories: Any, rates: tuple[float, ...] = (1e-3, 1e-2), *, epochs: int = 3, n_fit: int = 5000,
    n_val: int = 1000,
) -> CheckResult:
    """Exercise 5.4: a dict {learning rate: history} with one run per rate, each fitted with
    validation, and runs that differ as two rates ten times apart make them differ.

    What a history alone can tell is checked too: `epochs` epochs; accuracies that are whole
    counts out of `n_fit` training and `n_val` validation images (so the runs used the asked-for
    subset: on all the data they almost never are); and a fresh start, a first epoch whose mean
    training loss is above `FRESH_FIRST_LOSS` (a network continued from a trained one starts far
    below it)."""
    exercise = "Two learning rates"
    if histories is None or histories is Ellipsis:
        return _not_done(exercise)
    if not isinstance(histories, dict):
        return _failed(exercise, f"expected a dict {{learning rate: history}}, got {_describe(histories)}.")
    odd = [k for k in histories if isinstance(k, (bool, str, bytes)) or not isinstance(k, (int, float, np.number))]
    if odd:
        return _failed(exercise, f"the keys should be the learning rates as numbers, e.g. 0.001; got {odd[0]!r} "
                                 f"({type(odd[0]).__name__}).")
    if sorted(float(k) for k in histories) != sorted(rates):
        return _failed(exercise, f"expected the learning rates {list(rates)} as keys, got {sorted(histories)}.")
    curves: dict[float, np.ndarray] = {}
    logged: dict[float, dict[str, np.ndarray]] = {}
    for rate, history in histories.items():
        logs = getattr(history, "history", history)
        if not isinstance(logs, dict):
            return _failed(exercise, f"the history for {rate} should be a dict of lists, got {_describe(history)}.")
        missing = [k for k in ("loss", "val_loss", "accuracy", "val_accuracy") if k not in logs]
        if missing:
            return _failed(exercise, f"the history for {rate} lacks {missing}: fit with validation data and metrics=['accuracy'].")
        single = [k for k in ("loss", "val_loss", "accuracy", "val_accuracy") if isinstance(logs[k], (int, float, np.number))]
        if single:
            return _failed(exercise, f"the history for {rate} holds a single number for {single[0]!r}, where one value "
                                     "per epoch is expected: model.evaluate gives single numbers, fit gives the history.")
        try:
            values = [np.asarray(logs[k], dtype=float) for k in ("loss", "val_loss", "accuracy", "val_accuracy")]
        except (TypeError, ValueError):
            return _failed(exercise, f"the history for {rate} should hold lists of numbers, one per epoch.")
        if len({v.shape for v in values}) != 1 or values[0].ndim != 1 or len(values[0]) < 2:
            return _failed(exercise, f"the history for {rate} should have one value per epoch, at least 2 epochs.")
        if not all(np.all(np.isfinite(v)) for v in values):
            return _failed(exercise, f"the run with learning rate {rate} diverged (a NaN or infinite loss).")
        curves[float(rate)] = np.concatenate(values[:2])
        logged[float(rate)] = dict(zip(("loss", "val_loss", "accuracy", "val_accuracy"), values, strict=True))
    lengths = sorted({len(c) // 2 for c in curves.values()})
    if len(lengths) != 1:
        return _failed(exercise, f"train both runs for the same number of epochs to compare them; got {lengths}.")
    if lengths[0] != epochs:
        return _failed(exercise, f"the runs have {lengths[0]} epochs each; the exercise asks for {epochs} "
                                 "(dataclasses.replace(SEED_RECIPE, epochs=..., ...)).")
    for rate, logs in sorted(logged.items()):
        for key, count in (("accuracy", n_fit), ("val_accuracy", n_val)):
            if not _counts_of(logs[key], count):
                return _failed(exercise, f"the run at {rate:g} has {key.replace('_', ' ')} values that are not "
                                         f"counts out of {count:,} images: train on the first {n_fit:,} images of "
                                         f"x_fit and validate on the first {n_val:,} of x_val (small_data), "
                                         "not on all of them.")
    for rate, logs in sorted(logged.items()):
        if logs["loss"][0] < FRESH_FIRST_LOSS:
            return _failed(exercise, f"the run at {rate:g} starts with a first-epoch training loss of "
                                     f"{logs['loss'][0]:.3f}, as low as a network that was trained already: "
                                     "each run must start from a new, untrained network (fit_recipe builds "
                                     "one), not continue the chapter's model or the other run.")
    low, high = (curves[r] for r in sorted(curves))
    # Two rates ten times apart move the weights by steps ten times apart: their losses part
    # by far more than the percent or so that separates two runs at one rate.
    if np.max(np.abs(low - high) / np.maximum(np.abs(low), 1e-12)) < 0.01:
        return _failed(exercise, "the two runs have the same losses, epoch by epoch, within 1 %: were both trained "
                                 "at the same rate? Give each run its own learning_rate.")
    return _passed(exercise, f"{len(histories)} runs of {lengths[0]} epochs each, ready to compare.")
