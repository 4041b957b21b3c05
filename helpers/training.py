"""One definition of each training recipe, and the helper that trains or reloads a model.

Chapter 5 trains the article's network step by step and saves it; chapters 6 to 9 call
`train_or_load`, which reloads that saved model when it is present and valid, and trains it
with the very same recipe otherwise (so each chapter also runs alone, e.g. in Colab).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from helpers import models as _models

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
    schedule: str = "constant"  # "constant" or "cosine"
    early_stopping_patience: int | None = None
    seed: int = 0

    def fingerprint(self) -> str:
        """A short hash of the recipe: a saved model is reused only if this matches."""
        text = json.dumps(dataclasses.asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def build(self) -> keras.Model:
        """Build the recipe's (uncompiled) model, seeded for reproducibility."""
        set_seed(self.seed)
        builder: Callable[..., keras.Model] = getattr(_models, self.builder)
        return builder(**self.builder_kwargs)


#: The article's network trained the book's way (chapter 5): float32 input in a cached,
#: prefetched tf.data pipeline, batches of 128, Adam, 10 epochs.
SEED_RECIPE = Recipe(name="seed_cnn", builder="build_seed_cnn", epochs=10, batch_size=128)


def set_seed(seed: int = 0) -> None:
    """Seed Python, NumPy and TensorFlow at once (chapter 5)."""
    import keras

    keras.utils.set_random_seed(seed)


def models_dir() -> Path:
    """The folder where trained models are saved: $CNN_BOOK_MODELS, else ./models."""
    return Path(os.environ.get(MODELS_ENV_VAR, "models")).expanduser()


def make_dataset(
    x: np.ndarray, y: np.ndarray, batch_size: int, *, shuffle: bool = False, seed: int = 0
) -> tf.data.Dataset:
    """A tf.data pipeline over in-memory arrays: cache, optional shuffle, batch, prefetch.

    `x` must be float32 (n, 28, 28, 1) in [0, 1] and `y` int labels 0-9 (chapter 5).
    """
    import tensorflow as tf

    from helpers.data import check_images, check_labels

    check_images(x, scaled=True, name="x")
    y = check_labels(y, name="y")
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length; got {len(x)} and {len(y)}.")
    if x.dtype != np.float32:
        raise ValueError(f"x should be float32 (see chapter 3); got {x.dtype}.")
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).cache()
    if shuffle:
        dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def compile_model(model: keras.Model, recipe: Recipe, steps_per_epoch: int) -> keras.Model:
    """Compile with Adam, sparse categorical cross-entropy and accuracy (chapter 5)."""
    import keras

    learning_rate: Any = recipe.learning_rate
    if recipe.schedule == "cosine":
        learning_rate = keras.optimizers.schedules.CosineDecay(
            recipe.learning_rate, decay_steps=recipe.epochs * steps_per_epoch
        )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def fit_recipe(
    recipe: Recipe, data: dict[str, np.ndarray], verbose: int | str = "auto"
) -> tuple[keras.Model, dict[str, list[float]]]:
    """Build, compile and fit `recipe` on ``data['x_fit'], data['y_fit']``, validating on
    ``x_val, y_val``. Returns the model and its history (one list per metric) plus the
    training time in seconds under the key ``"seconds"``."""
    import keras

    model = recipe.build()
    train = make_dataset(data["x_fit"], data["y_fit"], recipe.batch_size, shuffle=True, seed=recipe.seed)
    val = make_dataset(data["x_val"], data["y_val"], 1024)
    compile_model(model, recipe, steps_per_epoch=int(train.cardinality()))
    callbacks = []
    if recipe.early_stopping_patience is not None:
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor="val_accuracy", patience=recipe.early_stopping_patience,
                restore_best_weights=True,
            )
        )
    start = time.perf_counter()
    # shuffle=False: the dataset already reshuffles itself every epoch (make_dataset); Keras
    # would otherwise warn that it cannot shuffle a tf.data pipeline.
    history = model.fit(
        train, validation_data=val, epochs=recipe.epochs, callbacks=callbacks, verbose=verbose, shuffle=False
    )
    record = {key: [float(v) for v in values] for key, values in history.history.items()}
    record["seconds"] = [time.perf_counter() - start]
    return model, record


def _paths(recipe: Recipe, folder: Path | None) -> tuple[Path, Path]:
    folder = models_dir() if folder is None else Path(folder)
    return folder / f"{recipe.name}.keras", folder / f"{recipe.name}.json"


def save_trained(
    model: keras.Model, history: dict[str, list[float]], recipe: Recipe, folder: Path | None = None
) -> Path:
    """Save a trained model in Keras's native format, with its history and recipe beside it."""
    model_path, meta_path = _paths(recipe, folder)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    model.save(model_path)
    meta = {"recipe": dataclasses.asdict(recipe), "fingerprint": recipe.fingerprint(), "history": history}
    meta_path.write_text(json.dumps(meta, indent=1))
    return model_path


def load_trained(
    recipe: Recipe, folder: Path | None = None
) -> tuple[keras.Model, dict[str, list[float]]] | None:
    """Reload a model saved by `save_trained` for this exact recipe, or None if there is none.

    A file saved for another recipe, or one that does not load, counts as none.
    """
    import keras

    model_path, meta_path = _paths(recipe, folder)
    if not (model_path.is_file() and meta_path.is_file()):
        return None
    try:
        meta = json.loads(meta_path.read_text())
        if meta.get("fingerprint") != recipe.fingerprint():
            return None
        model = keras.models.load_model(model_path)
    except Exception:  # a truncated or foreign file: train afresh instead
        return None
    if model.input_shape != (None, 28, 28, 1) or model.output_shape != (None, 10):
        return None
    return model, meta["history"]


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
    saved = load_trained(recipe, folder)
    if saved is not None:
        print(f"Loaded the trained model '{recipe.name}' from {_paths(recipe, folder)[0]}.")
        return saved
    print(f"No saved model '{recipe.name}' found: training it now ({recipe.epochs} epochs).")
    if data is None:
        from helpers.data import load_prepared

        data = load_prepared()
    model, history = fit_recipe(recipe, data, verbose=verbose)
    save_trained(model, history, recipe, folder)
    return model, history
