"""nbgrader configuration for grading this book's chapters: the grading budget.

`tools/make_copies.py` writes this file next to the instructor copies (and into
`instructor.zip`); put it in the root of the nbgrader course folder, where nbgrader reads
`nbgrader_config.py` by itself. It changes one thing: **what `nbgrader autograde` runs**.

A chapter teaches before it asks, and the teaching trains networks (chapter 5 trains the
article's network for 10 epochs; chapters 6-9 load or train it). The marks come only from
the exercises. So while grading, each submitted notebook runs its setup cell, its import
cells, every cell of the exercises section, and the lesson cells that define a name the
exercises use (found by reading the code, `grading_plan`). Every other lesson cell is
skipped: its code is not run and comes back unchanged, without output, in the graded
notebook. Chapters 5-9 then grade in under a minute a notebook instead of minutes
(tests/build/test_nbgrader.py prints each chapter's time).

- Names the exercises use are still computed for real: chapter 6's top-2 exercise needs the
  trained model's probabilities, so its cells that load the model and predict run.
  `train_or_load` loads the model from `$CNN_BOOK_MODELS` when it is there (run the book
  or chapter 5 once, with the same `CNN_BOOK_MODELS`), and trains it (minutes) otherwise.
- Chapter 5's learning-rate exercise trains two small networks itself (3 epochs on 5,000
  images each): that is the student's answer, and it runs.
- `CNN_BOOK_GRADE_EVERYTHING=1` turns the budget off: every cell runs, as in the book.
"""

from __future__ import annotations

import ast
import os
import re

from nbconvert.preprocessors import ClearMetadataPreprocessor, Preprocessor
from traitlets import Bool

#: Set to 1 to run every cell while grading (no budget).
EVERYTHING_ENV_VAR = "CNN_BOOK_GRADE_EVERYTHING"
#: The first markdown cell holding this starts the exercises section.
EXERCISE_DIRECTIVE = re.compile(r"^\s*(?::{3,}|`{3,})\{exercise\}", re.MULTILINE)
SKIPPED_KEY = "cnn_book_skipped_while_grading"
#: Every chapter's shared setup cell starts so (tools/sync_notebooks.py writes it); it always runs.
SETUP_MARKER = "# Setup: in Colab, first install this book's helpers"
_MAGIC = re.compile(r"^(\s*)[%!].*$", re.MULTILINE)


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _loads(node: ast.AST) -> set[str]:
    """Names an expression or statement reads, less those its comprehensions and lambdas bind."""
    loads, bound = set(), set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            loads.add(sub.id)
        elif isinstance(sub, ast.comprehension):
            bound.update(n.id for n in ast.walk(sub.target) if isinstance(n, ast.Name))
        elif isinstance(sub, ast.arg):
            bound.add(sub.arg)
    return loads - bound


def _stores(node: ast.AST) -> set[str]:
    return {sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del))}


def _scan(statements: list[ast.stmt], defined: set[str], read: set[str]) -> None:
    """Walk `statements` in order: a name read before the cell defines it goes into `read`."""
    for st in statements:
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(st.name)  # its body reads globals when it runs, later
            read |= (_loads(st) - _stores(st)) - defined
        elif isinstance(st, (ast.Import, ast.ImportFrom)):
            defined.update((alias.asname or alias.name).split(".")[0] for alias in st.names)
        elif isinstance(st, (ast.For, ast.AsyncFor)):
            read |= _loads(st.iter) - defined
            defined |= _stores(st.target)
            _scan(st.body + st.orelse, defined, read)
        elif isinstance(st, (ast.If, ast.While)):
            read |= _loads(st.test) - defined
            _scan(st.body + st.orelse, defined, read)
        elif isinstance(st, (ast.With, ast.AsyncWith)):
            for item in st.items:
                read |= _loads(item.context_expr) - defined
                if item.optional_vars is not None:
                    defined |= _stores(item.optional_vars)
            _scan(st.body, defined, read)
        elif isinstance(st, ast.Try):
            _scan(st.body, defined, read)
            for handler in st.handlers:
                if handler.name:
                    defined.add(handler.name)
                _scan(handler.body, defined, read)
            _scan(st.orelse + st.finalbody, defined, read)
        else:  # an expression or assignment reads first, then binds
            read |= _loads(st) - defined
            defined |= _stores(st)


def cell_names(source: str) -> tuple[set[str], set[str]] | None:
    """(names the cell defines, names it reads before defining them), or None if unreadable.

    Statements are read in order, so `x = x * 2` reads `x`. IPython magics (`%pip`, `!ls`)
    read as `pass`. Names a function body reads count as read (they are looked up when the
    function runs)."""
    try:
        tree = ast.parse(_MAGIC.sub(r"\1pass", source))
    except SyntaxError:
        return None
    defined: set[str] = set()
    read: set[str] = set()
    _scan(tree.body, defined, read)
    return defined, read


def _imports_only(source: str) -> bool:
    try:
        tree = ast.parse(_MAGIC.sub(r"\1pass", source))
    except SyntaxError:
        return False
    return bool(tree.body) and all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in tree.body)


def grading_plan(nb) -> list[bool]:
    """For each cell of `nb`, whether it runs while grading (markdown cells: False).

    Runs: the setup cell, a cell that cannot be parsed, a cell of imports only, every code cell from the first `{exercise}` on, and, working backwards, every
    earlier cell that defines a name a running cell after it reads."""
    cells = nb["cells"]
    first_exercise = next((i for i, cell in enumerate(cells) if cell["cell_type"] == "markdown"
                           and EXERCISE_DIRECTIVE.search(_source(cell))), len(cells))
    runs = [False] * len(cells)
    needed: set[str] = set()
    for index in reversed(range(len(cells))):
        cell = cells[index]
        if cell["cell_type"] != "code":
            continue
        names = cell_names(_source(cell))
        setup = _source(cell).startswith(SETUP_MARKER)
        if names is None or setup or index >= first_exercise or _imports_only(_source(cell)):
            runs[index] = True
        elif names[0] & needed:
            runs[index] = True
        if runs[index] and names is not None:
            defined, read = names
            needed = (needed - defined) | read
    return runs


class SkipLessonCells(Preprocessor):
    """Before execution: empty each lesson cell the grading plan skips (its code kept aside)."""

    enabled = Bool(True)  # nbconvert's preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        if os.environ.get(EVERYTHING_ENV_VAR) == "1":
            return nb, resources
        for cell, runs in zip(nb.cells, grading_plan(nb), strict=True):
            if cell.cell_type == "code" and not runs:
                cell.metadata[SKIPPED_KEY] = cell.source
                cell.source = "# (a lesson cell, not run while grading: see nbgrader_config.py)"
        return nb, resources


class RestoreLessonCells(Preprocessor):
    """After execution: put each skipped cell's code back, without output."""

    enabled = Bool(True)

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if SKIPPED_KEY in cell.get("metadata", {}):
                cell.source = cell.metadata.pop(SKIPPED_KEY)
                cell.outputs = []
                cell.execution_count = None
        return nb, resources


if "get_config" in globals():  # read by nbgrader as its config file (traitlets defines get_config)
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        Execute,
        IgnorePattern,
        LimitOutput,
        SaveAutoGrades,
    )

    c = get_config()  # noqa: F821 (nbgrader defines it when it reads this file)
    c.Autograde.autograde_preprocessors = [
        SkipLessonCells, Execute, RestoreLessonCells, IgnorePattern, ClearMetadataPreprocessor,
        LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
    ]
    c.Execute.timeout = 600
