"""Checks that test understanding (issue 17): a failed check hints at the reasoning and never
prints the answer, a set of choices is told how many are right and not which, the tests
catch the near-misses (a softmax shifted by the mean, a border's mean instead of its median,
two runs at one rate), and an answer of the wrong kind gets a FAIL line, never a traceback.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers import checks


@pytest.fixture(autouse=True)
def lenient(monkeypatch):
    monkeypatch.delenv(checks.STRICT_ENV_VAR, raising=False)
    monkeypatch.delenv(checks.SHOW_EXPECTED_ENV_VAR, raising=False)


def _out(capsys, result):
    return bool(result), capsys.readouterr().out


#: (check, a wrong single number, the answer that must never be printed)
NUMERIC = [
    (checks.check_pooled_size, 11, "12"),
    (checks.check_flatten_size_32, 1024, "256"),
    (checks.check_n_sevens, 6264, "6,265"),
    (checks.check_test_bytes, 31_360_004, "31,360,000"),
    (checks.check_extra_params_32, 4_000, "4,102"),
    (checks.check_dense_without_last_pool, 12, "36,928"),
    (checks.check_block3_params, 5, "74,240"),
    (checks.check_conv2d_2_values, 7745, "7,744"),
    (checks.check_receptive_field_5x5, 12, "10"),
]


@pytest.mark.parametrize(("check", "wrong", "answer"), NUMERIC, ids=lambda v: getattr(v, "__name__", str(v)))
def test_numeric_fail_hints_without_the_answer(check, wrong, answer, capsys, monkeypatch):
    ok, out = _out(capsys, check(wrong))
    assert not ok and "not yet" in out
    assert answer not in out.replace(f"{wrong:,}", "").replace(str(wrong), ""), out
    monkeypatch.setenv(checks.SHOW_EXPECTED_ENV_VAR, "1")  # an instructor's run shows it
    ok, out = _out(capsys, check(wrong))
    assert not ok and f"the answer is {answer}" in out, out


@pytest.mark.parametrize("check", [c for c, _, _ in NUMERIC], ids=lambda c: c.__name__)
@pytest.mark.parametrize(
    "answer",
    [[[1, 2], [3]], "12", np.arange(3), len, {0.5: 1}, {1, 2}, [3.0], b"12", object()],
    ids=["ragged", "string", "array", "uncalled-function", "dict", "set", "one-item-list", "bytes", "object"],
)
def test_numeric_wrong_kinds_fail_without_traceback(check, answer, capsys):
    ok, out = _out(capsys, check(answer))
    assert not ok and out.startswith("❌") and "Traceback" not in out


def test_extra_params_32_right_and_confirmed_by_keras(capsys):
    ok, out = _out(capsys, checks.check_extra_params_32((3 * 3 + 1) * 7 + 3 * 3 * 7 * 64))
    assert ok and "Keras agrees" in out and "4,102" in out
    for wrong, phrase in [(70, "conv2d_2: every one of its kernels"), (4032, "conv2d_1's 7 new filters"),
                          (60_554, "the new count minus the old"), (4102 + 64, "keeps its 64 biases")]:
        ok, out = _out(capsys, checks.check_extra_params_32(wrong))
        assert not ok and phrase in out, out


def test_label_preserving_counts_and_never_names(capsys):
    assert checks.check_label_preserving({"a", "c", "e"})
    ok, out = _out(capsys, checks.check_label_preserving(list("abcdef")))
    assert not ok and "of your 6 letters, 3 keep the label and 3 change it" in out
    for letter in "abcdef":
        assert f"'{letter}'" not in out
    ok, out = _out(capsys, checks.check_label_preserving({"a", "b"}))
    assert not ok and "1 keeps the label and 1 changes it, and 2 transformations" in out
    for wrong, phrase in [({"a", "z"}, "a to f"), ("ace", "set of letters"), ({1, 2}, "set of letters"),
                          (None, "NotImplementedError"), ([["a"], ["c"]], "set of letters")]:
        ok, out = _out(capsys, checks.check_label_preserving(wrong))
        assert not ok and phrase in out, out


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


@pytest.mark.parametrize(
    ("softmax", "phrase"),
    [
        (lambda z: np.exp(z - np.min(z)) / np.exp(z - np.min(z)).sum(), "widely spread"),
        (lambda z: np.exp(z - np.mean(z)) / np.exp(z - np.mean(z)).sum(), "widely spread"),
        (lambda z: None, "got None"),
        (lambda z: "probabilities", "the str"),
        (lambda z: [[1.0], [2.0, 3.0]], "shape (3,)"),
        (lambda z: float(np.max(z)), "shape (3,); got shape ()"),
    ],
)
def test_softmax_rejects_shifts_that_still_overflow(softmax, phrase, capsys):
    assert checks.check_softmax(_softmax)
    capsys.readouterr()
    ok, out = _out(capsys, checks.check_softmax(softmax))
    assert not ok and phrase in out, out


def _invert_median(gray):
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return 1.0 - gray if np.median(border) > 0.5 else gray


def _invert_mean(gray):
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return 1.0 - gray if np.mean(border) > 0.5 else gray


def test_invert_if_light_needs_the_border_median(capsys):
    assert checks.check_invert_if_light(_invert_median)
    ok, out = _out(capsys, checks.check_invert_if_light(_invert_mean))
    assert not ok and "stroke runs along the border" in out
    ok, out = _out(capsys, checks.check_invert_if_light(lambda g: 1.0 - g if np.median(g) > 0.5 else g))
    assert not ok and "border" in out
    for wrong, phrase in [(lambda g: None, "expected"), (_invert_median(np.ones((3, 3))), "expected a function"),
                          (lambda g: "inverted", "expected")]:
        ok, out = _out(capsys, checks.check_invert_if_light(wrong))
        assert not ok and phrase in out, out


def _history(loss, epochs=3):
    return {"loss": [loss] * epochs, "val_loss": [loss] * epochs, "accuracy": [0.9] * epochs, "val_accuracy": [0.9] * epochs}


def test_learning_rate_histories_must_differ_as_rates_do(capsys):
    assert checks.check_learning_rate_histories({0.001: _history(1.30), 0.01: _history(1.45)})
    ok, out = _out(capsys, checks.check_learning_rate_histories({0.001: _history(1.30), 0.01: _history(1.3001)}))
    assert not ok and "same rate" in out
    same = _history(1.3)
    ok, out = _out(capsys, checks.check_learning_rate_histories({0.001: same, 0.01: same}))
    assert not ok and "same rate" in out
    for wrong, phrase in [({None: same, 0.01: same}, "as numbers"), ({0.001: [0.3, 0.9], 0.01: same}, "dict of lists"),
                          ({0.001: 0.3, 0.01: same}, "dict of lists"), ({(1, 2): same}, "as numbers")]:
        ok, out = _out(capsys, checks.check_learning_rate_histories(wrong))
        assert not ok and phrase in out, out


#: Every chapter check taking one answer, with answers of the wrong kind: each gets a FAIL line.
ONE_ANSWER_CHECKS = [getattr(checks, name) for name in checks.__all__ if name.startswith("check_")
                     and name not in {"check_number", "check_array", "check_function", "check_mean_ink",
                                      "check_flattened", "check_top2_accuracy"}]
WRONG_KINDS = [None, "answer", 3, 2.5, [1, [2, 3]], {"x": 1}, np.full(3, np.nan), lambda *a: None,
               lambda *a: "text", lambda *a: np.zeros(7), (1, 2)]


@pytest.mark.parametrize("check", ONE_ANSWER_CHECKS, ids=lambda c: c.__name__)
def test_every_check_answers_every_wrong_kind_with_a_line(check, capsys):
    for answer in WRONG_KINDS:
        result = check(answer)
        out = capsys.readouterr().out
        assert isinstance(result, checks.CheckResult) and not result, (check.__name__, answer)
        assert out.startswith("❌"), (check.__name__, answer, out)


def test_strict_mode_still_raises_from_a_guarded_check(monkeypatch, capsys):
    monkeypatch.setenv(checks.STRICT_ENV_VAR, "1")
    with pytest.raises(checks.CheckFailed):
        checks.check_label_preserving([["a"]])
