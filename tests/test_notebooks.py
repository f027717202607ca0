"""The notebooks as committed: no outputs, the Colab cell first, listed in the table of contents.

Their execution is tested by nbval (``pytest --nbval-lax``, which the test command runs).
"""

import importlib.util
import json
import re
from pathlib import Path

import pytest

import aelab

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))


def _tasks():
    spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_are_notebooks():
    assert NOTEBOOKS, "book/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text())
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and (c["outputs"] or c["execution_count"])]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; run `python3 tasks.py stamp`"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_cell_installs_aelab_only_in_colab(path):
    first = json.loads(path.read_text())["cells"][0]
    assert "".join(first["source"]) == _tasks().colab_cell(), (
        f"{path.name}: the first cell is not the Colab install; run `python3 tasks.py stamp`"
    )


def test_colab_requirement_keeps_its_version_quoted():
    line = _tasks().colab_install_line()
    assert line.endswith(f"@v{aelab.__version__}")
    # quoted, so the shell never sees '@' or a space unprotected
    assert f"'{line}'" in _tasks().colab_cell()


def test_toc_lists_every_notebook_and_only_pages_that_exist():
    toc = (ROOT / "_toc.yml").read_text()
    listed = set(re.findall(r"file:\s*book/(\S+)", toc))
    missing = {p.stem for p in NOTEBOOKS} - listed
    assert not missing, f"notebooks not in _toc.yml: {sorted(missing)}"
    absent = [name for name in listed
              if not any((ROOT / "book" / f"{name}{ext}").exists() for ext in (".ipynb", ".md"))]
    assert not absent, f"_toc.yml lists pages that do not exist: {absent}"


def test_colab_check_refuses_a_version_with_no_tag(monkeypatch):
    tasks = _tasks()
    monkeypatch.setattr(tasks, "version", lambda: "99.0.0")
    with pytest.raises(SystemExit, match=r"there is no tag v99\.0\.0 in this clone"):
        tasks.colab()


def test_colab_check_points_the_first_cells_requirement_at_this_clone():
    tasks = _tasks()
    assert tasks.colab_install_line().startswith("aelab @ git+https://github.com/")
    assert tasks.local_requirement() == f"aelab @ git+file://{ROOT}@v{aelab.__version__}"
