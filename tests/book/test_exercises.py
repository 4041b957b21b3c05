"""Every exercise in the book follows the five-cell format of CONTRIBUTING.md.

Static and fast: it reads the chapter notebooks without executing them. For each exercise:

1. a markdown cell with an `{exercise}` directive and a `:label:`, unique in the whole book;
2. right after it, a markdown cell holding only `{solution-start} <that label>` with
   `:class: dropdown` (so the book hides the solution behind a toggle);
3. one or more code cells whose answer lies between `### BEGIN SOLUTION` and
   `### END SOLUTION` (what `make copies` turns into a stub);
4. a markdown cell holding only `{solution-end}`;
5. a code cell that is one call of a `check_*` function that exists in `helpers.checks`
   and that the notebook imported before.

Exercises sit in the chapter's `## Exercises` section, and each chapter of `_toc.yml` has
at least three. A chapter whose notebook is not
written yet is skipped; a notebook that exists must comply. The checker is tested on broken
notebooks too, so a rule that stopped catching anything would be noticed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
import yaml

import helpers.checks

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
APPENDIX = sorted((ROOT / "appendix").glob("[0-9][0-9]_*.ipynb"))
MIN_EXERCISES = 3

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
FENCE = r"(?::{3,}|`{3,})"
DIRECTIVE = re.compile(rf"^\s*{FENCE}\{{(?P<name>[\w-]+)\}}[ \t]*(?P<argument>.*)$")
OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
CLOSING = re.compile(rf"^\s*{FENCE}\s*$")


def toc_chapters() -> list[Path]:
    """The chapter notebooks named in `_toc.yml`, whether they exist yet or not."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [ROOT / f"{f}.ipynb" for f in files if f.startswith("chapters/")]


@dataclass
class Directive:
    name: str
    argument: str
    options: dict[str, str]
    extra: list[str] = field(default_factory=list)  # lines of the cell outside the directive


def directives(text: str) -> list[Directive]:
    """The MyST directives opened in a markdown cell, with their options; lines that belong
    to no directive header (prose, the directive's body, closing fences) go in `extra` of
    the last directive, or are dropped when no directive came yet."""
    found: list[Directive] = []
    in_options = False
    for line in text.splitlines():
        opened = DIRECTIVE.match(line)
        if opened:
            found.append(Directive(opened["name"], opened["argument"].strip(), {}))
            in_options = True
            continue
        option = OPTION.match(line)
        if in_options and option:
            found[-1].options[option["key"]] = option["value"].strip()
            continue
        in_options = False
        if found and line.strip() and not CLOSING.match(line):
            found[-1].extra.append(line)
    return found


def only(text: str, name: str) -> Directive | None:
    """The cell's directive if the cell holds exactly one, named `name`, and nothing else."""
    found = directives(text)
    if len(found) == 1 and found[0].name == name and not found[0].extra:
        stray = [line for line in text.splitlines() if line.strip() and not (
            DIRECTIVE.match(line) or OPTION.match(line) or CLOSING.match(line))]
        return None if stray else found[0]
    return None


def code_of(cell) -> str:
    """A code cell's source as plain Python, IPython magics (`%pip`) turned into calls."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(cell.source)


def imported_checks(cells) -> set[str]:
    """Names imported from helpers.checks in these code cells ('*' for a star import)."""
    names: set[str] = set()
    for cell in cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(code_of(cell))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "helpers.checks":
                names.update(alias.asname or alias.name for alias in node.names)
    return names


def check_call_problem(cell, earlier_cells) -> str | None:
    """Why this cell is not one call of an imported helpers.checks `check_*` function."""
    if cell.cell_type != "code":
        return "is not a code cell"
    try:
        tree = ast.parse(code_of(cell))
    except SyntaxError as error:
        return f"does not parse: {error}"
    body = tree.body
    if len(body) != 1 or not isinstance(body[0], ast.Expr) or not isinstance(body[0].value, ast.Call):
        return f"should be a single call of a check function, not {cell.source.strip()!r}"
    func = body[0].value.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if not name.startswith("check_"):
        return f"calls {name or 'something'!r}, not a check_* function"
    if not callable(getattr(helpers.checks, name, None)):
        return f"calls {name}, which helpers.checks does not define"
    if isinstance(func, ast.Name) and not {name, "*"} & imported_checks(earlier_cells):
        return f"calls {name} but no earlier cell has `from helpers.checks import {name}`"
    return None


def marker_problem(text: str) -> str | None:
    """Why the BEGIN/END SOLUTION markers of a code cell are not well formed, or None."""
    depth, regions, body = 0, 0, 0
    for line in text.splitlines():
        if line.strip() == BEGIN:
            if depth:
                return "has a BEGIN SOLUTION inside another"
            depth, regions = 1, regions + 1
        elif line.strip() == END:
            if not depth:
                return "has an END SOLUTION without a BEGIN"
            depth = 0
        elif depth and line.strip() and not line.strip().startswith("#"):
            body += 1
    if depth:
        return "has a BEGIN SOLUTION that is never closed"
    if not regions:
        return f"has no {BEGIN!r} / {END!r} markers around the answer"
    if not body:
        return "has markers around no code at all"
    return None


@dataclass
class Exercise:
    label: str
    cell: int


def audit(nb) -> tuple[list[Exercise], list[str]]:
    """The notebook's exercises, and every way in which it breaks the exercise format."""
    cells = nb.cells
    exercises: list[Exercise] = []
    problems: list[str] = []
    in_block: set[int] = set()
    used_starts: set[int] = set()
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        found = [d for d in directives(cell.source) if d.name == "exercise"]
        if len(found) > 1:
            problems.append(f"cell {i}: {len(found)} exercises in one cell; give each its own cell")
        if not found:
            continue
        label = found[0].options.get("label", "")
        if not label:
            problems.append(f"cell {i}: exercise {found[0].argument!r} has no :label:")
            continue
        exercises.append(Exercise(label, i))
        where = f"cell {i} ({label})"
        start = only(cells[i + 1].source, "solution-start") if i + 1 < len(cells) and cells[i + 1].cell_type == "markdown" else None
        if start is None or start.argument != label:
            problems.append(f"{where}: the next cell must hold only ':::{{solution-start}} {label}'")
            continue
        if "dropdown" not in start.options.get("class", "").split():
            problems.append(f"{where}: its solution-start needs ':class: dropdown'")
        used_starts.add(i + 1)
        end = next(
            (j for j in range(i + 2, len(cells)) if any(d.name == "solution-end" for d in directives(cells[j].source))
             and cells[j].cell_type == "markdown"),
            None,
        )
        if end is None or only(cells[end].source, "solution-end") is None:
            problems.append(f"{where}: its solution needs a cell holding only ':::{{solution-end}}'")
            continue
        others = [j for j in range(i + 2, end) if cells[j].cell_type == "markdown" and directives(cells[j].source)]
        if others:
            problems.append(f"{where}: cell {others[0]} opens a directive inside the solution (solution-end missing?)")
        in_block.update(range(i + 1, end + 1))
        answers = [j for j in range(i + 2, end) if cells[j].cell_type == "code"]
        if not answers:
            problems.append(f"{where}: the solution holds no code cell")
        for j in answers:
            wrong = marker_problem(cells[j].source)
            if wrong:
                problems.append(f"{where}: answer cell {j} {wrong}")
        if end + 1 >= len(cells):
            problems.append(f"{where}: no check cell after the solution")
        else:
            wrong = check_call_problem(cells[end + 1], cells[: end + 1])
            if wrong:
                problems.append(f"{where}: the cell after the solution (cell {end + 1}) {wrong}")
    for i, cell in enumerate(cells):
        if cell.cell_type == "markdown" and i not in used_starts:
            for d in directives(cell.source):
                if d.name == "solution-start":
                    problems.append(f"cell {i}: solution-start {d.argument!r} does not follow its exercise")
        if cell.cell_type == "code" and i not in in_block and BEGIN in cell.source:
            problems.append(f"cell {i}: solution markers outside an exercise's solution")
    return exercises, problems


@pytest.fixture(scope="module")
def notebooks() -> dict[str, nbformat.NotebookNode]:
    return {path.name: nbformat.read(path, as_version=4) for path in CHAPTERS}


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_exercises_follow_the_format(path, notebooks):
    _, problems = audit(notebooks[path.name])
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", APPENDIX, ids=lambda p: p.stem)
def test_notes_page_exercises_follow_the_format(path):
    """An exercise on a notes page has the same five cells as a chapter's."""
    _, problems = audit(nbformat.read(path, as_version=4))
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


def misplaced(nb) -> list[str]:
    """Labels of exercises that are not in the chapter's `## Exercises` section."""
    section, wrong = None, []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        found = [d for d in directives(cell.source) if d.name == "exercise"]
        headings = re.findall(r"^## (.+?)\s*$", cell.source, re.MULTILINE)
        if found and (headings[-1] if headings else section) != "Exercises":
            wrong += [d.options.get("label", d.argument) for d in found]
        section = headings[-1] if headings else section
    return wrong


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_exercises_are_in_the_exercises_section(path, notebooks):
    """CONTRIBUTING.md: `## Summary`, then `## Exercises`, then `## What's next`. Students
    find them there, and the student copy runs undisturbed up to that section."""
    assert misplaced(notebooks[path.name]) == [], f"{path.name}: exercises outside '## Exercises'"


@pytest.fixture(scope="module")
def appendix_notebooks() -> dict[str, nbformat.NotebookNode]:
    return {f"appendix/{path.name}": nbformat.read(path, as_version=4) for path in APPENDIX}


def test_labels_are_unique_across_the_book(notebooks, appendix_notebooks):
    seen: dict[str, str] = {}
    clashes = []
    for name, nb in {**notebooks, **appendix_notebooks}.items():
        for exercise in audit(nb)[0]:
            if exercise.label in seen:
                clashes.append(f"{exercise.label!r} in {seen[exercise.label]} and {name}")
            seen.setdefault(exercise.label, name)
    assert not clashes, "exercise labels used twice: " + "; ".join(clashes)


def test_instructor_guide_lists_every_exercise(notebooks, appendix_notebooks):
    """The instructor guide's tables name every exercise, and count them right, so a teacher
    planning from it misses none. A new exercise needs a row there."""
    guide = (ROOT / "instructor_guide.md").read_text()
    counts = {name: len(audit(nb)[0]) for name, nb in notebooks.items()}
    labels = {e.label for nb in notebooks.values() for e in audit(nb)[0]}
    # The notes pages ("Notes and details") may hold an exercise too; the guide names those
    # apart from the chapters' table and count.
    notes = {e.label for path in APPENDIX for e in audit(nbformat.read(path, as_version=4))[0]}
    listed = set(re.findall(r"\{ref\}`(ex-[\w-]+)`", guide))
    assert (labels | notes) - listed == set(), "add these exercises to instructor_guide.md's exercise table"
    assert listed - labels - notes == set(), "instructor_guide.md names exercises that no chapter or notes page has"
    said = dict(re.findall(r"^\| \{doc\}`chapters/(\d\d_\w+)` \|.*\| (\d+) \|$", guide, re.MULTILINE))
    assert {f"{k}.ipynb": int(v) for k, v in said.items()} == counts, "fix the Exercises column of the guide"
    total = re.search(r"nine chapters and (\d+) exercises", guide)
    assert total and int(total[1]) == sum(counts.values()), "fix the number of exercises in the guide"


@pytest.mark.parametrize("path", toc_chapters(), ids=lambda p: p.stem)
def test_each_chapter_has_enough_exercises(path, notebooks):
    if not path.exists():
        pytest.skip(f"{path.name} is not written yet")
    exercises, _ = audit(notebooks[path.name])
    assert len(exercises) >= MIN_EXERCISES, (
        f"{path.name} has {len(exercises)} exercises; every chapter needs at least {MIN_EXERCISES}."
    )


def test_every_toc_chapter_is_a_numbered_notebook():
    for path in toc_chapters():
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name


# --- the checker itself catches broken exercises ----------------------------------------

md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell


def exercise_cells(label: str = "ex-01-size", answer: str | None = None, check: str | None = None) -> list:
    return [
        md(f":::{{exercise}} Output size\n:label: {label}\n\nStore it in `size`.\n:::"),
        md(f":::{{solution-start}} {label}\n:class: dropdown\n:::"),
        code(answer if answer is not None else f"{BEGIN}\nsize = 28 - 3 + 1\n{END}"),
        md(":::{solution-end}\n:::"),
        code(check if check is not None else "check_number('size', size, 26)"),
    ]


def notebook(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [code("from helpers.checks import check_number"), *cells]
    return nb


def test_a_good_exercise_passes():
    exercises, problems = audit(notebook(*exercise_cells()))
    assert problems == [] and [e.label for e in exercises] == ["ex-01-size"]


@pytest.mark.parametrize(
    ("mutate", "complaint"),
    [
        (lambda c: c.__setitem__(0, md(":::{exercise} Output size\nStore it.\n:::")), "has no :label:"),
        (lambda c: c.__setitem__(1, md(":::{solution-start} ex-01-size\n:::")), ":class: dropdown"),
        (lambda c: c.__setitem__(1, md(":::{solution-start} ex-01-other\n:class: dropdown\n:::")), "the next cell must hold only"),
        (lambda c: c.__setitem__(1, md(":::{solution-start} ex-01-size\n:class: dropdown\n:::\nThe trick is...")), "must hold only"),
        (lambda c: c.__setitem__(2, code("size = 26")), "has no '### BEGIN SOLUTION'"),
        (lambda c: c.__setitem__(2, code(f"{BEGIN}\nsize = 26")), "never closed"),
        (lambda c: c.__setitem__(2, code(f"{BEGIN}\n{END}")), "around no code"),
        (lambda c: c.__setitem__(2, md("Just prose.")), "holds no code cell"),
        (lambda c: c.__delitem__(3), "needs a cell holding only ':::{solution-end}'"),
        (lambda c: c.__setitem__(4, code("print(size == 26)")), "not a check_* function"),
        (lambda c: c.__setitem__(4, code("check_size_typo(size)")), "does not define"),
        (lambda c: c.__setitem__(4, code("x = 1\ncheck_number('size', size, 26)")), "single call"),
        (lambda c: c.__setitem__(4, code("check_array('size', size, 26)")), "no earlier cell has"),
        (lambda c: c.__delitem__(4), "no check cell"),
    ],
)
def test_a_broken_exercise_is_caught(mutate, complaint):
    cells = exercise_cells()
    mutate(cells)
    _, problems = audit(notebook(*cells))
    assert any(complaint in p for p in problems), problems


def test_an_exercise_outside_its_section_is_caught():
    assert misplaced(notebook(md("## Exercises"), *exercise_cells())) == []
    assert misplaced(notebook(md("## Summary\n\n## Exercises"), *exercise_cells())) == []
    assert misplaced(notebook(md("## Scaling"), *exercise_cells())) == ["ex-01-size"]
    assert misplaced(notebook(*exercise_cells())) == ["ex-01-size"]


def test_stray_markers_and_orphan_solutions_are_caught():
    stray = code(f"{BEGIN}\nx = 1\n{END}")
    orphan = md(":::{solution-start} ex-01-size\n:class: dropdown\n:::")
    _, problems = audit(notebook(*exercise_cells(), stray, orphan))
    assert any("markers outside" in p for p in problems)
    assert any("does not follow its exercise" in p for p in problems)


def test_duplicate_labels_are_caught(tmp_path):
    nb = notebook(*exercise_cells(), *exercise_cells())
    labels = [e.label for e in audit(nb)[0]]
    assert len(labels) != len(set(labels))  # what test_labels_are_unique_across_the_book reports


def test_backtick_fences_are_understood_too():
    cells = exercise_cells()
    cells[0] = md("```{exercise} Output size\n:label: ex-01-size\n\nStore it in `size`.\n```")
    cells[1] = md("```{solution-start} ex-01-size\n:class: dropdown\n```")
    cells[3] = md("```{solution-end}\n```")
    assert audit(notebook(*cells))[1] == []
