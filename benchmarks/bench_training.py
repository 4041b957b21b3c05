"""Training speed and accuracy: the article's code as written against the book's recipes.

Each recipe runs in its own subprocess (so its peak memory is its own) on the same data and
prints seconds per epoch, images per second, test accuracy and peak resident memory; then
the ratios against the article's code. Not run in CI. Example (the figures in the book):

    MNIST_NPZ=../shared/data/mnist.npz .venv/bin/python benchmarks/bench_training.py --epochs 10

`--only article,seed` picks recipes; `--repeats 3` runs them in turns three times, round r
with seed r (`--once article,seed` runs those in the first round only), and takes the times from each recipe's fastest run and the test accuracy as the
mean ± sd over the rounds; `--epochs` applies to the article and seed recipes (the final
recipe, `helpers.training.IMPROVED_RECIPE`, keeps its own schedule; `improved` is another
name for it); `fast` is the final recipe on a short budget (`fast_recipe`). `peer` is the keras-io example `mnist_convnet` as published (34,826 parameters,
batch 128, `--peer-epochs` 15, validation_split 0.1, its own Dropout(0.5)); the summary
prints each recipe's whole training time against the peer's (the issue's target B asks for
at most 0.4x the peer's time at 99.4 % or more). `--only profile` trains nothing and prints each network's
multiply-accumulates per layer. `ceiling` is not a recipe but a
bound: the seed network's bare training step (one fixed batch of 256, a compiled tf.function, no input
pipeline and no Keras loop) timed over one epoch's worth of images. No pipeline, batch size
or dtype choice can make the seed network train faster than that on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

RECIPES = ("article", "peer", "seed", "fast", "final", "improved", "ceiling")


def _peer(epochs: int, seed: int) -> dict:
    """keras-io's `mnist_convnet` recipe as published: two conv blocks, Dropout(0.5), batch 128,
    one-hot labels, Adam, validation_split 0.1 (it trains on 54,000 images)."""
    import keras
    import numpy as np
    from keras import layers

    from helpers.data import load_mnist

    (x_train, y_train), (x_test, y_test) = load_mnist()
    x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
    x_test = np.expand_dims(x_test.astype("float32") / 255, -1)
    y_train, y_test = keras.utils.to_categorical(y_train, 10), keras.utils.to_categorical(y_test, 10)
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, (3, 3), activation="relu"), layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"), layers.MaxPooling2D((2, 2)),
        layers.Flatten(), layers.Dropout(0.5), layers.Dense(10, activation="softmax"),
    ])
    assert model.count_params() == 34_826
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x_train, y_train, batch_size=128, epochs=epochs, validation_split=0.1, verbose=0)
    seconds = time.perf_counter() - start
    accuracy = model.evaluate(x_test, y_test, verbose=0)[1]
    return {"epochs": epochs, "seconds": seconds, "images": epochs * 54_000, "test_accuracy": accuracy}


def _article(epochs: int, seed: int = 0) -> dict:
    """The source article's code as written: float64 input from `/ 255`, batch 32, numpy fit."""
    import keras
    from keras import layers

    from helpers.data import load_mnist

    (x_train, y_train), (x_test, y_test) = load_mnist()
    x_train = (x_train / 255).reshape(-1, 28, 28, 1)  # float64, as in the article
    x_test = (x_test / 255).reshape(-1, 28, 28, 1)
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(25, (3, 3), activation="relu"), layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"), layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"), layers.MaxPooling2D((2, 2)),
        layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x_train, y_train, epochs=epochs, batch_size=32, verbose=0)
    seconds = time.perf_counter() - start
    accuracy = model.evaluate(x_test, y_test, verbose=0)[1]
    return {"epochs": epochs, "seconds": seconds, "images": epochs * len(x_train), "test_accuracy": accuracy}


def _book(name: str, epochs: int, seed: int = 0) -> dict:
    """A book recipe through the book's own training helper (helpers.training.fit_recipe)."""
    import dataclasses

    from helpers import training
    from helpers.data import load_prepared

    recipe = {"seed": training.SEED_RECIPE, "final": training.IMPROVED_RECIPE, "fast": fast_recipe()}[name]
    recipe = dataclasses.replace(recipe, seed=seed, **({"epochs": epochs} if name == "seed" else {}))
    data = load_prepared()
    model, history = training.fit_recipe(recipe, data, verbose=0)
    done = len(history["loss"])
    accuracy = model.evaluate(data["x_test"], data["y_test"], verbose=0)[1]
    return {"epochs": done, "seconds": history["seconds"][0], "images": done * len(data["x_fit"]),
            "test_accuracy": accuracy}


def fast_recipe(epochs: int = 4):
    """The book's final network and training on a short budget (target B): `epochs` epochs, the
    cosine stretched over them, no early stopping, and no augmentation (chapter 7's study
    kept it on the longer budget; on three epochs it did not earn its place)."""
    import dataclasses

    from helpers import training

    return dataclasses.replace(training.IMPROVED_RECIPE, name="fast_cnn", epochs=epochs, augment=False,
                               early_stopping_patience=None)


def _ceiling(batch_size: int = 256, images: int = 55_000) -> dict:
    """The seed network's compute alone: repeated training steps on one batch already in memory."""
    import keras
    import tensorflow as tf

    from helpers.models import build_seed_cnn

    keras.utils.set_random_seed(0)
    model = build_seed_cnn()
    optimizer = keras.optimizers.Adam()
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    x = tf.random.uniform((batch_size, 28, 28, 1))
    y = tf.random.uniform((batch_size,), 0, 10, dtype=tf.int32)

    @tf.function
    def step() -> tf.Tensor:
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss

    for _ in range(5):  # trace and warm up
        step()
    steps = images // batch_size
    start = time.perf_counter()
    for _ in range(steps):
        loss = step()
    float(loss)  # wait for the last step
    seconds = time.perf_counter() - start
    return {"epochs": 1, "seconds": seconds, "images": steps * batch_size, "test_accuracy": float("nan")}


def layer_macs(model) -> list[tuple[str, int]]:
    """Multiply-accumulates per image of each convolution and dense layer of `model` (the
    forward pass; a training step costs about three times as much: forward, and the gradients
    with respect to the inputs and to the weights)."""
    rows = []
    for layer in model.layers:
        weights = layer.get_weights()
        if not weights or weights[0].ndim not in (2, 4):
            continue
        kernel = weights[0]
        positions = int(np.prod(layer.output.shape[1:-1])) if kernel.ndim == 4 else 1
        rows.append((layer.name, positions * int(kernel.size)))
    return rows


def profile() -> None:
    """Print where the forward pass spends its multiply-accumulates, for the seed and final networks."""
    from helpers import training

    for name, recipe in (("seed", training.SEED_RECIPE), ("final", training.IMPROVED_RECIPE)):
        rows = layer_macs(recipe.build())
        total = sum(macs for _, macs in rows)
        print(f"PROFILE {name}: {total / 1e6:.2f} M multiply-accumulates per image (forward)")
        for layer, macs in rows:
            print(f"PROFILE   {layer:24s} {macs / 1e6:6.2f} M  {macs / total:6.1%}")


def run_one(name: str, epochs: int, seed: int = 0, peer_epochs: int = 15) -> dict:
    if name == "ceiling":
        result = _ceiling()
    elif name == "peer":
        result = _peer(peer_epochs, seed)
    else:
        result = _article(epochs, seed) if name == "article" else _book(name, epochs, seed)
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["seconds_per_epoch"] = result["seconds"] / result["epochs"]
    result["images_per_second"] = result["images"] / result["seconds"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--only", default="article,seed,improved,ceiling")
    parser.add_argument("--repeats", type=int, default=1,
                        help="rounds in which the recipes take turns; the ratios use each one's fastest run")
    parser.add_argument("--once", default="", help="recipes run in the first round only")
    parser.add_argument("--peer-epochs", type=int, default=15, help="epochs of the keras-io peer recipe")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = run_one(args.child, args.epochs, args.seed, args.peer_epochs)
        print("RESULT " + json.dumps(result), flush=True)
        return
    if args.only == "profile":
        profile()
        return
    names = ["final" if name == "improved" else name for name in args.only.split(",")]
    if args.repeats < 1:
        raise SystemExit(f"--repeats must be at least 1, got {args.repeats}")
    if args.epochs < 1 or args.peer_epochs < 1:
        raise SystemExit(f"--epochs and --peer-epochs must be at least 1, got {args.epochs} and {args.peer_epochs}")
    for name in names:
        if name not in RECIPES:
            raise SystemExit(f"unknown recipe {name!r}; choose from {RECIPES}")
    # On a shared machine the same run can take up to a third longer from one hour to the
    # next (the seed recipe here: 17.4 s/epoch, and 20-22 s in the book's build an hour
    # before). Other programs only ever slow a run down, so the recipes take turns for
    # `--repeats` rounds and each keeps its fastest run, as chapter 5 does for batch sizes.
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    results: dict[str, dict] = {}
    accuracies: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(1, args.repeats + 1):
        for name in names:
            if round_ > 1 and name in args.once.split(","):
                continue
            out = subprocess.run([sys.executable, __file__, "--child", name, "--epochs", str(args.epochs),
                                  "--peer-epochs", str(args.peer_epochs), "--seed", str(round_ - 1)],
                                 env=env, capture_output=True, text=True, check=True).stdout
            r = json.loads(out.split("RESULT ", 1)[1])
            print(f"{name:9s} {r['epochs']:3d} epochs  {r['seconds_per_epoch']:6.1f} s/epoch  "
                  f"{r['images_per_second']:7.0f} images/s  test accuracy {r['test_accuracy']:.4f}  "
                  f"peak memory {r['peak_rss_mib']:6.0f} MiB  (round {round_})", flush=True)
            accuracies[name].append(r["test_accuracy"])
            if name not in results or r["seconds_per_epoch"] < results[name]["seconds_per_epoch"]:
                results[name] = r
    if args.repeats > 1:
        print(f"fastest of {args.repeats} rounds: " + ", ".join(
            f"{name} {r['seconds_per_epoch']:.1f} s/epoch" for name, r in results.items()))
    summary(results, accuracies)
    if "article" in results:
        base = results["article"]
        for name, r in results.items():
            if name != "article":
                # The article's epochs are 60,000 images, the book's 55,000 (5,000 held out for
                # validation), so the time per image is printed beside the time per epoch.
                accuracy = ("" if name == "ceiling" else
                            f", test accuracy {r['test_accuracy'] - base['test_accuracy']:+.4f}")
                print(f"{name} / article: {r['seconds_per_epoch'] / base['seconds_per_epoch']:.2f}x the seconds "
                      f"per epoch, {base['images_per_second'] / r['images_per_second']:.2f}x the seconds per "
                      f"image{accuracy}")
    if "peer" in results:
        peer = results["peer"]
        for name, r in results.items():
            if name not in ("peer", "ceiling"):
                print(f"{name} / peer: {r['seconds'] / peer['seconds']:.2f}x the peer's whole training time "
                      f"({r['seconds']:.0f} s against {peer['seconds']:.0f} s)")


def summary(results: dict[str, dict], accuracies: dict[str, list[float]]) -> None:
    """One line per recipe: fastest run's times and memory, test accuracy mean ± sd over rounds."""
    import statistics

    for name, r in results.items():
        values = [a for a in accuracies[name] if a == a]  # the ceiling has none (NaN)
        accuracy = ("" if not values else f"test accuracy {statistics.mean(values):.4f} ± "
                    f"{statistics.stdev(values) if len(values) > 1 else 0.0:.4f} over {len(values)} seeds  ")
        print(f"SUMMARY {name:8s} {r['epochs']:3d} epochs {r['seconds']:7.0f} s  {r['seconds_per_epoch']:6.1f} s/epoch  "
              f"{r['images_per_second']:7.0f} images/s  {accuracy}peak memory {r['peak_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
