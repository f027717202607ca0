"""What the exercise checks share: refusing an answer of the wrong kind in one sentence."""

from __future__ import annotations

import pandas as pd


def history_problem(name: str, value) -> str | None:
    """None when ``value`` is a history train.fit returned with test data; else what is wrong with it."""
    if not isinstance(value, pd.DataFrame) or "test_loss" not in value or len(value) == 0:
        return (f"{name} should be the DataFrame train.fit returns with test=... given (it has a "
                f"test_loss column), got {type(value).__name__}.")
    return None


def final_test_loss(history: pd.DataFrame) -> float:
    return float(history["test_loss"].iloc[-1])


def frame_problem(name: str, value, columns: list) -> str | None:
    """None when ``value`` is a DataFrame with every one of ``columns``; else what is wrong with it."""
    if not isinstance(value, pd.DataFrame):
        return f"{name} should be a pandas DataFrame, got {type(value).__name__}."
    missing = [c for c in columns if c not in value.columns]
    if missing:
        return (f"{name} lacks the column(s) {', '.join(repr(c) for c in missing)}; "
                f"it has {', '.join(repr(c) for c in value.columns)}.")
    return None
