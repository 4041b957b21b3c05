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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from helpers import _validate as _v
from helpers import models as _models
from helpers._validate import accepts
from helpers.data import load_prepared

if TYPE_CHECKING:
    import keras
    import tensorflow as tf

#: Environment variable naming the folder where trained models are kept (default: ./models).
MODELS_ENV_VAR = "CNN_BOOK_MODELS"


@dataclass(frozen=True)
class Recipe:
    """Everything that decides how a model is trained: architecture, data pipeline, schedule.

    `builder` names a function in `helpers.models` that returns an uncompiled model.
    """

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
        builder: Callable[..., keras.Model] = getattr(_models, self.builder)
        return builder(**self.builder_kwargs)


#: "cosine" falls from `learning_rate` to 0 over the whole run; "warmup-cosine" first rises
#: linearly from a tenth of it over the first epoch, then falls along the same cosine.
SCHEDULES = ("constant", "cosine", "warmup-cosine")


def _builder(value: Any, name: str) -> str:
    """The name of a function in `helpers.models` that builds a network."""
    if not isinstance(value, str) or not callable(getattr(_models, value, None)):
        raise ValueError(f"{name} should name a function in helpers.models, e.g. 'build_seed_cnn'; got {value!r}.")
    return value


def _keywords(value: Any, name: str) -> dict[str, Any]:
    """A dict of keyword arguments for the builder."""
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise TypeError(f"{name} should be a dict of keyword arguments; got {_v.describe(value)}.")
    return value


#: What each field of a `Recipe` may hold.
RECIPE_FIELDS = {
    "name": _v.Name(), "builder": _builder, "epochs": _v.Whole(), "batch_size": _v.Whole(),
    "learning_rate": _v.Number(positive=True), "builder_kwargs": _keywords, "augment": _v.Flag(),
    "schedule": _v.OneOf(*SCHEDULES), "seed": _v.Whole(minimum=0),
    "early_stopping_patience": _v.Maybe(_v.Whole()), "train_subset": _v.Maybe(_v.Whole()),
    "label_smoothing": _v.Maybe(_v.Fraction()), "ema_momentum": _v.Maybe(_v.Fraction()),
}


#: The article's network trained the book's way (chapter 5): float32 input in a cached,
#: prefetched tf.data pipeline, batches of 128, Adam whose learning rate falls from 0.001 to
#: 0 along a cosine over the 10 epochs. The schedule was chosen on validation evidence only:
#: benchmarks/bench_schedule.py compares it with a constant rate, and chapter 5's notes page
#: shows its record (helpers/results/seed_schedule.json).
SEED_RECIPE = Recipe(name="seed_cnn", builder="build_seed_cnn", epochs=10, batch_size=128, schedule="cosine")


#: The chapter 7 model, as its two-stage study chose it (helpers.ablation, recorded in
#: helpers/results/ablation.json): a change of architecture or training was kept only if it
#: lowered the mean validation loss by more than the spread between seeds. Chapter 7 shows
#: which changes were kept and asserts that this is the study's recipe. Trained on all fitting
#: images for 15 epochs with early stopping on the validation loss (patience 3).
IMPROVED_RECIPE = Recipe(
    name="improved_cnn", builder="build_improved_cnn", epochs=15, batch_size=128, learning_rate=2e-3,
    builder_kwargs={"widths": (32, 64, 128), "batch_norm": True, "dropout": 0.0, "last_pool": False,
                    "dense_units": 64, "first_padding": "same"},
    augment=True, schedule="cosine", early_stopping_patience=3,
)


@accepts(seed=_v.Whole(minimum=0))
def set_seed(seed: int = 0) -> None:
    """Seed Python, NumPy and TensorFlow at once (chapter 5); safe on a CPU and on a GPU alike.

    It only seeds (`keras.utils.set_random_seed`) and deliberately does not call
    `tf.config.experimental.enable_op_determinism()`: under op determinism, TensorFlow raises
    `UnimplementedError` on a GPU for ops that have no deterministic GPU kernel, and runs some
    others (the scatter ops) on the CPU, much slower. Seeding gives the same starting weights
    and data order everywhere; on a GPU the last digits of a run may still vary.
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


@accepts(x=_v.Images(scaled=True, nonempty=True), y=_v.Labels(nonempty=True), batch_size=_v.Whole(),
         shuffle=_v.Flag(), seed=_v.Whole(minimum=0), augment=_v.Flag())
def make_dataset(
    x: np.ndarray, y: np.ndarray, batch_size: int, *, shuffle: bool = False, seed: int = 0,
    augment: bool = False,
) -> tf.data.Dataset:
    """A tf.data pipeline over in-memory arrays: cache, optional shuffle, batch, prefetch two.

    `x` must be float32 (n, 28, 28, 1) in [0, 1] and `y` int labels 0-9 (chapter 5).
    With `augment`, each batch is randomly shifted, rotated and zoomed (chapter 7).
    """
    import tensorflow as tf

    _v.equal_length(x, y, "x and y")
    if x.dtype != np.float32:
        raise ValueError(f"x should be float32 (see chapter 3); got {x.dtype}.")
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
    the true digit gets ``1 - s + s/10`` and every other digit ``s/10``. Keras's sparse
    cross-entropy has no such option, so the labels are one-hot encoded first."""
    return _loss_classes()["SmoothedCrossentropy"](label_smoothing=label_smoothing)


def _loss_classes() -> dict[str, type]:
    """The book's own loss, defined (and registered for loading saved models) on first use."""
    global _LOSSES
    if _LOSSES is None:
        import keras

        @keras.saving.register_keras_serializable(package="cnn_book")
        class SmoothedCrossentropy(keras.losses.Loss):
            def __init__(self, label_smoothing: float = 0.1, name: str = "smoothed_crossentropy", **kwargs: Any):
                super().__init__(name=name, **kwargs)
                self.label_smoothing = float(label_smoothing)

            def call(self, y_true: Any, y_pred: Any) -> Any:
                labels = keras.ops.cast(keras.ops.reshape(y_true, (-1,)), "int32")
                targets = keras.ops.one_hot(labels, keras.ops.shape(y_pred)[-1])
                return keras.losses.categorical_crossentropy(targets, y_pred, label_smoothing=self.label_smoothing)

            def get_config(self) -> dict[str, Any]:
                return {**super().get_config(), "label_smoothing": self.label_smoothing}

        _LOSSES = {"SmoothedCrossentropy": SmoothedCrossentropy}
    return _LOSSES


_LOSSES: dict[str, type] | None = None


@accepts(recipe=_v.RecipeSpec(), data=_v.Prepared())
def fit_recipe(
    recipe: Recipe, data: dict[str, np.ndarray], verbose: int | str = "auto"
) -> tuple[keras.Model, dict[str, list[float]]]:
    """Build, compile and fit `recipe` on ``data['x_fit'], data['y_fit']``, validating on
    ``x_val, y_val`` (chapters 5 and 6). Returns the model and its history (one list per metric) plus the
    training time in seconds under the keys ``"seconds"`` (the whole fit, one entry) and
    ``"epoch_seconds"`` (one per epoch); see `history_record`."""
    import keras

    model = recipe.build()
    x_fit, y_fit = data["x_fit"][: recipe.train_subset], data["y_fit"][: recipe.train_subset]
    train = make_dataset(x_fit, y_fit, recipe.batch_size, shuffle=True, seed=recipe.seed,
                         augment=recipe.augment)
    val = make_dataset(data["x_val"], data["y_val"], 1024)
    compile_model(model, recipe, steps_per_epoch=int(train.cardinality()))
    callbacks = []
    if recipe.early_stopping_patience is not None:
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=recipe.early_stopping_patience,
                restore_best_weights=True,
            )
        )
    if recipe.ema_momentum is not None:
        # Validate (and stop early) on the averaged weights, which are the ones kept at the end.
        callbacks.insert(0, keras.callbacks.SwapEMAWeights(swap_on_epoch=True))
    timer = epoch_timer()
    callbacks.append(timer)
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
    """What `save_trained` stores about a training run: one list per metric (``loss``,
    ``accuracy``, ``val_loss``, ``val_accuracy``), ``"seconds"`` (a one-element list: the
    whole fit) and ``"epoch_seconds"`` (one entry per epoch). Chapter 5 and `fit_recipe` both
    make their record with it."""
    epochs = {len(values) for values in history.values()}
    if len(epochs) > 1:
        counts = ", ".join(f"{key} {len(values)}" for key, values in history.items())
        raise ValueError(f"every metric of history should have one value per epoch; got {counts}.")
    if epochs != {len(epoch_seconds)}:
        raise ValueError(f"epoch_seconds should have one time per epoch, {epochs.pop()} like the metrics; "
                         f"got {len(epoch_seconds)}.")
    return {**history, "seconds": [seconds], "epoch_seconds": epoch_seconds}


def _paths(recipe: Recipe, folder: Path | None) -> tuple[Path, Path]:
    folder = models_dir() if folder is None else folder
    return folder / f"{recipe.name}.keras", folder / f"{recipe.name}.json"


@accepts(model=_v.Model(), history=_v.History(), recipe=_v.RecipeSpec(), folder=_v.Maybe(_v.Place()))
def save_trained(
    model: keras.Model, history: dict[str, list[float]], recipe: Recipe, folder: Path | None = None
) -> Path:
    """Save a trained model in Keras's native format, with its history and recipe beside it.

    Both files are written under temporary names and renamed only when both are complete,
    so a failure (a history that is not a dict of number lists, a full disk) leaves the
    previous record, or none, never half a record (chapter 5).
    """
    meta = {"recipe": dataclasses.asdict(recipe), "fingerprint": recipe.fingerprint(), "history": history}
    try:
        text = json.dumps(meta, indent=1, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"history should hold finite numbers, which JSON can store ({error}); "
                         "nothing was written.") from None
    model_path, meta_path = _paths(recipe, folder)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    temp_model = model_path.with_name(f".{recipe.name}.{os.getpid()}.tmp.keras")
    temp_meta = meta_path.with_name(f".{recipe.name}.{os.getpid()}.tmp.json")
    try:
        model.save(temp_model)
        temp_meta.write_text(text)
        meta_path.unlink(missing_ok=True)  # a model without its record is never reloaded
        os.replace(temp_model, model_path)
        os.replace(temp_meta, meta_path)
    finally:
        temp_model.unlink(missing_ok=True)
        temp_meta.unlink(missing_ok=True)
    return model_path


def _load_saved(recipe: Recipe, folder: Path | None) -> tuple[tuple[Any, dict] | None, str]:
    """The saved (model, history) of `recipe`, or None and the reason it cannot be used."""
    import keras

    model_path, meta_path = _paths(recipe, folder)
    if not (model_path.is_file() and meta_path.is_file()):
        return None, f"no saved model '{recipe.name}' in {model_path.parent}"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None, f"its record {meta_path.name} is not readable JSON (damaged or not a record)"
    if not isinstance(meta, dict) or meta.get("fingerprint") != recipe.fingerprint():
        return None, "it was saved for another version of the recipe or of its builder"
    try:
        history = _v.history(meta.get("history"))
    except (TypeError, ValueError):
        return None, f"its record {meta_path.name} has no training history"
    _loss_classes()  # a model trained with label smoothing needs the book's loss to load
    try:
        model = keras.models.load_model(model_path)
    except Exception as error:  # a truncated file, or one written by a newer Keras
        first = str(error).strip().splitlines()[0][:160] if str(error).strip() else type(error).__name__
        return None, (f"Keras {keras.__version__} cannot load {model_path.name} (a damaged file, or one "
                      f"saved by a newer Keras): {first}")
    if model.input_shape != (None, 28, 28, 1) or model.output_shape != (None, 10):
        return None, f"the saved model maps {model.input_shape} to {model.output_shape}, not digits to 10 scores"
    return (model, history), ""


@accepts(recipe=_v.RecipeSpec(), folder=_v.Maybe(_v.Place()))
def load_trained(recipe: Recipe, folder: Path | None = None) -> tuple[keras.Model, dict[str, list[float]]] | None:
    """Reload a model saved by `save_trained` for this exact recipe, or None if there is none (chapter 5).

    A file saved for another recipe, one that does not load (damaged, or written by a newer
    Keras), or a record without its history counts as none, and the reason is printed.
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
    """The trained model of `recipe`: reloaded if saved and valid, else trained and saved.

    `data` is what `helpers.data.load_prepared()` returns (loaded here when None).
    Returns the model and its training history. Introduced in chapter 6.
    """
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
