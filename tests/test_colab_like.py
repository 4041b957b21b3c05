"""A chapter runs in a Colab-like runtime through its own setup cell, with nothing but the notebook.

The test builds what a student gets after pressing "Open in Colab":

- a fresh virtual environment (`python -m venv`, no system packages) holding only what a Colab
  runtime has that the book uses: TensorFlow, NumPy, Matplotlib, seaborn, and the kernel
  (ipykernel, nbclient). This repository is *not* installed in it.
- a fake `google.colab` module, imported at kernel start by an IPython startup file, so the
  setup cell believes it runs in Colab and installs `helpers` with `%pip install
  "cnn-mnist-helpers @ git+<repository url>@v<version>"`.
- no internet: git's `url.<base>.insteadOf` (given through GIT_CONFIG_* variables) sends the
  repository URL of `_config.yml` to a local clone of this repository tagged `v<version>`.
  The clone is of the committed HEAD: uncommitted changes are not in it.

Then it executes one cheap chapter with nbclient (chapter 2 by default; CNN_BOOK_COLAB_CHAPTER
names another) and asserts that the notebook ran without error and that `helpers` was
installed into that environment from git, at the tagged commit.

Packages come from a local wheelhouse (CNN_BOOK_WHEELHOUSE, default
~/.cache/cnn-book/wheels), filled from the package index by pip on the first run; every later
run installs offline from it (with uv, which links files from its cache beside the wheelhouse).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WHEELHOUSE = Path(os.environ.get("CNN_BOOK_WHEELHOUSE", Path.home() / ".cache" / "cnn-book" / "wheels"))
CHAPTER = os.environ.get("CNN_BOOK_COLAB_CHAPTER", "chapters/02_loading_mnist.ipynb")
# What a Colab runtime already has (and this book uses), at the releases tested here.
COLAB_PACKAGES = ["tensorflow", "numpy", "matplotlib", "seaborn", "ipykernel", "nbclient"]
# What pip needs to build `helpers` from git in its isolated build environment.
BUILD_PACKAGES = ["setuptools>=68", "wheel"]

FAKE_COLAB = '''"""Stand-in for Colab's `google.colab` (tests/test_colab_like.py): mostly, its presence matters."""
'''
FAKE_FILES = '''"""Stand-in for `google.colab.files`: the student presses Cancel in the upload dialog."""


def upload() -> dict:
    return {}
'''
STARTUP = '''# Colab imports google.colab when its kernel starts; so does this Colab-like runtime.
import google.colab  # noqa: F401
'''
RUN_NOTEBOOK = '''import sys
import nbclient
import nbformat

path, out = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
client = nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                                 resources={"metadata": {"path": sys.argv[3]}})
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


def pinned_packages() -> list[str]:
    return [f"{name}=={version(name)}" for name in COLAB_PACKAGES] + BUILD_PACKAGES


def book_version() -> str:
    text = (ROOT / "helpers" / "__init__.py").read_text()
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def repository_url() -> str:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return config["repository"]["url"].rstrip("/")


def make_venv(path: Path) -> Path:
    """A fresh venv (with pip, which the setup cell's `%pip` uses) holding the Colab packages.

    They come from the wheelhouse, filled from the index by `pip download` the first time.
    uv installs them: from its cache it links files instead of unpacking 2 GB of TensorFlow
    (about 10 s instead of 2-4 min here), and the environment is the same.
    """
    from uv import find_uv_bin

    run([sys.executable, "-m", "venv", str(path)])
    python = path / "bin" / "python"
    install = [find_uv_bin(), "pip", "install", "--quiet", "--python", str(python), "--no-index",
               "--find-links", str(WHEELHOUSE), "--cache-dir", str(WHEELHOUSE.parent / "uv"), *pinned_packages()]
    if subprocess.run(install, capture_output=True).returncode != 0:
        WHEELHOUSE.mkdir(parents=True, exist_ok=True)
        run([str(python), "-m", "pip", "download", "--quiet", "-d", str(WHEELHOUSE), *pinned_packages()])
        run(install)
    return python


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


def test_chapter_runs_in_colab_like_runtime(tmp_path, tagged_clone):
    clone, head = tagged_clone
    notebook = clone / CHAPTER
    if not notebook.is_file():
        chapters = sorted((clone / "chapters").glob("[0-9][0-9]_*.ipynb"))
        if not chapters:
            pytest.fail("no chapter notebook is committed yet")
        notebook = chapters[0]

    start = time.monotonic()
    python = make_venv(tmp_path / "venv")
    venv_seconds = time.monotonic() - start
    env = colab_environment(tmp_path, python, clone)
    probe = subprocess.run([str(python), "-c", "import helpers"], env=env, cwd=tmp_path, capture_output=True)
    assert probe.returncode != 0, "helpers must not be importable before the setup cell installs it"

    script = tmp_path / "run_notebook.py"
    script.write_text(RUN_NOTEBOOK)
    executed = tmp_path / "executed.ipynb"
    result = subprocess.run(
        [str(python), str(script), str(notebook), str(executed), str(notebook.parent)],
        env=env, capture_output=True, text=True, timeout=1500,
    )
    run_seconds = time.monotonic() - start - venv_seconds
    print(f"venv: {venv_seconds:.0f} s; {notebook.name} through its setup cell: {run_seconds:.0f} s")
    assert result.returncode == 0, f"{notebook.name} failed in the Colab-like runtime:\n{result.stderr[-3000:]}"

    cells = json.loads(executed.read_text())["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert all(cell["execution_count"] for cell in code), "every code cell ran"
    errors = [out for cell in code for out in cell["outputs"] if out["output_type"] == "error"]
    assert errors == []
    setup_text = "".join(
        "".join(out.get("text", "")) for out in code[0]["outputs"] if out["output_type"] == "stream"
    )
    assert f"helpers {book_version()}" in setup_text, setup_text

    # helpers came from git, at the tagged commit, into this environment (not an editable checkout).
    inspect = (
        "import helpers, importlib.metadata as md, json; "
        "print(json.dumps([helpers.__file__, json.loads(md.distribution('cnn-mnist-helpers').read_text('direct_url.json'))]))"
    )
    out = run([str(python), "-c", inspect], env=env, cwd=tmp_path).stdout
    module_file, direct_url = json.loads(out)
    assert module_file.startswith(str(tmp_path / "venv")), module_file
    assert direct_url["url"] == repository_url()
    assert direct_url["vcs_info"]["vcs"] == "git"
    assert direct_url["vcs_info"]["requested_revision"] == f"v{book_version()}"
    assert direct_url["vcs_info"]["commit_id"] == head

    # The recorded best-effort result (chapter 7) is package data: it came along from git.
    recorded = "from helpers.training import recorded_best_effort; print(len(recorded_best_effort()['runs']))"
    assert int(run([str(python), "-c", recorded], env=env, cwd=tmp_path).stdout) >= 3
