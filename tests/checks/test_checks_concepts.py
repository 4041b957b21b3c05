"""The checks of the exercises added with the missing concepts (chapters 1 and 4, and the notes
on chapter 4) pass the right answer and fail the plausible wrong ones, each with a message
that names the slip."""

from __future__ import annotations

import pytest

from helpers import checks
from helpers.checks.ch01 import check_dense_weights_for_maps
from helpers.checks.ch04 import check_one_by_one_params, check_three_stacked_params


@pytest.fixture(autouse=True)
def _lenient(monkeypatch):
    """Checks print and return; they raise only in strict mode, tested elsewhere."""
    monkeypatch.delenv(checks.STRICT_ENV_VAR, raising=False)


def _verdict(capsys, result):
    return bool(result), capsys.readouterr().out


def test_dense_weights_right_answer_passes(capsys):
    assert _verdict(capsys, check_dense_weights_for_maps(784 * 26 * 26 * 25))[0]


@pytest.mark.parametrize(("wrong", "says"), [
    (225, "shares"),                                   # the convolution's own weights
    (784 * 676, "one feature map"),                    # forgot the 25 maps
    (784 * 16_900 + 16_900, "biases"),                 # counted the biases
    (784 * 25, "pixel-output pair"),
    (16_900, "784 pixels"),
    ("13249600", "single number"),
    (784 * 16_900 + 1, "not it"),
])
def test_dense_weights_wrong_answers_fail(capsys, wrong, says):
    ok, out = _verdict(capsys, check_dense_weights_for_maps(wrong))
    assert not ok and says in out


def test_one_by_one_right_answer_passes(capsys):
    assert _verdict(capsys, check_one_by_one_params(2080))[0]


@pytest.mark.parametrize(("wrong", "says"), [
    (2048, "bias"),
    ((3 * 3 * 64 + 1) * 32, "3 × 3 convolution"),
    ((32 + 1) * 64, "swapped"),
    (64, "not it"),
    ([2080], "single number"),
])
def test_one_by_one_wrong_answers_fail(capsys, wrong, says):
    ok, out = _verdict(capsys, check_one_by_one_params(wrong))
    assert not ok and says in out


def test_one_by_one_answer_is_what_keras_counts():
    import keras

    layer = keras.layers.Conv2D(32, (1, 1))
    layer.build((None, 3, 3, 64))
    assert layer.count_params() == 2080


def test_three_stacked_right_answer_passes(capsys):
    assert _verdict(capsys, check_three_stacked_params(110_784))[0]


@pytest.mark.parametrize(("wrong", "says"), [
    (3 * 3 * 3 * 64 * 64, "biases"),
    ((3 * 3 * 64 + 1) * 64, "one 3 × 3 layer"),
    (2 * (3 * 3 * 64 + 1) * 64, "two layers"),
    ((7 * 7 * 64 + 1) * 64, "7 × 7 layer"),
    (3 * (3 * 3 + 1) * 64, "64 input channels"),
    (110_785, "not it"),
    ("110784", "single number"),
])
def test_three_stacked_wrong_answers_fail(capsys, wrong, says):
    ok, out = _verdict(capsys, check_three_stacked_params(wrong))
    assert not ok and says in out


def test_three_stacked_answer_is_what_keras_counts_and_sees_7x7():
    import keras
    from keras import layers

    stack = keras.Sequential([keras.Input((7, 7, 64))] + [layers.Conv2D(64, 3) for _ in range(3)])
    assert stack.count_params() == 110_784
    assert stack.output_shape == (None, 1, 1, 64)  # one output reads the whole 7 x 7 patch
