"""The book's structure: what CONTRIBUTING.md promises about every notebook and page.

- no committed notebook holds outputs or execution counts;
- every chapter notebook is in `_toc.yml`, and every TOC entry exists;
- `tools/sync_notebooks.py --check` has nothing to change (button rows, setup cells);
- every chapter opens the same way (title, button row, Overview with objectives,
  Prerequisites table, Time to learn, setup cell) and closes with Summary, Exercises and
  What's next;
- every figure cell has a label, a caption and alt text, and labels are unique;
- the landing page links every chapter and the reader's pages (glossary, bibliography,
  execution statistics).
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
SETUP_MARKER = "# Setup: in Colab, first install this book's helpers"
READER_PAGES = ["glossary", "bibliography", "execution_statistics"]
# What a chapter may import: the standard library, packages a Colab runtime already has, and
# `helpers` (the setup cell installs it). Not the book's build tools: `myst_nb` is not in
# Colab (use `helpers.book.glue`).
COLAB_MODULES = {
    "tensorflow", "keras", "numpy", "matplotlib", "seaborn", "pandas", "PIL", "sklearn",
    "scipy", "IPython", "ipywidgets", "google", "helpers",
}


def toc_entries() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    found = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return found


def cells(notebook: Path) -> list[dict]:
    return json.loads(notebook.read_text())["cells"]


def markdown_lines(notebook: Path) -> list[str]:
    """Every line of the notebook's markdown cells, code fences left out."""
    lines, fenced = [], False
    for cell in cells(notebook):
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            elif not fenced:
                lines.append(line)
    return lines


def tracked_notebooks() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [ROOT / line for line in out.stdout.splitlines() if (ROOT / line).is_file()]


def test_committed_notebooks_hold_no_outputs():
    dirty = []
    for notebook in tracked_notebooks():
        for i, cell in enumerate(cells(notebook)):
            if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count") is not None):
                dirty.append(f"{notebook.relative_to(ROOT)} cell {i}")
    assert dirty == [], "run `make strip` (tools/sync_notebooks.py) before committing"


def test_every_cell_has_a_unique_id():
    """nbformat 4.5 cells carry ids (a cell added by hand or by a script can lack one)."""
    for notebook in tracked_notebooks():
        ids = [cell.get("id") for cell in cells(notebook)]
        assert None not in ids and len(set(ids)) == len(ids), f"{notebook.name}: give every cell its own id"


def test_every_chapter_is_in_the_toc():
    entries = set(toc_entries())
    missing = [nb.relative_to(ROOT).with_suffix("").as_posix() for nb in CHAPTERS]
    assert [name for name in missing if name not in entries] == []


def test_every_toc_entry_exists():
    absent = [name for name in toc_entries() if not any((ROOT / f"{name}{ext}").is_file() for ext in (".md", ".ipynb"))]
    assert absent == []


def test_reader_pages_are_in_the_toc():
    assert set(READER_PAGES) <= set(toc_entries())


def test_sync_has_nothing_to_change():
    result = subprocess.run(
        [sys.executable, "tools/sync_notebooks.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_opens_as_contributing_says(notebook):
    all_cells = cells(notebook)
    first = all_cells[0]
    assert first["cell_type"] == "markdown"
    text = "".join(first["source"])
    lines = text.splitlines()
    assert lines[0].startswith("# "), "the first line is the chapter's title"
    assert [line for line in markdown_lines(notebook) if line.startswith("# ")] == [lines[0]], "one H1 title"
    assert any(line.startswith("[Open in Colab](") for line in lines), "button row (make sync)"
    for part in ("Overview", "Prerequisites", "Time to learn"):
        assert re.search(rf"^(#+ *|\*\*){part}", text, re.MULTILINE | re.IGNORECASE), f"no {part}"
    overview = re.split(r"^(?:#+ *|\*\*)Prerequisites", text, flags=re.MULTILINE | re.IGNORECASE)[0]
    objectives = [line for line in overview.splitlines() if re.match(r"\s*(?:[-*]|\d+\.)\s", line)]
    assert len(objectives) >= 3, "the Overview lists 3-5 learning objectives"
    assert re.search(r"^\|.*\|\s*$", text, re.MULTILINE), "Prerequisites is a table"
    code = [cell for cell in all_cells if cell["cell_type"] == "code"]
    assert code and "".join(code[0]["source"]).startswith(SETUP_MARKER), "the first code cell is the setup cell"


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_closes_with_summary_exercises_whats_next(notebook):
    h2 = [line[3:].strip().replace("\u2019", "'") for line in markdown_lines(notebook) if line.startswith("## ")]
    for title in ("Summary", "Exercises", "What's next"):
        assert title in h2, f"no '## {title}' section"
    assert h2.index("Summary") < h2.index("Exercises") < h2.index("What's next")
    assert h2[-1] == "What's next", "What's next is the last section"


def figure_cells():
    for notebook in CHAPTERS:
        for i, cell in enumerate(cells(notebook)):
            mystnb = cell.get("metadata", {}).get("mystnb", {})
            if "figure" in mystnb or "image" in mystnb:
                yield notebook, i, mystnb


def test_every_figure_has_label_caption_and_alt_text():
    problems, labels = [], {}
    for notebook, i, mystnb in figure_cells():
        where = f"{notebook.name} cell {i}"
        figure, image = mystnb.get("figure", {}), mystnb.get("image", {})
        if not str(figure.get("name", "")).startswith("fig-"):
            problems.append(f"{where}: figure name must start with 'fig-'")
        if not str(figure.get("caption", "")).strip():
            problems.append(f"{where}: no caption")
        if not str(image.get("alt", "")).strip():
            problems.append(f"{where}: no alt text (mystnb.image.alt)")
        labels.setdefault(figure.get("name"), []).append(where)
    problems += [f"label {name} used twice: {places}" for name, places in labels.items() if len(places) > 1]
    assert problems == []


def test_landing_page_links_every_chapter_and_reader_page():
    intro = (ROOT / "intro.md").read_text()
    targets = set(re.findall(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`", intro))
    targets = {t.removeprefix("/").removesuffix(".md").removesuffix(".ipynb") for t in targets}
    wanted = [nb.relative_to(ROOT).with_suffix("").as_posix() for nb in CHAPTERS] + READER_PAGES
    assert [name for name in wanted if name not in targets] == []


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_landing_page_time_matches_the_chapter(notebook):
    """The chapter map's "Time to learn" is the one the chapter states: both are the time the
    book computes for the page (_ext/reading_time.py), never a number typed by hand."""
    name = notebook.relative_to(ROOT).with_suffix("").as_posix()
    for page in ("intro.md", "instructor_guide.md"):
        row = next((line for line in (ROOT / page).read_text().splitlines() if line.startswith(f"| {{doc}}`{name}`")
                    or f"| {{doc}}`{name}` |" in line), None)
        assert row, f"{page}'s chapter table has no row for {name}"
        assert f"{{reading-time}}`{name}`" in row, f"{page}: {name}'s time is not the computed one: {row}"
        assert not re.search(r"\d+\s*min", row), f"{page}: a typed time in {row}"
    first = "".join(cells(notebook)[0]["source"])
    stated = re.search(r"Time to learn\W*(.*)", first, re.IGNORECASE)
    assert stated, "no Time to learn"
    assert stated.group(1).startswith(f"about {{reading-time}}`{notebook.stem}`"), stated.group(1)


def imported_modules(source: str) -> set[str]:
    """Top-level modules imported by a code cell (IPython magics and shell lines left out)."""
    lines = [
        line[: len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!")) else line
        for line in source.splitlines()
    ]
    tree = ast.parse("\n".join(lines))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_imports_only_what_colab_has(notebook):
    """A chapter opened in Colab finds every module it imports (after its setup cell)."""
    allowed = COLAB_MODULES | set(sys.stdlib_module_names)
    found = set()
    for cell in cells(notebook):
        if cell["cell_type"] == "code":
            found |= imported_modules("".join(cell["source"]))
    assert sorted(found - allowed) == [], "not in a Colab runtime"


def test_nbval_skips_only_chapter_5s_retraining():
    """`make test` runs nbval over every notebook, minutes after the book build executed them
    all; nbval skips (tag `nbval-skip`) only chapter 5's cells from its `model.fit` to its
    reload check, which would train the network again, and none of them defines anything a
    later cell of the chapter uses."""
    skipped = {}
    for path in sorted([*(ROOT / "chapters").glob("*.ipynb"), *(ROOT / "appendix").glob("*.ipynb")]):
        cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
        marked = [i for i, c in enumerate(cells) if "nbval-skip" in c["metadata"].get("tags", [])]
        if marked:
            skipped[path.name] = (cells, marked)
    assert list(skipped) == ["05_training.ipynb"]
    cells, marked = skipped["05_training.ipynb"]
    assert marked == list(range(marked[0], marked[-1] + 1)), "one run of cells"
    assert "model.fit(" in "".join(cells[marked[0]]["source"])
    assert "load_trained(" in "".join(cells[marked[-1]]["source"])
    defined = set()
    for cell in (cells[i] for i in marked):
        tree = ast.parse("".join(cell["source"]))
        defined |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    for cell in cells[marked[-1] + 1:]:
        tree = ast.parse("".join(cell["source"]))
        loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        local = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        local |= {a.arg for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) for a in n.args.args}
        assert not (loaded - local) & defined, f"a later cell uses {(loaded - local) & defined}"
