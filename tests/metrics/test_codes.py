"""aelab.metrics.codes: active dimensions, tears along a curve, mean ablation, a Gaussian like the codes."""

import numpy as np
import pytest
import torch

from aelab import metrics


def test_gaussian_like_matches_the_codes_moments():
    from aelab.metrics import gaussian_like

    g = torch.Generator().manual_seed(0)
    mix = torch.tensor([[2.0, 0.0], [1.5, 0.5]])
    codes = torch.randn(20000, 2, generator=g) @ mix.T + torch.tensor([3.0, -1.0])  # correlated
    for covariance in ("diagonal", "full"):
        drawn = gaussian_like(codes, 20000, covariance=covariance, generator=torch.Generator().manual_seed(1))
        assert drawn.shape == (20000, 2)
        torch.testing.assert_close(drawn.mean(0), codes.mean(0), atol=0.05, rtol=0)
        torch.testing.assert_close(drawn.std(0), codes.std(0), atol=0.05, rtol=0)
    full = gaussian_like(codes, 20000, covariance="full", generator=torch.Generator().manual_seed(1))
    diag = gaussian_like(codes, 20000, covariance="diagonal", generator=torch.Generator().manual_seed(1))
    # the full fit keeps the correlation (about 0.83 here); the diagonal one drops it
    target = torch.corrcoef(codes.T)[0, 1]
    assert abs(torch.corrcoef(full.T)[0, 1] - target) < 0.02
    assert abs(torch.corrcoef(diag.T)[0, 1]) < 0.03


def test_gaussian_like_refuses_bad_arguments():
    from aelab.metrics import gaussian_like

    with pytest.raises(ValueError, match="covariance"):
        gaussian_like(torch.zeros(5, 2), 3, covariance="diag")
    with pytest.raises(ValueError, match=r"\(N, D\)"):
        gaussian_like(torch.zeros(5), 3)
    with pytest.raises(ValueError, match="positive integer"):
        gaussian_like(torch.zeros(5, 2), 3.0)


def test_gaussian_like_refuses_numpy_arrays_in_one_sentence():
    from aelab.metrics import gaussian_like

    a = np.zeros((3, 2), dtype=np.float32)
    with pytest.raises(ValueError, match=r"^codes must be a torch tensor, got ndarray"):
        gaussian_like(a, 5)
    assert gaussian_like(torch.randn(10, 2), np.int64(5)).shape == (5, 2)  # a NumPy integer, as elsewhere


def test_active_dimensions_counts_what_varies():
    from tests.helpers import _codes_with_stds
    z = _codes_with_stds([1.0, 0.2, 0.05, 0.0], n=100)  # variances 1, 0.04, 0.0025, 0
    assert metrics.active_dimensions(z) == 2  # Burda et al.: variance above 0.01
    assert metrics.active_dimensions(z.numpy()) == 2  # arrays too
    assert metrics.active_dimensions(z, threshold=0.001) == 3
    # relative: a share of the largest variance, so the scale of the codes does not matter
    assert metrics.active_dimensions(z, relative=True) == 2
    assert metrics.active_dimensions(100 * z, relative=True) == 2
    assert metrics.active_dimensions(100 * z) == 3
    # relative=True with 0.01 is "a spread above a tenth of the widest"
    s = (z * torch.tensor([1.0, 3.0, 0.5, 1.0], dtype=z.dtype)).std(0)
    assert metrics.active_dimensions(z * torch.tensor([1.0, 3.0, 0.5, 1.0], dtype=z.dtype), relative=True) \
        == int((s > 0.1 * s.max()).sum())


def test_active_dimensions_bad_input():
    with pytest.raises(ValueError, match=r"\(N, D\) numbers"):
        metrics.active_dimensions(torch.zeros(5))
    with pytest.raises(ValueError, match="threshold must be a number above 0 and below 1 with relative=True"):
        metrics.active_dimensions(torch.randn(5, 2), 1.5, relative=True)
    with pytest.raises(ValueError, match="threshold must be a number above 0"):
        metrics.active_dimensions(torch.randn(5, 2), 0)


# --------------------------------------------------------------------------- tears and ablation


def test_tears_finds_the_leaps_of_a_code_along_a_curve():
    code = np.concatenate([np.linspace(0, 1, 10), np.linspace(5, 6, 10), np.linspace(2, 3, 5)])
    assert metrics.tears(code).tolist() == [9, 19]
    assert metrics.tears(torch.tensor(code)[:, None]).tolist() == [9, 19]  # one column of codes
    assert metrics.tears(np.linspace(0, 1, 50)).tolist() == []  # a smooth code does not tear


@pytest.mark.parametrize("bad, match", [(np.zeros((5, 2)), r"\(N,\) array"), (np.zeros(1), "at least 2")])
def test_tears_refuses_codes_that_are_not_one_number_per_point(bad, match):
    with pytest.raises(ValueError, match=match):
        metrics.tears(bad)
    with pytest.raises(ValueError, match="share"):
        metrics.tears(np.arange(5.0), share=1.5)


def test_same_tears_allows_a_few_points_of_slack():
    assert metrics.same_tears(np.array([9, 40]), np.array([10, 38]))
    assert not metrics.same_tears(np.array([9, 40]), np.array([9, 50]))
    assert not metrics.same_tears(np.array([9]), np.array([9, 40]))  # not as many tears


def test_mean_ablation_of_pca_gives_its_variances_in_order():
    from sklearn.decomposition import PCA

    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 3)) * np.array([3.0, 1.0, 0.3])
    pca = PCA(3).fit(X)
    rises = metrics.mean_ablation(pca, X)
    # removing component j costs its variance, spread over the 3 coordinates of each point
    np.testing.assert_allclose(rises, pca.explained_variance_ * (len(X) - 1) / len(X) / 3, rtol=1e-6)
    assert rises[0] > rises[1] > rises[2]
    with pytest.raises(TypeError, match="transform"):
        metrics.mean_ablation(object(), X)
