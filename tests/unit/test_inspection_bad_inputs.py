"""Bad inputs to helpers.inspection: the (model, history) tuple and a recipe's name in every
helper that takes a model, Grad-CAM on a layer with no map or a model ending in a softmax
layer, NaN digits and heat maps named by index, steps and cells of the wrong kind (issue 17)."""

from __future__ import annotations

from functools import cache

import matplotlib.pyplot as plt
import numpy as np
import pytest
from bad_inputs import expect

from helpers import inspection as ins
from helpers import plotting as pl

DIGIT = np.zeros((28, 28, 1), np.float32)
DIGIT[5:20, 12:16] = 1.0
NAN_DIGIT = DIGIT.copy()
NAN_DIGIT[14, 2, 0] = np.nan
HEAT = np.zeros((28, 28), np.float32)
NAN_HEAT = HEAT.copy()
NAN_HEAT[3, 14] = np.nan
MAPS = np.random.default_rng(0).random((5, 5, 4)).astype(np.float32)
NAN_MAPS = MAPS.copy()
NAN_MAPS[1, 2, 3] = np.nan


@cache
def seed():
    from helpers.models import build_seed_cnn

    return build_seed_cnn()


@cache
def ends_in_softmax():
    import keras

    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, name="conv"),
                             keras.layers.Flatten(), keras.layers.Dense(10), keras.layers.Softmax()])


@cache
def colour_model():
    import keras

    return keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(4, 3), keras.layers.Flatten(),
                             keras.layers.Dense(10, activation="softmax")])


# Every helper that takes a model, called with `m` in its place.
MODEL_TAKERS = {
    "conv_layer_names": lambda m: ins.conv_layer_names(m),
    "first_layer_filters": lambda m: ins.first_layer_filters(m),
    "feature_model": lambda m: ins.feature_model(m),
    "feature_maps": lambda m: ins.feature_maps(m, DIGIT),
    "layer_steps": lambda m: ins.layer_steps(m),
    "steps_up_to": lambda m: ins.steps_up_to(m, "conv2d_2"),
    "visible_mask": lambda m: ins.visible_mask(m),
    "gradient_mask": lambda m: ins.gradient_mask(m, DIGIT[None]),
    "class_scores": lambda m: ins.class_scores(m, DIGIT[None]),
    "saliency_map": lambda m: ins.saliency_map(m, DIGIT),
    "gradient_times_input": lambda m: ins.gradient_times_input(m, DIGIT),
    "grad_cam_cells": lambda m: ins.grad_cam_cells(m, DIGIT),
    "grad_cam": lambda m: ins.grad_cam(m, DIGIT),
    "default_cells": lambda m: ins.default_cells(m, ["conv2d_1"]),
    "field_windows": lambda m: ins.field_windows(m, {"conv2d_1": (0, 0)}),
    "show_receptive_fields": lambda m: pl.show_receptive_fields(DIGIT, m, plt.gca()),
}


@pytest.mark.parametrize("helper", sorted(MODEL_TAKERS))
def test_the_model_history_tuple_is_unpacked_by_name(helper):
    expect(lambda: MODEL_TAKERS[helper]((seed(), {"loss": [1.0]})), TypeError,
           r"model, history\) tuple.*unpack it: model, history = train_or_load\(\.\.\.\)")


@pytest.mark.parametrize("helper", sorted(MODEL_TAKERS))
def test_a_recipe_name_is_not_a_model(helper):
    expect(lambda: MODEL_TAKERS[helper]("seed_cnn"), TypeError, r"string 'seed_cnn'.*train_or_load\(SEED_RECIPE\)")


@pytest.mark.parametrize("helper", ["feature_maps", "saliency_map", "grad_cam", "conv_layer_names"])
def test_a_recipe_and_a_history_are_not_models(helper):
    from helpers.training import SEED_RECIPE

    expect(lambda: MODEL_TAKERS[helper](SEED_RECIPE), TypeError, r"recipe 'seed_cnn'.*train or load it first")
    expect(lambda: MODEL_TAKERS[helper]({"loss": [1.0]}), TypeError, r"looks like a training history")
    expect(lambda: MODEL_TAKERS[helper](None), TypeError, r"should be a Keras model; got None")


CASES = [
    # Grad-CAM: layers without a map, models without scores
    ("grad_cam dense", lambda: ins.grad_cam(seed(), DIGIT, "dense_1"), ValueError,
     r"convolution or pooling layer.*'dense_1' is a Dense layer"),
    ("grad_cam flatten", lambda: ins.grad_cam(seed(), DIGIT, "flatten"), ValueError, r"'flatten' is a Flatten layer"),
    ("grad_cam missing", lambda: ins.grad_cam(seed(), DIGIT, "conv9"), ValueError, r"expected a layer of the model"),
    ("grad_cam layer number", lambda: ins.grad_cam(seed(), DIGIT, 2), TypeError, r"layer_name should be a string"),
    ("grad_cam_cells dense", lambda: ins.grad_cam_cells(seed(), DIGIT, "dense_2"), ValueError, r"Dense layer"),
    ("grad_cam softmax layer", lambda: ins.grad_cam(ends_in_softmax(), DIGIT, "conv"), ValueError,
     r"ends in Softmax.*Dense\(10, activation='softmax'\)"),
    ("grad_cam_cells softmax", lambda: ins.grad_cam_cells(ends_in_softmax(), DIGIT), ValueError, r"ends in Softmax"),
    ("saliency softmax", lambda: ins.saliency_map(ends_in_softmax(), DIGIT), ValueError, r"ends in Softmax"),
    ("grad_cam class 10", lambda: ins.grad_cam(seed(), DIGIT, class_index=10), ValueError, r"class_index.*got 10"),
    ("grad_cam NaN", lambda: ins.grad_cam(seed(), NAN_DIGIT), ValueError, r"contains NaN at index \(14, 2, 0\)"),
    ("colour model", lambda: ins.feature_maps(colour_model(), DIGIT), ValueError, r"input shape \(32, 32, 3\)"),
    # one digit
    ("digit NaN", lambda: ins.as_batch_of_one(NAN_DIGIT), ValueError, r"contains NaN at index \(14, 2, 0\)"),
    ("digit inf", lambda: ins.saliency_map(seed(), np.where(DIGIT > 0, np.inf, 0)), ValueError, r"contains infinity"),
    ("digit uint8", lambda: ins.as_batch_of_one((DIGIT * 255).astype(np.uint8)), ValueError, r"\[0, 1\].*0 to 255"),
    ("digit two", lambda: ins.as_batch_of_one(np.zeros((2, 28, 28, 1))), ValueError, r"one digit of shape"),
    ("digit string", lambda: ins.as_batch_of_one("7.png"), TypeError, r"image should be an array"),
    ("digit bool", lambda: ins.as_batch_of_one(DIGIT > 0), ValueError, r"dtype bool"),
    ("digit standardised", lambda: ins.as_batch_of_one(DIGIT - 0.5), ValueError,
     r"image should hold pixel values in \[0, 1\] \(scaled as in chapter 3\); got values from -0\.5 to 0\.5: "
     r"pixels are never negative: these look standardised"),
    ("gradient standardised", lambda: ins.gradient_mask(seed(), DIGIT[None] - 0.5), ValueError,
     r"images should hold pixel values.*standardised"),
    ("digit swapped", lambda: ins.saliency_map(DIGIT, seed()), TypeError, r"should be a Keras model; got an array"),
    ("digit model", lambda: ins.as_batch_of_one(seed()), TypeError, r"model and the image swapped"),
    ("class float", lambda: ins.saliency_map(seed(), DIGIT, class_index=3.0), TypeError, r"digit 0-9 \(an int\)"),
    ("class string", lambda: ins.gradient_times_input(seed(), DIGIT, class_index="3"), TypeError, r"class_index"),
    ("class bool", lambda: ins.saliency_map(seed(), DIGIT, class_index=True), TypeError, r"class_index"),
    # layer names and cells
    ("feature names string", lambda: ins.feature_model(seed(), "conv2d_1"), TypeError, r"write \['conv2d_1'\]"),
    ("feature names unknown", lambda: ins.feature_maps(seed(), DIGIT, ["conv9"]), ValueError, r"layer names among"),
    ("feature names numbers", lambda: ins.feature_model(seed(), [1, 2]), TypeError, r"layer names \(strings\)"),
    ("steps_up_to dense", lambda: ins.steps_up_to(seed(), "dense_1"), ValueError, r"convolution or pooling layer"),
    ("steps_up_to None", lambda: ins.steps_up_to(seed(), None), TypeError, r"layer_name should be a string"),
    ("default_cells string", lambda: ins.default_cells(seed(), "conv2d_1"), TypeError, r"write \['conv2d_1'\]"),
    ("field cell outside", lambda: ins.field_windows(seed(), {"conv2d_2": (11, 0)}), ValueError, r"11 x 11"),
    ("field cell string", lambda: ins.field_windows(seed(), {"conv2d_2": "5,5"}), TypeError, r"pair of whole numbers"),
    ("field cell fraction", lambda: ins.field_windows(seed(), {"conv2d_2": (5.5, 5)}), TypeError, r"whole number"),
    ("field cells list", lambda: ins.field_windows(seed(), [("conv2d_2", (5, 5))]), TypeError, r"dict \{layer name"),
    ("gradient uint8", lambda: ins.gradient_mask(seed(), (DIGIT[None] * 255).astype(np.uint8)), ValueError, r"uint8"),
    ("gradient empty", lambda: ins.gradient_mask(seed(), DIGIT[None][:0]), ValueError, r"images is empty"),
    ("gradient NaN", lambda: ins.gradient_mask(seed(), NAN_DIGIT[None]), ValueError, r"NaN at index \(0, 14, 2, 0\)"),
    ("gradient no cell", lambda: ins.gradient_mask(seed(), DIGIT[None], "conv2d_1"), ValueError, r"give the cell"),
    ("gradient cell string", lambda: ins.gradient_mask(seed(), DIGIT[None], "conv2d_1", "a1"), TypeError, r"cell"),
    ("gradient layer number", lambda: ins.gradient_mask(seed(), DIGIT[None], 3, (0, 0)), TypeError, r"layer_name"),
    ("gradient cell outside", lambda: ins.gradient_mask(seed(), DIGIT[None], "conv2d_2", (30, 0)), ValueError,
     r"\(row, col\) of 'conv2d_2'.*\(11, 11, 64\)"),
    ("visible huge", lambda: ins.visible_mask(seed(), 10**6), ValueError, r"size should be at most 4096"),
    ("upsample huge", lambda: ins.registered_upsample(HEAT, 1.0, 1, size=10**6), ValueError, r"at most 4096"),
    ("scores uint8", lambda: ins.class_scores(seed(), (DIGIT[None] * 255).astype(np.uint8)), ValueError, r"uint8"),
    ("scores training", lambda: ins.class_scores(seed(), DIGIT[None], training="no"), TypeError, r"True or False"),
    # steps arithmetic
    ("field steps None", lambda: ins.receptive_field(None), TypeError, r"list of \(window, stride\) pairs"),
    ("field steps short", lambda: ins.receptive_field([(3,)]), ValueError, r"\(window, stride\)"),
    ("field stride zero", lambda: ins.receptive_field([(3, 0)]), ValueError, r"positive numbers"),
    ("field window fraction", lambda: ins.receptive_field([(3.5, 1)]), TypeError, r"whole number"),
    ("field steps string", lambda: ins.receptive_field("33"), TypeError, r"\(window, stride\) pairs"),
    ("window index negative", lambda: ins.receptive_window([(3, 1)], -1), ValueError, r"0 or more"),
    ("window index fraction", lambda: ins.receptive_window([(3, 1)], 1.5), TypeError, r"index should be a whole"),
    ("output size zero", lambda: ins.output_size([(3, 1)], 0), ValueError, r"size should be at least 1"),
    ("output size string", lambda: ins.output_size([(3, 1)], "28"), TypeError, r"size should be a whole"),
    ("output window big", lambda: ins.output_size([(30, 1)]), ValueError, r"window of 30 does not fit"),
    ("visible size fraction", lambda: ins.visible_mask(seed(), 27.5), TypeError, r"size should be a whole"),
    ("upsample NaN", lambda: ins.registered_upsample(NAN_HEAT, 1.0, 1), ValueError, r"cells contains NaN at index \(3, 14\)"),
    ("upsample jump zero", lambda: ins.registered_upsample(HEAT, 1.0, 0), ValueError, r"jump should be at least 1; got 0"),
    ("upsample jump fraction", lambda: ins.registered_upsample(HEAT, 1.0, 1.5), TypeError, r"jump should be a whole"),
    ("upsample centre None", lambda: ins.registered_upsample(HEAT, None, 1), TypeError, r"first_centre should be a number"),
    ("upsample empty", lambda: ins.registered_upsample(np.zeros((0, 3)), 1.0, 1), ValueError, r"2-D map"),
]


@pytest.mark.parametrize(("call", "kind", "said"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named(call, kind, said):
    try:
        expect(call, kind, said)
    finally:
        plt.close("all")


def test_good_inputs_still_work():
    model = seed()
    heat = ins.grad_cam(model, DIGIT[..., 0].tolist(), "conv2d_2", class_index=np.int64(3))
    assert heat.shape == (28, 28) and 0 <= heat.min() and heat.max() <= 1
    assert ins.grad_cam(model, DIGIT, "max_pooling_2").shape == (28, 28)
    assert ins.saliency_map(model, DIGIT[None]).shape == (28, 28)
    assert list(ins.feature_maps(model, DIGIT, ("conv2d_1",))) == ["conv2d_1"]
    assert ins.feature_model(model, ["flatten"]).outputs[0].shape[-1] == 64
    assert ins.receptive_field([(3, 1), (2, 2), (3, 1)]) == 8 and ins.receptive_window([[3, 1]], np.int64(2)) == (2, 4)
    assert ins.field_windows(model, {"conv2d_2": (np.int64(5), 5)})["conv2d_2"] == (10, 17, 10, 17)
    assert ins.class_scores(model, DIGIT[None].astype(np.float64)).shape == (1, 10)
    assert pl.tile_maps(MAPS, ncols=np.int64(2)).shape == (11, 11)
    pl.show_heatmap(DIGIT, ins.saliency_map(model, DIGIT), plt.gca(), visible=ins.visible_mask(model))
    plt.close("all")


def test_gradient_mask_is_the_same_in_batches(monkeypatch):
    images = np.random.default_rng(1).random((6, 28, 28, 1)).astype(np.float32)
    whole = ins.gradient_mask(seed(), images)
    cell = ins.gradient_mask(seed(), images, "conv2d_2", (5, 5))
    monkeypatch.setattr(ins, "GRADIENT_BATCH", 4)
    assert np.array_equal(ins.gradient_mask(seed(), images), whole)
    assert np.array_equal(ins.gradient_mask(seed(), images, "conv2d_2", np.array([5, 5])), cell)
    assert not whole[22:, :].any() and not cell[:10].any()  # what the architecture cannot see stays False


def test_the_round_two_guards_refuse_with_a_sentence():
    import keras

    five = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(5)])
    expect(lambda: ins.saliency_map(five, DIGIT), ValueError, r"Dense layer of 10 units, one per digit; got 5")
    expect(lambda: ins.gradient_mask(seed(), DIGIT[None][:0]), ValueError, r"images is empty")
    expect(lambda: ins.registered_upsample([[0.0, np.inf]], 1.0, 1), ValueError, r"cells contains infinity")
    expect(lambda: ins.field_windows(seed(), {"conv2d_2": (-1, 0)}), ValueError, r"11 x 11; got the cell \(-1, 0\)")
