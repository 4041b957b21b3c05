"""A trained network as plain numbers, for the draw-a-digit page (after chapter 9).

Build machinery, run by the book build (`_ext/digit_widget.py`) as
``python -m helpers._machinery.export MODELS_DIR OUT_DIR [SAMPLES_DIR]``; not part of a chapter.

The page runs the network in the reader's browser with a few dozen lines of JavaScript
(`_static/digit-widget.js`), so it needs the weights in a form any program can read, not
Keras's own file format. `export_model` writes two files per network:

- ``<name>.json``, a header: the layers in order, each with its type, settings and where its
  weights lie in the binary file (byte offset and shape);
- ``<name>.bin``, every weight as little-endian float32, one array after another, each in
  Keras's own axis order (a Conv2D kernel is (rows, cols, in channels, filters), a Dense
  kernel is (inputs, units)).

Layers exported: Conv2D (stride 1, 'valid' or 'same' padding), MaxPooling2D,
BatchNormalization, Activation/ReLU, Flatten, Dropout, Dense, GlobalAveragePooling2D, with
relu, softmax or linear activations. At inference batch normalisation is a per-channel
affine map, y = a * x + b with a = gamma / sqrt(var + eps) and b = beta - a * mean. It is
folded into the convolution before it (kernel times a, bias times a plus b) when nothing
lies between them, or only max pooling with every a > 0 (then max(a x + b) = a max(x) + b).
Otherwise it stays at its own place as an ``affine`` layer: folding it across a pooling
with a negative a would be wrong, because max pooling of -x picks the smallest value.
Dropout is exported as the identity it is at inference. Folding is optional (``fold``): the
book's page exports its networks unfolded, so that every layer's output on the page is the
output of the Keras layer of the same name (the page draws each convolution's and each
pooling's maps) and every 3 x 3 filter it shows is the trained one.

`forward` runs an exported network with NumPy, the same arithmetic as the page's JavaScript;
the tests compare both with Keras. `export_trained` exports the book's trained models (the
ones `helpers.training.train_or_load` finds) and lists them, with the shipped sample
digits, in a manifest the page reads first. With MNIST at hand it also writes, for each
network, the input pixels it can see: chapter 8's `helpers.inspection.gradient_mask` over
the first 1,024 test digits (the page draws the others as the blind band).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from helpers import _validate as _v
from helpers.data import load_mnist, prepare_images
from helpers.digits import IMAGE_SUFFIXES, label_from_name
from helpers.inspection import gradient_mask
from helpers.training import IMPROVED_RECIPE, SEED_RECIPE, load_trained

if TYPE_CHECKING:
    import keras

#: Version of the header layout; the page refuses a header with another one.
FORMAT = "cnn-book-digit-widget"
FORMAT_VERSION = 1
#: What the page reads first: the exported networks and the sample digits.
MANIFEST = "digit-widget-manifest.json"
#: Activations the page knows (chapter 1 computes ReLU and softmax by hand).
ACTIVATIONS = ("relu", "softmax", "linear")
#: How the page names each network, by recipe name (chapters 5 and 7).
NETWORK_LABELS = {
    "seed_cnn": "The article's network (chapters 4-5)",
    "improved_cnn": "The improved network (chapter 7)",
}


def _activation_name(layer: Any) -> str:
    activation = getattr(layer, "activation", None)
    name = getattr(activation, "__name__", str(activation))
    if name not in ACTIVATIONS:
        raise ValueError(
            f"layer {layer.name!r} uses the activation {name!r}; the page computes only "
            f"{', '.join(ACTIVATIONS)}."
        )
    return name


def _pair(value: Any) -> list[int]:
    return [int(v) for v in (value if isinstance(value, (tuple, list)) else (value, value))]


def _check_model(model: Any) -> None:
    import keras

    model = _v.model(model)
    if not isinstance(model, keras.Sequential):
        raise TypeError(
            f"expected a keras.Sequential model like the book's networks; got {type(model).__name__}."
        )
    if tuple(model.input_shape[1:]) != (28, 28, 1):
        raise ValueError(f"expected a network for (28, 28, 1) images; got input shape {model.input_shape}.")


def _layer_spec(layer: Any) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """One Keras layer as (settings, arrays); raises ValueError for what the page cannot run."""
    from keras import layers

    kind = type(layer).__name__
    if isinstance(layer, layers.Conv2D) and kind == "Conv2D":
        if _pair(layer.strides) != [1, 1] or _pair(layer.dilation_rate) != [1, 1] or layer.groups != 1:
            raise ValueError(f"Conv2D {layer.name!r}: the page runs only stride 1, no dilation, no groups.")
        if layer.padding not in ("valid", "same") or layer.data_format != "channels_last":
            raise ValueError(f"Conv2D {layer.name!r}: expected channels-last 'valid' or 'same' padding.")
        kernel = np.asarray(layer.kernel.numpy(), dtype=np.float64)
        bias = np.asarray(layer.bias.numpy(), dtype=np.float64) if layer.use_bias else np.zeros(kernel.shape[-1])
        return ({"type": "conv2d", "padding": layer.padding, "activation": _activation_name(layer)},
                {"kernel": kernel, "bias": bias})
    if kind == "MaxPooling2D":
        if layer.data_format != "channels_last":
            raise ValueError(f"MaxPooling2D {layer.name!r}: expected channels-last data.")
        return ({"type": "max_pool2d", "pool_size": _pair(layer.pool_size), "strides": _pair(layer.strides),
                 "padding": layer.padding}, {})
    if kind == "BatchNormalization":
        if layer.axis not in (-1, 3, [-1], [3]):
            raise ValueError(f"BatchNormalization {layer.name!r}: expected it over the channel axis (-1).")
        mean = np.asarray(layer.moving_mean.numpy(), dtype=np.float64)
        gamma = np.asarray(layer.gamma.numpy(), dtype=np.float64) if layer.scale else np.ones_like(mean)
        beta = np.asarray(layer.beta.numpy(), dtype=np.float64) if layer.center else np.zeros_like(mean)
        scale = gamma / np.sqrt(np.asarray(layer.moving_variance.numpy(), dtype=np.float64) + layer.epsilon)
        return {"type": "affine"}, {"scale": scale, "shift": beta - scale * mean}
    if kind in ("Activation", "ReLU"):
        if kind == "ReLU" and (layer.max_value is not None or float(layer.negative_slope) != 0.0
                               or float(layer.threshold) != 0.0):
            raise ValueError(f"ReLU {layer.name!r}: the page runs only the plain max(0, x).")
        return {"type": "activation", "activation": "relu" if kind == "ReLU" else _activation_name(layer)}, {}
    if kind == "Flatten":
        return {"type": "flatten"}, {}
    if kind == "Dropout":
        return {"type": "dropout", "rate": float(layer.rate)}, {}
    if kind == "GlobalAveragePooling2D":
        if layer.keepdims or layer.data_format != "channels_last":
            raise ValueError(f"GlobalAveragePooling2D {layer.name!r}: expected channels-last, keepdims=False.")
        return {"type": "global_avg_pool2d"}, {}
    if kind == "Dense":
        return ({"type": "dense", "activation": _activation_name(layer)},
                {"kernel": np.asarray(layer.kernel.numpy(), dtype=np.float64),
                 "bias": np.asarray(layer.bias.numpy(), dtype=np.float64) if layer.use_bias
                 else np.zeros(layer.units)})
    raise ValueError(
        f"layer {layer.name!r} is a {kind}, which the page cannot run; it runs Conv2D, MaxPooling2D, "
        "BatchNormalization, Activation/ReLU, Flatten, Dropout, Dense and GlobalAveragePooling2D."
    )


def _fold_batch_norm(specs: list[tuple[dict, dict]]) -> list[tuple[dict, dict]]:
    """Fold each affine (batch norm) layer into the convolution before it where that is exact."""
    out: list[tuple[dict, dict]] = []
    for spec, arrays in specs:
        if spec["type"] == "affine":
            back = len(out) - 1
            while back >= 0 and out[back][0]["type"] == "max_pool2d":
                back -= 1
            target = out[back] if back >= 0 else None
            passes_pool = back < len(out) - 1
            if (target is not None and target[0]["type"] == "conv2d" and target[0]["activation"] == "linear"
                    and (not passes_pool or bool(np.all(arrays["scale"] > 0)))):
                target[1]["kernel"] = target[1]["kernel"] * arrays["scale"]
                target[1]["bias"] = target[1]["bias"] * arrays["scale"] + arrays["shift"]
                target[0].setdefault("folded", []).append(spec["name"])
                continue
        out.append((spec, arrays))
    return out


def model_spec(model: keras.Model, fold: bool = True) -> tuple[list[dict[str, Any]], dict[str, np.ndarray]]:
    """The model's layers as header entries plus the weight arrays they refer to.

    Returns (layers, arrays): `layers` lists dicts with ``type``, ``name``, ``output_shape``
    (without the batch axis) and, for layers with weights, ``weights`` {role: array key};
    `arrays` maps those keys to float32 arrays in Keras's axis order. Batch norm is folded as
    the module docstring says when `fold` is true; with ``fold=False`` every Keras layer keeps
    its own entry, weights and output. Raises TypeError for anything but a keras.Sequential (a
    (model, history) tuple included) and ValueError for a layer the page cannot run.
    """
    _check_model(model)
    specs = []
    for layer in model.layers:
        spec, arrays = _layer_spec(layer)
        spec["name"] = layer.name
        spec["output_shape"] = [int(d) for d in layer.output.shape[1:]]
        specs.append((spec, arrays))
    layers_out, arrays_out = [], {}
    if not isinstance(fold, bool):
        raise TypeError(f"fold should be True or False; got {_v.describe(fold)}.")
    for spec, arrays in (_fold_batch_norm(specs) if fold else specs):
        if arrays:
            spec["weights"] = {}
            for role, array in arrays.items():
                key = f"{spec['name']}/{role}"
                _v.finite(array, f"the weights {key}")
                arrays_out[key] = np.asarray(array, dtype=np.float32)
                spec["weights"][role] = key
        layers_out.append(spec)
    return layers_out, arrays_out


def _write_atomically(path: Path, data: bytes) -> None:
    """Write `path` through a temporary file in the same folder, so no half-written file is left."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temp, 0o644)  # mkstemp makes it private; a web server must be able to read it
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def export_model(model: keras.Model, folder: str | os.PathLike, name: str, label: str = "",
                 fold: bool = True, extra: dict[str, Any] | None = None) -> Path:
    """Write ``folder/name.json`` (the header) and ``folder/name.bin`` (float32 weights).

    Returns the header's path. The header holds ``format``, ``version``, ``name``, ``label``,
    ``input_shape`` [28, 28, 1], ``binary`` (the .bin file's name), ``bytes`` and ``layers``
    (see `model_spec`; each weight is {"offset": bytes, "shape": [...]}), plus the JSON-ready
    entries of `extra` (export_trained adds ``input_seen``). `fold`: see `model_spec`.
    """
    name, label = _v.text(name, "name"), _v.text(label, "label")
    _check_path(folder, "folder")
    if not name or not all(ch.isalnum() or ch in "_-" for ch in name):
        raise ValueError(f"name should be letters, digits, '_' or '-' (it names files); got {name!r}.")
    if extra is not None and not isinstance(extra, dict):
        raise TypeError(f"extra should be a dict of header entries or None; got {_v.describe(extra)}.")
    layers_out, arrays = model_spec(model, fold)
    blob, offset = bytearray(), 0
    for spec in layers_out:
        for role, key in spec.get("weights", {}).items():
            data = arrays[key].astype("<f4").tobytes()
            spec["weights"][role] = {"offset": offset, "shape": list(arrays[key].shape)}
            blob += data
            offset += len(data)
    header = {"format": FORMAT, "version": FORMAT_VERSION, "name": name, "label": label or name,
              "input_shape": [28, 28, 1], "dtype": "float32", "byte_order": "little",
              "binary": f"{name}.bin", "bytes": offset, "layers": layers_out, **(extra or {})}
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomically(folder / f"{name}.bin", bytes(blob))
    _write_atomically(folder / f"{name}.json", json.dumps(header, indent=1).encode())
    return folder / f"{name}.json"


def load_export(header_path: str | os.PathLike) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read back what `export_model` wrote: (header, {"layer/role": float32 array}).

    Raises ValueError for a missing, foreign or truncated export.
    """
    header_path = Path(_check_path(header_path, "header_path"))
    try:
        header = json.loads(header_path.read_text(encoding="utf-8"))
        if not isinstance(header, dict):
            raise ValueError(f"it holds a JSON {type(header).__name__}, not an object")
        blob = (header_path.parent / str(header["binary"])).read_bytes()
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{header_path} is not a readable network export ({error}); expected the .json header "
                         "export_model writes, next to its .bin file.") from None
    if header.get("format") != FORMAT or header.get("version") != FORMAT_VERSION:
        raise ValueError(f"{header_path} is not a {FORMAT} v{FORMAT_VERSION} header.")
    if not isinstance(header.get("layers"), list) or not isinstance(header.get("bytes"), int):
        raise ValueError(f"{header_path} is not a readable network export: it lacks its 'layers' list or 'bytes' count.")
    if len(blob) != header["bytes"]:
        raise ValueError(f"{header['binary']} holds {len(blob)} bytes; its header says {header['bytes']}.")
    arrays = {}
    for spec in header["layers"]:
        for role, where in spec.get("weights", {}).items():
            count = int(np.prod(where["shape"]))
            arrays[f"{spec['name']}/{role}"] = np.frombuffer(
                blob, dtype="<f4", count=count, offset=where["offset"]).reshape(where["shape"])
    return header, arrays


def _pad(x: np.ndarray, window: list[int], padding: str, strides: list[int], value: float) -> np.ndarray:
    """Pad a (H, W, C) map the way Keras's 'same' does (extra row/column at the bottom/right)."""
    if padding == "valid":
        return x
    pads = []
    for size, k, s in zip(x.shape[:2], window, strides, strict=True):
        total = max((-(-size // s) - 1) * s + k - size, 0)
        pads.append((total // 2, total - total // 2))
    return np.pad(x, [*pads, (0, 0)], constant_values=value)


def _apply(spec: dict[str, Any], w: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    kind = spec["type"]
    if kind == "conv2d":  # chapter 1: a 3x3 window slides over the map, multiply and add
        kernel = w["kernel"].astype(np.float64)
        kh, kw = kernel.shape[:2]
        x = _pad(x, [kh, kw], spec["padding"], [1, 1], 0.0)
        rows, cols = x.shape[0] - kh + 1, x.shape[1] - kw + 1
        out = np.zeros((rows, cols, kernel.shape[3])) + w["bias"]
        for i in range(kh):
            for j in range(kw):
                out += x[i:i + rows, j:j + cols, :] @ kernel[i, j]
        return _activate(out, spec["activation"])
    if kind == "max_pool2d":  # chapter 1: the largest value of each window
        (ph, pw), (sh, sw) = spec["pool_size"], spec["strides"]
        x = _pad(x, [ph, pw], spec["padding"], [sh, sw], -np.inf)
        rows, cols = (x.shape[0] - ph) // sh + 1, (x.shape[1] - pw) // sw + 1
        windows = [x[i:i + sh * rows:sh, j:j + sw * cols:sw, :][:rows, :cols] for i in range(ph) for j in range(pw)]
        return np.max(windows, axis=0)
    if kind == "affine":
        return x * w["scale"] + w["shift"]
    if kind == "activation":
        return _activate(x, spec["activation"])
    if kind == "flatten":  # chapter 4: channels-last order, as Keras flattens
        return x.reshape(-1)
    if kind == "dropout":  # the identity at inference (chapter 7)
        return x
    if kind == "global_avg_pool2d":
        return x.mean(axis=(0, 1))
    if kind == "dense":
        return _activate(x @ w["kernel"].astype(np.float64) + w["bias"], spec["activation"])
    raise ValueError(f"unknown layer type {kind!r} in the header.")


def _activate(x: np.ndarray, name: str) -> np.ndarray:
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "softmax":
        e = np.exp(x - x.max())
        return e / e.sum()
    return x


def forward(header: dict[str, Any], arrays: dict[str, np.ndarray], image: np.ndarray) -> np.ndarray:
    """Run an exported network on one image with NumPy (float64): its 10 probabilities.

    `image` is float (28, 28) or (28, 28, 1) in [0, 1], as chapter 3 prepares it. This is the
    same arithmetic, layer by layer, as `_static/digit-widget.js`.
    """
    if not isinstance(header, dict) or not isinstance(header.get("layers"), list):
        raise TypeError(f"header should be the dict load_export returns first; got {_v.describe(header)}.")
    if not isinstance(arrays, dict):
        raise TypeError(f"arrays should be the dict load_export returns second; got {_v.describe(arrays)}.")
    image = _v.as_array(image, "image")
    if image.shape not in ((28, 28), (28, 28, 1)):
        raise ValueError(f"expected one image of shape (28, 28) or (28, 28, 1); got {image.shape}.")
    _v.in_range(image, "image", 0.0, 1.0, "Scale uint8 pixels by 1/255 first (chapter 3).")
    x = image.astype(np.float64).reshape(28, 28, 1)
    for spec in header["layers"]:
        weights = {role: arrays[f"{spec['name']}/{role}"] for role in spec.get("weights", {})}
        x = _apply(spec, weights, x)
    return x


def sample_entries(samples_dir: str | os.PathLike, out_dir: str | os.PathLike) -> list[dict[str, Any]]:
    """Copy the shipped sample digits (``N_style.ext``) to `out_dir`; list {file, label}."""
    entries = []
    _check_path(samples_dir, "samples_dir")
    out_dir = Path(_check_path(out_dir, "out_dir"))
    for path in sorted(Path(samples_dir).glob("[0-9]_*")):
        if path.suffix.lower() in IMAGE_SUFFIXES:
            out_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, out_dir / path.name)
            entries.append({"file": f"samples/{path.name}", "label": label_from_name(path)})
    return entries


def export_trained(
    models_folder: str | os.PathLike, out_dir: str | os.PathLike, samples_dir: str | os.PathLike | None = None
) -> dict[str, Any]:
    """Export the book's trained networks found in `models_folder` and write the manifest.

    For each recipe (chapter 5's `SEED_RECIPE`, chapter 7's `IMPROVED_RECIPE`) whose trained
    model `helpers.training.load_trained` finds, writes its header and weights to `out_dir`,
    unfolded (every layer's output is the Keras layer's), with ``input_seen`` (see
    `input_seen`) when MNIST can be loaded, else None.
    Writes `out_dir/digit-widget-manifest.json` = {"networks": [{"name", "label", "header"}],
    "samples": [{"file", "label"}], "missing": [recipe names not found]} and returns it.
    With no trained model the manifest lists no network, and the page says so.
    """
    _check_path(models_folder, "models_folder")
    out_dir = Path(_check_path(out_dir, "out_dir"))
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"networks": [], "samples": [], "missing": []}
    images = None
    for recipe in (SEED_RECIPE, IMPROVED_RECIPE):
        found = load_trained(recipe, Path(models_folder))
        if found is None:
            manifest["missing"].append(recipe.name)
            continue
        label = NETWORK_LABELS.get(recipe.name, recipe.name)
        if images is None:
            images = _mask_images()
        seen = input_seen(found[0], images) if len(images) else None
        header = export_model(found[0], out_dir, recipe.name, label, fold=False, extra={"input_seen": seen})
        manifest["networks"].append({"name": recipe.name, "label": label, "header": header.name})
    if samples_dir is not None:
        manifest["samples"] = sample_entries(samples_dir, out_dir / "samples")
    _write_atomically(out_dir / MANIFEST, json.dumps(manifest, indent=1).encode())
    return manifest


#: How many MNIST test digits the blind-band mask is measured on (chapter 8 uses the same).
MASK_IMAGES = 1024


def _mask_images() -> np.ndarray:
    """The first MASK_IMAGES test digits scaled to [0, 1], or an empty array without MNIST."""
    try:
        (_, _), (x_test, _) = load_mnist()
    except Exception:  # noqa: BLE001 - no MNIST here: the page goes without the band
        return np.zeros((0, 28, 28, 1), dtype=np.float32)
    return prepare_images(x_test[:MASK_IMAGES])


def input_seen(model: keras.Model, images: np.ndarray) -> dict[str, Any]:
    """Which input pixels `model` can see, for the page: chapter 8's gradient mask.

    Returns {"rows": 28 strings of 28 "1" (seen) or "0" (never read), "images": how many
    digits, "method": a sentence}, from `helpers.inspection.gradient_mask(model, images)`:
    a pixel is seen when the gradient of the class scores with respect to it is not zero for
    at least one of `images` (float32 (n, 28, 28, 1) in [0, 1]).
    """
    mask = gradient_mask(model, images)
    return {"rows": ["".join("1" if v else "0" for v in row) for row in mask], "images": int(len(images)),
            "method": "helpers.inspection.gradient_mask over the first MNIST test digits (chapter 8)"}


def _check_path(value: Any, name: str) -> Any:
    """`value` if it is a str or a path; anything else is a TypeError."""
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} should be a folder or file name (a str or Path); got {_v.describe(value)}.")
    return value


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers._machinery.export MODELS_DIR OUT_DIR [SAMPLES_DIR]``: what the book build runs."""
    import argparse

    parser = argparse.ArgumentParser(description="Export the trained networks for the draw-a-digit page.")
    parser.add_argument("models", help="folder of trained models (the build's _build/models)")
    parser.add_argument("out", help="folder to write the headers, weights and manifest to")
    parser.add_argument("samples", nargs="?", help="folder of sample digits (chapters/own_digits)")
    args = parser.parse_args(argv)
    manifest = export_trained(args.models, args.out, args.samples)
    print(json.dumps({"networks": [n["name"] for n in manifest["networks"]], "missing": manifest["missing"],
                      "samples": len(manifest["samples"])}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
