"""A reader's run goes back into the records: the report a chapter offers, and the command that keeps it."""

import json
import re
from html import unescape
from urllib.parse import unquote

import pytest

from aelab import _report
from aelab.claims import Claims
from aelab.comparisons import above, below
from tools import reports, robustness_page


def _run_of_chapter_0():
    """The claims of chapter 0 as a quick run states them (names the chapter really makes)."""
    claims = Claims("00_setup")
    claims.fact("digits-shape-and-range", True, "Shapes.", section="The digits")
    claims.check("small-fit-learns", below("last epoch / mean image", 0.05, 0.068, log=True), "Learns.",
                 section="A small timed fit")
    claims.check("wider-code-lower-error", below("10 / 2 numbers", 0.04, 0.05, log=True), "Wider.",
                 section="A larger code", condition="full profile")
    return claims


def test_a_quick_runs_report_is_kept_and_listed_as_a_readers_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AELAB_QUICK", "1")
    report = _report.make("00_setup", _run_of_chapter_0().rows)
    assert report["profile"] == "quick" and report["code"] and report["digest"] == _report.digest(report)
    assert [c["status"] for c in report["claims"]] == ["held", "held", "not checked"]
    # as a reader sends it: the issue's body, with the block inside
    issue = tmp_path / "issue.md"
    issue.write_text(f"My run of 00_setup:\n\n```json\n{json.dumps(report, indent=1)}\n```\n")
    kept = tmp_path / "readers.json"
    reports.keep(reports.parse(issue.read_text()), kept)
    reports.keep(reports.parse(issue.read_text()), kept)  # the same report again replaces itself
    assert len(json.loads(kept.read_text())["runs"]) == 1
    monkeypatch.setattr(reports, "READERS", kept)
    page = robustness_page.page([])
    assert "## Readers' runs" in page
    row = [line for line in page.splitlines() if line.startswith("| 00_setup |")]
    assert len(row) == 1 and "(this one)" in row[0] and "| quick | 0 | embedded | 2 of 2 | none |" in row[0]


@pytest.mark.parametrize("change, says", [
    (lambda r: r.update(threads=64), "changed after the chapter wrote it"),
    (lambda r: r["claims"][0].update(status="held", name="ae-beats-everything"), "changed after"),
    (lambda r: r.pop("device"), "lacks or mistypes device"),
    (lambda r: r.update(kind="something else"), "not a report of a reader's run"),
])
def test_a_tampered_or_broken_report_is_refused_with_one_sentence(change, says):
    report = _report.make("00_setup", _run_of_chapter_0().rows)
    change(report)
    with pytest.raises(reports.Refused, match=says):
        reports.check(report)


def test_a_report_of_claims_the_chapter_does_not_make_is_refused_even_with_a_fresh_digest():
    report = _report.make("00_setup", _run_of_chapter_0().rows)
    report["claims"].append({"name": "made-up", "status": "held", "margins": {}})
    report["digest"] = _report.digest(report)
    with pytest.raises(reports.Refused, match=r"names claims that 00_setup does not make: \['made-up'\]"):
        reports.check(report)
    report["chapter"] = "99_nothing"
    report["digest"] = _report.digest(report)
    with pytest.raises(reports.Refused, match="no chapter '99_nothing'"):
        reports.check(report)


def test_text_that_is_no_report_is_refused(tmp_path):
    with pytest.raises(reports.Refused, match="its JSON does not parse"):
        reports.parse("thanks for the book!")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(SystemExit, match="bad.json: refused: this is not a report"):
        reports.main([str(bad)])


def test_the_closing_table_offers_the_report_on_a_readers_run_only(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    monkeypatch.setattr(_report, "repository", lambda: "https://github.com/aelab-course/aelab")
    monkeypatch.delenv("AELAB_BOOK", raising=False)
    monkeypatch.delenv("AELAB_CLAIMS", raising=False)
    _run_of_chapter_0().report()
    assert len(shown) == 2 and "Report your run" in shown[1]
    link = unescape(re.search(r'href="([^"]+)"', shown[1]).group(1))
    assert link.startswith("https://github.com/aelab-course/aelab/issues/new?title=")
    body = unquote(link.split("&body=", 1)[1])
    assert reports.parse(body)["chapter"] == "00_setup"  # the issue it opens holds a report the command keeps
    reports.check(reports.parse(body))
    shown.clear()
    monkeypatch.setenv("AELAB_BOOK", "1")  # the book's build shows the table only
    _run_of_chapter_0().report()
    assert len(shown) == 1 and "Report your run" not in shown[0]


def test_the_package_names_the_repository_the_book_names():
    # the report's link opens an issue on the package's repository (pyproject's [project.urls]),
    # which must be the one _config.yml names for the launch and issues buttons
    import tomllib

    from tools.colab_cell import ROOT, repository_url

    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    assert urls["Repository"].rstrip("/") == repository_url()
