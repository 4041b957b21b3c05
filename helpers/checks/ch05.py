"""Chapter 5's exercise checks (training): call one right under your answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.checks.core import (
    CheckResult,
    _call,
    _describe,
    _failed,
    _not_done,
    _passed,
    check_function,
)


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
    return _failed(exercise, f"expected 'categorical_crossentropy', got {_describe(answer)}. {hints.get(key, '')}".strip())


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


def check_learning_rate_histories(histories: Any, rates: tuple[float, ...] = (1e-3, 1e-2)) -> CheckResult:
    """Exercise 5.4: a dict {learning rate: history} with one run per rate, each fitted with validation."""
    exercise = "Two learning rates"
    if histories is None or histories is Ellipsis:
        return _not_done(exercise)
    if not isinstance(histories, dict):
        return _failed(exercise, f"expected a dict {{learning rate: history}}, got {_describe(histories)}.")
    if sorted(float(k) for k in histories) != sorted(rates):
        return _failed(exercise, f"expected the learning rates {list(rates)} as keys, got {sorted(histories)}.")
    lengths = set()
    for rate, history in histories.items():
        logs = getattr(history, "history", history)
        if not isinstance(logs, dict):
            return _failed(exercise, f"the history for {rate} should be a dict of lists, got {_describe(history)}.")
        missing = [k for k in ("loss", "val_loss", "accuracy", "val_accuracy") if k not in logs]
        if missing:
            return _failed(exercise, f"the history for {rate} lacks {missing}: fit with validation data and metrics=['accuracy'].")
        values = [np.asarray(logs[k], dtype=float) for k in ("loss", "val_loss", "accuracy", "val_accuracy")]
        if len({len(v) for v in values}) != 1 or len(values[0]) < 2:
            return _failed(exercise, f"the history for {rate} should have one value per epoch, at least 2 epochs.")
        if not all(np.all(np.isfinite(v)) for v in values):
            return _failed(exercise, f"the run with learning rate {rate} diverged (a NaN or infinite loss).")
        lengths.add(len(values[0]))
    if len(lengths) != 1:
        return _failed(exercise, f"train both runs for the same number of epochs to compare them; got {sorted(lengths)}.")
    return _passed(exercise, f"{len(histories)} runs of {lengths.pop()} epochs each, ready to compare.")
