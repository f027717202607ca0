import pytest
import torch
import torch.nn.functional as F

from aelab import losses


def test_reconstruction_matches_torch_references():
    x = torch.rand(4, 1, 5, 5)
    x_hat = torch.rand(4, 1, 5, 5)
    assert torch.allclose(losses.reconstruction(x_hat, x), F.mse_loss(x_hat, x))
    assert torch.allclose(losses.reconstruction(x_hat, x, "l1"), F.l1_loss(x_hat, x))
    assert torch.allclose(losses.reconstruction(x_hat, x, "bce"), F.binary_cross_entropy(x_hat, x))


def test_reduction_per_sample_is_the_per_image_sum():
    x = torch.zeros(3, 2, 2)
    x_hat = torch.ones(3, 2, 2)
    assert losses.reconstruction(x_hat, x, reduction="sample").item() == pytest.approx(4.0)
    assert losses.reconstruction(x_hat, x, reduction="mean").item() == pytest.approx(1.0)
    assert losses.reconstruction(x_hat, x, reduction="none").shape == (3, 2, 2)


def test_reconstruction_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        losses.reconstruction(torch.zeros(2, 3), torch.zeros(2, 4))
    with pytest.raises(ValueError, match="unknown reconstruction loss 'huber'"):
        losses.reconstruction(torch.zeros(1), torch.zeros(1), kind="huber")
    with pytest.raises(ValueError, match="unknown reduction 'sum'"):
        losses.reconstruction(torch.zeros(1), torch.zeros(1), reduction="sum")
