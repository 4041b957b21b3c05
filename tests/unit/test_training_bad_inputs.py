"""Bad inputs to the training helpers get a sentence, and a saved model that cannot be used is
retrained with the reason said, never a crash or a silent reload."""

from __future__ import annotations

import json

import numpy as np
import pytest
from bad_inputs import expect

from helpers import records
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
    meta.write_text(json.dumps({**record, "history": {"loss": "0.1"}}))
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
    with pytest.raises(ValueError, match="history should hold finite numbers.*nothing was written"):
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


X = np.zeros((4, 28, 28, 1), np.float32)
Y = np.arange(4)
DATA = {"x_fit": X, "y_fit": Y, "x_val": X[:2], "y_val": Y[:2]}
HISTORY = {"loss": [0.5, 0.4], "val_loss": [0.6, 0.5]}


def _pair():
    return t.SEED_RECIPE.build(), {"loss": [1.0]}


CASES = [
    # make_dataset
    ("dataset x empty", lambda: t.make_dataset(X[:0], Y[:0], 2), ValueError,
     r"x should hold at least one image; got an empty array of shape \(0, 28, 28, 1\)"),
    ("dataset y empty", lambda: t.make_dataset(X, Y[:0], 2), ValueError, r"y should hold at least one label"),
    ("dataset raw pixels", lambda: t.make_dataset(X.astype(np.uint8), Y, 2), ValueError, r"x should be floats.*raw uint8"),
    ("dataset float64", lambda: t.make_dataset(X.astype(np.float64), Y, 2), ValueError, r"x should be float32.*float64"),
    ("dataset lengths", lambda: t.make_dataset(X, Y[:3], 2), ValueError, r"x and y should have the same length; got 4 and 3"),
    ("dataset batch zero", lambda: t.make_dataset(X, Y, 0), ValueError, r"batch_size should be at least 1; got 0"),
    ("dataset batch fraction", lambda: t.make_dataset(X, Y, 2.5), TypeError, r"batch_size should be a whole number"),
    ("dataset shuffle string", lambda: t.make_dataset(X, Y, 2, shuffle="yes"), TypeError, r"shuffle should be True or False"),
    ("dataset one-hot", lambda: t.make_dataset(X, np.eye(10)[Y], 2), ValueError, r"y should be a 1-D.*one-hot"),
    ("dataset None", lambda: t.make_dataset(None, Y, 2), TypeError, r"x should be an array of numbers; got None"),
    # compile_model, learning_rate_schedule, smoothed_crossentropy
    ("compile pair", lambda: t.compile_model(_pair(), t.SEED_RECIPE, 4), TypeError, r"model should be a Keras model.*unpack"),
    ("compile recipe name", lambda: t.compile_model(t.SEED_RECIPE.build(), "seed_cnn", 4), TypeError,
     r"recipe should be a Recipe, not its name 'seed_cnn'"),
    ("compile steps zero", lambda: t.compile_model(t.SEED_RECIPE.build(), t.SEED_RECIPE, 0), ValueError,
     r"steps_per_epoch should be at least 1; got 0"),
    ("schedule steps fraction", lambda: t.learning_rate_schedule(t.SEED_RECIPE, 2.5), TypeError,
     r"steps_per_epoch should be a whole number"),
    ("smoothing one", lambda: t.smoothed_crossentropy(1.0), ValueError, r"label_smoothing should be a number strictly between 0 and 1; got 1"),
    ("smoothing string", lambda: t.smoothed_crossentropy("0.1"), TypeError, r"label_smoothing should be a number"),
    # fit_recipe: the data is checked before any model is built
    ("fit data tuple", lambda: t.fit_recipe(t.SEED_RECIPE, (X, Y)), TypeError,
     r"data should be the dict load_prepared\(\) returns.*got a tuple of 2 items"),
    ("fit data keys", lambda: t.fit_recipe(t.SEED_RECIPE, {"x_fit": X, "y_fit": Y}), ValueError,
     r"data should hold the arrays x_fit, y_fit, x_val, y_val.*it lacks x_val, y_val"),
    ("fit data unscaled", lambda: t.fit_recipe(t.SEED_RECIPE, {**DATA, "x_fit": X + 255}), ValueError,
     r"data\['x_fit'\] should be scaled to \[0, 1\]"),
    ("fit data lengths", lambda: t.fit_recipe(t.SEED_RECIPE, {**DATA, "y_val": Y}), ValueError,
     r"data\['x_val'\] and data\['y_val'\] should have the same length; got 2 and 4"),
    ("fit recipe name", lambda: t.fit_recipe("seed_cnn", DATA), TypeError, r"not its name 'seed_cnn'"),
    # history_record
    ("history lengths", lambda: t.history_record({"loss": [0.5, 0.4], "val_loss": [0.6]}, 3.0, [1.0, 1.0]), ValueError,
     r"every metric of history should have one value per epoch; got loss 2, val_loss 1"),
    ("history epoch times", lambda: t.history_record(HISTORY, 3.0, [1.0]), ValueError,
     r"epoch_seconds should have one time per epoch, 2 like the metrics; got 1"),
    ("history negative seconds", lambda: t.history_record(HISTORY, -1.0, [1.0, 1.0]), ValueError,
     r"seconds should be at least 0; got -1"),
    ("history negative epoch", lambda: t.history_record(HISTORY, 3.0, [1.0, -1.0]), ValueError,
     r"epoch_seconds\[1\] should be at least 0"),
    ("history epoch string", lambda: t.history_record(HISTORY, 3.0, "1.0"), TypeError,
     r"epoch_seconds should be a list of seconds, one per epoch; got the str"),
    ("history list", lambda: t.history_record([0.5, 0.4], 3.0, [1.0, 1.0]), TypeError,
     r"history should be what model.fit returns, or a dict of lists.*got a list of 2 items"),
    ("history number", lambda: t.history_record({"loss": 0.5}, 3.0, [1.0]), TypeError, r"history\['loss'\] is float 0.5"),
    ("history text", lambda: t.history_record({"loss": ["0.5"]}, 3.0, [1.0]), TypeError,
     r"history\['loss'\]\[0\] is the str '0.5'"),
    ("history empty", lambda: t.history_record({}, 3.0, []), ValueError, r"got an empty dict \(no metric recorded\)"),
    ("history pair", lambda: t.history_record(_pair(), 3.0, [1.0]), TypeError, r"\(model, history\) pair: unpack it"),
    # save_trained, load_trained, train_or_load: folders and records
    ("save empty history", lambda: t.save_trained(t.SEED_RECIPE.build(), {}, t.SEED_RECIPE), ValueError,
     r"no metric recorded"),
    ("save folder number", lambda: t.save_trained(*_pair(), t.SEED_RECIPE, folder=42), TypeError,
     r"folder should be a folder, as a str or Path; got int 42"),
    ("load folder list", lambda: t.load_trained(t.SEED_RECIPE, folder=["models"]), TypeError, r"folder should be a folder"),
    ("train data list", lambda: t.train_or_load(t.SEED_RECIPE, data=[X, Y]), TypeError, r"data should be the dict"),
    # recorded_best_effort
    ("best effort path number", lambda: records.recorded_best_effort(3), TypeError,
     r"path should be the file name of a best-effort record, as a str or Path; got int 3"),
]


@pytest.mark.parametrize(("call", "kind", "said"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named(call, kind, said):
    expect(call, kind, said)


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_models_folder_variable_is_refused(monkeypatch, tmp_path, value):
    """CNN_BOOK_MODELS='' is not read as the current folder: the sentence says what to set."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(t.MODELS_ENV_VAR, value)
    message = expect(t.models_dir, ValueError, r"CNN_BOOK_MODELS should name the folder for trained models; "
                                               r"got an empty string")
    assert "os.environ['CNN_BOOK_MODELS'] = " in message and "del os.environ" in message
    expect(lambda: t.load_trained(t.SEED_RECIPE), ValueError, r"CNN_BOOK_MODELS should name the folder")
    assert list(tmp_path.iterdir()) == []  # nothing was written to the current folder
    monkeypatch.delenv(t.MODELS_ENV_VAR)
    assert t.models_dir() == t.Path("models")
    monkeypatch.setenv(t.MODELS_ENV_VAR, str(tmp_path / "kept"))
    assert t.models_dir() == tmp_path / "kept"


def test_a_record_without_history_is_retrained_once_and_said(tmp_path, monkeypatch, capsys):
    """A saved model whose record lost its history is not loaded as (model, None): load_trained
    says why it gives None, and train_or_load retrains it once, saying why; then it loads."""
    t.save_trained(*_pair(), t.SEED_RECIPE, tmp_path)
    meta = tmp_path / "seed_cnn.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "history": None}))
    assert t.load_trained(t.SEED_RECIPE, tmp_path) is None
    assert "Not loading the saved 'seed_cnn': its record seed_cnn.json has no training history" in capsys.readouterr().out
    trained = []

    def fake_fit(recipe, data, verbose="auto"):
        trained.append(recipe.name)
        return _pair()

    monkeypatch.setattr(t, "fit_recipe", fake_fit)
    model, history = t.train_or_load(t.SEED_RECIPE, DATA, folder=tmp_path)
    assert "Training 'seed_cnn' now (10 epochs): its record seed_cnn.json has no training history" in capsys.readouterr().out
    assert history == {"loss": [1.0]} and trained == ["seed_cnn"]
    _, again = t.train_or_load(t.SEED_RECIPE, DATA, folder=tmp_path)
    assert again == {"loss": [1.0]} and trained == ["seed_cnn"]  # loaded: trained at most once
    assert "Loaded the trained model 'seed_cnn'" in capsys.readouterr().out


def test_recorded_best_effort_names_what_is_wrong(tmp_path):
    good = json.loads(records.BEST_EFFORT_FILE.read_text())
    path = tmp_path / "best_effort.json"
    for record, said in [
        ([1, 2], r"as a JSON object; got a JSON list: run benchmarks/bench_best_effort.py"),
        ({k: v for k, v in good.items() if k != "machine"}, r"lacks \['machine'\]"),
        ({**good, "runs": []}, r"runs should be a non-empty list, one run per seed; got \[\]"),
        ({**good, "runs": [{"seed": 0, "test_accuracy": 99.1}]}, r"runs\[0\]\['test_accuracy'\] should be an accuracy in \[0, 1\]; got 99.1"),
        ({**good, "runs": [{"seed": 0}]}, r"runs\[0\]\['test_accuracy'\] should be an accuracy.*got None"),
        ({**good, "mean_test_accuracy": 0.5}, r"mean_test_accuracy should be the runs' mean, 0\.99\d\d; got 0\.5"),
    ]:
        path.write_text(json.dumps(record))
        message = expect(lambda: records.recorded_best_effort(path), ValueError, said)
        assert str(path) in message
    expect(lambda: records.recorded_best_effort(tmp_path / "absent.json"), ValueError,
           r"absent.json should hold a best-effort record; it could not be read \(FileNotFoundError\): run benchmarks/bench_best_effort.py")


@pytest.mark.parametrize("kwargs", [[("widths", (8, 8, 8))], {1: 2}, "widths=(8, 8, 8)"])
def test_builder_keywords_should_be_a_dict_of_names(kwargs):
    expect(lambda: t.Recipe(**GOOD, builder_kwargs=kwargs), TypeError, r"builder_kwargs should be a dict of keyword")


def test_make_dataset_names_the_float32_it_needs():
    x = np.zeros((2, 28, 28, 1), np.float16)
    expect(lambda: t.make_dataset(x, np.zeros(2, int), 2), ValueError, r"x should be float32 \(see chapter 3\); got float16")
