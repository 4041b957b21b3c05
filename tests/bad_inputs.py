"""The one assertion the bad-input tables share (tests/unit/test_*_bad_inputs.py, issue 17)."""

from __future__ import annotations

import re

import pytest


def expect(call, kind, said):
    """Run `call`; it must raise exactly `kind` with a message matching `said`.

    Exactly: a UnicodeDecodeError or zlib.error slipping out of a dependency fails even where
    it subclasses ValueError. Never NumPy's advice to load pickles, never a traceback text.
    Returns the message."""
    with pytest.raises((TypeError, ValueError)) as caught:
        call()
    message = str(caught.value)
    assert type(caught.value) is kind, f"{type(caught.value).__name__}: {message}"
    assert re.search(said, message), message
    assert "allow_pickle" not in message and "Traceback" not in message
    return message
