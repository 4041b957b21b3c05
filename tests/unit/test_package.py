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
