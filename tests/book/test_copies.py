"""The student and instructor copies that `make copies` (tools/make_copies.py) writes.

On every chapter notebook that exists:

- **Student copies hide the solutions.** Every line of a student copy is a line of the
  source outside the solutions, or a stub line; so no line that appears only in a solution
  can be there. The markers, the solution dropdown cells and all outputs are gone.
- **Student copies change nothing else.** Every other cell is the source's cell, same
  type, text and metadata; each answer cell is the source's cell with each solution region
  replaced by `# YOUR CODE HERE` / `raise NotImplementedError()` at the marker's
  indentation; a deliberate error (`raises-exception`) is the source's code wrapped so that
  its traceback is printed and "Run all" goes on; every code cell still compiles.
- **Instructor copies are the source.** Same cells, same text, no outputs, plus nbgrader
  metadata on answer and check cells. Since every code cell is identical to the source,
  nbval executing the *sources* with CNN_BOOK_STRICT_CHECKS=1 (`make test`, and the book
  build) is an execution of the instructor copies in which every check must pass: a failing
  check raises in strict mode. Executing them a second time here would prove nothing more.
- **Student copies execute up to the stubs**, as a student in Colab runs them (no strict
  mode): every cell before the first stub runs, each check of a function still stubbed
  prints a fail saying NotImplementedError, and execution stops with NotImplementedError
  in a stub cell and in no earlier cell. The comment above the execution tests explains
  how this is shown for every chapter while only some are executed, within the CI budget.

The last part of the file tests make_copies on small in-memory notebooks, including broken
ones, so a copy that would leak is an error and the leak detector itself is shown to fire.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest

from tools import make_copies as mc

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB_LINES = {"# YOUR CODE HERE", "raise NotImplementedError()"}
#: Code that trains a network; a chapter that runs any before its first stub is not executed here.
TRAINS = re.compile(r"\.fit\(|\bfit_recipe\(|\btrain_or_load\(")


#: The lines a deliberate error's wrapper adds around the source's code (tools/expected_errors.py).
WRAPPER_LINES = {line.strip() for line in mc.expected_errors.wrap_source("pass").splitlines()} - {"pass", ""}
ids = [p.stem for p in CHAPTERS]


@pytest.fixture(scope="module")
def sources() -> dict[str, nbformat.NotebookNode]:
    return {p.stem: nbformat.read(p, as_version=4) for p in CHAPTERS}


# --- an independent reading of the source: which cells and lines are solutions ------------


def solution_spans(nb) -> list[tuple[int, int]]:
    """(solution-start cell, solution-end cell) pairs, found by their directive lines."""
    spans, start = [], None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        if re.search(r"^\s*(:{3,}|`{3,})\{solution-start\}", cell.source, re.MULTILINE):
            start = i
        elif re.search(r"^\s*(:{3,}|`{3,})\{solution-end\}", cell.source, re.MULTILINE) and start is not None:
            spans.append((start, i))
            start = None
    return spans


def split_regions(source: str) -> tuple[list[str], list[str]]:
    """(lines outside solution regions, lines inside them) of a code cell; markers in neither."""
    outside, inside, depth = [], [], False
    for line in source.splitlines():
        if line.strip() == BEGIN:
            depth = True
        elif line.strip() == END:
            depth = False
        else:
            (inside if depth else outside).append(line)
    return outside, inside


def expected_student_cell_source(source: str) -> str:
    """The source with each solution region replaced by the stub at the BEGIN line's indent."""
    return re.sub(
        rf"^([ \t]*){re.escape(BEGIN)}[ \t]*\n(?:.*\n)*?[ \t]*{re.escape(END)}[ \t]*$",
        lambda m: f"{m[1]}# YOUR CODE HERE\n{m[1]}raise NotImplementedError()",
        source,
        flags=re.MULTILINE,
    )


def public_and_secret_lines(nb) -> tuple[set[str], set[str]]:
    """Stripped non-blank lines the student may see, and those only a solution holds."""
    in_span = {i for a, b in solution_spans(nb) for i in range(a, b + 1)}
    public: set[str] = set()
    solution: set[str] = set()
    for i, cell in enumerate(nb.cells):
        outside, inside = split_regions(cell.source) if cell.cell_type == "code" else (cell.source.splitlines(), [])
        if i in in_span:
            solution.update(line.strip() for line in inside + (outside if cell.cell_type != "code" else []))
            if cell.cell_type == "code":
                public.update(line.strip() for line in outside)
        else:
            public.update(line.strip() for line in outside)
            solution.update(line.strip() for line in inside)
    public.discard("")
    solution.discard("")
    return public, solution - public


def leaks(student, source) -> list[str]:
    """Lines of a student copy that the student must not see (empty when all is well)."""
    public, secret = public_and_secret_lines(source)
    seen = {line.strip() for cell in student.cells for line in cell.source.splitlines()} - {""}
    found = sorted(seen & secret) + sorted(seen - public - STUB_LINES - WRAPPER_LINES - secret)
    found += [marker for marker in (BEGIN, END) if any(marker in c.source for c in student.cells)]
    return found


# --- the copies of the real chapters --------------------------------------------------------


@pytest.mark.parametrize("name", ids)
def test_student_copy_has_no_solution_code(name, sources):
    source = sources[name]
    student = mc.student_copy(source)
    assert leaks(student, source) == [], f"{name}: the student copy shows solution lines"
    _, secret = public_and_secret_lines(source)
    assert secret, f"{name}: no solution lines found at all; are its exercises marked?"
    for cell in student.cells:
        assert ":::{solution-start}" not in cell.source and "{solution-end}" not in cell.source
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("name", ids)
def test_student_copy_keeps_every_other_cell(name, sources):
    source = sources[name]
    student = mc.student_copy(source)
    in_span = {i for a, b in solution_spans(source) for i in range(a, b + 1)}
    kept = [c for i, c in enumerate(source.cells) if i not in in_span or c.cell_type == "code"]
    assert len(student.cells) == len(kept), f"{name}: cells were added or lost"
    stubs = 0
    for ours, theirs in zip(student.cells, kept, strict=True):
        assert ours.cell_type == theirs.cell_type and ours.metadata == theirs.metadata
        if theirs.cell_type == "code" and BEGIN in theirs.source:
            assert ours.source == expected_student_cell_source(theirs.source)
            stubs += ours.source.count("raise NotImplementedError()")
        elif "raises-exception" in theirs.metadata.get("tags", []):
            # a deliberate error, wrapped so that "Run all" goes on (tests/book/test_expected_errors.py)
            assert ours.source == mc.expected_errors.wrap_source(theirs.source)
        else:
            assert ours.source == theirs.source
    assert stubs == sum(c.source.count(BEGIN) for c in source.cells if c.cell_type == "code")
    assert student.metadata == source.metadata


@pytest.mark.parametrize("name", ids)
def test_student_copy_code_compiles(name, sources):
    """A stub at the wrong indentation would be a SyntaxError before the student starts."""
    from IPython.core.inputtransformer2 import TransformerManager

    transform = TransformerManager().transform_cell
    for i, cell in enumerate(mc.student_copy(sources[name]).cells):
        if cell.cell_type == "code":
            compile(transform(cell.source), f"{name} cell {i}", "exec")


@pytest.mark.parametrize("name", ids)
def test_instructor_copy_is_the_source(name, sources):
    """Same cells and text as the source (so nbval on the source, strict, runs these checks),
    no outputs, and nbgrader metadata on each answer and check cell."""
    source = sources[name]
    instructor = mc.instructor_copy(source)
    assert len(instructor.cells) == len(source.cells)
    graded = answers = 0
    for ours, theirs in zip(instructor.cells, source.cells, strict=True):
        assert (ours.cell_type, ours.source) == (theirs.cell_type, theirs.source)
        extra = {k: v for k, v in ours.metadata.items() if k != "nbgrader"}
        assert extra == theirs.metadata
        if ours.cell_type == "code":
            assert ours.outputs == [] and ours.execution_count is None
            meta = ours.metadata.get("nbgrader")
            if BEGIN in ours.source:
                assert meta and meta["solution"] and not meta["grade"]
                answers += 1
            elif meta:
                assert meta["grade"] and meta["points"] == 1 and re.match(r"\S+-check$", meta["grade_id"])
                graded += 1
    assert graded == len(solution_spans(source)) and answers >= graded
    grade_ids = [c.metadata["nbgrader"]["grade_id"] for c in instructor.cells if "nbgrader" in c.metadata]
    assert len(grade_ids) == len(set(grade_ids)), "nbgrader needs unique grade ids"


def test_make_copies_command_writes_both_sets(tmp_path):
    """The documented command, run as `make copies` runs it, writes every chapter twice."""
    if not CHAPTERS:
        pytest.skip("no chapter notebooks yet")
    run = subprocess.run(
        [sys.executable, "tools/make_copies.py", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    for kind in ("student", "instructor"):
        written = sorted(p.name for p in (tmp_path / kind).glob("*.ipynb"))
        assert written == [p.name for p in CHAPTERS]
        for name in written:
            assert f"wrote {tmp_path / kind / name}" in run.stdout
        with zipfile.ZipFile(tmp_path / f"{kind}.zip") as archive:
            extra = ["nbgrader_config.py"] if kind == "instructor" else []  # the grading budget
            assert sorted(archive.namelist()) == sorted(extra + [f"{kind}/{n}" for n in written])
    assert (tmp_path / "nbgrader_config.py").read_text() == (ROOT / "tools" / "nbgrader_config.py").read_text()
    for path in CHAPTERS:
        student = nbformat.read(tmp_path / "student" / path.name, as_version=4)
        nbformat.validate(student)
        assert leaks(student, nbformat.read(path, as_version=4)) == []


# --- executing the student copies -----------------------------------------------------------
#
# What a run of a student copy could reveal, and where each part is shown:
# (1) The cells before the first stub run. They are the source's cells, unchanged and in the
#     same order (test_student_copy_keeps_every_other_cell), and nbval and the book build
#     execute the source; so they run here too.
# (2) A stub at the top level of its cell stops the run with NotImplementedError, there.
#     The cell's lines before the stub are the source's lines (same test), run in the same
#     state as in the source, so they run; the stub's `raise` comes next.
# (3) A stub inside a function does not stop the run: the cell only defines the function,
#     and its check calls it. Then the check must print a fail that names the stub rather
#     than crash, and no other cell may call the stubbed function. This depends on each
#     chapter's own check functions, so it is tested for every such exercise, in-process
#     and in milliseconds (test_stubbed_functions_fail_their_checks_gently).
# (4) Nothing of the above was missed: the student copies of some chapters are executed
#     for real with nbclient (test_student_copy_runs_up_to_its_stubs).


def stub_cells(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "raise NotImplementedError()" in c.source]


def first_stub_index(nb) -> int:
    """Index of the first cell with a stub (the number of cells when there is none)."""
    return next(iter(stub_cells(nb)), len(nb.cells))


def stubbed_function(source: str) -> str | None:
    """The name of the function whose body holds the cell's stub, or None for a stub at the
    top level of the cell (or inside an `if` or a loop, which run when the cell runs)."""
    from IPython.core.inputtransformer2 import TransformerManager

    tree = ast.parse(TransformerManager().transform_cell(source))
    raises = [
        n.lineno for n in ast.walk(tree)
        if isinstance(n, ast.Raise) and isinstance(n.exc, ast.Call)
        and getattr(n.exc.func, "id", "") == "NotImplementedError"
    ]
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for line in raises[:1]:
        around = [f for f in functions if f.lineno <= line <= f.end_lineno]
        if around:
            return min(around, key=lambda f: f.end_lineno - f.lineno).name
    return None


def exercises_of(student) -> list[tuple[int, int | None]]:
    """(answer cell, check cell or None) for each stub cell of a student copy; the check is
    the next code cell when it is a call of a check_* function."""
    pairs = []
    for i in stub_cells(student):
        after = next((j for j in range(i + 1, len(student.cells)) if student.cells[j].cell_type == "code"), None)
        is_check = after is not None and re.match(r"\s*check_\w+\(", student.cells[after].source)
        pairs.append((i, after if is_check else None))
    return pairs


def _saved(recipe_name: str) -> bool:
    """Whether `helpers.training.<recipe_name>` has a model saved for exactly that recipe in
    $CNN_BOOK_MODELS, so that `train_or_load` reloads it in seconds instead of training."""
    import json

    from helpers import training

    recipe = getattr(training, recipe_name, None)
    if not isinstance(recipe, training.Recipe):
        return False  # a recipe made in the notebook: we cannot tell, so count it as training
    folder = training.models_dir()
    meta = folder / f"{recipe.name}.json"
    try:
        fingerprint = json.loads(meta.read_text()).get("fingerprint")
    except (OSError, ValueError):
        return False
    return (folder / f"{recipe.name}.keras").is_file() and fingerprint == recipe.fingerprint()


def training_before_first_stub(nb) -> str | None:
    """The first call before the first stub that would train a network, or None.

    `.fit(` and `fit_recipe(` always train; `train_or_load(RECIPE, ...)` (SEED_RECIPE when no
    recipe is named) trains unless that recipe's model is saved in $CNN_BOOK_MODELS, as it
    is after `make book` or any earlier run of chapter 5.
    """
    stop = first_stub_index(nb)
    for cell in nb.cells[:stop]:
        if cell.cell_type != "code":
            continue
        for found in TRAINS.finditer(cell.source):
            if found[0] != "train_or_load(":
                return found[0]
            argument = re.match(r"\s*(?:\w+\.)*([A-Za-z_]\w*)?\s*[,)]", cell.source[found.end():])
            name = argument[1] if argument and argument[1] else "SEED_RECIPE"
            if not _saved(name):
                return f"train_or_load({name}) without a saved model"
    return None


@pytest.mark.parametrize("name", ids)
def test_stubbed_functions_fail_their_checks_gently(name, sources, monkeypatch, capsys):
    """Point (3) above, for every exercise whose stub sits in a function, in every chapter
    (those that train included): define the stubbed function as the student copy does, run
    its check cell, and expect a printed fail naming NotImplementedError, no exception; in
    strict mode (an autograder) a CheckFailed. And no later cell but its check calls it."""
    import helpers.checks

    student = mc.student_copy(sources[name])
    tried = 0
    for answer, check in exercises_of(student):
        function = stubbed_function(student.cells[answer].source)
        if function is None:
            continue
        later = [j for j in range(answer + 1, len(student.cells)) if j != check and student.cells[j].cell_type == "code"]
        users = [j for j in later if re.search(rf"\b{function}\s*\(", student.cells[j].source)]
        assert not users, f"{name}: cells {users} call {function}, which is a stub in the student copy"
        assert check is not None, f"{name}: no check cell after the answer cell {answer}"
        for strict in ("", "1"):
            monkeypatch.setenv("CNN_BOOK_STRICT_CHECKS", strict)
            namespace = {"np": np, **{k: getattr(helpers.checks, k) for k in dir(helpers.checks) if k.startswith("check_")}}
            exec(compile(student.cells[answer].source, f"{name} cell {answer}", "exec"), namespace)
            code = compile(student.cells[check].source, f"{name} cell {check}", "exec")
            if strict:
                with pytest.raises(helpers.checks.CheckFailed, match="NotImplementedError"):
                    exec(code, namespace)
            else:
                exec(code, namespace)
                out = capsys.readouterr().out
                assert "❌" in out and "NotImplementedError" in out, f"{name}: {function}'s check printed {out!r}"
        tried += 1
    if not tried:
        pytest.skip("no stub inside a function in this chapter")


def chapters_to_execute(sources) -> dict[str, str]:
    """{chapter: why it is executed} for point (4): the first chapter, in book order, that
    trains nothing before its first stub, as an end-to-end run; and every other chapter that
    trains nothing and whose first stub is inside a function, where the run goes on past
    checks that must fail gently."""
    chosen: dict[str, str] = {}
    for name in ids:
        student = mc.student_copy(sources[name])
        if training_before_first_stub(student) or not stub_cells(student):
            continue
        if not chosen:
            chosen[name] = "the first chapter that trains nothing: an end-to-end run"
        elif stubbed_function(student.cells[first_stub_index(student)].source):
            chosen[name] = "its first stub is inside a function"
    return chosen


@pytest.mark.parametrize("name", ids)
def test_student_copy_runs_up_to_its_stubs(name, sources, mnist_path, monkeypatch):
    """Execute a student copy as a student would (no strict mode) and watch where it stops.

    Every cell up to the stop must run; the stop must be a NotImplementedError in a stub
    cell; each check cell run before it (a stubbed function's check) must print a fail that
    names NotImplementedError; if no stub stops it, every stub was in a function and every
    check said so.

    Executing every chapter would take minutes of CI time to show again what points (1)-(3)
    above already show, so `chapters_to_execute` picks the runs that add something: one
    end-to-end run, and the chapters whose first stub is inside a function, where the run
    continues past it. A chapter that would train before its first stub (chapter 5 always;
    any chapter whose model is not saved in $CNN_BOOK_MODELS) is never executed here: it
    would spend minutes training exactly what the source already trains.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    student = mc.student_copy(sources[name])
    chosen = chapters_to_execute(sources)
    if name not in chosen:
        trains = training_before_first_stub(student)
        why = f"runs {trains!r} before its first stub" if trains else "stops at a top-level stub, shown statically"
        pytest.skip(f"not executed: {why} (see the comment above this test)")
    monkeypatch.delenv("CNN_BOOK_STRICT_CHECKS", raising=False)
    client = NotebookClient(
        student, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "chapters")}}
    )
    stubs = stub_cells(student)
    stopped = None
    with client.setup_kernel():
        for i, cell in enumerate(student.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, i)
            except CellExecutionError as error:
                stopped = (i, error.ename, str(error.evalue))
                break
    assert stopped is not None or stubs, f"{name}: no stub stopped the run"
    checks_run = [
        c for c in student.cells[: stopped[0] if stopped else None]
        if c.cell_type == "code" and re.match(r"\s*check_\w+\(", c.source)
    ]
    for cell in checks_run:
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert "❌" in text and "NotImplementedError" in text, f"{name}: check printed {text!r}"
    if stopped:
        index, ename, evalue = stopped
        assert ename == "NotImplementedError", f"{name}: cell {index} raised {ename}: {evalue}"
        assert index in stubs, f"{name}: NotImplementedError in cell {index}, which is not a stub cell"


# --- make_copies on small notebooks, good and broken ----------------------------------------

md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell


def tiny(answer: str, *, between: list | None = None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        md("# Title"),
        code("from helpers.checks import check_number", outputs=[], execution_count=3),
        md(":::{exercise} Size\n:label: ex-size\n:::"),
        md(":::{solution-start} ex-size\n:class: dropdown\n:::"),
        *(between or []),
        code(answer),
        md(":::{solution-end}\n:::"),
        code("check_number('size', size, 26)"),
    ]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello")]
    return nb


def test_stub_keeps_indentation_and_surrounding_lines():
    source = (
        "def scale(x):\n    \"\"\"Scale to [0, 1].\"\"\"\n"
        f"    {BEGIN}\n    y = x / 255\n    return y.astype('float32')\n    {END}\n\n\nresult = scale(x)"
    )
    student = mc.student_copy(tiny(source))
    answer = student.cells[3].source
    assert answer == (
        "def scale(x):\n    \"\"\"Scale to [0, 1].\"\"\"\n"
        "    # YOUR CODE HERE\n    raise NotImplementedError()\n\n\nresult = scale(x)"
    )
    assert answer == expected_student_cell_source(source)


def test_several_regions_in_one_cell():
    source = f"{BEGIN}\na = 1\n{END}\nprint('kept')\nif True:\n    {BEGIN}\n    b = 2\n    {END}"
    answer = mc.student_copy(tiny(source)).cells[3].source
    assert answer.count("raise NotImplementedError()") == 2 and "a = 1" not in answer and "b = 2" not in answer
    assert "print('kept')" in answer and "    raise NotImplementedError()" in answer


def test_copies_strip_outputs_drop_solution_cells_and_leave_the_input_alone():
    nb = tiny(f"{BEGIN}\nsize = 26\n{END}", between=[md("We subtract the kernel and add one.")])
    before = nbformat.writes(nb)
    student, instructor = mc.student_copy(nb), mc.instructor_copy(nb)
    assert nbformat.writes(nb) == before, "make_copies changed its input"
    assert [c.source for c in student.cells if c.cell_type == "markdown"] == [
        "# Title", ":::{exercise} Size\n:label: ex-size\n:::"
    ]
    assert all(c.outputs == [] and c.execution_count is None for c in student.cells + instructor.cells if c.cell_type == "code")
    assert [c.source for c in instructor.cells] == [c.source for c in nb.cells]
    assert instructor.cells[5].metadata["nbgrader"]["grade_id"] == "ex-size-answer"
    assert instructor.cells[7].metadata["nbgrader"]["grade_id"] == "ex-size-check"
    assert leaks(student, nb) == []


@pytest.mark.parametrize(
    ("answer", "between", "message"),
    [
        ("size = 26", None, "is code without"),
        (f"{BEGIN}\nsize = 26", None, "never closed"),
        (f"{BEGIN}\n{BEGIN}\nsize = 26\n{END}", None, "inside another"),
        (f"size = 26\n{END}", None, "without a"),
        (f"{BEGIN}\nsize = 26\n{END}", [code("helper = 1")], "is code without"),
    ],
)
def test_a_solution_that_would_leak_is_an_error(answer, between, message):
    with pytest.raises(ValueError, match=message):
        mc.student_copy(tiny(answer, between=between))


def test_unmatched_solution_directives_are_errors():
    nb = tiny(f"{BEGIN}\nsize = 26\n{END}")
    del nb.cells[5]  # the solution-end
    with pytest.raises(ValueError, match="has no solution-end"):
        mc.student_copy(nb)
    nb = tiny(f"{BEGIN}\nsize = 26\n{END}")
    del nb.cells[3]  # the solution-start
    with pytest.raises(ValueError, match="solution-end without"):
        mc.student_copy(nb)


def test_the_leak_detector_fires():
    """A student copy with one solution line put back, or a marker left, is reported."""
    nb = tiny(f"{BEGIN}\nsize = 28 - 3 + 1\n{END}")
    student = mc.student_copy(nb)
    assert leaks(student, nb) == []
    student.cells[3].source += "\nsize = 28 - 3 + 1"
    assert leaks(student, nb) == ["size = 28 - 3 + 1"]
    student = mc.student_copy(nb)
    student.cells[3].source = f"{BEGIN}\n" + student.cells[3].source
    assert BEGIN in leaks(student, nb)


def test_the_command_refuses_a_broken_notebook(tmp_path):
    broken = tmp_path / "01_broken.ipynb"
    nbformat.write(tiny("size = 26"), broken)
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_copies.py"), "--out", str(tmp_path / "out"), str(broken)],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode != 0 and "is code without" in run.stderr
    assert not (tmp_path / "out").exists(), "nothing is written when a notebook is broken"
