"""Chapter 6's exercises: least volume."""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd
import torch
from torch.nn.utils import parametrize

__all__ = [
    "SETTINGS", "EXERCISES", "check_ex6_sweep", "check_ex6_last_layer", "check_ex6_latent10", "CHECKS",
]

SETTINGS = [(1e-3, 0.01), (1e-1, 0.01), (0.01, 1e-3), (0.01, 1e-1)]  # (lambda, eta) of the sweep

EXERCISES = {
    "ex6-sweep": {
        "title": "Sweep lambda and eta",
        "starter": '''\
# Exercise: least volume on the curve at four settings, then check.
from aelab import exercises
ex = exercises.get("ex6-sweep")
sweep_rows = []
for lam, eta in [(1e-3, 0.01), (1e-1, 0.01), (0.01, 1e-3), (0.01, 1e-1)]:
    runtime.seed_everything(0)
    ...  # the least-volume model of this chapter, trained with lam and eta
    # (full=1500, quick=150 steps keep it short); append a dict with
    # "lambda", "eta", "reconstruction MSE" (end_value of its history)
    # and "dimensions kept" (metrics.least_volume_dimensions)
sweep = ...  # DataFrame of sweep_rows indexed by ["lambda", "eta"]
ex.check(sweep=sweep, curve=curve)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "Build models.MLPAutoencoder(3, 3, **ARCH, spectral_norm_decoder=True) and train it with "
                "train.least_volume_objective(lam, eta), lr=1e-3 and batch_size=FULL_BATCH, as above; "
                "pd.DataFrame(sweep_rows).set_index([\"lambda\", \"eta\"]) makes the table.",
        "correct": "λ = 0.1 outweighs the reconstruction and the decoder draws the curve's mean, while "
                   "λ = 0.001 reconstructs it; η's effect is within what one run can show.",
    },
    "ex6-last-layer": {
        "title": "Spectral norm on all layers but the last",
        "starter": '''\
# Exercise: free the decoder's last layer from spectral norm, then check.
from aelab import exercises
ex = exercises.get("ex6-last-layer")
runtime.seed_everything(0)
leaky = ...  # the least-volume model of this chapter, its decoder's last
#              layer freed (parametrize.remove_parametrizations)
...  # train it with LAM and ETA (full=3000, quick=200 steps)
z_leaky = ...  # its codes of curve.x
last_norm = ...  # the largest singular value of the last layer's weight
ex.check(leaky=leaky, last_norm=last_norm)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "Remove the parametrization before training, not after; the largest singular value of a "
                "matrix is its 2-norm (torch.linalg.matrix_norm with ord=2).",
        "correct": "the free last layer stretches by more than 1, so the codes may shrink by as much and "
                   "nothing in the loss stops them.",
    },
    "ex6-latent10": {
        "title": "A latent space of 10 for a curve",
        "starter": '''\
# Exercise: least volume on the curve from a 10-number code, then check.
from aelab import exercises
ex = exercises.get("ex6-latent10")
runtime.seed_everything(0)
wide = ...  # the least-volume model of this chapter with latent_dim=10
...  # train it with LAM and ETA (full=3000, quick=200 steps)
z_wide = ...  # its codes of curve.x
kept_wide = ...  # the dimensions it keeps: metrics.least_volume_dimensions
ex.check(wide=wide, z_wide=z_wide, kept_wide=kept_wide, curve=curve)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "models.MLPAutoencoder(3, 10, **ARCH, spectral_norm_decoder=True), trained with "
                "train.least_volume_objective(LAM, ETA); z_wide, _ = wide.encode_decode(curve.x).",
        "correct": "least volume drops some of its 10 dimensions; how many it keeps depends on the run's "
                   "length and on λ.",
    },
}


def _decoder_layers(model) -> list | None:
    net = getattr(getattr(model, "decoder", None), "net", None)
    if net is None:
        return None
    return [layer for layer in net if isinstance(layer, torch.nn.Linear)]


def check_ex6_sweep(sweep, curve) -> str | None:
    columns = ("reconstruction MSE", "dimensions kept")
    if not isinstance(sweep, pd.DataFrame) or any(c not in sweep for c in columns):
        return (f"sweep should be a DataFrame indexed by (lambda, eta) with the columns {list(columns)}, "
                f"got {type(sweep).__name__}.")
    x = getattr(curve, "x", None)
    if not isinstance(x, torch.Tensor):
        return f"curve should be the chapter's curve (data.curve), got {type(curve).__name__}."
    keys = {}
    for key in sweep.index:
        try:
            keys[tuple(round(float(v), 6) for v in key)] = key
        except (TypeError, ValueError):
            return f"sweep should be indexed by (lambda, eta) pairs of numbers, found {key!r}."
    missing = [s for s in SETTINGS if s not in keys]
    if missing:
        return f"sweep should have a row for each (lambda, eta) of {SETTINGS}; it lacks {missing}."
    rows = {}
    for setting in SETTINGS:
        mse, kept = sweep.loc[keys[setting], list(columns)]
        try:
            mse, kept = float(mse), float(kept)
        except (TypeError, ValueError):
            return f"the row {setting} should hold numbers."
        if not (math.isfinite(mse) and mse >= 0):
            return f"the reconstruction MSE at {setting} should be a number of at least 0, got {mse}."
        if not (kept == int(kept) and 0 <= kept <= 3):
            return f"the dimensions kept at {setting} should be a whole number from 0 to 3, got {kept:g}."
        rows[setting] = mse
    variance = float(x.var(0).mean())
    weak, strong = rows[(1e-3, 0.01)], rows[(1e-1, 0.01)]
    if not strong > 0.5 * variance:
        return (f"at λ = 0.1 the reconstruction MSE is {strong:.3f}, far below the curve's variance "
                f"({variance:.3f}): there the penalty should outweigh the reconstruction; check lam and eta.")
    if not weak < 0.2 * variance:
        return (f"at λ = 0.001 the reconstruction MSE is {weak:.3f}, not far below the curve's variance "
                f"({variance:.3f}): check that the model is trained, with spectral_norm_decoder=True.")
    return None


def check_ex6_last_layer(leaky, last_norm) -> str | None:
    layers = _decoder_layers(leaky)
    if not layers:
        return f"leaky should be the chapter's MLPAutoencoder, got {type(leaky).__name__}."
    if isinstance(last_norm, torch.Tensor) and last_norm.numel() == 1:
        last_norm = last_norm.item()
    if isinstance(last_norm, bool) or not isinstance(last_norm, numbers.Real) or not math.isfinite(last_norm):
        return f"last_norm should be a number, got {type(last_norm).__name__}."
    if parametrize.is_parametrized(layers[-1]):
        return ("the decoder's last layer still has spectral norm: call "
                "parametrize.remove_parametrizations(leaky.decoder.net[-1], \"weight\") before training.")
    if not all(parametrize.is_parametrized(layer) for layer in layers[:-1]):
        return ("only the last layer should be free: build leaky with spectral_norm_decoder=True and remove "
                "the parametrization of decoder.net[-1] alone.")
    weight = layers[-1].weight.detach()
    actual = torch.linalg.matrix_norm(weight.double(), ord=2).item()
    if not math.isclose(float(last_norm), actual, rel_tol=1e-3):
        return (f"last_norm ({float(last_norm):.3f}) is not the largest singular value of the last layer's "
                f"weight ({actual:.3f}): use torch.linalg.matrix_norm(weight, ord=2).")
    if not actual > 1.05:
        return (f"the free last layer's largest singular value is {actual:.3f}, not above 1.05 (the slack of "
                f"the chapter's normalized decoder): train leaky with train.least_volume_objective(LAM, ETA).")
    return None


def check_ex6_latent10(wide, z_wide, kept_wide, curve) -> str | None:
    layers = _decoder_layers(wide)
    if not layers:
        return f"wide should be the chapter's MLPAutoencoder, got {type(wide).__name__}."
    if not isinstance(z_wide, torch.Tensor) or z_wide.dim() != 2 or z_wide.shape[1] != 10:
        shape = tuple(z_wide.shape) if isinstance(z_wide, (torch.Tensor, np.ndarray)) else type(z_wide).__name__
        return f"z_wide should be the (n, 10) codes of curve.x, got {shape}."
    if isinstance(kept_wide, bool) or not isinstance(kept_wide, numbers.Integral):
        return f"kept_wide should be a whole number of dimensions, got {type(kept_wide).__name__}."
    if getattr(wide, "latent_dim", None) != 10:
        return f"wide should have a latent space of 10, not {getattr(wide, 'latent_dim', None)}."
    if not all(parametrize.is_parametrized(layer) for layer in layers):
        return "wide's decoder should be spectrally normalized: build it with spectral_norm_decoder=True."
    x = getattr(curve, "x", None)
    if not isinstance(x, torch.Tensor) or len(x) != len(z_wide):
        return "curve should be the chapter's curve, whose points z_wide encodes."
    from aelab import metrics

    was_training = wide.training
    wide.eval()  # spectral norm's estimate stays fixed, as encode_decode leaves it
    with torch.no_grad():
        counted = metrics.least_volume_dimensions(wide.decode, z_wide, x)
    wide.train(was_training)
    if int(kept_wide) != counted:
        return (f"kept_wide ({int(kept_wide)}) is not the count metrics.least_volume_dimensions gives for "
                f"wide's codes ({counted}).")
    if not 1 <= counted < 10:
        return (f"the model keeps {counted} of its 10 dimensions: least volume should drop some; train it with "
                f"train.least_volume_objective(LAM, ETA).")
    return None


CHECKS = {"ex6-sweep": check_ex6_sweep, "ex6-last-layer": check_ex6_last_layer,
          "ex6-latent10": check_ex6_latent10}
