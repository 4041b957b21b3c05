"""The bad inputs chapter 9 names, each refused by `preprocess_digit` with a ValueError that
says what was expected (these cells moved here from the chapter: they test, not teach; the
chapter shows one, a blank page). The drawing area's payloads are tested in test_canvas.py."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.digits import preprocess_digit


def _text_as_png(tmp_path):
    path = tmp_path / "digit.png"
    path.write_text("not a picture, only text with a .png name")
    return path


def _txt(tmp_path):
    path = tmp_path / "digit.txt"
    path.write_text("7")
    return path


BAD = {
    "an empty array": lambda tmp: np.zeros((0, 0)),
    "a white page": lambda tmp: np.full((300, 200), 255, np.uint8),
    "a 3 x 3 image": lambda tmp: np.eye(3),
    "pixels 0-255 as floats": lambda tmp: np.full((28, 28), 255.0),
    "a text file named .png": _text_as_png,
    "a .txt file": _txt,
    "a batch, not one image": lambda tmp: np.zeros((1, 28, 28, 1)),
}


@pytest.mark.parametrize("what", BAD)
def test_bad_input_gets_a_sentence_not_a_traceback(what, tmp_path):
    with pytest.raises(ValueError) as raised:
        preprocess_digit(BAD[what](tmp_path))
    message = str(raised.value)
    assert len(message) > 20 and ("expected" in message.lower() or "got" in message.lower()), message


def test_a_good_digit_still_passes(mnist):
    (_, _), (x_test, _) = mnist
    digit = preprocess_digit(x_test[0])
    assert digit.shape == (28, 28) and digit.dtype == np.float32 and 0 <= digit.min() and digit.max() <= 1
