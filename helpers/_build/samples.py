"""The sample digits the book ships (chapters/own_digits), drawn with Pillow.

Each digit is a few hand-placed pen strokes (lines and elliptic arcs) drawn with a random
slant, rotation, wobble, size and position, then laid on one of six backgrounds. The same
seed gives the same pictures, so `helpers.digits.sample_digit_paths` can draw them again
where only the helpers are installed (Colab). `tools/make_own_digits.py` writes the shipped
files with `make_sample_digits`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from helpers._validate import Digit, Generator, Number, OneOf, PathName, Whole, accepts

#: How each shipped sample looks: background and ink colours, noise, file type.
SAMPLE_STYLES = ("paper", "canvas", "bluepen", "pencil", "transparent", "chalk")
#: The smallest side and the most pixels of a picture drawn: those `helpers.digits` accepts
#: (its MIN_SIDE and MAX_PIXELS; a test keeps the two equal).
MIN_SIDE = 8
MAX_PIXELS = 40_000_000


def _arc(cx: float, cy: float, rx: float, ry: float, start: float, stop: float, n: int = 24) -> list:
    """Points on an ellipse arc; angles in degrees, 0 = right, 90 = down (image rows grow down)."""
    angles = np.radians(np.linspace(start, stop, n))
    return list(zip(cx + rx * np.cos(angles), cy + ry * np.sin(angles), strict=True))


@accepts(digit=Digit())
def digit_strokes(digit: int) -> list[list[tuple[float, float]]]:
    """The pen strokes of `digit` in a unit box (x right 0-1, y down 0-1), as point lists."""
    strokes = {
        0: [_arc(0.5, 0.5, 0.3, 0.46, -90, 275, 40)],
        1: [[(0.3, 0.22), (0.55, 0.0), (0.55, 1.0)]],
        2: [_arc(0.5, 0.3, 0.28, 0.28, 190, 380, 20) + [(0.18, 1.0), (0.85, 0.98)]],
        3: [_arc(0.48, 0.26, 0.26, 0.24, -160, 90, 20), _arc(0.48, 0.74, 0.3, 0.26, -90, 160, 20)],
        4: [[(0.5, 0.0), (0.15, 0.62), (0.88, 0.62)], [(0.68, 0.25), (0.66, 1.0)]],
        5: [[(0.82, 0.02), (0.32, 0.0), (0.27, 0.45)] + _arc(0.5, 0.7, 0.31, 0.29, -130, 150, 22)],
        6: [[(0.72, 0.0), (0.45, 0.22)] + _arc(0.5, 0.72, 0.28, 0.27, 200, 560, 36)],
        7: [[(0.12, 0.02), (0.88, 0.0), (0.42, 1.0)]],
        8: [_arc(0.5, 0.26, 0.23, 0.24, 90, 450, 30), _arc(0.5, 0.73, 0.29, 0.26, -90, 270, 30)],
        9: [_arc(0.5, 0.3, 0.28, 0.29, 0, 360, 30) + [(0.78, 0.3), (0.72, 1.0)]],
    }
    return strokes[digit]


@accepts(digit=Digit(), height=Whole(minimum=MIN_SIDE), width=Whole(minimum=MIN_SIDE), rng=Generator(),
         pen=Number(positive=True, maximum=0.5))
def draw_digit(digit: int, height: int, width: int, rng: np.random.Generator, pen: float = 0.11) -> np.ndarray:
    """The digit drawn with a round pen: float32 (height, width) ink mask in [0, 1].

    The strokes of `digit_strokes` get a random slant and rotation, a wobble, a random size
    (45-75% of the height) and position; drawn 4x larger and shrunk for smooth edges.
    `pen` is the pen's width as a fraction of the digit's height.
    """
    from PIL import Image, ImageDraw

    if height * width > MAX_PIXELS:
        raise ValueError(f"height x width should be at most {MAX_PIXELS:,} pixels; got {height}x{width}.")
    zoom = 4
    size = rng.uniform(0.45, 0.75) * height
    angle = np.radians(rng.uniform(-12, 12))
    slant = rng.uniform(-0.25, 0.1)
    top = rng.uniform(0.12 * height, height - size - 0.12 * height + 1e-9)
    left = rng.uniform(0.1 * width, max(0.1 * width, width - 0.85 * size - 0.1 * width))
    rotate = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    canvas = Image.new("L", (width * zoom, height * zoom), 0)
    draw = ImageDraw.Draw(canvas)
    radius = pen * size * zoom / 2
    for stroke in digit_strokes(digit):
        points = np.array(stroke, dtype=np.float64)
        t = np.linspace(0, 1, len(points))[:, None]
        phase = rng.uniform(0, 2 * np.pi, size=(1, 2))
        points = points + 0.025 * np.sin(2 * np.pi * t * rng.uniform(0.5, 1.5) + phase)  # wobble
        points[:, 0] -= slant * (points[:, 1] - 0.5)
        points = (points - 0.5) @ rotate.T + 0.5
        xy = [((left + x * size) * zoom, (top + y * size) * zoom) for x, y in points]
        draw.line(xy, fill=255, width=max(1, round(2 * radius)), joint="curve")
        for x, y in (xy[0], xy[-1]):  # round pen tips
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    small = canvas.resize((width, height), Image.Resampling.LANCZOS)
    return np.clip(np.asarray(small, dtype=np.float32) / 255.0, 0.0, 1.0)


@accepts(digit=Digit(), style=OneOf(*SAMPLE_STYLES), rng=Generator())
def render_sample(digit: int, style: str, rng: np.random.Generator) -> tuple[Any, str]:
    """One sample picture of `digit` in `style` (one of SAMPLE_STYLES): (Pillow image, suffix).

    paper: dark ink on light grey paper with uneven light and noise (JPEG);
    canvas: white on black, like a drawing app (PNG); bluepen: blue ink on cream paper
    (RGB JPEG); pencil: thin grey strokes on white with noise (PNG); transparent: black
    ink on a transparent background (RGBA PNG); chalk: light strokes on a dark green
    board with noise (RGB JPEG).
    """
    from PIL import Image

    height, width = int(rng.integers(110, 221)), int(rng.integers(110, 221))
    pen = {"pencil": 0.07, "chalk": 0.13}.get(style, 0.11)
    ink = draw_digit(digit, height, width, rng, pen=pen)[..., None]
    noise = rng.normal(0.0, 1.0, size=(height, width, 1)).astype(np.float32)
    light = np.linspace(-0.06, 0.06, width, dtype=np.float32)[None, :, None] * rng.choice([-1, 1])
    if style == "transparent":
        rgba = np.concatenate([np.zeros((height, width, 3), np.float32), ink], axis=2)
        return Image.fromarray(np.round(rgba * 255).astype(np.uint8), "RGBA"), ".png"
    paper, pen_colour, sigma = {
        "paper": ((0.82,), (0.12,), 0.03),
        "canvas": ((0.0,), (1.0,), 0.0),
        "bluepen": ((0.95, 0.93, 0.86), (0.12, 0.2, 0.62), 0.015),
        "pencil": ((0.93,), (0.45,), 0.02),
        "chalk": ((0.16, 0.27, 0.21), (0.9, 0.9, 0.85), 0.04),
    }[style]
    background = np.array(paper, np.float32) + (light if style in ("paper", "pencil") else 0.0)
    picture = background * (1 - ink) + np.array(pen_colour, np.float32) * ink + sigma * noise
    pixels = np.round(np.clip(picture, 0, 1) * 255).astype(np.uint8)
    mode = "RGB" if pixels.shape[2] == 3 else "L"
    image = Image.fromarray(pixels if mode == "RGB" else pixels[:, :, 0], mode)
    return image, (".jpg" if style in ("paper", "bluepen", "chalk") else ".png")


@accepts(folder=PathName("a folder name"), seed=Whole(minimum=0), per_digit=Whole())
def make_sample_digits(folder: str | os.PathLike, seed: int = 0, per_digit: int = 2) -> list[Path]:
    """Draw `per_digit` pictures of each digit 0-9 into `folder`; return their paths, sorted.

    Files are named ``<digit>_<style>.<png|jpg>``; styles cycle through SAMPLE_STYLES so
    each digit comes in different looks. The same seed gives the same pictures.
    `per_digit` is 1 to 6, the number of styles: more would give two pictures one name, so
    it is refused (ValueError) before any file is written.
    Used by tools/make_own_digits.py and by chapter 9 when the folder is missing (Colab).
    """
    if per_digit > len(SAMPLE_STYLES):
        raise ValueError(
            f"per_digit should be at most {len(SAMPLE_STYLES)}, one picture per style "
            f"({', '.join(SAMPLE_STYLES)}); got {per_digit}, which would write two pictures under one "
            "name <digit>_<style>. Nothing was written."
        )
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder} is a file; expected a folder to draw the sample digits into.")
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    paths = []
    for digit in range(10):
        for k in range(per_digit):
            style = SAMPLE_STYLES[(digit + k * len(SAMPLE_STYLES) // per_digit) % len(SAMPLE_STYLES)]
            image, suffix = render_sample(digit, style, rng)
            path = folder / f"{digit}_{style}{suffix}"
            if suffix == ".jpg":
                image.save(path, quality=85)
            else:
                image.save(path, optimize=True)
            paths.append(path)
    return sorted(paths)
