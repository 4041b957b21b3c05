"""Bad inputs to helpers.evaluation: NaN probabilities and confusion matrices named by index,
labels of the wrong kind, counts that are not whole, empty or mismatched arrays."""

from __future__ import annotations

import numpy as np
import pytest
from bad_inputs import expect

from helpers import evaluation as ev

P = np.full((4, 10), 0.1)
P_NAN = P.copy()
P_NAN[2, 7] = np.nan
P_INF = P.copy()
P_INF[0, 0] = np.inf
CM = np.diag(np.full(10, 5))
CM_NAN = CM.astype(float)
CM_NAN[3, 4] = np.nan
Y = np.array([0, 1, 2, 3])

CASES = [
    # check_probabilities and predicted_classes
    ("probabilities NaN", lambda: ev.check_probabilities(P_NAN), ValueError, r"contains NaN at index \(2, 7\)"),
    ("probabilities inf", lambda: ev.check_probabilities(P_INF), ValueError, r"contains infinity at index \(0, 0\)"),
    ("probabilities labels", lambda: ev.check_probabilities(Y), ValueError, r"look like labels"),
    ("probabilities int", lambda: ev.check_probabilities(np.eye(10, dtype=int)), ValueError, r"floats in \[0, 1\]"),
    ("probabilities logits", lambda: ev.check_probabilities(P * 30), ValueError, r"logits\? apply a softmax"),
    ("probabilities sums", lambda: ev.check_probabilities(P * 0.5), ValueError, r"row 0 sums to 0\.5"),
    ("probabilities None", lambda: ev.check_probabilities(None), TypeError, r"array of numbers; got None"),
    ("probabilities ragged", lambda: ev.check_probabilities([[0.5, 0.5], [1.0]]), ValueError, r"different lengths"),
    ("probabilities pair", lambda: ev.check_probabilities((_model(), {})), TypeError, r"unpack it: model, history"),
    ("probabilities model", lambda: ev.check_probabilities(_model()), TypeError, r"model\.predict"),
    ("predicted empty", lambda: ev.predicted_classes(np.zeros((0, 10))), ValueError, r"probabilities should hold at least one row; got an empty array of shape \(0, 10\)"),
    ("predicted NaN", lambda: ev.predicted_classes(P_NAN), ValueError, r"NaN at index \(2, 7\)"),
    # confusion_matrix
    ("cm lengths", lambda: ev.confusion_matrix(Y, Y[:3]), ValueError, r"same length; got 4 and 3"),
    ("cm empty", lambda: ev.confusion_matrix([], []), ValueError, r"y_true should hold at least one label; got an empty"),
    ("cm float labels", lambda: ev.confusion_matrix([0.5, 1], [0, 1]), ValueError, r"whole numbers 0-9; got 0\.5"),
    ("cm NaN labels", lambda: ev.confusion_matrix([np.nan, 1.0], [0, 1]), ValueError, r"y_true contains NaN at index 0"),
    ("cm one-hot", lambda: ev.confusion_matrix(np.eye(10)[Y], Y), ValueError, r"one-hot"),
    ("cm probabilities", lambda: ev.confusion_matrix(Y, P), ValueError, r"y_pred.*probabilities"),
    ("cm label 10", lambda: ev.confusion_matrix([10, 1], [0, 1]), ValueError, r"y_true should be digits 0-9"),
    ("cm strings", lambda: ev.confusion_matrix(["1", "2"], [1, 2]), ValueError, r"y_true should hold numbers"),
    # check_confusion_matrix and what builds on it
    ("check cm NaN", lambda: ev.check_confusion_matrix(CM_NAN), ValueError, r"contains NaN at index \(3, 4\)"),
    ("check cm shape", lambda: ev.check_confusion_matrix(np.zeros((9, 9))), ValueError, r"shape \(10, 10\)"),
    ("check cm negative", lambda: ev.check_confusion_matrix(-CM), ValueError, r"whole, non-negative counts"),
    ("check cm normalised", lambda: ev.check_confusion_matrix(CM / 5.5), ValueError, r"row-normalised"),
    ("check cm bool", lambda: ev.check_confusion_matrix(CM > 0), ValueError, r"should hold counts"),
    ("check cm None", lambda: ev.check_confusion_matrix(None), TypeError, r"confusion matrix should be an array"),
    ("normalize NaN", lambda: ev.normalize_rows(CM_NAN), ValueError, r"NaN at index \(3, 4\)"),
    ("scores inf", lambda: ev.per_class_scores(np.where(CM > 0, np.inf, 0)), ValueError, r"contains infinity"),
    ("table list", lambda: ev.scores_table([[1, 2]]), ValueError, r"shape \(10, 10\)"),
    # most_confused_pairs
    ("pairs k fraction", lambda: ev.most_confused_pairs(CM, k=2.5), TypeError, r"k should be a whole number"),
    ("pairs k string", lambda: ev.most_confused_pairs(CM, k="5"), TypeError, r"k should be a whole number"),
    ("pairs k None", lambda: ev.most_confused_pairs(CM, k=None), TypeError, r"k should be a whole number.*None"),
    ("pairs k zero", lambda: ev.most_confused_pairs(CM, k=0), ValueError, r"positive number of pairs"),
    ("pairs cm NaN", lambda: ev.most_confused_pairs(CM_NAN), ValueError, r"NaN at index \(3, 4\)"),
    # misclassified_indices, most_confident_mistakes
    ("misclassified lengths", lambda: ev.misclassified_indices(Y, Y[:2]), ValueError, r"same length"),
    ("misclassified float", lambda: ev.misclassified_indices(Y, [0.1, 1, 2, 3]), ValueError, r"y_pred.*whole"),
    ("mistakes k fraction", lambda: ev.most_confident_mistakes(Y, P, k=1.5), TypeError, r"k should be a whole"),
    ("mistakes k negative", lambda: ev.most_confident_mistakes(Y, P, k=-1), ValueError, r"positive number of mistakes"),
    ("mistakes k bool", lambda: ev.most_confident_mistakes(Y, P, k=True), TypeError, r"k should be a whole"),
    ("mistakes NaN", lambda: ev.most_confident_mistakes(Y, P_NAN), ValueError, r"NaN at index \(2, 7\)"),
    ("mistakes swapped", lambda: ev.most_confident_mistakes(P, Y), ValueError, r"y_true.*probabilities"),
    ("mistakes lengths", lambda: ev.most_confident_mistakes(Y[:3], P), ValueError, r"same length"),
    ("mistakes empty", lambda: ev.most_confident_mistakes([], np.zeros((0, 10))), ValueError, r"y_true should hold at least one label"),
    # accuracy_interval
    ("interval None", lambda: ev.accuracy_interval(None, 100), TypeError, r"whole numbers of images"),
    ("interval string", lambda: ev.accuracy_interval("90", 100), TypeError, r"whole numbers of images"),
    ("interval fraction", lambda: ev.accuracy_interval(90.5, 100), TypeError, r"whole numbers of images"),
    ("interval NaN", lambda: ev.accuracy_interval(float("nan"), 100), TypeError, r"whole numbers of images"),
    ("interval bool", lambda: ev.accuracy_interval(True, 100), TypeError, r"whole numbers of images"),
    ("interval above n", lambda: ev.accuracy_interval(101, 100), ValueError, r"n_correct <= n"),
    ("interval n zero", lambda: ev.accuracy_interval(0, 0), ValueError, r"n >= 1"),
    ("interval level 95", lambda: ev.accuracy_interval(90, 100, level=95), ValueError, r"strictly between 0 and 1"),
    ("interval level string", lambda: ev.accuracy_interval(90, 100, level="0.95"), TypeError, r"level should be a number"),
]


def _model():
    from helpers.models import build_seed_cnn

    return build_seed_cnn()


@pytest.mark.parametrize(("call", "kind", "said"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named(call, kind, said):
    expect(call, kind, said)


def test_good_inputs_still_work():
    probabilities = np.eye(10)[[3, 1, 4, 1]] * 0.9 + 0.01
    assert ev.predicted_classes(probabilities.tolist()).tolist() == [3, 1, 4, 1]
    cm = ev.confusion_matrix([3, 1, 4, 1], [3.0, 1.0, 1.0, 1.0])
    assert cm.sum() == 4 and cm[4, 1] == 1
    assert ev.most_confused_pairs(cm, k=np.int64(1)) == [(4, 1, 1)]
    assert ev.most_confident_mistakes([3, 1, 1, 1], probabilities, k=1).tolist() == [2]
    assert ev.normalize_rows(cm.astype(float))[1, 1] == 1.0
    low, high = ev.accuracy_interval(np.int64(9800), 10000.0)
    assert low < 0.98 < high
