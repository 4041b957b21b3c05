"""The instructor copies go through real nbgrader, as an instructor would grade with them.

For chapters 1-4 (the chapters that train nothing): `tools/make_copies.py` writes the
instructor copies, they become an nbgrader `source/` assignment, `nbgrader
generate_assignment` makes the release (the stubs students get), and `nbgrader autograde`,
under CNN_BOOK_STRICT_CHECKS=1 as the README says, grades three submissions:

- **solved**: the instructor copies themselves, every answer filled in: full marks;
- **unsolved**: the release as handed out, every stub left: zero marks;
- **wrong**: the solved copies with two classic slips, the size before pooling in
  exercise 1.1 and only the first layer's new parameters in exercise 4.1: full marks but
  those two points, and exactly those two check cells at zero.

nbgrader needs Python 3.11 or later (its own floor); on Python 3.10 it is not installed by
requirements.txt and this test is skipped. The autograde executes twelve notebooks: about
1.5 min of CPU on the 2-core machine here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

nbgrader_api = pytest.importorskip("nbgrader.api", reason="nbgrader (Python >= 3.11) is not installed")

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("0[1-4]_*.ipynb"))
ASSIGNMENT = "chapters_1_4"
#: (chapter file, text in an answer cell, the slip that replaces it, the check that must lose its point)
SLIPS = [
    ("01_what_a_cnn_does.ipynb", "pooled_size = conv_output_size(after_conv, 2, stride=2)",
     "pooled_size = after_conv", "ex-01-pooled-size-check"),
    ("04_building_the_cnn.ipynb", "extra_params = (3 * 3 * 1 + 1) * 7 + 3 * 3 * 7 * 64",
     "extra_params = (3 * 3 * 1 + 1) * 7", "ex-04-filters-check"),
]


def _nbgrader(course: Path, *args: str) -> None:
    bin_dir = Path(sys.executable).parent  # nbgrader runs `alembic` from PATH
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
           "CNN_BOOK_STRICT_CHECKS": "1", "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("CNN_BOOK_SHOW_EXPECTED", None)
    command = [str(bin_dir / "nbgrader"), *args, ASSIGNMENT, "--force", f"--CourseDirectory.root={course}",
               "--ExecutePreprocessor.timeout=600"]
    done = subprocess.run(command, cwd=course, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def _submit(course: Path, student: str, notebooks: dict[str, nbformat.NotebookNode]) -> None:
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / name)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Make the copies, release them, autograde three submissions; yield the gradebook."""
    if not os.environ.get("MNIST_NPZ") and not (ROOT.parent / "shared" / "data" / "mnist.npz").is_file():
        pytest.skip("chapter 2 needs MNIST: set MNIST_NPZ (make does)")
    os.environ.setdefault("MNIST_NPZ", str(ROOT.parent / "shared" / "data" / "mnist.npz"))
    work = tmp_path_factory.mktemp("nbgrader")
    copies, course = work / "copies", work / "course"
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_copies.py"), "--out", str(copies),
                    *map(str, CHAPTERS)], check=True, capture_output=True)
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    for path in sorted((copies / "instructor").glob("*.ipynb")):
        shutil.copy(path, source / path.name)
    _nbgrader(course, "generate_assignment")
    solved = {p.name: nbformat.read(p, as_version=4) for p in sorted(source.glob("*.ipynb"))}
    release = {p.name: nbformat.read(p, as_version=4)
               for p in sorted((course / "release" / ASSIGNMENT).glob("*.ipynb"))}
    assert sorted(release) == [p.name for p in CHAPTERS]
    wrong = {name: nbformat.reads(nbformat.writes(nb), as_version=4) for name, nb in solved.items()}
    for name, right, slip, _ in SLIPS:
        cells = [c for c in wrong[name].cells if right in c.source]
        assert len(cells) == 1, f"{name}: the answer line {right!r} is not in one cell"
        cells[0].source = cells[0].source.replace(right, slip)
    for student, notebooks in (("solved", solved), ("unsolved", release), ("wrong", wrong)):
        _submit(course, student, notebooks)
    _nbgrader(course, "autograde")
    with nbgrader_api.Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        yield gradebook


def _score(gradebook, student):
    submission = gradebook.find_submission(ASSIGNMENT, student)
    return submission.score, submission.max_score


def test_the_assignment_has_a_point_per_exercise(graded):
    _, max_score = _score(graded, "solved")
    checks = sum(
        1 for path in CHAPTERS for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "code" and cell.source.startswith("check_")
    )
    assert max_score == checks >= 3 * len(CHAPTERS)


def test_solved_submission_scores_full_marks(graded):
    score, max_score = _score(graded, "solved")
    assert score == max_score


def test_unsolved_submission_scores_zero(graded):
    score, _ = _score(graded, "unsolved")
    assert score == 0


def test_wrong_answers_lose_exactly_their_points(graded):
    score, max_score = _score(graded, "wrong")
    assert score == max_score - len(SLIPS)
    for name, _, _, grade_id in SLIPS:
        grade = graded.find_grade(grade_id, Path(name).stem, ASSIGNMENT, "wrong")
        assert grade.score == 0, grade_id
