"""Write the student and instructor copies of every chapter: `make copies`.

One source, three outputs. The chapters (`chapters/NN_slug.ipynb`) are the book, with each
solution in a dropdown that the build executes. From them this script writes

- `_build/copies/student/NN_slug.ipynb`: each solution's code between `### BEGIN SOLUTION`
  and `### END SOLUTION` replaced, marker lines included, by `# YOUR CODE HERE` and
  `raise NotImplementedError()` at the marker's indentation (nbgrader's own stub); the
  `{solution-start}` / `{solution-end}` cells and any prose between them removed; outputs
  stripped. A cell tagged `raises-exception` (a deliberate error) runs inside try/except
  that prints the traceback, with a one-line note that the error is meant
  (`tools/expected_errors.py`), so that Jupyter's "Run all" goes on past it. Every other
  cell is left exactly as in the source, checks included.
- `_build/copies/instructor/NN_slug.ipynb`: the source with outputs stripped, solutions
  kept, and nbgrader metadata on each answer cell (an "autograded answer") and each check
  cell (an "autograder test" worth 1 point), so the folder can serve as an nbgrader
  `source/` assignment as it is.
- `_build/copies/nbgrader_config.py`: the grading budget (a copy of `tools/nbgrader_config.py`):
  in an nbgrader course folder it makes `nbgrader autograde` run, of each chapter, the setup,
  the imports, the exercises and only the lesson cells they need, so that chapters 5-9, which
  train networks, grade in under a minute a notebook (see the instructor guide).
- `_build/copies/student.zip` and `_build/copies/instructor.zip`: the two folders, ready to
  upload to a learning platform; the instructor's holds `nbgrader_config.py` as well.

Usage (from the repository root)::

    make copies                                   # every chapter, into _build/copies
    python tools/make_copies.py --out DIR         # somewhere else
    python tools/make_copies.py chapters/03_*.ipynb   # only some chapters

Checks never print the expected value of a single-number answer to a student; run the
instructor copy (or `nbgrader autograde`) with ``CNN_BOOK_SHOW_EXPECTED=1`` to see it in the
fail lines. `tests/build/test_nbgrader.py` autogrades these copies of all nine chapters with nbgrader.

The functions `student_copy(nb)` and `instructor_copy(nb)` work on in-memory notebooks and
never change their argument; the tests use them. A notebook whose solutions are malformed
(unbalanced markers, a solution without a stub to write) is an error, never a leaky copy.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as `python tools/make_copies.py`: import from the repository root
    sys.path.insert(0, str(ROOT))

from tools import expected_errors  # noqa: E402

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")

_FENCE = r"^\s*(?::{3,}|`{3,})"
SOLUTION_START = re.compile(_FENCE + r"\{solution-start\}[ \t]*(?P<label>\S*)", re.MULTILINE)
SOLUTION_END = re.compile(_FENCE + r"\{solution-end\}", re.MULTILINE)


def cell_text(cell: dict[str, Any]) -> str:
    """A cell's source as one string (nbformat gives a string, raw JSON may give a list)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def has_solution(text: str) -> bool:
    """Whether a code cell's text holds an nbgrader solution marker (BEGIN or END)."""
    return any(line.strip() in (BEGIN, END) for line in text.splitlines())


def stub_solutions(text: str) -> str:
    """Replace every `### BEGIN SOLUTION` ... `### END SOLUTION` region by the stub.

    The two stub lines take the indentation of the BEGIN line, so a solution inside a
    function body stays inside it. Lines outside the regions are kept as they are.
    Raises ValueError for a region that is not closed, nested, or ends without a start.
    """
    out: list[str] = []
    inside = False
    for number, line in enumerate(text.split("\n"), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise ValueError(f"line {number}: {BEGIN!r} inside another solution region.")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + stub for stub in STUB)
        elif marker == END:
            if not inside:
                raise ValueError(f"line {number}: {END!r} without a {BEGIN!r} before it.")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"a {BEGIN!r} region is never closed by {END!r}.")
    return "\n".join(out)


def solution_blocks(nb: dict[str, Any]) -> list[tuple[int, int, str]]:
    """(index of the `{solution-start}` cell, index of its `{solution-end}` cell, label) for
    every solution in the notebook, in order. Raises ValueError for unmatched directives."""
    blocks: list[tuple[int, int, str]] = []
    start: tuple[int, str] | None = None
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        text = cell_text(cell)
        opening = SOLUTION_START.search(text)
        closing = SOLUTION_END.search(text)
        if opening and closing:
            raise ValueError(f"cell {index}: solution-start and solution-end must be separate cells.")
        if opening:
            if start is not None:
                raise ValueError(f"cell {index}: a solution starts before solution '{start[1]}' ends.")
            start = (index, opening.group("label"))
        elif closing:
            if start is None:
                raise ValueError(f"cell {index}: a solution-end without a solution-start.")
            blocks.append((start[0], index, start[1]))
            start = None
    if start is not None:
        raise ValueError(f"cell {start[0]}: solution '{start[1]}' has no solution-end.")
    return blocks


def _stripped(cell: dict[str, Any]) -> dict[str, Any]:
    if cell["cell_type"] == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    return cell


def student_copy(nb: dict[str, Any]) -> dict[str, Any]:
    """The student's notebook: solutions replaced by stubs, solution cells removed, no outputs.

    Inside a solution block the markdown cells go and each code cell keeps only its lines
    outside the solution regions, plus the stub. A code cell inside a block with no
    `### BEGIN SOLUTION` would hand out its code, so it is a ValueError. A solution region in
    a cell outside any block is stubbed too. A cell tagged `raises-exception` is wrapped so
    that its error is printed and the notebook goes on (an answer cell cannot be one: its
    stub's NotImplementedError would be caught). Every other cell is kept as it is.
    """
    nb = copy.deepcopy(nb)
    blocks = solution_blocks(nb)
    inside = {i: label for start, end, label in blocks for i in range(start, end + 1)}
    boundaries = {i for start, end, _ in blocks for i in (start, end)}
    cells = []
    for index, cell in enumerate(nb["cells"]):
        text = cell_text(cell)
        if index in boundaries or (index in inside and cell["cell_type"] != "code"):
            continue
        if cell["cell_type"] == "code":
            if index in inside and not has_solution(text):
                raise ValueError(
                    f"cell {index} (solution '{inside[index]}') is code without {BEGIN!r}: "
                    "the student copy would show it."
                )
            if has_solution(text):
                if expected_errors.is_expected_error(cell):
                    raise ValueError(
                        f"cell {index} is tagged {expected_errors.TAG!r} and holds a solution: "
                        "the stub's NotImplementedError would be caught and printed."
                    )
                try:
                    cell["source"] = stub_solutions(text)
                except ValueError as error:
                    raise ValueError(f"cell {index}: {error}") from None
            elif expected_errors.is_expected_error(cell):
                try:
                    cell["source"] = expected_errors.wrap_source(text)
                except ValueError as error:
                    raise ValueError(f"cell {index} ({expected_errors.TAG}): {error}") from None
        cells.append(_stripped(cell))
    nb["cells"] = cells
    return nb


def _nbgrader(grade_id: str, *, solution: bool) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": not solution,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if not solution:
        meta["points"] = 1
    return meta


def instructor_copy(nb: dict[str, Any]) -> dict[str, Any]:
    """The instructor's notebook: every cell's source as in the book, outputs stripped.

    Each answer cell (a code cell with a solution region) gets nbgrader metadata for an
    autograded answer, and the check cell right after each `{solution-end}` that of an
    autograder test worth 1 point, with ids `<label>-answer` and `<label>-check`.
    """
    nb = copy.deepcopy(nb)
    blocks = solution_blocks(nb)
    for start, end, label in blocks:
        answers = [i for i in range(start + 1, end) if nb["cells"][i]["cell_type"] == "code"]
        for n, index in enumerate(answers, start=1):
            suffix = "" if n == 1 else f"-{n}"
            nb["cells"][index]["metadata"]["nbgrader"] = _nbgrader(f"{label}-answer{suffix}", solution=True)
        after = end + 1
        if after < len(nb["cells"]) and nb["cells"][after]["cell_type"] == "code":
            nb["cells"][after]["metadata"]["nbgrader"] = _nbgrader(f"{label}-check", solution=False)
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code" and has_solution(cell_text(cell)):
            stub_solutions(cell_text(cell))  # malformed markers are an error here too
            cell["metadata"].setdefault("nbgrader", _nbgrader(f"answer-cell-{index}", solution=True))
        _stripped(cell)
    return nb


def chapter_notebooks() -> list[Path]:
    """The book's chapters, `chapters/NN_slug.ipynb`, in order."""
    return sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


#: The grading budget for nbgrader (what `nbgrader autograde` runs); copied next to the copies.
NBGRADER_CONFIG = ROOT / "tools" / "nbgrader_config.py"


def _zip(folder: Path, extra: Path | None = None) -> Path:
    archive = folder.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.glob("*.ipynb")):
            zf.write(path, f"{folder.name}/{path.name}")
        if extra is not None:
            zf.write(extra, extra.name)
    return archive


def write_copies(notebooks: list[Path], out: Path, *, replace_all: bool = False) -> list[Path]:
    """Write both copies of each notebook under `out`/student and `out`/instructor, then
    zip each folder. Every notebook is converted before anything is written, so an error
    leaves no half-made set. With `replace_all`, copies of notebooks not in the list (a
    renamed chapter) are deleted first. Returns the paths written."""
    made = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        try:
            made.append((path.name, student_copy(nb), instructor_copy(nb)))
        except ValueError as error:
            raise SystemExit(f"{path}: {error}") from None
    written = []
    config = out / NBGRADER_CONFIG.name
    out.mkdir(parents=True, exist_ok=True)
    config.write_text(NBGRADER_CONFIG.read_text())
    written.append(config)
    for kind in ("student", "instructor"):
        folder = out / kind
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.ipynb") if replace_all else []:
            stale.unlink()
        for name, student, instructor in made:
            target = folder / name
            nbformat.write(nbformat.from_dict(student if kind == "student" else instructor), target)
            written.append(target)
        written.append(_zip(folder, config if kind == "instructor" else None))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write student and instructor copies of the chapters.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="chapter notebooks (default: every chapter)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "copies", help="output folder")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or chapter_notebooks()
    if not notebooks:
        print("No chapter notebooks (chapters/NN_*.ipynb) found: nothing to copy.")
        return 1
    for path in write_copies(notebooks, args.out, replace_all=not args.notebooks):
        shown = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        print(f"wrote {shown}")
    stubs = sum(
        cell_text(c).count(STUB[1])
        for p in (args.out / "student").glob("*.ipynb")
        for c in nbformat.read(p, as_version=4).cells
    )
    chapters = f"{len(notebooks)} chapter" + ("s" if len(notebooks) != 1 else "")
    print(f"{chapters}: student copies with {stubs} stubs, instructor copies with solutions.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
