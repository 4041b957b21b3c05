"""The exercise checks of chapters 8-9 pass right answers and explain wrong ones."""

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
    for wrong, words in [(121, "one map"), (64, "number of maps"), (10816, "input of conv2d_2"), (1600, "pooling")]:
        ok, out = _verdict(capsys, checks.check_conv2d_2_values(wrong))
        assert not ok and words in out, out
    ok, out = _verdict(capsys, checks.check_conv2d_2_values(7745))
    assert not ok and "close" in out and "7,744" not in out
    ok, out = _verdict(capsys, checks.check_conv2d_2_values((11, 11, 64)))
    assert not ok and "single number" in out


def test_receptive_field_5x5(capsys):
    assert _verdict(capsys, checks.check_receptive_field_5x5(10))[0]
    for wrong, words in [(8, "original 3 × 3"), (9, "moves 2 input pixels"), (7, "Remember the pooling")]:
        ok, out = _verdict(capsys, checks.check_receptive_field_5x5(wrong))
        assert not ok and words in out, out
    ok, out = _verdict(capsys, checks.check_receptive_field_5x5(22))
    assert not ok and "layer by layer" in out
    ok, out = _verdict(capsys, checks.check_receptive_field_5x5(None))
    assert not ok and "NotImplementedError" in out


def test_occlude(capsys):
    def right(image, top, left, size):
        out = image.copy()
        out[top : top + size, left : left + size] = 0
        return out

    def in_place(image, top, left, size):
        image[top : top + size, left : left + size] = 0
        return image

    def one_too_far(image, top, left, size):
        out = image.copy()
        out[top : top + size + 1, left : left + size + 1] = 0
        return out

    assert _verdict(capsys, checks.check_occlude(right))[0]
    ok, out = _verdict(capsys, checks.check_occlude(in_place))
    assert not ok and "changed the image it was given" in out
    ok, out = _verdict(capsys, checks.check_occlude(one_too_far))
    assert not ok and "expected" in out
    ok, out = _verdict(capsys, checks.check_occlude(_stub))
    assert not ok and "NotImplementedError" in out


# --- Chapter 9 -------------------------------------------------------------------------------


def test_box_size(capsys):
    assert _verdict(capsys, checks.check_box_size(digits.box_size))[0]
    assert _verdict(capsys, checks.check_box_size(lambda h, w: list(digits.box_size(h, w))))[0]
    ok, out = _verdict(capsys, checks.check_box_size(lambda h, w: digits.box_size(h, w)[::-1]))
    assert not ok and "(width, height)" in out
    ok, out = _verdict(capsys, checks.check_box_size(lambda h, w: (20, 20)))
    assert not ok and "aspect ratio" in out
    ok, out = _verdict(capsys, checks.check_box_size(lambda h, w: (20 * h // max(h, w), 20 * w // max(h, w))))
    assert not ok and "for input 7, 3 expected (20, 9), got (20, 8)" in out  # floor instead of round
    ok, out = _verdict(capsys, checks.check_box_size(_stub))
    assert not ok and "NotImplementedError" in out


def test_invert_if_light(capsys):
    def right(gray):
        border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
        return 1.0 - gray if np.median(border) > 0.5 else gray

    def by_mean(gray):
        return 1.0 - gray if gray.mean() > 0.5 else gray

    assert _verdict(capsys, checks.check_invert_if_light(right))[0]
    ok, out = _verdict(capsys, checks.check_invert_if_light(by_mean))
    assert not ok and "border pixels" in out
    ok, out = _verdict(capsys, checks.check_invert_if_light(lambda gray: 1.0 - gray))
    assert not ok and "light ink on a dark board (should stay as it is)" in out
    ok, out = _verdict(capsys, checks.check_invert_if_light(lambda gray: gray))
    assert not ok and "dark ink on light paper (should be inverted)" in out
    ok, out = _verdict(capsys, checks.check_invert_if_light(lambda gray: None))
    assert not ok and "got None" in out


def test_center_of_mass(capsys):
    assert _verdict(capsys, checks.check_center_of_mass(digits.center_of_mass))[0]
    ok, out = _verdict(capsys, checks.check_center_of_mass(lambda im: digits.center_of_mass(im)[::-1]))
    assert not ok and "(row, column)" in out
    ok, out = _verdict(capsys, checks.check_center_of_mass(lambda im: tuple(np.array(im.shape) / 2)))
    assert not ok and "expected" in out
    ok, out = _verdict(capsys, checks.check_center_of_mass(lambda im: 1 / 0))
    assert not ok and "ZeroDivisionError" in out


def test_strict_mode_raises(monkeypatch, capsys):
    monkeypatch.setenv(checks.STRICT_ENV_VAR, "1")
    with pytest.raises(checks.CheckFailed):
        checks.check_conv2d_2_values(121)
    assert checks.check_conv2d_2_values(7744)
