"""The rule for keeping a claim, on the margins of its recorded runs (standard library only).

A bound placed at the edge of n recorded runs is crossed by the next run about
2/(n + 1) of the time. So the book keeps a claim only when, over at least
``RULE_RUNS[profile]`` distinct runs, it held in every one and each
comparison's mean margin sits at least ``RULE_Z`` standard deviations above
zero. These two constants are the one place the rule's numbers are set: the
robustness page states them from here. :mod:`aelab.claims` records the
margins; ``python3 tasks.py robustness`` and ``margins`` apply this rule
(:mod:`tools.records`).

Used in: the robustness page and every chapter's closing table.
"""

from __future__ import annotations

import statistics

__all__ = ["RULE_RUNS", "RULE_Z", "keeps"]

RULE_RUNS = {"quick": 20, "full": 8}  # distinct runs needed per profile
RULE_Z = 3.0  # how many standard deviations the mean margin must sit above zero


def keeps(margins, profile: str) -> tuple[bool, str]:
    """Whether one comparison's margins over distinct runs meet the rule for keeping a claim.

    Args:
        margins: the margin of one comparison in each distinct recorded run.
        profile: ``"quick"`` or ``"full"`` (each needs ``RULE_RUNS[profile]`` runs).

    Returns:
        ``(kept, why)``: ``why`` says in a few words what it lacks, or ``"meets the rule"``.
    """
    if profile not in RULE_RUNS:
        raise ValueError(f"profile must be one of {sorted(RULE_RUNS)}, got {profile!r}.")
    m = [float(x) for x in margins]
    if len(m) < RULE_RUNS[profile]:
        return False, f"{len(m)} runs, the rule needs {RULE_RUNS[profile]}"
    failed = sum(1 for x in m if x <= 0)
    if failed:
        return False, f"failed in {failed} of {len(m)} runs"
    mean, sd = statistics.fmean(m), statistics.stdev(m)
    if sd > 0 and mean < RULE_Z * sd:
        return False, f"mean margin only {mean / sd:.1f} standard deviations from the bound"
    return True, "meets the rule"
