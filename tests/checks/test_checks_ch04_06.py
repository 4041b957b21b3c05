"""The exercise checks of chapters 4-6 pass right answers and explain wrong ones."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import checks
from helpers.evaluation import most_confused_pairs, per_class_scores


@pytest.fixture(autouse=True)
def _lenient(monkeypatch):
    """Checks print and return; they raise only in strict mode, tested separately."""
    monkeypatch.delenv(checks.STRICT_ENV_VAR, raising=False)


def _verdict(capsys, result):
    out = capsys.readouterr().out
    return bool(result), out


def test_param_count_right_and_the_usual_slips(capsys):
    assert _verdict(capsys, checks.check_params_with_filters(60_554))[0]
    ok, out = _verdict(capsys, checks.check_params_with_filters(60_554 - 64))
    assert not ok and "off by 64" in out.lower() and "biases" in out
    ok, out = _verdict(capsys, checks.check_params_with_filters(56_452))
    assert not ok and "original network" in out
    ok, out = _verdict(capsys, checks.check_params_with_filters(56_452 + 70))  # only conv2d_1 updated
    assert not ok and "conv2d_2 now sees more input channels" in out
    ok, out = _verdict(capsys, checks.check_params_with_filters(60_554 - 234))
    assert not ok and "every bias" in out
    ok, out = _verdict(capsys, checks.check_params_with_filters("60554"))
    assert not ok and "single number" in out
    ok, out = _verdict(capsys, checks.check_params_with_filters(None))
    assert not ok and "NotImplementedError" in out


def test_param_count_follows_the_filters_asked_for(capsys):
    from helpers.models import build_seed_cnn

    assert checks.check_params_with_filters(build_seed_cnn((8, 16, 16)).count_params(), filters=(8, 16, 16))


def _same_padding(conv_padding=("same", "same", "same"), pool_padding="valid", with_input=True):
    import keras
    from keras import layers

    stack = [keras.Input((28, 28, 1))] if with_input else []
    for filters, padding in zip((25, 64, 64), conv_padding, strict=True):
        stack += [layers.Conv2D(filters, (3, 3), activation="relu", padding=padding),
                  layers.MaxPooling2D((2, 2), padding=pool_padding)]
    stack += [layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")]
    return keras.Sequential(stack)


def test_same_padding_model(capsys):
    assert checks.check_same_padding_model(_same_padding)
    ok, out = _verdict(capsys, checks.check_same_padding_model(lambda: _same_padding(("same", "valid", "same"))))
    assert not ok and "layer 3 (Conv2D)" in out and 'padding="same"' in out
    ok, out = _verdict(capsys, checks.check_same_padding_model(lambda: _same_padding(pool_padding="same")))
    assert not ok and "Leave the pooling layers" in out
    ok, out = _verdict(capsys, checks.check_same_padding_model(lambda: _same_padding(with_input=False)))
    assert not ok and "keras.Input" in out
    ok, out = _verdict(capsys, checks.check_same_padding_model(lambda: "a model"))
    assert not ok and "Keras model" in out


def test_dense_without_last_pool(capsys):
    assert checks.check_dense_without_last_pool(36_928)
    for wrong, phrase in [(36_864, "biases"), (4_160, "with the pooling"), (576, "number of inputs"), (12, "Flatten now passes")]:
        ok, out = _verdict(capsys, checks.check_dense_without_last_pool(wrong))
        assert not ok and phrase in out, wrong


def test_loss_for_one_hot(capsys):
    import keras

    for right in ("categorical_crossentropy", "CategoricalCrossentropy", keras.losses.CategoricalCrossentropy()):
        assert checks.check_loss_for_one_hot(right), right
    ok, out = _verdict(capsys, checks.check_loss_for_one_hot("sparse_categorical_crossentropy"))
    assert not ok and "integer label" in out
    ok, out = _verdict(capsys, checks.check_loss_for_one_hot("binary_crossentropy"))
    assert not ok and "yes/no" in out


def test_cross_entropy(capsys):
    def right(p, labels):
        return float(-np.mean(np.log(p[np.arange(len(labels)), labels])))

    assert checks.check_cross_entropy(right)
    ok, out = _verdict(capsys, checks.check_cross_entropy(lambda p, labels: -right(p, labels)))
    assert not ok and "sign" in out
    ok, out = _verdict(capsys, checks.check_cross_entropy(lambda p, labels: -np.log(p[np.arange(len(labels)), labels])))
    assert not ok and "one number" in out
    ok, out = _verdict(capsys, checks.check_cross_entropy(lambda p, labels: float(-np.mean(np.log(p[:, 0])))))
    assert not ok and "expected" in out


def test_best_epoch(capsys):
    assert checks.check_best_epoch(lambda h: int(np.argmin(h["val_loss"])) + 1)
    ok, out = _verdict(capsys, checks.check_best_epoch(lambda h: int(np.argmin(h["val_loss"]))))
    assert not ok and "count from 1" in out
    ok, out = _verdict(capsys, checks.check_best_epoch(lambda h: int(np.argmin(h["loss"])) + 1))
    assert not ok and "training loss" in out


def _history(epochs=3, loss=0.9):
    return {k: [loss] * epochs for k in ("loss", "val_loss", "accuracy", "val_accuracy")}


def test_learning_rate_histories(capsys):
    assert checks.check_learning_rate_histories({0.001: _history(), 0.01: _history(loss=1.5)})
    for wrong, phrase in [
        ({0.001: _history(), 0.01: _history()}, "same rate"),
        ({"0.001": _history(), "0.01": _history(loss=1.5)}, "as numbers"),
        ({0.001: {k: 0.3 for k in ("loss", "val_loss", "accuracy", "val_accuracy")}, 0.01: _history()}, "single number"),
        ({0.001: None, 0.01: _history()}, "dict of lists"),
        ({0.001: {"loss": [[1, 2], [3]], "val_loss": [1], "accuracy": [1], "val_accuracy": [1]}, 0.01: _history()}, "lists of numbers"),
        ([_history(), _history()], "dict"),
        ({0.001: _history()}, "learning rates"),
        ({0.001: _history(), 0.01: {"loss": [1, 2]}}, "lacks"),
        ({0.001: _history(), 0.01: _history(loss=float("nan"))}, "diverged"),
        ({0.001: _history(2), 0.01: _history(3)}, "same number of epochs"),
    ]:
        ok, out = _verdict(capsys, checks.check_learning_rate_histories(wrong))
        assert not ok and phrase in out, wrong


def _cm():
    cm = np.diag(np.full(10, 300))
    cm[2, 7], cm[7, 2], cm[5, 3] = 9, 4, 6
    return cm


def test_most_confused_pair(capsys):
    def right(cm):
        true, predicted, _ = most_confused_pairs(cm, k=1)[0]
        return true, predicted

    assert checks.check_most_confused_pair(right)
    ok, out = _verdict(capsys, checks.check_most_confused_pair(lambda cm: np.unravel_index(np.argmax(cm), cm.shape)))
    assert not ok and "diagonal" in out
    ok, out = _verdict(capsys, checks.check_most_confused_pair(lambda cm: right(cm)[::-1]))
    assert not ok and "rows are true digits" in out
    ok, out = _verdict(capsys, checks.check_most_confused_pair(lambda cm: 4))
    assert not ok and "pair" in out


def test_precision_recall(capsys):
    def right(cm, digit):
        scores = per_class_scores(cm)
        return float(scores["precision"][digit]), float(scores["recall"][digit])

    assert checks.check_precision_recall(right)
    ok, out = _verdict(capsys, checks.check_precision_recall(lambda cm, d: right(cm, d)[::-1]))
    assert not ok and "swapped" in out


def test_top2_accuracy(capsys):
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(10), 200)
    labels = rng.integers(0, 10, 200)
    top2 = np.mean([label in np.argsort(p)[-2:] for p, label in zip(probs, labels, strict=True)])
    top1 = np.mean(probs.argmax(1) == labels)
    assert checks.check_top2_accuracy(top2, probs, labels)
    ok, out = _verdict(capsys, checks.check_top2_accuracy(top1, probs, labels))
    assert not ok and "top-1" in out
    ok, out = _verdict(capsys, checks.check_top2_accuracy(top2 * 200, probs, labels))
    assert not ok and "fraction" in out


def overfits(history):
    best = int(np.argmin(history["val_loss"]))
    return bool(history["val_loss"][-1] > 1.05 * history["val_loss"][best] and history["loss"][-1] < history["loss"][best])


def test_overfitting(capsys):
    """The rule of chapter 6's exercise passes; a gap alone, noise, a diverging run are not overfitting."""
    assert checks.check_overfitting(overfits)
    assert checks.check_overfitting(lambda h: np.bool_(overfits(h)))  # a NumPy bool is a bool too
    ok, out = _verdict(capsys, checks.check_overfitting(lambda h: h["val_loss"][-1] > h["loss"][-1]))
    assert not ok and "gap" in out
    ok, out = _verdict(capsys, checks.check_overfitting(lambda h: h["val_loss"][-1] > 1.05 * min(h["val_loss"])))
    assert not ok and "training loss got worse too" in out
    ok, out = _verdict(capsys, checks.check_overfitting(lambda h: "yes"))
    assert not ok and "True or False" in out


def test_strict_mode_raises_on_a_wrong_answer(monkeypatch):
    monkeypatch.setenv(checks.STRICT_ENV_VAR, "1")
    with pytest.raises(checks.CheckFailed):
        checks.check_dense_without_last_pool(36_864)
