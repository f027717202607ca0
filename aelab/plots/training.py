"""How training went: loss curves of one run, and one metric compared
across runs.

Used in: chapters 1-6.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd


def training_curves(history: pd.DataFrame, *, columns=None, ax=None, logy: bool = True, title: str | None = None):
    """Loss per epoch from a :func:`aelab.train.fit` history.

    Args:
        history: a DataFrame with an ``epoch`` column.
        columns: which columns to draw (default: every ``train_*`` and ``test_*``).
        logy: logarithmic loss axis.

    Returns:
        The axes.

    Used in: chapters 1-6.
    """
    if "epoch" not in history:
        raise ValueError("training_curves expects a history with an 'epoch' column, as fit returns.")
    columns = columns or [c for c in history.columns if c.startswith(("train_", "test_"))]
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
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for i, (name, history) in enumerate(histories.items()):
        if f"train_{metric}" not in history or "epoch" not in history:
            raise ValueError(f"the history of {name!r} has no 'epoch' and 'train_{metric}' columns.")
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
