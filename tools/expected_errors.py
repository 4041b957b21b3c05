"""Cells that fail on purpose, made safe for "Run all" in the Colab and student copies.

The book shows a deliberate error (a wrong shape, a wrong label format) by executing a code
cell tagged `raises-exception`: MyST-NB, nbval and nbclient let such a cell fail and go on,
and the page shows the real error. Colab's "Run all" (and Jupyter's) knows no cell tags: it
stops at the first error, so a student would never reach the rest of the chapter. In the
copies a student runs (`_ext/colab_copies.py`, `tools/make_copies.py`), every cell tagged
`raises-exception` is therefore rewritten by `wrap_source`:

    # This cell fails on purpose, as the text explains: its error is printed and "Run all" goes on.
    try:
        <the cell's code, unchanged, indented>
    except Exception:
        import traceback

        traceback.print_exc()
    else:
        print("This cell was meant to fail, as the text says, but it ran without an error.")

The code inside `try` is the cell's own: the same statements (checked on the syntax tree),
run in the same order, so the state after the cell is what it is in the book. Lines inside
a multi-line string are not indented, so no string changes. A cell with IPython syntax
(`%magic`, `!shell`) is first turned into plain Python with IPython's own transformer.
Anything that cannot be wrapped so is a ValueError naming what was found.
"""

from __future__ import annotations

import ast
import io
import tokenize
from typing import Any

TAG = "raises-exception"
NOTE = '# This cell fails on purpose, as the text explains: its error is printed and "Run all" goes on.'
NO_ERROR = "This cell was meant to fail, as the text says, but it ran without an error."
_FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT


def cell_text(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def is_expected_error(cell: dict[str, Any]) -> bool:
    """Whether `cell` is a code cell that the book lets fail (tagged `raises-exception`)."""
    return cell.get("cell_type") == "code" and TAG in (cell.get("metadata", {}).get("tags") or [])


def is_wrapped(source: str) -> bool:
    return source.startswith(NOTE + "\n")


def _as_python(source: str) -> str:
    """The cell as plain Python: IPython's transformer only when the cell does not parse as it is."""
    try:
        compile(source, "<cell>", "exec", flags=_FLAGS, dont_inherit=True)
        return source
    except SyntaxError:
        pass
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError as error:  # pragma: no cover - IPython comes with Jupyter
        raise ValueError(f"the cell is not plain Python and IPython is not installed to read it: {error}") from None
    python = TransformerManager().transform_cell(source)
    try:
        compile(python, "<cell>", "exec", flags=_FLAGS, dont_inherit=True)
    except SyntaxError as error:
        raise ValueError(f"the cell does not compile, so it cannot be wrapped: {error}") from None
    return python


def _string_continuation_lines(python: str) -> set[int]:
    """1-based numbers of the lines that begin inside a multi-line string literal."""
    inside: set[int] = set()
    tokens = tokenize.generate_tokens(io.StringIO(python).readline)
    kinds = {tokenize.STRING} | {getattr(tokenize, name) for name in ("FSTRING_MIDDLE", "FSTRING_END") if hasattr(tokenize, name)}
    for token in tokens:
        if token.type in kinds and token.end[0] > token.start[0]:
            inside.update(range(token.start[0] + 1, token.end[0] + 1))
    return inside


def _same_code(a: list[ast.stmt], b: list[ast.stmt]) -> bool:
    return ast.dump(ast.Module(body=a, type_ignores=[])) == ast.dump(ast.Module(body=b, type_ignores=[]))


def wrap_source(source: str) -> str:
    """The cell's code inside try/except that prints the traceback: see the module's docstring.

    Already wrapped code is returned as it is. Raises ValueError for code that does not
    compile, is empty, or whose wrapped form would not run the same statements.
    """
    if not isinstance(source, str):
        raise TypeError(f"expected the cell's source as a str, got {type(source).__name__}")
    if is_wrapped(source):
        return source
    python = _as_python(source).rstrip("\n")
    original = ast.parse(python).body
    if not original:
        raise ValueError("a cell tagged raises-exception has no code to run")
    keep = _string_continuation_lines(python)
    body = "\n".join(
        line if (number in keep or not line.strip()) else "    " + line
        for number, line in enumerate(python.split("\n"), start=1)
    )
    wrapped = (
        f"{NOTE}\ntry:\n{body}\nexcept Exception:\n    import traceback\n\n    traceback.print_exc()\n"
        f'else:\n    print("{NO_ERROR}")'
    )
    try:
        compile(wrapped, "<cell>", "exec", flags=_FLAGS, dont_inherit=True)
    except SyntaxError as error:  # e.g. `from __future__` cannot sit inside try
        raise ValueError(f"the cell cannot run inside try/except: {error}") from None
    tree = ast.parse(wrapped).body
    if len(tree) != 1 or not isinstance(tree[0], ast.Try) or not _same_code(tree[0].body, original):
        raise ValueError("wrapping the cell would change its code")  # pragma: no cover - a bug here
    return wrapped


def unwrapped_body(wrapped: str) -> list[ast.stmt]:
    """The statements inside the try of a wrapped cell (for tests and checks)."""
    tree = ast.parse(wrapped).body
    if not is_wrapped(wrapped) or len(tree) != 1 or not isinstance(tree[0], ast.Try):
        raise ValueError("not a cell wrapped by tools/expected_errors.py")
    return tree[0].body


def same_statements(wrapped: str, source: str) -> bool:
    """Whether the wrapped cell runs exactly the statements of `source`."""
    return _same_code(unwrapped_body(wrapped), ast.parse(_as_python(source).rstrip("\n")).body)
