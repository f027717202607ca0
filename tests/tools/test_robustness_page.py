"""The robustness page: every run by version, the rule with aelab/rule.py's numbers, each failed claim."""

from pathlib import Path

from aelab.rule import RULE_RUNS, RULE_Z
from tests.tools.runs import margin_run, run
from tools import robustness_page
from tools.versions import version

ROOT = Path(__file__).resolve().parents[2]


def test_robustness_page_names_each_failed_claim_with_its_values():
    page = robustness_page.page([run(0, 1), run(1, 2, "FAILED"), run(2, 2, error="Boom")])
    assert "| [02_x](02_x.ipynb) | earlier version | quick | 2 | 1, 2 | 2 | 2 | 1 | 1 | 1.0 |" in page
    assert "| 02_x | earlier version | quick | 2 | 1 | `ae-beats-pca` | ae = 0.1, pca = 0.2 |" in page
    assert "offset 2: `Boom`" in page
    assert "None: every claim" in robustness_page.page([run(0, 1)])


def test_robustness_page_tells_runs_of_this_version_from_earlier_ones():
    now = dict(run(0, 1), chapter="00_setup", notebook=version(ROOT / "book" / "00_setup.ipynb"))
    old = dict(run(1, 1), chapter="00_setup", notebook="0123456789ab")
    page = robustness_page.page([now, old])
    assert "| [00_setup](00_setup.ipynb) | this one | quick | 1 | 0 |" in page
    assert "| [00_setup](00_setup.ipynb) | earlier version | quick | 1 | 1 |" in page
    assert "version" not in now and "version" not in old  # the page leaves the records as they are


def test_the_page_states_the_rule_with_the_numbers_of_aelab_rule(monkeypatch):
    steady = [margin_run(o, 1, 1.0 + 0.01 * o) for o in range(RULE_RUNS["quick"])]
    page = robustness_page.page(steady)
    assert "## The rule for keeping a claim" in page
    assert f"| `falls` | quick | {len(steady)} | {len(steady)} | e: 1 (" in page
    assert (f"at least {RULE_RUNS['quick']} distinct runs of the quick profile and {RULE_RUNS['full']} "
            f"of the full") in page
    assert f"at least {RULE_Z:g} standard" in page and f"asks for at least {RULE_Z:g})" in page
    monkeypatch.setattr(robustness_page, "RULE_RUNS", {"quick": 31, "full": 9})
    monkeypatch.setattr(robustness_page, "RULE_Z", 4.5)
    text = "\n".join(robustness_page.rule_text())
    assert "at least 31 distinct runs of the quick profile and 9 of the full" in text
    assert "at least 4.5 standard" in text


def test_the_evidence_is_what_the_closing_tables_read():
    steady = [margin_run(o, 1, 1.0 + 0.01 * o) for o in range(5)]
    evidence = robustness_page.evidence(steady)["00_setup"]["quick"]
    assert evidence["falls"] == {"runs": 5, "held": 5, "log": [], "smallest": {"e": 1.0}}
    assert evidence["shape"] == {"runs": 5, "held": 5, "log": [], "smallest": {}}


def test_the_tightness_section_flags_a_far_bound_unless_a_note_explains_it(monkeypatch, tmp_path):
    from tools import records
    runs = []
    for o in range(3):
        r = margin_run(o, 1, 0.9)
        r["claims"][0]["values"] = {"e": "0.1 < 1 (margin 0.9)"}
        runs.append(r)
    monkeypatch.setattr(records, "LOOSE_NOTES", tmp_path / "none.json")
    text = robustness_page.page(runs)
    assert "| 00_setup | `falls` | quick | e | 1 | 0.1 | x10 | **far, unexplained** |" in text
    assert "1 comparison sits far from the bound; 1 without a reason." in text
    (tmp_path / "none.json").write_text('{"00_setup/falls": "the sentence says only that it falls"}')
    assert "| x10 | far: the sentence says only that it falls |" in robustness_page.page(runs)
