"""The image and data plots of chapters 1-3: what they draw, and the sentence bad input gets."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture()
def digits(rng):
    """Twenty random uint8 'digits', two of each label 0-9."""
    images = rng.integers(0, 256, size=(20, 28, 28), dtype=np.uint8)
    labels = np.repeat(np.arange(10), 2)
    return images, labels


# --- show_digit, show_pixel_values, mark_window -------------------------------------------


@pytest.mark.parametrize("shape", [(28, 28), (28, 28, 1)])
def test_show_digit_draws_the_28x28_image_on_the_given_axes(rng, shape):
    image = rng.integers(0, 256, size=shape, dtype=np.uint8)
    fig, ax = plt.subplots()
    out = plotting.show_digit(image, ax=ax, title="five")
    assert out is ax
    drawn = ax.get_images()[0]
    assert drawn.get_array().shape == (28, 28)
    assert np.array_equal(drawn.get_array(), image.reshape(28, 28))
    assert drawn.get_clim() == (0, 255)
    assert ax.get_title() == "five" and ax.get_xlabel() and ax.get_ylabel()


def test_show_digit_scales_its_colours_to_0_1_for_scaled_images(rng):
    image = rng.random((28, 28)).astype(np.float32)
    ax = plotting.show_digit(image)
    assert isinstance(ax, Axes)
    assert ax.get_images()[0].get_clim() == (0, 1)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.zeros((784,)), r"\(28, 28\).*got \(784,\)"),
        (np.zeros((2, 28, 28)), r"one digit.*got \(2, 28, 28\)"),
        (np.full((28, 28), "a"), "numbers"),
    ],
)
def test_show_digit_rejects_what_is_not_one_digit(bad, message):
    with pytest.raises(ValueError, match=message):
        plotting.show_digit(bad)


def test_show_pixel_values_writes_every_number_of_the_window():
    image = np.arange(28 * 28).reshape(28, 28) % 256
    ax = plotting.show_pixel_values(image.astype(np.uint8), rows=(5, 9), cols=(10, 13))
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 4 * 3
    assert texts[0] == str(image[5, 10]) and texts[-1] == str(image[8, 12])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["10", "11", "12"]
    assert ax.get_images()[0].get_array().shape == (4, 3)


@pytest.mark.parametrize(("rows", "cols"), [((5, 5), (0, 3)), ((0, 29), (0, 3)), ((0, 3), (0, 20))])
def test_show_pixel_values_rejects_a_bad_window(rows, cols):
    with pytest.raises(ValueError, match="range"):
        plotting.show_pixel_values(np.zeros((28, 28), np.uint8), rows=rows, cols=cols)


def test_mark_window_outlines_the_window():
    ax = plotting.show_digit(np.zeros((28, 28), np.uint8))
    plotting.mark_window(ax, rows=(2, 6), cols=(3, 10))
    box = ax.patches[-1]
    assert (box.get_width(), box.get_height()) == (7, 4)
    with pytest.raises(ValueError, match="start < stop"):
        plotting.mark_window(ax, rows=(6, 2), cols=(3, 10))


# --- digit_mosaic and show_digit_grid -----------------------------------------------------


def test_digit_mosaic_puts_the_first_examples_of_digit_k_in_row_k(digits):
    images, labels = digits
    mosaic = plotting.digit_mosaic(images, labels, per_class=2, pad=2)
    assert mosaic.shape == (10 * 30, 2 * 30)
    # digit 3's examples are images 6 and 7; they sit in row 3, columns 0 and 1
    assert np.array_equal(mosaic[90:118, 0:28], images[6])
    assert np.array_equal(mosaic[90:118, 30:58], images[7])
    assert not mosaic[118:120].any()  # the padding stays blank


def test_show_digit_grid_labels_rows_with_the_digits(digits):
    images, labels = digits
    ax = plotting.show_digit_grid(images[..., None], labels, per_class=2)
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(k) for k in range(10)]
    assert ax.get_xlabel() == "example" and "digit" in ax.get_ylabel() and ax.get_title()


def test_digit_grid_says_which_digit_has_too_few_examples(digits):
    images, labels = digits
    with pytest.raises(ValueError, match="the digit 0 has 2"):
        plotting.show_digit_grid(images, labels, per_class=3)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (np.repeat(np.arange(10), 2)[:19], "same length"),
        (np.full(20, 11), "digits 0-9"),
        (np.full((20, 10), 0.1), "1-D"),
    ],
)
def test_digit_grid_rejects_bad_labels(digits, labels, message):
    with pytest.raises(ValueError, match=message):
        plotting.show_digit_grid(digits[0], labels)


def test_digit_grid_rejects_images_of_the_wrong_shape(digits):
    with pytest.raises(ValueError, match=r"\(n, 28, 28\).*got \(20, 784\)"):
        plotting.show_digit_grid(digits[0].reshape(20, 784), digits[1])


# --- plot_class_counts --------------------------------------------------------------------


def test_plot_class_counts_draws_one_bar_per_digit_with_its_count():
    labels = np.array([0, 0, 0, 3, 9, 9])
    ax = plotting.plot_class_counts(labels)
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == [3, 0, 0, 1, 0, 0, 0, 0, 0, 2]
    assert [t.get_text() for t in ax.texts][:4] == ["3", "0", "0", "1"]
    assert ax.get_xlabel() == "digit (class)" and ax.get_ylabel() == "number of images"


@pytest.mark.parametrize(
    ("labels", "message"),
    [(np.array([0, 10]), "0-9"), (np.array([0.5, 1.0]), "whole numbers"), (np.eye(10), "argmax")],
)
def test_plot_class_counts_rejects_what_are_not_labels(labels, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_class_counts(labels)


# --- plot_pixel_histogram -----------------------------------------------------------------


def test_pixel_histogram_counts_every_pixel_over_0_255(digits):
    images, _ = digits
    ax = plotting.plot_pixel_histogram(images, bins=16, log=False)
    assert sum(bar.get_height() for bar in ax.patches) == images.size
    assert ax.get_xlim() == (0, 255)
    assert "pixel value" in ax.get_xlabel() and ax.get_ylabel() == "number of pixels"


def test_pixel_histogram_of_scaled_images_spans_0_1_on_a_log_axis(digits):
    images, _ = digits
    ax = plotting.plot_pixel_histogram(images.astype(np.float32) / 255)
    assert ax.get_xlim() == (0, 1)
    assert ax.get_yscale() == "log" and "log" in ax.get_ylabel()


def test_pixel_histogram_rejects_bad_input():
    with pytest.raises(ValueError, match=r"\(n, 28, 28\)"):
        plotting.plot_pixel_histogram(np.zeros((28, 28)))
    with pytest.raises(ValueError, match="negative"):
        plotting.plot_pixel_histogram(-np.ones((1, 28, 28)))


# --- show_kernels and show_feature_maps ---------------------------------------------------


def test_show_kernels_draws_each_kernel_with_its_weights():
    kernels = np.stack([np.eye(3), np.full((3, 3), 1 / 9)])
    fig = plotting.show_kernels(kernels, ["identity", "blur"])
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert [ax.get_title() for ax in fig.axes] == ["identity", "blur"]
    assert [t.get_text() for t in fig.axes[0].texts][:3] == ["1", "0", "0"]
    assert fig.axes[1].texts[0].get_text() == "0.11"
    assert fig.axes[0].get_images()[0].get_clim() == (-1, 1)  # one shared, symmetric scale


def test_show_kernels_uses_the_axes_it_is_given():
    fig, axes = plt.subplots(1, 2)
    out = plotting.show_kernels([np.ones((3, 3)), -np.ones((3, 3))], ["plus", "minus"], axes=axes)
    assert out is fig and axes[1].get_title() == "minus"


@pytest.mark.parametrize(
    ("kernels", "titles", "message"),
    [
        (np.ones((2, 3, 3)), ["only one"], "one title per kernel"),
        (np.ones((3,)), ["a"], r"shape \(k, height, width\).*got an array of shape \(3,\)"),
        ([np.ones(3)], ["a"], r"2-D array; item 0 has shape \(3,\)"),
        (np.ones((1, 28, 28)), ["big"], "small grids"),
        ([np.ones((3, 3)), np.ones((2, 2))], ["a", "b"], "one shape"),
        (np.full((1, 3, 3), np.nan), ["nan"], "NaN"),
    ],
)
def test_show_kernels_rejects_bad_input(kernels, titles, message):
    with pytest.raises(ValueError, match=message):
        plotting.show_kernels(kernels, titles)


def test_show_feature_maps_picks_a_signed_scale_only_for_signed_maps(rng):
    signed = rng.normal(size=(26, 26))
    positive = np.abs(signed)
    fig = plotting.show_feature_maps([signed, positive], ["edges", "after ReLU"])
    left, right = fig.axes[0], fig.axes[1]
    low, high = left.get_images()[0].get_clim()
    assert low == -high == -np.abs(signed).max()
    assert right.get_images()[0].get_clim() == (0, positive.max())
    assert left.get_xlabel() == "column (26 wide)"
    assert len(fig.axes) == 4  # two maps and their colour bars


def test_show_feature_maps_needs_one_axes_per_map():
    fig, axes = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="3 Axes given"):
        plotting.show_feature_maps(np.ones((2, 5, 5)), ["a", "b"], axes=axes)


# --- plot_probabilities -------------------------------------------------------------------


def test_plot_probabilities_highlights_the_most_probable_digit():
    probs = np.full(10, 0.05)
    probs[7] = 0.55
    ax = plotting.plot_probabilities(probs, true_label=7)
    colors = [bar.get_facecolor() for bar in ax.patches]
    assert colors[7] != colors[0] and colors[0] == colors[1]
    assert "7" in ax.get_xlabel() and ax.get_ylabel() == "probability"


@pytest.mark.parametrize(
    ("probs", "kwargs", "message"),
    [
        (np.full((2, 10), 0.1), {}, r"shape \(10,\).*probabilities\[i\]"),
        (np.arange(10.0), {}, "apply softmax"),
        (np.full(10, 0.1), {"true_label": 10}, "digit 0-9"),
    ],
)
def test_plot_probabilities_rejects_bad_input(probs, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_probabilities(probs, **kwargs)


def test_show_feature_maps_takes_maps_of_different_sizes(rng):
    fig = plotting.show_feature_maps([rng.random((26, 26)), rng.random((13, 13))], ["26", "13"], colorbar=False)
    assert [ax.get_images()[0].get_array().shape for ax in fig.axes] == [(26, 26), (13, 13)]


# --- tile_maps (chapter 8): laid out like digit_mosaic, each map on its own scale -----------


def test_tile_maps_scales_each_map_on_its_own_and_leaves_a_flat_map_blank():
    maps = np.stack([np.arange(4.0).reshape(2, 2), np.full((2, 2), 7.0), 10 + np.arange(4.0).reshape(2, 2)], axis=2)
    mosaic = plotting.tile_maps(maps, ncols=3, pad=1)
    assert mosaic.shape == (2, 8) and np.isnan(mosaic[:, [2, 5]]).all()
    np.testing.assert_allclose(mosaic[:, 0:2], [[0, 1 / 3], [2 / 3, 1]])
    np.testing.assert_array_equal(mosaic[:, 3:5], 0)  # a flat map has no pattern to show
    np.testing.assert_allclose(mosaic[:, 6:8], mosaic[:, 0:2])  # the same pattern, 10 higher, looks the same
