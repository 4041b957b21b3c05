"""Chapters run in a Colab-like runtime, on Colab's versions, as the Colab copy, through their own setup cell.

The test builds what a student gets after pressing "Open in Colab":

- Colab's interpreter and packages at Colab's versions, from `tests/colab_runtime.txt` (one
  file, which says where they come from and when): Python 3.13 when this machine has one
  (CNN_BOOK_COLAB_PYTHON, `python3.13` on the PATH, or pyenv's 3.13.x), else the current
  Python with a printed note; TensorFlow, Keras, NumPy, Matplotlib, seaborn and Pillow pinned
  as Colab has them, plus the kernel (ipykernel, nbclient), in a fresh virtual environment
  (no system packages). This repository is *not* installed in it.
- a fake `google.colab` module, imported at kernel start by an IPython startup file, so the
  setup cell believes it runs in Colab and installs `helpers` with `%pip install
  "cnn-mnist-helpers @ git+<repository url>@v<version>"`.
- no internet: git's `url.<base>.insteadOf` (given through GIT_CONFIG_* variables) sends the
  repository URL of `_config.yml` to a local clone of this repository tagged `v<version>`.
  The clone is of the committed HEAD: uncommitted changes are not in it.
- the notebook a student opens: the Colab copy of each committed chapter, converted by
  `_ext/colab_copies.py`'s converter (through `tools/make_colab.py`) with the index of the
  book built in `_build/` (`_build/colab-index.json`, so the book must be built: `make test`
  builds it first), run from an empty folder as Colab's /content is.

It runs each chapter as Colab's "Run all" does: cell tags are dropped (so a
`raises-exception` cell that still raised would stop the run, as in Colab), nbclient stops
at the first error, and every chapter gets a fresh runtime (a new venv without `helpers`, a
new empty CNN_BOOK_MODELS: no model is shared between chapters). `make test` runs chapters
2-4 and chapter 5 up to its training (the deliberate errors of chapters 3 and 5, and the fastest
chapters, 2 and 4); `make test-colab`
runs all of them (CNN_BOOK_COLAB_CHAPTERS=all, or paths separated by spaces), writing each
chapter's time to CNN_BOOK_COLAB_TIMES when set. It asserts that each ran without error, that each
deliberate error printed its traceback, that its setup cell printed the
versions and whether a GPU was found, and that `helpers` was installed into that environment
from git, at the tagged commit. Chapter 9 finds no trained model there, so it trains one.

Packages come from a local wheelhouse (CNN_BOOK_WHEELHOUSE, default
~/.cache/cnn-book/wheels), filled from the package index by pip on the first run (about
700 MB for Python 3.13, TensorFlow's wheel most of it); every later run installs offline from
it (with uv, which links files from its cache beside the wheelhouse).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tools import make_colab

pytestmark = pytest.mark.build  # converts with _build/colab-index.json
ROOT = Path(__file__).resolve().parents[2]
WHEELHOUSE = Path(os.environ.get("CNN_BOOK_WHEELHOUSE", Path.home() / ".cache" / "cnn-book" / "wheels"))
#: CI's share (`make test`): the chapters with deliberate errors (3, 5) and the fastest ones
#: (2 and 4; chapter 1 takes about as long as both, so only `make test-colab` runs it), within
#: CI's budget. `make test-colab` sets CNN_BOOK_COLAB_CHAPTERS=all: every chapter.
CI_CHAPTERS = ["02_", "03_", "04_", "05_"]
#: In CI's share, chapter 5 runs up to the cell that trains its network: both its deliberate
#: errors and the cells after them come before it, and the ten epochs that follow would take
#: two of CI's minutes. `make test-colab` (or any CNN_BOOK_COLAB_CHAPTERS) runs it to its end.
CI_STOP_BEFORE = {"05_": "history = model.fit("}
_WANTED = os.environ.get("CNN_BOOK_COLAB_CHAPTERS", "")
if _WANTED.strip() == "all":
    CHAPTERS = [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))]
elif _WANTED.strip():
    CHAPTERS = _WANTED.split()
else:
    CHAPTERS = [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
                if p.name[:3] in CI_CHAPTERS]
STOP_BEFORE = {} if _WANTED.strip() else CI_STOP_BEFORE
#: Each chapter's time in the Colab-like runtime is appended here (a line per chapter).
TIMES_FILE = os.environ.get("CNN_BOOK_COLAB_TIMES", "")
RUNTIME_FILE = ROOT / "tests" / "colab_runtime.txt"


#: What the runtime needs besides Colab's pinned packages: the kernel, and what pip needs to
#: build `helpers` from git in its isolated build environment.
KERNEL_PACKAGES = ["nbclient"]  # ipykernel and IPython are pinned at Colab's versions
BUILD_PACKAGES = ["setuptools>=68", "wheel"]
#: The distribution names of the pinned packages, as the runtime imports them.
MODULES = {"tensorflow": "tensorflow", "keras": "keras", "numpy": "numpy", "matplotlib": "matplotlib",
           "seaborn": "seaborn", "pillow": "PIL"}

FAKE_COLAB = '''"""Stand-in for Colab's `google.colab` (tests/build/test_colab_like.py): mostly, its presence matters."""
'''
FAKE_FILES = '''"""Stand-in for `google.colab.files`: the student presses Cancel in the upload dialog."""


def upload() -> dict:
    return {}
'''
FAKE_OUTPUT = '''"""Stand-in for `google.colab.output`: it keeps the callbacks a notebook registers, as
Colab does for the page's `google.colab.kernel.invokeFunction`."""

callbacks = {}


def register_callback(name, function):
    callbacks[name] = function
'''
STARTUP = '''# Colab imports google.colab when its kernel starts; so does this Colab-like runtime.
import google.colab  # noqa: F401
'''
#: Colab's "Run all": cell tags mean nothing (no raises-exception, no skip-execution), and the
#: run stops at the first cell that fails.
RUN_NOTEBOOK = '''import sys
import nbclient
import nbformat

path, out = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
for cell in nb.cells:
    cell.metadata.pop("tags", None)
client = nbclient.NotebookClient(nb, timeout=900, kernel_name="python3", force_raise_errors=True,
                                 allow_errors=False, resources={"metadata": {"path": sys.argv[3]}})
try:
    client.execute()
finally:
    nbformat.write(nb, out)
'''


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, text=True, capture_output=True, **kwargs)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


def colab_runtime() -> tuple[str, dict[str, str]]:
    """(Python "major.minor", {package: version}) from tests/colab_runtime.txt."""
    pins = {}
    for line in RUNTIME_FILE.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("module "):  # `module NAME: why`: not installed from a pin
            name, _, pinned = line.partition("==")
            pins[name.strip().lower()] = pinned.strip()
    return pins.pop("python"), pins


def pinned_packages() -> list[str]:
    _, pins = colab_runtime()
    return [f"{name}=={pinned}" for name, pinned in pins.items()] + KERNEL_PACKAGES + BUILD_PACKAGES


def find_python(wanted: str) -> tuple[str, bool]:
    """(an interpreter of version `wanted`, True) if this machine has one, else (this one, False)."""
    candidates = [os.environ.get("CNN_BOOK_COLAB_PYTHON", ""), shutil.which(f"python{wanted}") or ""]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += [str(path) for path in sorted(pyenv.glob(f"{wanted}.*/bin/python3"), reverse=True)]
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
                               capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() == wanted:
            return candidate, True
    return sys.executable, False


def book_version() -> str:
    text = (ROOT / "helpers" / "__init__.py").read_text()
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def repository_url() -> str:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return config["repository"]["url"].rstrip("/")


def make_venv(path: Path, base_python: str) -> Path:
    """A fresh venv of `base_python` (with pip, which the setup cell's `%pip` uses) holding Colab's packages.

    They come from the wheelhouse, filled from the index by `pip download` the first time.
    uv installs them: from its cache it links files instead of unpacking 2 GB of TensorFlow
    (about 10 s instead of 2-4 min here), and the environment is the same.
    """
    from uv import find_uv_bin

    run([base_python, "-m", "venv", str(path)])
    python = path / "bin" / "python"
    install = [find_uv_bin(), "pip", "install", "--quiet", "--python", str(python), "--no-index",
               "--find-links", str(WHEELHOUSE), "--cache-dir", str(WHEELHOUSE.parent / "uv"), *pinned_packages()]
    if subprocess.run(install, capture_output=True).returncode != 0:
        WHEELHOUSE.mkdir(parents=True, exist_ok=True)
        run([str(python), "-m", "pip", "download", "--quiet", "-d", str(WHEELHOUSE), *pinned_packages()])
        run(install)
    return python


@pytest.fixture()
def colab_python(tmp_path_factory) -> tuple[Path, str]:
    """(the venv's python, a note on which interpreter it is): Colab's versions, checked.

    A fresh one for every chapter, as each Colab notebook gets a fresh runtime: nothing that
    one chapter installed (helpers) or saved (models) is there for the next.
    """
    wanted, pins = colab_runtime()
    base, found = find_python(wanted)
    note = f"Python {wanted}: {base}" if found else (
        f"no Python {wanted} on this machine: the Colab-like run uses this Python, "
        f"{sys.version_info.major}.{sys.version_info.minor} ({base}), with Colab's package versions"
    )
    print(note)
    start = time.monotonic()
    python = make_venv(tmp_path_factory.mktemp("colab") / "venv", base)
    print(f"venv with Colab's packages: {time.monotonic() - start:.0f} s")
    probe = (
        "import importlib.metadata as md, json, sys; "
        f"print(json.dumps(['%d.%d' % sys.version_info[:2], {{n: md.version(n) for n in {sorted(pins)!r}}}]))"
    )
    version, installed = json.loads(run([str(python), "-c", probe]).stdout)
    assert installed == pins, "the runtime has Colab's versions"
    if found:
        assert version == wanted
    return python, note


@pytest.fixture(scope="module")
def tagged_clone(tmp_path_factory) -> tuple[Path, str]:
    """A clone of this repository's committed HEAD, tagged v<version> like a release."""
    clone = tmp_path_factory.mktemp("repo") / "cnn-handwritten-digits"
    run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)])
    run(["git", "-C", str(clone), "tag", "-f", f"v{book_version()}"])
    head = run(["git", "-C", str(clone), "rev-parse", "HEAD"]).stdout.strip()
    dirty = run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"]).stdout
    if dirty:
        print(f"Colab-like run uses the committed HEAD {head[:10]}; uncommitted changes are not in it.")
    return clone, head


def colab_environment(tmp: Path, venv_python: Path, clone: Path) -> dict[str, str]:
    fake = tmp / "fake_colab"
    (fake / "google" / "colab").mkdir(parents=True)  # no google/__init__.py: `google` stays a namespace
    (fake / "google" / "colab" / "__init__.py").write_text(FAKE_COLAB)
    (fake / "google" / "colab" / "files.py").write_text(FAKE_FILES)
    (fake / "google" / "colab" / "output.py").write_text(FAKE_OUTPUT)
    startup = tmp / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text(STARTUP)
    keep = {"HOME", "LANG", "LC_ALL", "TMPDIR", "MNIST_NPZ", "CNN_BOOK_STRICT_CHECKS", "TF_CPP_MIN_LOG_LEVEL"}
    env = {key: value for key, value in os.environ.items() if key in keep or key.startswith("SSL_")}
    env.update(
        PATH=f"{venv_python.parent}:/usr/local/bin:/usr/bin:/bin",
        VIRTUAL_ENV=str(venv_python.parent.parent),
        PYTHONPATH=str(fake),
        IPYTHONDIR=str(tmp / "ipython"),
        JUPYTER_CONFIG_DIR=str(tmp / "jupyter_config"),
        JUPYTER_DATA_DIR=str(tmp / "jupyter_data"),
        CNN_BOOK_MODELS=str(tmp / "models"),  # a fresh runtime has no trained models
        # No internet: the repository URL leads to the local clone, packages to the wheelhouse.
        GIT_CONFIG_COUNT="1",
        GIT_CONFIG_KEY_0=f"url.{clone.as_uri()}.insteadOf",
        GIT_CONFIG_VALUE_0=repository_url(),
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(WHEELHOUSE),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


@pytest.fixture(scope="module")
def book_index() -> make_colab.BookIndex:
    """The built book's values, which the Colab copies quote (`make test` builds the book first)."""
    if not (ROOT / "_build" / "html" / "index.html").is_file():
        message = "no built book in _build/: run `make book` first (the Colab copies quote its values)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return make_colab.read_index(ROOT / "_build")


def colab_copy(clone: Path, rel: str, index: make_colab.BookIndex, folder: Path) -> Path:
    """The Colab copy of the committed chapter `rel`, written to `folder` as a student downloads it."""
    source = json.loads((clone / rel).read_text())
    copy = make_colab.convert_notebook(source, rel, index)
    first = "".join(copy["cells"][0]["source"])
    assert f"/blob/{make_colab.COLAB_BRANCH}/{rel})" in first, "the badge opens the copy"
    stop = STOP_BEFORE.get(Path(rel).name[:3])
    if stop:
        copy["cells"] = cut_before(copy["cells"], stop)
    path = folder / Path(rel).name
    path.write_text(json.dumps(copy, indent=1))
    return path


def cut_before(cells: list[dict], text: str) -> list[dict]:
    """The cells before the first code cell holding `text`; every deliberate error is kept."""
    where = next(i for i, cell in enumerate(cells) if cell["cell_type"] == "code" and text in "".join(cell["source"]))
    wrapped = [i for i, cell in enumerate(cells) if make_colab.expected_errors.NOTE in "".join(cell["source"])]
    assert wrapped and max(wrapped) < where - 1, "the cut keeps every deliberate error and a cell after it"
    return cells[:where]


@pytest.mark.parametrize("rel", CHAPTERS, ids=lambda rel: Path(rel).stem)
def test_chapter_runs_in_colab_like_runtime(rel, tmp_path, tagged_clone, colab_python, book_index):
    clone, head = tagged_clone
    python, note = colab_python
    if not (clone / rel).is_file():
        pytest.fail(f"{rel} is not committed")
    content = tmp_path / "content"  # Colab's working folder: nothing of the repository in it
    content.mkdir()
    notebook = colab_copy(clone, rel, book_index, tmp_path)

    env = colab_environment(tmp_path, python, clone)
    probe = subprocess.run([str(python), "-c", "import helpers"], env=env, cwd=content, capture_output=True)
    assert probe.returncode != 0, "helpers must not be importable before the setup cell installs it"
    assert not (tmp_path / "models").exists(), "a fresh runtime has no trained models"

    script = tmp_path / "run_notebook.py"
    script.write_text(RUN_NOTEBOOK)
    executed = tmp_path / "executed.ipynb"
    start = time.monotonic()
    result = subprocess.run(
        [str(python), str(script), str(notebook), str(executed), str(content)],
        env=env, capture_output=True, text=True, timeout=1500,
    )
    seconds = time.monotonic() - start
    cut = f", up to `{STOP_BEFORE[Path(rel).name[:3]]}`" if Path(rel).name[:3] in STOP_BEFORE else ""
    print(f"{note}\n{notebook.name} (Colab copy{cut}) through its setup cell: {seconds:.0f} s")
    if TIMES_FILE:
        with open(TIMES_FILE, "a") as times:
            times.write(f"{Path(rel).stem}\t{seconds:.0f} s\t{'ok' if result.returncode == 0 else 'failed'}\n")
    cells = json.loads(executed.read_text())["cells"] if executed.is_file() else []
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    stopped = next((i for i, cell in enumerate(code) if any(o["output_type"] == "error" for o in cell["outputs"])), None)
    where = f" at code cell {stopped + 1} of {len(code)}" if stopped is not None else ""
    assert result.returncode == 0, f"{notebook.name} stopped{where} in the Colab-like runtime:\n{result.stderr[-3000:]}"

    assert all(cell["execution_count"] for cell in code), "every code cell ran"
    errors = [out for cell in code for out in cell["outputs"] if out["output_type"] == "error"]
    assert errors == []
    # A deliberate error ran wrapped: its traceback was printed, and it was the error the book shows.
    note_line = make_colab.expected_errors.NOTE
    for cell in code:
        if "".join(cell["source"]).lstrip().startswith(note_line) or f"\n{note_line}\n" in "".join(cell["source"]):
            printed = "".join("".join(o.get("text", "")) for o in cell["outputs"] if o["output_type"] == "stream")
            assert "Traceback (most recent call last)" in printed, f"a deliberate error did not fail in Colab: {printed[-500:]}"
    setup_text = "".join(
        "".join(out.get("text", "")) for out in code[0]["outputs"] if out["output_type"] == "stream"
    )
    _, pins = colab_runtime()
    assert f"TensorFlow {pins['tensorflow']} · Keras {pins['keras']} · helpers {book_version()}" in setup_text, setup_text
    assert "GPU" in setup_text.splitlines()[-1], "the setup cell says whether it found a GPU"

    # helpers came from git, at the tagged commit, into this environment (not an editable checkout).
    inspect = (
        "import helpers, importlib.metadata as md, json; "
        "print(json.dumps([helpers.__file__, json.loads(md.distribution('cnn-mnist-helpers').read_text('direct_url.json'))]))"
    )
    out = run([str(python), "-c", inspect], env=env, cwd=content).stdout
    module_file, direct_url = json.loads(out)
    assert module_file.startswith(str(python.parent.parent)), module_file
    assert direct_url["url"] == repository_url()
    assert direct_url["vcs_info"]["vcs"] == "git"
    assert direct_url["vcs_info"]["requested_revision"] == f"v{book_version()}"
    assert direct_url["vcs_info"]["commit_id"] == head

    if "09_your_own_digit" in rel:  # the drawing area registered its callback with Colab
        printed = "".join("".join(out.get("text", "")) for cell in code for out in cell["outputs"])
        assert "drawing area connected to this notebook's Python: True" in printed

    # The recorded best-effort result (chapter 7) is package data: it came along from git.
    recorded = "from helpers.records import recorded_best_effort; print(len(recorded_best_effort()['runs']))"
    assert int(run([str(python), "-c", recorded], env=env, cwd=content).stdout) >= 3
