"""The notebooks as committed: no outputs, the Colab cell first, listed in the table of contents.

Their execution is tested by nbval (``pytest --nbval-lax``, which the test command runs).
"""

import json
import re
import sys
from pathlib import Path

import pytest

import aelab

from tools import colab_cell, rehearsal

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "book/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text())
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and (c["outputs"] or c["execution_count"])]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; run `python3 tasks.py stamp`"
    ids = [c.get("id") for c in nb["cells"]]
    assert all(ids) and len(set(ids)) == len(ids), f"{path.name}: cells without a unique id; run `python3 tasks.py stamp`"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_cell_installs_aelab_only_in_colab(path):
    first = json.loads(path.read_text())["cells"][0]
    assert "".join(first["source"]) == colab_cell.colab_cell(), (
        f"{path.name}: the first cell is not the Colab install; run `python3 tasks.py stamp`"
    )


def test_colab_requirement_names_the_branch_the_launch_button_opens():
    line = colab_cell.colab_install_line()
    assert line == f"aelab @ git+{colab_cell.repository_url()}@{colab_cell.repository_branch()}"
    # quoted as a Python string, so neither '@' nor a space reaches a shell unprotected
    assert f'AELAB = "{line}"' in colab_cell.colab_cell()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_ref_each_first_cell_installs_exists_in_this_repository(path):
    source = "".join(json.loads(path.read_text())["cells"][0]["source"])
    found = re.search(r'AELAB = "aelab @ git\+\S+@([^"\s]+)"', source)
    assert found, f"{path.name}: the first cell names no git ref to install aelab from"
    ref = found.group(1)
    assert rehearsal.ref_commit(ref) is not None, (
        f"{path.name}: the first cell installs aelab from {ref!r}, which this repository does not have"
    )


def test_a_failed_colab_install_says_what_to_change():
    cell = colab_cell.colab_cell()
    assert "returncode != 0" in cell and "put its URL in AELAB above" in cell


def test_the_colab_cell_runs_quietly_outside_colab():
    namespace = {}
    exec(compile(colab_cell.colab_cell(), "<first cell>", "exec"), namespace)  # no %magic: plain Python
    assert namespace["AELAB"] == colab_cell.colab_install_line()


def test_the_command_that_opens_a_chapter_is_installed():
    # The intro and README say: `.venv/bin/jupyter lab book/`.
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "jupyter-lab").exists() or (bin_dir / "jupyter-lab.exe").exists(), (
        f"jupyter-lab is not in {bin_dir}: the book extra must install jupyterlab"
    )
    for page in (ROOT / "README.md", ROOT / "book" / "intro.md"):
        assert ".venv/bin/jupyter lab book/" in page.read_text(), f"{page.name} no longer gives the command"


def test_toc_lists_every_notebook_and_only_pages_that_exist():
    toc = (ROOT / "_toc.yml").read_text()
    listed = set(re.findall(r"file:\s*book/(\S+)", toc))
    missing = {p.stem for p in NOTEBOOKS} - listed
    assert not missing, f"notebooks not in _toc.yml: {sorted(missing)}"
    absent = [name for name in listed
              if not any((ROOT / "book" / f"{name}{ext}").exists() for ext in (".ipynb", ".md"))]
    assert not absent, f"_toc.yml lists pages that do not exist: {absent}"


def test_colab_check_refuses_a_branch_this_clone_lacks(monkeypatch):
    monkeypatch.setattr(rehearsal, "repository_branch", lambda: "no-such-branch")
    with pytest.raises(SystemExit, match=r"this clone has no branch 'no-such-branch'"):
        rehearsal.colab()


def test_colab_check_points_the_first_cells_requirement_at_this_clone():
    assert colab_cell.colab_install_line().startswith("aelab @ git+https://github.com/")
    assert rehearsal.local_requirement() == f"aelab @ git+file://{ROOT}@{colab_cell.repository_branch()}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_seed_a_chapter_uses_shifts_with_aelab_seed(path):
    # seed_everything(n) applies AELAB_SEED itself; any other literal seed must go through runtime.seed(n)
    code = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")
    literal = re.findall(r"(?:\bseed|random_state)\s*=\s*\d+|manual_seed\(\s*\d+|default_rng\(\s*\d+|RandomState\(\s*\d+",
                         code)
    assert not literal, f"{path.name}: literal seeds {literal} ignore AELAB_SEED; write runtime.seed(n)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_chapter_ends_with_its_claims_table(path):
    cells = json.loads(path.read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert re.search(rf'Claims\(\s*"{path.stem}"\s*\)', code), f"{path.name}: no Claims({path.stem!r}) in its set-up"
    last = cells[-1]
    assert last["cell_type"] == "code" and "".join(last["source"]).rstrip().endswith("claims.report()"), (
        f"{path.name}: the last cell must end with claims.report()"
    )
    assert last["metadata"].get("tags") == ["remove-input"], f"{path.name}: the claims cell shows its output only"
    code_lines = [line for line in "".join(last["source"]).splitlines() if line.strip() and not line.startswith("#")]
    assert code_lines == ["claims.report()"], (
        f"{path.name}: the closing cell only shows the table; each claim sits in the cell that glues its numbers")
    bare = [i for i, c in enumerate(cells) if c["cell_type"] == "code"
            and re.search(r"^\s*assert\b", "".join(c["source"]), re.M)]
    assert not bare, f"{path.name}: cells {bare} hold bare asserts; state them as claims"


def test_run_notebooks_names_the_notebook_that_failed(tmp_path, capsys):
    import nbformat

    good, bad = tmp_path / "good.ipynb", tmp_path / "bad.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), good)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")]), bad)
    with pytest.raises(SystemExit, match="failed: bad.ipynb"):
        rehearsal.run_notebooks([str(good), str(bad)])
    out = capsys.readouterr().out
    assert "ran   good.ipynb" in out and "FAILED bad.ipynb: ZeroDivisionError" in out


def _code_cells(path):
    cells = json.loads(path.read_text())["cells"]
    return [c for c in cells if c["cell_type"] == "code" and "remove-cell" not in c["metadata"].get("tags", [])]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_code_fits_the_page(path):
    # the rendered code box shows about 80 characters; longer lines hide behind a scroll bar
    long = [line for c in _code_cells(path) for line in "".join(c["source"]).splitlines() if len(line) > 80]
    assert not long, f"{path.name}: {len(long)} code lines over 80 characters, e.g. {long[0]!r}"


def test_no_two_chapters_define_the_same_helper():
    defined: dict[str, list[str]] = {}
    for path in NOTEBOOKS:
        for c in _code_cells(path):
            for name in re.findall(r"^(?:def|class)\s+(\w+)", "".join(c["source"]), re.M):
                defined.setdefault(name, []).append(path.stem)
    twice = {name: where for name, where in defined.items() if len(set(where)) > 1}
    assert not twice, f"helpers defined in more than one chapter (move them into aelab): {twice}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_live_explorers_leave_no_widget_on_the_rendered_page(path):
    # a widget's output is blank in the static book: its cell hides its output, and a figure stands in
    for c in _code_cells(path):
        if "explore." in "".join(c["source"]) and re.search(r"explore\.\w+\(", "".join(c["source"])):
            assert "remove-output" in c["metadata"].get("tags", []), (
                f"{path.name}: a cell that builds an explorer must carry the tag remove-output")


# the figures the browser test looks for on each page, found by their cells' tags
FIGURE_TAGS = {"diagram": r"plots\.\w*diagram\(", "latent-map": r"plots\.(latent_map|posterior_ellipses)\("}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_diagrams_maps_and_stand_ins_carry_the_tag_the_browser_test_finds(path):
    cells = _code_cells(path)
    for tag, pattern in FIGURE_TAGS.items():
        for c in cells:
            if re.search(pattern, "".join(c["source"])):
                assert tag in c["metadata"].get("tags", []), (
                    f"{path.name}: a cell that draws a {tag} must carry the tag {tag!r}:\n{''.join(c['source'])[:200]}")
    explorers = [i for i, c in enumerate(cells) if re.search(r"explore\.(code_explorer|latent_sliders)\(", "".join(c["source"]))]
    if explorers:  # the rendered book shows a static figure in the explorer's place
        before = cells[: explorers[0]]
        assert any("stand-in" in c["metadata"].get("tags", []) for c in before), (
            f"{path.name}: no cell before its first explorer carries the tag 'stand-in' (the figure the book shows)")


def test_stamping_again_replaces_the_first_cell_and_adds_none(tmp_path, monkeypatch):
    import shutil

    shutil.copy(ROOT / "book" / "00_setup.ipynb", tmp_path / "00_setup.ipynb")
    monkeypatch.setattr(colab_cell, "BOOK", tmp_path)
    colab_cell.stamp()
    colab_cell.stamp()
    cells = json.loads((tmp_path / "00_setup.ipynb").read_text())["cells"]
    assert sum('AELAB = "aelab @ ' in "".join(c["source"]) for c in cells) == 1
    assert (tmp_path / "00_setup.ipynb").read_text() == (ROOT / "book" / "00_setup.ipynb").read_text()
