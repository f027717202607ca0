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
