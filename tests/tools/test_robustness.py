"""The robustness command: its arguments, and one run of a stand-in chapter (sweeping the book is not a unit test)."""

import nbformat
import pytest

from tools import robustness
from tools.versions import version


def test_robustness_offsets_take_ranges():
    assert robustness.integers("0-3,7") == [0, 1, 2, 3, 7]


def test_robustness_refuses_an_unknown_chapter():
    with pytest.raises(SystemExit, match="no chapter matches"):
        robustness.main(["99_nothing"])


def test_robustness_refuses_offsets_that_are_not_integers():
    with pytest.raises(SystemExit, match="comma-separated integers or ranges"):
        robustness.main(["--offsets", "a-b", "00_setup"])


def test_one_run_records_what_the_chapters_claims_wrote(tmp_path):
    # a stand-in chapter: its "claims report" writes what Claims.report writes under AELAB_CLAIMS_OUT
    code = ("import json, os\n"
            "claims = [{'name': 'c', 'status': 'held', 'values': {'seed': os.environ['AELAB_SEED'],\n"
            "           'quick': os.environ.get('AELAB_QUICK', '')}, 'margins': {'e': 1.0}}]\n"
            "path = os.path.join(os.environ['AELAB_CLAIMS_OUT'], '99_x.json')\n"
            "json.dump({'claims': claims}, open(path, 'w'))\n")
    chapter = tmp_path / "99_x.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]), chapter)
    (tmp_path / "work").mkdir()
    result = robustness.run_once(chapter, "quick", 3, 1, tmp_path / "work", keep=None)
    assert result["error"] == "" and result["notebook"] == version(chapter)
    assert {k: result[k] for k in ("chapter", "profile", "offset", "threads")} == {
        "chapter": "99_x", "profile": "quick", "offset": 3, "threads": 1}
    assert result["claims"] == [{"name": "c", "status": "held", "values": {"seed": "3", "quick": "1"},
                                 "margins": {"e": 1.0}}]
