"""The check of chapter 8's "which pixels can change the prediction?" exercise (issue 12)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import checks


@pytest.fixture(autouse=True)
def _lenient(monkeypatch):
    monkeypatch.delenv(checks.STRICT_ENV_VAR, raising=False)


def _answer():
    mask = np.zeros((28, 28), bool)
    mask[:22, :22] = True
    return mask


def test_the_right_mask_passes(capsys):
    assert checks.check_pixels_that_can_change(_answer())
    assert "484 pixels" in capsys.readouterr().out
    assert checks.check_pixels_that_can_change(_answer().astype(int))  # 0/1 works too


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda m: ~m, "flip your mask"),
        (lambda m: np.ones_like(m), "three poolings"),
        (lambda m: np.pad(m[:, 1:], ((0, 0), (0, 1))), "same for every image"),
    ],
)
def test_wrong_masks_get_counts_and_a_hint_not_the_answer(capsys, make, words):
    answer = make(_answer())
    assert not checks.check_pixels_that_can_change(answer)
    out = capsys.readouterr().out
    assert words in out and "pixels marked True cannot change" in out
    assert "0-21" not in out and "rows 22" not in out and "[:22" not in out  # the mask is not given away


def test_shapes_and_stubs_are_explained(capsys):
    assert not checks.check_pixels_that_can_change(np.ones((27, 28), bool))
    assert "(28, 28) array of True/False" in capsys.readouterr().out
    assert not checks.check_pixels_that_can_change(None)
    assert "NotImplementedError" in capsys.readouterr().out


def test_strict_mode_raises(monkeypatch):
    monkeypatch.setenv(checks.STRICT_ENV_VAR, "1")
    with pytest.raises(checks.CheckFailed):
        checks.check_pixels_that_can_change(np.ones((28, 28), bool))
