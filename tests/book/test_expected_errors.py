"""Deliberate errors do not stop "Run all" in the copies a student runs.

The book shows a deliberate error with a cell tagged `raises-exception`; Colab's and
Jupyter's "Run all" know no tags and stop at the first error. `tools/expected_errors.py`
wraps such a cell so that its traceback is printed and the notebook goes on, and both
`tools/make_colab.py` (the Colab copy) and `tools/make_copies.py` (the student copy) apply
it to every tagged cell of every notebook, chapters and appendix pages alike. What is shown:

- the wrapped cell runs the cell's own statements (same syntax tree), strings untouched,
  IPython syntax included, and prints the real error's traceback instead of raising;
- a cell that unexpectedly raises nothing says so;
- every tagged cell of every notebook is wrapped in both copies, no other cell is, and the
  source notebook (hence the book's page, which shows the real error) is not changed;
- executed with nbclient *ignoring tags* (as Colab does), a wrapped copy of a notebook with
  several deliberate errors runs to its last cell.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import pytest

from tools import expected_errors as ee
from tools import make_colab, make_copies

ROOT = Path(__file__).resolve().parents[2]


NOTEBOOKS = sorted([*ROOT.glob("chapters/[0-9][0-9]_*.ipynb"), *ROOT.glob("appendix/**/*.ipynb")])
TAGGED = {"metadata": {"tags": ["raises-exception"]}}


def run_wrapped(source: str, namespace: dict | None = None) -> dict:
    namespace = {} if namespace is None else namespace
    exec(compile(ee.wrap_source(source), "<cell>", "exec"), namespace)
    return namespace


# --- the wrapper on small cells -------------------------------------------------------------

def test_a_wrapped_cell_prints_the_traceback_and_goes_on(capsys):
    namespace = run_wrapped("before = 1\nlen(3)\nafter = 2")
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "TypeError: object of type 'int' has no len()" in err
    assert namespace["before"] == 1 and "after" not in namespace, "the same statements, stopped at the same line"


def test_the_wrapped_cell_starts_with_a_one_line_note_and_keeps_the_code():
    source = "x = [1, 2]\nx[5]  # IndexError"
    wrapped = ee.wrap_source(source)
    assert wrapped.splitlines()[0] == ee.NOTE and "fails on purpose" in ee.NOTE
    assert "    x[5]  # IndexError" in wrapped.splitlines(), "the line and its comment, indented"
    assert ee.same_statements(wrapped, source)
    assert ee.wrap_source(wrapped) == wrapped, "wrapping twice changes nothing"


def test_a_cell_that_does_not_fail_says_so(capsys):
    run_wrapped("y = 3")
    assert ee.NO_ERROR in capsys.readouterr().out


def test_multi_line_strings_are_not_changed(capsys):
    source = 'text = """one\n  two\nthree"""\nformatted = f"""{text}\n  four"""\nraise ValueError(text)'
    namespace = run_wrapped(source)
    assert namespace["text"] == "one\n  two\nthree" and namespace["formatted"] == "one\n  two\nthree\n  four"
    assert "ValueError: one" in capsys.readouterr().err


def test_ipython_syntax_is_wrapped_as_ipython_runs_it():
    wrapped = ee.wrap_source("%time x = 1\nx.missing")
    assert "get_ipython().run_line_magic('time', 'x = 1')" in wrapped
    assert ee.same_statements(wrapped, "%time x = 1\nx.missing")


@pytest.mark.parametrize("bad", ["", "# only a comment", "def broken(:\n    pass", "from __future__ import annotations"])
def test_code_that_cannot_be_wrapped_is_an_error(bad):
    with pytest.raises(ValueError):
        ee.wrap_source(bad)
    with pytest.raises(TypeError, match="str"):
        ee.wrap_source(["x = 1"])


def _tiny_notebook(n_errors: int) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A page\n\nText.")]
    for i in range(n_errors):
        nb.cells += [
            nbformat.v4.new_code_cell(f"value_{i} = {i}"),
            nbformat.v4.new_code_cell(f"int('not a number {i}')", metadata=copy.deepcopy(TAGGED["metadata"])),
        ]
    nb.cells.append(nbformat.v4.new_code_cell("print('reached the end')"))
    return nb


def test_the_student_copy_wraps_every_tagged_cell_and_nothing_else():
    nb = _tiny_notebook(3)
    student = make_copies.student_copy(nb)
    for ours, theirs in zip(student.cells, nb.cells, strict=True):
        if ee.is_expected_error(theirs):
            assert ours.source == ee.wrap_source(theirs.source)
        else:
            assert ours.source == theirs.source
    assert "NOTE" not in nb.cells[2].source and not ee.is_wrapped(nb.cells[2].source), "the source is unchanged"


def test_a_tagged_answer_cell_is_refused_in_the_student_copy():
    nb = _tiny_notebook(0)
    nb.cells.insert(1, nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION",
                                                 metadata=copy.deepcopy(TAGGED["metadata"])))
    with pytest.raises(ValueError, match="NotImplementedError would be caught"):
        make_copies.student_copy(nb)


def test_a_wrapped_copy_runs_to_its_end_in_a_kernel_that_ignores_tags():
    """Colab's semantics: tags ignored, the run stops at the first error (none here)."""
    from nbclient import NotebookClient

    nb = make_copies.student_copy(_tiny_notebook(2))
    for cell in nb.cells:
        cell.metadata.pop("tags", None)
    NotebookClient(nb, timeout=120, kernel_name="python3", force_raise_errors=True).execute()
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)
    assert not [out for cell in code for out in cell.outputs if out.output_type == "error"]
    errors = [cell for cell in code if "Traceback" in "".join(o.get("text", "") for o in cell.outputs)]
    assert len(errors) == 2 and all("ValueError: invalid literal for int()" in "".join(o.get("text", "") for o in c.outputs)
                                    for c in errors)
    assert "reached the end" in code[-1].outputs[0]["text"]


# --- every notebook of the book --------------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_tagged_cell_is_wrapped_in_the_student_copy(path):
    source = nbformat.read(path, as_version=4)
    student = make_copies.student_copy(source)
    tagged = [cell.source for cell in source.cells if ee.is_expected_error(cell)]
    wrapped = [cell.source for cell in student.cells if cell.cell_type == "code" and ee.is_wrapped(cell.source)]
    assert wrapped == [ee.wrap_source(text) for text in tagged]
    assert all(ee.same_statements(w, t) for w, t in zip(wrapped, tagged, strict=True))


@pytest.mark.parametrize("path", sorted(ROOT.glob("chapters/[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem)
def test_every_tagged_cell_is_wrapped_in_the_colab_copy(path):
    index = make_colab.BookIndex(site="https://example.github.io/book/")
    rel = path.relative_to(ROOT).as_posix()
    source = json.loads(path.read_text())
    # Only the code cells matter here: markdown needs the built book's index, so it is left out.
    code_cells = [{**c, "metadata": {k: v for k, v in c["metadata"].items() if k != "mystnb"}}
                  for c in source["cells"] if c["cell_type"] == "code"]
    only_code = {**source, "cells": [{**source["cells"][0], "source": "# Title\n"}, *code_cells]}
    colab = make_colab.convert_notebook(only_code, rel, index)
    tagged = ["".join(c["source"]) for c in source["cells"] if ee.is_expected_error(c)]
    wrapped = ["".join(c["source"]) for c in colab["cells"] if c["cell_type"] == "code"
               and ee.NOTE in "".join(c["source"])]
    assert [text.split("\n", 1)[1] if text.startswith("# @title") else text for text in wrapped] == [
        ee.wrap_source(text) for text in tagged
    ]

