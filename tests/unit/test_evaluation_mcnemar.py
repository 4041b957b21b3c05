"""McNemar's exact test (helpers.evaluation.mcnemar_exact), chapter 7's paired comparison."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.evaluation import mcnemar_exact


def test_counts_only_the_images_where_the_models_disagree():
    a = np.array([True, True, True, False, False, True])
    b = np.array([True, False, False, True, False, True])
    result = mcnemar_exact(a, b)
    assert (result["a_only"], result["b_only"]) == (2, 1)
    assert result["p_value"] == pytest.approx(1.0)  # 2 against 1 in 3 tosses: as even as it gets


def test_p_value_matches_the_binomial_by_hand():
    # 10 discordant images, all won by A: two-sided p = 2 * 0.5**10
    a = np.array([True] * 10 + [True] * 5)
    b = np.array([False] * 10 + [True] * 5)
    assert mcnemar_exact(a, b)["p_value"] == pytest.approx(2 / 1024)
    # 8 to 2: two-sided p = 2 * (C(10,0) + C(10,1) + C(10,2)) / 1024 = 112 / 1024
    a = np.array([True] * 8 + [False] * 2)
    assert mcnemar_exact(a, ~a)["p_value"] == pytest.approx(112 / 1024)


def test_symmetric_and_one_when_they_never_disagree():
    a = np.array([True, False, True])
    assert mcnemar_exact(a, a) == {"a_only": 0, "b_only": 0, "p_value": 1.0}
    x = np.array([True] * 7 + [False] * 2)
    assert mcnemar_exact(x, ~x)["p_value"] == mcnemar_exact(~x, x)["p_value"]


@pytest.mark.parametrize("a, b, error", [
    (np.array([1, 0, 1]), np.array([True, False, True]), TypeError),   # not booleans
    (np.ones((2, 2), bool), np.ones((2, 2), bool), TypeError),         # not 1-D
    (np.ones(3, bool), np.ones(4, bool), ValueError),                  # different lengths
])
def test_bad_input_is_named(a, b, error):
    with pytest.raises(error):
        mcnemar_exact(a, b)
