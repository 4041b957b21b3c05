"""The instructor copies go through real nbgrader, as an instructor would grade with them.

For all nine chapters: `tools/make_copies.py` writes the instructor copies and the grading
budget (`nbgrader_config.py`, from `tools/nbgrader_config.py`); the copies become an nbgrader
`source/` assignment in a course folder holding that config, `nbgrader generate_assignment`
makes the release (the stubs students get), and `nbgrader autograde`, under
CNN_BOOK_STRICT_CHECKS=1 as the README says, grades three submissions:

- **solved**: the instructor copies themselves, every answer filled in: full marks in every
  chapter;
- **unsolved**: the release as handed out, every stub left: zero in every chapter;
- **wrong**: the solved copies with slips a student makes (two in chapter 1 and 4 together,
  two in each of chapters 5-9): every chapter with slips scores between zero and full marks,
  and exactly the slipped exercises lose their point.

The budget: while grading, each notebook runs its setup, imports, exercises and the lesson
cells those need (chapter 6's model and its predictions, loaded from $CNN_BOOK_MODELS, which
`make book` fills); the other lesson cells are skipped. Without a saved chapter-5 model the
test is skipped (chapter 6 would train it, three times). nbgrader needs Python 3.11 or later
(its own floor); on Python 3.10 it is not installed by requirements.txt and this test is
skipped. The three submissions are graded side by side, each in a copy of the course folder
with its own gradebook (nbgrader grades one notebook after another, and most of each one's
time is a kernel starting and importing TensorFlow on one core). Each chapter's grading time
per student is printed, and written to the file $CNN_BOOK_NBGRADER_TIMES names, if set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

nbgrader_api = pytest.importorskip("nbgrader.api", reason="nbgrader (Python >= 3.11) is not installed")

pytestmark = pytest.mark.build  # grades with the chapter-5 model the book trained
ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("0[1-9]_*.ipynb"))
ASSIGNMENT = "chapters_1_9"
STUDENTS = ("solved", "unsolved", "wrong")
#: (chapter file, text in an answer cell, the slip that replaces it)
SLIPS = [
    ("01_what_a_cnn_does.ipynb", "pooled_size = conv_output_size(after_conv, 2, stride=2)", "pooled_size = after_conv"),
    ("04_building_the_cnn.ipynb", "extra_params = (3 * 3 * 1 + 1) * 7 + 3 * 3 * 7 * 64",
     "extra_params = (3 * 3 * 1 + 1) * 7"),
    ("05_training.ipynb", 'loss_for_one_hot = "categorical_crossentropy"',
     'loss_for_one_hot = "sparse_categorical_crossentropy"'),
    ("05_training.ipynb", "return float(-np.mean(np.log(picked)))", "return float(-np.sum(np.log(picked)))"),
    ("06_predicting_and_evaluating.ipynb", "return float(precision), float(recall)",
     "return float(recall), float(precision)"),
    ("06_predicting_and_evaluating.ipynb", "top_two = np.argsort(probabilities, axis=1)[:, -2:]",
     "top_two = np.argsort(probabilities, axis=1)[:, -1:]"),
    ("07_going_further.ipynb", "block3_params = conv_weights + batch_norm", "block3_params = conv_weights"),
    ("07_going_further.ipynb", 'keeps_label = {"a", "c", "e"}', 'keeps_label = {"a", "b", "c", "e"}'),
    ("08_inside_the_cnn.ipynb", "n_values = 11 * 11 * 64", "n_values = 13 * 13 * 64"),
    ("08_inside_the_cnn.ipynb", "rf_5x5 = receptive_field([(5, 1), (2, 2), (3, 1)])",
     "rf_5x5 = receptive_field([(5, 1), (3, 1)])"),
    ("09_your_own_digit.ipynb", "return max(1, round(height * scale)), max(1, round(width * scale))",
     "return max(1, round(width * scale)), max(1, round(height * scale))"),
    ("09_your_own_digit.ipynb", "return (rows * image).sum() / total, (cols * image).sum() / total",
     "return (cols * image).sum() / total, (rows * image).sum() / total"),
]


def _nbgrader_command(course: Path, *args: str) -> tuple[list[str], dict[str, str]]:
    bin_dir = Path(sys.executable).parent  # nbgrader runs `alembic` from PATH
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
           "CNN_BOOK_STRICT_CHECKS": "1", "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "3"}
    for name in ("CNN_BOOK_SHOW_EXPECTED", "CNN_BOOK_GRADE_EVERYTHING"):
        env.pop(name, None)
    return [str(bin_dir / "nbgrader"), *args, ASSIGNMENT, "--force", f"--CourseDirectory.root={course}"], env


def _nbgrader(course: Path, *args: str) -> None:
    command, env = _nbgrader_command(course, *args)
    done = subprocess.run(command, cwd=course, env=env, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def _autograde_side_by_side(courses: dict[str, Path]) -> None:
    """`nbgrader autograde` in each course folder at once (one student each): the notebooks of
    one run wait on its kernel starting and importing TensorFlow, so two cores grade two or
    three students in about the time of one after the other's two."""
    running = {}
    for student, course in courses.items():
        command, env = _nbgrader_command(course, "autograde")
        log = open(course / "autograde.log", "w")  # closed below, after the run
        running[student] = (subprocess.Popen(command, cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT), log)
    for student, (process, log) in running.items():
        process.wait(timeout=1800)
        log.close()
        assert process.returncode == 0, f"{student}: " + (courses[student] / "autograde.log").read_text()[-3000:]


class Gradebooks:
    """One nbgrader gradebook per student's course folder, asked as if they were one."""

    def __init__(self, courses: dict[str, Path]) -> None:
        self.books = {student: nbgrader_api.Gradebook(f"sqlite:///{course / 'gradebook.db'}")
                      for student, course in courses.items()}

    def find_submission_notebook(self, notebook: str, assignment: str, student: str):
        return self.books[student].find_submission_notebook(notebook, assignment, student)

    def find_grade(self, grade_id: str, notebook: str, assignment: str, student: str):
        return self.books[student].find_grade(grade_id, notebook, assignment, student)

    def close(self) -> None:
        for book in self.books.values():
            book.close()


def _submit(course: Path, student: str, notebooks: dict[str, nbformat.NotebookNode]) -> None:
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / name)


def _check_id(nb: nbformat.NotebookNode, answer_text: str) -> str:
    """The grade id of the check cell that grades the answer cell holding `answer_text`."""
    index = next(i for i, cell in enumerate(nb.cells) if answer_text in cell.source)
    return next(cell.metadata["nbgrader"]["grade_id"] for cell in nb.cells[index:]
                if cell.metadata.get("nbgrader", {}).get("grade"))


def _chapter_seconds(course: Path, started: float) -> dict[str, float]:
    """Seconds each chapter took to autograde in one course folder (from when each graded
    notebook was written: nbgrader grades them one after the other)."""
    written = sorted((path.stat().st_mtime, path.name)
                     for path in (course / "autograded").glob(f"*/{ASSIGNMENT}/*.ipynb"))
    seconds: dict[str, float] = {}
    previous = started
    for stamp, name in written:
        seconds[name] = seconds.get(name, 0.0) + stamp - previous
        previous = stamp
    return seconds


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Make the copies, release them, autograde three submissions; yield the gradebook."""
    if not os.environ.get("MNIST_NPZ") and not (ROOT.parent / "shared" / "data" / "mnist.npz").is_file():
        pytest.skip("the chapters need MNIST: set MNIST_NPZ (make does)")
    os.environ.setdefault("MNIST_NPZ", str(ROOT.parent / "shared" / "data" / "mnist.npz"))
    models = Path(os.environ.get("CNN_BOOK_MODELS", ROOT / "_build" / "models"))
    if not (models / "seed_cnn.keras").is_file():
        pytest.skip(f"no trained chapter-5 model in {models}: run `make book` first (chapter 6 grades with it)")
    os.environ["CNN_BOOK_MODELS"] = str(models.resolve())
    work = tmp_path_factory.mktemp("nbgrader")
    copies, course = work / "copies", work / "course"
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_copies.py"), "--out", str(copies),
                    *map(str, CHAPTERS)], check=True, capture_output=True)
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    shutil.copy(copies / "nbgrader_config.py", course / "nbgrader_config.py")
    for path in sorted((copies / "instructor").glob("*.ipynb")):
        shutil.copy(path, source / path.name)
    _nbgrader(course, "generate_assignment")
    solved = {p.name: nbformat.read(p, as_version=4) for p in sorted(source.glob("*.ipynb"))}
    release = {p.name: nbformat.read(p, as_version=4)
               for p in sorted((course / "release" / ASSIGNMENT).glob("*.ipynb"))}
    assert sorted(release) == [p.name for p in CHAPTERS]
    wrong = {name: nbformat.reads(nbformat.writes(nb), as_version=4) for name, nb in solved.items()}
    for name, right, slip in SLIPS:
        cells = [c for c in wrong[name].cells if right in c.source]
        assert len(cells) == 1, f"{name}: the answer line {right!r} is not in one cell"
        cells[0].source = cells[0].source.replace(right, slip)
    courses = {}
    for student, notebooks in zip(STUDENTS, (solved, release, wrong), strict=True):
        courses[student] = work / f"course-{student}"
        shutil.copytree(course, courses[student])  # the release and its gradebook, one per student
        _submit(courses[student], student, notebooks)
    started = time.time()
    _autograde_side_by_side(courses)
    total = time.time() - started
    lines = []
    for student, folder in courses.items():
        lines += [f"{student}, {name}: {value:.0f} s" for name, value in _chapter_seconds(folder, started).items()]
    report = "\n".join(lines + [f"autograde, 3 submissions of {len(CHAPTERS)} chapters side by side: {total:.0f} s"])
    print("\n" + report)
    if os.environ.get("CNN_BOOK_NBGRADER_TIMES"):
        Path(os.environ["CNN_BOOK_NBGRADER_TIMES"]).write_text(report + "\n")
    slipped = {(name, _check_id(solved[name], right)) for name, right, _ in SLIPS}
    gradebooks = Gradebooks(courses)
    try:
        yield gradebooks, slipped, courses["solved"]
    finally:
        gradebooks.close()


def _chapter_score(gradebook, chapter: Path, student: str) -> tuple[float, float]:
    notebook = gradebook.find_submission_notebook(chapter.stem, ASSIGNMENT, student)
    return notebook.score, notebook.max_score


def test_the_assignment_has_a_point_per_exercise(graded):
    gradebook, *_ = graded
    for chapter in CHAPTERS:
        _, max_score = _chapter_score(gradebook, chapter, "solved")
        checks = sum(1 for cell in nbformat.read(chapter, as_version=4).cells
                     if cell.cell_type == "code" and cell.source.startswith("check_"))
        assert max_score == checks >= 3, chapter.name


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem[:2])
def test_solved_scores_full_marks_and_unsolved_zero(graded, chapter):
    gradebook, *_ = graded
    score, max_score = _chapter_score(gradebook, chapter, "solved")
    assert score == max_score > 0
    assert _chapter_score(gradebook, chapter, "unsolved")[0] == 0


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem[:2])
def test_slips_lose_exactly_their_points(graded, chapter):
    gradebook, slipped, _ = graded
    mine = {grade_id for name, grade_id in slipped if name == chapter.name}
    score, max_score = _chapter_score(gradebook, chapter, "wrong")
    assert score == max_score - len(mine)
    if mine:
        assert 0 < score < max_score
    for grade_id in mine:
        assert gradebook.find_grade(grade_id, chapter.stem, ASSIGNMENT, "wrong").score == 0, grade_id


def test_lesson_cells_are_skipped_but_kept_in_the_graded_notebooks(graded):
    """The budget skips the lesson's training, and gives the cells back unchanged."""
    gradebook, *_ = graded
    from tools import nbgrader_config

    chapter = ROOT / "chapters" / "05_training.ipynb"
    nb = nbformat.read(chapter, as_version=4)
    plan = nbgrader_config.grading_plan(nb)
    fit = next(i for i, cell in enumerate(nb.cells) if "history = model.fit(" in cell.source)
    load = next(i for i, cell in enumerate(nb.cells) if cell.source.startswith("data = load_prepared()"))
    assert not plan[fit] and plan[load]  # the 10-epoch training is skipped; the data the exercise uses is not
    _, _, course = graded
    out = nbformat.read(course / "autograded" / "solved" / ASSIGNMENT / chapter.name, as_version=4)
    assert out.cells[fit].source == nb.cells[fit].source and not out.cells[fit].outputs
    assert out.cells[load].outputs or out.cells[load].execution_count
