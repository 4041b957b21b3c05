"""Draw the sample digits chapter 9 ships in chapters/own_digits (run from the repository root).

    python tools/make_own_digits.py            # remake them (seed 0: the same pictures)
    python tools/make_own_digits.py --seed 3   # a different hand

Each digit 0-9 is drawn twice with Pillow's ImageDraw: hand-placed pen strokes (lines and
elliptic arcs, see helpers._machinery.samples.digit_strokes) with a random slant, rotation, wobble, size
and position, then laid on one of six backgrounds (grey paper with noise as JPEG, a
drawing-app canvas, blue pen, pencil, transparent PNG, chalk board). The drawing code lives in
the package (helpers._machinery.samples) so that chapter 9 can redraw the same pictures in Colab.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from helpers._machinery.samples import make_sample_digits

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--folder", type=Path, default=ROOT / "chapters" / "own_digits")
    args = parser.parse_args()
    if args.folder.is_dir():
        shutil.rmtree(args.folder)
    paths = make_sample_digits(args.folder, seed=args.seed)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} pictures ({total / 1024:.0f} KiB) to {args.folder}")


if __name__ == "__main__":
    main()
