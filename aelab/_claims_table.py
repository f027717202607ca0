"""The closing table of a chapter's claims, as HTML: what :meth:`aelab.claims.Claims.html` returns.

Private: a chapter reaches it through ``Claims.report()``.
"""

from __future__ import annotations

import html as _html

import torch

from . import runtime
from .notebook import _format


def measured(row) -> str:
    """A row's values as one line: ``"error = 3 < 1 (margin -2), seeds = [1, 2]"``."""
    return ", ".join(f"{k} = {v}" for k, v in row.values.items()) or "no values"


def _recorded(found: dict | None) -> str:
    # what the book's recorded runs said of one claim (an entry of aelab/evidence.json)
    if not found:
        return "not recorded"
    logs = found.get("log", [])
    smallest = ", ".join(f"{k}: " + (f"x{10 ** v:.3g}" if k in logs else _format(v))
                         for k, v in found.get("smallest", {}).items())
    return f"held in {found['held']} of {found['runs']} runs" + (f"; smallest margin {smallest}" if smallest else "")


def _summary(rows: list) -> str:
    failed = [row for row in rows if row.status == "FAILED"]
    checked = [row for row in rows if row.status != "not checked" and not row.fact]
    facts = [row for row in rows if row.fact]
    summary = (f"Claims of this chapter: {len(checked) - len(failed)} of {len(checked)} held in this run"
               f" (seed offset {runtime._seed_offset()}, {runtime.profile()} profile,"
               f" {torch.get_num_threads()} thread{'s' if torch.get_num_threads() != 1 else ''})")
    skipped = sum(1 for row in rows if row.skipped)
    waiting = len(rows) - len(checked) - len(facts) - skipped
    if waiting:
        summary += f"; {waiting} need the full profile and were not checked"
    if skipped:
        summary += f"; {skipped} could not be checked (what they need is missing: each row says what)"
    if facts:
        summary += f"; and {len(facts)} check{'s' if len(facts) != 1 else ''} true by construction"
    return summary


def html(rows: list, evidence: dict) -> str:
    """The table of ``rows`` (each a :class:`aelab.claims.Claim`) and their ``evidence``, as HTML.

    A ``<details>`` block, open only when a claim failed; ``evidence`` is what
    :meth:`aelab.claims.Claims.evidence` returns.
    """
    titles = ("claim", "what the text says", "section", "this run: measured (margin)",
              "the book's recorded runs", "held?")
    head = "".join(f"<th>{h}</th>" for h in titles)
    body = []
    for row in sorted(rows, key=lambda r: r.fact):  # the facts last, apart
        status = ("not checked (skipped)" if row.skipped else
                  {"held": "yes", "FAILED": "<b>no</b>", "not checked": "not checked (quick profile)"}[row.status])
        recorded = "true by construction" if row.fact else _recorded(evidence.get(row.name))
        cells = [f"<code>{_html.escape(row.name)}</code>", _html.escape(row.says), _html.escape(row.section),
                 _html.escape(measured(row)), _html.escape(recorded), status]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        if row.status == "FAILED":
            body.append(f'<tr><td></td><td colspan="5"><i>Why this can happen:</i> {_html.escape(row.why)}</td></tr>')
    opened = " open" if any(row.status == "FAILED" for row in rows) else ""
    # the table scrolls inside its own box rather than spilling out of the page's column
    # "click to open": JupyterLab draws no marker beside a closed <details>, so the summary says it opens
    hint = "" if opened else " (click to open the table)"
    return (f"<details{opened}><summary style=\"cursor: pointer\">{_html.escape(_summary(rows))}{hint}</summary>"
            f'<div style="overflow-x: auto; font-size: 0.85em">'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div></details>")
