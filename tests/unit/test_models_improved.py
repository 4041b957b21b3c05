"""Chapter 7's pieces: the improved builder's switches, the augmenter, recipes and their subsets."""

from __future__ import annotations

import dataclasses
import datetime
import json

import numpy as np
import pytest

from helpers import models, records, training


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


def test_improved_network_keeps_the_last_map():
    model = training.IMPROVED_RECIPE.build()
    assert model.get_layer("relu_3").output.shape[1:] == (4, 4, 128)
    assert model.get_layer("flatten").output.shape[1:] == (2048,)
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
    for change in ({"epochs": 3}, {"augment": not base.augment}, {"train_subset": 100}, {"learning_rate": 1e-3},
                   {"label_smoothing": 0.1}, {"ema_momentum": 0.99}, {"schedule": "warmup-cosine"}):
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
    record = records.recorded_best_effort()
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
    with pytest.raises(ValueError, match="should hold a best-effort record"):
        records.recorded_best_effort(path)


def test_recorded_best_effort_refuses_a_wrong_mean(tmp_path):
    record = json.loads(records.BEST_EFFORT_FILE.read_text())
    record["mean_test_accuracy"] += 0.01
    path = tmp_path / "best_effort.json"
    path.write_text(json.dumps(record))
    with pytest.raises(ValueError, match="average to the recorded mean"):
        records.recorded_best_effort(path)


def test_recorded_best_effort_names_a_missing_file(tmp_path):
    with pytest.raises(ValueError, match="bench_best_effort.py"):
        records.recorded_best_effort(tmp_path / "absent.json")


def _input_gradient_mask(model, rng) -> np.ndarray:
    """Where the gradient of the summed output with respect to the input can be non-zero."""
    import tensorflow as tf

    images = tf.constant(rng.random((4, 28, 28, 1), dtype=np.float32))
    with tf.GradientTape() as tape:
        tape.watch(images)
        logits = model(images, training=False)
        score = tf.reduce_sum(logits * tf.range(1.0, 11.0))
    return np.abs(tape.gradient(score, images).numpy()).sum(axis=(0, 3)) > 0


def test_article_network_never_sees_the_bottom_right_band(rng):
    mask = _input_gradient_mask(models.build_seed_cnn(), rng)
    assert mask[:22, :22].any() and not mask[22:, :].any() and not mask[:, 22:].any()


def test_first_padding_same_sees_every_pixel(rng):
    for last_pool in (True, False):
        model = models.build_improved_cnn(first_padding="same", last_pool=last_pool, dropout=0.0)
        assert _input_gradient_mask(model, rng).all(), last_pool
    without_last_pool = _input_gradient_mask(models.build_improved_cnn(first_padding="valid", dropout=0.0), rng)
    assert without_last_pool[:26, :26].all() and not without_last_pool[26:, :].any()


def test_improved_builder_refuses_an_unknown_padding():
    with pytest.raises(ValueError, match="first_padding should be one of 'valid', 'same'"):
        models.build_improved_cnn(first_padding="full")


def test_each_improved_block_pools_before_batch_norm_and_relu():
    """The order the builder's docstring explains: convolution, max pooling, batch norm, ReLU
    (no pooling in the last block unless asked), so batch norm sees the pooled map."""
    kinds = {"Conv2D": "conv", "MaxPooling2D": "pool", "BatchNormalization": "norm", "Activation": "relu"}
    blocks = [kinds.get(type(layer).__name__) for layer in models.build_improved_cnn(dropout=0.0).layers]
    assert blocks[:12] == ["conv", "pool", "norm", "relu"] * 2 + ["conv", "norm", "relu", None]
    plain = [kinds.get(type(layer).__name__) for layer in models.build_improved_cnn(batch_norm=False,
                                                                                   last_pool=True).layers]
    assert plain[:12] == ["conv", "pool", "relu"] * 3 + [None, None, None]


@pytest.mark.parametrize(("change", "said"), [
    ({"label_smoothing": 1.5}, "between 0 and 1"), ({"label_smoothing": 0}, "between 0 and 1"),
    ({"ema_momentum": -0.1}, "between 0 and 1"), ({"ema_momentum": "0.99"}, "should be a number"),
    ({"schedule": "one-cycle"}, "schedule should be one of"),
])
def test_recipe_refuses_bad_levers(change, said):
    with pytest.raises((TypeError, ValueError), match=said):
        training.Recipe(name="x", builder="build_seed_cnn", epochs=1, batch_size=8, **change)


def test_levers_left_at_none_keep_old_fingerprints():
    plain = training.Recipe(name="x", builder="build_seed_cnn", epochs=1, batch_size=8)
    assert dataclasses.replace(plain, label_smoothing=None).fingerprint() == plain.fingerprint()
    assert dataclasses.replace(plain, label_smoothing=0.1).fingerprint() != plain.fingerprint()


def test_smoothed_crossentropy_puts_the_smoothing_on_the_targets():
    import keras

    probabilities = np.full((1, 10), 0.05, np.float32)
    probabilities[0, 3] = 0.55
    loss = float(training.smoothed_crossentropy(0.1)(np.array([3]), probabilities))
    targets = np.full(10, 0.01)
    targets[3] = 0.91
    assert loss == pytest.approx(-(targets * np.log(probabilities[0])).sum(), rel=1e-5)
    plain = float(keras.losses.SparseCategoricalCrossentropy()(np.array([3]), probabilities))
    assert plain == pytest.approx(-np.log(0.55), rel=1e-5) and loss > plain


@pytest.mark.filterwarnings("ignore:Skipping variable loading for optimizer")  # saved before any step
def test_a_model_trained_with_the_levers_saves_and_loads(tmp_path):
    recipe = dataclasses.replace(training.SEED_RECIPE, name="levers", label_smoothing=0.1, ema_momentum=0.9,
                                 schedule="warmup-cosine", epochs=2)
    model = training.compile_model(recipe.build(), recipe, steps_per_epoch=4)
    training.save_trained(model, {"loss": [0.1]}, recipe, tmp_path)
    loaded, _ = training.load_trained(recipe, tmp_path)
    assert loaded.loss.label_smoothing == pytest.approx(0.1)
    assert model.optimizer.use_ema


def test_warm_up_rises_over_the_first_epoch_then_falls_to_zero():
    recipe = dataclasses.replace(training.SEED_RECIPE, schedule="warmup-cosine", epochs=3, learning_rate=1e-3)
    schedule = training.learning_rate_schedule(recipe, steps_per_epoch=10)
    values = [float(schedule(step)) for step in (0, 5, 10, 20, 30)]
    assert values[0] == pytest.approx(1e-4) and values[1] == pytest.approx(5.5e-4)
    assert values[2] == pytest.approx(1e-3) and values[3] == pytest.approx(5e-4) and values[4] == pytest.approx(0, abs=1e-9)
