"""aelab.plots.fits: regression fits, 3-D point clouds, explained variance, parity and pruning curves."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from aelab import data, plots
from tests.mistakes import SPLIT, X, X_NAN, _cases, _check


def test_regression_fit_draws_points_truth_and_curves():
    split = data.toy_regression(device="cpu")
    grid = torch.linspace(-1, 1, 50)[:, None]
    ax = plots.regression_fit(split, grid, {"a": np.zeros(50), "b": torch.ones(50, 1)},
                              truth=data.toy_function(grid), title="t")
    assert len(ax.lines) == 3 and len(ax.collections) == 2
    assert ax.get_title() == "t" and ax.get_xlabel() == "$x$"
    ax = plots.regression_fit(split, grid, np.zeros(50))  # one unnamed curve
    assert [t.get_text() for t in ax.get_legend().get_texts()][0] == "prediction"
    with pytest.raises(ValueError, match="has 10 values for 50 grid points"):
        plots.regression_fit(split, grid, {"a": np.zeros(10)})


def test_point_cloud_with_reconstruction_and_connections():
    x = data.curve(n=20, device="cpu").x
    ax = plots.point_cloud(x, x * 0.9, color=np.arange(20), connect=True, title="c")
    assert ax.name == "3d" and ax.get_zlabel() == "$x_3$"
    assert len(ax.collections) == 2 and len(ax.lines) == 20
    fig = plt.figure()
    given = fig.add_subplot(projection="3d")
    assert plots.point_cloud(x, ax=given) is given
    with pytest.raises(ValueError, match=r"shape \(N, 3\)"):
        plots.point_cloud(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="differ in shape"):
        plots.point_cloud(x, x[:5])


def test_explained_variance_bars_and_running_total():
    ax = plots.explained_variance([0.5, 0.3, 0.2], threshold=0.99)
    assert len(ax.patches) == 3
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.5, 0.8, 1.0])
    with pytest.raises(ValueError, match="1-D array"):
        plots.explained_variance(np.zeros((2, 2)))


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("parity-shapes", lambda: plots.parity(X, X[:5]),
     r"originals and reconstructions differ in shape: \(20, 3\) vs \(5, 3\)"),
    ("parity-names-short", lambda: plots.parity(X, X, names=["a"]),
     r"got 3 coordinates but 1 names"),  # fixed: IndexError list index out of range
    ("parity-empty", lambda: plots.parity(X[:0], X[:0]),
     r"parity needs at least one point, originals of shape \(N, F\), got \(0, 3\)"),
    # fixed: NumPy "cannot reshape array of size 0"
    ("parity-nan", lambda: plots.parity(X_NAN, X), r"found 1 NaN or infinite values in x"),  # fixed: drew a gap
    ("parity-many-coordinates", lambda: plots.parity(np.zeros((5, 20)), np.zeros((5, 20))),
     r"parity draws one panel per coordinate, at most 12; got 20 coordinates"),
    ("pruning-2d", lambda: plots.pruning_curve(np.zeros((3, 2))),
     r"explained must be a 1-D array of D \+ 1 >= 2 values, got shape \(3, 2\)"),
    ("pruning-delta-string", lambda: plots.pruning_curve([0, 0.5, 1], delta="0.1"),
     r"delta must be a non-negative number, got '0.1'"),  # fixed: "Unknown format code 'g'"
    ("pruning-nan", lambda: plots.pruning_curve([0, np.nan, 1]),
     r"found 1 NaN or infinite values in explained"),  # fixed: drew a broken curve
    ("regression-tuple-split", lambda: plots.regression_fit((1, 2, 3, 4), np.zeros(4)),
     r"split must be an aelab.data.Split with x_train, y_train, x_test and y_test.*got tuple"),
    # fixed: AttributeError 'tuple' object has no attribute 'x_train'
    ("regression-prediction-length", lambda: plots.regression_fit(SPLIT, np.zeros(4), np.zeros(5)),
     r"the curve 'prediction' has 5 values for 4 grid points"),
    ("cloud-2d", lambda: plots.point_cloud(X[:, :2]), r"point_cloud draws points of shape \(N, 3\), got \(20, 2\)"),
    ("cloud-reconstruction-shape", lambda: plots.point_cloud(X, X[:5]),
     r"points and reconstructions differ in shape: \(20, 3\) vs \(5, 3\)"),
    ("cloud-color-length", lambda: plots.point_cloud(X, color=np.arange(5)),
     r"got 20 points but 5 color values"),  # fixed: matplotlib "'c' argument has 5 elements"
    ("cloud-nan", lambda: plots.point_cloud(X_NAN), r"found 1 NaN or infinite values in x"),  # fixed: dropped a point
    ("variance-2d", lambda: plots.explained_variance(np.zeros((2, 2))),
     r"explained_variance expects a 1-D array of shares, got shape \(2, 2\)"),
    ("variance-empty", lambda: plots.explained_variance([]),
     r"explained_variance expects a 1-D array of shares, got shape \(0,\)"),
    ("variance-threshold-string", lambda: plots.explained_variance([0.5, 0.3], threshold="0.99"),
     r"threshold must be a non-negative number, got '0.99'"),  # fixed: "Unknown format code '%'"
    ("variance-nan", lambda: plots.explained_variance([0.5, np.nan]),
     r"found 1 NaN or infinite values in ratio"),  # fixed: drew a missing bar
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_plots_fits(call, match, error):
    _check(call, match, error)
