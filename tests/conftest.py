"""Shared fixtures: the real MNIST (from the offline copy), the Agg backend, and the built
book served on 127.0.0.1 and opened in headless Chromium (the browser tests)."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def mnist_path() -> Path:
    """The local MNIST file named by MNIST_NPZ (make and .ci/run set it)."""
    path = os.environ.get("MNIST_NPZ")
    if not path or not Path(path).is_file():
        pytest.fail("MNIST_NPZ must name a local mnist.npz for the tests (run them with `make test`).")
    return Path(path)


@pytest.fixture(scope="session")
def mnist(mnist_path):
    """(x_train, y_train), (x_test, y_test) read from the local file."""
    from helpers.data import load_mnist_npz

    return load_mnist_npz(mnist_path)


@pytest.fixture()
def rng() -> np.random.Generator:
    return np.random.default_rng(0)


# --- The built book in headless Chromium (tests/build/test_browser.py, tests/build/test_widget.py) ------

#: The built HTML book the browser tests serve (CNN_BOOK_HTML names another build folder).
HTML = Path(os.environ.get("CNN_BOOK_HTML", ROOT / "_build" / "html"))
IN_CI = bool(os.environ.get("CI"))
CHROMIUM = os.environ.get("CNN_BOOK_CHROMIUM", "/usr/bin/chromium")
# Flags for a root, offline, headless machine: no sandbox (root), no GPU, and no background
# connections to Google's services (they would be refused here and are not the book's).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 30_000
#: Any URL that does not point at the local server: requests to it are blocked and reported.
EXTERNAL_URL = re.compile(r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def base_url():
    """The built book served over HTTP on 127.0.0.1 (a free port), for the session's tests."""
    if not (HTML / "index.html").is_file():
        pytest.fail(f"no built book in {HTML}: run `make book` first")
    handler = functools.partial(QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium under Playwright; skipped locally (failed in CI) without it."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium; .ci/run does)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    if IN_CI:
        from playwright.sync_api import sync_playwright
    else:
        sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def open_page(browser, base_url):
    """open_page(path, color_scheme="light", has_touch=False, ignore_favicon=False): a new
    page of the served book, in its own browser context, with what went wrong recorded in
    `page.problems`: console errors, uncaught errors, requests leaving 127.0.0.1 (blocked),
    and an HTTP error for `path` itself. `ignore_favicon` drops the console error of the
    /favicon.ico that Chromium asks for by itself once a page has loaded (the book has none).
    Close it with `page.context.close()`."""

    def open_one(path: str, color_scheme: str = "light", has_touch: bool = False, ignore_favicon: bool = False):
        context = browser.new_context(color_scheme=color_scheme, viewport={"width": 1280, "height": 900},
                                      has_touch=has_touch)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.problems = []

        def on_console(message):
            if message.type != "error":
                return
            if ignore_favicon and message.location.get("url", "").endswith("/favicon.ico"):
                return
            page.problems.append(f"console error: {message.text} ({message.location.get('url')})")

        def block_external(route):
            page.problems.append(f"request to the internet: {route.request.url}")
            route.abort()

        page.on("console", on_console)
        page.on("pageerror", lambda error: page.problems.append(f"uncaught error: {error}"))
        page.route(EXTERNAL_URL, block_external)
        response = page.goto(base_url + path, wait_until="networkidle")
        if response is None or not response.ok:
            page.problems.append(f"HTTP {response.status if response else 'no response'} for {path}")
        return page

    return open_one
