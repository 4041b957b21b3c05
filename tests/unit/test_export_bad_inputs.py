"""Bad inputs to helpers._machinery.export: the (model, history) tuple, NaN weights named by index,
damaged or foreign headers, images of the wrong range, paths of the wrong kind."""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest
from bad_inputs import expect

from helpers._machinery import export as ex

IMAGE = np.zeros((28, 28), np.float32)
NAN_IMAGE = IMAGE.copy()
NAN_IMAGE[3, 14] = np.nan


@cache
def seed():
    from helpers.models import build_seed_cnn

    return build_seed_cnn()


@cache
def diverged():
    from helpers.models import build_seed_cnn

    model = build_seed_cnn()
    kernel = model.get_layer("conv2d_1").kernel
    values = kernel.numpy()
    values[1, 2, 0, 4] = np.nan
    kernel.assign(values)
    return model


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    return ex.load_export(ex.export_model(seed(), folder, "seed"))


CASES = [
    ("spec tuple", lambda t: ex.model_spec((seed(), {})), TypeError, r"unpack it: model, history = train_or_load"),
    ("spec name", lambda t: ex.model_spec("seed_cnn"), TypeError, r"recipe's name is not its model"),
    ("spec None", lambda t: ex.model_spec(None), TypeError, r"should be a Keras model; got None"),
    ("export tuple", lambda t: ex.export_model((seed(), {}), t, "x"), TypeError, r"unpack it: model, history"),
    ("export NaN weights", lambda t: ex.export_model(diverged(), t, "x"), ValueError,
     r"weights conv2d_1/kernel contains NaN at index \(1, 2, 0, 4\)"),
    ("export name number", lambda t: ex.export_model(seed(), t, 3), TypeError, r"name should be a string"),
    ("export name spaces", lambda t: ex.export_model(seed(), t, "my net"), ValueError, r"name should be letters"),
    ("export label None", lambda t: ex.export_model(seed(), t, "x", label=None), TypeError, r"label should be a string"),
    ("export folder None", lambda t: ex.export_model(seed(), None, "x"), TypeError, r"folder should be a folder"),
    ("load None", lambda t: ex.load_export(None), TypeError, r"header_path should be a folder or file name"),
    ("load missing", lambda t: ex.load_export(t / "none.json"), ValueError, r"not a readable network export"),
    ("load binary", lambda t: ex.load_export(_write(t, bytes(range(256)))), ValueError, r"not a readable network export"),
    ("load list", lambda t: ex.load_export(_write(t, b"[1, 2]")), ValueError, r"JSON list, not an object"),
    ("load foreign", lambda t: ex.load_export(_write(t, json.dumps({"binary": "h.json"}).encode())), ValueError,
     r"is not a cnn-book-digit-widget v1 header"),
    ("load no layers", lambda t: ex.load_export(_write(t, json.dumps(
        {"binary": "h.json", "format": ex.FORMAT, "version": ex.FORMAT_VERSION}).encode())), ValueError,
     r"lacks its 'layers' list"),
    ("export_trained None", lambda t: ex.export_trained(None, t), TypeError, r"models_folder should be"),
    ("samples None", lambda t: ex.sample_entries(None, t), TypeError, r"samples_dir should be"),
]


def _write(folder, content):
    path = folder / "h.json"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(("call", "kind", "said"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named(tmp_path, call, kind, said):
    expect(lambda: call(tmp_path), kind, said)
    assert not list(tmp_path.glob("x.*"))  # nothing half-written


FORWARD = [
    ("uint8 pixels", lambda: (IMAGE + 255).astype(np.uint8), ValueError, r"image should lie in \[0, 1\].*1/255"),
    ("NaN pixel", lambda: NAN_IMAGE, ValueError, r"image contains NaN at index \(3, 14\)"),
    ("batch", lambda: IMAGE[None, ..., None], ValueError, r"one image of shape \(28, 28\)"),
    ("string", lambda: "7.png", TypeError, r"image should be an array"),
]


@pytest.mark.parametrize(("image", "kind", "said"), [f[1:] for f in FORWARD], ids=[f[0] for f in FORWARD])
def test_forward_checks_the_image(exported, image, kind, said):
    header, arrays = exported
    expect(lambda: ex.forward(header, arrays, image()), kind, said)


def test_forward_checks_what_load_export_returns(exported):
    header, arrays = exported
    expect(lambda: ex.forward(exported, arrays, IMAGE), TypeError, r"header should be the dict load_export returns")
    expect(lambda: ex.forward(header, None, IMAGE), TypeError, r"arrays should be the dict")
    assert ex.forward(header, arrays, IMAGE.tolist()).sum() == pytest.approx(1.0)
