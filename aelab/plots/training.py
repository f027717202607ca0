"""How training went: loss curves of one run, and one metric compared
across runs.

Used in: chapters 1-6.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

__all__ = ["training_curves", "history_comparison"]


def _history(history, where: str) -> pd.DataFrame:
    """``history`` if it is a DataFrame with rows, or one clear ``ValueError`` naming the function."""
    if not isinstance(history, pd.DataFrame):
        raise ValueError(f"{where} expects a history DataFrame, as aelab.train.fit returns, got "
                         f"{type(history).__name__}; wrap other records in pd.DataFrame(...).")
    if len(history) == 0:
        raise ValueError(f"{where} got a history with no rows: there is no epoch to draw.")
    return history


def training_curves(history: pd.DataFrame, *, columns=None, ax=None, logy: bool = True, title: str | None = None):
    """Loss per epoch from a :func:`aelab.train.fit` history.

    Args:
        history: a DataFrame with an ``epoch`` column.
        columns: which columns to draw (default: every ``train_*`` and ``test_*``).
        logy: logarithmic loss axis.

    Returns:
        The axes.

    Used in: chapters 0-2, 4 and 5.
    """
    history = _history(history, "training_curves")
    if "epoch" not in history:
        raise ValueError("training_curves expects a history with an 'epoch' column, as fit returns.")
    if isinstance(columns, str):
        raise ValueError(f"columns must be a list of column names, got the string {columns!r}; "
                         f"write columns=[{columns!r}].")
    if columns is None or len(columns) == 0:
        columns = [c for c in history.columns if c.startswith(("train_", "test_"))]
        if not columns:
            raise ValueError(f"the history has no train_* or test_* columns to draw (it has "
                             f"{', '.join(map(str, history.columns))}); name them with columns=[...].")
    missing = [c for c in columns if c not in history.columns]
    if missing:
        raise ValueError(f"the history has no column {', '.join(map(repr, missing))}; "
                         f"it has {', '.join(map(str, history.columns))}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for c in columns:
        ax.plot(history["epoch"], history[c], label=c.replace("_", " "), ls="--" if c.startswith("test") else "-")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if logy:
        ax.set_yscale("log")
    ax.legend()
    if title:
        ax.set_title(title)
    return ax


def history_comparison(histories, metric: str = "loss", *, ax=None, title: str | None = None, logy: bool = False,
                       ylabel: str | None = None):
    """One metric of several training runs: train solid, test dashed, one colour per run.

    Args:
        histories: a dict ``{run name: history}`` of :func:`aelab.train.fit`
            DataFrames with ``train_<metric>`` (and optionally ``test_<metric>``) columns.
        metric: e.g. ``"loss"`` or ``"accuracy"``.
        logy: logarithmic y axis.
        ylabel: the y-axis label (default: the metric's name).

    Returns:
        The axes.

    Used in: chapter 3.
    """
    if not isinstance(histories, dict) or not histories:
        raise ValueError("history_comparison expects a non-empty dict {run name: history}.")
    for name, history in histories.items():  # every run is checked before anything is drawn
        _history(history, f"history_comparison (run {name!r})")
        if f"train_{metric}" not in history or "epoch" not in history:
            raise ValueError(f"the history of {name!r} has no 'epoch' and 'train_{metric}' columns.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for i, (name, history) in enumerate(histories.items()):
        color = f"C{i % 10}"
        ax.plot(history["epoch"], history[f"train_{metric}"], color=color, label=f"{name} (train)")
        if f"test_{metric}" in history:
            ax.plot(history["epoch"], history[f"test_{metric}"], color=color, ls="--", label=f"{name} (test)")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel or metric)
    if logy:
        ax.set_yscale("log")
    ax.legend(fontsize=7)
    if title:
        ax.set_title(title)
    return ax
