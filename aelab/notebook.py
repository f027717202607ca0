"""Small helpers for the chapter notebooks themselves: glued numbers and claims.

A *claim* is a sentence of a chapter's prose that depends on the run ("the
autoencoder's error is below PCA's at k = 2"). A chapter states each one by
name with :meth:`Claims.check`, next to the numbers it rests on, and ends with
:meth:`Claims.report`: a collapsed table of every claim and whether it held in
this run. Under the book's own commands (``AELAB_CLAIMS=strict``, which
``tasks.py`` sets) a claim that fails stops the run, naming the claim and its
values; a reader's run shows the table, with the row that disagreed opened and
the reason it can happen, and carries on.

Used in: every chapter.
"""

from __future__ import annotations

import html
import json
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch

from . import runtime

__all__ = ["glue", "Claims", "ClaimsFailed"]


def _plain(value):
    # NumPy 2 writes a scalar as 'np.float64(0.5)', which the book cannot format
    # with ':.2f'; a 0-d tensor is no better. Hand myst-nb plain Python numbers.
    if isinstance(value, np.generic) or (torch.is_tensor(value) and value.numel() == 1):
        return value.item()
    return value


def glue(name: str, value, display: bool = False) -> None:
    """Record ``value`` under ``name`` for the book's prose (myst-nb's ``glue``).

    The book refers to it as ``{glue:text}`name:.2f```, so every number the
    text states comes from the run. Where myst-nb is not installed (a fresh
    Colab runtime), nothing is recorded and the cell still runs; with
    ``display=True`` the value is shown instead.

    Used in: every chapter.
    """
    value = _plain(value)
    try:
        from myst_nb import glue as _glue
    except ImportError:
        if display:
            print(f"{name} = {value}")
        return
    _glue(name, value, display=display)


# --------------------------------------------------------------------------- claims

CONDITIONS = ("any run", "full profile")

# Why a claim that held when the book was written can fail on a reader's run.
DEFAULT_WHY = (
    "Training depends on the seed, the number of CPU threads, the device and the data "
    "source (5,000 or 70,000 digits); the chapter checked this claim over several seeds "
    "and thread counts, and this run landed outside what it measured."
)


class ClaimsFailed(AssertionError):
    """Raised by :meth:`Claims.report` under ``AELAB_CLAIMS=strict`` when a claim failed."""


@dataclass
class Claim:
    """One checked claim: a row of the chapter's closing table."""

    name: str
    says: str
    section: str
    condition: str
    status: str  # "held", "FAILED" or "not checked"
    values: dict = field(default_factory=dict)
    why: str = ""
    skipped: str = ""  # why it could not be checked in this run, when that is so


def _format(value) -> str:
    value = _plain(value)
    if isinstance(value, bool) or isinstance(value, (int, np.integer)) or isinstance(value, str):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        return f"{value:.3g}"
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_format(v) for v in np.asarray(value).ravel().tolist()) + "]"
    return str(value)


def strict() -> bool:
    """True when a failed claim must stop the run (``AELAB_CLAIMS=strict``: the book's commands)."""
    mode = os.environ.get("AELAB_CLAIMS", "").strip().lower()
    if mode not in {"", "strict", "report"}:
        raise ValueError(f"AELAB_CLAIMS={mode!r} is not a mode; use 'strict' or 'report'.")
    return mode == "strict"


class Claims:
    """The run-dependent claims of one chapter, checked by name.

    Args:
        chapter: the notebook's name, e.g. ``"02_ae_vs_pca"``; it names the
            JSON file written when ``AELAB_CLAIMS_OUT`` is set (the robustness
            command collects those).

    Used in: every chapter.
    """

    def __init__(self, chapter: str):
        if not isinstance(chapter, str) or not chapter.strip():
            raise ValueError(f"chapter must be the notebook's name, e.g. '02_ae_vs_pca', got {chapter!r}.")
        self.chapter = chapter
        self.rows: list[Claim] = []

    def check(self, name: str, holds, says: str, *, section: str, values: dict | None = None,
              condition: str = "any run", why: str = "", skipped: str | None = None) -> bool:
        """Record whether the claim ``name`` held in this run.

        Args:
            name: a short, unique name (``"ae-beats-pca-k1"``).
            holds: whether it held (a bool, or a 0-d tensor or array).
            says: the claim as the prose makes it, in one sentence.
            section: the section of the chapter that makes it.
            values: the measured numbers it rests on, by name.
            condition: ``"any run"``, or ``"full profile"`` for a claim that
                needs the full budget (not checked in the quick profile).
            why: why it can fail on a reader's run, when there is more to say
                than the default.
            skipped: a reason the claim could not be checked in this run (its data
                are not there, say); the row then reads "not checked", with the
                reason, whatever ``holds`` says.

        Returns:
            Whether it held (True when not checked in this profile).
        """
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"a claim needs a name, got {name!r}.")
        if any(row.name == name for row in self.rows):
            raise ValueError(f"claim {name!r} is already checked in this chapter; names must be unique.")
        if condition not in CONDITIONS:
            raise ValueError(f"condition must be one of {CONDITIONS}, got {condition!r}.")
        holds = _plain(holds)
        if not isinstance(holds, (bool, np.bool_)):
            raise TypeError(f"claim {name!r}: holds must be True or False, got {type(holds).__name__} {holds!r}.")
        if skipped is not None and (not isinstance(skipped, str) or not skipped.strip()):
            raise ValueError(f"claim {name!r}: skipped must be a reason (a sentence), got {skipped!r}.")
        checked = (condition == "any run" or runtime.profile() == "full") and skipped is None
        status = "not checked" if not checked else ("held" if holds else "FAILED")
        values = {k: _format(v) for k, v in (values or {}).items()}
        if skipped is not None:
            values = {"skipped": skipped}
        row = Claim(name, says, section, condition, status, values, why or DEFAULT_WHY, skipped or "")
        self.rows.append(row)
        if status == "FAILED":
            print(f"claim {name!r} did not hold in this run ({self._values(row)}); "
                  f"the claims table at the end of the chapter says why that can happen.")
        return bool(holds) or not checked

    def failed(self) -> list[Claim]:
        return [row for row in self.rows if row.status == "FAILED"]

    @staticmethod
    def _values(row: Claim) -> str:
        return ", ".join(f"{k} = {v}" for k, v in row.values.items()) or "no values"

    def html(self) -> str:
        """The closing table as HTML: a ``<details>`` block, open only when a claim failed."""
        failed = self.failed()
        checked = [row for row in self.rows if row.status != "not checked"]
        summary = (f"Claims of this chapter: {len(checked) - len(failed)} of {len(checked)} held in this run"
                   f" (seed offset {runtime.seed_offset()}, {runtime.profile()} profile,"
                   f" {torch.get_num_threads()} thread{'s' if torch.get_num_threads() != 1 else ''})")
        skipped = sum(1 for row in self.rows if row.skipped)
        waiting = len(self.rows) - len(checked) - skipped
        if waiting:
            summary += f"; {waiting} need the full profile and were not checked"
        if skipped:
            summary += f"; {skipped} could not be checked (what they need is missing: each row says what)"
        head = "".join(f"<th>{h}</th>" for h in ("claim", "what the text says", "section", "measured", "held?"))
        body = []
        for row in self.rows:
            cells = [f"<code>{html.escape(row.name)}</code>", html.escape(row.says), html.escape(row.section),
                     html.escape(self._values(row)),
                     "not checked (skipped)" if row.skipped else
                     {"held": "yes", "FAILED": "<b>no</b>", "not checked": "not checked (quick profile)"}[row.status]]
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            if row.status == "FAILED":
                body.append(f'<tr><td></td><td colspan="4"><i>Why this can happen:</i> {html.escape(row.why)}</td></tr>')
        opened = " open" if failed else ""
        # the table scrolls inside its own box rather than spilling out of the page's column
        return (f"<details{opened}><summary>{html.escape(summary)}</summary>"
                f'<div style="overflow-x: auto; font-size: 0.85em">'
                f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div></details>")

    def report(self) -> None:
        """Show the closing table; save it for the robustness command; fail under strict mode.

        With ``AELAB_CLAIMS_OUT=<folder>``, the rows are written to
        ``<folder>/<chapter>.json``. Under ``AELAB_CLAIMS=strict`` a failed claim
        raises :class:`ClaimsFailed`, naming each one and its values.
        """
        if not self.rows:
            raise ValueError(f"{self.chapter}: no claim was checked; a chapter's closing table lists its claims.")
        out = os.environ.get("AELAB_CLAIMS_OUT", "").strip()
        if out:
            folder = Path(out).expanduser()
            folder.mkdir(parents=True, exist_ok=True)
            record = {"chapter": self.chapter, "seed_offset": runtime.seed_offset(), "profile": runtime.profile(),
                      "threads": torch.get_num_threads(), "claims": [asdict(row) for row in self.rows]}
            (folder / f"{self.chapter}.json").write_text(json.dumps(record, indent=1))
        try:
            from IPython.display import HTML, display
            display(HTML(self.html()))
        except ImportError:  # plain Python: a text table
            for row in self.rows:
                print(f"{row.status:>11}  {row.name}: {self._values(row)}")
        failed = self.failed()
        if failed and strict():
            lines = "; ".join(f"{row.name!r} ({row.says} Measured: {self._values(row)})" for row in failed)
            raise ClaimsFailed(f"{self.chapter}: {len(failed)} claim(s) failed: {lines}")
