"""Write the Colab copies of the chapters: plain Jupyter Markdown, with this build's values.

Colab shows a notebook's Markdown as it is, and the chapters are written in MyST for the book.
After `jupyter-book build`, this tool writes `_build/colab/chapters/NN_slug.ipynb` for every
chapter (`make book` runs it), the folder that the publishing workflow pushes to the `colab`
branch of the repository named in `_config.yml`. In each copy:

- `{glue:text}` (and `{glue}`, `{glue:md}`) roles become the values this build computed, read
  from the `<doc>.glue.json` files MyST-NB writes beside the executed notebooks in
  `_build/jupyter_execute/`, formatted with MyST-NB's own function, as on the book's pages;
- `{term}` becomes the word linked to its entry in the published book's glossary;
- `{doc}`, `{numref}` and `{cite:p}`/`{cite:t}` become readable text ("Training the network",
  "Fig. 5.1", "(Kingma and Ba, 2015)") linked to the published page, figure or bibliography
  entry; numbers and titles are read from the built HTML, so they match the book;
- exercises become headings ("Exercise 5.1: ..."); a solution becomes a heading and a
  collapsible `<details>` block showing its code, and its code cell, which still runs so
  that the check under it works, is folded away in Colab (a form cell: "Show code");
- admonitions become quoted blocks headed by their title; figure captions are kept as a
  Markdown cell under the cell that draws the figure;
- a code cell tagged `raises-exception` (a deliberate error, which the book's page shows as
  the real error) runs inside try/except that prints the traceback and goes on, with a
  one-line note saying that the error is meant (`tools/expected_errors.py`): Colab's "Run
  all" knows no cell tags and would stop there;
- the button row opens the copy itself (`.../blob/colab/chapters/NN_slug.ipynb`) and links
  the chapter's page in the book; outputs are stripped.

A construct it does not know, a glued name without a value or a reference it cannot resolve
stops it with an error naming the chapter, so a new MyST feature cannot leak into Colab
unnoticed. `python tools/make_colab.py [--build DIR] [--out DIR] [NOTEBOOK ...]`.
"""

from __future__ import annotations

import argparse
import copy
import html
import importlib.util
import json
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_tool(name: str):
    """A module of tools/ (the folder is not a package), loaded by its path."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


sync_notebooks = _load_tool("sync_notebooks")  # the button row and the repository live there
expected_errors = _load_tool("expected_errors")  # cells that fail on purpose

#: The branch of the repository that holds the copies (pushed there by the publishing workflow).
COLAB_BRANCH = sync_notebooks.COLAB_BRANCH
ADMONITIONS = {
    "note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error",
    "seealso", "admonition",
}
COPY_NOTE = (
    "*This is the Colab copy of the chapter, generated from the book's source when the book "
    "was built. Numbers in the text are the ones that build computed; when you run the cells, "
    "yours may differ a little (timings above all).*"
)


class ConversionError(ValueError):
    """A MyST construct the copy cannot render, or a value or reference the build lacks."""


@dataclass
class BookIndex:
    """What the converter needs from the built book.

    `site`: the published book's URL, ending in "/". `glue`: docname -> glued name -> output
    data (mime type -> value). `titles`: docname -> page title. `numbers`: label -> (docname,
    "Fig. 5.1" or "Exercise 5.1"). `terms`: glossary term, lower case -> its anchor id.
    `citations`: bib key -> (authors, year, anchor id or "").
    """

    site: str
    glue: dict[str, dict[str, dict]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, tuple[str, str]] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)
    citations: dict[str, tuple[str, str, str]] = field(default_factory=dict)


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


# --- reading the build ----------------------------------------------------------------------

def _strip_tags(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _first_heading(text: str) -> str:
    match = re.search(r"^#\s+(.+?)\s*$", text, re.M)
    return match.group(1) if match else ""


def read_titles(root: Path) -> dict[str, str]:
    """docname -> title: the first `#` heading of every chapter and appendix notebook (the
    "Notes and details" pages chapters link to) and Markdown page."""
    titles = {}
    for path in sorted([*root.glob("chapters/*.ipynb"), *root.glob("appendix/*.ipynb")]):
        cells = json.loads(path.read_text())["cells"]
        titles[f"{path.parent.name}/{path.stem}"] = _first_heading("".join(cells[0]["source"])) if cells else ""
    for path in sorted(root.glob("*.md")):
        titles[path.stem] = _first_heading(path.read_text())
    return {doc: title for doc, title in titles.items() if title}


def read_glue(build: Path) -> dict[str, dict[str, dict]]:
    """docname -> name -> data, from MyST-NB's `<doc>.glue.json` beside the executed notebooks."""
    glue = {}
    execute = build / "jupyter_execute"
    for path in sorted(execute.rglob("*.glue.json")):
        doc = path.relative_to(execute).as_posix()[: -len(".glue.json")]
        glue[doc] = {name: output["data"] for name, output in json.loads(path.read_text()).items()}
    return glue


def read_numbers(html_dir: Path) -> dict[str, tuple[str, str]]:
    """label -> (docname, "Fig. 5.1" / "Exercise 5.1"), as the built pages number them."""
    numbers = {}
    for page in sorted(html_dir.rglob("*.html")):
        doc = page.relative_to(html_dir).as_posix()[: -len(".html")]
        text = page.read_text(errors="replace")
        for match in re.finditer(r'<figure\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</figure>', text, re.S):
            number = re.search(r'class="caption-number">([^<]+)<', match.group(2))
            if number:
                numbers[match.group(1)] = (doc, _strip_tags(number.group(1)))
        pattern = r'<div class="(?:exercise|solution)[^"]*" id="([^"]+)">\s*<p class="admonition-title">(.*?)</p>'
        for match in re.finditer(pattern, text, re.S):
            number = re.search(r'class="caption-number">([^<]+)<', match.group(2))
            if number:
                numbers[match.group(1)] = (doc, _strip_tags(number.group(1)))
    return numbers


def read_terms(html_dir: Path) -> dict[str, str]:
    """Glossary term (lower case) -> anchor id on the glossary page, e.g. "max pooling"."""
    page = html_dir / "glossary.html"
    if not page.is_file():
        return {}
    terms = {}
    for match in re.finditer(r'<dt\b[^>]*\bid="(term-[^"]+)"[^>]*>(.*?)<a class="headerlink"', page.read_text(), re.S):
        terms[_strip_tags(match.group(2)).lower()] = match.group(1)
    return terms


def _plain(text: str) -> str:
    """BibTeX field text as plain text ("Bottou, L{\\'e}on" -> "Bottou, Léon"), with pybtex."""
    from pybtex.richtext import Text  # pybtex comes with sphinxcontrib-bibtex

    return Text.from_latex(text).render_as("text")


def read_citations(root: Path, html_dir: Path) -> dict[str, tuple[str, str, str]]:
    """bib key -> (authors as the book's author-year style writes them, year, anchor id)."""
    from pybtex.database import parse_file

    bibliography = parse_file(str(root / "references.bib"))
    page = html_dir / "bibliography.html"
    entries = []
    if page.is_file():
        pattern = r'<div class="citation" id="([^"]+)" role="doc-biblioentry">(.*?)</div>'
        entries = [(m.group(1), _strip_tags(m.group(2)).lower()) for m in re.finditer(pattern, page.read_text(), re.S)]
    citations = {}
    for key, entry in bibliography.entries.items():
        people = entry.persons.get("author", []) or entry.persons.get("editor", [])
        last = [_plain(" ".join(person.prelast_names + person.last_names)) for person in people]
        # As sphinxcontrib-bibtex's author_year style writes them ("and others" kept as such).
        if len(last) >= 3:
            authors = f"{last[0]} et al."
        elif len(last) == 2:
            authors = f"{last[0]} and {last[1]}"
        else:
            authors = last[0] if last else _plain(entry.fields.get("title", key))
        title = re.sub(r"\s+", " ", _plain(entry.fields.get("title", ""))).lower().strip()
        anchor = next((ident for ident, text in entries if title and title in re.sub(r"\s+", " ", text)), "")
        citations[key] = (authors, _plain(entry.fields.get("year", "n.d.")), anchor)
    return citations


def read_index(build: Path, root: Path = ROOT) -> BookIndex:
    """Everything the converter needs, read from a finished build (`_build/`)."""
    html_dir = build / "html"
    if not html_dir.is_dir():
        raise ConversionError(f"{html_dir} does not exist: build the book first (make book).")
    return BookIndex(
        site=site_url(), glue=read_glue(build), titles=read_titles(root), numbers=read_numbers(html_dir),
        terms=read_terms(html_dir), citations=read_citations(root, html_dir),
    )


# --- inline roles ---------------------------------------------------------------------------

ROLE = re.compile(r"\{([a-zA-Z][\w:-]*)\}`([^`]+)`")


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
    if role == "reading-time":  # _ext/reading_time.py writes each page's minutes after the build
        doc = _resolve_doc(docname, content.strip())
        record = ROOT / "_build" / "html" / "_static" / "reading_times.json"
        pages = json.loads(record.read_text())["pages"] if record.is_file() else {}
        if doc not in pages:
            raise ConversionError(f"{docname}: no reading time for {doc!r} in {record}")
        return f"{pages[doc]['minutes']} minutes"
    raise ConversionError(f"{docname}: the role {{{role}}} has no plain-Markdown form in make_colab.py")


def _split_code(text: str) -> list[tuple[bool, str]]:
    """Text cut into (is_code, piece): fenced code blocks and inline code spans are left alone."""
    pieces = []
    pattern = re.compile(r"(^(`{3,}|~{3,}).*?^\2[ \t]*$|(`+)[^`\n].*?\3)", re.S | re.M)
    pos = 0
    for match in pattern.finditer(text):
        start = match.start()
        if match.group(3) and start > 0 and text[start - 1] == "}":
            continue  # the content of a role, e.g. {term}`kernel`, not a code span
        pieces.append((False, text[pos:start]))
        pieces.append((True, match.group(0)))
        pos = match.end()
    pieces.append((False, text[pos:]))
    return pieces


def convert_roles(text: str, docname: str, index: BookIndex) -> str:
    """Every MyST role in `text` replaced by plain Markdown (code spans and blocks untouched)."""
    out = []
    for is_code, piece in _split_code(text):
        out.append(piece if is_code else ROLE.sub(lambda m: _role(m.group(1), m.group(2), docname, index), piece))
    return "".join(out)


# --- block directives -----------------------------------------------------------------------

OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>:{3,}|`{3,})\{(?P<name>[\w-]+)\}[ \t]*(?P<arg>.*?)[ \t]*$")


def _directive_end(lines: list[str], start: int, fence: str) -> int:
    """Index of the line closing the directive opened at `start` (nesting with the same fence)."""
    depth = 0
    closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)}}}[ \t]*$")
    for i in range(start + 1, len(lines)):
        opening = OPENING.match(lines[i])
        if opening and opening.group("fence") == fence:
            depth += 1
        elif closing.match(lines[i]):
            if depth == 0:
                return i
            depth -= 1
    raise ConversionError(f"the directive {lines[start].strip()!r} is never closed")


def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    options = {}
    i = 0
    if body and body[0].strip() == "---":
        end = body.index("---", 1) if "---" in body[1:] else 0
        for line in body[1:end]:
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
        i = end + 1
    while i < len(body) and re.match(r"^\s*:[\w-]+:", body[i]):
        key, value = re.match(r"^\s*:([\w-]+):\s*(.*)$", body[i]).groups()
        options[key] = value
        i += 1
    return options, body[i:]


def _quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.strip("\n").split("\n"))


def _details(summary: str, body: str) -> str:
    return f"<details>\n<summary>{html.escape(summary, quote=False)}</summary>\n\n{body.strip()}\n\n</details>"


def _number(index: BookIndex, label: str, kind: str) -> str:
    return index.numbers.get(label, ("", kind))[1]


def _directive(name: str, arg: str, options: dict[str, str], body: str, docname: str, index: BookIndex,
               context: dict) -> str:
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
        context.setdefault("exercise_numbers", {})[options.get("label", "")] = number
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
    if name in ("math",):
        return f"$$\n{body.strip()}\n$$"
    if name in ("code-block", "code", "code-cell"):
        return f"```{arg}\n{body.strip(chr(10))}\n```"
    if name in ("figure", "image"):
        alt = options.get("alt", "")
        src = arg if re.match(r"https?://", arg) else page_url(index, _resolve_doc(docname, arg)).removesuffix(".html")
        caption = f"\n\n*{body.strip()}*" if body.strip() else ""
        return f"![{alt}]({src}){caption}"
    raise ConversionError(f"{docname}: the directive {{{name}}} has no plain-Markdown form in make_colab.py")


def convert_directives(text: str, docname: str, index: BookIndex, context: dict | None = None) -> str:
    """Every MyST directive (colon or backtick fence) in `text` replaced by plain Markdown."""
    context = {} if context is None else context
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = OPENING.match(lines[i])
        if not match:
            if re.match(r"^\s*\([\w.:-]+\)=\s*$", lines[i]) or re.match(r"^\s*\+\+\+", lines[i]):
                i += 1  # a MyST target or block break: nothing to show
                continue
            out.append(lines[i])
            i += 1
            continue
        end = _directive_end(lines, i, match.group("fence"))
        options, body = _options(lines[i + 1:end])
        inner = "\n".join(body)
        if match.group("name") not in ("code-block", "code", "code-cell", "math"):
            inner = convert_directives(inner, docname, index, context)
        block = _directive(match.group("name"), match.group("arg"), options, inner, docname, index, context)
        indent = match.group("indent")
        out.extend(indent + line if line else line for line in block.split("\n"))
        i = end + 1
    return "\n".join(out)


def convert_markdown(text: str, docname: str, index: BookIndex, context: dict | None = None) -> str:
    """A MyST Markdown cell as plain Markdown: directives, then roles, then MyST comments."""
    text = convert_directives(text, docname, index, context)
    text = convert_roles(text, docname, index)
    text = "\n".join(line for line in text.split("\n") if not re.match(r"^%", line))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


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
    solution_code: list[str] = []
    for position, cell in enumerate(nb["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            context: dict = {}
            opens = re.search(r"^:{3,}\{solution-start\}", source, re.M)
            closes = re.search(r"^:{3,}\{solution-end\}", source, re.M)
            text = convert_markdown(source, docname, index, context)
            if position == 0:
                text = _first_cell(text, rel, index)
            if closes and solution is not None:
                solution["source"] = _lines("".join(solution["source"]) + "\n\n" + _details(
                    "Show the solution's code", _solution_listing(solution_code)))
                solution, solution_code = None, []
            if not text.strip():
                continue  # e.g. a solution-end fence: nothing left to read
            cell["source"] = _lines(text)
            cells.append(cell)
            if opens:
                solution, solution_code = cell, []
                cell["_title"] = context.get("solution_title", "Solution")
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
                title = solution["_title"]
                cell["source"] = _lines(f"# @title {title} (runs it; read it above, or click Show code)\n{source}")
                metadata["cellView"] = "form"
            cells.append(cell)
            if figure and figure.get("caption"):
                label = figure.get("name", "")
                number = index.numbers.get(label, ("", "Figure"))[1]
                caption = convert_markdown(figure["caption"], docname, index)
                cells.append({
                    "cell_type": "markdown", "id": f"{cell.get('id', position)}-caption", "metadata": {},
                    "source": _lines(f"**{number}.** {caption}"),
                })
            continue
        cells.append(cell)
    if solution is not None:
        raise ConversionError(f"{docname}: a solution-start has no solution-end")
    for cell in cells:
        cell.pop("_title", None)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "_build", help="the built book (default _build)")
    parser.add_argument("--out", type=Path, default=None, help="where to write (default <build>/colab)")
    parser.add_argument("notebooks", nargs="*", type=Path, help="chapters to convert (default: all)")
    args = parser.parse_args()
    notebooks = args.notebooks or sync_notebooks.chapter_notebooks()
    try:
        index = read_index(args.build)
        written = write_copies(notebooks, index, args.out or args.build / "colab")
    except ConversionError as exc:
        print(f"make_colab: {exc}", file=sys.stderr)
        return 1
    print(f"Colab copies: {len(written)} notebooks in {written[0].parent if written else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
