"""helpers.evaluation: the confusion matrix and the scores chapter 6 reads from it."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import evaluation as ev


def _probabilities(predicted: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """Rows that give `confidence` to `predicted` and share the rest equally."""
    rows = np.repeat(((1 - confidence) / 9)[:, None], 10, axis=1)
    rows[np.arange(len(predicted)), predicted] = confidence
    return rows


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    y_true = np.array([0, 0, 1, 2, 2, 2, 9])
    y_pred = np.array([0, 6, 1, 2, 7, 2, 4])
    cm = ev.confusion_matrix(y_true, y_pred)
    assert cm.shape == (10, 10) and cm.dtype == np.int64
    assert cm[0, 0] == 1 and cm[0, 6] == 1 and cm[2, 2] == 2 and cm[2, 7] == 1 and cm[9, 4] == 1
    assert cm.sum() == len(y_true)
    assert np.trace(cm) == np.sum(y_true == y_pred)


def test_confusion_matrix_matches_a_plain_loop(rng):
    y_true, y_pred = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    loop = np.zeros((10, 10), dtype=int)
    for t, p in zip(y_true, y_pred, strict=True):
        loop[t, p] += 1
    np.testing.assert_array_equal(ev.confusion_matrix(y_true, y_pred), loop)


@pytest.mark.parametrize(
    ("y_true", "y_pred", "message"),
    [
        ([1, 2, 3], [1, 2], "same length"),
        ([1, 2, 10], [1, 2, 3], "digits 0-9"),
        ([1, 2, -1], [1, 2, 3], "digits 0-9"),
        ([1, 2, 3], np.full((3, 10), 0.1), "argmax"),
        ([1, 2, 3], [0.2, 0.5, 0.3], "whole numbers"),
    ],
)
def test_confusion_matrix_rejects_bad_labels(y_true, y_pred, message):
    with pytest.raises(ValueError, match=message):
        ev.confusion_matrix(np.asarray(y_true), np.asarray(y_pred))


def test_per_class_scores_match_hand_computed_values():
    cm = np.diag(np.full(10, 90))
    cm[3, 5] = 10  # ten 3s read as 5: recall of 3 and precision of 5 drop
    scores = ev.per_class_scores(cm)
    assert scores["recall"][3] == pytest.approx(0.9)
    assert scores["precision"][5] == pytest.approx(0.9)
    assert scores["precision"][3] == pytest.approx(1.0) and scores["recall"][5] == pytest.approx(1.0)
    assert scores["f1"][3] == pytest.approx(2 * 0.9 / 1.9)
    assert list(scores["support"]) == [90, 90, 90, 100, 90, 90, 90, 90, 90, 90]


def test_scores_of_a_digit_never_predicted_are_zero_not_nan():
    cm = np.diag(np.full(10, 10))
    cm[4, 4], cm[4, 9] = 0, 10
    scores = ev.per_class_scores(cm)
    assert scores["precision"][4] == 0 and scores["recall"][4] == 0 and scores["f1"][4] == 0
    assert np.all(np.isfinite(scores["f1"]))


def test_scores_table_has_one_row_per_digit():
    table = ev.scores_table(np.diag(np.full(10, 5)))
    assert list(table.index) == list(range(10))
    assert list(table.columns) == ["precision", "recall", "f1", "support"]
    assert (table["f1"] == 1).all()


def test_normalize_rows_gives_shares_and_keeps_empty_rows_zero():
    cm = np.diag(np.full(10, 4))
    cm[2, 2], cm[2, 3], cm[7, 7] = 3, 1, 0
    shares = ev.normalize_rows(cm)
    assert shares[2, 2] == pytest.approx(0.75) and shares[2, 3] == pytest.approx(0.25)
    assert np.all(shares[7] == 0)
    assert np.allclose(shares[[0, 1, 2, 3]].sum(axis=1), 1)


@pytest.mark.parametrize(
    ("cm", "message"),
    [(np.zeros((9, 9)), r"shape \(10, 10\)"), (-np.eye(10), "non-negative"), (np.eye(10) / 3, "whole")],
)
def test_bad_confusion_matrices_are_rejected(cm, message):
    with pytest.raises(ValueError, match=message):
        ev.per_class_scores(cm)


def test_most_confused_pairs_are_off_diagonal_and_sorted():
    cm = np.diag(np.full(10, 500))
    cm[4, 9], cm[9, 4], cm[7, 2], cm[3, 5] = 11, 6, 8, 8
    assert ev.most_confused_pairs(cm, k=3) == [(4, 9, 11), (3, 5, 8), (7, 2, 8)]
    assert len(ev.most_confused_pairs(cm, k=50)) == 4  # zeros are left out
    with pytest.raises(ValueError, match="positive"):
        ev.most_confused_pairs(cm, k=0)


def test_misclassified_indices_are_where_labels_differ():
    idx = ev.misclassified_indices(np.array([1, 2, 3, 4]), np.array([1, 0, 3, 9]))
    assert list(idx) == [1, 3]


def test_most_confident_mistakes_are_wrong_and_sorted_by_confidence():
    y_true = np.array([0, 1, 2, 3, 4, 5])
    predicted = np.array([0, 7, 2, 8, 9, 5])
    probs = _probabilities(predicted, np.array([0.99, 0.6, 0.95, 0.9, 0.7, 0.999]))
    assert list(ev.most_confident_mistakes(y_true, probs, k=2)) == [3, 4]
    assert list(ev.most_confident_mistakes(y_true, probs, k=10)) == [3, 4, 1]


def test_probabilities_are_checked():
    with pytest.raises(ValueError, match=r"shape \(n, 10\)"):
        ev.check_probabilities(np.full((3, 9), 1 / 9))
    with pytest.raises(ValueError, match="look like labels"):
        ev.check_probabilities(np.array([1, 2, 3]))
    with pytest.raises(ValueError, match="sum to 1"):
        ev.check_probabilities(np.full((2, 10), 0.2))
    with pytest.raises(ValueError, match="logits"):
        ev.check_probabilities(np.full((2, 10), 3.0))
    with pytest.raises(ValueError, match="same length"):
        ev.most_confident_mistakes(np.array([1, 2]), np.full((3, 10), 0.1))
    assert list(ev.predicted_classes(_probabilities(np.array([3, 8]), np.array([0.5, 0.9])))) == [3, 8]


def test_accuracy_interval_at_the_books_accuracy():
    low, high = ev.accuracy_interval(9_860, 10_000)
    assert low < 0.986 < high
    assert (high - low) / 2 == pytest.approx(0.0023, abs=0.0001)  # about ±0.23 points
    normal = 1.96 * np.sqrt(0.986 * 0.014 / 10_000)  # the normal approximation agrees here
    assert (high - low) / 2 == pytest.approx(normal, rel=0.02)


def test_accuracy_interval_stays_in_unit_range_and_narrows_with_more_images():
    assert ev.accuracy_interval(10, 10)[1] == 1.0 and ev.accuracy_interval(10, 10)[0] < 1.0
    assert ev.accuracy_interval(0, 10)[0] == 0.0 and ev.accuracy_interval(0, 10)[1] > 0.0
    small, large = ev.accuracy_interval(98, 100), ev.accuracy_interval(9_800, 10_000)
    assert large[1] - large[0] < (small[1] - small[0]) / 5


@pytest.mark.parametrize(
    ("correct", "total", "message"),
    [(11, 10, "0 <= n_correct <= n"), (5, 0, "n >= 1"), (0.98, 1, "whole numbers"), (True, 1, "whole numbers")],
)
def test_accuracy_interval_rejects_bad_counts(correct, total, message):
    with pytest.raises((ValueError, TypeError), match=message):
        ev.accuracy_interval(correct, total)
