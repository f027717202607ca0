"""Chapter 6's exercise checks, against a right and a wrong answer (tiny untrained models, small tables)."""

from types import SimpleNamespace

import pandas as pd
import pytest
import torch
from torch.nn.utils import parametrize

from aelab import exercises, metrics, models, runtime

CURVE = SimpleNamespace(x=torch.randn(100, 3, generator=torch.Generator().manual_seed(0)) * 0.6)
VARIANCE = float(CURVE.x.var(0).mean())


def _said(capsys, ok, expected):
    out = capsys.readouterr().out
    assert bool(ok) is (expected == "Correct"), out
    assert expected in out, out


def _sweep(strong=None, weak=0.0001, kept=(2, 0, 2, 2)):
    strong = VARIANCE if strong is None else strong
    rows = [{"lambda": lam, "eta": eta, "reconstruction MSE": mse, "dimensions kept": k, "noise floor": 0.0}
            for (lam, eta), mse, k in zip([(1e-3, 0.01), (1e-1, 0.01), (0.01, 1e-3), (0.01, 1e-1)],
                                          [weak, strong, 0.0001, 0.0002], kept)]
    return pd.DataFrame(rows).set_index(["lambda", "eta"])


def test_ex6_sweep(capsys):
    ex = exercises.get("ex6-sweep")
    _said(capsys, ex.check(sweep=_sweep(), curve=CURVE), "Correct")
    _said(capsys, ex.check(sweep=_sweep(strong=0.001), curve=CURVE), "far below the curve's variance")
    _said(capsys, ex.check(sweep=_sweep(weak=VARIANCE), curve=CURVE), "not far below the curve's variance")
    _said(capsys, ex.check(sweep=_sweep(kept=(2, 0, 2, 5)), curve=CURVE), "whole number from 0 to 3")
    _said(capsys, ex.check(sweep=_sweep().iloc[:3], curve=CURVE), "it lacks [(0.01, 0.1)]")
    _said(capsys, ex.check(sweep=_sweep().reset_index(drop=True), curve=CURVE), "(lambda, eta) pairs")
    _said(capsys, ex.check(sweep=[0.3], curve=CURVE), "should be a DataFrame indexed by (lambda, eta)")


def _model(latent=3, free_last=True, stretch=1.5):
    runtime.seed_everything(0)
    model = models.MLPAutoencoder(3, latent, hidden=(8, 8), activation="leaky_relu", spectral_norm_decoder=True)
    if free_last:
        parametrize.remove_parametrizations(model.decoder.net[-1], "weight")
        with torch.no_grad():
            model.decoder.net[-1].weight.mul_(stretch)  # what training does to a free layer
    return model.eval()


def _norm(model):
    return torch.linalg.matrix_norm(model.decoder.net[-1].weight.detach(), ord=2)


def test_ex6_last_layer(capsys):
    ex = exercises.get("ex6-last-layer")
    leaky = _model()
    _said(capsys, ex.check(leaky=leaky, last_norm=_norm(leaky).item()), "Correct")
    _said(capsys, ex.check(leaky=leaky, last_norm=_norm(leaky)), "Correct")  # a 0-d tensor will do
    untrained = _model(stretch=1.0)
    _said(capsys, ex.check(leaky=untrained, last_norm=_norm(untrained).item()), "not above 1.05")
    bounded = _model(free_last=False)
    _said(capsys, ex.check(leaky=bounded, last_norm=1.0), "still has spectral norm")
    all_free = models.MLPAutoencoder(3, 3, hidden=(8, 8), activation="leaky_relu")
    _said(capsys, ex.check(leaky=all_free, last_norm=1.5), "only the last layer should be free")
    _said(capsys, ex.check(leaky=leaky, last_norm=_norm(leaky).item() + 0.5), "is not the largest singular value")
    _said(capsys, ex.check(leaky=leaky, last_norm="1.5"), "last_norm should be a number")
    _said(capsys, ex.check(leaky=torch.nn.Linear(3, 3), last_norm=1.5), "leaky should be the chapter's")


def _codes(spreads):
    g = torch.Generator().manual_seed(1)
    return torch.randn(100, len(spreads), generator=g) * torch.tensor(spreads)


def test_ex6_latent10(capsys):
    ex = exercises.get("ex6-latent10")
    wide = _model(latent=10, free_last=False)
    pruned = _codes([2.0, 1.0] + [0.0] * 8)  # two dimensions with spread, eight collapsed
    with torch.no_grad():  # data the model reconstructs exactly from those codes
        curve = SimpleNamespace(x=wide.decode(pruned))
    kept = metrics.least_volume_dimensions(wide.decode, pruned, curve.x)
    assert kept == 2
    _said(capsys, ex.check(wide=wide, z_wide=pruned, kept_wide=kept, curve=curve), "Correct")
    _said(capsys, ex.check(wide=wide, z_wide=pruned, kept_wide=kept + 1, curve=curve), "is not the count")
    spread = _codes([1.0] * 10)  # nothing collapsed
    with torch.no_grad():
        spread_curve = SimpleNamespace(x=wide.decode(spread))
    all_kept = metrics.least_volume_dimensions(wide.decode, spread, spread_curve.x)
    assert all_kept == 10
    _said(capsys, ex.check(wide=wide, z_wide=spread, kept_wide=10, curve=spread_curve), "should drop some")
    free = _model(latent=10)
    _said(capsys, ex.check(wide=free, z_wide=pruned, kept_wide=kept, curve=curve), "spectrally normalized")
    narrow = _model(latent=3, free_last=False)
    _said(capsys, ex.check(wide=narrow, z_wide=pruned[:, :3], kept_wide=2, curve=curve), "the (n, 10) codes")
    _said(capsys, ex.check(wide=wide, z_wide=pruned, kept_wide=2.0, curve=curve), "whole number")
    _said(capsys, ex.check(wide=wide, z_wide=pruned, kept_wide=2, curve=CURVE.x), "the chapter's curve")
