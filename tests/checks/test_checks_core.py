"""The generic self-checks in helpers.checks, with right and wrong answers.

A student sees only what a check prints, so these tests assert on the printed verdict as
well as on the result: a pass says ✅, a fail says ❌ and names what was expected and what
came, a stub says it still raises NotImplementedError, and nothing ends in a traceback
unless strict mode (the build, the tests, an autograder) asks a failed check to raise.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers import checks
from helpers.checks import CheckFailed, CheckResult, check_array, check_function, check_number


@pytest.fixture(autouse=True)
def lenient(monkeypatch):
    """Checks as a student in Colab runs them: no strict mode unless a test turns it on."""
    monkeypatch.delenv(checks.STRICT_ENV_VAR, raising=False)


def verdict(capsys) -> str:
    return capsys.readouterr().out.strip()


# --- check_number ---------------------------------------------------------------------


@pytest.mark.parametrize("answer", [56452, 56452.0, np.int64(56452), np.float32(56452)])
def test_number_right(answer, capsys):
    result = check_number("Parameter count", answer, 56452)
    assert result and result == True  # noqa: E712 (CheckResult compares with bools)
    assert verdict(capsys) == "✅ Parameter count: correct. 56,452 it is."


def test_number_off_by_one_says_so(capsys):
    result = check_number("Parameter count", 56451, 56452, hint="Did you count the biases?")
    assert not result and result == False  # noqa: E712
    out = verdict(capsys)
    assert out.startswith("❌ Parameter count: not yet.")
    assert "56,451 is not it. It is close: look for an off-by-one step. Did you count the biases?" in out
    assert "56,452" not in out and "+1" not in out  # neither the answer nor the way to it


def test_number_far_off_has_no_off_by_hint(capsys):
    assert not check_number("Output size", 13, 26)
    out = verdict(capsys)
    assert "13 is not it." in out and "close" not in out and "26" not in out


def test_large_numbers_are_written_in_full(capsys):
    """A parameter count of 1.2 million must not read '1.19988e+06'."""
    check_number("Parameters", 1199882, 1199883)
    assert "1,199,882 is not it" in verdict(capsys)


def test_number_within_tolerance(capsys):
    assert check_number("Accuracy", 0.9861, 0.985, tol=0.002)
    assert "0.9861 is within 0.002 of the answer" in verdict(capsys)
    assert not check_number("Accuracy", 0.97, 0.985, tol=0.002)
    out = verdict(capsys)
    assert "0.97 is not it" in out and "0.985" not in out


def test_instructor_sees_the_expected_value(monkeypatch, capsys):
    """CNN_BOOK_SHOW_EXPECTED=1 (an instructor's run) adds the answer; students never see it."""
    monkeypatch.setenv(checks.SHOW_EXPECTED_ENV_VAR, "1")
    assert not check_number("Output size", 25, 26)
    assert "(instructor: the answer is 26)" in verdict(capsys)


@pytest.mark.parametrize(
    ("answer", "said"),
    [(len, "without calling it"), ({"a": 1}, "expected a single number"), (None, "NotImplementedError"),
     ({26}, "expected a single number"), (float("nan"), "NaN")],
)
def test_number_wrong_kinds_get_a_fail_line(answer, said, capsys):
    assert not check_number("Output size", answer, 26)
    assert said in verdict(capsys)


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ("26", "the str '26'"),
        (True, "bool True"),
        (np.array([26]), "an array of shape (1,)"),
        ([26, 26], "a list of 2 items"),
        ([[1, 2], [3]], "a list of 2 items"),
    ],
)
def test_number_rejects_non_numbers_with_a_sentence(answer, said, capsys):
    assert not check_number("Output size", answer, 26)
    out = verdict(capsys)
    assert out.startswith("❌ Output size: not yet. expected a single number, got ")
    assert said in out


def test_number_nan_fails(capsys):
    assert not check_number("Loss", float("nan"), 0.1)
    assert "your answer is NaN" in verdict(capsys)


@pytest.mark.parametrize("answer", [None, ...])
def test_number_unanswered(answer, capsys):
    assert not check_number("Output size", answer, 26)
    assert "still raises NotImplementedError" in verdict(capsys)


# --- check_array ----------------------------------------------------------------------


def test_array_right(capsys):
    expected = np.linspace(0, 1, 12, dtype=np.float32).reshape(3, 4)
    assert check_array("Scaling", expected.copy(), expected)
    assert verdict(capsys) == "✅ Scaling: correct. shape (3, 4), dtype float32."


def test_array_within_atol_passes():
    expected = np.zeros((2, 2), dtype=np.float32)
    assert check_array("Scaling", expected + np.float32(1e-7), expected)


def test_array_wrong_shape(capsys):
    assert not check_array("Reshape", np.zeros((60, 28, 28)), np.zeros((60, 28, 28, 1)))
    assert "expected shape (60, 28, 28, 1), got (60, 28, 28)." in verdict(capsys)


def test_array_wrong_dtype(capsys):
    """x / 255 gives float64; the book asks for float32."""
    images = np.full((2, 2), 255, dtype=np.uint8)
    assert not check_array("Scaling", images / 255, (images / 255).astype(np.float32))
    assert "expected dtype float32, got float64." in verdict(capsys)


def test_array_dtype_can_be_ignored():
    assert check_array("Labels", [0, 1, 2], np.array([0, 1, 2], dtype=np.uint8), check_dtype=False)


def test_array_wrong_values_name_the_worst_index(capsys):
    expected = np.arange(6, dtype=np.float64).reshape(2, 3)
    answer = expected.copy()
    answer[1, 2] = 50.0
    answer[0, 1] = 1.5
    assert not check_array("Feature map", answer, expected)
    out = verdict(capsys)
    assert "values differ: at index (1, 2) expected 5.0, got 50.0." in out
    assert "np.float64" not in out


def test_array_nan_is_a_difference(capsys):
    expected = np.zeros(3)
    answer = np.array([0.0, np.nan, 0.0])
    assert not check_array("Scaling", answer, expected)
    assert "at index (1,) expected 0.0, got nan" in verdict(capsys)


@pytest.mark.parametrize("answer", [[[1, 2], [3]], {"a": 1}, "pixels"])
def test_array_rejects_what_is_not_an_array(answer, capsys):
    assert not check_array("Scaling", answer, np.zeros((2, 2)))
    out = verdict(capsys)
    assert out.startswith("❌ Scaling: not yet.")
    assert "expected" in out


def test_array_unanswered(capsys):
    assert not check_array("Scaling", None, np.zeros(2))
    assert "still raises NotImplementedError" in verdict(capsys)


# --- check_function -------------------------------------------------------------------


def most_confused(matrix: np.ndarray) -> tuple[int, int]:
    off = matrix.copy()
    np.fill_diagonal(off, 0)
    true, predicted = np.unravel_index(np.argmax(off), off.shape)
    return int(true), int(predicted)


CONFUSION = np.array([[50, 1, 0], [2, 40, 9], [0, 3, 45]])
CASES = [((CONFUSION,), (1, 2)), ((CONFUSION.T,), (2, 1))]


def test_function_right(capsys):
    assert check_function("Most confused pair", most_confused, CASES)
    assert verdict(capsys) == "✅ Most confused pair: correct. all 2 test cases pass."


def test_function_single_case_grammar(capsys):
    assert check_function("Most confused pair", most_confused, CASES[:1])
    assert verdict(capsys).endswith("the test case passes.")


def test_function_result_may_be_any_sequence_of_numpy_ints():
    assert check_function("Most confused pair", lambda m: np.array([1, 2]), CASES[:1])
    assert check_function("Most confused pair", lambda m: [np.int64(1), np.int64(2)], CASES[:1])


def test_function_wrong_result_names_input_expected_and_got(capsys):
    def diagonal_too(matrix):  # forgets to ignore the diagonal
        return tuple(int(i) for i in np.unravel_index(np.argmax(matrix), matrix.shape))

    assert not check_function("Most confused pair", diagonal_too, CASES)
    out = verdict(capsys)
    assert "for input [[50, 1, 0], [2, 40, 9], [0, 3, 45]] expected (1, 2), got (0, 0)." in out


def test_function_array_results_compare_within_atol(capsys):
    def scale(x):
        return x / 255.0

    cases = [((np.array([0, 255, 51]),), np.array([0.0, 1.0, 0.2]))]
    assert check_function("Scale", scale, cases)
    assert not check_function("Scale", lambda x: x / 256.0, cases)
    assert "expected [0. , 1. , 0.2], got" in verdict(capsys).replace("[0., 1., 0.2]", "[0. , 1. , 0.2]")
    assert not check_function("Scale", lambda x: (x / 255.0)[:2], cases)  # wrong shape


def test_function_uncomparable_result_is_a_fail_not_a_traceback(capsys):
    assert not check_function("Scale", lambda x: "0.5", [((1,), 0.5)])
    assert "expected 0.5, got '0.5'" in verdict(capsys)
    assert not check_function("Pair", lambda m: 12, CASES[:1])
    assert not check_function("Count", lambda m: np.array([3]), [((1,), 3)])


def test_function_stub_says_not_done(capsys):
    def stub(matrix):
        # YOUR CODE HERE
        raise NotImplementedError()

    result = check_function("Most confused pair", stub, CASES)
    assert isinstance(result, CheckResult) and not result
    assert "still raises NotImplementedError" in verdict(capsys)


def test_function_crash_is_reported_plainly(capsys):
    assert not check_function("Most confused pair", lambda m: m[5, 5], CASES)
    out = verdict(capsys)
    assert "calling your function raised IndexError" in out


def test_function_not_a_function(capsys):
    assert not check_function("Most confused pair", (1, 2), CASES)
    assert "expected a function, got a tuple of 2 items." in verdict(capsys)


def test_function_cannot_spoil_later_cases_by_changing_its_input():
    def destructive(matrix):
        np.fill_diagonal(matrix, 0)  # changes its argument in place
        return most_confused(matrix)

    matrix = CONFUSION.copy()
    assert check_function("Most confused pair", destructive, [((matrix,), (1, 2)), ((matrix,), (1, 2))])
    assert np.array_equal(matrix, CONFUSION)


def test_function_needs_cases():
    with pytest.raises(ValueError, match="at least one"):
        check_function("Most confused pair", most_confused, [])


# --- strict mode, and what a result is --------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_strict_mode_raises_check_failed(value, monkeypatch, capsys):
    monkeypatch.setenv(checks.STRICT_ENV_VAR, value)
    with pytest.raises(CheckFailed, match="Output size: 25 is not it"):
        check_number("Output size", 25, 26)
    assert "❌ Output size" in verdict(capsys)  # the student still sees the sentence
    assert check_number("Output size", 26, 26)  # a pass never raises


def test_strict_mode_raises_for_stubs_too(monkeypatch):
    monkeypatch.setenv(checks.STRICT_ENV_VAR, "1")

    def stub(x):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="NotImplementedError"):
        check_function("Scale", stub, [((1,), 1)])
    with pytest.raises(CheckFailed):
        check_array("Scaling", None, np.zeros(2))


@pytest.mark.parametrize("value", ["0", "", "false"])
def test_lenient_mode_prints_and_returns(value, monkeypatch, capsys):
    monkeypatch.setenv(checks.STRICT_ENV_VAR, value)
    assert not check_number("Output size", 25, 26)
    assert verdict(capsys).startswith("❌")


def test_check_failed_is_an_assertion_error():
    """nbgrader and pytest both count an AssertionError as a failed test."""
    assert issubclass(CheckFailed, AssertionError)


def test_result_shows_nothing_in_a_notebook(capsys):
    """A check cell's output is the verdict line alone, not the verdict and then `True`."""
    result = check_number("Output size", 26, 26)
    assert result._ipython_display_() is None
    assert verdict(capsys) == "✅ Output size: correct. 26 it is."
    assert result.message == "✅ Output size: correct. 26 it is."
    assert result == True and result != False  # noqa: E712
    assert "passed=True" in repr(result)
