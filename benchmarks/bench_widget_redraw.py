"""How long the draw-a-digit page takes to redraw everything for one stroke event.

Serves the built book (`_build/html`, after `make book`) on 127.0.0.1, opens
`draw_a_digit.html` in headless Chromium (Debian's `chromium`, driven by Playwright, as the
browser tests do) at a desktop width (1280 px) and a phone width (390 px), and for each
network draws the same digits with the mouse, one pointer move after another. Every redraw
the page makes (preprocessing, the forward pass, the ten bars, every layer's maps and
strips) is timed by the page itself (`widget.timing`, performance.now() around `update`),
and so is the time until the browser has also rendered that frame (a task posted at the end
of the redraw runs after the frame's style, layout and paint). Prints, per width and
network, the number of redraws and their median, 95th percentile and largest time, against
the target of 16 ms (one frame at 60 Hz) at the 95th percentile. A figure, not a test:
the machine's load moves it.

    .venv/bin/python benchmarks/bench_widget_redraw.py --rounds 3
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import threading
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
HTML = Path(os.environ.get("CNN_BOOK_HTML", ROOT / "_build" / "html"))
CHROMIUM = os.environ.get("CNN_BOOK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
TARGET_MS = 16.0
#: Strokes in the drawing area's pixels (280 x 280): a 7, a 1, a 4 and an 8's two loops.
DIGITS = {
    "7": [[(60, 55), (220, 55), (130, 245)]],
    "1": [[(150, 35), (140, 250)]],
    "4": [[(170, 40), (70, 170), (220, 170)], [(180, 90), (180, 250)]],
    "8": [[(140, 40), (90, 80), (140, 130), (190, 190), (140, 245), (90, 190), (140, 130), (190, 80), (140, 40)]],
}
#: Records each redraw's own time and the time until the next frame is painted.
PROBE_JS = """() => {
    const w = document.querySelector('.digit-widget').digitWidget;
    window.benchFrames = [];
    const update = w.update.bind(w);
    w.update = function (announce) {
        const t0 = performance.now();
        const done = update(announce);
        // A task posted now runs after the browser has rendered the frame this redraw is in.
        Promise.resolve(done).then(() => setTimeout(() => {
            const t = w.timing;
            window.benchFrames.push(t ? {own: t.totalMs, painted: performance.now() - t0, preprocess: t.preprocessMs,
                                         forward: t.forwardMs, render: t.renderMs} : {own: null});
        }, 0));
        return done;
    };
}"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def draw(page, strokes, steps: int) -> None:
    box = page.locator(".dw-canvas").bounding_box()
    sx, sy = box["width"] / 280, box["height"] / 280
    for stroke in strokes:
        points = [(box["x"] + x * sx, box["y"] + y * sy) for x, y in stroke]
        page.mouse.move(*points[0])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(x, y, steps=steps)
        page.mouse.up()


def measure(browser, url: str, width: int, network: str, rounds: int, steps: int) -> dict[str, np.ndarray]:
    """Draw the four digits `rounds` times; each redraw's times (ms) by part."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(url + "draw_a_digit.html", wait_until="networkidle")
    page.evaluate("document.querySelector('.digit-widget').digitWidget.ready")
    page.select_option(".dw-select", network)
    page.wait_for_function("document.querySelector('.dw-status').textContent.includes('empty')")
    page.locator(".dw-canvas").scroll_into_view_if_needed()
    page.evaluate(PROBE_JS)
    for _ in range(rounds):
        for strokes in DIGITS.values():
            page.click("button.dw-button:text-is('Clear')")
            draw(page, strokes, steps)
            page.wait_for_timeout(100)
    page.wait_for_timeout(300)
    frames = [f for f in page.evaluate("window.benchFrames") if f["own"] is not None]
    context.close()
    return {part: np.array([f[part] for f in frames]) for part in PARTS}


PARTS = ("own", "painted", "preprocess", "forward", "render")


def line(name: str, values: np.ndarray) -> str:
    p50, p95 = np.percentile(values, [50, 95])
    verdict = "under" if p95 < TARGET_MS else "OVER"
    return (f"  {name:<26} median {p50:5.1f} ms  p95 {p95:5.1f} ms  max {values.max():5.1f} ms"
            f"  ({verdict} the {TARGET_MS:.0f} ms target at p95)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times each of the four digits is drawn")
    parser.add_argument("--steps", type=int, default=15, help="pointer moves per segment of a stroke")
    parser.add_argument("--widths", type=int, nargs="+", default=[1280, 390])
    parser.add_argument("--compare", nargs="+", metavar="LABEL=FOLDER", default=[],
                        help="other builds of the book to time too, taking turns round by round with this one "
                             "(e.g. before=/tmp/old_html), so that the machine's load falls on all alike")
    args = parser.parse_args()
    if args.rounds < 1 or args.steps < 1:
        parser.error("--rounds and --steps must be at least 1")
    builds = {"this build": HTML}
    for item in args.compare:
        label, _, folder = item.partition("=")
        if not folder:
            parser.error(f"--compare takes LABEL=FOLDER; got {item!r}")
        builds[label] = Path(folder)
    for label, folder in builds.items():
        if not (folder / "draw_a_digit.html").is_file():
            parser.error(f"no draw_a_digit.html in {folder} ({label}): run `make book` first")
    from playwright.sync_api import sync_playwright

    servers = {label: serve(folder) for label, folder in builds.items()}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            print(f"Chromium {browser.version}, headless, {os.cpu_count()} CPU cores (load average {load:.1f}); "
                  f"{args.rounds} x {len(DIGITS)} digits drawn, {args.steps} pointer moves a segment")
            for width in args.widths:
                for network in ("seed_cnn", "improved_cnn"):
                    times = {label: {part: [] for part in PARTS} for label in builds}
                    for _ in range(args.rounds):  # the builds take turns, one round each
                        for label, (_, url) in servers.items():
                            for part, values in measure(browser, url, width, network, 1, args.steps).items():
                                times[label][part].append(values)
                    for label in builds:
                        got = {part: np.concatenate(v) for part, v in times[label].items()}
                        print(f"{width} px, {network}, {label}: {len(got['own'])} redraws; median parts: "
                              f"preprocessing {np.median(got['preprocess']):.1f} ms, forward pass "
                              f"{np.median(got['forward']):.1f} ms, drawing the maps {np.median(got['render']):.1f} ms")
                        print(line("redraw (page's own timer)", got["own"]))
                        print(line("until the frame is rendered", got["painted"]))
            browser.close()
    finally:
        for server, _ in servers.values():
            server.shutdown()


if __name__ == "__main__":
    main()
