"""Looking inside the CNN (chapter 8): feature maps, filters, receptive fields, saliency, Grad-CAM.

Fast: the untrained article network (its weights are random but its shapes are real) and
tiny hand-made models whose answers are known.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import inspection, plotting
from helpers.models import SEED_LAYERS, build_seed_cnn


@pytest.fixture(scope="module")
def seed_model():
    from helpers.training import set_seed

    set_seed(0)
    return build_seed_cnn()


@pytest.fixture(scope="module")
def digit():
    image = np.zeros((28, 28), np.float32)
    image[6:22, 12:16] = 1.0  # a "1"
    return image


def _one_pixel_model(row: int, col: int, target: int):
    """Flatten + Dense(10, softmax) whose class `target` looks only at pixel (row, col)."""
    import keras

    model = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")]
    )
    kernel = np.zeros((784, 10), np.float32)
    kernel[row * 28 + col, target] = 2.0
    model.layers[-1].set_weights([kernel, np.zeros(10, np.float32)])
    return model


def test_feature_maps_have_the_shapes_of_chapter_4(seed_model, digit):
    maps = inspection.feature_maps(seed_model, digit)
    expected = {name: shape for name, shape, _ in SEED_LAYERS if name.startswith("conv")}
    assert {name: m.shape for name, m in maps.items()} == expected
    assert list(maps) == ["conv2d_1", "conv2d_2", "conv2d_3"]
    assert all(m.min() >= 0 for m in maps.values())  # after ReLU


def test_feature_maps_of_chosen_layers_in_any_input_layout(seed_model, digit):
    for image in (digit, digit[..., None], digit[None, ..., None]):
        maps = inspection.feature_maps(seed_model, image, ["max_pooling_2"])
        assert list(maps) == ["max_pooling_2"] and maps["max_pooling_2"].shape == (5, 5, 64)


def test_first_feature_map_is_the_convolution_by_hand(seed_model, digit):
    kernel, bias = seed_model.get_layer("conv2d_1").get_weights()
    fmap = inspection.feature_maps(seed_model, digit, ["conv2d_1"])["conv2d_1"]
    r, c, k = 5, 11, 3
    by_hand = max(0.0, float((digit[r : r + 3, c : c + 3] * kernel[:, :, 0, k]).sum() + bias[k]))
    assert fmap[r, c, k] == pytest.approx(by_hand, abs=1e-5)


def test_feature_model_shares_the_weights(seed_model):
    model = inspection.feature_model(seed_model, ["conv2d_1"])
    assert model.get_layer("conv2d_1") is seed_model.get_layer("conv2d_1")


def test_a_reloaded_keras_file_can_be_inspected(seed_model, digit, tmp_path):
    import keras

    path = tmp_path / "seed.keras"
    seed_model.save(path)
    loaded = keras.models.load_model(path)
    a = inspection.feature_maps(loaded, digit)["conv2d_3"]
    b = inspection.feature_maps(seed_model, digit)["conv2d_3"]
    assert np.allclose(a, b, atol=1e-6)


def test_first_layer_filters_are_the_kernels(seed_model):
    filters = inspection.first_layer_filters(seed_model)
    kernel = seed_model.get_layer("conv2d_1").get_weights()[0]
    assert filters.shape == (25, 3, 3)
    assert np.array_equal(filters[7], kernel[:, :, 0, 7])


def test_receptive_fields_of_the_article_network(seed_model):
    steps = inspection.layer_steps(seed_model)
    assert [name for name, _, _ in steps] == [n for n, _, _ in SEED_LAYERS[:6]]
    sizes = [inspection.receptive_field([(w, s) for _, w, s in steps[: k + 1]]) for k in range(6)]
    assert sizes == [3, 4, 8, 10, 18, 22]
    assert inspection.receptive_field([]) == 1
    with pytest.raises(ValueError, match=r"\(window, stride\)"):
        inspection.receptive_field([(3, 0)])


def test_class_scores_are_the_logits_before_softmax(seed_model, digit):
    x = digit[None, ..., None]
    scores = np.asarray(inspection.class_scores(seed_model, x))
    softmax = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    assert np.allclose(softmax, seed_model.predict(x, verbose=0), atol=1e-6)


def test_saliency_finds_the_one_pixel_a_class_looks_at():
    model = _one_pixel_model(5, 7, target=3)
    image = np.full((28, 28), 0.5, np.float32)
    saliency = inspection.saliency_map(model, image, class_index=3)
    assert saliency.shape == (28, 28) and saliency[5, 7] == 1.0
    assert np.count_nonzero(saliency) == 1


def test_saliency_defaults_to_the_predicted_class(seed_model, digit):
    predicted = int(seed_model.predict(digit[None, ..., None], verbose=0).argmax())
    default = inspection.saliency_map(seed_model, digit)
    assert np.array_equal(default, inspection.saliency_map(seed_model, digit, class_index=predicted))
    assert default.max() == pytest.approx(1.0) and default.min() >= 0


def test_grad_cam_is_a_28x28_map_in_unit_range(seed_model, digit):
    for layer in (None, "conv2d_2", "conv2d_1"):
        cam = inspection.grad_cam(seed_model, digit, layer_name=layer)
        assert cam.shape == (28, 28) and cam.dtype == np.float32
        assert cam.min() >= 0 and cam.max() <= 1


def test_bad_input_gets_a_clear_message(seed_model, digit):
    with pytest.raises(ValueError, match=r"one digit of shape \(28, 28\).*got \(2, 28, 28, 1\)"):
        inspection.feature_maps(seed_model, np.zeros((2, 28, 28, 1)))
    with pytest.raises(ValueError, match=r"\[0, 1\].*got values from 0 to 255"):
        inspection.saliency_map(seed_model, np.full((28, 28), 255, np.uint8) * (digit > 0))
    with pytest.raises(ValueError, match="expected layer names among"):
        inspection.feature_maps(seed_model, digit, ["conv9"])
    with pytest.raises(ValueError, match="class_index should be a digit 0-9; got 10"):
        inspection.saliency_map(seed_model, digit, class_index=10)
    with pytest.raises(ValueError, match="expected a layer of the model"):
        inspection.grad_cam(seed_model, digit, layer_name="nope")
    with pytest.raises(ValueError, match="has no Conv2D layer"):
        inspection.conv_layer_names(_one_pixel_model(0, 0, 0))


def test_a_functional_model_is_refused_for_scores(digit):
    import keras

    inputs = keras.Input((28, 28, 1))
    outputs = keras.layers.Dense(10)(keras.layers.Flatten()(inputs))
    with pytest.raises(ValueError, match="keras.Sequential"):
        inspection.saliency_map(keras.Model(inputs, outputs), digit)


def test_tile_maps_lays_out_a_padded_grid():
    maps = np.stack([np.full((3, 4), k, np.float32) for k in range(5)], axis=-1)
    mosaic = plotting.tile_maps(maps, ncols=3, normalize=False)
    assert mosaic.shape == (2 * 3 + 1, 3 * 4 + 2)
    assert mosaic[0, 0] == 0 and mosaic[0, 5] == 1 and mosaic[4, 5] == 4
    assert np.isnan(mosaic[3, 0]) and np.isnan(mosaic[4, 10])  # padding and the empty sixth tile
    assert np.nanmax(plotting.tile_maps(maps * np.arange(12).reshape(3, 4, 1))) == 1.0
    with pytest.raises(ValueError, match=r"\(height, width, channels\)"):
        plotting.tile_maps(np.zeros((3, 4)))


def test_plots_draw_titles_and_refuse_bad_input(seed_model, digit):
    fig, axes = plt.subplots(1, 3)
    plotting.show_filters(inspection.first_layer_filters(seed_model), axes[0])
    maps = inspection.feature_maps(seed_model, digit, ["conv2d_2"])["conv2d_2"]
    plotting.show_map_grid(maps, axes[1])
    plotting.show_heatmap(digit, inspection.saliency_map(seed_model, digit), axes[2], title="saliency")
    assert axes[0].get_title() == "First-layer filters"
    assert axes[1].get_title() == "64 maps of 11×11"
    assert axes[2].get_title() == "saliency" and len(axes[2].images) == 2
    with pytest.raises(ValueError, match=r"\(28, 28\) heat map"):
        plotting.show_heatmap(digit, np.zeros((3, 3)), axes[2])
    with pytest.raises(ValueError, match=r"\(filters, height, width\)"):
        plotting.show_filters(np.zeros((3, 3)), axes[0])
    plt.close(fig)


def _bounding_box(mask):
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return int(rows.min()), int(rows.max()), int(cols.min()), int(cols.max())


@pytest.fixture(scope="module")
def random_digits():
    return np.random.default_rng(0).random((6, 28, 28, 1)).astype(np.float32)


def test_receptive_fields_are_drawn_where_the_gradient_says(seed_model, digit, random_digits):
    cells = {"conv2d_1": (13, 2), "conv2d_2": (5, 5), "max_pooling_2": (4, 4), "conv2d_3": (1, 1),
             "max_pooling_3": (0, 0)}
    fig, ax = plt.subplots()
    plotting.show_receptive_fields(digit, seed_model, ax, cells=cells)
    drawn = [p for p in ax.patches if not p.get_label().startswith("_")]
    assert len(drawn) == len(cells)
    for patch, (name, cell) in zip(drawn, cells.items(), strict=True):
        top, bottom, left, right = _bounding_box(inspection.gradient_mask(seed_model, random_digits, name, cell))
        assert patch.get_xy() == (left - 0.5, top - 0.5), name
        assert (patch.get_width(), patch.get_height()) == (right - left + 1, bottom - top + 1), name
    plt.close(fig)
    corner = inspection.gradient_mask(seed_model, random_digits, "conv2d_2", (0, 10))
    assert _bounding_box(corner) == inspection.field_windows(seed_model, {"conv2d_2": (0, 10)})["conv2d_2"]
    assert inspection.field_windows(seed_model, {"conv2d_2": (3, 3)})["conv2d_2"] == (6, 13, 6, 13)  # 2i + 3.5 centre


def test_the_blind_spot_of_the_article_network(seed_model, random_digits):
    visible = inspection.visible_mask(seed_model)
    assert visible.shape == (28, 28) and visible.dtype == np.bool_
    assert visible[:22, :22].all() and not visible[22:, :].any() and not visible[:, 22:].any()
    assert int((~visible).sum()) == 300
    assert np.array_equal(inspection.gradient_mask(seed_model, random_digits), visible)
    saliency = inspection.saliency_map(seed_model, random_digits[0])
    assert not saliency[~visible].any() and saliency[visible].any()


def test_receptive_field_cells_are_checked(seed_model, digit):
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"11 x 11; got the cell \(11, 0\)"):
        plotting.show_receptive_fields(digit, seed_model, ax, cells={"conv2d_2": (11, 0)})
    with pytest.raises(ValueError, match="convolution or pooling layer"):
        plotting.show_receptive_fields(digit, seed_model, ax, cells={"dense_1": (0, 0)})
    plotting.show_visible_region(digit, inspection.visible_mask(seed_model), ax)
    with pytest.raises(ValueError, match=r"boolean \(28, 28\) mask"):
        plotting.show_visible_region(digit, np.ones((28, 28)), ax)
    plt.close(fig)


def test_gradient_times_input_is_zero_on_paper_and_signed():
    model = _one_pixel_model(5, 7, target=3)
    image = np.zeros((28, 28), np.float32)
    assert not inspection.gradient_times_input(model, image, class_index=3).any()  # no ink, no contribution
    image[5, 7] = 0.5
    contribution = inspection.gradient_times_input(model, image, class_index=3)
    assert contribution[5, 7] == 1.0 and np.count_nonzero(contribution) == 1
    model.layers[-1].set_weights([-model.layers[-1].get_weights()[0], np.zeros(10, np.float32)])
    assert inspection.gradient_times_input(model, image, class_index=3)[5, 7] == -1.0


def test_grad_cam_cells_of_conv2d_2_that_no_later_layer_reads(seed_model, digit, random_digits):
    never_read = np.zeros((11, 11), bool)
    never_read[8:, :] = never_read[:, 8:] = True  # pooled away at max_pooling_2 or max_pooling_3
    cam, dead = inspection.grad_cam_cells(seed_model, random_digits[0], "conv2d_2")
    assert cam.shape == dead.shape == (11, 11) and cam.min() >= 0
    assert np.array_equal(dead, never_read)  # on a busy image every other cell feeds some channel
    _, dead_on_a_one = inspection.grad_cam_cells(seed_model, digit, "conv2d_2")
    assert dead_on_a_one[never_read].all()  # on a sparse digit, ReLU and max pooling zero more
    heat = inspection.grad_cam(seed_model, digit, "conv2d_2")
    assert not heat[22:, :].any() and not heat[:, 22:].any()


def test_registered_upsample_puts_each_cell_at_its_centre():
    cells = np.zeros((11, 11), np.float32)
    cells[3, 6] = 1.0  # centred on input row 2*3 + 3.5 = 9.5, column 2*6 + 3.5 = 15.5
    heat = inspection.registered_upsample(cells, 3.5, 2)
    assert heat.shape == (28, 28)
    assert heat[9, 15] == heat[10, 16] == heat[9, 16] == heat[10, 15] == pytest.approx(0.5625)
    assert heat.max() < 1 and heat[:8, :].max() == 0 and heat[12:, :].max() == 0
    with pytest.raises(ValueError, match="2-D map"):
        inspection.registered_upsample(np.zeros(11), 3.5, 2)


def test_inspection_computes_and_plotting_draws():
    import subprocess
    import sys

    drawn = [name for name in vars(inspection) if name.startswith(("show_", "plot_", "tile_"))]
    assert not drawn, f"drawing belongs in helpers.plotting: {drawn}"
    assert all(hasattr(plotting, name) for name in ("show_filters", "show_map_grid", "show_heatmap", "tile_maps",
                                                    "show_receptive_fields", "show_visible_region"))
    code = "import sys, helpers.inspection; print('matplotlib' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False", "importing helpers.inspection should not load Matplotlib"
