"""The public-API page, ``book/api.md``: every name a chapter or a student may call, from ``__all__``.

Each public module's ``__all__`` is the list (what a chapter, an exercise
starter or the README uses, and the few types a reader meets without calling
them: ``tests/test_public_api.py`` keeps it so); each name's line is the first
sentence of its docstring. ``python -m tools.api_page`` writes the page
(``python3 tasks.py book`` does it before every build), and
``tests/test_public_api.py`` checks the committed page is what it writes.
"""

from __future__ import annotations

import importlib
import inspect
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGE = ROOT / "book" / "api.md"

# what a student reaches for first, then the rest
MODULES = ["runtime", "data", "models", "losses", "train", "stacked", "estimators", "metrics",
           "plots", "checkpoints", "explore", "notebook", "claims", "comparisons", "wording", "exercises",
           "rule"]


def _constant(obj) -> str:
    """A constant in a table cell: its value when short, else what it holds (a catalog is not read in a table)."""
    text = repr(obj)
    if len(text) <= 100:
        return f"a constant: `{text}`"
    if isinstance(obj, dict):
        keys = ", ".join(f"`{k}`" for k in list(obj)[:4])
        return f"a constant: a dict of {len(obj)} entries ({keys}{', ...' if len(obj) > 4 else ''})"
    return f"a constant: a {type(obj).__name__} of {len(obj)} entries" if hasattr(obj, "__len__") else "a constant"


def _first_line(obj) -> str:
    doc = inspect.getdoc(obj) or ""
    line = " ".join(doc.split("\n\n")[0].split())
    line = re.sub(r":(?:func|class|mod|meth|attr):", "", line)  # Sphinx roles: plain code on this page
    return line.replace("|", "\\|") or "(no docstring)"


def page() -> str:
    sys.path.insert(0, str(ROOT))
    lines = ["# The aelab package at a glance", "",
             "Every name each module of `aelab` exports (its `__all__`): what the chapters, the",
             "exercises' starters and the README call, and the types and warnings a reader meets,",
             "each with the first line of its docstring; `help(aelab.metrics.dci)` in a notebook prints the whole of it. `import aelab`",
             "loads every module below; each chapter imports the ones it uses, such as",
             "`from aelab import data, models, train`. This page is written from the package",
             "(`tools/api_page.py`), so it lists what the installed version has.", ""]
    total = 0
    for name in MODULES:
        module = importlib.import_module(f"aelab.{name}")
        exported = list(module.__all__)
        total += len(exported)
        lines += [f"## `aelab.{name}`", "", _first_line(module), "", "| name | what it is |", "|---|---|"]
        for item in exported:
            obj = getattr(module, item)
            kind = "class" if inspect.isclass(obj) else "function" if callable(obj) else "value"
            shown = f"`{item}`" if kind == "value" else f"`{item}()`" if kind == "function" else f"`{item}`"
            what = _first_line(obj) if kind != "value" else _constant(obj)
            lines.append(f"| {shown} | {what} |")
        lines.append("")
    lines[1:1] = ["", f"{total} names in {len(MODULES)} modules."]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:  # python3 tasks.py book: say, write nothing
        if PAGE.read_text() != page():
            print(f"{PAGE.relative_to(ROOT)} is stale: `python3 tasks.py reader` writes it anew")
    else:
        PAGE.write_text(page())
        print(f"wrote {PAGE.relative_to(ROOT)}")
