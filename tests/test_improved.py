"""Chapter 7's pieces: the improved builder's switches, the augmenter, recipes and their subsets."""

from __future__ import annotations

import dataclasses
import datetime
import json

import numpy as np
import pytest

from helpers import models, training


def test_improved_network_with_article_switches_has_the_article_shapes():
    model = models.build_improved_cnn(widths=(25, 64, 64), batch_norm=False, dropout=0.0, last_pool=True,
                                      dense_units=64)
    assert model.count_params() == models.SEED_PARAMS
    assert model.output_shape == (None, 10)


def test_pooling_before_relu_computes_the_article_network(rng):
    """Max pooling commutes with ReLU: with the article's weights, the improved builder's
    block order (convolution, pooling, ReLU) gives the article's outputs exactly."""
    article = models.build_seed_cnn()
    pooled_first = models.build_improved_cnn(widths=(25, 64, 64), batch_norm=False, dropout=0.0,
                                             last_pool=True, dense_units=64)
    pooled_first.set_weights(article.get_weights())
    images = rng.random((16, 28, 28, 1), dtype=np.float32)
    np.testing.assert_allclose(pooled_first.predict(images, verbose=0), article.predict(images, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_improved_network_keeps_the_last_3x3_map():
    model = models.build_improved_cnn()
    assert model.get_layer("relu_3").output.shape[1:] == (3, 3, 128)
    assert model.get_layer("flatten").output.shape[1:] == (1152,)
    assert not any("max_pooling_3" == layer.name for layer in model.layers)
    assert model.output_shape == (None, 10)


def test_augmenter_keeps_shape_range_and_ink():
    images = np.zeros((4, 28, 28, 1), np.float32)
    images[:, 10:18, 12:16] = 1.0
    out = np.asarray(models.build_augmenter()(images, training=True))
    assert out.shape == images.shape
    assert out.min() >= 0.0 and out.max() <= 1.0 + 1e-6
    assert np.all(out.sum(axis=(1, 2, 3)) > 0.5 * images.sum(axis=(1, 2, 3)))  # the digit is still there
    assert not np.allclose(out, images)  # and it moved


def test_augmenter_does_nothing_at_inference():
    images = np.random.default_rng(0).random((2, 28, 28, 1)).astype(np.float32)
    assert np.allclose(np.asarray(models.build_augmenter()(images, training=False)), images)


def test_recipe_fingerprint_changes_with_any_choice():
    base = training.IMPROVED_RECIPE
    assert base.fingerprint() == dataclasses.replace(base).fingerprint()
    for change in ({"epochs": 3}, {"augment": False}, {"train_subset": 100}, {"learning_rate": 1e-3}):
        assert dataclasses.replace(base, **change).fingerprint() != base.fingerprint()


def test_recipe_fingerprint_changes_with_the_builders_code(monkeypatch):
    """A model saved before its builder changed (say, a reordered block) is not reloaded."""
    base = training.IMPROVED_RECIPE
    before = base.fingerprint()

    def build_improved_cnn(**kwargs):  # same name, different code
        return models.build_seed_cnn()

    monkeypatch.setattr(models, "build_improved_cnn", build_improved_cnn)
    assert base.fingerprint() != before


def test_make_dataset_with_augmentation_keeps_batches_and_labels():
    x = np.zeros((10, 28, 28, 1), np.float32)
    y = np.arange(10)
    batches = list(training.make_dataset(x, y, 4, augment=True))
    assert [len(labels) for _, labels in batches] == [4, 4, 2]
    assert np.array_equal(np.concatenate([labels for _, labels in batches]), y)


def test_fit_recipe_trains_on_the_subset_only(tmp_path):
    rng = np.random.default_rng(0)
    data = {"x_fit": rng.random((300, 28, 28, 1)).astype(np.float32), "y_fit": rng.integers(0, 10, 300),
            "x_val": rng.random((50, 28, 28, 1)).astype(np.float32), "y_val": rng.integers(0, 10, 50)}
    recipe = dataclasses.replace(training.IMPROVED_RECIPE, name="tiny", epochs=2, batch_size=64, train_subset=128,
                                 builder_kwargs={"widths": (4, 4, 4)})
    model, history = training.fit_recipe(recipe, data, verbose=0)
    assert len(history["val_accuracy"]) <= 2 and history["seconds"][0] > 0
    saved = training.save_trained(model, history, recipe, tmp_path)
    assert saved.exists()
    again, again_history = training.load_trained(recipe, tmp_path)
    assert again_history == history
    assert training.load_trained(dataclasses.replace(recipe, train_subset=None), tmp_path) is None


def test_make_dataset_refuses_unscaled_images():
    with pytest.raises(ValueError, match=r"scaled to \[0, 1\]"):
        training.make_dataset(np.full((2, 28, 28, 1), 255, np.float32), np.array([1, 2]), 2)


def test_recorded_best_effort_is_a_complete_record():
    record = training.recorded_best_effort()
    runs = record["runs"]
    assert len(runs) >= 3 and len({run["seed"] for run in runs}) == len(runs)
    accuracies = [run["test_accuracy"] for run in runs]
    assert min(accuracies) <= record["mean_test_accuracy"] <= max(accuracies)
    assert record["recipe"]["epochs"] >= 30 and record["recipe"]["builder"] == training.IMPROVED_RECIPE.builder
    assert record["mean_test_accuracy"] > 0.99  # longer training should beat the chapter's floor
    assert "bench_best_effort.py" in record["command"]
    datetime.date.fromisoformat(record["date"])


@pytest.mark.parametrize("text", ["{not json", '{"runs": []}'])
def test_recorded_best_effort_refuses_a_broken_file(tmp_path, text):
    path = tmp_path / "best_effort.json"
    path.write_text(text)
    with pytest.raises(ValueError, match="best-effort|should hold"):
        training.recorded_best_effort(path)


def test_recorded_best_effort_refuses_a_wrong_mean(tmp_path):
    record = json.loads(training.BEST_EFFORT_FILE.read_text())
    record["mean_test_accuracy"] += 0.01
    path = tmp_path / "best_effort.json"
    path.write_text(json.dumps(record))
    with pytest.raises(ValueError, match="average to the recorded mean"):
        training.recorded_best_effort(path)


def test_recorded_best_effort_names_a_missing_file(tmp_path):
    with pytest.raises(ValueError, match="bench_best_effort.py"):
        training.recorded_best_effort(tmp_path / "absent.json")
