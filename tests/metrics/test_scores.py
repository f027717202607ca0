"""aelab.metrics.scores: the per-sample reconstruction error and the accuracy."""

import numpy as np
import pytest
import torch

from aelab import metrics


def test_reconstruction_error_per_sample():
    x = torch.zeros(3, 1, 2, 2)
    x_hat = torch.zeros(3, 1, 2, 2)
    x_hat[1] = 1.0
    x_hat[2, 0, 0, 0] = 2.0
    np.testing.assert_allclose(metrics.reconstruction_error(x, x_hat), [0.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="differ in shape"):
        metrics.reconstruction_error(np.zeros((2, 3)), np.zeros((2, 4)))


def test_accuracy_from_logits_or_labels():
    logits = torch.tensor([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]])
    assert metrics.accuracy(logits, torch.tensor([0, 1, 1])) == pytest.approx(2 / 3)
    assert metrics.accuracy(np.array([1, 1]), np.array([1, 0])) == 0.5
    with pytest.raises(ValueError, match="3 predictions for 2 labels"):
        metrics.accuracy(np.zeros(3), np.zeros(2))


def test_accuracy_mistakes_get_one_sentence():
    with pytest.raises(ValueError, match=r"^accuracy needs \(n, classes\) scores or \(n,\) predicted labels "
                       r"with n >= 1, got shape \(0,\)\.$"):
        metrics.accuracy(np.array([]), np.array([]))
    with pytest.raises(ValueError, match=r"^accuracy got scores of shape \(4, 1\), one column whose argmax is "
                       r"always class 0; for a sigmoid's probabilities pass scores\[:, 0\] > 0\.5, for one logit "
                       r"per row scores\[:, 0\] > 0\.$"):
        metrics.accuracy(torch.tensor([[0.9], [0.2], [0.7], [0.1]]), torch.tensor([1, 0, 0, 0]))
    with pytest.raises(ValueError, match=r"labels must be one entry per each of the 2 predictions, a 1-D array "
                       r"of shape \(2,\), got shape \(2, 1\)"):
        metrics.accuracy(np.array([1, 0]), np.array([[1], [0]]))
    # the fix the sentence gives is a right call; empty (0, classes) logits are refused too
    scores = torch.tensor([[0.9], [0.2], [0.7], [0.1]])
    assert metrics.accuracy(scores[:, 0] > 0.5, torch.tensor([1, 0, 0, 0])) == 0.75
    with pytest.raises(ValueError, match=r"with n >= 1, got shape \(0,\)"):
        metrics.accuracy(np.zeros((0, 10)), np.zeros(0))
