"""Pages that work offline and load without console errors.

1. MathJax is served by the book itself. Sphinx loads MathJax from a CDN by default; the
   PyPI package `sphinx-mathjax-offline` ships MathJax 3's files, but its package folder has
   a hyphen in its name and cannot be imported. This extension finds those files through
   the package's metadata, adds them to the HTML static files (they land in
   `_build/html/_static/mathjax/`) and points `mathjax_path` at them.
2. No script is included twice. With Jupyter Book 1.0.4 on Sphinx 7.4, the inline scripts
   of sphinx-thebe and sphinx-togglebutton are added twice to every page, and the second
   `const THEBE_JS_URL` is a SyntaxError in the browser console.

Enabled in `_config.yml` under `sphinx.local_extensions`; `tests/build/test_browser.py` checks
that every page loads with no console error and no request leaving the machine.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

DISTRIBUTION = "sphinx-mathjax-offline"
ENTRY_SCRIPT = "tex-mml-chtml.js"  # the same MathJax 3 component Sphinx loads from the CDN


def mathjax_static_dir() -> Path:
    """The folder that holds `mathjax/` (MathJax 3's files) inside the installed package."""
    try:
        dist = distribution(DISTRIBUTION)
    except PackageNotFoundError as err:
        raise ExtensionError(
            f"offline_pages needs the package {DISTRIBUTION!r}: pip install -r requirements.txt"
        ) from err
    for file in dist.files or []:
        if file.name == ENTRY_SCRIPT and file.parent.name == "mathjax":
            return Path(dist.locate_file(file)).resolve().parents[1]
    raise ExtensionError(f"{DISTRIBUTION!r} is installed but holds no mathjax/{ENTRY_SCRIPT}")


def use_local_mathjax(app: Sphinx, config: Config) -> None:
    config.html_static_path = [*config.html_static_path, str(mathjax_static_dir())]
    config.mathjax_path = f"mathjax/{ENTRY_SCRIPT}"


def _asset_key(asset) -> tuple:
    # An inline script is stored once with filename None and once with "" (same body).
    attributes = getattr(asset, "attributes", {})
    return (getattr(asset, "filename", str(asset)) or "", tuple(sorted(attributes.items())))


def drop_duplicate_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            unique = {}
            for asset in context[key]:
                unique.setdefault(_asset_key(asset), asset)
            context[key] = list(unique.values())


def setup(app: Sphinx) -> dict:
    # Before sphinx.ext.mathjax reads mathjax_path (default priority 500).
    app.connect("config-inited", use_local_mathjax, priority=400)
    # After every extension has added its page assets.
    app.connect("html-page-context", drop_duplicate_assets, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
