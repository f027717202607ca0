"""aelab.plots.training: training curves, and one metric's history compared across runs."""

import pandas as pd
import pytest

from aelab import plots
from tests.mistakes import HISTORY, _cases, _check


def test_training_curves_draws_train_and_test():
    h = pd.DataFrame({"epoch": [1, 2], "train_loss": [1.0, 0.5], "test_loss": [1.1, 0.6], "seconds": [0.1, 0.1]})
    ax = plots.training_curves(h)
    assert len(ax.lines) == 2 and ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="'epoch' column"):
        plots.training_curves(pd.DataFrame({"loss": [1.0]}))


def test_history_comparison_draws_train_and_test_per_run_in_one_colour():
    import pandas as pd

    h = pd.DataFrame(dict(epoch=[1, 2], train_accuracy=[0.5, 0.6], test_accuracy=[0.4, 0.5]))
    ax = plots.history_comparison({"a": h, "b": h.drop(columns="test_accuracy")}, "accuracy", title="acc")
    assert [l.get_label() for l in ax.lines] == ["a (train)", "a (test)", "b (train)"]
    assert ax.lines[0].get_color() == ax.lines[1].get_color() != ax.lines[2].get_color()
    assert ax.get_ylabel() == "accuracy" and ax.get_title() == "acc"
    with pytest.raises(ValueError, match="no 'epoch' and 'train_loss' columns"):
        plots.history_comparison({"a": h}, "loss")
    with pytest.raises(ValueError, match="non-empty dict"):
        plots.history_comparison({}, "loss")


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("curves-missing-column", lambda: plots.training_curves(HISTORY, columns=["test_loss"]),
     r"the history has no column 'test_loss'; it has epoch, train_loss"),  # fixed: pandas KeyError
    ("curves-columns-string", lambda: plots.training_curves(HISTORY, columns="train_loss"),
     r"columns must be a list of column names, got the string 'train_loss'; write columns=\['train_loss'\]"),
    # fixed: pandas KeyError 't'
    ("curves-no-epoch", lambda: plots.training_curves(HISTORY.drop(columns="epoch")),
     r"training_curves expects a history with an 'epoch' column"),
    ("curves-dict", lambda: plots.training_curves({"epoch": [1, 2], "train_loss": [1, 2]}),
     r"training_curves expects a history DataFrame, as aelab.train.fit returns, got dict"),
    # fixed: AttributeError 'dict' object has no attribute 'columns'
    ("curves-no-loss-columns", lambda: plots.training_curves(HISTORY[["epoch"]]),
     r"the history has no train_\* or test_\* columns to draw \(it has epoch\); name them with columns="),
    # fixed: drew an empty plot
    ("curves-no-rows", lambda: plots.training_curves(HISTORY.iloc[:0]),
     r"training_curves got a history with no rows"),  # fixed: drew an empty plot
    ("comparison-metric", lambda: plots.history_comparison({"a": HISTORY}, metric="accuracy"),
     r"the history of 'a' has no 'epoch' and 'train_accuracy' columns"),
    ("comparison-list", lambda: plots.history_comparison([HISTORY]),
     r"history_comparison expects a non-empty dict \{run name: history\}"),
    ("comparison-not-a-frame", lambda: plots.history_comparison({"a": [1, 2]}),
     r"history_comparison \(run 'a'\) expects a history DataFrame.*got list"),
    # fixed: blamed missing columns, not the list
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_plots_training(call, match, error):
    _check(call, match, error)
