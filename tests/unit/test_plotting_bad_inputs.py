"""Bad inputs to helpers.plotting: NaN images, probabilities, kernels and maps named by index,
a gallery of 10,000 digits refused instead of hanging, counts and flags of the wrong kind,
a Figure where an Axes is expected, standardised values drawn as if they were pixels."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from bad_inputs import expect

from helpers import plotting as pl

DIGIT = np.zeros((28, 28), np.float32)
DIGIT[5:20, 12:16] = 1.0
NAN_DIGIT = DIGIT.copy()
NAN_DIGIT[14, 2] = np.nan
IMAGES = np.repeat(DIGIT[None], 20, axis=0)
NAN_IMAGES = IMAGES[..., None].copy()
NAN_IMAGES[3, 14, 2, 0] = np.nan
LABELS = np.arange(20) % 10
PROBS = np.full(10, 0.1)
KERNEL = np.arange(9.0).reshape(3, 3) - 4
NAN_KERNEL = KERNEL.copy()
NAN_KERNEL[1, 2] = np.nan
CONF = np.full(20, 0.9)
HISTORY = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.6]}
MANY = np.zeros((10000, 28, 28), np.float32)
MANY_LABELS = np.zeros(10000, np.int64)
HEAT = np.zeros((28, 28), np.float32)
NAN_HEAT = HEAT.copy()
NAN_HEAT[3, 14] = np.nan
MAPS = np.random.default_rng(0).random((5, 5, 4)).astype(np.float32)
NAN_MAPS = MAPS.copy()
NAN_MAPS[1, 2, 3] = np.nan
GRAY = np.zeros((40, 40), np.float32)
GRAY[10:30, 18:22] = 1.0
NAN_GRAY = GRAY.copy()
NAN_GRAY[3, 14] = np.nan
#: Digits standardised as for some other course's network: mean 0, spread 1, no longer pixels.
STANDARDISED = ((IMAGES - IMAGES.mean()) / IMAGES.std()).astype(np.float32)


def _figure():
    return plt.figure()


CASES = [
    # one digit
    ("digit NaN", lambda: pl.show_digit(NAN_DIGIT), ValueError, r"image contains NaN at index \(14, 2\)"),
    ("digit batch", lambda: pl.show_digit(IMAGES), ValueError, r"one digit.*take images\[i\]"),
    ("digit flat", lambda: pl.show_digit(DIGIT.ravel()), ValueError, r"shape \(28, 28\) or \(28, 28, 1\)"),
    ("digit None", lambda: pl.show_digit(None), TypeError, r"image should be an array"),
    ("digit string", lambda: pl.show_digit("digit.png"), TypeError, r"image should be an array"),
    ("digit figure as ax", lambda: pl.show_digit(DIGIT, ax=_figure()), TypeError, r"got a Figure: pass fig\.gca\(\)"),
    ("digit axes array", lambda: pl.show_digit(DIGIT, ax=plt.subplots(1, 2)[1]), TypeError, r"pick one, e\.g\. axes\[0\]"),
    ("digit title number", lambda: pl.show_digit(DIGIT, title=7), TypeError, r"title should be a string"),
    ("pixels rows fraction", lambda: pl.show_pixel_values(DIGIT, (0, 5.5), (0, 5)), TypeError, r"rows\[1\] should be a whole"),
    ("pixels rows int", lambda: pl.show_pixel_values(DIGIT, 5, (0, 5)), TypeError, r"rows should be a pair"),
    ("pixels cols wide", lambda: pl.show_pixel_values(DIGIT, (0, 5), (0, 20)), ValueError, r"at most 16 pixels"),
    ("pixels NaN", lambda: pl.show_pixel_values(NAN_DIGIT, (0, 5), (0, 5)), ValueError, r"NaN at index"),
    ("window ax None", lambda: pl.mark_window(None, (0, 5), (0, 5)), TypeError, r"ax should be a Matplotlib Axes"),
    ("window rows string", lambda: pl.mark_window(plt.gca(), "0:5", (0, 5)), TypeError, r"rows should be a pair"),
    ("window reversed", lambda: pl.mark_window(plt.gca(), (5, 0), (0, 5)), ValueError, r"start < stop"),
    # many digits
    ("mosaic NaN", lambda: pl.digit_mosaic(NAN_IMAGES, LABELS, per_class=2), ValueError, r"NaN at index \(3, 14, 2, 0\)"),
    ("mosaic per_class fraction", lambda: pl.digit_mosaic(IMAGES, LABELS, per_class=1.5), TypeError,
     r"per_class should be a whole number"),
    ("mosaic per_class None", lambda: pl.digit_mosaic(IMAGES, LABELS, per_class=None), TypeError, r"per_class"),
    ("mosaic pad negative", lambda: pl.digit_mosaic(IMAGES, LABELS, pad=-1), ValueError, r"pad should be at least 0"),
    ("mosaic lengths", lambda: pl.digit_mosaic(IMAGES, LABELS[:5], per_class=1), ValueError, r"same length"),
    ("mosaic one-hot", lambda: pl.digit_mosaic(IMAGES, np.eye(10)[LABELS]), ValueError, r"one-hot"),
    ("mosaic too few", lambda: pl.digit_mosaic(IMAGES, LABELS, per_class=3), ValueError, r"digit 0 has 2"),
    ("grid per_class string", lambda: pl.show_digit_grid(IMAGES, LABELS, per_class="2"), TypeError, r"per_class"),
    ("grid labels float", lambda: pl.show_digit_grid(IMAGES, LABELS + 0.5), ValueError, r"whole numbers 0-9"),
    ("counts empty", lambda: pl.plot_class_counts([]), ValueError, r"labels should hold at least one label; got an empty array"),
    ("counts NaN", lambda: pl.plot_class_counts([1.0, np.nan]), ValueError, r"contains NaN at index 1"),
    ("counts 10", lambda: pl.plot_class_counts([1, 10]), ValueError, r"digits 0-9"),
    ("counts probabilities", lambda: pl.plot_class_counts(np.full((3, 10), 0.1)), ValueError, r"probabilities"),
    ("histogram NaN", lambda: pl.plot_pixel_histogram(NAN_IMAGES), ValueError, r"NaN at index \(3, 14, 2, 0\)"),
    ("histogram bins fraction", lambda: pl.plot_pixel_histogram(IMAGES, bins=10.5), TypeError, r"bins should be a whole"),
    ("histogram bins zero", lambda: pl.plot_pixel_histogram(IMAGES, bins=0), ValueError, r"bins should be at least 1"),
    ("histogram log string", lambda: pl.plot_pixel_histogram(IMAGES, log="yes"), TypeError, r"log should be True or False"),
    ("histogram empty", lambda: pl.plot_pixel_histogram(IMAGES[:0]), ValueError, r"at least one image"),
    # kernels and maps
    ("kernels NaN", lambda: pl.show_kernels([KERNEL, NAN_KERNEL], ["a", "b"]), ValueError,
     r"kernels\[1\] contains NaN at index \(1, 2\)"),
    ("kernels inf", lambda: pl.show_kernels(np.full((1, 3, 3), np.inf), ["a"]), ValueError, r"contains infinity"),
    ("kernels title string", lambda: pl.show_kernels([KERNEL], "edge"), TypeError, r"titles should be a list of strings"),
    ("kernels titles count", lambda: pl.show_kernels([KERNEL, KERNEL], ["a"]), ValueError, r"2 kernels, 1 titles"),
    ("kernels None", lambda: pl.show_kernels(None, ["a"]), TypeError, r"kernels should be a 2-D array"),
    ("kernels text", lambda: pl.show_kernels([[["a"]]], ["a"]), ValueError, r"kernels\[0\] should hold numbers"),
    ("kernels large", lambda: pl.show_kernels([np.zeros((28, 28))], ["a"]), ValueError, r"at most 9x9"),
    ("maps NaN", lambda: pl.show_feature_maps([NAN_DIGIT], ["a"]), ValueError, r"maps\[0\] contains NaN at index \(14, 2\)"),
    ("maps too many", lambda: pl.show_feature_maps(np.zeros((64, 11, 11)), [str(k) for k in range(64)]), ValueError,
     r"at most 16 maps.*show_map_grid"),
    ("maps 4-D", lambda: pl.show_feature_maps(np.zeros((1, 26, 26, 25)), ["a"]), ValueError, r"stack of shape"),
    ("maps colorbar string", lambda: pl.show_feature_maps([DIGIT], ["a"], colorbar="no"), TypeError, r"colorbar"),
    ("maps axes wrong", lambda: pl.show_feature_maps([DIGIT], ["a"], axes=[_figure()]), TypeError, r"got a Figure"),
    # probabilities
    ("probabilities NaN", lambda: pl.plot_probabilities(np.where(np.arange(10) == 4, np.nan, 0.1)), ValueError,
     r"contains NaN at index 4"),
    ("probabilities 2-D", lambda: pl.plot_probabilities(np.full((3, 10), 0.1)), ValueError, r"take probabilities\[i\]"),
    ("probabilities scores", lambda: pl.plot_probabilities(np.arange(10.0)), ValueError, r"apply softmax first"),
    ("probabilities bool", lambda: pl.plot_probabilities(np.eye(10, dtype=bool)[3]), ValueError, r"booleans"),
    ("probabilities text", lambda: pl.plot_probabilities(["0.1"] * 10), ValueError, r"should hold numbers"),
    ("true_label 10", lambda: pl.plot_probabilities(PROBS, true_label=10), ValueError, r"digit 0-9; got 10"),
    ("true_label float", lambda: pl.plot_probabilities(PROBS, true_label=3.0), TypeError, r"digit 0-9 \(an int\)"),
    ("true_label string", lambda: pl.plot_probabilities(PROBS, true_label="3"), TypeError, r"digit 0-9"),
    # network diagram
    ("network negative params", lambda: pl.plot_network([("conv", (26, 26, 25), -250)]), ValueError, r"cannot be negative"),
    ("network params fraction", lambda: pl.plot_network([("conv", (26, 26, 25), 2.5)]), TypeError, r"parameter count"),
    ("network shape None", lambda: pl.plot_network([("conv", None, 250)]), TypeError, r"shape should be a tuple"),
    ("network shape string", lambda: pl.plot_network([("conv", (26, "26", 25), 250)]), TypeError, r"each size of its shape"),
    ("network shape zero", lambda: pl.plot_network([("conv", (0, 26, 25), 250)]), ValueError, r"all positive"),
    ("network empty", lambda: pl.plot_network([]), ValueError, r"non-empty list"),
    ("network pairs", lambda: pl.plot_network([("conv", (26, 26, 25))]), ValueError, r"\(name, shape, params\) triple"),
    ("network 1000 layers", lambda: pl.plot_network([("d", (10,), 0)] * 1000), ValueError, r"at most 32 layers"),
    ("mosaic huge per_class", lambda: pl.digit_mosaic(IMAGES, LABELS, per_class=10**9), ValueError,
     r"need 1000000000 examples"),
    ("mosaic huge pad", lambda: pl.digit_mosaic(IMAGES, LABELS, per_class=1, pad=10**6), ValueError, r"at most 28"),
    ("histogram huge bins", lambda: pl.plot_pixel_histogram(IMAGES, bins=10**9), ValueError, r"at most 1024"),
    ("network input 2-D", lambda: pl.plot_network([("d", (10,), 0)], input_shape=(28, 28)), TypeError, r"input_shape"),
    ("network input zero", lambda: pl.plot_network([("d", (10,), 0)], input_shape=(28, 0, 1)), ValueError, r"at least 1"),
    # history and confusion matrix
    ("history pair", lambda: pl.plot_history((_model(), HISTORY)), TypeError, r"unpack it: model, history"),
    ("history model", lambda: pl.plot_history(_model()), TypeError, r"got a Keras model"),
    ("history missing", lambda: pl.plot_history({"loss": [1.0]}), ValueError, r"lacks \['val_loss'\]"),
    ("history metric None", lambda: pl.plot_history(HISTORY, metric=None), TypeError, r"metric should be a string"),
    ("history text values", lambda: pl.plot_history({"loss": ["a"], "val_loss": ["b"]}), ValueError, r"should hold numbers"),
    ("history number", lambda: pl.plot_history({"loss": 1.0, "val_loss": 1.0}), ValueError, r"one per epoch"),
    ("history which", lambda: pl.plot_history(HISTORY, which="val"), ValueError, r"which should be one of 'both', 'train', 'validation'; got 'val'"),
    ("history label", lambda: pl.plot_history(HISTORY, label=3), TypeError, r"label should be a string"),
    ("cm NaN", lambda: pl.plot_confusion_matrix(np.where(np.eye(10) > 0, np.nan, 0)), ValueError, r"NaN at index \(0, 0\)"),
    ("cm normalize string", lambda: pl.plot_confusion_matrix(np.eye(10, dtype=int), normalize="yes"), TypeError,
     r"normalize should be True or False"),
    ("cm normalised", lambda: pl.plot_confusion_matrix(np.eye(10) * 0.5), ValueError, r"row-normalised"),
    # the gallery
    ("gallery 10,000", lambda: pl.plot_misclassified(MANY, MANY_LABELS, MANY_LABELS, np.ones(10000)), ValueError,
     r"at most 100 digits.*got 10,000.*\[:32\]"),
    ("gallery NaN image", lambda: pl.plot_misclassified(NAN_IMAGES, LABELS, LABELS, CONF), ValueError,
     r"NaN at index \(3, 14, 2, 0\)"),
    ("gallery NaN confidence", lambda: pl.plot_misclassified(IMAGES, LABELS, LABELS, np.where(CONF > 0, np.nan, 0)),
     ValueError, r"confidence contains NaN at index 0"),
    ("gallery confidence percent", lambda: pl.plot_misclassified(IMAGES, LABELS, LABELS, CONF * 100), ValueError,
     r"confidence should lie in \[0, 1\]"),
    ("gallery confidence 2-D", lambda: pl.plot_misclassified(IMAGES, LABELS, LABELS, np.full((20, 10), 0.1)),
     ValueError, r"1-D array of probabilities"),
    ("gallery lengths", lambda: pl.plot_misclassified(IMAGES, LABELS, LABELS[:5], CONF), ValueError,
     r"y_pred 5"),
    ("gallery empty", lambda: pl.plot_misclassified(IMAGES[:0], LABELS[:0], LABELS[:0], CONF[:0]), ValueError,
     r"images should hold at least one image; got an empty array"),
    ("gallery indices float", lambda: pl.plot_misclassified(IMAGES, LABELS, LABELS, CONF, indices=CONF), ValueError,
     r"whole numbers, 0 or more"),
    ("gallery indices mask", lambda: pl.plot_misclassified(IMAGES, LABELS, LABELS, CONF, indices=CONF > 0), ValueError,
     r"np\.flatnonzero"),
    ("gallery ncols fraction", lambda: pl.plot_misclassified(IMAGES, LABELS, LABELS, CONF, ncols=2.5), TypeError,
     r"ncols should be a whole"),
    ("gallery ncols zero", lambda: pl.plot_misclassified(IMAGES, LABELS, LABELS, CONF, ncols=0), ValueError, r"ncols"),
    ("gallery fig axes", lambda: pl.plot_misclassified(IMAGES, LABELS, LABELS, CONF, fig=plt.gca()), TypeError,
     r"fig should be a Matplotlib Figure"),
    ("gallery probabilities as labels", lambda: pl.plot_misclassified(IMAGES, LABELS, np.full((20, 10), 0.1), CONF),
     ValueError, r"y_pred.*argmax"),
    # augmentation
    ("augmented uint8", lambda: pl.show_augmented((IMAGES[:3] * 255).astype(np.uint8), _same), ValueError,
     r"raw uint8 pixels"),
    ("augmented copies fraction", lambda: pl.show_augmented(IMAGES[:3], _same, copies=2.5), TypeError, r"copies"),
    ("augmented copies 11", lambda: pl.show_augmented(IMAGES[:3], _same, copies=11), ValueError,
     r"copies should be at most 10; got 11"),
    ("augmented copies 0", lambda: pl.show_augmented(IMAGES[:3], _same, copies=0), ValueError,
     r"copies should be at least 1; got 0"),
    ("augmented empty", lambda: pl.show_augmented(IMAGES[:0], _same), ValueError, r"at least one image"),
    ("augmented too many", lambda: pl.show_augmented(IMAGES, _same), ValueError, r"images should hold at most 10 digits, one row each; got 20"),
    ("augmented not callable", lambda: pl.show_augmented(IMAGES[:3], IMAGES), TypeError, r"Keras layer or a function"),
    ("augmented wrong shape", lambda: pl.show_augmented(IMAGES[:3], lambda x, training: x[:1]), ValueError,
     r"shape it was given"),
    ("augmented NaN out", lambda: pl.show_augmented(IMAGES[:3], lambda x, training: x * np.nan), ValueError,
     r"contains NaN"),
    # standardised pixels are not a picture
    ("digit standardised", lambda: pl.show_digit(STANDARDISED[0]), ValueError,
     r"image should hold pixel values in \[0, 1\] \(or 0-255\); got values from -0\.\d+ to \d\.\d+: pixels are never "
     r"negative: these look standardised"),
    ("digit over 255", lambda: pl.show_digit(DIGIT * 300), ValueError, r"\[0, 1\] \(or 0-255\); got values from 0 to 300"),
    ("pixels standardised", lambda: pl.show_pixel_values(STANDARDISED[0], (0, 5), (0, 5)), ValueError,
     r"look standardised.*x \* std \+ mean"),
    ("grid standardised", lambda: pl.show_digit_grid(STANDARDISED, LABELS, per_class=2), ValueError,
     r"images should hold pixel values.*standardised"),
    ("histogram standardised", lambda: pl.plot_pixel_histogram(STANDARDISED), ValueError, r"look standardised"),
    ("gallery standardised", lambda: pl.plot_misclassified(STANDARDISED, LABELS, LABELS, CONF), ValueError,
     r"images should hold pixel values in \[0, 1\].*standardised"),
    ("augmented standardised", lambda: pl.show_augmented(STANDARDISED[:3], _same), ValueError, r"look standardised"),
    ("heat digit standardised", lambda: pl.show_heatmap(STANDARDISED[0], HEAT, plt.gca()), ValueError,
     r"image should hold pixel values in \[0, 1\] \(scaled as in chapter 3\).*standardised"),
    ("region digit standardised", lambda: pl.show_visible_region(STANDARDISED[0], HEAT > 0, plt.gca()), ValueError,
     r"standardised"),
    ("stages standardised", lambda: pl.plot_stages({"a": GRAY - 0.5}, [plt.gca()]), ValueError,
     r"stage 'a' should hold pixel values in \[0, 1\].*standardised"),
    ("heat digit 0-255", lambda: pl.show_heatmap(DIGIT * 255, HEAT, plt.gca()), ValueError,
     r"\[0, 1\] \(scaled as in chapter 3\); got values from 0 to 255: raw pixels\? divide them by 255"),
    ("digit mask", lambda: pl.show_digit(DIGIT > 0), ValueError, r"dtype bool \(a mask\?\)"),
    # chapter 7: the factor table
    ("factor table list", lambda: pl.plot_factor_table([("lr", 0.1)]), TypeError, r"DataFrame ablation\.factor_table"),
    ("factor table empty", lambda: pl.plot_factor_table(_table().iloc[:0]), ValueError, r"no row to draw"),
    ("factor table title", lambda: pl.plot_factor_table(_table(), title=None), TypeError, r"title should be a string"),
    # chapter 8: maps, filters, heat maps, masks
    ("tile ncols huge", lambda: pl.tile_maps(MAPS, ncols=10**9), ValueError, r"at most the number of maps, 4"),
    ("tile pad huge", lambda: pl.tile_maps(MAPS, pad=10**6), ValueError, r"pad should be at most 10"),
    ("tile NaN", lambda: pl.tile_maps(NAN_MAPS), ValueError, r"maps contains NaN at index \(1, 2, 3\)"),
    ("tile ncols zero", lambda: pl.tile_maps(MAPS, ncols=0), ValueError, r"ncols should be at least 1"),
    ("tile ncols fraction", lambda: pl.tile_maps(MAPS, ncols=2.5), TypeError, r"ncols should be a whole"),
    ("tile pad negative", lambda: pl.tile_maps(MAPS, pad=-1), ValueError, r"pad should be at least 0"),
    ("tile normalize string", lambda: pl.tile_maps(MAPS, normalize="yes"), TypeError, r"normalize should be True"),
    ("tile batch", lambda: pl.tile_maps(MAPS[None]), ValueError, r"\(height, width, channels\)"),
    ("filters NaN", lambda: pl.show_filters(np.moveaxis(NAN_MAPS, 2, 0), plt.gca()), ValueError,
     r"filters contains NaN at index \(3, 1, 2\)"),
    ("filters kernel", lambda: pl.show_filters(np.zeros((3, 3, 1, 25)), plt.gca()), ValueError, r"first_layer_filters"),
    ("filters figure", lambda: pl.show_filters(np.zeros((4, 3, 3)), plt.figure()), TypeError, r"got a Figure"),
    ("filters ncols zero", lambda: pl.show_filters(np.zeros((4, 3, 3)), plt.gca(), ncols=0), ValueError, r"ncols"),
    ("map grid batch", lambda: pl.show_map_grid(MAPS[None], plt.gca()), ValueError, r"take maps\[0\]"),
    ("map grid ax None", lambda: pl.show_map_grid(MAPS, None), TypeError, r"ax should be a Matplotlib Axes"),
    ("map grid NaN", lambda: pl.show_map_grid(NAN_MAPS, plt.gca()), ValueError, r"NaN at index \(1, 2, 3\)"),
    ("heat NaN", lambda: pl.show_heatmap(DIGIT, NAN_HEAT, plt.gca()), ValueError, r"heat map contains NaN at index \(3, 14\)"),
    ("heat 0-255", lambda: pl.show_heatmap(DIGIT, HEAT + 255, plt.gca()), ValueError, r"heat map should lie in \[0, 1\]"),
    ("heat shape", lambda: pl.show_heatmap(DIGIT, np.zeros((11, 11)), plt.gca()), ValueError, r"\(28, 28\) heat map"),
    ("heat alpha", lambda: pl.show_heatmap(DIGIT, HEAT, plt.gca(), alpha=2), ValueError, r"alpha should be at most 1"),
    ("heat visible ints", lambda: pl.show_heatmap(DIGIT, HEAT, plt.gca(), visible=np.ones((28, 28))), ValueError,
     r"boolean \(28, 28\) mask"),
    ("heat axes list", lambda: pl.show_heatmap(DIGIT, HEAT, [plt.gca()]), TypeError, r"pick one"),
    ("region mask ints", lambda: pl.show_visible_region(DIGIT, np.ones((28, 28), int), plt.gca()), ValueError,
     r"boolean \(28, 28\) mask"),
    ("region ax None", lambda: pl.show_visible_region(DIGIT, HEAT > 0, None), TypeError, r"Matplotlib Axes"),
    # chapter 9: the preprocessing stages
    ("stages list", lambda: pl.plot_stages([GRAY], None), TypeError, r"the dict preprocess_stages returns"),
    ("plot stages NaN", lambda: pl.plot_stages({"a": NAN_GRAY}, [None]), ValueError, r"stage 'a' contains NaN"),
    ("plot stages not axes", lambda: pl.plot_stages({"a": GRAY}, ["ax"]), TypeError, r"each of axes should be a Matplotlib"),
    ("plot stages count", lambda: pl.plot_stages({"a": GRAY, "b": GRAY}, [None]), ValueError, r"one Axes per stage"),
]


def _same(batch, training=False):
    return batch


def _table():
    import pandas as pd

    return pd.DataFrame({"val loss": [0.05, 0.04], "loss sd": [0.01, 0.005], "kept": [True, False]},
                        index=["start", "+ augment"])


def _model():
    from helpers.models import build_seed_cnn

    return build_seed_cnn()


@pytest.mark.parametrize(("call", "kind", "said"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named(call, kind, said):
    try:
        expect(call, kind, said)
    finally:
        plt.close("all")


def test_the_gallery_of_10000_is_refused_before_drawing():
    before = plt.get_fignums()
    expect(lambda: pl.plot_misclassified(MANY, MANY_LABELS, MANY_LABELS, np.ones(10000)), ValueError, r"at most 100")
    assert plt.get_fignums() == before


def test_good_inputs_still_work():
    assert pl.show_digit(DIGIT[..., None].tolist()).get_title() == "A handwritten digit"
    fig = pl.plot_misclassified(IMAGES, LABELS, LABELS, CONF, indices=np.arange(20), ncols=np.int64(5))
    assert len([ax for ax in fig.axes if ax.images]) == 20
    assert len(pl.show_kernels([KERNEL], ["edge"]).axes) == 1
    assert pl.plot_probabilities(PROBS.tolist(), true_label=np.int64(3)).get_xlabel().endswith("is 3")
    assert pl.plot_history(HISTORY, label="fast").get_legend() is not None
    assert pl.plot_network([("conv2d_1", [26, 26, 25], np.int64(250))]).get_title().startswith("1 layers")
    assert pl.show_augmented(IMAGES[:2, ..., None], _same, copies=np.int64(2)) is not None
    assert pl.show_digit((DIGIT * 255).astype(np.uint8)).images[0].get_clim() == (0, 255)
    assert [t.get_text() for t in pl.plot_factor_table(_table()).get_yticklabels()] == ["start", "+ augment"]
    assert len(pl.plot_stages({"a": GRAY, "b": GRAY[:28, :28]}, plt.subplots(1, 2)[1])) == 2
    plt.close("all")
