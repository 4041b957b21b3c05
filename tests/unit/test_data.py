"""The MNIST loader: each of its paths, without any network, and the preparation helpers."""

from __future__ import annotations

import urllib.error

import numpy as np
import pytest

from helpers import data


def _network_down():
    raise Exception(  # what keras.utils.get_file raises when the download fails
        "URL fetch failure on https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz: "
        "None -- [Errno -2] Name or service not known"
    )


def _arrays(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def test_local_file_matches_known_facts_of_mnist(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert list(y_train[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert list(y_test[:10]) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert list(np.bincount(y_test)) == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert x_train.max() == 255 and x_train.min() == 0


def test_keras_loader_is_used_when_it_works(monkeypatch, mnist):
    calls = []

    def keras_ok():
        calls.append(1)
        return mnist

    monkeypatch.setattr(data, "_keras_load", keras_ok)
    monkeypatch.setattr(data, "load_mnist_npz", lambda path: pytest.fail("the local file must not be read"))
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    assert calls == [1]
    assert x_train is mnist[0][0] and y_test is mnist[1][1]


def test_offline_falls_back_to_the_file_in_the_env_var(monkeypatch, mnist_path):
    monkeypatch.setattr(data, "_keras_load", _network_down)
    monkeypatch.setenv(data.MNIST_ENV_VAR, str(mnist_path))
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert y_train[0] == 5 and y_test[0] == 7


@pytest.mark.parametrize("error", [urllib.error.URLError("no route"), ConnectionError("refused"), TimeoutError()])
def test_other_network_errors_also_fall_back(monkeypatch, mnist_path, error):
    def fail():
        raise error

    monkeypatch.setattr(data, "_keras_load", fail)
    monkeypatch.setenv(data.MNIST_ENV_VAR, str(mnist_path))
    assert data.load_mnist()[0][0].shape == (60000, 28, 28)


def test_no_source_at_all_says_how_to_get_the_data(monkeypatch):
    monkeypatch.setattr(data, "_keras_load", _network_down)
    monkeypatch.delenv(data.MNIST_ENV_VAR, raising=False)
    with pytest.raises(data.MnistUnavailableError) as info:
        data.load_mnist()
    message = str(info.value)
    assert "MNIST_NPZ" in message and "mnist.npz" in message and "export" in message


def test_env_var_naming_a_missing_file(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "_keras_load", _network_down)
    monkeypatch.setenv(data.MNIST_ENV_VAR, str(tmp_path / "nowhere.npz"))
    with pytest.raises(ValueError, match="not a file"):
        data.load_mnist()


def test_errors_that_are_not_about_the_network_are_not_hidden(monkeypatch, mnist_path):
    def broken():
        raise RuntimeError("a bug in the loader")

    monkeypatch.setattr(data, "_keras_load", broken)
    monkeypatch.setenv(data.MNIST_ENV_VAR, str(mnist_path))
    with pytest.raises(RuntimeError, match="a bug"):
        data.load_mnist()


def test_keras_result_is_validated(monkeypatch, mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    monkeypatch.setattr(data, "_keras_load", lambda: ((x_train[:100], y_train[:100]), (x_test, y_test)))
    with pytest.raises(ValueError, match=r"x_train should have shape \(60000, 28, 28\); got \(100, 28, 28\)"):
        data.load_mnist()


def test_garbage_file_is_a_clear_error(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_bytes(b"this is not a zip archive")
    with pytest.raises(ValueError, match="not a readable MNIST .npz"):
        data.load_mnist_npz(path)


def test_truncated_file_is_a_clear_error(tmp_path, mnist_path):
    path = tmp_path / "mnist.npz"
    path.write_bytes(mnist_path.read_bytes()[:100_000])
    with pytest.raises(ValueError, match="not a readable MNIST .npz"):
        data.load_mnist_npz(path)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda a: a.pop("y_test"), r"lacks the arrays \['y_test'\]"),
        (lambda a: a.update(x_train=a["x_train"][:59999]), r"x_train should have shape \(60000, 28, 28\); got \(59999, 28, 28\)"),
        (lambda a: a.update(x_test=a["x_test"].astype(np.float32)), "x_test should have dtype uint8; got float32"),
        (lambda a: a.update(y_train=a["y_train"] + 1), "y_train should hold labels 0-9; got the label 10"),
    ],
)
def test_wrong_contents_are_named(tmp_path, mnist, change, message):
    arrays = dict(_arrays(mnist))
    change(arrays)
    path = tmp_path / "mnist.npz"
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=message):
        data.load_mnist_npz(path)


def test_pickled_objects_are_refused(tmp_path, mnist):
    arrays = dict(_arrays(mnist))
    arrays["x_test"] = np.array([object()] * 3, dtype=object)
    path = tmp_path / "mnist.npz"
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="not a readable MNIST .npz"):
        data.load_mnist_npz(path)


def test_scale_images_divides_every_pixel_by_255(mnist):
    """Not just float32 in [0, 1] (a binarised image is that too): every pixel, every grey level."""
    raw = mnist[1][0]
    x = data.scale_images(raw)
    assert x.dtype == np.float32 and x.shape == raw.shape
    np.testing.assert_array_equal(np.round(x * 255).astype(np.uint8), raw)
    np.testing.assert_allclose(x * 255, raw, atol=1e-4)
    assert len(np.unique(x)) == len(np.unique(raw)) > 2  # the grey levels survive


def test_scale_images_refuses_already_scaled_input(mnist):
    with pytest.raises(ValueError, match="should be raw uint8 pixels"):
        data.scale_images(mnist[1][0] / 255)


def test_add_channel_axis_adds_an_axis_and_keeps_the_pixels(mnist):
    x = mnist[1][0]
    x4 = data.add_channel_axis(x)
    assert x4.shape == (10000, 28, 28, 1)
    assert np.array_equal(x4[..., 0], x)


def test_add_channel_axis_refuses_flat_images():
    with pytest.raises(ValueError, match=r"should have shape \(n, 28, 28\) for add_channel_axis; got \(5, 784\)"):
        data.add_channel_axis(np.zeros((5, 784), np.uint8))


def test_split_validation_is_disjoint_complete_and_repeatable(mnist):
    x, y = mnist[0]
    (xf, yf), (xv, yv) = data.split_validation(x, y, n_val=5000, seed=0)
    assert len(xf) == 55000 and len(xv) == 5000
    (xf2, _), (xv2, _) = data.split_validation(x, y, n_val=5000, seed=0)
    assert np.array_equal(xv, xv2)
    assert np.bincount(yf, minlength=10).sum() + np.bincount(yv, minlength=10).sum() == 60000
    assert set(np.bincount(yv, minlength=10)) and (np.bincount(yv, minlength=10) > 350).all()


def test_split_validation_bad_sizes(mnist):
    x, y = mnist[0]
    with pytest.raises(ValueError, match="same length"):
        data.split_validation(x, y[:10])
    with pytest.raises(ValueError, match="n_val should be between"):
        data.split_validation(x, y, n_val=0)


def test_check_labels_names_probabilities():
    with pytest.raises(ValueError, match="probabilities"):
        data.check_labels(np.full((4, 10), 0.1))
    with pytest.raises(ValueError, match="digits 0-9; got values from 0 to 12"):
        data.check_labels(np.array([0, 12]))
    assert data.check_labels(np.array([1.0, 2.0])).dtype == np.int64


def test_check_images_names_the_problem():
    with pytest.raises(ValueError, match=r"\(n, 28, 28\) or \(n, 28, 28, 1\); got \(3, 32, 32\)"):
        data.check_images(np.zeros((3, 32, 32)))
    with pytest.raises(ValueError, match="scaled to \\[0, 1\\]"):
        data.check_images(np.full((2, 28, 28), 255.0), scaled=True)
