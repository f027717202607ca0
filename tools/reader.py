"""The reader's notebooks: each chapter as a student opens it in Colab, generated from the book's.

The book's notebook under ``book/`` is the one source. From it this module
writes ``reader/<chapter>.ipynb``, the notebook the launch button opens:

- every ``{glue:text}`` number of the prose is the book's own value (from the
  last full-profile build, kept in ``aelab/book_values.json``), marked with a
  dagger; in a live kernel :func:`aelab.notebook.glue` prints the reader's value
  beside the book's;
- MyST becomes plain Markdown: exercises and admonitions as quoted blocks,
  citations as author-year links to the references page, links to other pages
  as their published URL;
- each exercise's worked solution (its prose and code cells) is taken out and
  kept in ``aelab/solutions.json``, where ``exercise.solution()`` finds it; in
  its place stands a starter cell from :mod:`aelab.exercises`, with
  ``check()``, ``hint()`` and ``solution()``;
- the claims cell keeps only the claims the chapter's body computes (never a
  student's exercise cells) and is folded (Colab's form view).

``python3 tasks.py reader`` runs it (``python -m tools.reader`` in the
virtual environment, where :mod:`aelab.exercises` holds the starters), and
``tests/tools/test_reader.py`` checks the committed notebooks are what it writes.
"""

from __future__ import annotations

import ast
import json
import re
from ast import literal_eval
from pathlib import Path

from tools import reader_figures, record_quotes

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
READER = ROOT / "reader"
VALUES = ROOT / "aelab" / "book_values.json"
SOLUTIONS = ROOT / "aelab" / "solutions.json"
MARK = "†"  # marks a number that comes from the book's run
BUILT, FORMATS = "_aelab", "_formats"  # book_values.json's keys beside the chapters' names

GLUE = re.compile(r"\{glue:text\}`([A-Za-z0-9_]+)(?::([^`]*))?`")
CITE = re.compile(r"\{cite(?::([pt]))?\}`([^`]+)`")
EXERCISE = re.compile(r"```\{exercise\}\s*(.*?)\n(.*?)```", re.S)
ADMONITION = re.compile(r"```\{admonition\}\s*(.*?)\n(.*?)```", re.S)
SOLUTION_START = re.compile(r"```\{solution-start\}\s*(\S+)\n(?::[a-z-]+:.*\n)*```\n?")
SOLUTION_END = re.compile(r"```\{solution-end\}\s*\n```\n?")
TARGET = re.compile(r"^\([A-Za-z0-9_-]+\)=\s*$\n?", re.M)
PAGE_LINK = re.compile(r"\]\((?!https?://|#)([A-Za-z0-9_./-]+?)\.(md|ipynb)(#[^)]*)?\)")
OPTION = re.compile(r"^:[a-z-]+:.*$\n?", re.M)


def _config(key: str) -> str:
    text = (ROOT / "_config.yml").read_text()
    return re.search(rf"^\s*{key}:\s*(\S+)", text, re.M).group(1)


def published_url() -> str:
    """The published book's address (``html: baseurl:`` in _config.yml), ending in '/'."""
    return _config("baseurl").rstrip("/") + "/"


# --------------------------------------------------------------------------- the book's numbers

def values_from_build(executed: Path) -> dict:
    """{chapter: {name: text/plain}} from executed chapters.

    A book build (myst-nb) moves each chapter's glued values out of its cells
    into ``<chapter>.glue.json`` beside it; a notebook executed by nbconvert (the
    robustness command's ``--keep``) still holds them as outputs.
    """
    found = {}
    for path in sorted(executed.glob("*.glue.json")):
        glued = json.loads(path.read_text())
        found[path.name.removesuffix(".glue.json")] = {name: out["data"]["text/plain"] for name, out in glued.items()}
    for path in sorted(executed.glob("*.ipynb")):
        if path.stem in found:
            continue
        names = found.setdefault(path.stem, {})
        for cell in json.loads(path.read_text())["cells"]:
            for out in cell.get("outputs", []):
                meta = out.get("metadata", {}).get("scrapbook")
                if meta:
                    names[meta["name"]] = out["data"][meta.get("mime_prefix", "") + "text/plain"]
    return found


def format_value(text: str, spec: str) -> str:
    """A glued value as the book prints it (myst-nb's rule: literal-eval the text, then ``format``)."""
    try:
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if not spec:
        return str(value)
    kind = spec[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, spec)


def _is_number(text: str) -> bool:
    """Whether a glued value (its text/plain) is a number, which the prose marks as the book's."""
    try:
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        return False
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# In the book, "this run" is the run the page shows; in the reader's notebook the prose shows the
# book's numbers while the reader's own run prints beside them, so the prose says whose run it is.
THIS_RUN = [
    (re.compile(r"Claims checked on this run"), "Claims checked on your run"),
    (re.compile(r"which source this run used"), "which source your run used"),
    (re.compile(r"(?<![Mm]easured in )\bthis run's\b"), "the book's"),
    (re.compile(r"\bThis run's\b"), "The book's"),
    (re.compile(r"(?<![Mm]easured in )\bthis run\b"), "the book's run"),
    (re.compile(r"\bThis run\b"), "The book's run"),
]


def _book_run(text: str) -> str:
    for pattern, words in THIS_RUN:
        text = pattern.sub(words, text)
    return text


# --------------------------------------------------------------------------- Markdown

def _bibliography() -> dict:
    """{key: "Kingma & Welling 2014"} from book/references.bib."""
    text = (BOOK / "references.bib").read_text()
    found = {}
    for entry in re.split(r"\n(?=@)", text):
        key = re.match(r"@\w+\{([^,]+),", entry.strip())
        if not key:
            continue
        author = re.search(r"\bauthor\s*=\s*[{\"](.*?)[}\"],?\s*\n", entry, re.S)
        year = re.search(r"\byear\s*=\s*[{\"]?(\d{4})", entry)
        names = [a.strip() for a in re.split(r"\s+and\s+", author.group(1))] if author else ["?"]
        # {Corporate Name} is one name, kept whole; "Last, First" and "First Last" give the last name
        last = [re.sub(r"[{}]", "", n if n.startswith("{") else (n.split(",")[0] if "," in n else n.split()[-1]))
                for n in names]
        who = last[0] if len(last) == 1 else (" & ".join(last) if len(last) == 2 else f"{last[0]} et al.")
        found[key.group(1).strip()] = f"{who} {year.group(1) if year else 'n.d.'}"
    return found


def markdown(text: str, values: dict, chapter: str, bib: dict) -> str:
    """One Markdown cell of the book as plain Markdown, the book's numbers written in."""
    base = published_url()

    def glued(m):
        name, spec = m.group(1), m.group(2) or ""
        if name not in values:
            raise KeyError(f"{chapter}: the prose glues {name!r}, which the book's last build did not record; "
                           f"run `python3 tasks.py book`, then `python3 tasks.py reader`.")
        shown = format_value(values[name], spec)
        return f"{shown}{MARK}" if _is_number(values[name]) else shown  # words carry no mark

    def cited(m):
        keys = [k.strip() for k in m.group(2).split(",")]
        missing = [k for k in keys if k not in bib]
        if missing:
            raise KeyError(f"{chapter}: cites {missing}, which book/references.bib lacks.")
        page = f"{base}book/references.html"
        if m.group(1) == "t":  # in the sentence: "Loshchilov & Hutter (2019) proposed"
            return "; ".join(f"[{bib[k].rsplit(' ', 1)[0]}]({page}) ({bib[k].rsplit(' ', 1)[1]})" for k in keys)
        return "(" + "; ".join(f"[{bib[k]}]({page})" for k in keys) + ")"

    def exercise(m):
        body = OPTION.sub("", m.group(2)).strip()
        quoted = "\n".join(f"> {line}" if line else ">" for line in body.splitlines())
        return f"> **Exercise: {m.group(1).strip()}**\n>\n{quoted}\n"

    def admonition(m):
        body = OPTION.sub("", m.group(2)).strip()
        quoted = "\n".join(f"> {line}" if line else ">" for line in body.splitlines())
        return f"> **{m.group(1).strip()}**\n>\n{quoted}\n"

    text = GLUE.sub(glued, text)
    text = record_quotes.fill(text, chapter)  # ranges and counts from the recorded runs
    text = _book_run(text)
    text = CITE.sub(cited, text)
    text = EXERCISE.sub(exercise, text)
    text = ADMONITION.sub(admonition, text)
    text = TARGET.sub("", text)
    text = PAGE_LINK.sub(lambda m: f"]({base}book/{m.group(1)}.html{m.group(3) or ''})", text)
    left = re.search(r"\{[a-z]+(?::[a-z]+)?\}`|```\{[a-z-]+\}", text)
    if left:
        raise ValueError(f"{chapter}: MyST the reader's notebook cannot show: {left.group(0)!r} in {text[:80]!r}")
    return text


# --------------------------------------------------------------------------- cells

def _assigned(code: str) -> set:
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


def _loaded(node) -> set:
    """The names ``node`` reads from outside: a function's own parameters are not among them."""
    params = {a.arg for f in ast.walk(node) if isinstance(f, (ast.FunctionDef, ast.Lambda))
              for a in f.args.args + f.args.kwonlyargs + f.args.posonlyargs}
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - params


def _without(code: str, tainted: set) -> tuple[str, list]:
    """``code`` without the top-level statements that use ``tainted`` names (and those that use their results)."""
    tree = ast.parse(code)
    lines = code.splitlines(keepends=True)
    kept, dropped, tainted = [], [], set(tainted)
    for stmt in tree.body:
        if _loaded(stmt) & tainted:
            dropped.append(stmt)
            tainted |= {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        else:
            kept.append("".join(lines[stmt.lineno - 1:stmt.end_lineno]))
    # comments above a statement travel with it; a comment line alone at the top stays
    head = []
    for line in lines:
        if line.lstrip().startswith("#") or not line.strip():
            head.append(line)
        else:
            break
    return "".join(head) + "".join(kept), dropped


def _split_plumbing(code: str) -> tuple[str, str]:
    """``code`` without its top-level ``glue(...)`` and ``claims....(...)`` statements, and those statements.

    They return nothing the rest of the cell uses, so they can run after it, in a cell
    of their own that the reader's notebook folds: the cell a reader sees is the experiment.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code, ""
    lines = code.splitlines(keepends=True)

    def plumbing(stmt) -> bool:
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if not isinstance(call, ast.Call):
            return False
        f = call.func
        return (isinstance(f, ast.Name) and f.id == "glue") or (
            isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "claims")

    taken = set()
    for k, stmt in enumerate(tree.body):
        later = set().union(*[_assigned(ast.unparse(after)) for after in tree.body[k + 1:]] or [set()])
        if plumbing(stmt) and not (_loaded(stmt) & later):  # it must see the values it saw in place
            taken.update(range(stmt.lineno - 1, stmt.end_lineno))
            j = stmt.lineno - 2  # the comment lines just above it go with it
            while j >= 0 and lines[j].lstrip().startswith("#") and j not in taken:
                taken.add(j)
                j -= 1
    if not taken:
        return code, ""
    kept = "".join(line for i, line in enumerate(lines) if i not in taken).rstrip("\n") + "\n"
    return kept, "".join(lines[i] for i in sorted(taken))


def _code_cell(source: str, cell_id: str, metadata: dict | None = None) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": cell_id, "metadata": metadata or {},
            "outputs": [], "source": source.splitlines(keepends=True)}


def _markdown_cell(source: str, cell_id: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source.splitlines(keepends=True)}


def _intro(chapter: str) -> str:
    return (f"*This is the reader's notebook of this chapter: run it top to bottom (the set-up cell below "
            f"installs the course package where it is missing, as in Colab). Numbers marked {MARK} are the "
            f"book's, from its own run ([the rendered chapter]({published_url()}book/{chapter}.html), with "
            f"its figures); the words around them describe that run too. The figures under the code "
            f"cells are the book's too, until you run the cell, which draws yours in their place. As "
            f"your cells run, they print your numbers beside the book's. Each exercise has a starter cell: fill in the `...`, "
            f"run it, and `check()` says whether your result has the property asked for; `hint()` "
            f"nudges, `solution()` shows the book's answer.*\n")


INSTALL_TITLE = "# @title Set-up: install the course package where it is missing\n"


def _version_lines(built: str) -> str:
    """Lines that say whether the installed aelab is the code the book's numbers came from."""
    if not built:
        return ""
    return (f'\n\nBOOK_AELAB = "{built}"  # the aelab whose run gave the book\'s numbers\n'
            "import aelab  # noqa: E402\n"
            "\n"
            'yours = f"{aelab.__version__}, code {aelab.runtime.code_version()}"\n'
            "if yours == BOOK_AELAB:\n"
            '    print(f"aelab {yours}: the code the book\'s numbers came from")\n'
            "else:\n"
            '    print(f"aelab {yours}; the book\'s numbers came from aelab {BOOK_AELAB}, "\n'
            '          "so yours can differ by more than the seed")\n')


def reader_notebook(path: Path, values: dict, bib: dict, starters: dict, built: str = "") -> tuple[dict, dict]:
    """(the reader's notebook, {exercise label: its solution}) for the book notebook at ``path``."""
    chapter = path.stem
    book = json.loads(path.read_text())
    cells, solutions = [], {}
    current = None  # the label of the solution being read, if any

    def add_markdown(text, cell_id):
        text = text.strip("\n")
        if not text.strip():
            return
        if current:
            solutions[current]["markdown"].append(markdown(text, values, chapter, bib))
        else:
            cells.append(_markdown_cell(markdown(text, values, chapter, bib), cell_id))

    for index, cell in enumerate(book["cells"]):
        source, cell_id = "".join(cell["source"]), cell.get("id", f"cell-{index}")
        if cell["cell_type"] == "code":
            if current:
                solutions[current]["code"].append(source)
            else:
                metadata = {k: v for k, v in cell.get("metadata", {}).items() if k != "tags"}
                if cell_id.endswith("-glue"):  # the numbers the prose quotes: folded, as the book hides them
                    source = GLUE_TITLE + source.removeprefix(GLUE_COMMENT)
                    metadata.update(FOLDED)
                    cells.append(_code_cell(source, cell_id, metadata))
                    continue
                body, plumbing = _split_plumbing(source)  # glue or claims inside an experiment's cell
                cells.append(_code_cell(body, cell_id, metadata))
                if plumbing:
                    cells.append(_code_cell(GLUE_TITLE + plumbing, f"{cell_id}-glued", dict(FOLDED)))
            continue
        part = 0
        while source:
            start, end = SOLUTION_START.search(source), SOLUTION_END.search(source)
            if current is None and start:
                add_markdown(source[:start.start()], f"{cell_id}-{part}")
                current = start.group(1)
                solutions[current] = {"markdown": [], "code": []}
                source = source[start.end():]
            elif current is not None and end:
                add_markdown(source[:end.start()], f"{cell_id}-{part}")
                if current not in starters:
                    raise KeyError(f"{chapter}: exercise {current!r} has no starter in aelab.exercises.")
                cells.append(_code_cell(starters[current], f"starter-{current}"))
                current = None
                source = source[end.end():]
            else:
                add_markdown(source, f"{cell_id}-{part}" if part else cell_id)
                source = ""
            part += 1
    if current is not None:
        raise ValueError(f"{chapter}: the solution of {current!r} has no solution-end.")
    install = cells.pop(0)  # the book's first cell, which the book hides: here under the title
    body = "".join(install["source"]).split("\n", 1)[1]  # its first line, a comment, becomes the title
    install["source"] = (INSTALL_TITLE + body + _version_lines(built)).splitlines(keepends=True)
    cells[1:1] = [_markdown_cell(_intro(chapter), "reader-intro"), install]
    _fold_claims(cells, solutions, chapter)
    for cell in cells:  # the Colab install keeps no 'remove-cell' tag here: Colab must run it
        cell["metadata"].pop("tags", None)
    notebook = {"cells": cells, "metadata": book["metadata"], "nbformat": 4, "nbformat_minor": 5}
    return notebook, solutions


def _fold_claims(cells: list, solutions: dict, chapter: str) -> None:
    """Keep the claims the chapter's body computes; fold the claims cell; refuse a body cell that needs a solution."""
    from_solutions = set().union(*[_assigned(c) for s in solutions.values() for c in s["code"]] or [set()])
    elsewhere = set().union(*[_assigned("".join(c["source"])) for c in cells if c["cell_type"] == "code"
                              and not c["id"].startswith("starter-")] or [set()])
    only = from_solutions - elsewhere
    for cell in cells:
        if cell["cell_type"] != "code" or cell["id"].startswith("starter-"):
            continue
        source = "".join(cell["source"])
        if "claims.report()" in source:
            kept, _ = _without(source, only)
            cell["source"] = (CLAIMS_TITLE + kept).splitlines(keepends=True)
            cell["metadata"].update(FOLDED)
        else:
            needs = set().union(*[_loaded(s) for s in ast.parse(source).body] or [set()]) & only
            if needs:
                raise ValueError(f"{chapter}: cell {cell['id']} uses {sorted(needs)}, which only an exercise's "
                                 f"solution defines; the reader's notebook has no solution cells.")


GLUE_COMMENT = "# the numbers the text quotes\n"  # how a chapter's glue-only cell begins (id ending -glue)
GLUE_TITLE = ("# @title The numbers the text quotes and the claims they back, on your run "
              "(the code is folded)\n")
CLAIMS_TITLE = "# @title The claims of this chapter, checked on your run (the code is folded)\n"
# folded in Colab (the form view) and in JupyterLab and Jupyter Notebook (source_hidden)
FOLDED = {"cellView": "form", "jupyter": {"source_hidden": True}}


def build(starters: dict | None = None, chapters=None, values: dict | None = None,
          figures: dict | None = None) -> dict:
    """{chapter: (notebook, solutions)} for every chapter (or those named), from book/ and the book's values.

    ``figures`` ({chapter: {cell id: image outputs}}, from a build) go under their cells; a chapter
    without them keeps the committed reader notebook's figures where the cell's code is unchanged.
    """
    if starters is None:
        from aelab.exercises import EXERCISES
        starters = {label: exercise.starter for label, exercise in EXERCISES.items()}
    if values is None:
        values = json.loads(VALUES.read_text()) if VALUES.exists() else {}
    bib, built = _bibliography(), {}
    for path in sorted(BOOK.glob("[0-9][0-9]*_*.ipynb")):
        if chapters is None or path.stem in chapters:
            notebook, solutions = reader_notebook(path, values.get(path.stem, {}), bib, starters,
                                                  values.get(BUILT, ""))
            reader_figures.attach(notebook, (figures or {}).get(path.stem),
                                  reader_figures.committed(READER, path.stem))
            built[path.stem] = (notebook, solutions)
    return built


def formats() -> dict:
    """{chapter: {name: format spec}}: how the prose shows each glued number (its first use)."""
    found = {}
    for path in sorted(BOOK.glob("[0-9][0-9]*_*.ipynb")):
        prose = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                          if c["cell_type"] == "markdown")
        names = found.setdefault(path.stem, {})
        for m in GLUE.finditer(prose):
            names.setdefault(m.group(1), m.group(2) or "")
    return found


def book_values(executed: Path) -> dict:
    """What aelab/book_values.json holds: each chapter's glued values from a build, the prose's
    formats, and the aelab (version and code) the build's chapters ran."""
    ran = executed.parents[1] / "aelab_code.txt"  # written by tools/book_build.py when the chapters ran
    if ran.exists():
        built = ran.read_text().strip()
    else:  # executed elsewhere (a robustness run's --keep): the code as it is now
        from aelab import __version__
        from aelab.runtime import code_version

        built = f"{__version__}, code {code_version()}"
    return {**values_from_build(executed), FORMATS: formats(), BUILT: built}


def dumps(notebook: dict) -> str:
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def with_solutions(notebook: dict, solutions: dict) -> dict:
    """The reader's notebook with each starter cell replaced by the book's solution and the starter's check.

    What a student who typed the book's answer would run: every ``check()`` must then pass.
    """
    solved = json.loads(json.dumps(notebook))
    for cell in solved["cells"]:
        if cell["cell_type"] == "code" and cell["id"].startswith("starter-"):
            label = cell["id"].removeprefix("starter-")
            starter = "".join(cell["source"]).splitlines()
            setup = [line for line in starter if line.startswith(("from aelab import exercises", "ex = "))]
            check = [line for line in starter if line.startswith("ex.check(")]
            code = "\n".join(setup + [c.rstrip() for c in solutions[label]["code"]] + check) + "\n"
            cell["source"] = code.splitlines(keepends=True)
    return solved


def write(executed: Path | None = None, out: Path | None = None) -> None:
    """Write the reader's notebooks, the solutions and (from ``executed``, a build) the book's values.

    Into the repository (reader/, aelab/) by default: ``python3 tasks.py reader``,
    on purpose. With ``out`` (what ``python3 tasks.py book`` does), into that
    folder instead, saying whether the committed files differ from them.
    """
    values = book_values(executed) if executed is not None else None
    figures = None
    if executed is not None:
        figures = reader_figures.from_build(executed, sorted(BOOK.glob("[0-9][0-9]*_*.ipynb")))
    built = build(values=values, figures=figures)
    solutions = {label: s for _, found in built.values() for label, s in found.items()}
    files = {READER / f"{chapter}.ipynb": dumps(notebook) for chapter, (notebook, _) in built.items()}
    files[SOLUTIONS] = json.dumps(solutions, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if values is not None:
        files[VALUES] = json.dumps(values, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    stale = []
    for path, text in files.items():
        target = path if out is None else out / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        if out is not None and (not path.exists() or path.read_text() != text):
            stale.append(str(path.relative_to(ROOT)))
    where = "the repository" if out is None else out
    print(f"wrote {len(built)} reader notebooks and {len(solutions)} solutions in {where}")
    if stale:
        print(f"this build's numbers differ from the committed ones in {len(stale)} files "
              f"({', '.join(stale[:3])}{', ...' if len(stale) > 3 else ''}): `python3 tasks.py reader` "
              f"writes them into the repository")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.reader")
    parser.add_argument("executed", nargs="?", type=Path, help="a build's executed chapters (their numbers)")
    parser.add_argument("--out", type=Path, help="write under this folder, not into the repository")
    args = parser.parse_args()
    write(args.executed, args.out)
