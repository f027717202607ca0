"""aelab.losses: reconstruction, the volume penalty and L1 of the codes, the KL term and the VAE loss."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence as torch_kl

from aelab import losses
from tests.helpers import _codes_with_stds


# --------------------------------------------------------------------------- reconstruction


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


# --------------------------------------------------------------------------- volume penalty


def test_volume_penalty_is_the_geometric_mean_of_std_plus_eta():
    stds, eta = [2.0, 0.5, 0.1], 0.01
    z = _codes_with_stds(stds)
    expected = math.prod(s + eta for s in stds) ** (1 / 3)
    assert losses.volume_penalty(z, eta).item() == pytest.approx(expected, rel=1e-10)
    # the same as the formula of the paper and the material, on torch's own std
    assert torch.allclose(losses.volume_penalty(z, eta), torch.exp(torch.log(z.std(0) + eta).mean()))


def test_volume_penalty_stays_finite_when_a_dimension_collapses():
    z = _codes_with_stds([1.0, 1.0, 0.0])
    value = losses.volume_penalty(z, 0.01).item()
    assert value == pytest.approx((1.01 * 1.01 * 0.01) ** (1 / 3))
    assert math.isfinite(value)


def test_volume_penalty_gradient_matches_its_closed_form():
    # d V / d s_i = V / (D (s_i + eta)) when column i is s_i times a unit-std column
    stds, eta = [2.0, 0.5, 0.1], 0.01
    v = _codes_with_stds([1.0, 1.0, 1.0])
    s = torch.tensor(stds, dtype=torch.float64, requires_grad=True)
    value = losses.volume_penalty(v * s, eta)
    (grad,) = torch.autograd.grad(value, s)
    expected = value.detach() / (3 * (s.detach() + eta))
    assert torch.allclose(grad, expected, rtol=1e-8)
    # the smallest spread gets the largest push: the geometric mean at work
    assert grad.argmax().item() == 2


def test_volume_penalty_gradcheck():
    z = _codes_with_stds([1.0, 0.3], n=6).requires_grad_(True)
    assert torch.autograd.gradcheck(lambda t: losses.volume_penalty(t, 0.05), (z,))


@pytest.mark.parametrize("eta", [0.0, -0.01])
def test_volume_penalty_rejects_a_non_positive_eta(eta):
    with pytest.raises(ValueError, match="eta must be positive"):
        losses.volume_penalty(torch.randn(4, 2), eta)


def test_volume_penalty_rejects_a_batch_of_one_row_and_bad_shapes():
    with pytest.raises(ValueError, match="at least 2 codes"):
        losses.volume_penalty(torch.randn(1, 3))
    with pytest.raises(ValueError, match=r"shape \(batch, latent_dim\)"):
        losses.volume_penalty(torch.randn(5))
    with pytest.raises(ValueError, match=r"shape \(batch, latent_dim\)"):
        losses._l1_latent(torch.randn(2, 3, 4))


def test_l1_latent_known_answer():
    z = torch.tensor([[1.0, -2.0], [0.0, 3.0]])
    assert losses._l1_latent(z).item() == pytest.approx(1.5)


# --------------------------------------------------------------------------- KL divergence


def test_kl_is_zero_for_the_standard_normal():
    zeros = torch.zeros(5, 3)
    assert losses.kl_divergence(zeros, zeros).item() == 0.0
    assert torch.equal(losses.kl_divergence(zeros, zeros, reduction="dimension"), torch.zeros(3))


def test_kl_matches_torch_distributions():
    mu = torch.randn(6, 4)
    logvar = torch.randn(6, 4)
    reference = torch_kl(Normal(mu, (0.5 * logvar).exp()), Normal(0.0, 1.0))  # (6, 4)
    assert torch.allclose(losses.kl_divergence(mu, logvar, reduction="none"), reference, atol=1e-6)
    # per image: summed over latent dimensions, averaged over the batch
    assert losses.kl_divergence(mu, logvar).item() == pytest.approx(reference.sum(1).mean().item(), rel=1e-6)
    assert torch.allclose(losses.kl_divergence(mu, logvar, reduction="dimension"), reference.mean(0), atol=1e-6)


def test_kl_known_values():
    # mu = 1, var = 1: 0.5 * (1 + 1 - 1 - 0) = 0.5 per dimension; 2 dimensions -> 1 nat
    mu, logvar = torch.ones(3, 2), torch.zeros(3, 2)
    assert losses.kl_divergence(mu, logvar).item() == pytest.approx(1.0)
    # mu = 0, var = e: 0.5 * (e - 1 - 1)
    mu, logvar = torch.zeros(1, 1), torch.ones(1, 1)
    assert losses.kl_divergence(mu, logvar).item() == pytest.approx(0.5 * (torch.e - 2))


def test_kl_bad_input():
    with pytest.raises(ValueError, match=r"mu and logvar must both have shape \(batch, latent_dim\), got \(4, 3\) and \(4, 2\)"):
        losses.kl_divergence(torch.zeros(4, 3), torch.zeros(4, 2))
    with pytest.raises(ValueError, match="unknown reduction 'mean'"):
        losses.kl_divergence(torch.zeros(1, 1), torch.zeros(1, 1), reduction="mean")


# --------------------------------------------------------------------------- VAE loss


def test_vae_loss_is_per_image_and_adds_beta_times_kl():
    x = torch.zeros(8, 1, 4, 4)
    x_hat = torch.full_like(x, 0.5)  # squared error 0.25 on each of 16 pixels -> 4 per image
    mu, logvar = torch.ones(8, 2), torch.zeros(8, 2)  # 1 nat per image
    out = losses.vae_loss(x_hat, x, mu, logvar, beta=3.0)
    assert set(out) == {"loss", "recon", "kl"}
    assert out["recon"].item() == pytest.approx(4.0)
    assert out["kl"].item() == pytest.approx(1.0)
    assert out["loss"].item() == pytest.approx(4.0 + 3.0 * 1.0)
    # per image: the same whatever the batch size
    half = losses.vae_loss(x_hat[:3], x[:3], mu[:3], logvar[:3], beta=3.0)
    assert half["loss"].item() == pytest.approx(out["loss"].item())
    # and on the scale of an autoencoder trained with reduction="sample"
    assert out["recon"].item() == pytest.approx(losses.reconstruction(x_hat, x, reduction="sample").item())


def test_vae_loss_beta_zero_is_reconstruction_only():
    x, x_hat = torch.rand(4, 5), torch.rand(4, 5)
    out = losses.vae_loss(x_hat, x, torch.randn(4, 2), torch.randn(4, 2), beta=0)
    assert out["loss"].item() == pytest.approx(out["recon"].item())


def test_vae_loss_bad_input():
    x = torch.zeros(4, 5)
    with pytest.raises(ValueError, match="beta must be a non-negative number, got -1"):
        losses.vae_loss(x, x, torch.zeros(4, 2), torch.zeros(4, 2), beta=-1)
    with pytest.raises(ValueError, match="mu and logvar must both have shape"):
        losses.vae_loss(x, x, torch.zeros(4, 2), torch.zeros(4, 3))
    with pytest.raises(ValueError, match="4 images but 3 codes"):
        losses.vae_loss(x, x, torch.zeros(3, 2), torch.zeros(3, 2))
    with pytest.raises(ValueError, match="unknown reconstruction loss"):
        losses.vae_loss(x, x, torch.zeros(4, 2), torch.zeros(4, 2), kind="huber")


# --------------------------------------------------------------------------- a student's mistakes


def test_reconstruction_refuses_numpy_arrays_as_the_other_losses_do():
    import numpy as np

    a = np.zeros((3, 2), dtype=np.float32)
    with pytest.raises(ValueError, match=r"^x_hat must be a torch tensor, got ndarray; "
                       r"use torch.as_tensor\(\.\.\., dtype=torch.float32\)\.$"):
        losses.reconstruction(a, a)
    with pytest.raises(ValueError, match=r"^x must be a torch tensor, got ndarray"):
        losses.reconstruction(torch.zeros(3, 2), a, reduction="sample")
    assert losses.reconstruction(torch.as_tensor(a), torch.as_tensor(a)).item() == 0.0


def test_binary_cross_entropy_outside_0_1_is_one_sentence():
    x = torch.tensor([[0.0, 0.5, 1.0]])
    with pytest.raises(ValueError, match=r"^the reconstructions x_hat must lie in \[0, 1\] for binary "
                       r"cross-entropy, as probabilities, but run from -0\.5 to 1\.5; end the model in a sigmoid "
                       r"\(output='sigmoid'\), or use kind='mse'\.$"):
        losses.reconstruction(torch.tensor([[-0.5, 0.5, 1.5]]), x, "bce")
    with pytest.raises(ValueError, match=r"^the originals x must lie in \[0, 1\] for binary cross-entropy, but "
                       r"run from 0 to 255; images of 0-255 need x / 255, or use kind='mse'\.$"):
        losses.reconstruction(x, x * 255, "bce")
    with pytest.raises(ValueError, match=r"the reconstructions x_hat must lie in \[0, 1\]"):
        losses.vae_loss(x - 1, x, torch.zeros(1, 2), torch.zeros(1, 2), kind="bce")
    # the ends themselves are allowed, and the value is torch's
    torch.testing.assert_close(losses.reconstruction(x, x, "bce"), F.binary_cross_entropy(x, x))
