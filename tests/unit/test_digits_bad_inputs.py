"""Bad inputs to helpers.digits and to the drawing of its sample digits (helpers._machinery.samples):
damaged picture files, NaN pixels named by index, counts that are not whole, a per_digit that
would overwrite the sample files."""

from __future__ import annotations

import io

import numpy as np
import pytest
from bad_inputs import expect

from helpers import digits as d
from helpers._machinery import samples

GRAY = np.zeros((40, 40), np.float32)
GRAY[10:30, 18:22] = 1.0
NAN_GRAY = GRAY.copy()
NAN_GRAY[3, 14] = np.nan
RNG = np.random.default_rng(0)

CASES = [
    # load_grayscale / preprocess_digit on arrays and objects
    ("image NaN", lambda: d.load_grayscale(NAN_GRAY), ValueError, r"contains NaN at index \(3, 14\)"),
    ("image inf", lambda: d.preprocess_digit(np.where(GRAY > 0, np.inf, 0)), ValueError, r"contains infinity"),
    ("image 0-255 floats", lambda: d.load_grayscale(GRAY * 255), ValueError, r"\[0, 1\].*Divide 0-255 pixels by 255"),
    ("image negative ints", lambda: d.load_grayscale(GRAY.astype(int) - 1), ValueError, r"0-255 \(uint8\)"),
    ("image empty", lambda: d.load_grayscale(np.zeros((0, 0))), ValueError, r"the image is empty"),
    ("image channels first", lambda: d.load_grayscale(np.zeros((3, 40, 40))), ValueError, r"Channels go last"),
    ("image batch", lambda: d.load_grayscale(np.zeros((2, 40, 40, 1))), ValueError, r"one image of shape"),
    ("image tiny", lambda: d.load_grayscale(np.zeros((4, 4))), ValueError, r"too small.*at least 8x8"),
    ("image strings", lambda: d.load_grayscale(np.full((10, 10), "a")), ValueError, r"should hold numbers"),
    ("image list", lambda: d.load_grayscale([[0, 1]]), ValueError, r"file path, a NumPy array or a Pillow image"),
    ("image None", lambda: d.preprocess_digit(None), ValueError, r"file path, a NumPy array or a Pillow image"),
    ("image blank", lambda: d.preprocess_digit(np.zeros((40, 40))), ValueError, r"no ink found"),
    ("for_model string", lambda: d.preprocess_digit(GRAY, for_model="yes"), TypeError, r"for_model should be True or False"),
    ("resize NaN", lambda: d.resize_only(NAN_GRAY), ValueError, r"NaN at index \(3, 14\)"),
    ("stages NaN", lambda: d.preprocess_stages(NAN_GRAY), ValueError, r"NaN at index"),
    # steps 2-5 on their own
    ("ink NaN", lambda: d.ink_on_black(NAN_GRAY), ValueError, r"gray contains NaN at index \(3, 14\)"),
    ("ink uint8", lambda: d.ink_on_black((GRAY * 255).astype(np.uint8)), ValueError, r"floats in \[0, 1\].*load_grayscale"),
    ("ink 3-D", lambda: d.ink_on_black(np.zeros((4, 4, 3))), ValueError, r"2-D grey image"),
    ("background NaN", lambda: d.background_level(NAN_GRAY), ValueError, r"contains NaN"),
    ("background None", lambda: d.background_level(None), TypeError, r"gray should be an array"),
    ("box NaN", lambda: d.ink_box(NAN_GRAY), ValueError, r"ink contains NaN"),
    ("crop empty", lambda: d.crop_to_ink(np.zeros((0, 5), np.float32)), ValueError, r"non-empty 2-D"),
    ("crop blank", lambda: d.crop_to_ink(np.zeros((9, 9), np.float32)), ValueError, r"no ink found"),
    ("fit box fraction", lambda: d.fit_in_box(GRAY, box=20.5), TypeError, r"box should be a whole number"),
    ("fit box zero", lambda: d.fit_in_box(GRAY, box=0), ValueError, r"box should be at least 1; got 0"),
    ("fit range", lambda: d.fit_in_box(GRAY * 2), ValueError, r"in \[0, 1\]; got values from 0 to 2"),
    ("fit box huge", lambda: d.fit_in_box(GRAY, box=10**6), ValueError, r"box should be at most 1024"),
    ("center size huge", lambda: d.center_by_mass(GRAY[:20, :20], size=10**6), ValueError, r"size should be at most"),
    ("box_size string", lambda: d.box_size("10", 5), TypeError, r"height should be a whole number"),
    ("box_size negative", lambda: d.box_size(10, -5), ValueError, r"width should be at least 1; got -5"),
    ("box_size None", lambda: d.box_size(10, 5, box=None), TypeError, r"box should be a whole number"),
    ("mass NaN", lambda: d.center_of_mass(NAN_GRAY), ValueError, r"image contains NaN at index \(3, 14\)"),
    ("mass negative", lambda: d.center_of_mass(GRAY - 0.5), ValueError, r"0 or more"),
    ("mass strings", lambda: d.center_of_mass([["a", "b"]]), ValueError, r"should hold numbers"),
    ("mass 1-D", lambda: d.center_of_mass(np.ones(5)), ValueError, r"2-D image"),
    ("center size fraction", lambda: d.center_by_mass(GRAY[:20, :20], size=27.5), TypeError, r"size should be a whole"),
    ("center center string", lambda: d.center_by_mass(GRAY[:20, :20], center="middle"), TypeError, r"\(row, column\) pair"),
    ("center center NaN", lambda: d.center_by_mass(GRAY[:20, :20], center=(np.nan, 14)), ValueError, r"finite number"),
    ("center too big", lambda: d.center_by_mass(GRAY), ValueError, r"does not fit in 28x28"),
    # names, stages, strokes, samples
    ("label None", lambda: d.label_from_name(None), TypeError, r"file name such as '7_paper\.png'"),
    ("label bad name", lambda: d.label_from_name("paper_7.png"), ValueError, r"like '7_paper\.png'"),
    ("strokes 10", lambda: samples.digit_strokes(10), ValueError, r"digit should be a digit 0-9; got 10"),
    ("strokes string", lambda: samples.digit_strokes("7"), TypeError, r"digit 0-9 \(an int\)"),
    ("strokes float", lambda: samples.digit_strokes(7.0), TypeError, r"digit 0-9 \(an int\)"),
    ("draw seed for rng", lambda: samples.draw_digit(3, 40, 40, 0), TypeError, r"np\.random\.default_rng"),
    ("draw height fraction", lambda: samples.draw_digit(3, 40.5, 40, RNG), TypeError, r"height should be a whole"),
    ("draw tiny", lambda: samples.draw_digit(3, 4, 40, RNG), ValueError, r"height should be at least 8; got 4"),
    ("draw huge", lambda: samples.draw_digit(3, 10**5, 10**5, RNG), ValueError, r"at most 40,000,000 pixels"),
    ("draw pen negative", lambda: samples.draw_digit(3, 40, 40, RNG, pen=-0.1), ValueError, r"greater than 0"),
    ("render style", lambda: samples.render_sample(3, "crayon", RNG), ValueError, r"style should be one of 'paper'"),
    ("render digit", lambda: samples.render_sample(12, "paper", RNG), ValueError, r"digit 0-9; got 12"),
    ("render rng", lambda: samples.render_sample(3, "paper", None), TypeError, r"rng should be a NumPy Generator"),
]


@pytest.mark.parametrize(("call", "kind", "said"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named(call, kind, said):
    expect(call, kind, said)


def _png_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray((GRAY * 255).astype(np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray((RNG.random((200, 200)) * 255).astype(np.uint8)).save(buffer, "JPEG")
    return buffer.getvalue()


FILES = [
    ("text as png", "7_a.png", lambda: b"just some notes\n", r"not a picture format Pillow knows"),
    ("empty png", "7_a.png", lambda: b"", r"could not be read as an image"),
    ("truncated png", "7_a.png", lambda: _png_bytes()[:60], r"could not be read as an image"),
    ("truncated jpeg", "7_a.jpg", lambda: _jpeg_bytes()[:400], r"could not be read as an image"),
    ("binary junk jpeg", "7_a.jpg", lambda: bytes(range(256)) * 4, r"could not be read as an image"),
    ("npy as png", "7_a.png", lambda: b"\x93NUMPY\x01\x00" + bytes(100), r"could not be read as an image"),
    ("text file", "7_a.txt", lambda: b"7", r"not an image file"),
]


@pytest.mark.parametrize(("name", "content", "said"), [f[1:] for f in FILES], ids=[f[0] for f in FILES])
def test_bad_picture_files_are_named(tmp_path, name, content, said):
    path = tmp_path / name
    path.write_bytes(content())
    message = expect(lambda: d.preprocess_digit(path), ValueError, said)
    assert name in message and ("PNG or JPEG" in message or "expected one of" in message)


@pytest.mark.parametrize(
    ("kwargs", "kind", "said"),
    [({"per_digit": 7}, ValueError, r"at most 6, one picture per style.*Nothing was written"),
     ({"per_digit": 0}, ValueError, r"per_digit should be at least 1"),
     ({"per_digit": 2.5}, TypeError, r"per_digit should be a whole number"),
     ({"per_digit": "2"}, TypeError, r"per_digit should be a whole number"),
     ({"per_digit": None}, TypeError, r"per_digit should be a whole number"),
     ({"seed": -1}, ValueError, r"seed should be at least 0"),
     ({"seed": 0.5}, TypeError, r"seed should be a whole number")],
    ids=["per_digit 7", "per_digit 0", "per_digit fraction", "per_digit string", "per_digit None",
         "seed negative", "seed fraction"],
)
def test_make_sample_digits_refuses_before_writing(tmp_path, kwargs, kind, said):
    folder = tmp_path / "own"
    expect(lambda: samples.make_sample_digits(folder, **kwargs), kind, said)
    assert not folder.exists()


def test_make_sample_digits_folder_mixups(tmp_path):
    (tmp_path / "file").write_text("x")
    expect(lambda: samples.make_sample_digits(tmp_path / "file"), ValueError, r"is a file; expected a folder")
    expect(lambda: samples.make_sample_digits(None), TypeError, r"folder should be a folder name")
    expect(lambda: d.sample_digit_paths(3), TypeError, r"folder should be a folder name")


def test_good_inputs_still_work(tmp_path):
    paths = samples.make_sample_digits(tmp_path, per_digit=6)
    assert len(paths) == 60 == len({p.name for p in paths}) == len(list(tmp_path.iterdir()))
    digit = d.preprocess_digit(paths[0], for_model=True)
    assert digit.shape == (1, 28, 28, 1) and np.isfinite(digit).all()
    assert d.preprocess_digit((GRAY * 255).astype(np.uint8)).shape == (28, 28)
    assert d.box_size(np.int64(10), 5) == (20, 10)
    assert d.center_of_mass(GRAY > 0) == pytest.approx((19.5, 19.5))
