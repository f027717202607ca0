"""Every public module of aelab says what it exports (``__all__``), and says it truly."""

import ast
import importlib
import pathlib

import pytest

import aelab

ROOT = pathlib.Path(aelab.__file__).parent


def public_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if any(p.startswith("_") and p != "__init__" for p in parts):
            continue
        name = ".".join(("aelab",) + tuple(p for p in parts if p != "__init__"))
        yield name, path


@pytest.mark.parametrize("name,path", list(public_modules()), ids=lambda v: str(v))
def test_every_public_module_lists_what_it_exports_and_each_name_exists(name, path):
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    assert len(set(exported)) == len(exported), f"{name}.__all__ repeats a name"
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what it does not have: {missing}"
    defined = [n.name for n in ast.parse(path.read_text()).body
               if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")]
    unlisted = [n for n in defined if n not in exported]
    assert not unlisted, f"{name} defines public {unlisted} but leaves them out of __all__"


def test_the_api_page_is_what_the_package_exports():
    from tools import api_page

    assert set(api_page.MODULES) == {p.stem if p.name != "__init__.py" else p.parent.name
                                     for p in ROOT.glob("*") if not p.name.startswith("_")
                                     and (p.suffix == ".py" or (p / "__init__.py").exists())}
    assert api_page.PAGE.read_text() == api_page.page(), (
        "book/api.md is stale: run .venv/bin/python -m tools.api_page")


# Public names no chapter, starter or README line calls, kept public because a reader meets them anyway.
MET_NOT_CALLED = {
    "data.Split": "what the data sets return; a chapter reads its x_train, y_test ... fields",
    "data.Curve": "what data.curve returns; chapters 2 and 6 read its x and t",
    "data.FactorSplit": "what data.shapes returns; chapter 5 reads its factor_names",
    "data.Unavailable": "what data.fashion_mnist returns without data; chapter 3 tests it and reads its reason",
    "train.TrainingDiverged": "the warning fit gives when training diverges; a reader sees it and may catch it",
    "claims.Claim": "one row of a chapter's closing table (Claims.rows, Claims.failed()), its fields shown",
    "claims.ClaimsFailed": "the error a chapter's claims raise in strict mode; a reader sees it",
    "comparisons.Comparison": "what below() and above() return, handed to claims.check; its margin is shown",
    "exercises.Verdict": "what an exercise's check() returns; true when the answer passed",
    "claims.Held": "what claims.check() and fact() return; true when the claim held, and shown as nothing",
}


def _used_by_the_book() -> str:
    """The text of every chapter (code and prose), the book's other pages, the README and the starters."""
    import json

    from aelab import exercises

    book = ROOT.parent / "book"
    texts = ["".join(cell["source"]) for path in sorted(book.glob("*.ipynb"))
             for cell in json.loads(path.read_text())["cells"]]
    texts += [path.read_text() for path in sorted(book.glob("*.md")) if path.name != "api.md"]
    texts.append((ROOT.parent / "README.md").read_text())
    texts += [exercise.starter for exercise in exercises.EXERCISES.values()]
    return "\n".join(texts)


def test_the_api_page_lists_only_what_the_chapters_starters_and_readme_use():
    import re

    from tools import api_page

    text = _used_by_the_book()
    public = [f"{module}.{name}" for module in api_page.MODULES
              for name in importlib.import_module(f"aelab.{module}").__all__]
    unused = [name for name in public if name not in MET_NOT_CALLED
              and not re.search(rf"(?<!\w){re.escape(name.split('.')[1])}(?!\w)", text)]
    assert not unused, (f"public but used by no chapter, starter or README: {unused}; make them private "
                        f"(a private module or a leading underscore), or say in MET_NOT_CALLED why a reader meets them")
    stale = [name for name in MET_NOT_CALLED if name not in public]
    assert not stale, f"MET_NOT_CALLED names what is no longer public: {stale}"
