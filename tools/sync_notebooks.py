"""Keep every chapter's opening consistent and its outputs stripped.

For each `chapters/NN_slug.ipynb`, and each appendix page `appendix/NN_slug.ipynb` (which
runs alone, so it needs the same opening), it (1) writes the button row naming the file's own
path in the repository of `_config.yml`: "Open in Colab" opens its Colab copy (written by the
build, `_ext/colab_copies.py`, published on the `colab` branch), "View source" its source on `main`;
(2) writes the shared setup cell, which installs `helpers` in Colab at the book's version
(`helpers.__version__`) and prints the versions and whether TensorFlow found a GPU;
(3) under the button row of a chapter that trains, writes one line saying so, with the
minutes its Colab copy took to run from a fresh runtime (`COLAB_RUN_SECONDS`, measured with
`make test-colab`); (4) strips outputs and execution counts. Run `make sync` after editing a
notebook.
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

#: Seconds each chapter's Colab copy took to "Run all" in a fresh Colab-like runtime (no saved
#: models, Colab's package versions: tests/build/test_colab_like.py), and whether it trains a network
#: there: "always" (chapter 5 trains in front of the reader), "if none is saved" (it reloads a
#: saved model, and trains one in a fresh runtime) or None. Measured with `make test-colab` on
#: 2026-12-03 on the book's 2-core CPU machine without a GPU, shared with other work
#: (README.md, "In Colab"). Measure again and update this table when a chapter's training
#: changes. No GPU runtime has been measured.
COLAB_RUN_SECONDS: dict[str, tuple[int, str | None]] = {
    "01_what_a_cnn_does": (28, None),
    "02_loading_mnist": (26, None),
    "03_scaling_and_reshaping": (36, None),  # two epochs on 2,048 images: a few seconds
    "04_building_the_cnn": (25, None),
    "05_training": (152, "always"),
    "06_predicting_and_evaluating": (190, "if none is saved"),
    "07_going_further": (425, "if none is saved"),
    "08_inside_the_cnn": (135, "if none is saved"),
    "09_your_own_digit": (139, "if none is saved"),
}
COLAB_MEASURED_ON = "2026-12-03"
TRAINING_NOTE_PREFIX = "**This chapter trains a network"


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


def colab_minutes(stem: str) -> int | None:
    """The whole minutes (rounded) a training chapter's "Run all" took; None if it does not train."""
    if stem not in COLAB_RUN_SECONDS:
        raise SystemExit(f"{stem}: not in COLAB_RUN_SECONDS: time its Colab copy with `make test-colab`")
    seconds, trains = COLAB_RUN_SECONDS[stem]
    return max(1, round(seconds / 60)) if trains else None


def training_note(stem: str) -> str | None:
    """The line under a training chapter's button row: that it trains, and for how long."""
    minutes = colab_minutes(stem)
    if minutes is None:
        return None
    took = f"took about {minutes} {'minute' if minutes == 1 else 'minutes'} on a 2-core CPU"
    if COLAB_RUN_SECONDS[stem][1] == "always":
        opening = f'{TRAINING_NOTE_PREFIX}.** From a fresh runtime, as in Colab, "Run all" {took}'
    else:
        opening = (f"{TRAINING_NOTE_PREFIX}** when it finds none saved, as in a fresh Colab runtime:"
                   f' "Run all" then {took}')
    return f"{opening} (measured on {COLAB_MEASURED_ON}); a GPU runtime is faster, by how much the book has not measured."


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + [lines[-1]]


def _with_training_note(first: str, note: str | None) -> str:
    """The first cell with `note` as the paragraph after the button row (or no such paragraph)."""
    lines = [line for line in first.split("\n") if not line.startswith(TRAINING_NOTE_PREFIX)]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    if note is None:
        return text
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith(BUTTON_PREFIX))
    return "\n".join([*lines[: row + 1], "", note, *lines[row + 1:]])


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
    # Only chapters are timed (an appendix page, say, is not in COLAB_RUN_SECONDS).
    is_chapter = notebook.resolve().parent == ROOT / "chapters"
    first = _with_training_note(first, training_note(notebook.stem) if is_chapter else None)
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
