"""Chapter 4's exercise checks, against a right and a wrong answer (built small, not trained)."""

import pandas as pd
import pytest
import torch

from aelab import exercises, losses, models, runtime


def _said(capsys, ok, expected):
    out = capsys.readouterr().out
    assert bool(ok) is (expected == "Correct"), out
    assert expected in out, out


def _vae(open_dims):
    """A small VAE whose posterior means sit away from 0 in the first `open_dims` of 8 dimensions."""
    runtime.seed_everything(0)
    vae = models.VAE((1, 6, 6), latent_dim=8, hidden=(16, 8), output="tanh")
    with torch.no_grad():
        for head in (vae.mu_head, vae.logvar_head):
            head.weight.zero_()
            head.bias.zero_()
        vae.mu_head.bias[:open_dims] = 2.0  # KL 2 nats in each open dimension, 0 elsewhere
    return vae.eval()


X = torch.rand(20, 1, 6, 6) * 2 - 1


def _kl(vae):
    with torch.no_grad():
        return losses.kl_divergence(*vae.encode_dist(X), reduction="dimension")


def test_ex4_latent(capsys):
    ex = exercises.get("ex4-latent")
    few = _vae(2)
    _said(capsys, ex.check(kl32=_kl(few), open32=2, vae32=few, x_test=X), "Correct")
    many = _vae(6)  # opens 6 of 8: not fewer than half
    _said(capsys, ex.check(kl32=_kl(many), open32=6, vae32=many, x_test=X), "fewer than half")
    _said(capsys, ex.check(kl32=_kl(few), open32=3, vae32=few, x_test=X), "is not the number of kl32's entries")
    _said(capsys, ex.check(kl32=_kl(few) * 2, open32=2, vae32=few, x_test=X), "averaged over the test digits")
    _said(capsys, ex.check(kl32=_kl(few).sum(), open32=2, vae32=few, x_test=X), "one mean KL per latent dimension")
    _said(capsys, ex.check(kl32=_kl(few), open32=2.0, vae32=few, x_test=X), "whole number")


def _beta_scores(covered, distance):
    return pd.DataFrame({"beta": [0.1, 1.0, 8.0], "mean confidence": [0.9, 0.85, 0.95],
                         "share above 0.9": [0.6, 0.5, 0.8], "digits covered": covered,
                         "distance from N(0, I)": distance}).set_index("beta")


def test_ex4_beta(capsys):
    ex = exercises.get("ex4-beta")
    _said(capsys, ex.check(beta_scores=_beta_scores([9.5, 9.7, 1.4], [0.6, 0.1, 0.05])), "Correct")
    _said(capsys, ex.check(beta_scores=_beta_scores([9.5, 9.7, 9.8], [0.6, 0.1, 0.05])), "not fewer than at β = 1")
    _said(capsys, ex.check(beta_scores=_beta_scores([9.5, 9.7, 1.4], [0.05, 0.1, 0.6])), "not more than at β = 1")
    _said(capsys, ex.check(beta_scores=_beta_scores([9.5, 9.7, 1.4], [0.6, 0.1, 0.05]).iloc[1:]),
          "values below and above it")
    _said(capsys, ex.check(beta_scores={"digits covered": [1.4]}), "should be a DataFrame indexed by beta")


def _history(recon, n=3):
    return pd.DataFrame({"epoch": range(1, n + 1), "test_loss": [recon + 5] * n, "test_recon": [recon] * n,
                         "test_kl": [5.0] * n})


def test_ex4_bce(capsys):
    ex = exercises.get("ex4-bce")
    h_vae = _history(22.0)
    _said(capsys, ex.check(h_bce=_history(60.0), h_vae=h_vae, bce_pixel=0.031, mse_pixel=torch.tensor(0.029)),
          "Correct")
    # the squared-error VAE measured on [-1, 1]: four times the error
    _said(capsys, ex.check(h_bce=_history(60.0), h_vae=h_vae, bce_pixel=0.031, mse_pixel=0.118),
          "within a factor 1.25")
    _said(capsys, ex.check(h_bce=_history(20.0), h_vae=h_vae, bce_pixel=0.031, mse_pixel=0.029),
          "is not above the squared error's")
    _said(capsys, ex.check(h_bce=_history(60.0, n=2), h_vae=h_vae, bce_pixel=0.031, mse_pixel=0.029),
          "same number of epochs")
    _said(capsys, ex.check(h_bce=[60.0], h_vae=h_vae, bce_pixel=0.031, mse_pixel=0.029), "test_recon column")
    _said(capsys, ex.check(h_bce=_history(60.0), h_vae=h_vae, bce_pixel="0.031", mse_pixel=0.029),
          "bce_pixel should be a number")


def _judged(covered):
    return {"mean confidence": 0.9, "share above 0.9": 0.7, "digits covered": covered}


def test_ex4_nokl(capsys):
    ex = exercises.get("ex4-nokl")
    _said(capsys, ex.check(std0=0.004, distance0=4.6, judged0=_judged(4.0), judged1=_judged(9.7)), "Correct")
    _said(capsys, ex.check(std0=0.25, distance0=4.6, judged0=_judged(4.0), judged1=_judged(9.7)),
          "should fall below 0.05")
    _said(capsys, ex.check(std0=0.004, distance0=0.1, judged0=_judged(4.0), judged1=_judged(9.7)),
          "miss N(0, I) by only")
    _said(capsys, ex.check(std0=0.004, distance0=4.6, judged0=_judged(9.7), judged1=_judged(4.0)),
          "not fewer than the β = 1 VAE's")
    _said(capsys, ex.check(std0=0.004, distance0=4.6, judged0=[4.0], judged1=_judged(9.7)),
          "should be the dict judge(images) returns")
    _said(capsys, ex.check(std0=torch.ones(3), distance0=4.6, judged0=_judged(4.0), judged1=_judged(9.7)),
          "std0 should be a number")
