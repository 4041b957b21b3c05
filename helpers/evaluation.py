"""Judging a classifier: confusion matrix, per-class scores and its mistakes (chapter 6).

Plain NumPy on arrays of labels and probabilities, so it works for any model; a wrong input
gets a sentence saying what was expected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from helpers import _validate as _v
from helpers._validate import ConfusionMatrix, Count, Fraction, Labels, Mask, Probabilities, accepts

if TYPE_CHECKING:
    import pandas as pd

N_CLASSES = 10


#: The checks of a model's outputs (chapter 6): `check_probabilities(p)` returns an (n, 10)
#: float array whose rows sum to 1, `check_confusion_matrix(cm)` a 10x10 int table of counts.
check_probabilities = _v.probabilities
check_confusion_matrix = _v.confusion


@accepts(probabilities=Probabilities(nonempty=True))
def predicted_classes(probabilities: np.ndarray) -> np.ndarray:
    """The most probable class of each row: ``np.argmax(probabilities, axis=1)`` (chapter 6)."""
    return np.argmax(probabilities, axis=1).astype(np.int64)


@accepts(y_true=Labels(nonempty=True), y_pred=Labels())
def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """The 10x10 confusion matrix: entry [i, j] counts images of digit i predicted as j (chapter 6).

    Rows are true classes, columns predictions; the diagonal holds the correct predictions.
    """
    _v.equal_length(y_true, y_pred, "y_true and y_pred")
    flat = np.bincount(y_true * N_CLASSES + y_pred, minlength=N_CLASSES * N_CLASSES)
    return flat.reshape(N_CLASSES, N_CLASSES).astype(np.int64)


@accepts(cm=ConfusionMatrix())
def normalize_rows(cm: np.ndarray) -> np.ndarray:
    """Divide each row by its total: entry [i, j] becomes the share of digit i predicted as j
    (chapter 6); a row with no images stays all zeros."""
    totals = cm.sum(axis=1, keepdims=True)
    return np.divide(cm, totals, out=np.zeros(cm.shape), where=totals > 0)


@accepts(cm=ConfusionMatrix())
def per_class_scores(cm: np.ndarray) -> dict[str, np.ndarray]:
    """Precision, recall, F1 and support of each digit, from a confusion matrix (chapter 6).

    precision[k]: of the images predicted k, the share that are k (column k).
    recall[k]: of the images that are k, the share predicted k (row k).
    f1[k]: their harmonic mean. support[k]: how many images are k. A score of 0 / 0 is 0.
    """
    correct = np.diag(cm).astype(float)
    predicted, actual = cm.sum(axis=0), cm.sum(axis=1)
    precision = np.divide(correct, predicted, out=np.zeros(N_CLASSES), where=predicted > 0)
    recall = np.divide(correct, actual, out=np.zeros(N_CLASSES), where=actual > 0)
    both = precision + recall
    f1 = np.divide(2 * precision * recall, both, out=np.zeros(N_CLASSES), where=both > 0)
    return {"precision": precision, "recall": recall, "f1": f1, "support": actual}


def scores_table(cm: np.ndarray) -> pd.DataFrame:
    """Per-class precision, recall, F1 and support as a pandas table, one row per digit (chapter 6)."""
    import pandas as pd

    table = pd.DataFrame(per_class_scores(cm))
    table.index.name = "digit"
    table["support"] = table["support"].astype(int)
    return table


@accepts(cm=ConfusionMatrix(), k=Count("pairs"))
def most_confused_pairs(cm: np.ndarray, k: int = 5) -> list[tuple[int, int, int]]:
    """The `k` largest off-diagonal entries as (true digit, predicted digit, count), largest
    first, ties by true then predicted digit; pairs never confused are left out (chapter 6)."""
    pairs = [
        (int(i), int(j), int(cm[i, j]))
        for i in range(N_CLASSES)
        for j in range(N_CLASSES)
        if i != j and cm[i, j] > 0
    ]
    return sorted(pairs, key=lambda pair: (-pair[2], pair[0], pair[1]))[:k]


@accepts(y_true=Labels(), y_pred=Labels())
def misclassified_indices(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Positions of the images whose prediction differs from the label, in order (chapter 6)."""
    _v.equal_length(y_true, y_pred, "y_true and y_pred")
    return np.flatnonzero(y_true != y_pred)


@accepts(y_true=Labels(nonempty=True), probabilities=Probabilities(), k=Count("mistakes"))
def most_confident_mistakes(y_true: np.ndarray, probabilities: np.ndarray, k: int = 8) -> np.ndarray:
    """Indices of the `k` wrong predictions the model was surest of (the highest probability of
    the predicted class), surest first (chapter 6)."""
    _v.equal_length(y_true, probabilities, "y_true and probabilities")
    wrong = misclassified_indices(y_true, np.argmax(probabilities, axis=1))
    confidence = probabilities[wrong].max(axis=1)
    order = np.argsort(-confidence, kind="stable")
    return wrong[order[:k]]


@accepts(level=Fraction())
def accuracy_interval(n_correct: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for an accuracy of `n_correct` out of `n` (chapters 6 and 7).

    Returns (low, high) as fractions in [0, 1]: the range of true accuracies that the
    observed count supports at confidence `level` (0.95: about 1.96 standard errors).
    """
    from statistics import NormalDist

    for value in (n_correct, n):
        if (isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, float, np.floating))
                or not np.isfinite(value) or int(value) != value):
            raise TypeError(f"n_correct and n should be whole numbers of images; got {n_correct!r} and {n!r}.")
    if n < 1 or not 0 <= n_correct <= n:
        raise ValueError(f"n_correct and n should satisfy 0 <= n_correct <= n and n >= 1; got n_correct={n_correct}, n={n}.")
    z = NormalDist().inv_cdf(0.5 + level / 2)
    p = n_correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low = 0.0 if n_correct == 0 else max(0.0, centre - half)
    high = 1.0 if n_correct == n else min(1.0, centre + half)
    return float(low), float(high)


@accepts(correct_a=Mask(), correct_b=Mask())
def mcnemar_exact(correct_a: np.ndarray, correct_b: np.ndarray) -> dict[str, float | int]:
    """McNemar's exact test of two models on the same images (chapter 7).

    `correct_a` and `correct_b` say whether model A and model B got each image right. Only
    the images where they disagree carry evidence: `a_only` (A right, B wrong) and `b_only`.
    If the models were equally good, each would be a fair coin, so the two-sided `p_value` is
    the chance of a split at least this uneven in `a_only + b_only` tosses (exact binomial).
    """
    from math import comb

    _v.equal_length(correct_a, correct_b, "correct_a and correct_b")
    a_only = int((correct_a & ~correct_b).sum())
    b_only = int((correct_b & ~correct_a).sum())
    n = a_only + b_only
    tail = sum(comb(n, k) for k in range(min(a_only, b_only) + 1)) / 2**n
    return {"a_only": a_only, "b_only": b_only, "p_value": float(min(1.0, 2 * tail))}
