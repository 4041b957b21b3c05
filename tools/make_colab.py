"""Write the Colab copies again from the last build, without Sphinx (`make book` writes them).

The copies are written by the book's build (`_ext/colab_copies.py`, on Sphinx's
`build-finished` event), which also saves what it read from the Sphinx environment in
`_build/colab-index.json`. This command converts the notebooks again with that saved index,
e.g. after editing a notebook's Markdown, into `_build/colab/` (or `--out`); its names are
re-exported for the tests. `python tools/make_colab.py [--build DIR] [--out DIR] [NOTEBOOK ...]`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as `python tools/make_colab.py`: import from the repository root
    sys.path.insert(0, str(ROOT))

from _ext import colab_copies  # noqa: E402

BookIndex, ConversionError, COLAB_BRANCH = colab_copies.BookIndex, colab_copies.ConversionError, colab_copies.COLAB_BRANCH
convert_markdown, convert_notebook = colab_copies.convert_markdown, colab_copies.convert_notebook
read_index, write_copies, expected_errors = colab_copies.read_index, colab_copies.write_copies, colab_copies.expected_errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "_build", help="the built book (default _build)")
    parser.add_argument("--out", type=Path, default=None, help="where to write (default <build>/colab)")
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to convert (default: every notebook page)")
    args = parser.parse_args()
    notebooks = args.notebooks or colab_copies.book_notebooks()
    try:
        written = write_copies(notebooks, read_index(args.build), args.out or args.build / "colab")
    except ConversionError as exc:
        print(f"make_colab: {exc}", file=sys.stderr)
        return 1
    print(f"Colab copies: {len(written)} notebooks in {args.out or args.build / 'colab'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
