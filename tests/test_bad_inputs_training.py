"""Bad inputs to the training helpers get a sentence (issue 17), and a saved model that cannot
be used is retrained with the reason said (issue 14, item 4), never a crash or a silent reload."""

from __future__ import annotations

import json

import pytest

from helpers import training as t

GOOD = dict(name="x", builder="build_seed_cnn", epochs=1, batch_size=8)


@pytest.mark.parametrize(
    ("change", "said"),
    [({"schedule": "cosin"}, "schedule should be one of"), ({"learning_rate": -1e-3}, "greater than 0"),
     ({"learning_rate": float("nan")}, "finite"), ({"epochs": 0}, "at least 1"), ({"batch_size": 0}, "at least 1"),
     ({"epochs": 2.5}, "whole number"), ({"batch_size": "128"}, "whole number"), ({"epochs": None}, "whole number"),
     ({"builder": "nope"}, "helpers.models"), ({"name": ""}, "name"), ({"seed": -1}, "at least 0"),
     ({"train_subset": 0.5}, "whole number"), ({"augment": "yes"}, "True or False")],
)
def test_recipe_validates_itself(change, said):
    with pytest.raises((TypeError, ValueError), match=said):
        t.Recipe(**{**GOOD, **change})


def test_saved_records_that_cannot_be_used_say_why(tmp_path):
    assert "no saved model" in t._load_saved(t.SEED_RECIPE, tmp_path)[1]
    model = t.SEED_RECIPE.build()
    t.save_trained(model, {"loss": [0.1]}, t.SEED_RECIPE, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed_cnn.json", "seed_cnn.keras"]  # no temp files
    assert t._load_saved(t.SEED_RECIPE, tmp_path)[0] is not None
    meta = tmp_path / "seed_cnn.json"
    record = json.loads(meta.read_text())
    meta.write_text(json.dumps({k: v for k, v in record.items() if k != "history"}))
    assert "no training history" in t._load_saved(t.SEED_RECIPE, tmp_path)[1]
    meta.write_bytes(b"\x89PNG\x00\xff")
    assert "not readable JSON" in t._load_saved(t.SEED_RECIPE, tmp_path)[1]
    meta.write_text(json.dumps(record))
    (tmp_path / "seed_cnn.keras").write_bytes(b"not a keras file")
    why = t._load_saved(t.SEED_RECIPE, tmp_path)[1]
    assert "cannot load seed_cnn.keras" in why and "newer Keras" in why
    assert t.load_trained(t.SEED_RECIPE, tmp_path) is None


def test_save_trained_writes_both_or_neither(tmp_path):
    model = t.SEED_RECIPE.build()
    with pytest.raises(ValueError, match="nothing was written"):
        t.save_trained(model, {"loss": [float("nan")]}, t.SEED_RECIPE, tmp_path)
    with pytest.raises(TypeError, match="dict of lists"):
        t.save_trained(model, {"loss": 0.1}, t.SEED_RECIPE, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("call", "said"),
    [(lambda m: t.save_trained((m, {}), {"loss": [1.0]}, t.SEED_RECIPE), "unpack it: model, history"),
     (lambda m: t.train_or_load("seed_cnn"), "its name 'seed_cnn'"),
     (lambda m: t.load_trained(None), "should be a Recipe")],
)
def test_mixups_get_a_sentence(call, said):
    with pytest.raises(TypeError, match=said):
        call(t.SEED_RECIPE.build())
