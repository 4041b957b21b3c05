"""The draw-a-digit page's networks, exported when the book is built.

After the HTML is written (Sphinx's `build-finished` event), this extension runs
`python -m helpers._machinery.export` in a child process: it reads the models the build trained
(`$CNN_BOOK_MODELS`, else `_build/models`), writes each one's JSON header and float32
weights, the shipped sample digits and a manifest to `_build/html/_static/digit-widget-data/`,
where `_static/digit-widget.js` finds them. A child process keeps TensorFlow out of Sphinx's
own process. Without trained models the manifest lists no network and the page says so.

Enabled in `_config.yml` under `sphinx.local_extensions`; `tests/build/test_widget.py` checks the
page in a browser.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
DATA_DIR = Path("_static") / "digit-widget-data"


def models_folder(srcdir: Path) -> Path:
    """Where the build keeps its trained models (the Makefile sets $CNN_BOOK_MODELS)."""
    return Path(os.environ.get("CNN_BOOK_MODELS") or srcdir / "_build" / "models")


def export_networks(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    srcdir, out = Path(app.srcdir), Path(app.outdir) / DATA_DIR
    command = [sys.executable, "-m", "helpers._machinery.export", str(models_folder(srcdir)), str(out),
               str(srcdir / "chapters" / "own_digits")]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=srcdir, timeout=600)
    if result.returncode != 0:
        logger.warning("digit_widget: exporting the networks failed:\n%s", result.stderr[-3000:])
        return
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    missing = f"; no trained model for {', '.join(summary['missing'])}" if summary["missing"] else ""
    logger.info("digit_widget: exported %s%s; %d sample digits",
                ", ".join(summary["networks"]) or "no network", missing, summary["samples"])


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", export_networks)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
