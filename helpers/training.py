"""One definition of each training recipe, and the helper that trains or reloads a model.

Chapter 5 trains the article's network step by step and saves it; chapters 6 to 9 call
`train_or_load`, which reloads that saved model when it is present and valid, and trains it
with the very same recipe otherwise (so each chapter also runs alone, e.g. in Colab).
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from helpers import _validate as _v
from helpers import models as _models
from helpers._machinery.saved import loss_classes, read_both, write_both
from helpers._validate import accepts
from helpers.data import load_prepared

if TYPE_CHECKING:
    import keras
    import tensorflow as tf

#: Environment variable naming the folder where trained models are kept (default: ./models).
MODELS_ENV_VAR = "CNN_BOOK_MODELS"


@dataclass(frozen=True)
class Recipe:
    """Everything that decides how a model is trained (chapter 5); `builder` names a function
    in `helpers.models` that returns an uncompiled model."""

    name: str
    builder: str
    epochs: int
    batch_size: int
    learning_rate: float = 1e-3
    builder_kwargs: dict[str, Any] = field(default_factory=dict)
    augment: bool = False
    schedule: str = "constant"  # "constant", "cosine" or "warmup-cosine" (see SCHEDULES)
    early_stopping_patience: int | None = None
    train_subset: int | None = None  # train on only the first N fitting images (short comparisons)
    seed: int = 0
    #: Chapter 7's training levers; None (the default) leaves them out of the fingerprint, so
    #: models saved before these fields existed are still reused.
    label_smoothing: float | None = None  # e.g. 0.1: targets 0.91 / 0.01 instead of 1 / 0
    ema_momentum: float | None = None  # e.g. 0.99: evaluate an average of recent weights

    def __post_init__(self) -> None:
        """Refuse a recipe that could only train wrongly or silently, naming the field."""
        for key, spec in RECIPE_FIELDS.items():
            spec(getattr(self, key), key)

    def fingerprint(self) -> str:
        """A short hash of the recipe and of its builder's code: a saved model is reused only if
        this matches, so a model saved before its builder changed is trained afresh."""
        fields = {key: value for key, value in dataclasses.asdict(self).items() if value is not None}
        fields["builder_source"] = inspect.getsource(getattr(_models, self.builder))
        text = json.dumps(fields, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def build(self) -> keras.Model:
        """Build the recipe's (uncompiled) model, seeded for reproducibility."""
        set_seed(self.seed)
        return getattr(_models, self.builder)(**self.builder_kwargs)


#: "cosine" falls from `learning_rate` to 0 over the whole run; "warmup-cosine" first rises
#: linearly from a tenth of it over the first epoch, then falls along the same cosine.
SCHEDULES = ("constant", "cosine", "warmup-cosine")

#: What each field of a `Recipe` may hold.
RECIPE_FIELDS = {
    "name": _v.Name(), "builder": _v.Builder(_models), "epochs": _v.Whole(), "batch_size": _v.Whole(),
    "learning_rate": _v.Number(positive=True), "builder_kwargs": _v.Keywords(), "augment": _v.Flag(),
    "schedule": _v.OneOf(*SCHEDULES), "seed": _v.Whole(minimum=0),
    "early_stopping_patience": _v.Maybe(_v.Whole()), "train_subset": _v.Maybe(_v.Whole()),
    "label_smoothing": _v.Maybe(_v.Fraction()), "ema_momentum": _v.Maybe(_v.Fraction()),
}


#: The article's network trained the book's way (chapter 5): batches of 128, Adam whose rate
#: falls from 0.001 to 0 along a cosine over 10 epochs, a schedule chosen on validation
#: evidence (benchmarks/bench_schedule.py; chapter 5's notes page shows its record).
SEED_RECIPE = Recipe(name="seed_cnn", builder="build_seed_cnn", epochs=10, batch_size=128, schedule="cosine")


#: The chapter 7 model, as its two-stage study chose it (helpers.ablation): a change was kept
#: only if it lowered the mean validation loss by more than the spread between seeds.
IMPROVED_RECIPE = Recipe(
    name="improved_cnn", builder="build_improved_cnn", epochs=15, batch_size=128, learning_rate=2e-3,
    builder_kwargs={"widths": (32, 64, 128), "batch_norm": True, "dropout": 0.0, "last_pool": False,
                    "dense_units": 64, "first_padding": "same"},
    augment=True, schedule="cosine", early_stopping_patience=3,
)


@accepts(seed=_v.Whole(minimum=0))
def set_seed(seed: int = 0) -> None:
    """Seed Python, NumPy and TensorFlow at once (chapter 5); safe on a CPU and on a GPU alike.

    Same starting weights and data order everywhere. Op determinism stays off: on a GPU it
    fails for ops without a deterministic kernel, so the last digits of a run may vary there.
    """
    import keras

    keras.utils.set_random_seed(seed)


def models_dir() -> Path:
    """The folder where trained models are saved: $CNN_BOOK_MODELS, else ./models (chapter 5)."""
    folder = os.environ.get(MODELS_ENV_VAR)
    if folder is not None and not folder.strip():
        raise ValueError(
            f"the environment variable {MODELS_ENV_VAR} should name the folder for trained models; got an "
            f"empty string. Set it, e.g. os.environ['{MODELS_ENV_VAR}'] = '/content/models', or remove it "
            f"(del os.environ['{MODELS_ENV_VAR}']) to use ./models."
        )
    return Path("models" if folder is None else folder).expanduser()


@accepts(x=_v.FittingImages(), y=_v.Labels(nonempty=True), batch_size=_v.Whole(),
         shuffle=_v.Flag(), seed=_v.Whole(minimum=0), augment=_v.Flag())
def make_dataset(
    x: np.ndarray, y: np.ndarray, batch_size: int, *, shuffle: bool = False, seed: int = 0,
    augment: bool = False,
) -> tf.data.Dataset:
    """A tf.data pipeline over float32 digits in [0, 1] and labels: cache, optional shuffle,
    batch, prefetch two (chapter 5); with `augment`, batches randomly moved (chapter 7)."""
    import tensorflow as tf

    _v.equal_length(x, y, "x and y")
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).cache()
    if shuffle:
        dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.batch(batch_size)
    if augment:
        augmenter = _models.build_augmenter()
        dataset = dataset.map(lambda images, labels: (augmenter(images, training=True), labels))
    # A fixed prefetch of two batches, with tf.data's autotuning off: on a machine with few
    # CPU cores the autotuner's own threads compete with training and slow some epochs.
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.prefetch(2).with_options(options)


@accepts(model=_v.Model(), recipe=_v.RecipeSpec(), steps_per_epoch=_v.Whole())
def compile_model(model: keras.Model, recipe: Recipe, steps_per_epoch: int) -> keras.Model:
    """Compile with Adam, sparse categorical cross-entropy and accuracy (chapter 5)."""
    import keras

    learning_rate = learning_rate_schedule(recipe, steps_per_epoch)
    ema = {} if recipe.ema_momentum is None else {"use_ema": True, "ema_momentum": recipe.ema_momentum}
    loss: Any = "sparse_categorical_crossentropy"
    metrics: list[Any] = ["accuracy"]
    if recipe.label_smoothing is not None:
        loss = smoothed_crossentropy(recipe.label_smoothing)
        # The smoothed loss is larger by design; the plain cross-entropy is what compares runs.
        metrics.append(keras.metrics.SparseCategoricalCrossentropy(name="crossentropy"))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate, **ema), loss=loss, metrics=metrics)
    return model


@accepts(recipe=_v.RecipeSpec(), steps_per_epoch=_v.Whole())
def learning_rate_schedule(recipe: Recipe, steps_per_epoch: int) -> Any:
    """The learning rate of `recipe` (chapter 5): a number, or a Keras schedule of the step, for
    a run of ``recipe.epochs * steps_per_epoch`` steps; see `SCHEDULES`."""
    import keras

    if recipe.schedule == "cosine":
        return keras.optimizers.schedules.CosineDecay(recipe.learning_rate, decay_steps=recipe.epochs * steps_per_epoch)
    if recipe.schedule == "warmup-cosine":
        return keras.optimizers.schedules.CosineDecay(
            recipe.learning_rate / 10, decay_steps=max(1, (recipe.epochs - 1) * steps_per_epoch),
            warmup_target=recipe.learning_rate, warmup_steps=steps_per_epoch,
        )
    return recipe.learning_rate


@accepts(label_smoothing=_v.Fraction())
def smoothed_crossentropy(label_smoothing: float) -> keras.losses.Loss:
    """Cross-entropy against smoothed targets for integer labels (chapter 7's lever):
    the true digit gets ``1 - s + s/10`` and every other digit ``s/10``."""
    return loss_classes()["SmoothedCrossentropy"](label_smoothing=label_smoothing)


@accepts(recipe=_v.RecipeSpec(), data=_v.Prepared())
def fit_recipe(
    recipe: Recipe, data: dict[str, np.ndarray], verbose: int | str = "auto"
) -> tuple[keras.Model, dict[str, list[float]]]:
    """Build, compile and fit `recipe` on ``data['x_fit'], data['y_fit']``, validating on
    ``x_val, y_val`` (chapters 5 and 6). Returns the model and its `history_record`."""
    import keras

    model = recipe.build()
    x_fit, y_fit = data["x_fit"][: recipe.train_subset], data["y_fit"][: recipe.train_subset]
    train = make_dataset(x_fit, y_fit, recipe.batch_size, shuffle=True, seed=recipe.seed,
                         augment=recipe.augment)
    val = make_dataset(data["x_val"], data["y_val"], 1024)
    compile_model(model, recipe, steps_per_epoch=int(train.cardinality()))
    timer = epoch_timer()
    callbacks = [timer]
    if recipe.early_stopping_patience is not None:
        callbacks.insert(0, keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=recipe.early_stopping_patience, restore_best_weights=True))
    if recipe.ema_momentum is not None:
        # Validate (and stop early) on the averaged weights, which are the ones kept at the end.
        callbacks.insert(0, keras.callbacks.SwapEMAWeights(swap_on_epoch=True))
    start = time.perf_counter()
    # shuffle=False: the dataset already reshuffles itself every epoch (make_dataset); Keras
    # would otherwise warn that it cannot shuffle a tf.data pipeline.
    history = model.fit(
        train, validation_data=val, epochs=recipe.epochs, callbacks=callbacks, verbose=verbose, shuffle=False
    )
    return model, history_record(history, time.perf_counter() - start, timer.seconds)


def epoch_timer() -> keras.callbacks.Callback:
    """A Keras callback that times each epoch: after `fit`, its `.seconds` lists them (chapter 5)."""
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.seconds: list[float] = []

        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            self.seconds.append(time.perf_counter() - self._start)

    return EpochTimer()


@accepts(history=_v.History(), seconds=_v.Number(minimum=0.0), epoch_seconds=_v.Times())
def history_record(
    history: keras.callbacks.History | dict[str, list[float]], seconds: float, epoch_seconds: list[float]
) -> dict[str, list[float]]:
    """What `save_trained` stores about a run (chapter 5): one list per metric, ``"seconds"``
    (a one-element list: the whole fit) and ``"epoch_seconds"`` (one entry per epoch)."""
    _v.one_per_epoch(history, epoch_seconds)
    return {**history, "seconds": [seconds], "epoch_seconds": epoch_seconds}


def _paths(recipe: Recipe, folder: Path | None) -> tuple[Path, Path]:
    folder = models_dir() if folder is None else folder
    return folder / f"{recipe.name}.keras", folder / f"{recipe.name}.json"


@accepts(model=_v.Model(), history=_v.History(), recipe=_v.RecipeSpec(), folder=_v.Maybe(_v.Place()))
def save_trained(
    model: keras.Model, history: dict[str, list[float]], recipe: Recipe, folder: Path | None = None
) -> Path:
    """Save a trained model in Keras's native format, its history and recipe beside it (chapter 5).

    Both files are written whole or not at all: a failure leaves the previous record, or none.
    """
    meta = {"recipe": dataclasses.asdict(recipe), "fingerprint": recipe.fingerprint(), "history": history}
    try:
        text = json.dumps(meta, indent=1, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"history should hold finite numbers, which JSON can store ({error}); "
                         "nothing was written.") from None
    model_path, meta_path = _paths(recipe, folder)
    write_both(model, text, model_path, meta_path)
    return model_path


def _load_saved(recipe: Recipe, folder: Path | None) -> tuple[tuple[Any, dict] | None, str]:
    """The saved (model, history) of `recipe`, or None and the reason it cannot be used."""
    return read_both(*_paths(recipe, folder), recipe.fingerprint())

@accepts(recipe=_v.RecipeSpec(), folder=_v.Maybe(_v.Place()))
def load_trained(recipe: Recipe, folder: Path | None = None) -> tuple[keras.Model, dict[str, list[float]]] | None:
    """Reload a model saved by `save_trained` for this exact recipe, or None (chapter 5).

    A model saved for another recipe, damaged, or without its history counts as none, and why is printed.
    """
    saved, why = _load_saved(recipe, folder)
    if saved is None and any(path.exists() for path in _paths(recipe, folder)):
        print(f"Not loading the saved '{recipe.name}': {why}.")
    return saved


@accepts(recipe=_v.RecipeSpec(), data=_v.Maybe(_v.Prepared()), folder=_v.Maybe(_v.Place()))
def train_or_load(
    recipe: Recipe = SEED_RECIPE,
    data: dict[str, np.ndarray] | None = None,
    folder: Path | None = None,
    verbose: int | str = "auto",
) -> tuple[keras.Model, dict[str, list[float]]]:
    """The trained model of `recipe` and its history: reloaded if saved and valid, else trained
    on `data` (`load_prepared()` when None) and saved. Introduced in chapter 6."""
    saved, why = _load_saved(recipe, folder)
    if saved is not None:
        print(f"Loaded the trained model '{recipe.name}' from {_paths(recipe, folder)[0]}.")
        return saved
    print(f"Training '{recipe.name}' now ({recipe.epochs} epochs): {why}.")
    if data is None:
        data = load_prepared()
    model, history = fit_recipe(recipe, data, verbose=verbose)
    save_trained(model, history, recipe, folder)
    return model, history
