"""helpers._machinery.export: a trained network as a JSON header plus float32 weights (the draw-a-digit page).

The exported network, run by `helpers._machinery.export.forward` (the NumPy twin of the page's
JavaScript), must give Keras's own probabilities, batch norm folded or not; bad input gets a
TypeError or ValueError with a sentence.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from helpers._machinery import export
from helpers.models import build_improved_cnn, build_seed_cnn


def keras_and_export(model, images, tmp_path, name="net"):
    """Keras's probabilities and the exported network's, for the same images."""
    header_path = export.export_model(model, tmp_path, name)
    header, arrays = export.load_export(header_path)
    expected = model.predict(images[..., None], verbose=0)
    got = np.array([export.forward(header, arrays, image) for image in images])
    return header, expected, got


@pytest.fixture()
def images(rng):
    return rng.random((8, 28, 28), dtype=np.float32)


def randomise_batch_norm(model, rng, negative=False):
    """Give every batch norm layer trained-looking statistics (and negative scales if asked)."""
    for layer in model.layers:
        if type(layer).__name__ == "BatchNormalization":
            n = layer.gamma.shape[0]
            gamma = rng.uniform(0.5, 2.0, n) * (np.where(rng.random(n) < 0.5, -1, 1) if negative else 1)
            layer.set_weights([gamma, rng.normal(0, 0.5, n), rng.normal(0, 0.3, n), rng.uniform(0.2, 3.0, n)])


def test_seed_network_header_shapes_and_predictions(images, tmp_path):
    model = build_seed_cnn()
    header, expected, got = keras_and_export(model, images, tmp_path)
    assert [layer["type"] for layer in header["layers"]] == [
        "conv2d", "max_pool2d", "conv2d", "max_pool2d", "conv2d", "max_pool2d", "flatten", "dense", "dense"]
    assert [layer["output_shape"] for layer in header["layers"]] == [
        [26, 26, 25], [13, 13, 25], [11, 11, 64], [5, 5, 64], [3, 3, 64], [1, 1, 64], [64], [64], [10]]
    assert header["layers"][0]["weights"]["kernel"]["shape"] == [3, 3, 1, 25]
    assert header["bytes"] == 4 * model.count_params()
    assert (tmp_path / "net.bin").stat().st_size == header["bytes"]
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_batch_norm_after_pooling_is_folded_exactly_when_scales_are_positive(images, tmp_path, rng):
    model = build_improved_cnn()
    randomise_batch_norm(model, rng)
    header, expected, got = keras_and_export(model, images, tmp_path)
    types = [layer["type"] for layer in header["layers"]]
    assert "affine" not in types
    assert [layer.get("folded") for layer in header["layers"] if layer["type"] == "conv2d"] == [
        ["batch_norm_1"], ["batch_norm_2"], ["batch_norm_3"]]
    assert "dropout" in types  # kept in the header, the identity at inference
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_batch_norm_with_negative_scales_stays_in_place_after_pooling(images, tmp_path, rng):
    """max(-x) is -min(x): a negative scale cannot move across a pooling, so it is not folded there."""
    model = build_improved_cnn()
    randomise_batch_norm(model, rng, negative=True)
    header, expected, got = keras_and_export(model, images, tmp_path)
    names = [layer["name"] for layer in header["layers"] if layer["type"] == "affine"]
    assert names == ["batch_norm_1", "batch_norm_2"]  # block 3 has no pooling: folded
    conv3 = [layer for layer in header["layers"] if layer["name"] == "conv2d_3"][0]
    assert conv3["folded"] == ["batch_norm_3"]
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_same_padding_relu_layer_and_global_average_pooling(images, tmp_path, rng):
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(8, 3, padding="same"),
        layers.BatchNormalization(),
        layers.ReLU(),
        layers.MaxPooling2D(2, padding="same"),
        layers.Conv2D(6, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(3, strides=2, padding="same"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(10),
        layers.Activation("softmax"),
    ])
    randomise_batch_norm(model, rng, negative=True)  # directly after the convolution: folded anyway
    header, expected, got = keras_and_export(model, images, tmp_path)
    assert header["layers"][0]["folded"] and "affine" not in [layer["type"] for layer in header["layers"]]
    assert header["layers"][0]["output_shape"] == [28, 28, 8]
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_a_model_history_tuple_is_refused(tmp_path):
    model = build_seed_cnn()
    with pytest.raises(TypeError, match="tuple.*model, history"):
        export.export_model((model, {"loss": [1.0]}), tmp_path, "net")


def test_a_functional_model_is_refused(tmp_path):
    import keras

    inputs = keras.Input((28, 28, 1))
    outputs = keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(inputs))
    with pytest.raises(TypeError, match="keras.Sequential"):
        export.model_spec(keras.Model(inputs, outputs))


@pytest.mark.parametrize("make_layer, message", [
    (lambda layers: layers.AveragePooling2D(2), "AveragePooling2D, which the page cannot run"),
    (lambda layers: layers.Conv2D(4, 3, strides=2), "only stride 1"),
    (lambda layers: layers.Conv2D(4, 3, activation="tanh"), "activation 'tanh'"),
])
def test_an_unsupported_layer_is_refused(tmp_path, make_layer, message):
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input((28, 28, 1)), make_layer(layers), layers.Flatten(), layers.Dense(10)])
    with pytest.raises(ValueError, match=message):
        export.export_model(model, tmp_path, "net")
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_a_network_for_other_images_and_a_bad_name_are_refused(tmp_path):
    import keras

    other = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10)])
    with pytest.raises(ValueError, match=r"\(28, 28, 1\)"):
        export.model_spec(other)
    with pytest.raises(ValueError, match="name should be"):
        export.export_model(build_seed_cnn(), tmp_path, "../net")


def test_a_truncated_or_foreign_export_is_refused(tmp_path):
    header_path = export.export_model(build_seed_cnn(), tmp_path, "net")
    binary = tmp_path / "net.bin"
    binary.write_bytes(binary.read_bytes()[:-4])
    with pytest.raises(ValueError, match="bytes; its header says"):
        export.load_export(header_path)
    header_path.write_text(json.dumps({"format": "something else"}))
    with pytest.raises(ValueError, match="not a readable network export|is not a"):
        export.load_export(header_path)


def test_forward_refuses_a_wrong_image_shape(tmp_path):
    header, arrays = export.load_export(export.export_model(build_seed_cnn(), tmp_path, "net"))
    with pytest.raises(ValueError, match=r"\(28, 28\)"):
        export.forward(header, arrays, np.zeros((1, 28, 28, 1)))


def test_export_trained_without_models_writes_a_manifest_that_says_so(tmp_path):
    samples = tmp_path / "samples_in"
    samples.mkdir()
    (samples / "7_test.png").write_bytes(b"not read, only copied")
    (samples / "notes.txt").write_text("not a sample")
    manifest = export.export_trained(tmp_path / "no_models", tmp_path / "out", samples)
    assert manifest["networks"] == [] and manifest["missing"] == ["seed_cnn", "improved_cnn"]
    assert manifest["samples"] == [{"file": "samples/7_test.png", "label": 7}]
    assert json.loads((tmp_path / "out" / export.MANIFEST).read_text()) == manifest


def test_unfolded_export_keeps_every_keras_layer_and_its_output(images, tmp_path, rng):
    """fold=False (what the page exports): one header entry per Keras layer, by name, and
    the NumPy forward pass stopped after any layer gives that Keras layer's output."""
    import keras

    model = build_improved_cnn()
    randomise_batch_norm(model, rng, negative=True)
    header, arrays = export.load_export(export.export_model(model, tmp_path, "net", fold=False))
    assert [layer["name"] for layer in header["layers"]] == [layer.name for layer in model.layers]
    assert not any("folded" in layer for layer in header["layers"])
    probe = keras.Model(model.inputs, [layer.output for layer in model.layers])
    expected = probe.predict(images[..., None], verbose=0)
    for stop in range(1, len(header["layers"]) + 1):
        partial = {**header, "layers": header["layers"][:stop]}
        got = np.array([export.forward(partial, arrays, image) for image in images])
        np.testing.assert_allclose(got.reshape(len(images), -1), expected[stop - 1].reshape(len(images), -1),
                                   atol=1e-4, err_msg=header["layers"][stop - 1]["name"])


def test_fold_and_extra_must_be_what_they_say(tmp_path):
    model = build_seed_cnn()
    with pytest.raises(TypeError, match="fold should be True or False; got"):
        export.model_spec(model, fold="no")
    with pytest.raises(TypeError, match="extra should be a dict of header entries or None"):
        export.export_model(model, tmp_path, "net", extra=["input_seen"])
    header = json.loads(export.export_model(model, tmp_path, "net", extra={"input_seen": None}).read_text())
    assert header["input_seen"] is None
