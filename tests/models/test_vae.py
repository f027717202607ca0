"""Chapter 4's code: the VAE, its KL term and loss, the objective, sampling, interpolation."""

import pytest
import torch
from torch.distributions import Normal, kl_divergence as torch_kl

from aelab import data, losses, models, plots, runtime, train


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


# --------------------------------------------------------------------------- the model


def _vae(**kw):
    runtime.seed_everything(0)
    return models.VAE((1, 6, 6), latent_dim=3, hidden=(16, 8), output="tanh", **kw)


def test_vae_shapes_and_interface():
    vae = _vae()
    assert isinstance(vae, models.Autoencoder)
    x = torch.rand(5, 1, 6, 6) * 2 - 1
    mu, logvar = vae.encode_dist(x)
    assert mu.shape == logvar.shape == (5, 3)
    assert torch.equal(vae.encode(x), mu)  # encode is the posterior mean
    x_hat, mu2, logvar2 = vae(x)
    assert x_hat.shape == x.shape and torch.equal(mu2, mu) and torch.equal(logvar2, logvar)
    assert vae.decode(mu).shape == x.shape
    assert vae.config == dict(input_shape=(1, 6, 6), latent_dim=3, hidden=[16, 8],
                              activation="relu", output="tanh")
    # the same body as an MLPAutoencoder of the same sizes, plus a second head
    ae = models.MLPAutoencoder((1, 6, 6), 3, hidden=(16, 8))
    n_params = lambda m: sum(p.numel() for p in m.parameters())
    assert n_params(vae) == n_params(ae) + (8 * 3 + 3)


def test_vae_without_hidden_layers():
    vae = models.VAE(4, latent_dim=2, hidden=())
    x_hat, mu, logvar = vae(torch.randn(3, 4))
    assert x_hat.shape == (3, 4) and mu.shape == (3, 2)


def test_reparameterize_gradients_flow_to_mu_and_logvar():
    vae = _vae()
    mu = torch.zeros(4, 3, requires_grad=True)
    logvar = torch.zeros(4, 3, requires_grad=True)
    g = torch.Generator().manual_seed(0)
    z = vae.reparameterize(mu, logvar, generator=g)
    eps = torch.randn(4, 3, generator=torch.Generator().manual_seed(0))
    assert torch.allclose(z, eps)  # std = 1 at logvar = 0
    z.sum().backward()
    assert torch.allclose(mu.grad, torch.ones(4, 3))  # dz/dmu = 1
    assert torch.allclose(logvar.grad, 0.5 * eps)  # dz/dlogvar = eps * std / 2
    # and through the whole model: every parameter gets a gradient from the loss
    vae.zero_grad()
    x = torch.rand(5, 1, 6, 6)
    out = train.vae_objective(beta=1.0)(vae, (x,))
    out["loss"].backward()
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in vae.parameters())
    assert vae.logvar_head.weight.grad.abs().sum() > 0


def test_reparameterize_matches_the_posterior_moments():
    vae = _vae()
    mu = torch.full((20000, 1), 2.0)
    logvar = torch.full((20000, 1), torch.log(torch.tensor(0.25)).item())
    z = vae.reparameterize(mu, logvar, generator=torch.Generator().manual_seed(1))
    assert z.mean().item() == pytest.approx(2.0, abs=0.02)
    assert z.std().item() == pytest.approx(0.5, abs=0.02)


def test_sample_is_seeded_and_decodes_the_prior():
    vae = _vae()
    a = vae.sample(7, generator=torch.Generator().manual_seed(3))
    b = vae.sample(7, generator=torch.Generator().manual_seed(3))
    assert a.shape == (7, 1, 6, 6) and torch.equal(a, b) and not a.requires_grad
    z = torch.randn(7, 3, generator=torch.Generator().manual_seed(3))
    assert torch.allclose(a, vae.decode(z).detach())


def test_vae_bad_input():
    with pytest.raises(ValueError, match="latent_dim must be a positive integer"):
        models.VAE(4, latent_dim=0)
    with pytest.raises(ValueError, match="unknown activation 'soft'"):
        models.VAE(4, latent_dim=2, output="soft")
    vae = _vae()
    with pytest.raises(ValueError, match=r"VAE expects inputs of shape \(batch, 1, 6, 6\), got \(2, 36\)"):
        vae.encode_dist(torch.zeros(2, 36))
    with pytest.raises(ValueError, match="same shape"):
        vae.reparameterize(torch.zeros(2, 3), torch.zeros(2, 2))
    with pytest.raises(ValueError, match="n must be a positive integer"):
        vae.sample(0)


# --------------------------------------------------------------------------- interpolation


def test_interpolate_ends_at_the_two_reconstructions():
    vae = _vae()
    x = torch.rand(4, 1, 6, 6)
    path = models.interpolate(vae, x[0], x[1], steps=5)
    assert path.shape == (5, 1, 6, 6)
    assert torch.allclose(path[0], vae.decode(vae.encode(x[:1]))[0], atol=1e-6)
    assert torch.allclose(path[-1], vae.decode(vae.encode(x[1:2]))[0], atol=1e-6)
    # the middle image decodes the middle code
    mid = vae.decode((vae.encode(x[:1]) + vae.encode(x[1:2])) / 2)[0]
    assert torch.allclose(path[2], mid, atol=1e-5)
    # batches of pairs, and any autoencoder
    ae = models.MLPAutoencoder((1, 6, 6), 2, hidden=(8,))
    assert models.interpolate(ae, x[:2], x[2:], steps=3).shape == (2, 3, 1, 6, 6)


def test_interpolate_bad_input():
    vae = _vae()
    x = torch.rand(2, 1, 6, 6)
    with pytest.raises(ValueError, match="steps must be an integer of at least 2"):
        models.interpolate(vae, x, x, steps=1)
    with pytest.raises(ValueError, match="x_a and x_b must have the same shape"):
        models.interpolate(vae, x[0], x)


# --------------------------------------------------------------------------- objective and fit


def test_vae_objective_with_fit_logs_recon_and_kl():
    runtime.seed_everything(0)
    x = torch.rand(64, 1, 6, 6) * 2 - 1
    vae = _vae()
    history = train.fit(vae, x, train.vae_objective(beta=0.5), epochs=3, batch_size=16, test=x, device="cpu")
    for col in ("train_loss", "train_recon", "train_kl", "test_loss", "test_recon", "test_kl"):
        assert col in history
    last = history.iloc[-1]
    assert last["train_loss"] == pytest.approx(last["train_recon"] + 0.5 * last["train_kl"], rel=1e-5)
    assert history["train_loss"].iloc[-1] < history["train_loss"].iloc[0]


def test_vae_objective_bad_input():
    with pytest.raises(ValueError, match="beta must be a non-negative number"):
        train.vae_objective(beta=-0.1)
    with pytest.raises(ValueError, match="unknown reconstruction loss"):
        train.vae_objective(kind="ce")
    ae = models.MLPAutoencoder(4, 2, hidden=(8,))
    with pytest.raises(ValueError, match=r"forward returns \(x_hat, mu, logvar\); MLPAutoencoder returned 1 value"):
        train.vae_objective()(ae, (torch.zeros(2, 4),))


# --------------------------------------------------------------------------- data and plots


def test_downsample_averages_blocks_and_rescales():
    x = torch.zeros(2, 1, 4, 4)
    x[:, :, :2, :2] = 1.0  # one full 2 x 2 block
    x[:, :, 2, 2] = 1.0  # a quarter of another
    split = data.Split(x, torch.tensor([0, 1]), x[:1], torch.tensor([0]), source="test")
    small = data.downsample(split, size=2)
    assert small.x_train.shape == (2, 1, 2, 2) and small.x_test.shape == (1, 1, 2, 2)
    # area means 1, 0, 0, 0.25 mapped from [0, 1] to [-1, 1]
    assert torch.allclose(small.x_train[0, 0], torch.tensor([[1.0, -1.0], [-1.0, -0.5]]))
    assert torch.equal(small.y_train, split.y_train) and small.source == "test"
    unit = data.downsample(split, size=2, value_range=(0, 1))
    assert torch.allclose(unit.x_train[0, 0], torch.tensor([[1.0, 0.0], [0.0, 0.25]]))


def test_downsample_bad_input():
    x = torch.zeros(2, 1, 4, 4)
    split = data.Split(x, torch.zeros(2), x, torch.zeros(2))
    with pytest.raises(ValueError, match="size must be an integer from 1 to 4, got 8"):
        data.downsample(split, size=8)
    with pytest.raises(ValueError, match="low < high"):
        data.downsample(split, value_range=(1, -1))
    flat = data.Split(torch.zeros(2, 16), torch.zeros(2), torch.zeros(2, 16), torch.zeros(2))
    with pytest.raises(ValueError, match=r"\(n, C, H, W\)"):
        data.downsample(flat)


def test_image_rows():
    fig = plots.image_rows({"a": torch.rand(4, 1, 5, 5), "b": torch.rand(3, 25)}, title="t", vmin=0, vmax=1)
    assert len(fig.axes) == 2 * 4 and fig._suptitle.get_text() == "t"
    assert fig.axes[0].get_ylabel() == "a"
    with pytest.raises(ValueError, match="non-empty dict"):
        plots.image_rows([])
