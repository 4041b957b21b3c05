"""A trained model's two files, written whole and read back with the reason when they cannot
be used: the machinery behind `helpers.training.save_trained`, `load_trained` and
`train_or_load`, and the book's own loss, which a saved model needs to load."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from helpers import _validate as _v


def write_both(model: Any, text: str, model_path: Path, meta_path: Path) -> None:
    """Write the model and its record `text` under temporary names and rename them only when
    both are complete, so a failure (a full disk) leaves the previous record, or none."""
    model_path.parent.mkdir(parents=True, exist_ok=True)
    temp_model = model_path.with_name(f".{model_path.stem}.{os.getpid()}.tmp.keras")
    temp_meta = meta_path.with_name(f".{meta_path.stem}.{os.getpid()}.tmp.json")
    try:
        model.save(temp_model)
        temp_meta.write_text(text)
        meta_path.unlink(missing_ok=True)  # a model without its record is never reloaded
        os.replace(temp_model, model_path)
        os.replace(temp_meta, meta_path)
    finally:
        temp_model.unlink(missing_ok=True)
        temp_meta.unlink(missing_ok=True)


def read_both(model_path: Path, meta_path: Path, fingerprint: str) -> tuple[tuple[Any, dict] | None, str]:
    """The saved (model, history), or None and the reason it cannot be used."""
    import keras

    if not (model_path.is_file() and meta_path.is_file()):
        return None, f"no saved model '{model_path.stem}' in {model_path.parent}"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None, f"its record {meta_path.name} is not readable JSON (damaged or not a record)"
    if not isinstance(meta, dict) or meta.get("fingerprint") != fingerprint:
        return None, "it was saved for another version of the recipe or of its builder"
    try:
        history = _v.history(meta.get("history"))
    except (TypeError, ValueError):
        return None, f"its record {meta_path.name} has no training history"
    loss_classes()  # a model trained with label smoothing needs the book's loss to load
    try:
        model = keras.models.load_model(model_path)
    except Exception as error:  # a truncated file, or one written by a newer Keras
        first = str(error).strip().splitlines()[0][:160] if str(error).strip() else type(error).__name__
        return None, (f"Keras {keras.__version__} cannot load {model_path.name} (a damaged file, or one "
                      f"saved by a newer Keras): {first}")
    if model.input_shape != (None, 28, 28, 1) or model.output_shape != (None, 10):
        return None, f"the saved model maps {model.input_shape} to {model.output_shape}, not digits to 10 scores"
    return (model, history), ""


_LOSSES: dict[str, type] | None = None


def loss_classes() -> dict[str, type]:
    """The book's own loss, defined (and registered for loading saved models) on first use.

    Cross-entropy against smoothed targets for integer labels: Keras's sparse cross-entropy
    has no label smoothing, so the labels are one-hot encoded first."""
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
