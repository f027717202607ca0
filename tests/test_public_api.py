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
