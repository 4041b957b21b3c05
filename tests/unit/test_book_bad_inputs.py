"""Bad inputs to helpers.book.glue: a name that is empty, missing or not a string, a value
left out, a display that is not True or False."""

from __future__ import annotations

import numpy as np
import pytest
from bad_inputs import expect

from helpers.book import glue

CASES = [
    ("name empty", lambda: glue("", 0.98), ValueError, r"name should be a non-empty string naming the value.*got ''"),
    ("name blank", lambda: glue("  ", 0.98), ValueError, r"name should be a non-empty string"),
    ("name None", lambda: glue(None, 0.98), TypeError, r"name should be a string naming the value.*got None"),
    ("value given as name", lambda: glue(0.98), TypeError,
     r"name should be a string naming the value, given first as in glue\('test_accuracy', test_accuracy\); "
     r"got float 0.98"),
    ("name a number", lambda: glue(7, "seven"), TypeError, r"name should be a string.*got int 7"),
    ("no value", lambda: glue("test_accuracy"), TypeError, r"glue\('test_accuracy'\) has no value to record"),
    ("display string", lambda: glue("x", 1, display="no"), TypeError, r"display should be True or False"),
]


@pytest.mark.parametrize(("call", "kind", "said"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named(call, kind, said):
    expect(call, kind, said)


def test_good_inputs_still_work():
    glue("a_number", np.float32(0.5), display=False)  # a NumPy scalar
    glue("nothing", None, display=False)  # None is a value like any other
