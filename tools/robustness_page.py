"""The robustness page (book/robustness.md) and aelab/evidence.json, written from the recorded runs.

The page lists every recorded run by chapter, version, profile and thread
count, states the rule for keeping a claim (its numbers from
:mod:`aelab.rule`), gives each claim's verdict over the distinct runs of its
chapter's current version, and names every claim that failed. The evidence
file holds what each chapter's closing table shows of those runs.
"""

from __future__ import annotations

import json

from aelab.rule import RULE_RUNS, RULE_Z
from tools import reports
from tools.records import (FAR_FACTOR, FAR_SHARE, claim_statistics, load_runs, loose_notes, sd, tightness, verdict,
                           write_atomically)
from tools.versions import ROOT, current_versions

PAGE = ROOT / "book" / "robustness.md"
EVIDENCE = ROOT / "aelab" / "evidence.json"  # what the chapters' closing tables show of the recorded runs


def write() -> list[dict]:
    """Write the robustness page and aelab/evidence.json from every recorded run; return the runs."""
    runs = load_runs()
    write_atomically(PAGE, page(runs))
    write_atomically(EVIDENCE, json.dumps(evidence(runs), indent=1, sort_keys=True) + "\n")
    return runs


def evidence(runs: list[dict]) -> dict:
    """{chapter: {profile: {claim: {"runs", "held", "log", "smallest": {comparison: smallest margin}}}}}."""
    return {chapter: {profile: {name: {"runs": st["runs"], "held": st["held"], "log": st["log"],
                                       "smallest": {k: round(min(v), 6) for k, v in st["margins"].items()}}
                                for name, st in claims.items()}
                      for profile, claims in profiles.items()}
            for chapter, profiles in claim_statistics(runs).items()}


def rule_text() -> list[str]:
    """The page's section on the rule, its numbers from aelab/rule.py."""
    z = f"{RULE_Z:g}"
    return [
        "## The rule for keeping a claim", "",
        "A bound placed at the edge of *n* recorded runs is crossed by the next run about",
        "2/(*n* + 1) of the time, a third at *n* = 5. So each claim records its *margin*, how far",
        "it was from failing, in its own units (or as a ratio on a log scale, shown as a factor,",
        "where the spread over seeds is wide), and the book keeps a claim only when:", "",
        f"- it was checked over at least {RULE_RUNS['quick']} distinct runs of the quick profile and "
        f"{RULE_RUNS['full']} of the full",
        "  one, at 1 and 2 CPU threads (runs that repeat each other bitwise count once), and held",
        "  in every one; and",
        f"- for each of its comparisons, the mean margin over those runs is at least {z} standard",
        "  deviations above zero (a margin that is the same in every run, such as a count, passes).", "",
        "A claim that does not meet it is rephrased to what does hold, made about the median of",
        "several seeds trained inside the chapter, or becomes a sentence about the run's own",
        "number with no claim. A check that is true by construction (a shape, a known answer) is",
        "listed as a *fact*, apart: it is not a finding of the run. Each chapter's closing table",
        "shows, beside this run's margin, how often the claim held here and its smallest margin.",
    ]


def page(runs: list[dict]) -> str:
    """The text of book/robustness.md, from the recorded runs."""
    lines = ["# Do the claims hold on your run?", "",
             "Every chapter states its run-dependent claims by name and ends with a table of",
             "them. `python3 tasks.py robustness` runs chapters under several seed offsets",
             "(`AELAB_SEED`) and CPU thread counts and records, for each run, which claims held.",
             "This page is written by that command from `benchmarks/robustness/`.",
             "Runs made on an earlier version of a chapter than the one in this book are",
             "counted apart, as *earlier version*: they say how that version did, not this one.",
             "A version is the code a chapter runs, its own and that of the `aelab` package (other",
             "chapters' exercise modules aside), as Python parses it: a change of prose, docstrings or",
             "code layout keeps it, a changed statement, value or string, in the chapter or in `aelab`,",
             "makes a new one.", "",
             "| chapter | version | profile | threads | seed offsets | runs | claims checked | failed | run errors "
             "| minutes | dates |",
             "|---|---|---|---:|---|---:|---:|---:|---:|---:|---|"]
    current = current_versions()
    version = {id(r): "this one" if r.get("notebook") and r.get("notebook") == current.get(r["chapter"])
               else "earlier version" for r in runs}
    groups: dict = {}
    for r in runs:
        groups.setdefault((r["chapter"], version[id(r)], r["profile"], r["threads"]), []).append(r)
    for (chapter, kind, profile, threads), rs in sorted(groups.items()):
        checked = sum(1 for r in rs for c in r["claims"] if c["status"] != "not checked")
        failed = sum(1 for r in rs for c in r["claims"] if c["status"] == "FAILED")
        dates = sorted({r.get("date", "") for r in rs})
        lines.append(f"| [{chapter}]({chapter}.ipynb) | {kind} | {profile} | {threads} | "
                     f"{', '.join(str(r['offset']) for r in rs)} | {len(rs)} | {checked} | {failed} | "
                     f"{sum(1 for r in rs if r['error'])} | {sum(r['seconds'] for r in rs) / 60:.1f} | "
                     f"{', '.join(dates)} |")
    lines += _claims_section(runs)
    lines += _tightness_section(runs)
    failures = [(r, c) for r in runs for c in r["claims"] if c["status"] == "FAILED"]
    lines += ["", "## Claims that failed", ""]
    if not failures:
        lines.append("None: every claim checked held in every recorded run.")
    else:
        lines += ["| chapter | version | profile | threads | offset | claim | measured |",
                  "|---|---|---|---:|---:|---|---|"]
        for r, c in failures:
            measured = ", ".join(f"{k} = {v}" for k, v in c["values"].items())
            lines.append(f"| {r['chapter']} | {version[id(r)]} | {r['profile']} | {r['threads']} | {r['offset']} | "
                         f"`{c['name']}` | {measured} |")
    errors = [r for r in runs if r["error"]]
    if errors:
        lines += ["", "## Runs that stopped with an error", ""]
        lines += [f"- {r['chapter']}, {r['profile']} profile, {r['threads']} threads, offset {r['offset']}: "
                  f"`{r['error']}`" for r in errors]
    lines += reports.section()
    return "\n".join(lines) + "\n"


def _claims_section(runs: list[dict]) -> list[str]:
    """Per chapter, each claim of the current version: distinct runs, held, smallest margin, the rule's verdict."""
    lines = ["", *rule_text(), "", "## Each claim over the recorded runs", "",
             "Only runs of each chapter's current version count. *Smallest margin* is over the",
             "distinct runs; *mean / sd* is the mean margin over its standard deviation (the rule",
             f"asks for at least {RULE_Z:g}); a log-scale margin is shown as the factor it stands for."]
    stats = claim_statistics(runs)
    unswept = sorted(set(current_versions()) - set(stats))
    if unswept:
        lines += ["", f"No run of the current version of {', '.join(unswept)} is recorded yet: their code, or",
                  "aelab's, changed since their last sweep, so until the next one their claims have no",
                  "record here (and their closing tables say \"not recorded\")."]
    for chapter, profiles in stats.items():
        lines += ["", f"### {chapter}", "",
                  "| claim | profile | runs | held | comparison: smallest margin (mean / sd) | kept? |",
                  "|---|---|---:|---:|---|---|"]
        for profile, claims in sorted(profiles.items(), key=lambda kv: kv[0] != "quick"):
            for name, st in claims.items():
                kept, why = verdict(st, profile)
                parts = []
                for label, ms in st["margins"].items():
                    spread = sd(ms)
                    ratio = f"{sum(ms) / len(ms) / spread:.1f}" if spread > 0 else "same in every run"
                    smallest = f"x{10 ** min(ms):.3g}" if label in st["log"] else f"{min(ms):.3g}"
                    parts.append(f"{label}: {smallest} ({ratio})")
                lines.append(f"| `{name}` | {profile} | {st['runs']} | {st['held']} | "
                             f"{'; '.join(parts) or ('(fact)' if st['fact'] else '(no margin recorded)')} | "
                             f"{'yes' if kept else 'no: ' + why} |")
    return lines


def _tightness_section(runs: list[dict]) -> list[str]:
    """Per comparison of each current claim: its bound beside the recorded values, flagged where far apart."""
    lines = ["", "## How tight each bound is", "",
             "A claim that holds on every seed only because its bound is far from every run tests",
             "less than its sentence. Per comparison: the bound, the recorded values, and how far the",
             f"weakest run sat from the bound: as a factor between positive numbers (*far* beyond x{FAR_FACTOR:g}),",
             f"otherwise as a share of the largest number compared (*far* beyond {FAR_SHARE:.0%}). A far bound",
             "is listed with the reason its sentence is stated that loosely (`benchmarks/loose_bounds.json`),",
             "or marked **unexplained**."]
    notes, rows, counts = loose_notes(), [], {"far": 0, "unexplained": 0}
    for chapter, profiles in claim_statistics(runs).items():
        for profile, claims in sorted(profiles.items(), key=lambda kv: kv[0] != "quick"):
            for name, st in claims.items():
                for label, compared in st["compared"].items():
                    t = tightness(compared)
                    flag = ""
                    if t["far"]:
                        note = notes.get(f"{chapter}/{name}")
                        counts["far"] += 1
                        counts["unexplained"] += not note
                        flag = f"far: {note}" if note else "**far, unexplained**"
                    rows.append(f"| {chapter} | `{name}` | {profile} | {label} | {_span(t['bound'])} | "
                                f"{_span(t['values'])} | {t['weakest']} | {flag} |")
    if not rows:
        return lines + ["", "No run of a current version is recorded yet."]
    many = "comparison sits" if counts["far"] == 1 else "comparisons sit"
    lines += ["", f"{counts['far']} {many} far from the bound; {counts['unexplained']} without a reason.", "",
              "| chapter | claim | profile | comparison | bound | recorded values | weakest run | far? |",
              "|---|---|---|---|---|---|---|---|", *rows]
    return lines


def _span(pair: tuple[float, float]) -> str:
    low, high = pair
    return f"{low:.3g}" if low == high else f"{low:.3g} to {high:.3g}"
