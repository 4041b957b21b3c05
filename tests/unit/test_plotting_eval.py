"""The plots of chapters 4-6: they draw what they should and refuse bad input with a sentence."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import plotting
from helpers.evaluation import confusion_matrix
from helpers.models import SEED_LAYERS, SEED_PARAMS

HISTORY = {
    "loss": [0.3, 0.1, 0.05], "val_loss": [0.1, 0.07, 0.08],
    "accuracy": [0.9, 0.97, 0.99], "val_accuracy": [0.97, 0.98, 0.98],
}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_network_diagram_draws_every_layer_with_its_shape_and_parameters():
    ax = plotting.plot_network(SEED_LAYERS)
    texts = [t.get_text() for t in ax.texts]
    for name, shape, params in SEED_LAYERS:
        assert name in texts
        assert "×".join(map(str, shape)) in texts
        assert f"{params:,} params" in texts
    assert "28×28×1" in texts
    assert f"{SEED_PARAMS:,} parameters" in ax.get_title()
    assert "9 layers" in ax.get_title() and "5 of them with weights" in ax.get_title()


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        ([], "non-empty"),
        ([("conv", (26, 26), 10)], "shape should be"),
        ([("conv", (26, 26, 0), 10)], "positive"),
        ([("dense", (10,), -1)], "negative"),
        ([("dense", (10,))], "triple"),
    ],
)
def test_network_diagram_rejects_malformed_layers(layers, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_network(layers)


def test_history_plot_has_training_and_validation_curves():
    fig, ax = plt.subplots()
    assert plotting.plot_history(HISTORY, "accuracy", ax=ax) is ax
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["training", "validation"]
    np.testing.assert_allclose(lines[1].get_ydata(), HISTORY["val_accuracy"])
    np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3])
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "accuracy"


def test_a_long_history_keeps_its_axis_on_its_epochs():
    """30 epochs (chapter 6's overfitting runs): ticks 1, 5, ..., 30, and no axis from -5 to 35."""
    fig, ax = plt.subplots()
    long = {"loss": list(np.linspace(2.0, 0.01, 30)), "val_loss": list(np.linspace(2.0, 0.3, 30))}
    plotting.plot_history(long, "loss", ax=ax)
    assert list(ax.get_xticks()) == [1, 5, 10, 15, 20, 25, 30]
    low, high = ax.get_xlim()
    assert -1 < low < 1 and 30 < high < 32


def test_history_plot_can_compare_runs_by_validation_curve():
    fig, ax = plt.subplots()
    plotting.plot_history(HISTORY, "loss", ax=ax, label="lr 0.01", which="validation")
    assert [line.get_label() for line in ax.get_lines()] == ["lr 0.01 validation"]


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ({"loss": [0.3, 0.2]}, "val_loss"),
        ({"loss": [0.3, 0.2], "val_loss": [0.3]}, "one value per epoch"),
        ([0.3, 0.2], "dict"),
    ],
)
def test_history_plot_rejects_incomplete_histories(history, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_history(history, "loss")


def test_history_plot_rejects_an_unknown_choice_of_curves():
    with pytest.raises(ValueError, match="which"):
        plotting.plot_history(HISTORY, which="test")


def test_confusion_matrix_heatmap_shows_counts_or_row_shares():
    y = np.repeat(np.arange(10), 10)
    pred = y.copy()
    pred[:3] = 6  # three 0s read as 6
    cm = confusion_matrix(y, pred)
    ax = plotting.plot_confusion_matrix(cm)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 100 and texts[0] == "7" and texts[6] == "3"
    assert ax.get_xlabel() == "predicted digit" and ax.get_ylabel() == "true digit"
    shares = [t.get_text() for t in plotting.plot_confusion_matrix(cm, normalize=True).texts]
    assert shares[0] == "70.0%" and shares[6] == "30.0%"


def test_confusion_matrix_colour_scale_can_end_at_the_largest_mistake():
    cm = np.diag(np.full(10, 100))
    cm[4, 9] = 7
    ax = plotting.plot_confusion_matrix(cm, scale_to_mistakes=True)
    assert ax.collections[0].get_clim() == (0, 7)
    assert "largest mistake" in ax.collections[0].colorbar.ax.get_ylabel()
    full = plotting.plot_confusion_matrix(cm, normalize=True)
    assert full.collections[0].get_clim()[1] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("cm", "message"),
    [(np.ones((10, 9)), r"\(10, 10\)"), (np.full((10, 10), 0.1), "whole"), (np.full((10, 10), -1), "non-negative")],
)
def test_confusion_matrix_heatmap_rejects_bad_matrices(cm, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_confusion_matrix(cm)


def _gallery_input(n=5):
    rng = np.random.default_rng(0)
    return rng.random((n, 28, 28, 1)).astype(np.float32), np.arange(n) % 10, (np.arange(n) + 1) % 10, np.full(n, 0.9)


def test_misclassified_gallery_titles_each_digit():
    images, y_true, y_pred, conf = _gallery_input()
    fig = plotting.plot_misclassified(images, y_true, y_pred, conf, indices=np.array([10, 20, 30, 40, 50]), ncols=3)
    assert isinstance(fig, Figure)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[0] == "true 0, pred 1\n#10 · 90%"
    assert len(titles) == 5 and len(fig.axes) == 6  # 2 rows of 3; the spare one stays blank


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"images": np.zeros((5, 32, 32))}, r"shape \(n, 28, 28\)"),
        ({"y_true": np.arange(4)}, "same length"),
        ({"y_pred": np.array([0, 1, 2, 3, 12])}, "digits 0-9"),
        ({"y_pred": np.full((5, 10), 0.1)}, "argmax"),
        ({"confidence": np.full(5, 1.5)}, r"\[0, 1\]"),
    ],
)
def test_misclassified_gallery_rejects_bad_input(change, message):
    images, y_true, y_pred, conf = _gallery_input()
    args = {"images": images, "y_true": y_true, "y_pred": y_pred, "confidence": conf} | change
    with pytest.raises(ValueError, match=message):
        plotting.plot_misclassified(**args)


def test_probability_bars_of_a_prediction_highlight_the_predicted_digit():
    probs = np.full(10, 0.02)
    probs[7] = 0.82
    ax = plotting.plot_probabilities(probs, true_label=7)
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == pytest.approx(list(probs))
    assert ax.patches[7].get_facecolor() != ax.patches[0].get_facecolor()
    with pytest.raises(ValueError, match=r"shape \(10,\)"):
        plotting.plot_probabilities(np.full((1, 10), 0.1))
    with pytest.raises(ValueError, match="sum to 1"):
        plotting.plot_probabilities(np.full(10, 0.5))
