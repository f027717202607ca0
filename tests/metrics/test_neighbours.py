"""aelab.metrics.neighbours: class prototypes, nearest distances, points in holes, neighbourhoods."""

import numpy as np
import pytest
import torch

from aelab import metrics


def test_class_prototypes_stay_inside_their_class():
    # class 0 lies on two spokes either side of class 1's blob: its median (0, 0) is in class 1
    t = np.linspace(2.0, 10.0, 40)
    spokes = np.concatenate([np.stack([t, 0 * t], 1), np.stack([-t, 0 * t], 1)])
    blob = np.random.default_rng(0).normal(scale=0.5, size=(40, 2))
    z = np.concatenate([spokes, blob])
    labels = np.array([0] * 80 + [1] * 40)
    assert np.allclose(np.median(z[labels == 0], axis=0), 0)  # why a median would fail
    classes, protos = metrics.class_prototypes(z, labels, k=5)
    assert classes.tolist() == [0, 1]
    # every prototype is a real code of its class, and far from the other class
    for c, p in zip(classes, protos):
        assert np.any(np.all(z[labels == c] == p, axis=1))
    assert abs(protos[0, 0]) >= 2.0
    assert np.linalg.norm(protos[1]) < 1.0  # the blob's prototype sits at its heart


def test_class_prototypes_known_answer_and_subsample():
    z = np.array([[0.0, 0.0], [0.1, 0.0], [0.2, 0.0], [5.0, 5.0], [5.1, 5.0], [5.2, 5.0]])
    labels = np.array([3, 3, 3, 7, 7, 7])
    classes, protos = metrics.class_prototypes(torch.tensor(z), torch.tensor(labels), k=2)
    assert classes.tolist() == [3, 7]
    np.testing.assert_allclose(protos, [[0.1, 0.0], [5.1, 5.0]])  # all pure: the one nearest the median
    _, small = metrics.class_prototypes(z, labels, k=2, max_points=4, seed=1)
    assert small.shape == (2, 2)
    with pytest.raises(ValueError, match="one label per code"):
        metrics.class_prototypes(z, labels[:3])
    with pytest.raises(ValueError, match=r"shape \(N, D\)"):
        metrics.class_prototypes(z[:, 0], labels)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        metrics.class_prototypes(z, labels, k=0)


@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_nearest_distance_matches_brute_force(chunk):
    g = torch.Generator().manual_seed(0)
    q, r = torch.randn(20, 3, generator=g), torch.randn(30, 3, generator=g)
    brute = np.sqrt(((q.numpy()[:, None] - r.numpy()[None]) ** 2).sum(-1)).min(1)
    np.testing.assert_allclose(metrics.nearest_distance(q, r, chunk=chunk).numpy(), brute, rtol=1e-5, atol=1e-6)
    assert metrics.nearest_distance(r[:5], r).abs().max() < 1e-3  # a point of the set is at distance 0


def test_nearest_distance_bad_input():
    with pytest.raises(ValueError, match="same D"):
        metrics.nearest_distance(torch.zeros(3, 2), torch.zeros(4, 3))
    with pytest.raises(ValueError, match="at least one point"):
        metrics.nearest_distance(torch.zeros(3, 2), torch.zeros(0, 2))


def test_nearest_distance_refuses_numpy_arrays_in_one_sentence():
    a = np.zeros((3, 2), dtype=np.float32)
    with pytest.raises(ValueError, match=r"^queries must be a torch tensor, got ndarray; "
                       r"use torch.as_tensor\(\.\.\., dtype=torch.float32\)\.$"):
        metrics.nearest_distance(a, torch.zeros(4, 2))
    with pytest.raises(ValueError, match=r"^reference must be a torch tensor, got ndarray"):
        metrics.nearest_distance(torch.zeros(3, 2), a)
    assert metrics.nearest_distance(torch.as_tensor(a), torch.zeros(4, 2)).tolist() == [0.0, 0.0, 0.0]


def test_neighbour_agreement_known_answers():
    from aelab.metrics import neighbour_agreement

    # two far-apart clusters, each of one label: every neighbourhood is pure
    points = np.concatenate([np.zeros((5, 2)) + np.arange(5)[:, None] * 0.01,
                             np.full((5, 2), 10.0) + np.arange(5)[:, None] * 0.01])
    labels = np.array([0] * 5 + [1] * 5)
    assert neighbour_agreement(points, labels, k=4) == 1.0
    # alternate labels along a line: each point's 2 nearest are the other label
    line = np.arange(10, dtype=float)[:, None]
    assert neighbour_agreement(line[1:-1] * 1.0, np.arange(8) % 2, k=1) == 0.0
    # random labels on random points: near the chance level of 1 / 4
    rng = np.random.default_rng(0)
    chance = neighbour_agreement(rng.normal(size=(2000, 3)), rng.integers(0, 4, 2000), k=10)
    assert abs(chance - 0.25) < 0.03


def test_neighbour_agreement_refuses_bad_input():
    from aelab.metrics import neighbour_agreement

    with pytest.raises(ValueError, match="labels"):
        neighbour_agreement(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="k must be"):
        neighbour_agreement(np.random.rand(5, 2), np.zeros(5), k=5)


def test_share_in_holes_counts_points_far_from_every_code():
    codes = torch.stack(torch.meshgrid(torch.arange(30.0), torch.arange(30.0), indexing="ij"), -1).reshape(-1, 2)
    codes = codes[torch.randperm(len(codes), generator=torch.Generator().manual_seed(0))]  # typical gap 1
    points = torch.tensor([[10.0, 10.5], [15.0, 15.0], [100.0, 100.0], [29.0, 40.0]])  # two far away
    assert metrics.share_in_holes(points, codes, gaps=5) == 0.5
    assert metrics.share_in_holes(points.numpy(), codes.numpy(), gaps=50) == 0.25  # arrays too
    with pytest.raises(ValueError, match="above n_probe"):
        metrics.share_in_holes(points, codes[:100], n_probe=500)
    with pytest.raises(ValueError, match="gaps"):
        metrics.share_in_holes(points, codes, gaps=0)
