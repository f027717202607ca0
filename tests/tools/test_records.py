"""The recorded robustness runs: one per setting, distinct outcomes counted once, the rule's verdict."""

import json

from aelab.rule import RULE_RUNS
from tests.tools.runs import margin_run, run
from tools import records

N = RULE_RUNS["quick"]  # the distinct runs the rule needs in the quick profile


def test_robustness_records_one_run_per_setting(monkeypatch, tmp_path):
    monkeypatch.setattr(records, "ROBUSTNESS_DIR", tmp_path)
    records.record_run(run(0, 1, "FAILED"))
    records.record_run(run(1, 1))
    records.record_run(run(0, 1))  # the same settings again: replaces the first
    runs = json.loads((tmp_path / "02_x.json").read_text())["runs"]
    assert [(r["offset"], r["claims"][0]["status"]) for r in runs] == [(0, "held"), (1, "held")]
    assert records.load_runs() == runs


def test_runs_that_repeat_bitwise_count_once_and_the_rule_judges_each_claim():
    steady = [margin_run(o, 1, 1.0 + 0.01 * o) for o in range(N)]
    repeats = [margin_run(o, 2, 1.0 + 0.01 * o) for o in range(N)]  # 2 threads, the same numbers
    stats = records.claim_statistics(steady + repeats)["00_setup"]["quick"]
    assert stats["falls"]["runs"] == N and stats["falls"]["held"] == N
    assert records.verdict(stats["falls"], "quick") == (True, "meets the rule")
    assert records.verdict(stats["shape"], "quick") == (True, "a fact (true by construction)")
    near = records.claim_statistics([margin_run(o, 1, 0.05 + 0.1 * (o % 2) + 1e-3 * o) for o in range(N)])
    kept, why = records.verdict(near["00_setup"]["quick"]["falls"], "quick")
    assert not kept and "standard deviations" in why
    few = records.claim_statistics(steady[:5])["00_setup"]["quick"]["falls"]
    assert records.verdict(few, "quick") == (False, f"5 runs, the rule needs {N}")


def test_runs_of_an_earlier_version_do_not_count():
    old = [dict(margin_run(o, 1, 1.0), notebook="0123456789ab") for o in range(N)]
    assert records.claim_statistics(old) == {}


def test_tightness_flags_a_bound_far_from_every_run_as_a_factor_or_a_share():
    near = records.tightness([(2.5, ">", 1.0), (4.0, ">", 1.0)])  # weakest run x2.5 above
    assert not near["far"] and near["weakest"] == "x2.5" and near["values"] == (2.5, 4.0)
    far = records.tightness([(3.7e-8, "<", 1e-4), (1e-9, "<", 1e-4)])  # "below 1e-4" of numbers near 0
    assert far["far"] and far["bound"] == (1e-4, 1e-4)
    difference = records.tightness([(0.02, ">", 0.0), (0.3, ">", 0.0)])  # a lead above zero
    assert not difference["far"] and difference["weakest"] == "7% of the numbers' size"
    assert records.tightness([(0.5, ">", 0.0), (0.6, ">", 0.0)])["far"]


def test_tightness_reads_the_comparisons_the_runs_recorded():
    def shown(value, bound):
        r = margin_run(0, 1, bound - value)
        r["claims"][0]["values"] = {"e": f"{value:.3g} < {bound:.3g} (margin {bound - value:.3g})"}
        return r
    stats = records.claim_statistics([dict(shown(0.1 + 0.01 * o, 1.0), offset=o) for o in range(3)])
    compared = stats["00_setup"]["quick"]["falls"]["compared"]["e"]
    assert compared == [(0.1, "<", 1.0), (0.11, "<", 1.0), (0.12, "<", 1.0)]
    assert records.tightness(compared)["far"]  # x8.3 below its bound at the weakest run
    assert records._compared("0.4") is None and records._compared(None) is None
