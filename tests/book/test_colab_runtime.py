"""Colab's runtime is complete: every module the book imports is Colab's, at Colab's version.

`tests/colab_runtime.txt` pins the packages of Colab's runtime that the book uses, at the
versions of Colab's published package list, and names the few modules that come from
elsewhere (`module NAME: why`). Here every code cell of every chapter and appendix notebook,
and every module of `helpers/`, is parsed for the top-level modules it imports (IPython
syntax read with IPython's own transformer); each must be in the standard library, be the
book's own `helpers`, or be pinned (by its distribution's import name) or named in that file.
Some packages are needed without being imported by name: pandas' `DataFrame.style` needs
jinja2; those uses are found by their pattern and need their package pinned too.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_FILE = ROOT / "tests" / "colab_runtime.txt"
NOTEBOOKS = sorted([*ROOT.glob("chapters/[0-9][0-9]_*.ipynb"), *ROOT.glob("appendix/**/*.ipynb")])
#: Distribution name -> the top-level module(s) it installs, where they differ.
IMPORT_NAMES = {"pillow": {"PIL"}, "ipython": {"IPython"}, "jinja2": {"jinja2"}, "markupsafe": {"markupsafe"}}
#: A use that needs a package not imported by name: (pattern in code, distribution, why).
IMPLICIT = [
    (re.compile(r"\.style\.(?:format|background_gradient|highlight_\w+|hide|set_\w+|apply|map)\b"), "jinja2",
     "pandas' DataFrame.style needs jinja2"),
]


def runtime() -> tuple[dict[str, str], dict[str, str]]:
    """({distribution: version} pinned, {module: why} named) from tests/colab_runtime.txt."""
    pins, named = {}, {}
    for raw in RUNTIME_FILE.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("module "):
            name, _, why = line[len("module "):].partition(":")
            named[name.strip()] = why.strip()
        elif line:
            name, _, version = line.partition("==")
            assert version, f"colab_runtime.txt: {raw!r} is not name==version"
            pins[name.strip().lower()] = version.strip()
    return pins, named


def allowed_modules() -> set[str]:
    pins, named = runtime()
    modules = set(named) | {"helpers"}
    for name in pins:
        modules |= IMPORT_NAMES.get(name, {name.replace("-", "_")})
    return modules


def python_of(source: str) -> str:
    try:
        ast.parse(source)
        return source
    except SyntaxError:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)


def imported(source: str) -> set[str]:
    """Top-level modules imported anywhere in `source` (function bodies and try blocks too)."""
    found = set()
    for node in ast.walk(ast.parse(python_of(source))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def sources() -> list[tuple[str, str]]:
    """(where, code) for every code cell of every notebook and every helpers module."""
    found = []
    for path in NOTEBOOKS:
        for i, cell in enumerate(json.loads(path.read_text())["cells"]):
            if cell["cell_type"] == "code":
                found.append((f"{path.relative_to(ROOT)} cell {i}", "".join(cell["source"])))
    for path in sorted((ROOT / "helpers").rglob("*.py")):
        found.append((str(path.relative_to(ROOT)), path.read_text()))
    return found


def test_the_runtime_file_pins_colabs_headline_versions():
    pins, named = runtime()
    assert pins["python"] == "3.13" and pins["tensorflow"] == "2.20.0" and pins["keras"] == "3.13.2"
    assert all(why for why in named.values()), "each module not pinned says why"
    assert "github.com/googlecolab/backend-info" in RUNTIME_FILE.read_text(), "the file says where its versions come from"


def test_every_imported_module_is_stdlib_helpers_or_pinned():
    allowed = allowed_modules()
    missing: dict[str, list[str]] = {}
    for where, code in sources():
        for module in imported(code) - allowed:
            if module not in sys.stdlib_module_names:
                missing.setdefault(module, []).append(where)
    assert not missing, "imported but not in tests/colab_runtime.txt: " + "; ".join(
        f"{module} ({', '.join(places[:3])})" for module, places in sorted(missing.items()))


def test_packages_needed_without_an_import_are_pinned():
    pins, _ = runtime()
    for where, code in sources():
        for pattern, package, why in IMPLICIT:
            if pattern.search(code):
                assert package in pins, f"{where}: {why}, which tests/colab_runtime.txt does not pin"


@pytest.mark.parametrize("code, expected", [
    ("import numpy as np\nfrom PIL import Image", {"numpy", "PIL"}),
    ("%matplotlib inline\nimport pandas.api.types", {"pandas"}),
    ("def f():\n    try:\n        from scipy import stats\n    except ImportError:\n        pass", {"scipy"}),
    ("from . import sibling", set()),
])
def test_imports_are_found_where_they_hide(code, expected):
    assert imported(code) == expected


def test_an_unpinned_module_would_fail_the_check():
    assert "scipy" not in allowed_modules() and "sklearn" not in allowed_modules()
    assert {"PIL", "pandas", "jinja2", "IPython", "google", "helpers"} <= allowed_modules()
