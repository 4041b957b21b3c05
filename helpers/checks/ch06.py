"""Chapter 6's exercise checks (predicting and evaluating): call one right under your answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.checks.core import (
    CheckResult,
    _call,
    _describe,
    _failed,
    _guard,
    _num,
    check_function,
    check_number,
)


@_guard("Most-confused pair")
def check_most_confused_pair(function: Callable[[np.ndarray], tuple[int, int]]) -> CheckResult:
    """Exercise 6.1: `function(cm)` is (true digit, predicted digit) of the largest off-diagonal entry."""
    exercise = "Most-confused pair"
    cm = np.diag(np.full(10, 900))
    cm[4, 9], cm[9, 4], cm[7, 2], cm[3, 5] = 11, 6, 8, 9
    ok, got = _call(exercise, function, cm)
    if not ok:
        return got
    try:
        pair = tuple(int(v) for v in got)
    except (TypeError, ValueError):
        return _failed(exercise, f"expected a pair (true digit, predicted digit), got {_describe(got)}.")
    if len(pair) == 2 and pair[0] == pair[1]:
        return _failed(exercise, f"you returned {pair}, a diagonal cell: those are correct predictions. Ignore the diagonal.")
    if pair == (9, 4):
        return _failed(exercise, "you returned (9, 4) where the answer is (4, 9): rows are true digits, columns predictions.")
    other = np.diag(np.full(10, 50))
    other[0, 6], other[6, 0], other[8, 3] = 2, 3, 1
    return check_function(exercise, function, [((cm,), (4, 9)), ((other,), (6, 0))])


@_guard("Precision and recall")
def check_precision_recall(function: Callable[[np.ndarray, int], tuple[float, float]]) -> CheckResult:
    """Exercise 6.2: `function(cm, digit)` is (precision, recall) of `digit`."""
    exercise = "Precision and recall"
    cm = np.diag(np.full(10, 90))
    cm[3, 5], cm[5, 3], cm[8, 3] = 10, 4, 6  # digit 3: 90 right, 10 missed, 10 false alarms
    cm[7, 7] = 80
    ok, got = _call(exercise, function, cm, 5)
    if not ok:
        return got
    precision, recall = 90 / 100, 90 / 94
    if np.shape(got) == (2,) and np.allclose(np.asarray(got, dtype=float), [recall, precision]):
        return _failed(exercise, "precision and recall are swapped: precision reads a column (what was predicted k), recall a row (what is k).")
    return check_function(exercise, function, [((cm, 5), (precision, recall)), ((cm, 3), (90 / 100, 90 / 100)), ((cm, 7), (1.0, 1.0))])


@_guard("Top-2 accuracy")
def check_top2_accuracy(answer: Any, probabilities: np.ndarray, labels: np.ndarray) -> CheckResult:
    """Exercise 6.3: the share of images whose true digit is among the model's two most probable."""
    exercise = "Top-2 accuracy"
    probabilities, labels = np.asarray(probabilities), np.asarray(labels)
    top2 = np.argsort(probabilities, axis=1)[:, -2:]
    expected = float(np.mean(np.any(top2 == labels[:, None], axis=1)))
    top1 = float(np.mean(np.argmax(probabilities, axis=1) == labels))
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool):
        if abs(float(answer) - top1) < 1e-9 and top1 != expected:
            return _failed(exercise, f"{float(answer):.4f} is the ordinary (top-1) accuracy; count an image as right when its label is either of the two most probable digits.")
        if float(answer) > 1:
            return _failed(exercise, f"expected a fraction between 0 and 1, got {_num(answer)}; divide the count by the number of images.")
    return check_number(exercise, answer, expected, tol=1e-6, hint="Take the two largest probabilities of each row (np.argsort), count the rows whose label is one of them, divide by the number of rows.")


#: Histories for the overfitting exercise: (history, does it overfit in the curve's sense?).
#: A gap alone (chapter 5's kind of run), a clear rise, a rise within 5 % (noise), a run whose
#: training loss got worse too (diverging, not overfitting), a rise of 10 % that is only
#: 0.03 in absolute terms, and a rise of 7 % measured from the lowest epoch (not the one after).
OVERFITTING_CASES: list[tuple[dict[str, list[float]], bool]] = [
    ({"loss": [0.30, 0.10, 0.06, 0.04, 0.03], "val_loss": [0.10, 0.07, 0.06, 0.055, 0.054]}, False),
    ({"loss": [1.0, 0.5, 0.2, 0.05, 0.01, 0.005], "val_loss": [0.9, 0.5, 0.35, 0.40, 0.45, 0.50]}, True),
    ({"loss": [0.5, 0.3, 0.2, 0.15, 0.1], "val_loss": [0.40, 0.30, 0.25, 0.258, 0.2575]}, False),
    ({"loss": [0.5, 0.3, 0.2, 0.4, 0.6], "val_loss": [0.45, 0.35, 0.30, 0.50, 0.70]}, False),
    ({"loss": [0.4, 0.2, 0.1, 0.05], "val_loss": [0.5, 0.30, 0.31, 0.33]}, True),
    ({"loss": [0.4, 0.2, 0.1, 0.05], "val_loss": [0.5, 0.30, 0.40, 0.32]}, True),
]


@_guard("Overfitting, or only a gap?")
def check_overfitting(function: Callable[[dict], bool]) -> CheckResult:
    """Exercise 6.4: `function(history)` is True when the run overfits in the curve's sense:
    at the last epoch the validation loss is more than 5 % above its lowest value and the
    training loss is below its value at that lowest epoch."""
    exercise = "Overfitting, or only a gap?"
    hints = [
        (0, True, "a gap between the training and the validation loss is not overfitting by itself "
                  "(chapter 5's run has one): ask whether the validation loss rose from its lowest value."),
        (2, True, "a validation loss 3 % above its lowest value is noise, not yet overfitting: "
                  "count it only when it is more than 5 % above."),
        (3, True, "here the training loss got worse too: the training itself failed (a learning rate "
                  "too large, say); overfitting is validation worse while training still improves."),
        (1, False, "the validation loss rose from 0.35 to 0.50 while the training loss kept falling: "
                   "compare the last epoch with the epoch of the LOWEST validation loss, not the first."),
        (4, False, "a rise from 0.30 to 0.33 is 10 %: measure the rise relative to the lowest value "
                   "(more than 5 % above it), not in absolute terms."),
    ]
    for case, wrong, hint in hints:
        history = {key: list(values) for key, values in OVERFITTING_CASES[case][0].items()}
        ok, got = _call(exercise, function, history)
        if not ok:
            return got
        if not isinstance(got, (bool, np.bool_)):
            return _failed(exercise, f"expected True or False, got {_describe(got)}.")
        if bool(got) == wrong:
            return _failed(exercise, hint)
    return check_function(exercise, function, [((dict(h),), expected) for h, expected in OVERFITTING_CASES])
