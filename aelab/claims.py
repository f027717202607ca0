"""The claims of a chapter: each sentence of its prose that depends on the run, checked by name.

A *claim* is a sentence such as "the autoencoder's error is below PCA's at
k = 2". A chapter states each one with :meth:`Claims.check`, next to the
numbers it rests on, as one or more comparisons with their margins
(:func:`aelab.comparisons.below`, :func:`aelab.comparisons.above`), and ends
with :meth:`Claims.report`: a collapsed table of every claim and whether it
held in this run. Under the book's own commands (``AELAB_CLAIMS=strict``,
which ``tasks.py`` sets) a claim that fails stops the run, naming the claim
and its values; a reader's run shows the table, with the row that disagreed
opened and the reason it can happen, and carries on.

The book keeps a claim only when its recorded margins meet the rule in
:mod:`aelab.rule` (``RULE_RUNS``, ``RULE_Z``; the robustness page states it
too). A claim that does not is rephrased to what does hold, made about the
median of several seeds trained inside the chapter, or becomes a sentence
about this run's glued number with no claim. A check that is true by
construction (a shape, a known answer) is a :meth:`Claims.fact`, shown apart
in the table: it is not a finding of the run.

Used in: every chapter.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch

from . import _claims_table, _report, runtime
from .comparisons import Comparison
from .notebook import _CHAPTER, _building_book, _format, _plain

__all__ = ["Claims", "Claim", "ClaimsFailed", "Held", "strict"]

CONDITIONS = ("any run", "full profile")

# Why a claim that held when the book was written can fail on a reader's run.
DEFAULT_WHY = (
    "Training depends on the seed, the number of CPU threads, the device and the data "
    "(for a data set, its source and how many images); the chapter checked this claim over "
    "several seeds and thread counts, and this run landed outside what it measured."
)


class Held:
    """Whether a claim held: true or false, and nothing shown as a cell's last value (the table says it)."""

    def __init__(self, held: bool):
        self.held = bool(held)

    def __bool__(self) -> bool:
        return self.held

    def __repr__(self) -> str:
        return f"Held({self.held})"

    def _ipython_display_(self) -> None:
        pass


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
    margins: dict = field(default_factory=dict)  # {comparison label: margin}; empty for a fact
    fact: bool = False  # true by construction: a check, not a finding of the run
    logs: list = field(default_factory=list)  # the comparisons whose margin is a log10 ratio


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
        _CHAPTER["name"] = chapter  # aelab.notebook.glue shows the book's values of this chapter beside the reader's

    def check(self, name: str, holds, says: str, *, section: str, values: dict | None = None,
              condition: str = "any run", why: str = "", skipped: str | None = None) -> bool:
        """Record whether the claim ``name`` held in this run, and by how much.

        Args:
            name: a short, unique name (``"ae-beats-pca-k1"``).
            holds: the claim's comparisons: one from :func:`aelab.comparisons.below`
                or :func:`aelab.comparisons.above`, or a list of them; the claim
                holds when every one does, and each records its margin.
            says: the claim as the prose makes it, in one sentence.
            section: the section of the chapter that makes it.
            values: other measured numbers worth showing beside it, by name.
            condition: ``"any run"``, or ``"full profile"`` for a claim that
                needs the full budget (not checked in the quick profile).
            why: why it can fail on a reader's run, when there is more to say
                than the default.
            skipped: a reason the claim could not be checked in this run (its data
                are not there, say); the row then reads "not checked", with the
                reason, whatever the comparisons say.

        Returns:
            Whether it held (true when not checked in this profile), as a :class:`Held` that a
            cell ending in a claim does not print.
        """
        comparisons = [holds] if isinstance(holds, Comparison) else holds
        if (not isinstance(comparisons, (list, tuple)) or not comparisons
                or not all(isinstance(c, Comparison) for c in comparisons)):
            raise TypeError(f"claim {name!r}: holds must be a comparison from below(...) or above(...), or a "
                            f"list of them, so that the claim records its margin; got {holds!r}. A check that "
                            f"is true by construction is a Claims.fact.")
        labels = [c.label for c in comparisons]
        if len(set(labels)) != len(labels):
            raise ValueError(f"claim {name!r}: each comparison needs its own label, got {labels}.")
        shown = {c.label: c.text() for c in comparisons}
        return self._add(name, all(c.holds for c in comparisons), says, section, {**shown, **(values or {})},
                         condition, why, skipped, margins={c.label: c.margin for c in comparisons},
                         logs=[c.label for c in comparisons if c.log])

    def fact(self, name: str, holds, says: str, *, section: str, values: dict | None = None,
             skipped: str | None = None) -> bool:
        """Record a check that is true by construction (a shape, a known answer), apart from the claims.

        It is shown in the table as a fact, not a finding of the run, and has no
        margin: if it ever fails, the code is wrong, not the seed unlucky.
        """
        holds = _plain(holds)
        if not isinstance(holds, (bool, np.bool_)):
            raise TypeError(f"fact {name!r}: holds must be True or False, got {type(holds).__name__} {holds!r}.")
        return self._add(name, bool(holds), says, section, values or {}, "any run", "", skipped, margins={},
                         fact=True)

    def _add(self, name, holds, says, section, values, condition, why, skipped, margins, fact=False,
             logs=()) -> bool:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"a claim needs a name, got {name!r}.")
        if any(row.name == name for row in self.rows):
            raise ValueError(f"claim {name!r} is already checked in this chapter; names must be unique.")
        if condition not in CONDITIONS:
            raise ValueError(f"condition must be one of {CONDITIONS}, got {condition!r}.")
        if skipped is not None and (not isinstance(skipped, str) or not skipped.strip()):
            raise ValueError(f"claim {name!r}: skipped must be a reason (a sentence), got {skipped!r}.")
        checked = (condition == "any run" or runtime.profile() == "full") and skipped is None
        status = "not checked" if not checked else ("held" if holds else "FAILED")
        values = {k: _format(v) for k, v in values.items()}
        if skipped is not None:
            values, margins = {"skipped": skipped}, {}
        why = why or ("It is true by construction: if it fails, the code is wrong." if fact else DEFAULT_WHY)
        row = Claim(name, says, section, condition, status, values, why, skipped or "",
                    margins=margins if checked else {}, fact=fact, logs=list(logs))
        self.rows.append(row)
        if status == "FAILED":
            print(f"claim {name!r} did not hold in this run ({_claims_table.measured(row)}); "
                  f"the claims table at the end of the chapter says why that can happen.")
        return Held(bool(holds) or not checked)

    def failed(self) -> list[Claim]:
        return [row for row in self.rows if row.status == "FAILED"]

    def evidence(self) -> dict:
        """What the book's recorded runs say of each claim of this chapter, in this profile.

        Read from ``aelab/evidence.json``, which ``python3 tasks.py robustness``
        writes from the runs of each chapter's current version: ``{claim: {"runs":
        distinct runs, "held": how many held, "smallest": {comparison: smallest
        margin}}}``; empty where nothing is recorded.
        """
        try:
            text = (Path(__file__).parent / "evidence.json").read_text()
        except OSError:
            return {}
        return json.loads(text).get(self.chapter, {}).get(runtime.profile(), {})

    def html(self) -> str:
        """The closing table as HTML: a ``<details>`` block, open only when a claim failed."""
        return _claims_table.html(self.rows, self.evidence())

    def report(self) -> None:
        """Show the closing table (and, on a reader's run, a report to send); save it; fail under strict mode.

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
            record = {"chapter": self.chapter, "seed_offset": runtime._seed_offset(), "profile": runtime.profile(),
                      "threads": torch.get_num_threads(), "claims": [asdict(row) for row in self.rows]}
            (folder / f"{self.chapter}.json").write_text(json.dumps(record, indent=1))
        try:
            from IPython.display import HTML, display
            display(HTML(self.html()))
            if not _building_book():  # a reader's run: a report they can send back
                display(HTML(_report.html_block(_report.make(self.chapter, self.rows))))
        except ImportError:  # plain Python: a text table
            for row in self.rows:
                print(f"{row.status:>11}  {row.name}: {_claims_table.measured(row)}")
        failed = self.failed()
        if failed and strict():
            lines = "; ".join(f"{row.name!r} ({row.says} Measured: {_claims_table.measured(row)})" for row in failed)
            raise ClaimsFailed(f"{self.chapter}: {len(failed)} claim(s) failed: {lines}")
