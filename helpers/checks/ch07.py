"""Chapter 7's exercise checks (going further): call one right under your answer."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from helpers.checks.core import (
    CheckResult,
    _describe,
    _equals,
    _expected,
    _failed,
    _guard,
    _not_done,
    _passed,
    check_function,
    check_number,
)


@_guard("Parameters of the third block")
def check_block3_params(answer: Any) -> CheckResult:
    """Chapter 7: parameters of `conv2d_3` (no bias) plus `batch_norm_3` in the improved network."""
    name = "Parameters of the third block"
    weights, norm = 3 * 3 * 64 * 128, 4 * 128
    hints = {
        weights: "that is the convolution alone; batch norm adds four numbers per channel.",
        weights + 128: "a bias is not used here (batch norm's beta replaces it), and batch norm keeps four numbers per channel.",
        weights + 2 * 128: "batch norm also keeps a moving mean and variance per channel (not trained, but stored).",
        weights + 128 + norm: "with batch norm the convolution has no bias (use_bias=False).",
    }
    if _equals(answer, weights + norm) or answer is None or answer is Ellipsis:
        return check_number(name, answer, weights + norm)
    for value, hint in hints.items():
        if _equals(answer, value):
            return _failed(name, f"{value:,} is not it: {hint}" + _expected(f"{weights + norm:,}"))
    return check_number(name, answer, weights + norm,
                        hint="Kernel 3x3, 64 input channels, 128 filters; batch norm stores 4 numbers per channel.")


@_guard("Transformations that keep the label")
def check_label_preserving(answer: Any) -> CheckResult:
    """Chapter 7: which transformations keep a digit's label (a set of letters)."""
    name = "Transformations that keep the label"
    expected = {"a", "c", "e"}
    if answer is None or answer is Ellipsis:
        return _not_done(name)
    if not isinstance(answer, (set, frozenset, list, tuple)) or not all(isinstance(x, str) for x in answer):
        return _failed(name, f"expected a set of letters such as {{'a', 'b'}}, got {_describe(answer)}.")
    got = {x.strip().lower() for x in answer}
    unknown = sorted(got - set("abcdef"))
    if unknown:
        return _failed(name, f"the choices are the letters a to f; {unknown} {'is' if len(unknown) == 1 else 'are'} not among them.")
    if got == expected:
        return _passed(name, "small shifts, small rotations and zooms keep a digit what it is.")
    right, wrong = len(got & expected), len(got - expected)
    # How many, never which: naming the wrong letters would let six letters reveal the answer.
    return _failed(
        name,
        f"of your {len(got)} letter{'s' if len(got) != 1 else ''}, {right} keep{'s' if right == 1 else ''} the label "
        f"and {wrong} change{'s' if wrong == 1 else ''} it, and {len(expected) - right} transformation"
        f"{'s' if len(expected) - right != 1 else ''} that keep{'s' if len(expected) - right == 1 else ''} it "
        "are missing. For each one, picture a 6, a 7 and a 2 transformed: would a reader still name the same digit?"
        + _expected("{'a', 'c', 'e'}"),
    )


@_guard("Cosine learning-rate schedule")
def check_cosine_lr(cosine_lr: Callable[[int, int, float], float]) -> CheckResult:
    """Chapter 7: `cosine_lr(step, total_steps, base)` as Keras's CosineDecay (alpha=0)."""
    name = "Cosine learning-rate schedule"
    cases = [((0, 100, 0.002), 0.002), ((50, 100, 0.002), 0.001), ((100, 100, 0.002), 0.0),
             ((25, 100, 1.0), 0.5 * (1 + math.cos(math.pi / 4))), ((150, 100, 1.0), 0.0)]
    return check_function(name, cosine_lr, cases, atol=1e-9)


#: The results table of the decision-rule exercise (chapter 7): a one-factor study, rows in
#: the order tried, each the mean and standard deviation over three seeds of the final
#: validation loss and accuracy. Row 0 is the start; each later row adds one change to the
#: recipe kept so far.
RULE_TABLE: list[dict[str, Any]] = [
    {"change": "start", "loss": 0.300, "loss_sd": 0.010, "accuracy": 0.910, "accuracy_sd": 0.004},
    {"change": "A", "loss": 0.250, "loss_sd": 0.012, "accuracy": 0.930, "accuracy_sd": 0.003},
    {"change": "B", "loss": 0.245, "loss_sd": 0.003, "accuracy": 0.928, "accuracy_sd": 0.002},
    {"change": "C", "loss": 0.255, "loss_sd": 0.004, "accuracy": 0.926, "accuracy_sd": 0.002},
    {"change": "D", "loss": 0.200, "loss_sd": 0.010, "accuracy": 0.950, "accuracy_sd": 0.003},
    {"change": "E", "loss": 0.192, "loss_sd": 0.015, "accuracy": 0.975, "accuracy_sd": 0.002},
]


def _apply_rule(table: list[dict[str, Any]], score: str = "loss", spread: Callable[[float, float], float] = max,
                against_start: bool = False) -> list[str]:
    """The changes kept by the rule (or by a variant of it, to recognise wrong answers)."""
    best, kept = table[0], []
    for row in table[1:]:
        gain = best[score] - row[score] if score == "loss" else row[score] - best[score]
        if gain > spread(best[f"{score}_sd"], row[f"{score}_sd"]):
            kept.append(row["change"])
            best = best if against_start else row
    return kept


@_guard("The decision rule")
def check_rule_decisions(answer: Any) -> CheckResult:
    """Chapter 7: the changes of `RULE_TABLE` that the decision rule keeps, in order."""
    name = "The decision rule"
    right = _apply_rule(RULE_TABLE)
    if answer is None or answer is Ellipsis:
        return _not_done(name)
    if not isinstance(answer, list | tuple) or not all(isinstance(x, str) for x in answer):
        return _failed(name, f"give a list of the kept changes' names, e.g. ['A']; got {_describe(answer)}.")
    answer = list(answer)
    if answer == right:
        return _passed(name, f"the rule keeps {', '.join(right)}.")
    wrong = [
        (_apply_rule(RULE_TABLE, spread=lambda a, b: 0.0),
         "a lower mean is not enough: the gain must be larger than the spread between seeds."),
        (_apply_rule(RULE_TABLE, spread=min),
         "the rule takes the larger of the two standard deviations, not the smaller."),
        (_apply_rule(RULE_TABLE, score="accuracy"),
         "the rule judges by the validation loss, not the accuracy."),
        (_apply_rule(RULE_TABLE, against_start=True),
         "compare each change with the best recipe kept so far, not with the start."),
    ]
    for decisions, hint in wrong:
        if answer == decisions:
            return _failed(name, hint + _expected(str(right)))
    if sorted(answer) == sorted(right):
        return _failed(name, "the right changes, but list them in the order they were tried." + _expected(str(right)))
    return _failed(name, "walk down the table: keep a change only if it lowers the mean loss of the recipe kept so "
                         "far by more than the larger of the two standard deviations." + _expected(str(right)))
