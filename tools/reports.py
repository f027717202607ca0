"""Readers' runs: take the reports their closing tables offer into the records, apart from the book's.

    python3 tasks.py reports FILE ...   # a report's JSON, or an issue's text holding it

Each report is checked before it is kept: it must be one chapter's report as
:mod:`aelab._report` writes it, unedited (its digest matches), naming only
claims that chapter makes. A report that is not is refused with one sentence,
and nothing is written. Kept reports go to ``benchmarks/readers.json`` (the same
report again replaces itself); the robustness page lists them as readers' runs.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from aelab._report import KIND, digest
from aelab.runtime import code_version
from tools.records import write_atomically
from tools.versions import BOOK, ROOT

READERS = ROOT / "benchmarks" / "readers.json"
FIELDS = {"kind": str, "chapter": str, "aelab": str, "code": str, "torch": str, "python": str, "device": str,
          "threads": int, "seed_offset": int, "profile": str, "data": str, "claims": list, "digest": str}
STATUSES = ("held", "FAILED", "not checked")


class Refused(ValueError):
    """A report that cannot be kept, with the one sentence that says why."""


def parse(text: str) -> dict:
    """The report in ``text``: its JSON alone, or the first JSON block of an issue's body."""
    fenced = re.search(r"```(?:json)?\s*(\{.*?\})\s*```", text, re.S)
    try:
        report = json.loads(fenced.group(1) if fenced else text)
    except json.JSONDecodeError as err:
        raise Refused(f"this is not a report: its JSON does not parse ({err.msg} at line {err.lineno}).") from None
    if not isinstance(report, dict):
        raise Refused("this is not a report: a report is one JSON object.")
    return report


def claims_of(chapter: str) -> set[str]:
    """The names of the claims and facts ``chapter``'s notebook states."""
    text = "".join("".join(c["source"]) for c in json.loads((BOOK / f"{chapter}.ipynb").read_text())["cells"]
                   if c["cell_type"] == "code")
    return set(re.findall(r"claims\.(?:check|fact)\(\s*[\"']([^\"']+)[\"']", text))


def check(report: dict) -> None:
    """Nothing when ``report`` can be kept; else :class:`Refused` with the reason."""
    if report.get("kind") != KIND:
        raise Refused(f"this is not a report of a reader's run (its kind is {report.get('kind')!r}).")
    wrong = [k for k, kind in FIELDS.items() if not isinstance(report.get(k), kind) or isinstance(report.get(k), bool)]
    if wrong:
        raise Refused(f"the report lacks or mistypes {', '.join(wrong)}: send it as the chapter wrote it.")
    if report["digest"] != digest(report):
        raise Refused("the report was changed after the chapter wrote it (its digest does not match): send the "
                      "block as it was printed.")
    if not (BOOK / f"{report['chapter']}.ipynb").exists():
        raise Refused(f"the book has no chapter {report['chapter']!r}.")
    names = [c.get("name") for c in report["claims"] if isinstance(c, dict)]
    unknown = sorted(set(names) - claims_of(report["chapter"]))
    if len(names) != len(report["claims"]) or unknown:
        raise Refused(f"the report names claims that {report['chapter']} does not make: {unknown or 'unnamed'}.")
    if any(c.get("status") not in STATUSES for c in report["claims"]):
        raise Refused(f"a claim's status must be one of {', '.join(STATUSES)}.")


def keep(report: dict, path: Path | None = None) -> None:
    """Check ``report`` and add it to the readers' records (the same report again replaces itself)."""
    check(report)
    path = path or READERS
    runs = json.loads(path.read_text())["runs"] if path.exists() else []
    runs = [r for r in runs if r["digest"] != report["digest"]] + [report]
    write_atomically(path, json.dumps({"runs": runs}, indent=1, sort_keys=True) + "\n")


def section(path: Path | None = None) -> list[str]:
    """The robustness page's section on readers' runs, one row each."""
    path = path or READERS
    runs = json.loads(path.read_text())["runs"] if path.exists() else []
    lines = ["", "## Readers' runs", "",
             "Runs that readers sent back from their closing tables (`python3 tasks.py reports`), on their",
             "own machines: they are kept apart from the book's runs above and count for no claim's rule."]
    if not runs:
        return lines + ["", "None yet."]
    current = code_version()
    lines += ["", "| chapter | aelab code | device | threads | profile | seed offset | data | held | failed |",
              "|---|---|---|---:|---|---:|---|---:|---|"]
    for r in sorted(runs, key=lambda r: (r["chapter"], r["digest"])):
        checked = [c for c in r["claims"] if c["status"] != "not checked"]
        failed = [c["name"] for c in checked if c["status"] == "FAILED"]
        code = f"{r['code']} ({'this one' if r['code'] == current else 'another'})"
        lines.append(f"| {r['chapter']} | {code} | {r['device']} | {r['threads']} | {r['profile']} | "
                     f"{r['seed_offset']} | {r['data']} | {len(checked) - len(failed)} of {len(checked)} | "
                     f"{', '.join(f'`{n}`' for n in failed) or 'none'} |")
    return lines


def main(paths: list[str]) -> None:
    if not paths:
        sys.exit("usage: python3 tasks.py reports FILE ... (each a report's JSON, or an issue's text holding it)")
    reports = []
    for name in paths:
        try:
            report = parse(Path(name).read_text())
            check(report)
        except OSError as err:
            sys.exit(f"{name}: cannot be read ({err.strerror}).")
        except Refused as why:
            sys.exit(f"{name}: refused: {why}")
        reports.append(report)
    for report in reports:  # all checked first: a refused file keeps none
        keep(report)
    from tools import robustness_page

    robustness_page.write()
    print(f"kept {len(reports)} reader's report(s) in {READERS.relative_to(ROOT)}; the robustness page lists them")


if __name__ == "__main__":
    main(sys.argv[1:])
