"""Chapter 4's exercise checks (building the CNN): call one right under your answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.checks.core import (
    CheckResult,
    _call,
    _describe,
    _expected,
    _failed,
    _guard,
    _num,
    _passed,
    check_number,
)
from helpers.models import build_seed_cnn, conv_params, dense_params


def _seed_layer_params(filters: tuple[int, int, int]) -> list[tuple[str, int, int]]:
    """(layer, parameters, biases) of the article's network with these filter counts."""
    f1, f2, f3 = filters
    return [
        ("conv2d_1", conv_params(3, 1, f1), f1),
        ("conv2d_2", conv_params(3, f1, f2), f2),
        ("conv2d_3", conv_params(3, f2, f3), f3),
        ("dense_1", dense_params(f3, 64), 64),
        ("dense_2", dense_params(64, 10), 10),
    ]


def _param_hint(value: float, layers: list[tuple[str, int, int]], extra: dict[float, str]) -> str:
    """A sentence guessing the slip behind a wrong parameter count."""
    expected = sum(params for _, params, _ in layers)
    missing = expected - value
    if value in extra:
        return extra[value]
    if missing == sum(biases for _, _, biases in layers):
        return f"Off by {_num(missing)}: that is every bias. Each filter and each unit has one bias."
    for name, _, biases in layers:
        if missing == biases:
            return f"Off by {_num(missing)}: did you forget the {biases} biases of {name}?"
    for name, params, _ in layers:
        if missing == params:
            return f"Off by {_num(missing)}: that is all of {name}; did you leave that layer out?"
    return "Add up (kernel height × kernel width × input channels + 1) × filters for each convolution and (inputs + 1) × units for each Dense layer."


@_guard("Parameters of the network")
def check_params_with_filters(answer: Any, filters: tuple[int, int, int] = (32, 64, 64)) -> CheckResult:
    """Exercise 4.1: the article's network's parameter count with `filters` in its three convolutions."""
    exercise = f"Parameters with filters {filters}"
    layers = _seed_layer_params(filters)
    expected = sum(params for _, params, _ in layers)
    original = sum(params for _, params, _ in _seed_layer_params((25, 64, 64)))
    stale = expected - layers[1][1] + (9 * 25 + 1) * filters[1]
    extra = {
        float(original): "That is the original network's count (25 filters first); change the first convolution.",
        float(stale): (
            "conv2d_2 now sees more input channels: its kernels are 3 × 3 × (filters of conv2d_1) deep, "
            "so its count changes too."
        ),
    }
    if answer is None or answer is Ellipsis or isinstance(answer, (bool, str)) or np.ndim(answer) != 0:
        return check_number(exercise, answer, expected)
    value = float(answer)
    if value == expected:
        return _passed(exercise, f"{_num(expected)} parameters.")
    return check_number(exercise, answer, expected, hint=_param_hint(value, layers, extra))


@_guard("More filters in the first layer")
def check_extra_params_32(answer: Any) -> CheckResult:
    """Exercise 4.1: how many parameters the article's network gains when its first convolution
    has 32 filters instead of 25: conv2d_1's 7 new filters and conv2d_2's deeper kernels."""
    exercise = "More filters in the first layer"
    conv1 = (3 * 3 * 1 + 1) * (32 - 25)
    conv2 = 3 * 3 * (32 - 25) * 64
    hints = {
        float(conv1): "That is what conv2d_1 gains. Its 7 new feature maps are 7 more input channels "
                      "for conv2d_2: every one of its kernels gets deeper too.",
        float(conv2): "That is what conv2d_2 gains; conv2d_1's 7 new filters have weights and biases of their own.",
        float(conv1 - 7): "conv2d_1's new filters each have a bias as well as 3 × 3 weights.",
        float(conv1 + conv2 + 64): "conv2d_2 keeps its 64 filters, so it keeps its 64 biases: deeper kernels add weights only.",
    }
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, (bool, np.bool_)):
        value = float(answer)
        if value in hints:
            return _failed(exercise, f"{_num(value)} is part of it. {hints[value]}" + _expected(_num(conv1 + conv2)))
        total = sum(params for _, params, _ in _seed_layer_params((32, 64, 64)))
        if value in (float(total), float(sum(params for _, params, _ in _seed_layer_params((25, 64, 64))))):
            return _failed(exercise, "that is a whole network's count; the question asks how many parameters are "
                                     "added (the new count minus the old).")
    result = check_number(
        exercise, answer, conv1 + conv2,
        hint="Find the layers whose kernels or filters change (a convolution's kernels are as deep as its "
             "input has channels) and add what each gains.",
    )
    if result:  # confirmed with the call: Keras counts both networks
        gained = build_seed_cnn(filters=(32, 64, 64)).count_params() - build_seed_cnn().count_params()
        print(f"   Keras agrees: the two networks' count_params() differ by {gained:,}.")
    return result


#: (output shape, parameters) of each layer of the article's network with padding="same" in its convolutions.
SAME_PADDING_LAYERS = [
    ((28, 28, 25), 250), ((14, 14, 25), 0), ((14, 14, 64), 14_464), ((7, 7, 64), 0),
    ((7, 7, 64), 36_928), ((3, 3, 64), 0), ((576,), 0), ((64,), 36_928), ((10,), 650),
]


#: The layer classes of that network, in order: what its shapes and counts cannot tell apart
#: (AveragePooling2D has the shapes of MaxPooling2D; an activation has no parameters).
SAME_PADDING_KINDS = ["Conv2D", "MaxPooling2D"] * 3 + ["Flatten", "Dense", "Dense"]


@_guard("The network with 'same' padding")
def check_same_padding_model(function: Callable[[], Any]) -> CheckResult:
    """Exercise 4.3: `function()` builds the article's network with padding="same" in each Conv2D."""
    exercise = "The network with 'same' padding"
    ok, model = _call(exercise, function)
    if not ok:
        return model
    if not hasattr(model, "layers") or not hasattr(model, "count_params"):
        return _failed(exercise, f"expected your function to return a Keras model, got {_describe(model)}.")
    try:
        table = [(tuple(layer.output.shape[1:]), layer.count_params()) for layer in model.layers]
    except Exception as error:  # a model without an input shape has no output shapes yet
        return _failed(exercise, f"could not read the layers' output shapes ({type(error).__name__}); "
                                 "does your model start with keras.Input((28, 28, 1))?")
    if len(table) != len(SAME_PADDING_LAYERS):
        return _failed(exercise, f"expected {len(SAME_PADDING_LAYERS)} layers (three Conv2D + MaxPooling2D "
                                 f"pairs, Flatten, two Dense), got {len(table)}.")
    for k, layer in enumerate(model.layers):
        kind, want_kind = type(layer).__name__, SAME_PADDING_KINDS[k]
        if kind != want_kind:
            hint = (" The article's network keeps the largest value of each window: MaxPooling2D."
                    if "Pooling" in kind and "Pooling" in want_kind else "")
            return _failed(exercise, f"layer {k + 1} is {kind}, expected {want_kind}.{hint}")
        activation = getattr(getattr(layer, "activation", None), "__name__", None)
        want_activation = "softmax" if k == len(model.layers) - 1 else "relu"
        if kind in ("Conv2D", "Dense") and activation != want_activation:
            why = ("the last layer turns the ten scores into probabilities"
                   if want_activation == "softmax" else "without it, stacked layers add up to one linear map")
            return _failed(exercise, f"layer {k + 1} ({kind}) has the activation {activation!r}; give it "
                                     f"activation=\"{want_activation}\" as in the article's network: {why}.")
    for k, ((shape, params), (want, want_params)) in enumerate(zip(table, SAME_PADDING_LAYERS, strict=True)):
        if shape != want:
            kind = type(model.layers[k]).__name__
            hint = ""
            if kind == "Conv2D" and len(shape) == 3 and shape[0] == want[0] - 2:
                hint = " This convolution still shrinks the map by 2: give it padding=\"same\"."
            elif kind == "MaxPooling2D" and len(shape) == 3 and shape[0] == want[0] + 1:
                hint = " Leave the pooling layers as they were (no padding): 7 // 2 = 3."
            return _failed(exercise, f"layer {k + 1} ({kind}) outputs {shape}, expected {want}.{hint}")
        if params != want_params:
            return _failed(exercise, f"layer {k + 1} has {params:,} parameters, expected {want_params:,}.")
    return _passed(exercise, f"{model.count_params():,} parameters; dense_1 alone now has 36,928.")


def _count_with_slips(exercise: str, answer: Any, expected: int, slips: dict[int, str], hint: str) -> CheckResult:
    """check_number, but a wrong count that is a known slip (`slips`: count -> sentence) is named."""
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool):
        if float(answer) in slips:
            return _failed(exercise, f"{_num(answer)} is not it. {slips[float(answer)]}" + _expected(_num(expected)))
    return check_number(exercise, answer, expected, hint=hint)


@_guard("dense_1 without the last pooling")
def check_dense_without_last_pool(answer: Any) -> CheckResult:
    """Exercise 4.3: dense_1's parameters when the third pooling is removed (3×3×64 = 576 inputs)."""
    exercise = "dense_1 without the last pooling"
    expected = (3 * 3 * 64 + 1) * 64
    slips = {
        3 * 3 * 64 * 64: "Off by 64: did you forget the 64 biases of dense_1?",
        (64 + 1) * 64: "That is dense_1 with the pooling: without it, Flatten gets the whole 3 × 3 × 64 map.",
        3 * 3 * 64: "That is the number of inputs dense_1 gets; each of its 64 units has a weight per input plus a bias.",
    }
    hint = "Flatten now passes the whole last map to dense_1: count its inputs, then (inputs + 1) × units."
    return _count_with_slips(exercise, answer, expected, slips, hint)


@_guard("A 1 × 1 convolution after conv2d_3")
def check_one_by_one_params(answer: Any) -> CheckResult:
    """Chapter 4: parameters of Conv2D(32, (1, 1)) reading conv2d_3's 64 channels ((64 + 1) × 32)."""
    exercise = "A 1 × 1 convolution after conv2d_3"
    expected = (1 * 1 * 64 + 1) * 32
    slips = {
        64 * 32: "Off by 32: did you forget the bias of each of the 32 filters?",
        (3 * 3 * 64 + 1) * 32: "That is a 3 × 3 convolution; a 1 × 1 kernel has one weight per input channel.",
        (32 + 1) * 64: "Inputs and filters swapped: 32 filters, each with a weight per input channel (64) and a bias.",
        (1 * 1 * 1 + 1) * 32: "A 1 × 1 kernel still reads every input channel: 64 of them, not 1.",
    }
    hint = "(kernel height × kernel width × input channels + 1) × filters, with a 1 × 1 kernel."
    return _count_with_slips(exercise, answer, expected, slips, hint)


@_guard("Three stacked 3 × 3 convolutions")
def check_three_stacked_params(answer: Any) -> CheckResult:
    """Notes on chapter 4: parameters of three stacked Conv2D(64, 3) layers on 64 channels
    (3 × (3 × 3 × 64 + 1) × 64 = 110,784), the stack that sees a 7 × 7 patch."""
    exercise = "Three stacked 3 × 3 convolutions"
    one = (3 * 3 * 64 + 1) * 64
    expected = 3 * one
    slips = {
        3 * 3 * 3 * 64 * 64: "Off by 192: each of the three layers has 64 biases too.",
        one: "That is one 3 × 3 layer; the stack has three of them.",
        2 * one: "That is two layers, the stack that sees 5 × 5; a 7 × 7 patch takes three.",
        (7 * 7 * 64 + 1) * 64: "That is the single 7 × 7 layer the stack replaces, not the stack.",
        3 * (3 * 3 + 1) * 64: "A 3 × 3 kernel reads all 64 input channels: 3 × 3 × 64 weights per filter.",
    }
    hint = "Count one layer with (k × k × input channels + 1) × filters, then add up the three layers."
    return _count_with_slips(exercise, answer, expected, slips, hint)
