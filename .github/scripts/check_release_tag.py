"""Check that a release tag is the version the book's Colab setup cells install.

    python .github/scripts/check_release_tag.py v1.0.0

The setup cell of every chapter installs `helpers` with
`pip install "cnn-mnist-helpers @ git+<repository>@v<version>"`, where <version> is
`helpers.__version__` (its one home, `helpers/__init__.py`). A release is only of use to those
cells if its tag is exactly `v` + that version, so this exits with status 1, saying what it
expected and what it found, when the tag, `helpers/__init__.py`, `CITATION.cff` or any
chapter's setup cell disagree. Run by .github/workflows/release.yml and tests/book/test_workflows.py.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VERSION = re.compile(r'^__version__ = "([^"]+)"', re.MULTILINE)
CITATION_VERSION = re.compile(r"^version:\s*['\"]?([^'\"\s]+)", re.MULTILINE)
PINNED = re.compile(r"git\+https://[^\s\"@]+@(v[^\s\"]+)")


def helpers_version(root: Path = ROOT) -> str:
    match = VERSION.search((root / "helpers" / "__init__.py").read_text())
    if not match:
        raise SystemExit('helpers/__init__.py has no line `__version__ = "X.Y.Z"`')
    return match.group(1)


def problems(tag: str, root: Path = ROOT) -> list[str]:
    """Every disagreement between `tag` and the versions the repository states (none: [])."""
    version = helpers_version(root)
    found = []
    if tag != f"v{version}":
        found.append(f"tag {tag!r} is not 'v' + helpers.__version__ ({version!r}): expected 'v{version}'")
    citation = CITATION_VERSION.search((root / "CITATION.cff").read_text())
    if not citation or citation.group(1) != version:
        stated = citation.group(1) if citation else "none"
        found.append(f"CITATION.cff states version {stated!r}, helpers/__init__.py {version!r}")
    for notebook in sorted((root / "chapters").glob("[0-9][0-9]_*.ipynb")):
        sources = ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]
        pins = {pin for source in sources for pin in PINNED.findall(source)}
        if pins != {f"v{version}"}:
            found.append(
                f"{notebook.relative_to(root)} installs helpers at {sorted(pins)}, expected ['v{version}']"
            )
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[0], "\nusage: check_release_tag.py TAG", file=sys.stderr)
        return 2
    found = problems(argv[0])
    for problem in found:
        print(f"::error::{problem}")
    if not found:
        print(f"{argv[0]} matches helpers.__version__, CITATION.cff and every chapter's setup cell")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
