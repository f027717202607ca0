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


def test_end_value_is_the_median_of_the_last_rows_so_a_spike_does_not_move_it():
    import pandas as pd
    loss = [5.0] * 10 + [1.0, 1.2, 0.9, 50.0, 1.1]  # a spike at the 14th step
    history = pd.DataFrame({"epoch": range(len(loss)), "train_loss": loss})
    assert metrics.end_value(history, last=5) == pytest.approx(1.1)
    assert metrics.end_value(history, last=1) == 1.1
    assert metrics.end_value(history, last=100) == pytest.approx(np.median(loss))  # all rows, if fewer
    with pytest.raises(ValueError, match=r"^the history has no column 'train_recon'; it logs epoch, train_loss\.$"):
        metrics.end_value(history, "train_recon")
    with pytest.raises(ValueError, match="last"):
        metrics.end_value(history, last=0)
    with pytest.raises(ValueError, match="the history is empty"):
        metrics.end_value(history.iloc[:0])


def test_noise_floor_is_the_noise_left_in_the_dropped_directions():
    # a perfect k-dimensional fit leaves the noise of D - k coordinates, averaged over D
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 0.1, size=(200_000, 3))
    left = (noise[:, 1:] ** 2).sum(1).mean() / 3  # the fit recovers coordinate 0's noise, not the others
    assert metrics.noise_floor(0.1, 3, 1) == pytest.approx(left, rel=0.01)
    assert metrics.noise_floor(0.1, 3, 3) == 0.0
    assert metrics.noise_floor(0.1, 3, 0) == pytest.approx(0.01)
    with pytest.raises(ValueError, match=r"^kept \(4\) cannot exceed dim \(3\)"):
        metrics.noise_floor(0.1, 3, 4)
    with pytest.raises(ValueError, match="noise"):
        metrics.noise_floor(-0.1, 3, 1)


def test_mean_image_error_known_answer():
    x_train = torch.tensor([[0.0, 1.0], [2.0, 3.0]])  # mean image (1, 2)
    x_test = torch.tensor([[1.0, 2.0], [3.0, 2.0]])  # squared gaps 0, 0 and 4, 0
    assert metrics.mean_image_error(x_train, x_test) == pytest.approx(1.0)
    assert metrics.mean_image_error(x_train.numpy(), x_test) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="same shape"):
        metrics.mean_image_error(torch.zeros(3, 4), torch.zeros(3, 5))


def test_count_parameters_counts_what_trains():
    from aelab import models
    layer = torch.nn.Linear(3, 2)  # 6 weights and 2 biases
    assert models.count_parameters(layer) == 8
    layer.bias.requires_grad_(False)
    assert models.count_parameters(layer, trainable=True) == 6
    with pytest.raises(ValueError, match="torch model"):
        models.count_parameters([1, 2])


def test_tie_band_is_two_standard_errors_of_the_gap():
    assert metrics.tie_band(0.9, 0.9, 1000) == pytest.approx(2 * np.sqrt(2 * 0.09 / 1000))
    assert metrics.tie_band(1.0, 1.0, 10) == 0.0  # no spread to a certain answer
    assert np.isnan(metrics.tie_band(float("nan"), 0.5, 100))  # a skipped experiment
    with pytest.raises(ValueError, match="shares"):
        metrics.tie_band(90.0, 85.0, 100)  # points, not shares
    with pytest.raises(ValueError, match="positive integer"):
        metrics.tie_band(0.9, 0.8, 0)


def test_error_ratio_counts_errors_not_points():
    assert metrics.error_ratio(0.98, 0.99) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="no errors"):
        metrics.error_ratio(0.9, 1.0)
