"""The recorded robustness runs: one JSON file per chapter, their statistics and the rule's verdict.

A run is a dict: chapter, profile, offset, threads, seconds, error, date, the
``notebook`` version it ran (:func:`tools.versions.version`) and its claims,
each with its status, values and margins. Only runs of a chapter's current
version count, and runs that repeat each other bitwise count once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from aelab.rule import RULE_RUNS, keeps
from tools.versions import ROOT, current_versions

ROBUSTNESS_DIR = ROOT / "benchmarks" / "robustness"  # one JSON file per chapter


def load_runs() -> list[dict]:
    """Every recorded run, chapter by chapter."""
    return [run for path in sorted(ROBUSTNESS_DIR.glob("*.json")) for run in json.loads(path.read_text())["runs"]]


def record_run(result: dict) -> None:
    """Add one run to its chapter's file, replacing an earlier run with the same settings."""
    import fcntl

    ROBUSTNESS_DIR.mkdir(exist_ok=True)
    path = ROBUSTNESS_DIR / f"{result['chapter']}.json"
    # several robustness commands may finish a run of the same chapter at once: one writes at a time
    with open(ROBUSTNESS_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        runs = json.loads(path.read_text())["runs"] if path.exists() else []
        settings = ("profile", "offset", "threads")
        runs = [r for r in runs if tuple(r[k] for k in settings) != tuple(result[k] for k in settings)]
        runs.append(result)
        runs.sort(key=lambda r: (r["profile"], r["threads"], r["offset"]))
        write_atomically(path, json.dumps({"runs": runs}, indent=1) + "\n")


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file: a reader never sees half a file."""
    # several robustness commands may finish at once
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(text)
    tmp.replace(path)


def distinct_runs(runs: list[dict]) -> dict:
    """The runs of each chapter's current version, by (chapter, profile), one per distinct outcome.

    Two runs whose every claim has the same values and margins repeat each other bitwise
    (the quick profile of chapters 1, 2, 5 and 6 gives the same numbers at 1 and 2 threads):
    they count once.
    """
    current = current_versions()
    groups: dict = {}
    for r in runs:
        if r.get("notebook") != current.get(r["chapter"]) or not r["claims"]:
            continue
        signature = json.dumps([(c["name"], c["values"], c.get("margins")) for c in r["claims"]], sort_keys=True)
        groups.setdefault((r["chapter"], r["profile"]), {}).setdefault(signature, r)
    return {key: list(found.values()) for key, found in groups.items()}


def claim_statistics(runs: list[dict]) -> dict:
    """{chapter: {profile: {claim: {"runs", "held", "fact", "says", "log", "margins": {comparison: [margin per run]}}}}}.

    ``log`` names the comparisons whose margin is a log10 ratio (shown as a factor).
    """
    stats: dict = {}
    for (chapter, profile), rs in sorted(distinct_runs(runs).items()):
        for r in rs:
            for c in r["claims"]:
                if c["status"] == "not checked":
                    continue
                st = stats.setdefault(chapter, {}).setdefault(profile, {}).setdefault(
                    c["name"], {"runs": 0, "held": 0, "fact": c.get("fact", False), "says": c.get("says", ""),
                                "margins": {}, "log": c.get("logs", [])})
                st["runs"] += 1
                st["held"] += c["status"] == "held"
                for label, m in (c.get("margins") or {}).items():
                    st["margins"].setdefault(label, []).append(m)
    return stats


def verdict(st: dict, profile: str) -> tuple[bool, str]:
    """The rule for keeping a claim (:func:`aelab.rule.keeps`), applied to each of its comparisons.

    Args:
        st: one claim's statistics, as :func:`claim_statistics` gives them.
    Returns:
        ``(kept, why)``, ``why`` in a few words.
    """
    if st["fact"]:
        return st["held"] == st["runs"], "a fact (true by construction)"
    if not st["margins"]:
        return False, "no margin recorded"
    if st["runs"] < RULE_RUNS[profile]:
        return False, f"{st['runs']} runs, the rule needs {RULE_RUNS[profile]}"
    for label, ms in st["margins"].items():
        kept, why = keeps(ms, profile)
        if not kept:
            return False, f"{label}: {why}"
    return True, "meets the rule"


def sd(values: list[float]) -> float:
    """The sample standard deviation, 0 for fewer than two values."""
    import statistics
    return statistics.stdev(values) if len(values) > 1 else 0.0
