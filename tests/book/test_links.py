"""Every "Open in Colab" and "View source" link names the notebook's own path in this book's
repository (from `_config.yml`), the setup cell installs `helpers` at the book's version (a
tag, never a floating branch), and the rendered book's Colab launch button opens the same URL.

The expected links are computed here from `_config.yml` with a YAML parser, independently of
`tools/sync_notebooks.py`, which writes them.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

import helpers

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("CNN_BOOK_HTML", ROOT / "_build" / "html"))
IN_CI = bool(os.environ.get("CI"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
SETUP_MARKER = "# Setup: in Colab, first install this book's helpers"
LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


def repo_parts() -> tuple[str, str, str, str]:
    """(url, org/repo, branch, path_to_book prefix) from `_config.yml`."""
    repository = CONFIG["repository"]
    url = repository["url"].rstrip("/")
    match = re.fullmatch(r"https://github\.com/([^/]+/[^/]+)", url)
    assert match, f"repository.url must be a GitHub repository URL, got {url!r}"
    prefix = (repository.get("path_to_book") or "").strip("/")
    return url, match.group(1), repository.get("branch", "main"), f"{prefix}/" if prefix else ""


def expected_colab(notebook: Path) -> str:
    """The Colab copy (tools/make_colab.py), on the `colab` branch: `_config.yml`'s repository.branch."""
    _, slug, branch, prefix = repo_parts()
    assert branch == "colab", "the launch button opens the Colab copies, published on the colab branch"
    colab = CONFIG["launch_buttons"]["colab_url"].rstrip("/")
    return f"{colab}/github/{slug}/blob/{branch}/{prefix}{notebook.relative_to(ROOT).as_posix()}"


def expected_source(notebook: Path) -> str:
    """The source of the chapter, on `main`."""
    url, _, _, prefix = repo_parts()
    return f"{url}/blob/main/{prefix}{notebook.relative_to(ROOT).as_posix()}"


def cells(notebook: Path) -> list[dict]:
    return json.loads(notebook.read_text())["cells"]


def links(notebook: Path) -> dict[str, str]:
    first = "".join(cells(notebook)[0]["source"])
    return {text: url for text, url in LINK.findall(first)}


def setup_cell(notebook: Path) -> str:
    for cell in cells(notebook):
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and source.startswith(SETUP_MARKER):
            return source
    pytest.fail(f"{notebook.name} has no setup cell starting with {SETUP_MARKER!r}")


def require_html() -> Path:
    if not (HTML / "index.html").is_file():
        message = f"no built book in {HTML}: run `make book` first"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return HTML


def test_config_has_colab_and_repository():
    assert CONFIG["launch_buttons"]["colab_url"].rstrip("/") == "https://colab.research.google.com"
    repo_parts()  # a GitHub URL


def test_there_are_chapters():
    assert CHAPTERS, "no chapters/NN_slug.ipynb found"


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_colab_badge_names_this_notebook(notebook):
    found = links(notebook)
    assert found.get("Open in Colab") == expected_colab(notebook)


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_view_source_names_this_notebook(notebook):
    found = links(notebook)
    sources = [url for text, url in found.items() if text.startswith("View source")]
    assert sources == [expected_source(notebook)]


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_setup_cell_installs_helpers_at_the_book_version_only_in_colab(notebook):
    source = setup_cell(notebook)
    url, *_ = repo_parts()
    lines = source.splitlines()
    installs = [i for i, line in enumerate(lines) if "%pip install" in line]
    assert len(installs) == 1, "one install line"
    install = lines[installs[0]]
    assert f"git+{url}@v{helpers.__version__}\"" in install, f"not pinned to v{helpers.__version__}: {install}"
    # Only in Colab: the install line is the body of the `if "google.colab" in sys.modules:` test.
    assert install.startswith("    ") and lines[installs[0] - 1] == 'if "google.colab" in sys.modules:'
    for shown in ("tf.__version__", "keras.__version__", "helpers.__version__"):
        assert shown in lines[-1], f"the setup cell's last line prints {shown}"


@pytest.mark.build
@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_launch_button_opens_the_same_colab_url(notebook):
    """The rocket menu's Colab entry in the rendered page is the notebook's own badge URL."""
    page = require_html() / notebook.relative_to(ROOT).with_suffix(".html")
    assert page.is_file(), f"{page} was not built"
    text = page.read_text()
    launch = re.findall(r'<a href="([^"]+)"[^>]*\s+title="Launch on Colab"', text)
    assert launch == [expected_colab(notebook)]
    # Every Colab link on the page (the badge in the text too) is that same URL.
    assert set(re.findall(r'href="(https://colab\.research\.google\.com/[^"]+)"', text)) == set(launch)


@pytest.mark.build
@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_page_offers_the_notebook_for_download(notebook):
    html = require_html()
    rel = notebook.relative_to(ROOT).as_posix()
    page = (html / rel).with_suffix(".html").read_text()
    assert f'_sources/{rel}"' in page, "download (.ipynb) button"
    assert (html / "_sources" / rel).is_file()
