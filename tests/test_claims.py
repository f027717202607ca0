"""aelab.claims.Claims: the named claims a chapter checks and its closing table."""

import json

import numpy as np
import pytest
import torch

from aelab import runtime
from aelab.claims import Claims, ClaimsFailed
from aelab.comparisons import above, below


@pytest.fixture(autouse=True)
def _report_mode(monkeypatch):
    monkeypatch.delenv("AELAB_CLAIMS", raising=False)
    monkeypatch.delenv("AELAB_CLAIMS_OUT", raising=False)
    monkeypatch.delenv("AELAB_SEED", raising=False)


def _two_claims():
    claims = Claims("99_test")
    claims.check("small", below("error", 0.5, 1), "The error is below one.", section="Errors")
    claims.check("large", below("error", np.float64(3.0), 1), "The other error is below one.", section="Errors",
                 values={"seeds": [1, 2]})
    return claims


def test_a_held_and_a_failed_claim_are_told_apart(capsys):
    claims = _two_claims()
    assert [row.status for row in claims.rows] == ["held", "FAILED"]
    assert [row.name for row in claims.failed()] == ["large"]
    assert "claim 'large' did not hold in this run (error = 3 < 1 (margin -2), seeds = [1, 2])" in capsys.readouterr().out


def test_the_table_is_collapsed_when_all_held_and_open_with_the_reason_when_one_failed():
    claims = Claims("99_test")
    claims.check("ok", above("score", 2, 1), "Fine.", section="S")
    closed = claims.html()
    assert closed.startswith('<details><summary style="cursor: pointer">Claims of this chapter: 1 of 1 held')
    assert "(click to open the table)</summary>" in closed  # JupyterLab draws no marker: the words say it
    failing = _two_claims()
    page = failing.html()
    assert page.startswith('<details open><summary style="cursor: pointer">Claims of this chapter: 1 of 2 held')
    assert "click to open" not in page
    assert "Why this can happen" in page and "<code>large</code>" in page and "error = 3 &lt; 1 (margin -2)" in page


def test_strict_mode_fails_naming_the_claim_and_its_values(monkeypatch):
    monkeypatch.setenv("AELAB_CLAIMS", "strict")
    with pytest.raises(ClaimsFailed, match=r"'large' \(The other error is below one\. Measured: error = 3 < 1"):
        _two_claims().report()


def test_report_mode_shows_the_table_and_carries_on(monkeypatch, tmp_path):
    monkeypatch.setenv("AELAB_CLAIMS_OUT", str(tmp_path))
    _two_claims().report()  # no exception
    record = json.loads((tmp_path / "99_test.json").read_text())
    assert record["chapter"] == "99_test" and record["seed_offset"] == 0
    assert [c["status"] for c in record["claims"]] == ["held", "FAILED"]
    assert record["claims"][1]["values"] == {"error": "3 < 1 (margin -2)", "seeds": "[1, 2]"}
    assert record["claims"][0]["margins"] == {"error": 0.5} and record["claims"][1]["margins"] == {"error": -2.0}


def test_full_profile_claims_are_not_checked_in_the_quick_profile(monkeypatch):
    monkeypatch.setenv("AELAB_QUICK", "1")
    claims = Claims("99_test")
    assert claims.check("needs-budget", below("x", 2, 1), "Only with the full budget.", section="S", condition="full profile")
    assert claims.rows[0].status == "not checked" and not claims.failed()
    monkeypatch.delenv("AELAB_QUICK")
    claims.check("needs-budget-2", below("x", 2, 1), "Only with the full budget.", section="S", condition="full profile")
    assert claims.rows[1].status == "FAILED"


def test_zero_dim_tensors_and_numpy_scalars_are_numbers():
    claims = Claims("99_test")
    assert claims.check("tensor", above("x", torch.tensor(2.0), np.float32(1.0)), "A tensor.", section="S")
    assert claims.fact("fact", torch.tensor(True), "A tensor verdict.", section="S")


def test_a_claim_holds_only_when_every_comparison_does():
    claims = Claims("99_test")
    assert not claims.check("two", [below("a", 1, 2), above("b", 1, 2)], "Both.", section="S")
    assert claims.rows[0].margins == {"a": 1.0, "b": -1.0}


def test_a_fact_is_shown_apart_with_no_margin():
    claims = Claims("99_test")
    claims.check("finding", below("e", 1, 2), "A finding.", section="S")
    claims.fact("shape", True, "A shape.", section="S")
    page = claims.html()
    assert claims.rows[1].fact and claims.rows[1].margins == {}
    assert "1 of 1 held" in page and "1 check true by construction" in page
    assert page.index("<code>finding</code>") < page.index("<code>shape</code>")


def test_the_table_shows_what_the_recorded_runs_said(monkeypatch):
    claims = Claims("99_test")
    monkeypatch.setattr(Claims, "evidence", lambda self: {"e": {"runs": 20, "held": 20, "smallest": {"e": 0.4}},
                                                          "r": {"runs": 20, "held": 20, "smallest": {"r": 1.0},
                                                                "log": ["r"]}})
    claims.check("e", below("e", 1, 2), "A finding.", section="S")
    claims.check("r", below("r", 1, 20, log=True), "A ratio.", section="S")
    claims.check("new", below("f", 1, 2), "Not yet recorded.", section="S")
    page = claims.html()
    assert "held in 20 of 20 runs; smallest margin e: 0.4" in page and "not recorded" in page
    assert "smallest margin r: x10" in page and claims.rows[1].logs == ["r"]


@pytest.mark.parametrize("call, message", [
    (lambda c: c.check("x", True, "A bare verdict.", section="S"), "holds must be a comparison"),
    (lambda c: c.fact("x", 0.3, "Not a verdict.", section="S"), "holds must be True or False"),
    (lambda c: c.check("x", below("e", 1, 2), "Bad condition.", section="S", condition="sometimes"),
     "condition must be one of"),
    (lambda c: c.check("", below("e", 1, 2), "No name.", section="S"), "a claim needs a name"),
    (lambda c: c.check("x", [below("e", 1, 2), above("e", 3, 2)], "Same label.", section="S"), "its own label"),
])
def test_mistakes_get_one_sentence(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call(Claims("99_test"))


def test_a_name_is_checked_once():
    claims = Claims("99_test")
    claims.check("x", below("e", 1, 2), "Once.", section="S")
    with pytest.raises(ValueError, match="already checked"):
        claims.check("x", below("e", 1, 2), "Twice.", section="S")


def test_a_chapter_with_no_claim_cannot_report():
    with pytest.raises(ValueError, match="no claim was checked"):
        Claims("99_test").report()


def test_an_unknown_mode_is_refused(monkeypatch):
    monkeypatch.setenv("AELAB_CLAIMS", "loud")
    with pytest.raises(ValueError, match="AELAB_CLAIMS='loud' is not a mode"):
        _two_claims().report()


def test_a_skipped_claim_is_not_checked_and_says_why(monkeypatch):
    monkeypatch.setenv("AELAB_CLAIMS", "strict")
    claims = Claims("99_test")
    assert claims.check("needs-data", below("error", 2, 1), "A claim about missing data.", section="S",
                        skipped="Fashion-MNIST is not installed")
    row = claims.rows[0]
    assert row.status == "not checked" and row.values == {"skipped": "Fashion-MNIST is not installed"}
    claims.check("later", below("e", 1, 2), "A claim for the full budget.", section="S", condition="full profile")
    table = claims.html()
    assert "not checked (skipped)" in table and "1 could not be checked (what they need is missing" in table
    if runtime.profile() == "quick":
        assert "; 1 need the full profile and were not checked" in table and "not checked (quick profile)" in table
    claims.report()  # strict mode: a skipped claim fails nothing
    with pytest.raises(ValueError, match="skipped must be a reason"):
        claims.check("other", below("e", 1, 2), "x", section="S", skipped="")


def test_a_cell_ending_in_a_claim_shows_nothing():
    # a glue cell often ends in its claim: the page must not show a stray True
    claims = Claims("99_test")
    held = claims.check("ok", above("score", 2, 1), "Fine.", section="S")
    failed = claims.check("no", above("score", 1, 2), "Not fine.", section="S")
    assert held and not failed and hasattr(held, "_ipython_display_") and held._ipython_display_() is None
    assert claims.fact("fact", True, "A fact.", section="S")
