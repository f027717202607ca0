"""The recorded robustness runs: one JSON file per chapter, their statistics and the rule's verdict.

A run is a dict: chapter, profile, offset, threads, seconds, error, date, the
``notebook`` version it ran (:func:`tools.versions.version`) and its claims,
each with its status, values and margins. Only runs of a chapter's current
version count, and runs that repeat each other bitwise count once.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from aelab.rule import RULE_RUNS, keeps
from tools.versions import ROOT, current_versions

ROBUSTNESS_DIR = ROOT / "benchmarks" / "robustness"  # one JSON file per chapter
LOOSE_NOTES = ROOT / "benchmarks" / "loose_bounds.json"  # {"chapter/claim": why its sentence is that loose}
FAR_FACTOR = 3.0  # a ratio whose weakest run is more than this factor from its bound is flagged
FAR_SHARE = 0.1  # a difference whose weakest margin is more than this share of its numbers' size is flagged
SHOWN = re.compile(r"^\s*(\S+) ([<>]) (\S+) \(margin ")  # a comparison as aelab.comparisons shows it


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
                                "margins": {}, "log": c.get("logs", []), "compared": {}})
                st["runs"] += 1
                st["held"] += c["status"] == "held"
                for label, m in (c.get("margins") or {}).items():
                    st["margins"].setdefault(label, []).append(m)
                    shown = _compared(c["values"].get(label))
                    if shown:
                        st["compared"].setdefault(label, []).append(shown)
    return stats


def _compared(text) -> tuple[float, str, float] | None:
    """(value, "<" or ">", bound) from a comparison's text ("21.5 < 32.8 (margin x1.53)"), else None."""
    found = SHOWN.match(str(text or ""))
    if not found:
        return None
    try:
        return float(found[1].replace(",", "")), found[2], float(found[3].replace(",", ""))
    except ValueError:
        return None


def tightness(compared: list[tuple[float, str, float]]) -> dict:
    """How far one comparison's weakest recorded run sits from its bound, and whether that is far.

    Between positive numbers the distance is a factor (value over bound for ">", bound over
    value for "<"), far beyond ``FAR_FACTOR``; otherwise it is the smallest margin as a share of
    the largest number compared, far beyond ``FAR_SHARE``. Returns {"bound": (lowest, highest),
    "values": (lowest, highest), "weakest": the distance as text, "far": bool}.
    """
    values = [v for v, _, _ in compared]
    bounds = [b for _, _, b in compared]
    if all(x > 0 for x in values + bounds):
        factor = min(v / b if op == ">" else b / v for v, op, b in compared)
        weakest, far = f"x{factor:.3g}", factor > FAR_FACTOR
    else:
        size = max(abs(x) for x in values + bounds) or 1.0
        share = min(v - b if op == ">" else b - v for v, op, b in compared) / size
        weakest, far = f"{share:.0%} of the numbers' size", share > FAR_SHARE
    return {"bound": (min(bounds), max(bounds)), "values": (min(values), max(values)),
            "weakest": weakest, "far": far}


def loose_notes() -> dict:
    """{"chapter/claim": the reason its sentence is stated as loosely as its bound}, from LOOSE_NOTES."""
    return json.loads(LOOSE_NOTES.read_text()) if LOOSE_NOTES.exists() else {}


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
