"""Keep every chapter's opening consistent and its outputs stripped.

For each `chapters/NN_slug.ipynb`, and each appendix page `appendix/NN_slug.ipynb` (which
runs alone, so it needs the same opening), it (1) writes the button row naming the file's own path in
the repository of `_config.yml`: "Open in Colab" opens its Colab copy (written by
`tools/make_colab.py`, published on the `colab` branch), "View source" its source on `main`;
(2) writes the shared setup cell, which installs `helpers` in Colab at the book's version
(`helpers.__version__`) and prints the versions and whether TensorFlow found a GPU;
(3) strips outputs and execution counts. Run `make sync` after editing a notebook.
The setup cell does nothing Colab-specific elsewhere; its `%matplotlib inline` keeps figures
in the outputs even where MPLBACKEND=Agg is set (make sets it; ipykernel then would not
switch to the inline backend, and the book would show no figures).
`--check` only reports notebooks that differ (the tests use the same functions).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUTTON_PREFIX = "[Open in Colab]"
#: The branch holding the Colab copies (`_config.yml`'s repository.branch, which the launch
#: button uses) and the branch holding the sources, which "View source" opens.
COLAB_BRANCH = "colab"
SOURCE_BRANCH = "main"
SETUP_MARKER = "# Setup: in Colab, first install this book's helpers"


def book_version() -> str:
    """The book's version, read from `helpers/__init__.py` (its one home)."""
    text = (ROOT / "helpers" / "__init__.py").read_text()
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def repository() -> tuple[str, str]:
    """(url, branch) of the book's repository, read from `_config.yml`."""
    text = (ROOT / "_config.yml").read_text()
    block = text.split("\nrepository:", 1)[1]
    url = re.search(r"\n\s+url:\s*(\S+)", block).group(1)
    branch = re.search(r"\n\s+branch:\s*(\S+)", block).group(1)
    return url.rstrip("/"), branch


def _rel(notebook: Path) -> str:
    return notebook.resolve().relative_to(ROOT).as_posix()


def colab_url_for(rel: str) -> str:
    """Colab's URL of the copy of `rel` ("chapters/NN_slug.ipynb") on the colab branch."""
    url, _ = repository()
    github_path = url.split("github.com/", 1)[1]
    return f"https://colab.research.google.com/github/{github_path}/blob/{COLAB_BRANCH}/{rel}"


def source_url_for(rel: str) -> str:
    url, _ = repository()
    return f"{url}/blob/{SOURCE_BRANCH}/{rel}"


def colab_url(notebook: Path) -> str:
    return colab_url_for(_rel(notebook))


def source_url(notebook: Path) -> str:
    return source_url_for(_rel(notebook))


def button_row(notebook: Path) -> str:
    return f"{BUTTON_PREFIX}({colab_url(notebook)}) · [View source on GitHub]({source_url(notebook)})"


def setup_source() -> str:
    url, _ = repository()
    return f'''{SETUP_MARKER} (at the book's version).
import sys

if "google.colab" in sys.modules:
    %pip install --quiet "cnn-mnist-helpers @ git+{url}@v{book_version()}"
%matplotlib inline

import keras
import numpy as np
import tensorflow as tf

import helpers
from helpers.runtime import accelerator_summary
from helpers.style import use_book_style
from helpers.training import set_seed

use_book_style()
set_seed(0)
print(f"TensorFlow {{tf.__version__}} · Keras {{keras.__version__}} · helpers {{helpers.__version__}} · {{accelerator_summary()}}")'''


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + [lines[-1]]


def synced(notebook: Path) -> dict:
    """The notebook as it should be committed."""
    nb = json.loads(notebook.read_text())
    cells = nb["cells"]
    first = "".join(cells[0]["source"])
    row = button_row(notebook)
    if BUTTON_PREFIX in first:
        first = re.sub(re.escape(BUTTON_PREFIX) + r".*", lambda _: row, first, count=1)
    else:
        title, _, rest = first.partition("\n")
        first = f"{title}\n\n{row}\n{rest}"
    cells[0]["source"] = _lines(first)
    setup = [c for c in cells if c["cell_type"] == "code" and "".join(c["source"]).startswith(SETUP_MARKER)]
    if not setup:
        raise SystemExit(f"{notebook}: no setup cell starting with {SETUP_MARKER!r}")
    setup[0]["source"] = _lines(setup_source())
    for cell in cells:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    nb["metadata"] = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        **({"colab": nb["metadata"]["colab"]} if "colab" in nb["metadata"] else {}),
    }
    return nb


def dumps(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def chapter_notebooks() -> list[Path]:
    return sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


def appendix_notebooks() -> list[Path]:
    """The "Notes and details" pages: each runs alone, so each gets the button row and setup cell."""
    return sorted((ROOT / "appendix").glob("[0-9][0-9]_*.ipynb"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report, change nothing")
    args = parser.parse_args()
    stale = []
    for notebook in chapter_notebooks() + appendix_notebooks():
        text = dumps(synced(notebook))
        if notebook.read_text() != text:
            stale.append(notebook)
            if not args.check:
                notebook.write_text(text)
    for notebook in stale:
        print(("out of sync: " if args.check else "synced: ") + notebook.relative_to(ROOT).as_posix())
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
