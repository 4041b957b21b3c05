"""The Colab copies read cleanly: no MyST left, every glued value filled in, badges to themselves.

Two parts. The unit tests run the converter of `_ext/colab_copies.py` (re-exported by
`tools/make_colab.py`) on small inputs with a hand-made index of the book. The tests of the
copies read what `make book` wrote in `_build/colab/` for every notebook page of the book,
chapters and appendix pages (CNN_BOOK_COLAB_COPIES names another folder): each copy is rendered
with markdown-it-py, a Markdown-only renderer like Colab's, and must show no MyST syntax; it
must be the conversion of today's chapter with this build's values; its badge must open its
own path on the `colab` branch; its links into the book must name pages and anchors that the
build has, and a citation shows the text the book's page shows. Expected URLs are computed
here from `_config.yml` with a YAML parser.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from tools import make_colab

ROOT = Path(__file__).resolve().parents[2]

BookIndex, ConversionError = make_colab.BookIndex, make_colab.ConversionError
convert_markdown, convert_notebook = make_colab.convert_markdown, make_colab.convert_notebook

BUILD = ROOT / "_build"
COPIES = Path(os.environ.get("CNN_BOOK_COLAB_COPIES", BUILD / "colab"))
IN_CI = bool(os.environ.get("CI"))
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
#: Every notebook page of the book: the chapters and any appendix notebook in `_toc.yml`.
NOTEBOOKS = make_colab.colab_copies.book_notebooks()
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
SLUG = re.fullmatch(r"https://github\.com/([^/]+/[^/]+)/?", CONFIG["repository"]["url"]).group(1)
OWNER, NAME = SLUG.split("/")
SITE = f"https://{OWNER.lower()}.github.io/{NAME}/"  # GitHub Pages of the repository
#: What Colab would show as raw text if a MyST construct were left in a copy.
LEFTOVERS = ["{glue", "{term}", "{doc}", "{numref}", "{ref}", "{cite", "{eq}", ":::{", "```{", "(fig-"]
LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\(([^)\s]+)\)")
MD = MarkdownIt("commonmark").enable("table")


# --- the converter on small inputs ----------------------------------------------------------

@pytest.fixture
def index() -> BookIndex:
    return BookIndex(
        site="https://example.github.io/book/",
        glue={"chapters/01_a": {"n": {"text/plain": "784"}, "acc": {"text/plain": "0.98765"},
                                "big": {"text/plain": "12345.678"}, "word": {"text/plain": "'seven'"}},
              "chapters/02_b": {"other": {"text/plain": "3"}}},
        titles={"chapters/01_a": "First chapter", "chapters/02_b": "Second chapter", "glossary": "Glossary"},
        numbers={"fig-a": ("chapters/01_a", "Fig. 1.1"), "fig-b": ("chapters/02_b", "Fig. 2.3"),
                 "ex-a": ("chapters/01_a", "Exercise 1.2")},
        terms={"max pooling": "term-Max-pooling", "kernel": "term-Kernel"},
        citations={"lecun": ("LeCun et al.", "1998", "id3"), "kingma": ("Kingma and Ba", "2015", "")},
    )


def md(text: str, index: BookIndex, doc: str = "chapters/01_a") -> str:
    return convert_markdown(text, doc, index)


def test_glue_values_are_formatted_as_the_book_formats_them(index):
    text = "{glue:text}`n` pixels, {glue:text}`acc:.1%` right, {glue:text}`big:,.0f` s, {glue:text}`word`."
    assert md(text, index) == "784 pixels, 98.8% right, 12,346 s, seven."
    assert md("{glue:text}`02_b::other:d` and {glue}`n`", index) == "3 and 784"


def test_a_glued_name_without_a_value_stops_the_conversion(index):
    with pytest.raises(ConversionError, match="no glued value named 'missing'"):
        md("{glue:text}`missing:.2f`", index)


def test_terms_link_to_the_glossary_of_the_published_book(index):
    assert md("a {term}`kernel` and {term}`pools <max pooling>`", index) == (
        "a [kernel](https://example.github.io/book/glossary.html#term-Kernel) and "
        "[pools](https://example.github.io/book/glossary.html#term-Max-pooling)"
    )
    with pytest.raises(ConversionError, match="not a term"):
        md("{term}`dropout`", index)


def test_doc_numref_and_cite_become_readable_links(index):
    site = index.site
    assert md("See {doc}`02_b` and {doc}`the glossary <../glossary>`.", index) == (
        f"See [Second chapter]({site}chapters/02_b.html) and [the glossary]({site}glossary.html)."
    )
    assert md("{numref}`fig-a`; {numref}`Figure %s <fig-b>`", index) == (
        f"[Fig. 1.1]({site}chapters/01_a.html#fig-a); [Figure 2.3]({site}chapters/02_b.html#fig-b)"
    )
    assert md("MNIST {cite:p}`lecun,kingma`; {cite:t}`kingma` showed", index) == (
        f"MNIST ([LeCun et al., 1998]({site}bibliography.html#id3); [Kingma and Ba, 2015]({site}bibliography.html)); "
        f"[Kingma and Ba (2015)]({site}bibliography.html) showed"
    )
    for bad in ("{doc}`03_c`", "{numref}`fig-z`", "{cite:p}`nobody`"):
        with pytest.raises(ConversionError):
            md(bad, index)


def test_code_spans_and_code_blocks_are_left_alone(index):
    text = "Write `{glue:text}` roles like this:\n\n```python\nprint('{term}`x`')\n```"
    assert md(text, index) == text


def test_admonitions_become_quoted_blocks_with_their_title(index):
    text = ":::{important}\n**Careful.** The {term}`kernel` slides.\n\nTwo paragraphs.\n:::"
    assert md(text, index) == (
        "> **Important**\n>\n> **Careful.** The [kernel](https://example.github.io/book/glossary.html#term-Kernel)"
        " slides.\n>\n> Two paragraphs."
    )
    assert md(":::{admonition} A story\n:class: dropdown\nBody\n:::", index) == (
        "<details>\n<summary>A story</summary>\n\nBody\n\n</details>"
    )
    assert md("::::{note}\n:::{tip}\nInner\n:::\n::::", index) == "> **Note**\n>\n> > **Tip**\n> >\n> > Inner"


def test_an_unknown_directive_or_role_stops_the_conversion(index):
    with pytest.raises(ConversionError, match="directive"):
        md(":::{margin}\nside note\n:::", index)
    with pytest.raises(ConversionError, match="role"):
        md("{abbr}`CNN (convolutional neural network)`", index)
    with pytest.raises(ConversionError, match="never closed"):
        md(":::{note}\nno end", index)


def test_myst_is_found_by_myst_s_tokenizer_wherever_it_sits(index):
    """Roles in tables, lists and quotes; directives in lists; targets and comments dropped."""
    glossary = "https://example.github.io/book/glossary.html"
    text = (
        "(sec-a)=\n## The {term}`kernel`\n\n% a comment for authors\n\n"
        "| role | code |\n| --- | --- |\n| {glue:text}`n` | `{glue:text}` |\n\n"
        "- one {numref}`fig-a`\n\n  :::{note}\n  In a list {term}`kernel`.\n  :::\n\n"
        "> quoted {glue:text}`acc:.0%`\n\n+++\n\nend"
    )
    assert md(text, index) == (
        f"## The [kernel]({glossary}#term-Kernel)\n\n"
        "| role | code |\n| --- | --- |\n| 784 | `{glue:text}` |\n\n"
        "- one [Fig. 1.1](https://example.github.io/book/chapters/01_a.html#fig-a)\n\n"
        f"  > **Note**\n  >\n  > In a list [kernel]({glossary}#term-Kernel).\n\n"
        "> quoted 99%\n\nend"
    )
    # A double-backtick code span holding a backtick and role syntax stays as written.
    assert md("``{term}`kernel` `` and {term}`kernel`", index) == (
        f"``{{term}}`kernel` `` and [kernel]({glossary}#term-Kernel)"
    )
    with pytest.raises(ConversionError, match="substitution"):
        md("a {{ name }} b", index)


def _cell(kind: str, source: str, **metadata) -> dict:
    cell = {"cell_type": kind, "id": f"c{abs(hash(source)) % 10**8}", "metadata": metadata, "source": source}
    if kind == "code":
        cell.update(outputs=[{"output_type": "stream", "name": "stdout", "text": "x"}], execution_count=3)
    return cell


def test_a_chapter_with_an_exercise_a_solution_and_a_figure(index):
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        _cell("markdown", "# First chapter\n\n[Open in Colab](https://old) · [View source on GitHub](https://src)\n\nIntro."),
        _cell("code", "plot()", mystnb={"figure": {"name": "fig-a", "caption": "A {term}`kernel`."}}),
        _cell("markdown", ":::{exercise} Count the pixels\n:label: ex-a\n\nStore it in `n`.\n:::"),
        _cell("markdown", ":::{solution-start} ex-a\n:class: dropdown\n:::"),
        _cell("code", "### BEGIN SOLUTION\nn = 784\n### END SOLUTION"),
        _cell("markdown", ":::{solution-end}\n:::"),
        _cell("code", "check(n)"),
    ]}
    copy = convert_notebook(nb, "chapters/01_a.ipynb", index)
    cells = copy["cells"]
    text = ["".join(cell["source"]) for cell in cells]
    assert [cell["cell_type"] for cell in cells] == ["markdown", "code", "markdown", "markdown", "markdown", "code", "code"]
    colab = f"https://colab.research.google.com/github/{SLUG}/blob/colab/chapters/01_a.ipynb"
    assert text[0].splitlines()[2] == (
        f"[Open in Colab]({colab}) · [View source on GitHub](https://github.com/{SLUG}/blob/main/chapters/01_a.ipynb)"
        " · [Read it in the book](https://example.github.io/book/chapters/01_a.html)"
    )
    assert text[2] == "**Fig. 1.1.** A [kernel](https://example.github.io/book/glossary.html#term-Kernel)."
    assert text[3] == "### Exercise 1.2: Count the pixels\n\nStore it in `n`."
    assert text[4].startswith("#### Solution to Exercise 1.2\n\n<details>\n<summary>")
    assert "```python\nn = 784\n```\n\n</details>" in text[4] and "BEGIN SOLUTION" not in text[4]
    solution = cells[5]
    assert solution["metadata"] == {"cellView": "form"} and text[5].startswith("# @title Solution to Exercise 1.2")
    assert text[5].endswith("### BEGIN SOLUTION\nn = 784\n### END SOLUTION")  # it still runs, unchanged
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in cells if cell["cell_type"] == "code")
    assert "mystnb" not in cells[1]["metadata"]
    assert nb["cells"][1]["outputs"], "the source notebook is not modified"


# --- the copies make book wrote (marked build) ----------------------------------------------

def test_every_chapter_and_appendix_notebook_gets_a_copy():
    assert set(CHAPTERS) <= set(NOTEBOOKS)
    appendix = sorted((ROOT / "appendix").glob("*.ipynb"))
    toc = (ROOT / "_toc.yml").read_text()
    assert [p for p in appendix if f"appendix/{p.stem}" in toc] == sorted(p for p in NOTEBOOKS if p.parent.name == "appendix")


def test_appendix_notebooks_in_the_toc_get_copies_too(tmp_path):
    """Any notebook page of `_toc.yml` is copied, whatever its folder; Markdown pages are not."""
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - caption: Notes and details\n    chapters:\n"
        "      - file: appendix/01_notes\n      - file: glossary\n      - file: appendix/02_missing\n"
    )
    for name in ("intro.md", "glossary.md", "appendix/01_notes.ipynb", "appendix/03_not_in_toc.ipynb"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("{}")
    assert make_colab.colab_copies.book_notebooks(tmp_path) == [tmp_path / "appendix" / "01_notes.ipynb"]


def _rel(notebook: Path) -> str:
    return notebook.relative_to(ROOT).as_posix()


def require_copies() -> Path:
    folder = COPIES
    if not all((folder / _rel(notebook)).is_file() for notebook in NOTEBOOKS):
        message = f"no Colab copies in {folder}: run `make book` first"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return folder


def copy_of(chapter: Path) -> dict:
    return json.loads((require_copies() / _rel(chapter)).read_text())


def rendered(nb: dict) -> str:
    return "\n".join(MD.render("".join(cell["source"])) for cell in nb["cells"] if cell["cell_type"] == "markdown")


def markdown_links(nb: dict) -> list[tuple[str, str]]:
    return [link for cell in nb["cells"] if cell["cell_type"] == "markdown" for link in LINK.findall("".join(cell["source"]))]


@pytest.fixture(scope="module")
def book_index() -> BookIndex:
    require_copies()
    return make_colab.read_index(BUILD)


@pytest.mark.build
@pytest.mark.parametrize("chapter", NOTEBOOKS, ids=_rel)
def test_copy_shows_no_myst_syntax_when_rendered(chapter):
    html = rendered(copy_of(chapter))
    found = [pattern for pattern in LEFTOVERS if pattern in html]
    assert found == [], f"{chapter.name}'s Colab copy shows MyST syntax: {found}"
    assert html.count("<details>") == html.count("</details>")


@pytest.mark.build
@pytest.mark.parametrize("chapter", NOTEBOOKS, ids=_rel)
def test_copy_is_todays_chapter_with_every_glued_value_of_this_build(chapter, book_index):
    """Converting the chapter now gives the copy on disk: it is not stale, and no value is missing."""
    rel = chapter.relative_to(ROOT).as_posix()
    source = json.loads(chapter.read_text())
    glued = {name for cell in source["cells"] if cell["cell_type"] == "markdown"
             for name in re.findall(r"\{glue:text\}`([^`:]+)", "".join(cell["source"]))}
    values = book_index.glue.get(rel.removesuffix(".ipynb"), {})
    assert glued <= set(values), f"glued in the prose but not by this build: {sorted(glued - set(values))}"
    assert convert_notebook(source, rel, book_index) == copy_of(chapter), "stale copy: run `make book`"


@pytest.mark.build
@pytest.mark.parametrize("chapter", NOTEBOOKS, ids=_rel)
def test_copy_badge_opens_the_copy_itself(chapter):
    nb = copy_of(chapter)
    rel = chapter.relative_to(ROOT).as_posix()
    first = dict(LINK.findall("".join(nb["cells"][0]["source"])))
    assert first["Open in Colab"] == f"https://colab.research.google.com/github/{SLUG}/blob/colab/{rel}"
    assert first["View source on GitHub"] == f"https://github.com/{SLUG}/blob/main/{rel}"
    assert first["Read it in the book"] == f"{SITE}{rel.removesuffix('.ipynb')}.html"
    colab = [url for _, url in markdown_links(nb) if "colab.research.google.com" in url]
    assert colab == [first["Open in Colab"]], "no other Colab link"


@pytest.mark.build
@pytest.mark.parametrize("chapter", NOTEBOOKS, ids=_rel)
def test_copy_links_into_the_book_name_built_pages_and_anchors(chapter):
    for text, url in markdown_links(copy_of(chapter)):
        if not url.startswith(SITE):
            continue
        page, _, anchor = url[len(SITE):].partition("#")
        built = BUILD / "html" / page
        assert built.is_file(), f"[{text}]({url}): {page} is not a page of the build"
        if anchor:
            assert f'id="{anchor}"' in built.read_text(), f"[{text}]({url}): no #{anchor} on {page}"


@pytest.mark.build
@pytest.mark.parametrize("chapter", NOTEBOOKS, ids=_rel)
def test_copy_keeps_every_code_cell_and_caption_and_no_output(chapter):
    source = json.loads(chapter.read_text())["cells"]
    copy = copy_of(chapter)["cells"]
    code = ["".join(c["source"]) for c in copy if c["cell_type"] == "code"]
    # A deliberate error (tagged raises-exception) runs wrapped, so that "Run all" goes on
    # (tools/expected_errors.py; tests/book/test_expected_errors.py); every other cell is as it is.
    wrap = make_colab.expected_errors
    expected = [wrap.wrap_source("".join(c["source"])) if wrap.is_expected_error(c) else "".join(c["source"])
                for c in source if c["cell_type"] == "code"]
    assert [re.sub(r"\A# @title .*\n", "", text) for text in code] == expected
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in copy if c["cell_type"] == "code")
    captions = [c["metadata"]["mystnb"]["figure"]["name"] for c in source
                if c["cell_type"] == "code" and c["metadata"].get("mystnb", {}).get("figure", {}).get("caption")]
    shown = "\n".join("".join(c["source"]) for c in copy if c["cell_type"] == "markdown")
    assert len(re.findall(r"^\*\*Fig\. [\d.]+\.\*\* \S", shown, re.M)) == len(captions)


@pytest.mark.build
@pytest.mark.parametrize("chapter", NOTEBOOKS, ids=_rel)
def test_copy_citations_show_what_the_book_page_shows(chapter):
    """A parenthetical citation reads as on the page ("Rajwal, 2021") and links the same entry."""
    page = (BUILD / "html" / _rel(chapter)).with_suffix(".html").read_text()
    for text, url in markdown_links(copy_of(chapter)):
        if url.startswith(f"{SITE}bibliography.html") and "(" not in text:
            anchor = url.partition("#")[2]
            assert anchor, f"[{text}]({url}) names no entry of the bibliography"
            shown = set(re.findall(rf'href="[./]*bibliography\.html#{anchor}"[^>]*>(.*?)</a>', page))
            assert MD.renderInline(text) in shown, (
                f"the book's page shows {shown} linking #{anchor}, the copy [{text}]"
            )
