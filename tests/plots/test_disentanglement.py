"""aelab.plots.disentanglement: the Hinton diagram of an importance matrix, the spread of the effects."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from aelab import plots
from tests.mistakes import _cases, _check


def test_traversal_grid_hinton_and_effects_figures():
    ax = plots.traversal_grid(np.random.rand(3, 5, 1, 6, 6), row_labels=["z1", "z2", "z3"],
                              col_labels=list("abcde"), title="t")
    assert ax.get_title() == "t" and [t.get_text() for t in ax.get_yticklabels()] == ["z1", "z2", "z3"]
    with pytest.raises(ValueError, match="row_labels needs 3 labels"):
        plots.traversal_grid(np.random.rand(3, 5, 6, 6), row_labels=["a"])
    with pytest.raises(ValueError, match=r"\(rows, steps, H, W\)"):
        plots.traversal_grid(np.random.rand(5, 6, 6))
    R = np.array([[1.0, 0.0], [0.25, 0.5], [0.0, 0.0]])
    ax = plots.hinton(R, col_labels=["a", "b"], title="R")
    assert len(ax.patches) == 3  # one square per non-zero entry
    sides = sorted(p.get_width() for p in ax.patches)
    assert sides[0] / sides[-1] == pytest.approx(0.5)  # area, not side, is proportional: sqrt(0.25)
    with pytest.raises(ValueError, match="non-negative"):
        plots.hinton(-R)
    ax = plots.effect_spread(np.random.rand(20, 4), highlight={"a": 0, "b": 3}, title="e")
    assert ax.get_xlabel() == "latent dimension" and ax.get_legend() is not None
    with pytest.raises(ValueError, match="outside 0..19"):
        plots.effect_spread(np.random.rand(20, 4), highlight={"a": 20})
    plt.close("all")


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("hinton-1d", lambda: plots.hinton(np.ones(3)),
     r"hinton draws a non-empty 2-D matrix of finite, non-negative values, got shape \(3,\)"),
    ("hinton-negative", lambda: plots.hinton(-np.ones((2, 2))),
     r"hinton draws importances, which are non-negative, but R has 4 negative entries"),
    ("hinton-nan", lambda: plots.hinton(np.full((2, 2), np.nan)), r"found 4 NaN or infinite values in R"),
    ("hinton-empty", lambda: plots.hinton(np.zeros((0, 0))),
     r"hinton draws a non-empty 2-D matrix.*got shape \(0, 0\)"),  # fixed: NumPy "zero-size array"
    ("hinton-row_labels", lambda: plots.hinton(np.ones((3, 2)), row_labels=["a", "b"]),
     r"got 3 rows \(codes\) but 2 row_labels"),  # fixed: matplotlib "number of FixedLocator locations"
    ("hinton-col_labels", lambda: plots.hinton(np.ones((3, 2)), col_labels=["a"]),
     r"got 2 columns \(factors\) but 1 col_labels"),  # fixed: matplotlib "number of FixedLocator locations"
    ("spread-1d", lambda: plots.effect_spread(np.ones(3)),
     r"effect_spread expects effects of shape \(n_inputs, latent_dim\), got \(3,\)"),
    ("spread-highlight-range", lambda: plots.effect_spread(np.ones((4, 2)), highlight={"a": 9}),
     r"highlight row 9 is outside 0..3"),
    ("spread-highlight-list", lambda: plots.effect_spread(np.ones((4, 2)), highlight=[0, 1]),
     r"highlight must be a dict \{label: row index\}.*got list"),  # fixed: AttributeError no attribute 'items'
    ("spread-empty", lambda: plots.effect_spread(np.ones((0, 2))),
     r"effect_spread expects effects of shape \(n_inputs, latent_dim\), got \(0, 2\)"),  # fixed: empty boxes
    ("spread-nan", lambda: plots.effect_spread(np.full((4, 2), np.nan)),
     r"found 8 NaN or infinite values in effects"),  # fixed: drew no boxes
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_plots_disentanglement(call, match, error):
    _check(call, match, error)
