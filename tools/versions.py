"""A chapter's version: the code it runs, its own and aelab's, as Python parses it.

A recorded run counts for a chapter only while the version it ran is the
current one. The version hashes the chapter's code cells (prose, code layout
and comments do not count; a changed statement, value, string or magic does)
together with every ``aelab/**/*.py`` module (docstrings, comments and layout
do not count; any change of code does). The JSON data files in ``aelab/`` are
not code and do not count. Standard library only, but for aelab's own hash.
"""

from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
AELAB = ROOT / "aelab"


def version(notebook: Path, aelab: Path = AELAB) -> str:
    """The version of a chapter: 12 hex digits of the hash of its code and of aelab's code.

    Args:
        notebook: the chapter's ``.ipynb`` (the book's, or an executed copy of it).
        aelab: the package's folder whose code counts (the checkout's by default).
    """
    return _combined(code_hash(notebook.read_text()), aelab_hash(aelab))


def current_versions(aelab: Path = AELAB) -> dict[str, str]:
    """{chapter: version} for every notebook under book/, as the files are now (aelab hashed once)."""
    package = aelab_hash(aelab)
    return {path.stem: _combined(code_hash(path.read_text()), package) for path in sorted(BOOK.glob("*.ipynb"))}


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


def aelab_hash(aelab: Path = AELAB) -> str:
    """A hash of every ``*.py`` under ``aelab``, docstrings stripped: :func:`aelab.runtime.code_version`.

    Imported here, not at the top: this module's other functions need only the
    standard library (``tasks.py`` runs outside the virtual environment).
    """
    from aelab.runtime import code_version

    return code_version(aelab)
