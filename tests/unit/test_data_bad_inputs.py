"""Bad inputs to helpers.data, as students make them, each answered by a sentence.

Every case asserts the exact exception type (a ValueError or TypeError raised by the helper,
not a subclass thrown by NumPy or zlib) and that the message names what was expected.
"""

from __future__ import annotations

import re
import zipfile

import numpy as np
import pytest
from bad_inputs import expect

from helpers import data

NAN_IMAGES = np.zeros((4, 28, 28, 1), np.float32)
NAN_IMAGES[3, 14, 2, 0] = np.nan
INF_IMAGES = np.zeros((2, 28, 28), np.float32)
INF_IMAGES[1, 0, 5] = np.inf
X = np.zeros((10, 28, 28), np.uint8)
Y = np.arange(10)


CASES = [
    # check_images
    ("images NaN", lambda: data.check_images(NAN_IMAGES), ValueError, r"contains NaN at index \(3, 14, 2, 0\)"),
    ("images NaN scaled", lambda: data.check_images(NAN_IMAGES, scaled=True), ValueError, r"NaN at index"),
    ("images inf", lambda: data.check_images(INF_IMAGES), ValueError, r"contains infinity at index \(1, 0, 5\)"),
    ("images uint8 for scaled", lambda: data.check_images(X, scaled=True), ValueError, r"raw uint8 pixels.*255"),
    ("images 0-255 floats for scaled", lambda: data.check_images(X * 1.0 + 255, scaled=True), ValueError,
     r"scaled to \[0, 1\]"),
    ("images one digit", lambda: data.check_images(np.zeros((28, 28))), ValueError, r"one digit.*np\.newaxis"),
    ("images flattened", lambda: data.check_images(np.zeros((5, 784))), ValueError, r"reshape\(-1, 28, 28\)"),
    ("images RGB", lambda: data.check_images(np.zeros((5, 28, 28, 3))), ValueError, r"\(n, 28, 28, 1\); got"),
    ("images bool", lambda: data.check_images(np.zeros((5, 28, 28), bool)), ValueError, r"hold numbers"),
    ("images string", lambda: data.check_images("digits.png"), TypeError, r"array of numbers; got the str"),
    ("images None", lambda: data.check_images(None), TypeError, r"array of numbers; got None"),
    ("images ragged", lambda: data.check_images([[1, 2], [3]]), ValueError, r"rows of different lengths"),
    ("images of text", lambda: data.check_images([["a"] * 28] * 28), ValueError, r"should hold numbers"),
    ("images negative raw", lambda: data.check_images(X - 1.0, scaled=False), ValueError, r"pixels 0-255"),
    ("images scaled string", lambda: data.check_images(X, scaled="yes"), TypeError, r"scaled should be True or False"),
    ("images function", lambda: data.check_images(np.zeros), TypeError, r"forget to call it"),
    # check_labels
    ("labels one-hot", lambda: data.check_labels(np.eye(10)), ValueError, r"one-hot.*argmax"),
    ("labels probabilities", lambda: data.check_labels(np.full((3, 10), 0.1)), ValueError, r"probabilities"),
    ("labels fractions", lambda: data.check_labels([1.0, 2.5]), ValueError, r"whole numbers 0-9; got 2\.5 at index 1"),
    ("labels NaN", lambda: data.check_labels([1.0, 2.0, np.nan]), ValueError, r"contains NaN at index 2"),
    ("labels 10", lambda: data.check_labels([3, 10]), ValueError, r"digits 0-9.*10, at index 1"),
    ("labels negative", lambda: data.check_labels([-1, 3]), ValueError, r"digits 0-9.*at index 0"),
    ("labels bool", lambda: data.check_labels(np.array([True, False])), ValueError, r"booleans"),
    ("labels scalar", lambda: data.check_labels(7), ValueError, r"wrap it in a list"),
    ("labels text", lambda: data.check_labels(["3", "4"]), ValueError, r"should hold numbers"),
    ("labels 3-D", lambda: data.check_labels(np.zeros((2, 2, 2))), ValueError, r"1-D array of digits"),
    ("labels None", lambda: data.check_labels(None), TypeError, r"array of numbers; got None"),
    ("labels dict", lambda: data.check_labels({"a": 1}), TypeError, r"array of numbers; got a dict"),
    # scale_images, add_channel_axis, prepare_images
    ("scale floats", lambda: data.scale_images(X / 255), ValueError, r"images should be raw uint8 pixels 0-255 for scale_images; got dtype float64"),
    ("scale int64 list", lambda: data.scale_images([[0, 255]]), ValueError, r"uint8.*int64"),
    ("scale None", lambda: data.scale_images(None), TypeError, r"images should be an array"),
    ("channel twice", lambda: data.add_channel_axis(np.zeros((3, 28, 28, 1))), ValueError, r"channel axis already"),
    ("channel flat", lambda: data.add_channel_axis(np.zeros((3, 784))), ValueError, r"images should have shape \(n, 28, 28\) for add_channel_axis; got \(3, 784\)"),
    ("channel string", lambda: data.add_channel_axis("x"), TypeError, r"array of numbers"),
    ("prepare scaled", lambda: data.prepare_images(X / 255.0), ValueError, r"uint8"),
    # split_validation
    ("n_val fraction", lambda: data.split_validation(X, Y, n_val=0.5), TypeError, r"n_val should be a whole number"),
    ("n_val string", lambda: data.split_validation(X, Y, n_val="3"), TypeError, r"n_val.*the str '3'"),
    ("n_val None", lambda: data.split_validation(X, Y, n_val=None), TypeError, r"n_val.*got None"),
    ("n_val bool", lambda: data.split_validation(X, Y, n_val=True), TypeError, r"n_val should be a whole number"),
    ("n_val whole float", lambda: data.split_validation(X, Y, n_val=3.0), TypeError, r"write 3"),
    ("n_val negative", lambda: data.split_validation(X, Y, n_val=-5), ValueError, r"n_val should be between 1 and 9; got -5"),
    ("n_val all", lambda: data.split_validation(X, Y, n_val=10), ValueError, r"n_val should be between 1 and 9; got 10"),
    ("seed negative", lambda: data.split_validation(X, Y, n_val=2, seed=-1), ValueError, r"seed should be at least 0"),
    ("seed fraction", lambda: data.split_validation(X, Y, n_val=2, seed=1.5), TypeError, r"seed should be a whole"),
    ("seed string", lambda: data.split_validation(X, Y, n_val=2, seed="0"), TypeError, r"seed should be a whole"),
    ("split lengths", lambda: data.split_validation(X, Y[:5], n_val=2), ValueError, r"same length; got 10 and 5"),
    ("split empty", lambda: data.split_validation(X[:0], Y[:0], n_val=1), ValueError, r"x should hold at least 2 examples.*; got 0"),
    ("split None", lambda: data.split_validation(None, Y, n_val=1), TypeError, r"x should be an array"),
    ("split scalar", lambda: data.split_validation(3, 4, n_val=1), ValueError, r"arrays of examples"),
    # load_prepared: refused before the (slow) loading
    ("prepared n_val fraction", lambda: data.load_prepared(n_val=2.5), TypeError, r"n_val should be a whole"),
    ("prepared n_val zero", lambda: data.load_prepared(n_val=0), ValueError, r"n_val should be at least 1"),
    ("prepared n_val all", lambda: data.load_prepared(n_val=60000), ValueError, r"at most 59999"),
    ("prepared seed None", lambda: data.load_prepared(seed=None), TypeError, r"seed should be a whole"),
    # validate_mnist, load_mnist_npz given no path
    ("validate list", lambda: data.validate_mnist([X]), TypeError, r"dict of the four MNIST arrays"),
    ("validate lists", lambda: data.validate_mnist({k: [0] for k in data.EXPECTED_SHAPES}), TypeError,
     r"x_train should be a NumPy array"),
    ("npz None", lambda: data.load_mnist_npz(None), TypeError, r"file name of mnist\.npz"),
    ("npz number", lambda: data.load_mnist_npz(42), TypeError, r"file name of mnist\.npz"),
]


@pytest.mark.parametrize(("call", "kind", "said"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named(call, kind, said, monkeypatch):
    monkeypatch.setattr(data, "load_mnist", lambda: pytest.fail("load_prepared loaded MNIST before checking"))
    expect(call, kind, said)


def _small_arrays():
    return {"x_train": np.zeros((3, 28, 28), np.uint8), "y_train": np.zeros(3, np.uint8),
            "x_test": np.zeros((2, 28, 28), np.uint8), "y_test": np.zeros(2, np.uint8)}


def _damaged_compressed(path):
    rng = np.random.default_rng(0)
    np.savez_compressed(path, **{**_small_arrays(), "x_train": rng.integers(0, 255, (300, 28, 28), dtype=np.uint8)})
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("x_train.npy")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 200
    raw[start:start + 400] = bytes(400)  # zero part of the deflate stream, leave the directory intact
    path.write_bytes(bytes(raw))


def _zip_of_text(path):
    with zipfile.ZipFile(path, "w") as archive:
        for key in data.EXPECTED_SHAPES:
            archive.writestr(key, "1,2,3")


FILES = [
    ("damaged compressed", _damaged_compressed, r"damaged or truncated"),
    ("npy as npz", lambda p: p.write_bytes(_npy_bytes(p)), r"single \.npy array"),
    ("text file", lambda p: p.write_text("x_train,y_train\n1,2\n"), r"not a zip archive"),
    ("binary junk", lambda p: p.write_bytes(bytes(range(256)) * 8), r"not a zip archive"),
    ("empty file", lambda p: p.write_bytes(b""), r"it is empty"),
    ("truncated", lambda p: (np.savez(p, **_small_arrays()), p.write_bytes(p.read_bytes()[:300])), r"damaged or truncated"),
    ("missing key", lambda p: np.savez(p, **{k: v for k, v in _small_arrays().items() if k != "y_test"}),
     r"lacks the arrays \['y_test'\]"),
    ("pickled objects", lambda p: np.savez(p, **{**_small_arrays(), "y_test": np.array([object()], dtype=object)}),
     r"Python objects, which are never loaded"),
    ("zip of text files", _zip_of_text, r"zip archive of other files"),
    ("folder", lambda p: p.mkdir(), r"not a file"),
    ("missing", lambda p: None, r"not a file"),
    ("wrong shapes", lambda p: np.savez(p, **_small_arrays()), r"x_train should have shape \(60000, 28, 28\); got \(3, 28, 28\)"),
]


def _npy_bytes(path):
    np.save(path.with_suffix(".tmp.npy"), np.zeros(3))
    return path.with_suffix(".tmp.npy").read_bytes()


@pytest.mark.parametrize(("make", "said"), [f[1:] for f in FILES], ids=[f[0] for f in FILES])
def test_bad_files_are_named(tmp_path, make, said):
    path = tmp_path / "mnist.npz"
    make(path)
    message = expect(lambda: data.load_mnist_npz(path), ValueError, said)
    assert "mnist.npz" in message and re.search(r"expected|should (hold|have|name)", message)


def test_good_inputs_still_work(mnist_path):
    (x_train, y_train), (x_test, _) = data.load_mnist_npz(str(mnist_path))
    assert x_train.shape == (60000, 28, 28) and y_train.dtype == np.uint8
    data.check_images(data.prepare_images(x_test[:5]), scaled=True)
    data.check_images(x_test[:5].tolist(), scaled=False)
    assert data.check_labels([1.0, 2.0]).tolist() == [1, 2]
    assert data.check_labels(np.array([], np.int64)).size == 0
    (xf, _), (xv, _) = data.split_validation(X, Y, n_val=np.int64(3), seed=np.int32(1))
    assert len(xf) == 7 and len(xv) == 3
    assert data.add_channel_axis(X.tolist()).shape == (10, 28, 28, 1)
