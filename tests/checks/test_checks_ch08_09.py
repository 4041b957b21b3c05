"""The exercise checks of chapters 8-9 pass right answers and explain wrong ones.

The wrong answers a student writes, with the words each hint must hold, are rows of the
table in tests/checks/test_wrong_answers.py; here are the right answers, the answers of other kinds
(close, not a number, a stub, a function that raises or returns nothing) and what the hints
of chapter 8's pixel mask must not give away."""

from __future__ import annotations

import numpy as np
import pytest
from test_wrong_answers import TABLE

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


def _can_change():
    mask = np.zeros((28, 28), bool)
    mask[:22, :22] = True
    return mask


def test_pixels_that_can_change(capsys):
    assert checks.check_pixels_that_can_change(_can_change())
    assert "484 pixels" in capsys.readouterr().out
    assert checks.check_pixels_that_can_change(_can_change().astype(int))  # 0/1 works too
    ok, out = _verdict(capsys, checks.check_pixels_that_can_change(np.ones((27, 28), bool)))
    assert not ok and "(28, 28) array of True/False" in out
    ok, out = _verdict(capsys, checks.check_pixels_that_can_change(None))
    assert not ok and "NotImplementedError" in out


@pytest.mark.parametrize("args", [args for _, check, args in TABLE if check is checks.check_pixels_that_can_change])
def test_wrong_pixel_masks_get_counts_not_the_answer(capsys, args):
    """Every wrong mask of the wrong-answer table is told what its pixels do, and never the mask."""
    ok, out = _verdict(capsys, checks.check_pixels_that_can_change(*args()))
    assert not ok and "pixels marked True cannot change" in out
    assert "0-21" not in out and "rows 22" not in out and "[:22" not in out


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
