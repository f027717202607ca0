"""Small helpers for the chapter notebooks themselves: glued numbers and claims.

A *claim* is a sentence of a chapter's prose that depends on the run ("the
autoencoder's error is below PCA's at k = 2"). A chapter states each one by
name with :meth:`Claims.check`, next to the numbers it rests on, and ends with
:meth:`Claims.report`: a collapsed table of every claim and whether it held in
this run. Under the book's own commands (``AELAB_CLAIMS=strict``, which
``tasks.py`` sets) a claim that fails stops the run, naming the claim and its
values; a reader's run shows the table, with the row that disagreed opened and
the reason it can happen, and carries on.

Every claim carries its *margin*: how far from failing it was. A claim is made
of one or more comparisons, each built with :func:`below` or :func:`above`
("the test error is below a third of the line's"), and each comparison's
margin is in its own units (or, with ``log=True``, as a ratio on a log scale,
where the spread over seeds is wide). ``python3 tasks.py robustness`` records
the margins over many seed offsets and thread counts, and the book keeps a
claim only when it meets this rule (the robustness page states it too):

    **The rule for keeping a claim.** Over at least 20 distinct runs of the
    quick profile and 8 of the full one (runs that repeat bitwise count once),
    it held in every run, and each of its comparisons' margins sits far from
    the bound: the mean margin is at least 3 standard deviations above zero.

A claim that does not meet it is rephrased to what does hold, made about the
median of several seeds trained inside the chapter, or becomes a sentence
about this run's glued number with no claim. A check that is true by
construction (a shape, a known answer) is a :meth:`Claims.fact`, shown apart
in the table: it is not a finding of the run.

Used in: every chapter.
"""

from __future__ import annotations

import ast
import html
import json
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch

from . import runtime


__all__ = ["glue", "book_value", "change_in_words", "tie_verdict", "Claims", "Claim", "ClaimsFailed", "Comparison",
           "below", "above", "strict"]


def _plain(value):
    # NumPy 2 writes a scalar as 'np.float64(0.5)', which the book cannot format
    # with ':.2f'; a 0-d tensor is no better. Hand myst-nb plain Python numbers.
    if isinstance(value, np.generic) or (torch.is_tensor(value) and value.numel() == 1):
        return value.item()
    return value


_CHAPTER = {"name": None}  # the chapter this kernel runs: the last Claims made names it


def book_value(name: str, chapter: str | None = None):
    """The value the book's own run glued under ``name`` (its text), or None where it has none.

    Read from ``aelab/book_values.json``, written by the book's build from its
    executed chapters; ``chapter`` defaults to the one whose :class:`Claims`
    this kernel made last.
    """
    chapter = chapter or _CHAPTER["name"]
    try:
        values = json.loads((Path(__file__).parent / "book_values.json").read_text())
    except OSError:
        return None
    return values.get(chapter, {}).get(name)


def glue(name: str, value, display: bool = False) -> None:
    """Record ``value`` under ``name`` for the book's prose (myst-nb's ``glue``).

    The book refers to it as ``{glue:text}`name:.2f```, so every number the
    text states comes from the run. Where myst-nb is not installed (Colab, a
    reader's notebook), the value is printed beside the book's own, so a
    reader sees at once where their run differs from the book's.

    Used in: every chapter.
    """
    value = _plain(value)
    try:
        from myst_nb import glue as _glue
    except ImportError:
        book = book_value(name)
        shown = _format(value)
        if book is None:
            print(f"{name}: {shown}")
        else:
            try:
                book = _format(ast.literal_eval(book))
            except (SyntaxError, ValueError):
                pass
            print(f"{name}: {shown} on your run (the book's: {book})")
        return
    _glue(name, value, display=display)


def change_in_words(before: float, after: float) -> str:
    """How a positive quantity (an error) moved from ``before`` to ``after``, for the prose.

    ``"falls by 12%"``, ``"grows by 3%"``, or ``"stays within 1%"`` when the
    change rounds to 0 %; ``"not measured in this run"`` where either is NaN
    (a skipped experiment).

    Used in: chapter 3.
    """
    before, after = float(before), float(after)
    if math.isnan(before) or math.isnan(after):
        return "not measured in this run"
    if before <= 0:
        raise ValueError(f"change_in_words needs a positive starting value, got {before!r}.")
    drop = 1 - after / before  # the share of the quantity removed
    if abs(drop) < 0.005:
        return "stays within 1%"
    return f"falls by {drop:.0%}" if drop > 0 else f"grows by {-drop:.0%}"


def tie_verdict(gap: float, band: float, first: str, second: str) -> str:
    """A gap between two results, read against its tie band, in words.

    ``gap`` is ``first``'s result minus ``second``'s and ``band`` the width
    within which the two are a tie (for accuracies, :func:`aelab.metrics.tie_band`),
    in the same units. Returns ``"a tie by that rule"``, ``"<first> ahead, by
    more than the band"`` (or ``second``), or ``"not measured in this run"``
    where either number is NaN.

    Used in: chapter 3.
    """
    gap, band = float(gap), float(band)
    if math.isnan(gap) or math.isnan(band):
        return "not measured in this run"
    if band < 0:
        raise ValueError(f"tie_verdict: the band is a width and cannot be negative, got {band!r}.")
    if abs(gap) < band:
        return "a tie by that rule"
    return f"{first if gap > 0 else second} ahead, by more than the band"


# --------------------------------------------------------------------------- comparisons and margins

@dataclass(frozen=True)
class Comparison:
    """One comparison of a claim: ``value`` against ``bound``, and how far from failing it is.

    Build it with :func:`below` or :func:`above`. ``margin`` is positive when the
    comparison holds: ``bound - value`` (below) or ``value - bound`` (above), or
    with ``log=True`` the base-10 log of their ratio (0.3 is a factor of 2).
    """

    label: str
    value: float
    bound: float
    op: str  # "<" or ">"
    log: bool = False

    @property
    def margin(self) -> float:
        if self.log:
            ratio = self.bound / self.value if self.op == "<" else self.value / self.bound
            return math.log10(ratio)
        return self.bound - self.value if self.op == "<" else self.value - self.bound

    @property
    def holds(self) -> bool:
        return self.margin > 0

    def text(self) -> str:
        """``"0.004 < 0.01 (margin 0.006)"``, shown beside the label; a log margin reads as a factor."""
        room = f"x{10 ** self.margin:.3g}" if self.log else _format(self.margin)
        return f"{_format(self.value)} {self.op} {_format(self.bound)} (margin {room})"


def _comparison(label, value, bound, op: str, log: bool) -> Comparison:
    if not isinstance(label, str) or not label.strip():
        raise ValueError(f"a comparison needs a label naming what is measured, got {label!r}.")
    numbers = {}
    for what, x in (("value", value), ("bound", bound)):
        x = _plain(x)
        if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
            raise TypeError(f"comparison {label!r}: {what} must be a number, got {type(x).__name__} {x!r}.")
        x = float(x)
        if math.isnan(x):
            raise ValueError(f"comparison {label!r}: {what} is NaN; the run produced no number to compare.")
        if log and x <= 0:
            raise ValueError(f"comparison {label!r}: log=True compares ratios and needs positive numbers, "
                             f"got {what} = {x}.")
        numbers[what] = x
    return Comparison(label, numbers["value"], numbers["bound"], op, log)


def below(label: str, value, bound, *, log: bool = False) -> Comparison:
    """The comparison "``value`` is below ``bound``", with its margin.

    Args:
        label: what ``value`` is, as the table shows it (``"test MSE / line's"``).
        value: the measured number.
        bound: what it must stay below (a constant, or another measured number).
        log: give the margin as a log10 ratio (for numbers whose spread is wide).

    Used in: every chapter.
    """
    return _comparison(label, value, bound, "<", log)


def above(label: str, value, bound, *, log: bool = False) -> Comparison:
    """The comparison "``value`` is above ``bound``", with its margin (see :func:`below`).

    Used in: every chapter.
    """
    return _comparison(label, value, bound, ">", log)


# --------------------------------------------------------------------------- claims

CONDITIONS = ("any run", "full profile")

# Why a claim that held when the book was written can fail on a reader's run.
DEFAULT_WHY = (
    "Training depends on the seed, the number of CPU threads, the device and the data "
    "(for a data set, its source and how many images); the chapter checked this claim over "
    "several seeds and thread counts, and this run landed outside what it measured."
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
    margins: dict = field(default_factory=dict)  # {comparison label: margin}; empty for a fact
    fact: bool = False  # true by construction: a check, not a finding of the run
    logs: list = field(default_factory=list)  # the comparisons whose margin is a log10 ratio


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
        _CHAPTER["name"] = chapter  # glue shows the book's values of this chapter beside the reader's

    def check(self, name: str, holds, says: str, *, section: str, values: dict | None = None,
              condition: str = "any run", why: str = "", skipped: str | None = None) -> bool:
        """Record whether the claim ``name`` held in this run, and by how much.

        Args:
            name: a short, unique name (``"ae-beats-pca-k1"``).
            holds: the claim's comparisons: one :class:`Comparison` (from
                :func:`below` or :func:`above`) or a list of them; the claim
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
            Whether it held (True when not checked in this profile).
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
            print(f"claim {name!r} did not hold in this run ({self._values(row)}); "
                  f"the claims table at the end of the chapter says why that can happen.")
        return bool(holds) or not checked

    def failed(self) -> list[Claim]:
        return [row for row in self.rows if row.status == "FAILED"]

    @staticmethod
    def _values(row: Claim) -> str:
        return ", ".join(f"{k} = {v}" for k, v in row.values.items()) or "no values"

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

    @staticmethod
    def _recorded(found: dict | None) -> str:
        if not found:
            return "not recorded"
        logs = found.get("log", [])
        smallest = ", ".join(f"{k}: " + (f"x{10 ** v:.3g}" if k in logs else _format(v))
                             for k, v in found.get("smallest", {}).items())
        return f"held in {found['held']} of {found['runs']} runs" + (f"; smallest margin {smallest}" if smallest else "")

    def html(self) -> str:
        """The closing table as HTML: a ``<details>`` block, open only when a claim failed."""
        failed = self.failed()
        checked = [row for row in self.rows if row.status != "not checked" and not row.fact]
        facts = [row for row in self.rows if row.fact]
        summary = (f"Claims of this chapter: {len(checked) - len(failed)} of {len(checked)} held in this run"
                   f" (seed offset {runtime.seed_offset()}, {runtime.profile()} profile,"
                   f" {torch.get_num_threads()} thread{'s' if torch.get_num_threads() != 1 else ''})")
        skipped = sum(1 for row in self.rows if row.skipped)
        waiting = len(self.rows) - len(checked) - len(facts) - skipped
        if waiting:
            summary += f"; {waiting} need the full profile and were not checked"
        if skipped:
            summary += f"; {skipped} could not be checked (what they need is missing: each row says what)"
        if facts:
            summary += f"; and {len(facts)} check{'s' if len(facts) != 1 else ''} true by construction"
        evidence = self.evidence()
        titles = ("claim", "what the text says", "section", "this run: measured (margin)",
                  "the book's recorded runs", "held?")
        head = "".join(f"<th>{h}</th>" for h in titles)
        body = []
        for row in sorted(self.rows, key=lambda r: r.fact):  # the facts last, apart
            status = ("not checked (skipped)" if row.skipped else
                      {"held": "yes", "FAILED": "<b>no</b>", "not checked": "not checked (quick profile)"}[row.status])
            recorded = "true by construction" if row.fact else self._recorded(evidence.get(row.name))
            cells = [f"<code>{html.escape(row.name)}</code>", html.escape(row.says), html.escape(row.section),
                     html.escape(self._values(row)), html.escape(recorded), status]
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            if row.status == "FAILED":
                body.append(f'<tr><td></td><td colspan="5"><i>Why this can happen:</i> {html.escape(row.why)}</td></tr>')
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
