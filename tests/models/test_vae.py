"""Chapter 4's model (aelab.models.vae): the VAE, sampling, interpolation."""

import numpy as np
import pytest
import torch

from aelab import models, train
from aelab.models import VAE, interpolate
from tests.helpers import _vae
from tests.mistakes import VAE4, _cases, _check


# --------------------------------------------------------------------------- the model


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


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("vae-latent_dim-0", lambda: VAE(4, 0), r"latent_dim must be a positive integer, got 0"),
    ("vae-hidden-int", lambda: VAE(4, 2, hidden=128),
     r"hidden must be a sequence of positive integers.*for one entry write \(128,\)"),  # fixed: TypeError
    ("vae-activation-unknown", lambda: VAE(4, 2, activation="rellu"), r"unknown activation 'rellu'; use one of relu"),
    ("vae-sample-0", lambda: VAE4.sample(0), r"n must be a positive integer, got 0"),
    ("vae-sample-float", lambda: VAE4.sample(2.5), r"n must be a positive integer, got 2.5"),
    ("vae-sample-string", lambda: VAE4.sample("4"), r"n must be a positive integer, got '4'"),
    ("vae-encode_dist-wrong-shape", lambda: VAE4.encode_dist(torch.zeros(5, 3)),
     r"VAE expects inputs of shape \(batch, 4\), got \(5, 3\)"),
    ("vae-reparameterize-shapes", lambda: VAE4.reparameterize(torch.zeros(5, 2), torch.zeros(5, 3)),
     r"mu and logvar must have the same shape, got \(5, 2\) and \(5, 3\)"),
    ("vae-reparameterize-numpy", lambda: VAE4.reparameterize(np.zeros((5, 2)), np.zeros((5, 2))),
     r"mu must be a torch tensor, got ndarray; use torch.as_tensor"),  # fixed: TypeError from torch.exp
    ("interpolate-steps-1", lambda: interpolate(VAE4, torch.zeros(4), torch.zeros(4), steps=1),
     r"steps must be an integer of at least 2 \(the two ends\), got 1"),
    ("interpolate-steps-string", lambda: interpolate(VAE4, torch.zeros(4), torch.zeros(4), steps="8"),
     r"steps must be an integer of at least 2 \(the two ends\), got '8'"),
    ("interpolate-shapes", lambda: interpolate(VAE4, torch.zeros(4), torch.zeros(2, 4)),
     r"x_a and x_b must have the same shape, got \(4,\) and \(2, 4\)"),
    ("interpolate-numpy", lambda: interpolate(VAE4, np.zeros(4), np.zeros(4)),
     r"x_a must be a torch tensor, got ndarray"),  # fixed: AttributeError 'unsqueeze'
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_models(call, match, error):
    _check(call, match, error)
