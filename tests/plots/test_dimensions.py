"""aelab.plots.dimensions: each code's spread, their covariance, the codes by sample index."""

import numpy as np
import pytest

from aelab import plots
from tests.helpers import _codes_with_stds
from tests.mistakes import NAN_CODES, Z4, Z4_NAN, _cases, _check


def test_latent_index_one_line_per_dimension():
    ax = plots.latent_index(np.random.rand(30, 3), title="z")
    assert len(ax.lines) == 3 and ax.get_xlabel() == "sample index"
    assert len(plots.latent_index(np.random.rand(30)).lines) == 1
    with pytest.raises(ValueError, match="latent_index expects"):
        plots.latent_index(np.zeros((2, 3, 4)))


def test_least_volume_plots_draw_and_refuse_bad_input():
    z = _codes_with_stds([1.0, 0.1, 0.5]).numpy()
    ax = plots.latent_stds(z, title="stds")
    heights = [bar.get_height() for bar in ax.patches]
    np.testing.assert_allclose(heights, [1.0, 0.5, 0.1], rtol=1e-6)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["$z_{1}$", "$z_{3}$", "$z_{2}$"]
    ax = plots.covariance(z)
    assert ax.get_images()[0].get_array().shape == (3, 3)
    fig = plots.parity(z, z * 0.9, title="parity")
    assert len(fig.axes) == 3
    ax = plots.pruning_curve([0, 0.001, 0.5, 1.0], delta=0.01)
    assert ax.get_xlabel().startswith("dimensions pruned")
    with pytest.raises(ValueError, match="at least|N >= 2"):
        plots.latent_stds(z[:1])
    with pytest.raises(ValueError, match="differ in shape"):
        plots.parity(z, z[:, :2])
    with pytest.raises(ValueError, match="1-D array"):
        plots.pruning_curve([1.0])


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("stds-one-row", lambda: plots.latent_stds(Z4[:1]),
     r"latent_stds expects codes of shape \(N, D\) with N >= 2, got \(1, 4\)"),
    ("stds-3d", lambda: plots.latent_stds(Z4[:, :, None]),
     r"latent_stds expects codes of shape \(N, D\) with N >= 2, got \(30, 4, 1\)"),
    ("stds-nan", lambda: plots.latent_stds(Z4_NAN),
     rf"NaN or infinite values in the codes given to latent_stds; {NAN_CODES}"),  # fixed: NaN bars
    ("covariance-1d", lambda: plots.covariance(Z4[:, 0]),
     r"covariance expects codes of shape \(N, D\) with N >= 2, got \(30,\)"),
    ("covariance-nan", lambda: plots.covariance(Z4_NAN),
     rf"NaN or infinite values in the codes given to covariance; {NAN_CODES}"),  # fixed: a NaN matrix
    ("index-3d", lambda: plots.latent_index(Z4[:, :, None]),
     r"latent_index expects codes of shape \(N, D\) or \(N,\), got \(30, 4, 1\)"),
    ("index-empty", lambda: plots.latent_index(np.zeros((0, 2))),
     r"latent_index expects codes of shape \(N, D\) or \(N,\), got \(0, 2\)"),  # fixed: drew an empty plot
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_plots_latents(call, match, error):
    _check(call, match, error)
