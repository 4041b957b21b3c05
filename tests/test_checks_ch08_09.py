"""The exercise checks of chapters 8-9 pass right answers and explain wrong ones.

The wrong answers a student writes, with the words each hint must hold, are rows of the
table in tests/test_wrong_answers.py; here are the right answers and the answers of other
kinds (close, not a number, a stub, a function that raises or returns nothing)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import checks, digits


@pytest.fixture(autouse=True)
def _lenient(monkeypatch):
    """Checks print and return; they raise only in strict mode, tested separately."""
    monkeypatch.delenv(checks.STRICT_ENV_VAR, raising=False)


def _verdict(capsys, result):
    return bool(result), capsys.readouterr().out


def _stub(*args):
    raise NotImplementedError()


# --- Chapter 8 -------------------------------------------------------------------------------


def test_conv2d_2_values(capsys):
    ok, out = _verdict(capsys, checks.check_conv2d_2_values(11 * 11 * 64))
    assert ok and "7,744" in out
    ok, out = _verdict(capsys, checks.check_conv2d_2_values(7745))
    assert not ok and "close" in out and "7,744" not in out
    ok, out = _verdict(capsys, checks.check_conv2d_2_values((11, 11, 64)))
    assert not ok and "single number" in out


def test_receptive_field_5x5(capsys):
    assert _verdict(capsys, checks.check_receptive_field_5x5(10))[0]
    ok, out = _verdict(capsys, checks.check_receptive_field_5x5(22))
    assert not ok and "layer by layer" in out
    ok, out = _verdict(capsys, checks.check_receptive_field_5x5(None))
    assert not ok and "NotImplementedError" in out


def test_occlude(capsys):
    def right(image, top, left, size):
        out = image.copy()
        out[top : top + size, left : left + size] = 0
        return out

    assert _verdict(capsys, checks.check_occlude(right))[0]
    ok, out = _verdict(capsys, checks.check_occlude(_stub))
    assert not ok and "NotImplementedError" in out


# --- Chapter 9 -------------------------------------------------------------------------------


def test_box_size(capsys):
    assert _verdict(capsys, checks.check_box_size(digits.box_size))[0]
    assert _verdict(capsys, checks.check_box_size(lambda h, w: list(digits.box_size(h, w))))[0]
    ok, out = _verdict(capsys, checks.check_box_size(_stub))
    assert not ok and "NotImplementedError" in out


def test_invert_if_light(capsys):
    def right(gray):
        border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
        return 1.0 - gray if np.median(border) > 0.5 else gray

    assert _verdict(capsys, checks.check_invert_if_light(right))[0]
    ok, out = _verdict(capsys, checks.check_invert_if_light(lambda gray: None))
    assert not ok and "got None" in out


def test_center_of_mass(capsys):
    assert _verdict(capsys, checks.check_center_of_mass(digits.center_of_mass))[0]
    ok, out = _verdict(capsys, checks.check_center_of_mass(lambda im: tuple(np.array(im.shape) / 2)))
    assert not ok and "expected" in out
    ok, out = _verdict(capsys, checks.check_center_of_mass(lambda im: 1 / 0))
    assert not ok and "ZeroDivisionError" in out


def test_strict_mode_passes_a_right_answer(monkeypatch, capsys):
    """Strict mode raises on a wrong answer (every row of the wrong-answer table) and on no right one."""
    monkeypatch.setenv(checks.STRICT_ENV_VAR, "1")
    assert checks.check_conv2d_2_values(7744)
