"""The {record} role: ranges and counts the prose quotes, from the recorded runs of the current version."""

import json
import re
from pathlib import Path

import pytest

from tests.tools.runs import margin_run
from tools import record_quotes, records

ROOT = Path(__file__).resolve().parents[2]


def stats_of(values):
    runs = []
    for offset, value in enumerate(values):
        r = margin_run(offset, 1, 10.5 - value)
        r["claims"][0]["values"] = {"open dimensions": f"{value:.3g} < 10.5 (margin {10.5 - value:.3g})"}
        r["claims"][0]["margins"] = {"open dimensions": 10.5 - value}
        runs.append(r)
    return records.claim_statistics(runs)


def test_a_range_a_bound_and_a_count_come_from_the_records():
    stats = stats_of([3, 9, 5])
    quote = lambda spec: record_quotes.quote("00_setup", spec, stats)  # noqa: E731
    assert quote("quick|falls|open dimensions|range:.0f") == "3 to 9 over the 3 quick-profile runs recorded"
    assert quote("quick|falls|open dimensions|low") == "3" and quote("quick|falls|open dimensions|high:.1f") == "9.0"
    assert quote("quick|falls||held") == "3 of 3" and quote("quick|falls||runs") == "3"
    assert quote("full|falls|open dimensions|range") == record_quotes.NOT_YET  # no full run of this version


def test_a_mistyped_role_is_one_sentence():
    stats = stats_of([3])
    with pytest.raises(ValueError, match="needs PROFILE"):
        record_quotes.quote("00_setup", "quick|falls|range", stats)
    with pytest.raises(ValueError, match="one of"):
        record_quotes.quote("00_setup", "fast|falls|open dimensions|range", stats)
    with pytest.raises(ValueError, match="records no comparison 'open dims'"):
        record_quotes.quote("00_setup", "quick|falls|open dims|range", stats)
    text = "from {record}`quick|falls|open dimensions|range` here"
    assert record_quotes.fill(text, "00_setup", stats) == "from 3 to 3 over the 1 quick-profile runs recorded here"


def test_every_role_in_the_chapters_names_a_claim_the_chapter_makes():
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        prose = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        for spec in record_quotes.ROLE.findall(prose):
            claim = spec.split("|")[1]
            assert re.search(rf"[\"']{re.escape(claim)}[\"']", code), (
                f"{path.name}: {{record}}`{spec}` names {claim!r}, a claim the chapter does not make")
            record_quotes.quote(path.stem, spec)  # a comparison the records lack is refused by name
