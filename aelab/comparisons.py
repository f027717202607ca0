"""The comparisons a claim is made of, each with its margin: how far from failing it was.

A claim (:class:`aelab.claims.Claims`) holds when every one of its comparisons
does, each built with :func:`below` or :func:`above` ("the test error is below
a third of the line's"). Each comparison's margin is in its own units or, with
``log=True``, a ratio on a log scale, for numbers whose spread over seeds is
wide. ``python3 tasks.py robustness`` records the margins over many seed
offsets and thread counts, and the rule in :mod:`aelab.rule` (``RULE_RUNS``,
``RULE_Z``) decides on them which claims the book keeps.

Used in: every chapter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .notebook import _format, _plain

__all__ = ["Comparison", "below", "above"]


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
