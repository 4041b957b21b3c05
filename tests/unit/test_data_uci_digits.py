"""The UCI handwritten digits chapter 9 reads: the shipped file, its loader, and the two 8x8
helpers (`upscale_8x8` for UCI's digits, `reduce_to_8x8` for the MNIST control)."""

from __future__ import annotations

import fnmatch
import sys
from pathlib import Path

import numpy as np
import pytest
from bad_inputs import expect

from helpers import data
from helpers import digits as d

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def uci():
    return data.load_uci_digits()


def test_the_shipped_digits_are_the_1797_uci_test_digits(uci):
    images, labels = uci
    assert images.shape == (data.UCI_DIGITS_COUNT, 8, 8) == (1797, 8, 8) and labels.shape == (1797,)
    assert images.dtype == np.uint8 and labels.dtype == np.uint8
    assert images.min() == 0 and images.max() == 16  # inked pixels of a 4x4 block
    assert list(np.bincount(labels)) == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert list(labels[:10]) == list(range(10))
    assert (images > 0).any(axis=2).all()  # UCI scaled every digit to the full height


def test_the_file_ships_as_package_data():
    if sys.version_info < (3, 11):
        pytest.skip("tomllib needs Python 3.11")
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["helpers"]
    shipped = data.UCI_DIGITS_FILE.relative_to(ROOT / "helpers").as_posix()
    assert data.UCI_DIGITS_FILE.is_file()
    assert any(fnmatch.fnmatch(shipped, pattern) for pattern in patterns), (shipped, patterns)


def test_the_licence_asks_for_the_citation_the_book_gives():
    assert "CC BY 4.0" in data.UCI_DIGITS_CITATION and "10.24432/C50P49" in data.UCI_DIGITS_CITATION
    bib = (ROOT / "references.bib").read_text()
    entry = bib.split("@misc{alpaydin1998optical", 1)[1].split("\n}", 1)[0]
    assert "10.24432/C50P49" in entry and "Alpaydin" in entry
    assert "alpaydin1998optical" in (ROOT / "chapters" / "09_your_own_digit.ipynb").read_text()


def _npz(tmp_path, **arrays):
    path = tmp_path / "digits.npz"
    np.savez(path, **arrays)
    return path


def test_bad_copies_are_refused(tmp_path):
    good_images, good_labels = np.zeros((3, 8, 8), np.uint8), np.array([0, 1, 2], np.uint8)
    cases = [
        (lambda: data.load_uci_digits(tmp_path / "none.npz"), ValueError, r"no file at .*none\.npz"),
        (lambda: data.load_uci_digits(42), TypeError, r"str or Path.*got the int 42|got .*42"),
        (lambda: data.load_uci_digits(_npz(tmp_path, images=good_images)), ValueError, r"labels"),
        (lambda: data.load_uci_digits(_npz(tmp_path, images=np.zeros((3, 28, 28), np.uint8), labels=good_labels)),
         ValueError, r"shape \(n, 8, 8\); got uint8 \(3, 28, 28\)"),
        (lambda: data.load_uci_digits(_npz(tmp_path, images=good_images + 17, labels=good_labels)),
         ValueError, r"0-16; got up to 17"),
        (lambda: data.load_uci_digits(_npz(tmp_path, images=good_images, labels=good_labels[:2])),
         ValueError, r"labels should have shape \(3,\)"),
        (lambda: data.load_uci_digits(_npz(tmp_path, images=good_images, labels=good_labels + 8)),
         ValueError, r"digits 0-9"),
    ]
    for call, kind, said in cases:
        expect(call, kind, said)


def test_a_missing_shipped_file_says_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "UCI_DIGITS_FILE", tmp_path / "uci_digits.npz")
    expect(data.load_uci_digits, ValueError, r"missing .*reinstall the helpers")


def test_upscale_turns_counts_into_a_share_of_ink():
    image = np.zeros((8, 8), np.uint8)
    image[:, 3:5] = 16  # a full-height bar, two blocks wide
    big = d.upscale_8x8(image)
    assert big.shape == (32, 32) and big.dtype == np.float32
    assert big.min() == 0.0 and big.max() == 1.0
    assert np.allclose(big[:, 14:18], 1.0) and np.allclose(big[:, :10], 0.0)
    assert np.isclose(d.upscale_8x8(image // 2).max(), 0.5)  # half-inked blocks stay half grey


def test_uci_digits_go_through_the_pipeline_like_any_picture(uci):
    images, _ = uci
    for image in images[:50]:
        big = d.upscale_8x8(image)
        assert not d.ink_on_black(big)[1]  # already ink on black: never inverted
        digit = d.preprocess_digit(big)
        rows, cols = np.flatnonzero(digit.any(axis=1)), np.flatnonzero(digit.any(axis=0))
        assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 == 20  # MNIST's 20x20 box


def test_reduce_counts_ink_in_4x4_blocks_of_a_32x32_scan():
    digit = np.zeros((28, 28), np.uint8)
    digit[4:24, 12:16] = 255  # a bar 20 tall, 4 wide: scaled to 32 x 6, columns 13-18 of the scan
    small = d.reduce_to_8x8(digit)
    expected = np.zeros((8, 8), np.uint8)
    expected[:, 3] = expected[:, 4] = 12  # 3 of the 4 columns of blocks 3 and 4, all 4 rows
    assert small.dtype == np.uint8 and np.array_equal(small, expected)
    assert np.array_equal(d.reduce_to_8x8(digit / 255.0), expected)  # floats in [0, 1] too


def test_reduced_mnist_digits_look_like_uci_digits(mnist, uci):
    (_, _), (x_test, _) = mnist
    small = np.stack([d.reduce_to_8x8(image) for image in x_test[:200]])
    assert small.max() == 16 and small.dtype == np.uint8
    # like UCI's, most fill all 8 rows (wide digits fill the 8 columns instead)
    assert (small > 0).any(axis=2).all(axis=1).mean() > 0.9


def test_the_8x8_helpers_refuse_what_they_cannot_read():
    cases = [
        (lambda: d.upscale_8x8(np.zeros((1797, 8, 8))), ValueError, r"shape \(8, 8\); got shape \(1797, 8, 8\).*batch"),
        (lambda: d.upscale_8x8(np.full((8, 8), 255, np.uint8)), ValueError, r"0-16; got values from 255"),
        (lambda: d.upscale_8x8(np.full((8, 8), -1.0)), ValueError, r"0-16"),
        (lambda: d.upscale_8x8(np.zeros((8, 8), bool)), ValueError, r"got dtype bool"),
        (lambda: d.upscale_8x8(np.full((8, 8), np.nan)), ValueError, r"NaN"),
        (lambda: d.reduce_to_8x8(np.zeros((8, 8), np.uint8)), ValueError, r"\(28, 28\); got shape \(8, 8\)"),
        (lambda: d.reduce_to_8x8(np.zeros((28, 28), np.uint8)), ValueError, r"no ink"),
        (lambda: d.reduce_to_8x8(np.full((28, 28), 300)), ValueError, r"0-255"),
    ]
    for call, kind, said in cases:
        expect(call, kind, said)
