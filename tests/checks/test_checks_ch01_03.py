"""The self-checks of chapters 1-3: a right answer passes, each typical wrong answer gets a
sentence that says what was wrong, and in strict mode a wrong answer raises CheckFailed."""

from __future__ import annotations

import re

import numpy as np
import pytest

from helpers import checks
from helpers.checks import CheckFailed


@pytest.fixture(autouse=True)
def _lenient(monkeypatch):
    """Checks print and return here; `make test` sets strict mode, which the strict tests set back."""
    monkeypatch.delenv(checks.STRICT_ENV_VAR, raising=False)


# Good answers, written as a student would.


def avg_pool_2x2(feature_map):
    h, w = feature_map.shape[0] // 2 * 2, feature_map.shape[1] // 2 * 2
    return feature_map[:h, :w].reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))


def softmax(scores):
    exps = np.exp(scores - np.max(scores))
    return exps / exps.sum()


def examples_of(digit, images, labels, n):
    return images[labels == digit][:n]


def prepare(images):
    return (images.astype("float32") / 255).reshape(-1, 28, 28, 1)


def _stub(*args):
    raise NotImplementedError()


@pytest.fixture()
def ink_data(rng):
    images = rng.integers(0, 256, size=(40, 28, 28), dtype=np.uint8)
    labels = np.tile(np.arange(10), 4)
    return images, labels


def _right_answers(ink_data):
    images, labels = ink_data
    mean_ink = np.array([images[labels == k].mean() for k in range(10)])
    return [
        (checks.check_pooled_size, (12,)),
        (checks.check_avg_pool, (avg_pool_2x2,)),
        (checks.check_softmax, (softmax,)),
        (checks.check_flatten_size_32, (256,)),
        (checks.check_n_sevens, (np.int64(6265),)),
        (checks.check_examples_of, (examples_of,)),
        (checks.check_mean_ink, (mean_ink, images, labels)),
        (checks.check_test_bytes, (31_360_000,)),
        (checks.check_prepare, (prepare,)),
        (checks.check_flattened, (images.reshape(-1, 784), images)),
    ]


def test_every_right_answer_passes(capsys, ink_data):
    for check, args in _right_answers(ink_data):
        assert check(*args), check.__name__
        out = capsys.readouterr().out
        assert out.startswith("✅") and "correct" in out, (check.__name__, out)


def test_right_answers_pass_in_strict_mode_too(monkeypatch, capsys, ink_data):
    monkeypatch.setenv(checks.STRICT_ENV_VAR, "1")
    for check, args in _right_answers(ink_data):
        assert check(*args)


def avg_pool_keeps_odd_edge(feature_map):
    h, w = -(-feature_map.shape[0] // 2), -(-feature_map.shape[1] // 2)
    padded = np.pad(feature_map, ((0, 2 * h - feature_map.shape[0]), (0, 2 * w - feature_map.shape[1])))
    return padded.reshape(h, 2, w, 2).mean(axis=(1, 3))


def avg_pool_max(feature_map):
    h, w = feature_map.shape[0] // 2 * 2, feature_map.shape[1] // 2 * 2
    return feature_map[:h, :w].reshape(h // 2, 2, w // 2, 2).max(axis=(1, 3))


def softmax_naive(scores):
    return np.exp(scores) / np.exp(scores).sum()


def softmax_without_normalising(scores):
    return np.exp(scores - scores.max())


def examples_labels(digit, images, labels, n):
    return labels[labels == digit][:n]


def examples_last(digit, images, labels, n):
    return images[labels == digit][-n:]


def prepare_flat(images):
    return (images.astype("float32") / 255).reshape(-1, 784)


def prepare_no_channel(images):
    return images.astype("float32") / 255


def prepare_unscaled(images):
    return images.astype("float32").reshape(-1, 28, 28, 1)


def prepare_float64(images):
    return (images / 255).reshape(-1, 28, 28, 1)


def prepare_no_return(images):
    (images.astype("float32") / 255).reshape(-1, 28, 28, 1)


WRONG = [
    # (check, args, words the fail message must contain)
    (checks.check_pooled_size, (24,), "the size after the convolution"),
    (checks.check_pooled_size, (13,), "3x3 kernel"),
    (checks.check_pooled_size, (11,), "11 is not it. It is close"),
    (checks.check_pooled_size, ("12",), "expected a single number, got the str '12'"),
    (checks.check_pooled_size, (np.array([12, 12]),), "expected a single number, got an array of shape (2,)"),
    (checks.check_avg_pool, (avg_pool_keeps_odd_edge,), "should pool to shape (2, 2), got (3, 3)"),
    (checks.check_avg_pool, (avg_pool_max,), "expected [[2.5, 4.5], [10.5, 12.5]], got [[5., 7.], [13., 15.]]"),
    (checks.check_avg_pool, (_stub,), "NotImplementedError"),
    (checks.check_avg_pool, (np.zeros((2, 2)),), "expected a function, got an array"),
    (checks.check_softmax, (softmax_naive,), "np.exp(1000) overflows"),
    (checks.check_softmax, (softmax_without_normalising,), "expected [0.5, 0.5], got [1., 1.]"),
    (checks.check_softmax, (np.max,), "shape (3,); got shape ()"),
    (checks.check_flatten_size_32, (64,), "size for 28x28 images"),
    (checks.check_flatten_size_32, (4,), "multiplies by the 64 channels"),
    (checks.check_flatten_size_32, (1024,), "1,024 is not it"),
    (checks.check_n_sevens, (1028,), "sevens in the test set"),
    (checks.check_n_sevens, (6264,), "6,264 is not it. It is close"),
    (checks.check_examples_of, (examples_labels,), "should have shape (2, 28, 28); got (2,) (did you return the labels"),
    (checks.check_examples_of, (examples_last,), "expected an array of shape (2, 28, 28)"),
    (checks.check_test_bytes, (7_840_000,), "one byte per value"),
    (checks.check_test_bytes, (62_720_000,), "8 bytes per value"),
    (checks.check_test_bytes, (31.36,), "megabytes"),
    (checks.check_test_bytes, (31_360_004,), "31,360,004 is not it"),
    (checks.check_prepare, (prepare_flat,), "you flattened"),
    (checks.check_prepare, (prepare_no_channel,), "still (n, 28, 28)"),
    (checks.check_prepare, (prepare_unscaled,), "largest value is 24"),
    (checks.check_prepare, (prepare_float64,), "float64"),
    (checks.check_prepare, (prepare_no_return,), "returned None"),
]


@pytest.mark.parametrize(("check", "args", "words"), WRONG, ids=lambda v: getattr(v, "__name__", None))
def test_wrong_answers_fail_with_the_reason(capsys, check, args, words):
    assert not check(*args)
    out = capsys.readouterr().out
    assert out.startswith("❌") and "not yet" in out
    assert words in out, out


@pytest.mark.parametrize(("check", "args", "words"), WRONG[:1] + WRONG[9:10] + WRONG[23:24])
def test_wrong_answers_raise_in_strict_mode(monkeypatch, capsys, check, args, words):
    monkeypatch.setenv(checks.STRICT_ENV_VAR, "1")
    with pytest.raises(CheckFailed, match=re.escape(words)):
        check(*args)
    assert capsys.readouterr().out.startswith("❌")


def test_mean_ink_explains_a_wrong_shape(capsys, ink_data):
    images, labels = ink_data
    per_image = np.stack([images[labels == k].mean(axis=0) for k in range(10)])
    assert not checks.check_mean_ink(per_image, images, labels)
    assert "shape (10, 28, 28); average over the pixels too" in capsys.readouterr().out
    assert not checks.check_mean_ink(float(images.mean()), images, labels)
    assert "you have one number" in capsys.readouterr().out
    wrong_order = np.array([images[labels == k].mean() for k in reversed(range(10))])
    assert not checks.check_mean_ink(wrong_order, images, labels)
    assert "values differ: at index" in capsys.readouterr().out


def test_flattened_explains_the_channel_axis_reshape(capsys, ink_data):
    images, _ = ink_data
    assert not checks.check_flattened(images.reshape(-1, 28, 28, 1), images)
    assert "channel-axis reshape" in capsys.readouterr().out
    assert not checks.check_flattened(images.ravel(), images)
    assert "one row per image" in capsys.readouterr().out
    assert not checks.check_flattened(images.reshape(-1, 784)[::-1], images)
    assert "values differ" in capsys.readouterr().out


def test_pooled_size_stub_left_as_none_says_it_is_not_done(capsys):
    assert not checks.check_pooled_size(None)
    assert "NotImplementedError" in capsys.readouterr().out


def test_prepare_prints_a_single_verdict(capsys):
    assert checks.check_prepare(prepare)
    assert capsys.readouterr().out.count("✅") == 1
    assert not checks.check_prepare(lambda images: (images.astype("float16") / 255).reshape(-1, 28, 28, 1))
    assert "expected dtype float32, got float16" in capsys.readouterr().out
    assert not checks.check_prepare(lambda images: prepare(images)[:1])
    assert "expected an array of shape (3, 28, 28, 1)" in capsys.readouterr().out
