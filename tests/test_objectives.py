"""The objectives (aelab/_objectives.py, public as train.<name>): what each objective computes, the terms fit logs from it, and bad settings."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from aelab import losses, models, runtime, train


from tests.helpers import _supervised as _model
from tests.helpers import _vae


# --------------------------------------------------------------------------- classification objective


def test_classification_objective_is_cross_entropy_and_can_log_accuracy():
    logits = torch.tensor([[2.0, 0.0], [0.0, 1.0], [3.0, 0.0], [0.0, 0.5]])
    y = torch.tensor([0, 1, 1, 1])
    torch.testing.assert_close(train.classification_objective()(nn.Identity(), (logits, y)), F.cross_entropy(logits, y))
    out = train.classification_objective(accuracy=True)(nn.Identity(), (logits, y))
    torch.testing.assert_close(out["loss"], F.cross_entropy(logits, y))
    assert out["accuracy"].item() == pytest.approx(0.75)
    for accuracy in (False, True):
        with pytest.raises(ValueError, match=r"pass data=\(x, y\)"):
            train.classification_objective(accuracy=accuracy)(nn.Identity(), (logits,))


# --------------------------------------------------------------------------- least volume and L1 of the codes


def test_least_volume_objective_terms():
    model = models.MLPAutoencoder(3, 2, hidden=(8,), spectral_norm_decoder=True)
    x = torch.randn(16, 3)
    terms = train.least_volume_objective(lam=0.5, eta=0.02)(model, (x,))
    assert set(terms) == {"loss", "recon", "volume"}
    z = model.encode(x)
    assert terms["volume"].item() == pytest.approx(losses.volume_penalty(z, 0.02).item(), rel=1e-5)
    assert terms["loss"].item() == pytest.approx(terms["recon"].item() + 0.5 * terms["volume"].item(), rel=1e-5)
    l1 = train.l1_latent_objective(lam=0.1)(model, (x,))
    assert l1["loss"].item() == pytest.approx(l1["recon"].item() + 0.1 * losses._l1_latent(z).item(), rel=1e-5)


def test_least_volume_objective_trains_and_logs_its_terms():
    model = models.MLPAutoencoder(3, 3, hidden=(16,), spectral_norm_decoder=True)
    x = torch.randn(32, 3)
    history = train.fit(model, x, train.least_volume_objective(), epochs=2, batch_size=32, device="cpu", progress=False)
    assert {"train_recon", "train_volume"} <= set(history.columns)
    assert np.isfinite(history["train_loss"]).all()


def test_objectives_bad_input():
    with pytest.raises(ValueError, match="lam must be a non-negative number"):
        train.least_volume_objective(lam=-1)
    with pytest.raises(ValueError, match="eta must be a positive number"):
        train.least_volume_objective(eta=0)
    with pytest.raises(ValueError, match="lam must be a non-negative number"):
        train.l1_latent_objective(lam=float("nan"))
    with pytest.raises(ValueError, match="unknown reconstruction loss"):
        train.least_volume_objective(kind="huber")


# --------------------------------------------------------------------------- VAE objective


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


# --------------------------------------------------------------------------- supervised objective


def test_objective_terms_add_up():
    m = _model()
    x, y = torch.rand(6, 1, 8, 8), torch.tensor([0, 1, 2, 0, 1, 2])
    terms = train.supervised_objective(class_weight=0.5)(m, (x, y))
    assert set(terms) == {"loss", "recon", "cross_entropy", "accuracy"}
    torch.testing.assert_close(terms["loss"], terms["recon"] + 0.5 * terms["cross_entropy"])
    x_hat, logits = m(x)
    torch.testing.assert_close(terms["recon"], ((x_hat - x) ** 2).mean())
    torch.testing.assert_close(terms["cross_entropy"], torch.nn.functional.cross_entropy(logits, y))
    plain = train.supervised_objective(class_weight=0)(m, (x, y))
    torch.testing.assert_close(plain["loss"], plain["recon"])
