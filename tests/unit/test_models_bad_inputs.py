"""Bad inputs to helpers.models: counts and sizes that are not whole positive numbers, widths
that are not three filter counts, a (model, history) tuple or a recipe's name."""

from __future__ import annotations

import pytest
from bad_inputs import expect

from helpers import models as m

CASES = [
    # conv_output_size
    ("size fraction", lambda: m.conv_output_size(28.5, 3), TypeError, r"size should be a whole number"),
    ("size string", lambda: m.conv_output_size("28", 3), TypeError, r"size should be a whole number.*'28'"),
    ("size None", lambda: m.conv_output_size(None, 3), TypeError, r"size should be a whole number.*None"),
    ("size zero", lambda: m.conv_output_size(0, 3), ValueError, r"should be positive"),
    ("size negative", lambda: m.conv_output_size(-28, 3), ValueError, r"should be positive"),
    ("kernel bool", lambda: m.conv_output_size(28, True), TypeError, r"kernel should be a whole number"),
    ("kernel zero", lambda: m.conv_output_size(28, 0), ValueError, r"should be positive"),
    ("kernel larger", lambda: m.conv_output_size(2, 3), ValueError, r"3-wide window does not fit in 2 pixels"),
    ("stride fraction", lambda: m.conv_output_size(28, 3, 1.5), TypeError, r"stride should be a whole number"),
    ("stride zero", lambda: m.conv_output_size(28, 3, 0), ValueError, r"should be positive"),
    ("padding typo", lambda: m.conv_output_size(28, 3, padding="vaild"), ValueError, r"'valid', 'same'; got 'vaild'"),
    ("padding None", lambda: m.conv_output_size(28, 3, padding=None), TypeError, r"padding should be one of"),
    # conv_params, dense_params
    ("conv kernel zero", lambda: m.conv_params(0, 1, 25), ValueError, r"kernel should be at least 1"),
    ("conv channels negative", lambda: m.conv_params(3, -1, 25), ValueError, r"in_channels should be at least 1"),
    ("conv filters negative", lambda: m.conv_params(3, 1, -25), ValueError, r"filters should be at least 1"),
    ("conv filters fraction", lambda: m.conv_params(3, 1, 2.5), TypeError, r"filters should be a whole number"),
    ("conv kernel tuple", lambda: m.conv_params((3, 3), 1, 25), TypeError, r"kernel should be a whole number"),
    ("conv string", lambda: m.conv_params("3", 1, 25), TypeError, r"kernel should be a whole number"),
    ("dense inputs zero", lambda: m.dense_params(0, 10), ValueError, r"inputs should be at least 1"),
    ("dense units negative", lambda: m.dense_params(64, -10), ValueError, r"units should be at least 1"),
    ("dense None", lambda: m.dense_params(None, 10), TypeError, r"inputs should be a whole number.*None"),
    ("dense float", lambda: m.dense_params(64.0, 10), TypeError, r"write 64"),
    # builders
    ("seed filters two", lambda: m.build_seed_cnn((25, 64)), TypeError, r"three numbers of filters"),
    ("seed filters int", lambda: m.build_seed_cnn(25), TypeError, r"three numbers of filters"),
    ("seed filters zero", lambda: m.build_seed_cnn((25, 0, 64)), ValueError, r"filters\[1\] should be at least 1"),
    ("seed filters fraction", lambda: m.build_seed_cnn((25, 64, 6.4)), TypeError, r"filters\[2\] should be a whole"),
    ("improved widths string", lambda: m.build_improved_cnn(widths="abc"), TypeError, r"three numbers of filters"),
    ("improved dropout 1", lambda: m.build_improved_cnn(dropout=1.0), ValueError, r"rate in \[0, 1\)"),
    ("improved dropout negative", lambda: m.build_improved_cnn(dropout=-0.1), ValueError, r"dropout should be at least 0"),
    ("improved dropout string", lambda: m.build_improved_cnn(dropout="0.25"), TypeError, r"dropout should be a number"),
    ("improved batch_norm string", lambda: m.build_improved_cnn(batch_norm="yes"), TypeError, r"True or False"),
    ("improved last_pool int", lambda: m.build_improved_cnn(last_pool=1), TypeError, r"last_pool should be True or False"),
    ("improved dense negative", lambda: m.build_improved_cnn(dense_units=-1), ValueError, r"dense_units should be at least 0"),
    ("improved dense fraction", lambda: m.build_improved_cnn(dense_units=12.5), TypeError, r"dense_units should be a whole"),
    ("improved padding", lambda: m.build_improved_cnn(first_padding="full"), ValueError, r"first_padding should be one of 'valid', 'same'; got 'full'"),
    ("augmenter shift 2", lambda: m.build_augmenter(shift=2), ValueError, r"shift should be at most 0.5"),
    ("augmenter rotation negative", lambda: m.build_augmenter(rotation_degrees=-8), ValueError, r"at least 0"),
    ("augmenter zoom NaN", lambda: m.build_augmenter(zoom=float("nan")), ValueError, r"zoom should be a finite number"),
    ("augmenter shift None", lambda: m.build_augmenter(shift=None), TypeError, r"shift should be a number"),
    # layer_table
    ("table tuple", lambda: m.layer_table((m.build_seed_cnn(), {"loss": [1.0]})), TypeError,
     r"unpack it: model, history = train_or_load"),
    ("table name", lambda: m.layer_table("seed_cnn"), TypeError, r"recipe's name is not its model"),
    ("table builder", lambda: m.layer_table(m.build_seed_cnn), TypeError, r"call it to build the model"),
    ("table None", lambda: m.layer_table(None), TypeError, r"should be a Keras model; got None"),
]


@pytest.mark.parametrize(("call", "kind", "said"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named(call, kind, said):
    expect(call, kind, said)


def test_a_recipe_where_a_model_is_expected():
    from helpers.training import SEED_RECIPE

    expect(lambda: m.layer_table(SEED_RECIPE), TypeError, r"recipe 'seed_cnn'.*train or load it first")


def test_good_inputs_still_work():
    import numpy as np

    assert m.conv_output_size(np.int64(28), 3) == 26 and m.conv_output_size(28, 3, 2, "same") == 14
    assert m.conv_params(3, 1, 25) == 250 and m.dense_params(np.int32(64), 10) == 650
    assert m.layer_table(m.build_seed_cnn([25, 64, 64])) == m.SEED_LAYERS
    assert m.build_improved_cnn(dropout=0, dense_units=0).layers[-1].units == 10


def test_augmenter_layers_carry_its_arguments():
    """Each argument reaches its layer (a rotation in turns, not degrees; no flip layer)."""
    rotation, shift, zoom = m.build_augmenter(shift=0.1, rotation_degrees=36, zoom=0.05).layers
    assert [type(layer).__name__ for layer in (rotation, shift, zoom)] == ["RandomRotation", "RandomTranslation",
                                                                           "RandomZoom"]
    assert tuple(rotation.factor) == pytest.approx((-0.1, 0.1))  # 36 degrees is a tenth of a turn
    assert shift.height_factor == shift.width_factor == 0.1
    assert zoom.height_factor == 0.05 and zoom.width_factor is None  # None: the same zoom on both axes
    assert {(layer.fill_mode, layer.fill_value) for layer in (rotation, shift, zoom)} == {("constant", 0.0)}
    default = m.build_augmenter().layers
    assert tuple(default[0].factor) == pytest.approx((-8 / 360, 8 / 360)) and default[1].height_factor == 0.08
