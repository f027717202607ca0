"""Numbers read into words for the prose: how an error moved, whether two results tie.

A chapter glues these phrases (:func:`aelab.notebook.glue`) where a sentence's
wording depends on the run, so the words follow this run's numbers.

Used in: chapter 3.
"""

from __future__ import annotations

import math

__all__ = ["change_in_words", "tie_verdict"]


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
