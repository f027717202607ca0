"""Latent traversal (aelab.metrics.traversal): ranges, traversals, their effects, their rank agreement."""

import numpy as np
import pytest
import torch

from aelab import metrics


def test_traversal_ranges_are_percentiles():
    codes = torch.stack([torch.arange(101.0), 10 * torch.arange(101.0)], dim=1)  # (101, 2)
    r = metrics.traversal_ranges(codes)
    np.testing.assert_allclose(r, [[5, 95], [50, 950]])
    np.testing.assert_allclose(metrics.traversal_ranges(codes, 0, 100), [[0, 100], [0, 1000]])
    with pytest.raises(ValueError, match="0 <= low < high <= 100"):
        metrics.traversal_ranges(codes, 50, 40)
    with pytest.raises(ValueError, match=r"\(n_samples, latent_dim\)"):
        metrics.traversal_ranges(torch.zeros(5))


def test_traverse_moves_one_dimension_at_a_time():
    z = torch.tensor([1.0, 2.0, 3.0])
    ranges = np.array([[-1.0, 1.0], [0.0, 4.0], [5.0, 6.0]])
    out = metrics.traverse(lambda c: c.clone(), z, ranges, steps=5)  # an identity "decoder"
    assert out.shape == (3, 5, 3)
    for d in range(3):
        torch.testing.assert_close(out[d, :, d], torch.linspace(*map(float, ranges[d]), 5))
        others = [k for k in range(3) if k != d]
        torch.testing.assert_close(out[d][:, others], z[others].expand(5, 2))
    some = metrics.traverse(lambda c: c.view(-1, 1, 3), z, ranges, steps=2, dims=[2, 0])
    assert some.shape == (2, 2, 1, 3)  # image shape kept; rows in the order asked
    torch.testing.assert_close(some[0, :, 0, 2], torch.tensor([5.0, 6.0]))


def test_traversal_effects_of_a_linear_decoder():
    # x = z @ W: sweeping dimension d over [a, b] moves pixel p by |W[d, p]| (b - a)
    g = torch.Generator().manual_seed(0)
    W = torch.randn(3, 10, generator=g)
    codes = torch.randn(7, 3, generator=g)
    ranges = np.array([[-1.0, 1.0], [0.0, 3.0], [2.0, 2.5]])
    effects = metrics.traversal_effects(lambda z: z @ W, codes, ranges, steps=6, batch_size=3)
    expected = W.abs().mean(1).numpy() * (ranges[:, 1] - ranges[:, 0])
    np.testing.assert_allclose(effects, np.tile(expected, (7, 1)), rtol=1e-5)
    # a non-linear decoder: the effect depends on the input, and not on the batch size
    relu = lambda z: torch.relu(z @ W)
    a = metrics.traversal_effects(relu, codes, ranges, batch_size=2)
    b = metrics.traversal_effects(relu, codes, ranges, batch_size=100)
    np.testing.assert_allclose(a, b, rtol=1e-6)
    assert a.std(0).max() > 0


def test_traversal_bad_input():
    z = torch.zeros(3)
    with pytest.raises(ValueError, match=r"ranges must be \(latent_dim, 2\) = \(3, 2\)"):
        metrics.traverse(lambda c: c, z, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="steps must be an integer of at least 2"):
        metrics.traverse(lambda c: c, z, np.zeros((3, 2)), steps=1)
    with pytest.raises(ValueError, match="one code"):
        metrics.traverse(lambda c: c, torch.zeros(2, 3), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="dims must be indices in 0..2"):
        metrics.traverse(lambda c: c, z, np.zeros((3, 2)), dims=[3])
    with pytest.raises(ValueError, match=r"\(n_inputs, latent_dim\)"):
        metrics.traversal_effects(lambda c: c, z, np.zeros((3, 2)))


def test_rank_agreement_is_one_for_a_shared_order_and_near_zero_for_unrelated_ones():
    rng = np.random.default_rng(0)
    shared = np.array([1.0, 5.0, 2.0, 9.0]) * rng.uniform(0.5, 2.0, size=(50, 1))  # sizes vary, order does not
    assert metrics.effect_rank_agreement(shared) == pytest.approx(1.0)
    unrelated = rng.random((400, 6))
    assert abs(metrics.effect_rank_agreement(unrelated)) < 0.05
    reversed_pair = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    assert metrics.effect_rank_agreement(reversed_pair) == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="n_inputs >= 2"):
        metrics.effect_rank_agreement(np.ones((1, 3)))
