"""The article's network and the one training recipe: shapes, the data pipeline, save and reload.

Kept tiny and fast: the models fitted here see 256 images for one epoch.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from helpers import models, training


@pytest.fixture(scope="module")
def seed_model():
    return models.build_seed_cnn()


def test_seed_network_has_the_articles_layers_shapes_and_parameters(seed_model):
    assert models.layer_table(seed_model) == models.SEED_LAYERS
    assert seed_model.count_params() == models.SEED_PARAMS == 56_452
    assert seed_model.input_shape == (None, 28, 28, 1) and seed_model.output_shape == (None, 10)


def test_parameter_formulas_agree_with_keras(seed_model):
    by_name = {layer.name: layer.count_params() for layer in seed_model.layers}
    assert by_name["conv2d_1"] == models.conv_params(3, 1, 25) == 250
    assert by_name["conv2d_2"] == models.conv_params(3, 25, 64)
    assert by_name["dense_1"] == models.dense_params(64, 64)
    assert models.build_seed_cnn(filters=(32, 64, 64)).count_params() == 56_452 + 7 * 10 + 7 * 9 * 64


def test_the_articles_last_pooling_reads_only_the_top_left_of_its_3x3_maps(rng):
    """In the book's network the third pooling keeps one value of each 3x3 map: the largest of
    its top-left 2x2 window, so the last row and column of those maps never reach the output."""
    import keras

    seed_model = training.SEED_RECIPE.build()  # seeded: the same weights every run
    inside = keras.Model(seed_model.inputs, [seed_model.get_layer(name).output
                                             for name in ("conv2d_3", "max_pooling_3")])
    maps, pooled = (np.asarray(out) for out in inside([rng.random((4, 28, 28, 1), dtype=np.float32)]))
    assert maps.shape[1:3] == (3, 3) and pooled.shape[1:3] == (1, 1)
    np.testing.assert_array_equal(pooled[:, 0, 0], maps[:, :2, :2].max(axis=(1, 2)))
    assert (maps[:, 2, :] > maps[:, :2, :2].max(axis=(1, 2))[:, None]).any()  # a larger value left unread


def _data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 28, 28, 1)).astype(np.float32)
    y = rng.integers(0, 10, n)
    return x, y


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        (_data()[0].astype(np.float64), _data()[1], "float32"),
        (_data()[0] * 255, _data()[1], r"scaled to \[0, 1\]"),
        (_data()[0], _data()[1][:100], "same length"),
        (_data()[0].reshape(-1, 784), _data()[1], r"\(n, 28, 28, 1\)"),
        (_data()[0], _data()[1] + 5, "digits 0-9"),
    ],
)
def test_make_dataset_rejects_bad_input(x, y, message):
    with pytest.raises(ValueError, match=message):
        training.make_dataset(x, y, batch_size=32)


def test_make_dataset_batches_float32_images_and_int_labels():
    x, y = _data(100)
    batches = list(training.make_dataset(x, y, batch_size=32))
    assert [len(b[1]) for b in batches] == [32, 32, 32, 4]
    assert batches[0][0].shape == (32, 28, 28, 1) and batches[0][0].dtype.name == "float32"


def test_building_a_recipe_twice_gives_the_same_initial_weights():
    first, second = training.SEED_RECIPE.build(), training.SEED_RECIPE.build()
    for a, b in zip(first.get_weights(), second.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


TINY = training.Recipe(name="tiny_test", builder="build_seed_cnn", epochs=1, batch_size=64,
                       builder_kwargs={"filters": (4, 4, 4)})


@pytest.fixture(scope="module")
def tiny_fitted():
    x, y = _data(256)
    data = {"x_fit": x[:192], "y_fit": y[:192], "x_val": x[192:], "y_val": y[192:]}
    return training.fit_recipe(TINY, data, verbose=0)


def test_fit_recipe_records_one_value_per_epoch_and_the_time(tiny_fitted):
    _, record = tiny_fitted
    for key in ("loss", "accuracy", "val_loss", "val_accuracy", "epoch_seconds"):
        assert len(record[key]) == TINY.epochs, key
    assert len(record["seconds"]) == 1 and record["seconds"][0] >= sum(record["epoch_seconds"]) > 0


def test_save_then_load_gives_back_the_same_model_and_record(tiny_fitted, tmp_path):
    model, record = tiny_fitted
    path = training.save_trained(model, record, TINY, folder=tmp_path)
    assert path.suffix == ".keras" and path.is_file()
    loaded, loaded_record = training.load_trained(TINY, folder=tmp_path)
    assert loaded_record == record
    x, _ = _data(8, seed=1)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)


def test_load_trained_refuses_a_missing_corrupt_or_foreign_model(tiny_fitted, tmp_path):
    model, record = tiny_fitted
    assert training.load_trained(TINY, folder=tmp_path) is None  # nothing saved yet
    training.save_trained(model, record, TINY, folder=tmp_path)
    other = dataclasses.replace(TINY, epochs=2)  # same name, another recipe
    assert training.load_trained(other, folder=tmp_path) is None
    (tmp_path / "tiny_test.keras").write_bytes(b"not a keras file")
    assert training.load_trained(TINY, folder=tmp_path) is None
    meta = json.loads((tmp_path / "tiny_test.json").read_text())
    assert meta["fingerprint"] == TINY.fingerprint() and meta["recipe"]["name"] == "tiny_test"


def test_train_or_load_loads_without_training_when_a_model_is_saved(tiny_fitted, tmp_path, monkeypatch, capsys):
    model, record = tiny_fitted
    training.save_trained(model, record, TINY, folder=tmp_path)

    def no_training(*args, **kwargs):
        raise AssertionError("train_or_load trained although a valid model was saved")

    monkeypatch.setattr(training, "fit_recipe", no_training)
    _, loaded_record = training.train_or_load(TINY, folder=tmp_path)
    assert loaded_record == record and "Loaded" in capsys.readouterr().out


def test_history_record_checks_one_value_per_epoch():
    record = training.history_record({"loss": [0.5, 0.4], "val_loss": [0.6, 0.5]}, 3.0, [1.4, 1.5])
    assert record["seconds"] == [3.0] and record["epoch_seconds"] == [1.4, 1.5]
    with pytest.raises(ValueError, match="one value per epoch"):
        training.history_record({"loss": [0.5, 0.4], "val_loss": [0.6]}, 3.0, [1.4, 1.5])
    with pytest.raises(ValueError, match="one time per epoch"):
        training.history_record({"loss": [0.5, 0.4]}, 3.0, [1.4])


def test_make_dataset_prefetches_without_autotuning(rng):
    """Autotuning's threads slowed about half the epochs on a 2-core CPU (training.make_dataset)."""
    x = rng.random((10, 28, 28, 1), dtype=np.float32)
    dataset = training.make_dataset(x, np.arange(10) % 10, 4, shuffle=True)
    assert dataset.options().autotune.enabled is False
    assert [len(labels) for _, labels in dataset] == [4, 4, 2]
