"""The benchmarks are not run in CI (they train for minutes), but their command lines are:
bad arguments must stop them at once with a message naming what was expected, before any
training starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_training.py"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--repeats", "0"], "--repeats must be at least 1, got 0"),
        (["--only", "article,fastest"], "unknown recipe 'fastest'"),
        (["--only", "peer", "--peer-epochs", "0"], "--peer-epochs must be at least 1"),
    ],
)
def test_bench_training_refuses_bad_arguments(arguments, message):
    result = subprocess.run([sys.executable, str(BENCH), *arguments], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert message in result.stderr


WIDGET_BENCH = BENCH.parent / "bench_widget_redraw.py"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--rounds", "0"], "--rounds and --steps must be at least 1"),
        (["--compare", "before"], "--compare takes LABEL=FOLDER; got 'before'"),
        (["--compare", "before=/nonexistent"], "no draw_a_digit.html in /nonexistent (before)"),
    ],
)
def test_bench_widget_redraw_refuses_bad_arguments(arguments, message):
    result = subprocess.run([sys.executable, str(WIDGET_BENCH), *arguments], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert message in result.stderr
