"""The Colab copies of the book's notebooks, written by the build from what Sphinx resolved.

Colab shows a notebook's Markdown as it is, and the book's notebooks are written in MyST.
When the HTML build finishes (Sphinx's `build-finished` event), this extension writes
`_build/colab/<path>.ipynb` for every notebook page of the book (`chapters/`, `appendix/`,
any folder): the folder the publishing workflow pushes to the `colab` branch of the
repository named in `_config.yml`. Nothing is scraped from the HTML and no MyST is re-parsed
with regular expressions:

- what the copy needs from the book (the `BookIndex`) is read from the Sphinx environment:
  page titles (`env.titles`), figure and exercise numbers (`env.toc_fignumbers` with the std
  domain's labels and `numfig_format`), glossary terms (the std domain), citations as the
  bibtex domain renders them in the book's author-year style (its own `resolve_xref`), the
  glue store MyST-NB keeps for each notebook, and each page's reading time
  (`_ext/reading_time.py`'s counts). It is also saved to `_build/colab-index.json`, so that
  the tests and `tools/make_colab.py` can convert again without Sphinx;
- each Markdown cell is tokenised by MyST's own parser (markdown-it-py with the MyST plugins,
  `myst_parser.parsers.mdit.create_md_parser`, with the book's `myst_enable_extensions`),
  and only the tokens that Colab cannot show are rewritten in place, everything else kept as
  written:
  - roles: `{glue:text}` (and `{glue}`, `{glue:md}`) become the values this build glued,
    formatted with MyST-NB's own function; `{term}` the word linked to the glossary of the
    published book; `{doc}`, `{numref}` and `{cite:p}`/`{cite:t}` readable text ("Training
    the network", "Fig. 5.1", "(Kingma and Ba, 2015)") linked to the page, figure or
    bibliography entry; `{reading-time}` the page's minutes;
  - directives (colon or backtick fences, nested ones parsed again like MyST does):
    admonitions become quoted blocks headed by their title (dropdowns `<details>`),
    exercises headings ("Exercise 5.1: ..."), a solution a heading and a `<details>` block
    showing its code, whose code cell still runs (the check under it needs it) but is folded
    away in Colab (a form cell: "Show code"); figures, math and code blocks plain Markdown;
  - MyST targets, comments and block breaks are dropped;
- a figure's caption (cell metadata) is kept as a Markdown cell under the cell drawing it;
- a code cell tagged `raises-exception` (a deliberate error) runs inside try/except that
  prints the traceback and goes on, with a one-line note saying that the error is meant
  (`tools/expected_errors.py`): Colab's "Run all" knows no cell tags and would stop there;
- the button row opens the copy itself (`.../blob/colab/<path>.ipynb`) and links the page in
  the book; outputs are stripped.

A role or directive it does not know, a glued name without a value or a reference it cannot
resolve stops the build with an error naming the page, so a new MyST feature cannot leak
into Colab unnoticed. Enabled in `_config.yml` under `sphinx.local_extensions`;
`tests/build/test_colab_copies.py` checks the copies.
"""

from __future__ import annotations

import copy
import dataclasses
import html
import json
import posixpath
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
INDEX_FILE = "colab-index.json"  # in the build folder (_build/), beside colab/


if str(ROOT) not in sys.path:  # under Sphinx only _ext/ is on the path; `tools` is a package of the root
    sys.path.append(str(ROOT))

# Cells that fail on purpose; the button row and the repository.
from tools import expected_errors, sync_notebooks  # noqa: E402

#: The branch of the repository that holds the copies (pushed there by the publishing workflow).
COLAB_BRANCH = sync_notebooks.COLAB_BRANCH
ADMONITIONS = {
    "note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error",
    "seealso", "admonition",
}
#: Directives whose body is text to show as it is (not MyST to convert).
LITERAL_DIRECTIVES = {"code-block", "code", "code-cell", "math"}
COPY_NOTE = (
    "*This is the Colab copy of the chapter, generated from the book's source when the book "
    "was built. Numbers in the text are the ones that build computed; when you run the cells, "
    "yours may differ a little (timings above all).*"
)


def _book_extensions() -> tuple[str, ...]:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return tuple(sorted(config.get("parse", {}).get("myst_enable_extensions", [])))


class ConversionError(ValueError):
    """A MyST construct the copy cannot render, or a value or reference the build lacks."""


@dataclass
class BookIndex:
    """What the converter needs from the built book.

    `site`: the published book's URL, ending in "/". `glue`: docname -> glued name -> output
    data (mime type -> value). `titles`: docname -> page title. `numbers`: label -> (docname,
    "Fig. 5.1" or "Exercise 5.1"). `terms`: glossary term, lower case -> its anchor id.
    `citations`: bib key -> (authors, year, anchor id on the bibliography page).
    `reading_times`: docname -> minutes. `myst_extensions`: the MyST syntax extensions the
    book enables (the tokenizer's configuration).
    """

    site: str
    glue: dict[str, dict[str, dict]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, tuple[str, str]] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)
    citations: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    reading_times: dict[str, int] = field(default_factory=dict)
    myst_extensions: tuple[str, ...] = field(default_factory=_book_extensions)


# --- where things are published -------------------------------------------------------------

def site_url() -> str:
    """The published book (GitHub Pages of the repository in `_config.yml`), ending in "/"."""
    url, _ = sync_notebooks.repository()
    owner, name = url.split("github.com/", 1)[1].split("/")[:2]
    return f"https://{owner.lower()}.github.io/{name}/"


def copy_colab_url(rel: str) -> str:
    """Where Colab opens the copy of `rel` (e.g. "chapters/05_training.ipynb")."""
    return sync_notebooks.colab_url_for(rel)


def page_url(index: BookIndex, docname: str, anchor: str = "") -> str:
    return f"{index.site}{docname}.html" + (f"#{anchor}" if anchor else "")


# --- the index, read from the Sphinx environment ---------------------------------------------

def _numbers(env) -> dict[str, tuple[str, str]]:
    """label -> (docname, "Fig. 5.1"): every numbered figure, table or exercise with a label."""
    formats = env.config.numfig_format
    numbers = {}
    for label, (docname, labelid, _) in env.domaindata["std"]["labels"].items():
        for figtype, ids in env.toc_fignumbers.get(docname, {}).items():
            if labelid in ids and figtype in formats:
                numbers[label] = (docname, formats[figtype] % ".".join(map(str, ids[labelid])))
    return numbers


def _markdown_of(node) -> str:
    """The text of a resolved docutils node, its emphasis and strong text kept as Markdown."""
    from docutils import nodes

    if isinstance(node, nodes.Text):
        return str(node)
    inner = "".join(_markdown_of(child) for child in node.children)
    if isinstance(node, nodes.emphasis):
        return f"*{inner}*"
    if isinstance(node, nodes.strong):
        return f"**{inner}**"
    return inner


def _citations(app) -> dict[str, tuple[str, str, str]]:
    """bib key -> (authors, year, anchor), as the bibtex domain renders `{cite:p}` in the book."""
    from docutils import nodes
    from sphinx.addnodes import pending_xref

    domain = app.env.get_domain("cite")
    citations = {}
    for citation in domain.citations:
        if citation.key in citations:
            continue
        node = pending_xref("", refdomain="cite", reftype="p", reftarget=citation.key)
        resolved = domain.resolve_xref(app.env, citation.bibliography_key.docname, app.builder, "p",
                                       citation.key, node, nodes.inline())
        text = _markdown_of(resolved).strip()  # e.g. "[LeCun *et al.*, 1998]" in author_year style
        match = re.fullmatch(r"[\[(](.+), ([^,]+)[\])]", text)
        if not match:
            raise ConversionError(f"the bibtex domain renders {citation.key!r} as {text!r}: not author, year")
        citations[citation.key] = (match.group(1), match.group(2), citation.citation_id)
    return citations


def book_index(app) -> BookIndex:
    """Everything the converter needs, read from the finished build's Sphinx environment."""
    from myst_nb.ext.glue.crossref import read_glue_cache

    env = app.env
    std = env.domaindata["std"]
    glue = {}
    for docname, metadata in getattr(env, "nb_metadata", {}).items():
        if metadata.get("glue"):
            stored = read_glue_cache(str(env.mystnb_config.output_folder), docname)
            glue[docname] = {name: output["data"] for name, output in stored.items()}
    terms = {term: anchor for term, (docname, anchor) in std.get("terms", {}).items() if docname == "glossary"}
    reading = sys.modules.get("reading_time")
    times = {}
    if reading is not None:
        times = {doc: reading.reading_minutes(*counts) for doc, counts in getattr(env, "reading_times", {}).items()}
    return BookIndex(
        site=site_url(), glue=glue, titles={doc: title.astext() for doc, title in env.titles.items()},
        numbers=_numbers(env), terms=terms, citations=_citations(app), reading_times=times,
        myst_extensions=tuple(sorted(app.config.myst_enable_extensions)),
    )


def save_index(index: BookIndex, path: Path) -> None:
    path.write_text(json.dumps(dataclasses.asdict(index), indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def read_index(build: Path) -> BookIndex:
    """The index the last `make book` saved in `build` (`_build/colab-index.json`)."""
    path = Path(build) / INDEX_FILE
    if not path.is_file():
        raise ConversionError(f"{path} does not exist: build the book first (make book).")
    data = json.loads(path.read_text())
    data["numbers"] = {label: tuple(value) for label, value in data["numbers"].items()}
    data["citations"] = {key: tuple(value) for key, value in data["citations"].items()}
    data["myst_extensions"] = tuple(data["myst_extensions"])
    return BookIndex(**data)


# --- inline roles ---------------------------------------------------------------------------

def _text_and_target(content: str) -> tuple[str | None, str]:
    match = re.fullmatch(r"\s*(.*?)\s*<([^<>]+)>\s*", content, re.S)
    return (match.group(1), match.group(2).strip()) if match else (None, content.strip())


def _resolve_doc(docname: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(docname), target))


def _glue_value(content: str, docname: str, index: BookIndex, role: str) -> str:
    from_doc = docname
    key, fmt = content.strip(), ""
    if role == "glue:text" and ":" in key.split("::")[-1]:  # name:format_spec, as MyST-NB reads it
        key, fmt = key.rsplit(":", 1)
    if "::" in key:
        other, key = key.split("::", 1)
        from_doc = _resolve_doc(docname, other)
    data = index.glue.get(from_doc, {}).get(key)
    if data is None:
        raise ConversionError(f"{docname}: the build has no glued value named {key!r} (in {from_doc}).")
    if role == "glue:md":
        if "text/markdown" not in data:
            raise ConversionError(f"{docname}: glued value {key!r} has no text/markdown")
        return data["text/markdown"].strip()
    if "text/plain" not in data:
        raise ConversionError(f"{docname}: glued value {key!r} has no text/plain (an image?)")
    from myst_nb.core.variables import format_plain_text

    try:
        return format_plain_text(data["text/plain"], fmt or "s")
    except Exception as exc:  # the same failure the book's build would report
        raise ConversionError(f"{docname}: cannot format glued {key!r} with {fmt!r}: {exc}") from exc


def _escape_link_text(text: str) -> str:
    return text.replace("[", r"\[").replace("]", r"\]")


def _reading_time(content: str, docname: str, index: BookIndex) -> str:
    target = content.strip()
    doc = docname if target in ("", ".") else _resolve_doc(docname, target)
    if doc.endswith("*"):  # the sum over pages, written as _ext/reading_time.py writes it
        total = sum(minutes for page, minutes in index.reading_times.items() if page.startswith(doc[:-1]))
        return f"{total} minutes (about {total / 60:.1f} hours)"
    if doc not in index.reading_times:
        raise ConversionError(f"{docname}: the build has no reading time for {doc!r}")
    return f"{index.reading_times[doc]} minutes"


def _role(role: str, content: str, docname: str, index: BookIndex) -> str:
    if role in ("glue", "glue:text", "glue:md"):
        return _glue_value(content, docname, index, role)
    if role == "term":
        text, target = _text_and_target(content)
        anchor = index.terms.get(target.lower())
        if anchor is None:
            raise ConversionError(f"{docname}: {target!r} is not a term of the glossary")
        return f"[{_escape_link_text(text or target)}]({page_url(index, 'glossary', anchor)})"
    if role == "doc":
        text, target = _text_and_target(content)
        doc = _resolve_doc(docname, target)
        if doc not in index.titles:
            raise ConversionError(f"{docname}: {{doc}} names {target!r}, which is not a page of the book")
        return f"[{_escape_link_text(text or index.titles[doc])}]({page_url(index, doc)})"
    if role in ("numref", "ref"):
        text, label = _text_and_target(content)
        if label not in index.numbers:
            raise ConversionError(f"{docname}: no numbered figure or exercise labelled {label!r} in the build")
        doc, number = index.numbers[label]
        if text:
            shown = text.replace("%s", number.split(" ", 1)[-1]).replace("{number}", number.split(" ", 1)[-1])
        else:
            shown = number
        return f"[{_escape_link_text(shown)}]({page_url(index, doc, label)})"
    if role in ("cite", "cite:p", "cite:t", "cite:ps", "cite:ts"):
        keys = [key.strip() for key in content.split(",") if key.strip()]
        parts = []
        for key in keys:
            if key not in index.citations:
                raise ConversionError(f"{docname}: {key!r} is not in references.bib")
            authors, year, anchor = index.citations[key]
            url = page_url(index, "bibliography", anchor)
            parts.append(f"[{authors} ({year})]({url})" if role.startswith("cite:t") else f"[{authors}, {year}]({url})")
        return "; ".join(parts) if role.startswith("cite:t") else "(" + "; ".join(parts) + ")"
    if role == "reading-time":
        return _reading_time(content, docname, index)
    raise ConversionError(f"{docname}: the role {{{role}}} has no plain-Markdown form in _ext/colab_copies.py")


# --- MyST's tokenizer -------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _parser(extensions: tuple[str, ...]):
    """MyST's own markdown-it parser, with the syntax extensions the book enables."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=set(extensions)), RendererHTML)


def _code_span_end(text: str, start: int, markup: str) -> tuple[int, int]:
    """(start, end) of the code span opened by `markup` at or after `start`."""
    run = re.compile(rf"(?<!`){re.escape(markup)}(?!`)")
    opening = run.search(text, start)
    closing = run.search(text, opening.end()) if opening else None
    if not closing:
        raise ConversionError(f"cannot find the code span {markup}...{markup} in {text[start:start + 60]!r}")
    return opening.start(), closing.end()


def _convert_inline(text: str, children: list, docname: str, index: BookIndex) -> str:
    """`text` (the source lines of one or more inline tokens) with each role token replaced.

    The tokens come in source order, so a cursor walks the text: code spans are stepped over
    (their content stays as written), each role is found after the cursor and replaced.
    """
    out, cursor = [], 0
    for child in children:
        if child.type == "code_inline":
            _, end = _code_span_end(text, cursor, child.markup)
            out.append(text[cursor:end])
            cursor = end
        elif child.type == "myst_role":
            name = child.meta["name"]
            match = re.compile(rf"\{{{re.escape(name)}\}}(`+)(.*?)(?<!`)\1(?!`)", re.S).search(text, cursor)
            if not match:
                raise ConversionError(f"{docname}: cannot find the role {{{name}}} in {text[cursor:cursor + 60]!r}")
            out.append(text[cursor:match.start()])
            out.append(_role(name, match.group(2), docname, index))
            cursor = match.end()
        elif child.type == "substitution_inline":
            raise ConversionError(f"{docname}: a substitution {{{{ {child.content} }}}} has no Markdown form")
    out.append(text[cursor:])
    return "".join(out)


def _options(body: str) -> tuple[dict[str, str], str]:
    """A directive's options (a `---` YAML block or `:key: value` lines) and the rest of its body."""
    lines = body.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
        if end is None:
            raise ConversionError("a directive's --- option block is never closed")
        options = yaml.safe_load("\n".join(lines[1:end])) or {}
        return {str(k): str(v) for k, v in options.items()}, "\n".join(lines[end + 1:])
    options, i = {}, 0
    while i < len(lines):
        match = re.match(r"^\s*:([\w-]+):\s*(.*)$", lines[i])
        if not match:
            break
        options[match.group(1)] = match.group(2)
        i += 1
    return options, "\n".join(lines[i:])


def _quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.strip("\n").split("\n"))


def _details(summary: str, body: str) -> str:
    return f"<details>\n<summary>{html.escape(summary, quote=False)}</summary>\n\n{body.strip()}\n\n</details>"


def _number(index: BookIndex, label: str, kind: str) -> str:
    return index.numbers.get(label, ("", kind))[1]


def _directive(name: str, arg: str, options: dict[str, str], body: str, docname: str, index: BookIndex,
               context: dict) -> str:
    context.setdefault("directives", []).append(name)
    if name in ADMONITIONS:
        title = arg if arg else name.capitalize()
        if name == "seealso" and not arg:
            title = "See also"
        if "dropdown" in options.get("class", "").split():
            return _details(title, body)
        return _quote(f"**{title}**\n\n{body.strip()}")
    if name == "dropdown":
        return _details(arg or "Details", body)
    if name == "exercise":
        number = _number(index, options.get("label", ""), "Exercise")
        heading = f"### {number}: {arg}" if arg else f"### {number}"
        return f"{heading}\n\n{body.strip()}".strip()
    if name in ("solution", "solution-start"):
        number = _number(index, arg, "Exercise")
        title = f"Solution to {number}"
        context["solution_title"] = title
        if name == "solution":
            return f"#### {title}\n\n" + _details(f"Show the solution to {number}", body)
        return f"#### {title}\n\n{body.strip()}".strip()
    if name == "solution-end":
        return body.strip()
    if name == "math":
        return f"$$\n{body.strip()}\n$$"
    if name in ("code-block", "code", "code-cell"):
        return f"```{arg}\n{body.strip(chr(10))}\n```"
    if name in ("figure", "image"):
        alt = options.get("alt", "")
        src = arg if re.match(r"https?://", arg) else page_url(index, _resolve_doc(docname, arg)).removesuffix(".html")
        caption = f"\n\n*{body.strip()}*" if body.strip() else ""
        return f"![{alt}]({src}){caption}"
    raise ConversionError(f"{docname}: the directive {{{name}}} has no plain-Markdown form in _ext/colab_copies.py")


def _fence_closed(lines: list[str], token) -> bool:
    """Whether the fence `token` ends with a closing fence line (markdown-it runs an open one to the end)."""
    last = lines[token.map[1] - 1] if token.map[1] - token.map[0] > 1 else ""
    stripped = re.sub(r"^[\s>]*", "", last).rstrip()
    char = token.markup[0]
    return len(stripped) >= len(token.markup) and set(stripped) == {char}


def _directive_block(lines: list[str], token, docname: str, index: BookIndex, context: dict) -> list[str]:
    """The lines replacing the directive `token` (a fence whose info is `{name} arg`)."""
    match = re.fullmatch(r"\{([\w:-]+)\}\s*(.*)", token.info.strip(), re.S)
    name, arg = match.group(1), match.group(2).strip()
    if not _fence_closed(lines, token):
        raise ConversionError(f"{docname}: the directive {{{name}}} is never closed")
    options, body = _options(token.content)
    if name not in LITERAL_DIRECTIVES:
        body = convert_markdown(body, docname, index, context, strip=False)
    block = _directive(name, arg, options, body, docname, index, context)
    prefix = re.match(r"^[ \t>]*", lines[token.map[0]]).group(0)  # a list's indent, a quote's "> "
    return [prefix + line if line else prefix.rstrip() for line in block.split("\n")]


def convert_markdown(text: str, docname: str, index: BookIndex, context: dict | None = None,
                     strip: bool = True) -> str:
    """A MyST Markdown cell as plain Markdown: MyST's tokens rewritten, the rest as written."""
    context = {} if context is None else context
    lines = text.split("\n")
    edits: list[tuple[int, int, list[str]]] = []  # (first line, end line, replacement)
    inline: dict[tuple[int, int], list] = {}  # line range -> the inline tokens' children there
    for token in _parser(index.myst_extensions).parse(text):
        if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
            edits.append((token.map[0], token.map[1], _directive_block(lines, token, docname, index, context)))
        elif token.type in ("myst_target", "myst_line_comment", "myst_block_break"):
            edits.append((token.map[0], token.map[1], []))
        elif token.type == "substitution_block":
            raise ConversionError(f"{docname}: a substitution {{{{ {token.content} }}}} has no Markdown form")
        elif token.type == "inline" and any(c.type in ("myst_role", "substitution_inline") for c in token.children):
            if token.map is None:
                raise ConversionError(f"{docname}: a role in {token.content[:60]!r} has no position")
            inline.setdefault(tuple(token.map), []).extend(token.children)
    for (start, end), children in inline.items():
        converted = _convert_inline("\n".join(lines[start:end]), children, docname, index)
        edits.append((start, end, converted.split("\n")))
    for start, end, replacement in sorted(edits, reverse=True):
        lines[start:end] = replacement
    out = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", out).strip("\n") if strip else out


# --- whole notebooks ------------------------------------------------------------------------

def _lines(text: str) -> list[str]:
    return sync_notebooks._lines(text)


def copy_button_row(rel: str, index: BookIndex) -> str:
    docname = rel.removesuffix(".ipynb")
    return (
        f"{sync_notebooks.BUTTON_PREFIX}({copy_colab_url(rel)}) · "
        f"[View source on GitHub]({sync_notebooks.source_url_for(rel)}) · "
        f"[Read it in the book]({page_url(index, docname)})"
    )


def _first_cell(text: str, rel: str, index: BookIndex) -> str:
    row = copy_button_row(rel, index)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(sync_notebooks.BUTTON_PREFIX):
            lines[i] = f"{row}\n\n{COPY_NOTE}"
            return "\n".join(lines)
    title, _, rest = text.partition("\n")
    return f"{title}\n\n{row}\n\n{COPY_NOTE}\n{rest}"


def _solution_listing(code: list[str]) -> str:
    kept = [line for line in "\n".join(code).split("\n") if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
    return "```python\n" + "\n".join(kept).strip("\n") + "\n```"


def convert_notebook(nb: dict, rel: str, index: BookIndex) -> dict:
    """The Colab copy of the notebook `nb` found at `rel` (e.g. "chapters/05_training.ipynb")."""
    docname = rel.removesuffix(".ipynb")
    nb = copy.deepcopy(nb)
    cells: list[dict] = []
    solution: dict | None = None  # the markdown cell that opened the solution being copied
    solution_title = ""
    solution_code: list[str] = []
    for position, cell in enumerate(nb["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            context: dict = {}
            text = convert_markdown(source, docname, index, context)
            directives = context.get("directives", [])
            if position == 0:
                text = _first_cell(text, rel, index)
            if "solution-end" in directives and solution is not None:
                solution["source"] = _lines("".join(solution["source"]) + "\n\n" + _details(
                    "Show the solution's code", _solution_listing(solution_code)))
                solution, solution_code = None, []
            if not text.strip():
                continue  # e.g. a solution-end fence: nothing left to read
            cell["source"] = _lines(text)
            cells.append(cell)
            if "solution-start" in directives:
                solution, solution_code = cell, []
                solution_title = context.get("solution_title", "Solution")
            continue
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
            metadata = cell.setdefault("metadata", {})
            figure = metadata.pop("mystnb", {}).get("figure")
            if expected_errors.is_expected_error(cell):
                try:
                    source = expected_errors.wrap_source(source)
                except ValueError as exc:
                    raise ConversionError(f"{docname}: code cell {position} (raises-exception): {exc}") from exc
                cell["source"] = _lines(source)
            if solution is not None:
                solution_code.append(source)
                cell["source"] = _lines(f"# @title {solution_title} (runs it; read it above, or click Show code)\n{source}")
                metadata["cellView"] = "form"
            cells.append(cell)
            if figure and figure.get("caption"):
                number = index.numbers.get(figure.get("name", ""), ("", "Figure"))[1]
                caption = convert_markdown(figure["caption"], docname, index)
                cells.append({
                    "cell_type": "markdown", "id": f"{cell.get('id', position)}-caption", "metadata": {},
                    "source": _lines(f"**{number}.** {caption}"),
                })
            continue
        cells.append(cell)
    if solution is not None:
        raise ConversionError(f"{docname}: a solution-start has no solution-end")
    nb["cells"] = cells
    # Colab's table of contents open at the side: the chapter's sections, exercises, solutions.
    nb["metadata"] = {**nb.get("metadata", {}), "colab": {"provenance": [], "toc_visible": True}}
    nb["metadata"].setdefault("kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"})
    return nb


def write_copies(notebooks: list[Path], index: BookIndex, out: Path, root: Path = ROOT) -> list[Path]:
    """Convert every notebook and write it under `out`; nothing is written if one fails."""
    converted = []
    for notebook in notebooks:
        rel = notebook.resolve().relative_to(root).as_posix()
        converted.append((out / rel, convert_notebook(json.loads(notebook.read_text()), rel, index)))
    for path, nb in converted:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(sync_notebooks.dumps(nb))
        tmp.replace(path)
    return [path for path, _ in converted]


def book_notebooks(root: Path = ROOT) -> list[Path]:
    """Every notebook page of the book (`_toc.yml`): chapters, appendix pages, any other."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key in ("root", "file"):
                if key in node:
                    files.append(str(node[key]))
            for value in node.values():
                if isinstance(value, (list, dict)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return [root / f"{name.removesuffix('.ipynb')}.ipynb" for name in files
            if (root / f"{name.removesuffix('.ipynb')}.ipynb").is_file()]


# --- the Sphinx side --------------------------------------------------------------------------

def write_at_build_end(app, exception: Exception | None) -> None:
    """`build-finished`: save the index, then write every notebook page's Colab copy."""
    if exception is not None or app.builder.format != "html":
        return
    from sphinx.errors import ExtensionError
    from sphinx.util import logging

    srcdir = Path(app.srcdir)
    build = Path(app.outdir).parent  # _build/ (the HTML is in _build/html)
    notebooks = [Path(app.env.doc2path(doc)) for doc in sorted(app.env.found_docs)]
    notebooks = [path for path in notebooks if path.suffix == ".ipynb"]
    try:
        index = book_index(app)
        save_index(index, build / INDEX_FILE)
        written = write_copies(notebooks, index, build / "colab", root=srcdir)
    except ConversionError as exc:
        raise ExtensionError(f"colab_copies: {exc}") from exc
    logging.getLogger(__name__).info("colab_copies: %d Colab copies in %s", len(written), build / "colab")


def setup(app) -> dict:
    app.connect("build-finished", write_at_build_end)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
