"""aelab.explore._snapshots: the static stand-ins for the explorers."""

import numpy as np
import pytest
import torch

from aelab.explore._snapshots import explorer_snapshot, sliders_snapshot
from tests.helpers import decode, reference
from tests.mistakes import DECODE, LABELS, Z2, _cases, _check


def test_explorer_snapshot_shows_each_point():
    decode2 = lambda z: decode(torch.cat([z, torch.zeros(len(z), 1)], 1))  # noqa: E731
    codes, labels = torch.randn(200, 2), torch.arange(200) % 4
    fig = explorer_snapshot(decode2, codes, labels)
    assert len(fig.axes) == 1 + 4  # the scatter, then one image per label's median
    assert [ax.get_title() for ax in fig.axes[1:]] == ["median 0", "median 1", "median 2", "median 3"]
    points = np.array([[0.0, 0.0], [1.0, -1.0]])
    fig = explorer_snapshot(decode2, codes, points=points, names=["here", "there"])
    np.testing.assert_allclose(fig.axes[2].images[0].get_array(), reference([1.0, -1.0, 0.0]), atol=1e-6)
    with pytest.raises(ValueError, match="2 points but 1 names"):
        explorer_snapshot(decode2, codes, points=points, names=["one"])


def test_sliders_snapshot_middle_column_is_the_input():
    z0 = np.array([0.3, -0.2, 0.7])
    ax = sliders_snapshot(decode, z0, steps=5)
    tile = np.asarray(ax.images[0].get_array())
    assert tile.shape == (3 * 9 - 1, 5 * 9 - 1)  # 8 x 8 images with one-pixel gaps
    for r in range(3):
        np.testing.assert_allclose(tile[r * 9 : r * 9 + 8, 2 * 9 : 2 * 9 + 8], reference(z0), atol=1e-6)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["-3", "-1.5", "0", "+1.5", "+3"]
    with pytest.raises(ValueError, match="dims must be indices"):
        sliders_snapshot(decode, z0, dims=[3])


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("explorer_snapshot-13-points", lambda: explorer_snapshot(DECODE, Z2, points=np.zeros((13, 2))),
     r"points must be \(M, 2\) with 1 <= M <= 12, got shape \(13, 2\)"),
    ("explorer_snapshot-names", lambda: explorer_snapshot(DECODE, Z2, points=np.zeros((2, 2)), names=["a"]),
     r"got 2 points but 1 names"),
    ("explorer_snapshot-n_points-negative", lambda: explorer_snapshot(DECODE, Z2, n_points=-1),
     r"n_points must be a positive integer, got -1"),  # fixed: NumPy "negative dimensions are not allowed"
    ("explorer_snapshot-labels-length", lambda: explorer_snapshot(DECODE, Z2, LABELS[:3]),
     r"got 30 codes but 3 labels"),
    ("sliders_snapshot-steps-1", lambda: sliders_snapshot(DECODE, [0, 0], steps=1),
     r"steps must be at least 2 \(the two ends\), got 1"),
    ("sliders_snapshot-dims-range", lambda: sliders_snapshot(DECODE, [0, 0], dims=[2]),
     r"dims must be indices of the code, a list of integers 0 to 1.*got \[2\]"),
    ("sliders_snapshot-dims-int", lambda: sliders_snapshot(DECODE, [0, 0], dims=1),
     r"dims must be indices of the code, a list of integers 0 to 1.*got 1"),  # fixed: TypeError not iterable
    ("sliders_snapshot-dims-float", lambda: sliders_snapshot(DECODE, [0, 0], dims=[0.5]),
     r"dims must be indices of the code, a list of integers 0 to 1.*got \[0.5\]"),  # fixed: silently dim 0
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_explore(call, match, error):
    _check(call, match, error)
