"""aelab.metrics.volume: the dimension count of least volume, principal angles, Lipschitz ratios, PCA's errors."""

import numpy as np
import pytest
import torch

from aelab import metrics
from tests.helpers import _codes_with_stds


# --------------------------------------------------------------------------- dimension count


def test_count_kept_on_hand_made_errors():
    # pruning the first dimension costs 0.1 % of the range, the next ones more than 1 %
    assert metrics.count_kept([1.0, 1.001, 1.5, 2.0]) == 2
    assert metrics.count_kept([1.0, 1.001, 1.5, 2.0], delta=0.6) == 1
    np.testing.assert_allclose(metrics.explained_reconstruction([1.0, 1.001, 1.5, 2.0]), [0, 0.001, 0.5, 1])
    # a decoder that ignores its codes uses no dimension
    assert metrics.count_kept([0.3, 0.3, 0.3]) == 0
    assert metrics.count_kept([0.3, 0.3 + 1e-9, 0.3 + 2e-9]) == 0  # rounding noise, not a range
    with pytest.raises(ValueError, match="delta must lie strictly between 0 and 1"):
        metrics.count_kept([1.0, 2.0], delta=0)
    with pytest.raises(ValueError, match="1-D array"):
        metrics.explained_reconstruction([[1.0, 2.0]])


def test_dimension_count_on_constructed_codes():
    # codes with two live dimensions, one nearly dead, one dead; the identity decodes them
    z = _codes_with_stds([1.0, 1e-4, 0.5, 0.0], n=200).float()
    x = z.clone()
    errors = metrics.pruning_errors(lambda c: c, z, x)
    assert errors.shape == (5,)
    assert errors[0] == pytest.approx(0.0, abs=1e-6)  # nothing pruned: exact
    assert errors[1] == pytest.approx(0.0, abs=1e-6)  # the dead dimension costs nothing
    # everything pruned: the mean distance of the codes to their mean
    assert errors[-1] == pytest.approx((z - z.mean(0)).norm(dim=1).mean().item(), rel=1e-5)
    assert np.all(np.diff(errors) >= -1e-7)
    assert metrics.least_volume_dimensions(lambda c: c, z, x) == 2
    # a decoder that reads only the first dimension uses one
    assert metrics.least_volume_dimensions(lambda c: c[:, :1] * 3, z, x[:, :1] * 3) == 1


def test_pruning_errors_does_not_depend_on_the_batch_size():
    z = _codes_with_stds([1.0, 0.2, 0.05], n=50).float()
    decode = torch.nn.Linear(3, 4)
    x = torch.randn(50, 4)
    a = metrics.pruning_errors(decode, z, x, batch_size=7)
    b = metrics.pruning_errors(decode, z, x, batch_size=1000)
    np.testing.assert_allclose(a, b, rtol=1e-5)


def test_prune_codes_sets_the_least_spread_dimensions_to_their_mean():
    z = _codes_with_stds([1.0, 0.01, 0.5, 0.1], n=100).float()
    out = metrics.prune_codes(z, 2)
    assert torch.equal(out[:, [0, 2]], z[:, [0, 2]])  # the two widest are untouched
    for k in (1, 3):  # the two least spread are constant at their mean
        assert torch.allclose(out[:, k], z[:, k].mean().expand(100))
    assert torch.equal(metrics.prune_codes(z, 0), z)
    assert not torch.equal(out, z)  # a copy: z itself is left as it was
    assert metrics.prune_codes(z, 4).std(0).max() < 1e-6
    with pytest.raises(ValueError, match="from 0 to latent_dim"):
        metrics.prune_codes(z, 5)
    with pytest.raises(ValueError, match="from 0 to latent_dim"):
        metrics.prune_codes(z, 1.5)
    with pytest.raises(ValueError, match="batch >= 2"):
        metrics.prune_codes(z[0], 1)


def test_pruning_errors_bad_input():
    with pytest.raises(ValueError, match="batch >= 2"):
        metrics.pruning_errors(lambda c: c, torch.zeros(1, 3), torch.zeros(1, 3))
    with pytest.raises(ValueError, match="one row per code"):
        metrics.pruning_errors(lambda c: c, torch.zeros(4, 3), torch.zeros(5, 3))


# --------------------------------------------------------------------------- principal angles


def test_principal_angles_known_answer():
    plane = np.eye(3)[:, :2]
    theta = np.radians(7.0)
    rotation = np.array([[1, 0, 0], [0, np.cos(theta), -np.sin(theta)], [0, np.sin(theta), np.cos(theta)]])
    np.testing.assert_allclose(metrics.principal_angles(plane, rotation @ plane), [7.0, 0.0], atol=1e-8)
    # the span, not the basis, matters
    mixed = plane @ np.array([[2.0, 1.0], [0.5, -3.0]])
    np.testing.assert_allclose(metrics.principal_angles(plane, mixed), [0.0, 0.0], atol=1e-6)
    with pytest.raises(ValueError, match="same number of rows"):
        metrics.principal_angles(np.eye(3), np.eye(4))
    with pytest.raises(ValueError, match="linearly independent"):
        metrics.principal_angles(np.ones((3, 2)), np.eye(3)[:, :2])


# --------------------------------------------------------------------------- the Lipschitz bound


def test_lipschitz_ratios_known_answer_and_bad_input():
    a, b = torch.zeros(2, 2), torch.tensor([[1.0, 0.0], [0.0, 2.0]])
    np.testing.assert_allclose(metrics.lipschitz_ratios(lambda t: 3 * t, a, b), [3.0, 3.0], rtol=1e-6)
    with pytest.raises(ValueError, match="same shape"):
        metrics.lipschitz_ratios(lambda t: t, a, b[:1])
    with pytest.raises(ValueError, match="pairs are equal"):
        metrics.lipschitz_ratios(lambda t: t, a, a)


# --------------------------------------------------------------------------- PCA


def test_pca_reconstruction_errors_match_sklearn():
    from sklearn.decomposition import PCA

    g = np.random.default_rng(0)
    a = g.normal(size=(200, 6)) * np.array([3, 2, 1, 0.5, 0.1, 0.01])
    b = g.normal(size=(50, 6)) * np.array([3, 2, 1, 0.5, 0.1, 0.01])
    errors = metrics.pca_reconstruction_errors(a, b)
    assert errors.shape == (7,)
    for k in (1, 3):
        pca = PCA(n_components=k).fit(a)
        expected = ((pca.inverse_transform(pca.transform(b)) - b) ** 2).mean()
        assert errors[k] == pytest.approx(expected, rel=1e-8)
    assert errors[-1] == pytest.approx(0.0, abs=1e-12)
    assert np.all(np.diff(errors) <= 1e-12)
    with pytest.raises(ValueError, match="same features"):
        metrics.pca_reconstruction_errors(a, b[:, :3])



def test_box_pairs_fill_the_box_of_the_codes_and_repeat_with_the_seed():
    z = torch.tensor([[0.0, -1.0], [2.0, 1.0], [1.0, 0.0]])
    a, b = metrics.box_pairs(z, n=500, seed=3)
    assert a.shape == b.shape == (500, 2)
    for p in (a, b):
        assert (p[:, 0] >= 0).all() and (p[:, 0] <= 2).all() and (p[:, 1] >= -1).all() and (p[:, 1] <= 1).all()
    assert not torch.equal(a, b)
    a2, _ = metrics.box_pairs(z, n=500, seed=3)
    assert torch.equal(a, a2)
    with pytest.raises(ValueError, match="codes of shape"):
        metrics.box_pairs(torch.zeros(5), n=3)
