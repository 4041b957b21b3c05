"""The build machinery's private package, helpers._machinery: its data files ship with the
helpers (pip install . and Colab's install from git), and it agrees with helpers.digits."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from helpers import canvas, digits
from helpers._machinery import samples

tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later

ROOT = Path(__file__).resolve().parents[2]
DATA_FILES = ("drawing_area.js", "drawing_area.css")


def test_the_drawing_areas_files_are_package_data_that_pip_installs():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "helpers._machinery" in setuptools["packages"]
    assert set(DATA_FILES) <= set(setuptools["package-data"]["helpers._machinery"])
    for name in DATA_FILES:
        assert resources.files("helpers._machinery").joinpath(name).is_file(), name
        assert (ROOT / "helpers" / "_machinery" / name).is_file()


def test_every_package_with_python_is_listed():
    """setuptools installs only the listed packages: a new subpackage must be added to pyproject."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "helpers").rglob("__init__.py")}
    assert found == listed


def test_the_drawing_area_fills_in_every_placeholder():
    html = canvas.drawing_area(element_id="area-2")._repr_html_()
    assert "$" not in html and "#area-2 canvas.cb-pad" in html and f"width: {canvas.CANVAS_SIDE}px" in html
    assert html.count("function cnnBookDrawingArea(") == 1
    assert f'cnnBookDrawingArea(document.getElementById("area-2"), "{canvas.CALLBACK_NAME}", ' \
           f"{canvas.CANVAS_SIDE}, {canvas.PEN_WIDTH});" in html


def test_the_samples_are_drawn_within_what_digits_accepts():
    assert (samples.MIN_SIDE, samples.MAX_PIXELS) == (digits.MIN_SIDE, digits.MAX_PIXELS)


def test_no_file_of_the_package_is_ignored_by_git():
    """A package file that .gitignore matches would be missing from every clone (and from
    Colab's install from git) while working here."""
    import shutil
    import subprocess

    if not shutil.which("git") or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    files = [str(p.relative_to(ROOT)) for p in (ROOT / "helpers").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *files], cwd=ROOT, capture_output=True, text=True)
    assert ignored.stdout.split() == []


#: The modules a student opens from a chapter; the build machinery is in helpers/_machinery.
STUDENT_FACING = ("data", "models", "training", "evaluation", "inspection", "plotting", "digits")


def student_facing_lines() -> dict[str, int]:
    return {name: len((ROOT / "helpers" / f"{name}.py").read_text().splitlines()) for name in STUDENT_FACING}


def test_the_student_facing_modules_stay_small():
    """They read like the chapters' cells, their checks declared as guards: 2,106 lines in all
    when this was written (3,230 before the guards), no module over 650."""
    lines = student_facing_lines()
    print(lines, sum(lines.values()))
    assert sum(lines.values()) <= 2_200 and max(lines.values()) <= 650, lines


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module, at the top of the file?) for every `from X import` in `path`."""
    import ast

    tree = ast.parse(path.read_text())
    top = {id(node) for node in tree.body}
    return [(node.module or "", id(node) in top) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]


def test_the_checks_import_nothing_from_helpers():
    assert [module for module, _ in _imports(ROOT / "helpers" / "_validate.py") if module.startswith("helpers")] == []


@pytest.mark.parametrize("path", sorted((ROOT / "helpers").rglob("*.py")), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_helpers_import_each_other_at_the_top(path):
    inside = [module for module, at_top in _imports(path) if module.startswith("helpers") and not at_top]
    assert inside == [], f"{path.name} imports {inside} inside a function"
