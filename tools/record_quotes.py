"""Ranges and counts the prose quotes from the recorded runs, filled in from the records at build time.

A chapter's Markdown writes ``{record}`PROFILE|CLAIM|COMPARISON|WHAT``` where a sentence quotes
what the sweeps of this version recorded, instead of typing the numbers::

    fewer than a third in every run ({record}`quick|vae32-opens-few|open dimensions of the 32-D VAE|range:.0f`)

``WHAT`` is one of (an optional format spec after a colon applies to the numbers):

- ``range``: "3 to 9 over the 20 quick-profile runs recorded" (the comparison's measured values);
- ``low`` / ``high``: the smallest / largest measured value;
- ``held``: "20 of 20" (the runs in which the whole claim held);
- ``runs``: how many distinct runs of this version are recorded.

Only the runs of the chapter's current version count (:mod:`tools.records`). The book's
Sphinx extension (``book/_ext/aelab_book.py``) and the reader's notebooks (:mod:`tools.reader`)
both fill the role in with :func:`quote`; before a sweep of the current version it reads
"not yet recorded for this version".
"""

from __future__ import annotations

import re

ROLE = re.compile(r"\{record\}`([^`]+)`")
KINDS = ("range", "low", "high", "held", "runs")
NOT_YET = "not yet recorded for this version"
_STATS: dict | None = None


def statistics() -> dict:
    """The records' claim statistics, read once per process."""
    global _STATS
    if _STATS is None:  # imported here: tasks.py imports tools.reader outside the virtual environment
        from tools.records import claim_statistics, load_runs

        _STATS = claim_statistics(load_runs())
    return _STATS


def quote(chapter: str, spec: str, stats: dict | None = None) -> str:
    """The text of one ``{record}`` role of ``chapter``; a malformed spec raises ValueError naming it."""
    parts = spec.split("|")
    if len(parts) != 4:
        raise ValueError(f"{chapter}: {{record}}`{spec}` needs PROFILE|CLAIM|COMPARISON|WHAT, "
                         f"e.g. quick|vae32-opens-few|open dimensions|range")
    profile, claim, label, what = parts
    kind, _, fmt = what.partition(":")
    if profile not in ("quick", "full") or kind not in KINDS:
        raise ValueError(f"{chapter}: {{record}}`{spec}`: the profile is quick or full and WHAT one of {KINDS}")
    st = (statistics() if stats is None else stats).get(chapter, {}).get(profile, {}).get(claim)
    if st is None:
        return NOT_YET
    if kind == "runs":
        return str(st["runs"])
    if kind == "held":
        return f"{st['held']} of {st['runs']}"
    compared = st.get("compared", {}).get(label)
    if not compared:
        raise ValueError(f"{chapter}: {{record}}`{spec}`: claim {claim!r} records no comparison {label!r}; "
                         f"it records {sorted(st.get('compared', {}))}")
    values = [v for v, _, _ in compared]
    show = (lambda x: format(x, fmt)) if fmt else (lambda x: f"{x:.3g}")
    if kind == "low":
        return show(min(values))
    if kind == "high":
        return show(max(values))
    return f"{show(min(values))} to {show(max(values))} over the {st['runs']} {profile}-profile runs recorded"


def fill(text: str, chapter: str, stats: dict | None = None) -> str:
    """``text`` with every ``{record}`` role replaced by its quote."""
    return ROLE.sub(lambda m: quote(chapter, m.group(1), stats), text)
