"""A chapter's version: the code it runs, its own and aelab's, as Python parses it.

A recorded run counts for a chapter only while the version it ran is the
current one. The version hashes the chapter's code cells (prose, code layout
and comments do not count; a changed statement, value, string or magic does)
together with aelab's code: every ``aelab/**/*.py`` module (docstrings, comments
and layout do not count; any change of code does) but the exercise modules of the
other chapters (``aelab/exercises/chapterN.py`` and ``_chapterN_*.py``), which a
chapter imports and never calls (``tests/tools/test_versions.py`` checks that each
chapter uses only its own exercises). So a change to chapter 2's exercise checks voids
chapter 2's sweeps and no other's. The JSON data files in ``aelab/`` are not code
and do not count. Standard library only.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
AELAB = ROOT / "aelab"
EXERCISE_MODULE = re.compile(r"^exercises/_?chapter(\d+)(?:_\w+)?\.py$")  # one chapter's exercise code


def version(notebook: Path, aelab: Path = AELAB) -> str:
    """The version of a chapter: 12 hex digits of the hash of its code and of the aelab code it runs.

    Args:
        notebook: the chapter's ``.ipynb`` (the book's, or an executed copy of it).
        aelab: the package's folder whose code counts (the checkout's by default).
    """
    return _combined(code_hash(notebook.read_text()), aelab_hash(aelab, chapter_number(notebook.stem)))


def current_versions(aelab: Path = AELAB) -> dict[str, str]:
    """{chapter: version} for every notebook under book/, as the files are now."""
    digests = module_digests(aelab)
    return {path.stem: _combined(code_hash(path.read_text()), _package(digests, chapter_number(path.stem)))
            for path in sorted(BOOK.glob("*.ipynb"))}


def chapter_number(stem: str) -> int:
    """The chapter a notebook belongs to: 3 for ``03_mnist`` and for ``03b_fashion_mnist``."""
    return int(re.match(r"\d+", stem).group(0))


def _combined(chapter: str, package: str) -> str:
    return hashlib.sha256(f"{chapter}\n{package}".encode()).hexdigest()[:12]


def code_hash(text: str) -> str:
    """A hash of a notebook's code cells (``text`` is the .ipynb's JSON), magics kept, prose ignored."""
    parts = []
    for cell in json.loads(text)["cells"]:
        if cell["cell_type"] != "code":
            continue
        lines = "".join(cell["source"]).splitlines()
        magics = [line for line in lines if line.lstrip().startswith(("%", "!"))]
        code = "\n".join(line for line in lines if line not in magics)
        try:
            parts.append(ast.dump(ast.parse(code)))
        except SyntaxError:
            parts.append(code)
        parts.extend(magics)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def aelab_hash(aelab: Path = AELAB, chapter: int | None = None) -> str:
    """A hash of aelab's code that chapter ``chapter`` runs (all of it when None), docstrings stripped."""
    return _package(module_digests(aelab), chapter)


def _package(digests: dict[str, str], chapter: int | None) -> str:
    kept = [f"{name}\n{digest}" for name, digest in sorted(digests.items())
            if chapter is None or not (m := EXERCISE_MODULE.match(name)) or int(m.group(1)) == chapter]
    return hashlib.sha256("\n".join(kept).encode()).hexdigest()[:12]


def module_digests(aelab: Path = AELAB) -> dict[str, str]:
    """{path under aelab/: a hash of its code}, docstrings, comments and layout left out."""
    digests = {}
    for path in sorted(Path(aelab).rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):  # docstrings are prose: they do not count
            body = getattr(node, "body", None)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body \
                    and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:]
        digests[path.relative_to(aelab).as_posix()] = hashlib.sha256(ast.dump(tree).encode()).hexdigest()
    return digests
