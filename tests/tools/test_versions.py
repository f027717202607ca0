"""A chapter's version: its code and aelab's, as Python parses them; prose, layout and docstrings aside."""

import json
import shutil
from pathlib import Path

import pytest

from tools import versions

ROOT = Path(__file__).resolve().parents[2]
SETUP = ROOT / "book" / "00_setup.ipynb"


def _notebook(code, prose="Some prose."):
    cells = [{"cell_type": "markdown", "source": [prose]},
             {"cell_type": "code", "source": [code], "metadata": {}}]
    return json.dumps({"cells": cells})


def test_a_chapters_code_is_hashed_as_parsed_not_its_layout_or_prose():
    code_hash = versions.code_hash
    base = code_hash(_notebook("%matplotlib inline\nf(a, b=1)\n"))
    assert code_hash(_notebook("%matplotlib inline\nf(\n    a,\n    b=1,\n)\n", "Other prose.")) == base
    assert code_hash(_notebook("%matplotlib inline\nf(a, b=2)\n")) != base
    assert code_hash(_notebook("f(a, b=1)\n")) != base  # a magic counts too


@pytest.fixture
def aelab_copy(tmp_path):
    copy = tmp_path / "aelab"
    shutil.copytree(ROOT / "aelab", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path.name} no longer holds {old!r}: choose another line to edit"
    path.write_text(text.replace(old, new, 1))


def test_a_version_covers_the_aelab_code_the_chapter_runs(aelab_copy):
    base = versions.version(SETUP, aelab_copy)
    assert base == versions.version(SETUP) == versions.current_versions()["00_setup"]
    rule = aelab_copy / "rule.py"
    _edit(rule, "standard library only", "the standard library, nothing else")  # the module docstring
    _edit(rule, '"""Whether one comparison', '"""Whether, for one comparison,')  # a function's docstring
    _edit(rule, "import statistics\n", "import statistics  # a comment\n\n")  # a comment and layout
    assert versions.version(SETUP, aelab_copy) == base
    _edit(rule, "RULE_Z = 3.0", "RULE_Z = 3.5")  # a changed value
    assert versions.version(SETUP, aelab_copy) != base


def test_a_new_statement_or_module_of_aelab_makes_a_new_version(aelab_copy):
    base = versions.version(SETUP, aelab_copy)
    (aelab_copy / "extra.py").write_text('"""Only a docstring."""\n')
    assert versions.version(SETUP, aelab_copy) != base  # a new module is new code, if only by its name
    (aelab_copy / "extra.py").unlink()
    _edit(aelab_copy / "rule.py", "    m = [float(x) for x in margins]\n",
          "    m = [float(x) for x in margins]\n    m = list(m)\n")
    assert versions.version(SETUP, aelab_copy) != base


def test_the_data_files_of_aelab_are_not_code(aelab_copy):
    base = versions.version(SETUP, aelab_copy)
    for name in ("evidence.json", "book_values.json", "solutions.json"):
        path = aelab_copy / name
        path.write_text(path.read_text() + "\n")
    assert versions.version(SETUP, aelab_copy) == base


def test_a_chapters_exercise_code_counts_for_that_chapter_only(aelab_copy):
    ch2, ch4 = ROOT / "book" / "02_ae_vs_pca.ipynb", ROOT / "book" / "04_vae.ipynb"
    before = {p: versions.version(p, aelab_copy) for p in (SETUP, ch2, ch4)}
    checks = aelab_copy / "exercises" / "_chapter2_checks.py"
    text = checks.read_text()
    checks.write_text(text + "\nEXTRA = 1\n")
    after = {p: versions.version(p, aelab_copy) for p in (SETUP, ch2, ch4)}
    assert after[ch2] != before[ch2] and after[SETUP] == before[SETUP] and after[ch4] == before[ch4]
    _edit(aelab_copy / "exercises" / "_base.py", "from __future__ import annotations\n",
          "from __future__ import annotations\nSHARED = 1\n")  # shared by every chapter's exercises
    assert all(versions.version(p, aelab_copy) != after[p] for p in after)


def test_each_chapter_uses_only_its_own_exercises():
    import re
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        code = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                       if c["cell_type"] == "code")
        used = {int(n) for n in re.findall(r"[\"']ex(\d+)-", code)}
        assert used <= {versions.chapter_number(path.stem)}, (
            f"{path.name} uses chapter {sorted(used)}'s exercises: its version would not cover their code")
    for module in (ROOT / "aelab" / "exercises").glob("*chapter*.py"):
        own = versions.EXERCISE_MODULE.match(f"exercises/{module.name}").group(1)
        imported = set(re.findall(r"_?chapter(\d+)", "\n".join(
            line for line in module.read_text().splitlines() if line.startswith(("from ", "import ")))))
        assert imported <= {own}, f"{module.name} imports another chapter's exercise code"
