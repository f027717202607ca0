"""Each public function's "Used in: chapter N" line is true: the chapters it names call it.

A function a chapter reaches only through another says so ("through ...",
"behind ..."), and the line then names what calls it, not a chapter.
"""

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTER_CODE: dict[int, str] = {}  # a chapter's code, its pages' together (3 and 3b are chapter 3)
for _path in sorted((ROOT / "book").glob("[0-9][0-9]*_*.ipynb")):
    CHAPTER_CODE[int(_path.name[:2])] = CHAPTER_CODE.get(int(_path.name[:2]), "") + "\n" + "\n".join(
        "".join(c["source"]) for c in json.loads(_path.read_text())["cells"] if c["cell_type"] == "code")
INDIRECT = ("through", "behind", "reader", "robustness", "module", "no chapter", "tests")


def _chapters(line: str) -> set:
    text = line.lower()
    if "every chapter" in text:
        return set(CHAPTER_CODE)
    found = set()
    for low, high in re.findall(r"(\d)\s*-\s*(\d)", text):
        found |= set(range(int(low), int(high) + 1))
    return found | {int(n) for n in re.findall(r"\b(\d)\b", re.sub(r"\d\s*-\s*\d", "", text))}


def _calls(code: str, name: str) -> bool:
    """Whether ``code`` calls ``name`` (plain or qualified), passes it on as ``x.name``, or imports it."""
    return bool(re.search(rf"(?<![\w.]){name}\s*\(|\.{name}\b|^\s*(from|import) .*\b{name}\b", code, re.M))


def _used_in_lines():
    for path in sorted((ROOT / "aelab").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                found = re.search(r"Used in: (.*)", ast.get_docstring(node) or "")
                if found and not any(word in found.group(1) for word in INDIRECT):
                    yield pytest.param(node.name, found.group(1), id=f"{path.relative_to(ROOT)}:{node.name}")


@pytest.mark.parametrize("name, line", list(_used_in_lines()))
def test_used_in_names_chapters_that_call_it(name, line):
    missing = [n for n in sorted(_chapters(line)) if not _calls(CHAPTER_CODE.get(n, ""), name)]
    assert not missing, (f"{name}: 'Used in: {line}' names chapter(s) {missing}, whose code never calls it; "
                         f"name the chapters that do, or say what it is used through")
