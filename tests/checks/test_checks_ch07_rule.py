"""Chapter 7's decision-rule exercise: its check passes the rule's answer and fails the
plausible wrong decisions (no spread, the smaller spread, accuracy, against the start)."""

from __future__ import annotations

import pytest

from helpers.checks import check_rule_decisions
from helpers.checks.ch07 import RULE_TABLE, _apply_rule


@pytest.fixture(autouse=True)
def lenient(monkeypatch):
    monkeypatch.setenv("CNN_BOOK_STRICT_CHECKS", "0")


def test_the_rule_keeps_a_and_d():
    assert _apply_rule(RULE_TABLE) == ["A", "D"]
    assert check_rule_decisions(["A", "D"])


@pytest.mark.parametrize("wrong, hint", [
    (_apply_rule(RULE_TABLE, spread=lambda a, b: 0.0), "spread between seeds"),
    (_apply_rule(RULE_TABLE, spread=min), "larger of the two"),
    (_apply_rule(RULE_TABLE, score="accuracy"), "not the accuracy"),
    (_apply_rule(RULE_TABLE, against_start=True), "best recipe kept so far"),
    (["D", "A"], "order"),
    (["A"], "walk down the table"),
])
def test_wrong_decisions_fail_with_a_hint(wrong, hint, capsys):
    assert wrong != ["A", "D"]
    assert not check_rule_decisions(wrong)
    assert hint in capsys.readouterr().out


def test_the_wrong_rules_differ_from_each_other():
    variants = [_apply_rule(RULE_TABLE, spread=lambda a, b: 0.0), _apply_rule(RULE_TABLE, spread=min),
                _apply_rule(RULE_TABLE, score="accuracy"), _apply_rule(RULE_TABLE, against_start=True)]
    assert len({tuple(v) for v in variants}) == 4


def test_not_a_list_fails_without_a_traceback():
    assert not check_rule_decisions("A, D")
    assert not check_rule_decisions(None)
