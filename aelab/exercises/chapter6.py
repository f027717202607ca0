"""Chapter 6's exercises: least volume on the curve (a sweep of λ and η, a free last layer, a code of 10)."""

from __future__ import annotations

import math
import numbers

import pandas as pd
import torch
from torch.nn.utils import parametrize

from .. import data, losses, metrics, runtime
from ..comparisons import above, below
from ._base import Exercise, Problem, autoencoder, frame_problem

__all__ = ["EXERCISES"]

SETTINGS = [(1e-3, 0.01), (1e-1, 0.01), (0.01, 1e-3), (0.01, 1e-1)]  # (lambda, eta) of the sweep
LAM, ETA = 0.01, 0.01  # the chapter's setting
# How far a model's reconstruction MSE (and its codes' volume) may sit outside the range its history's last
# tenth of steps spans: a full-batch loss jumps from step to step, by a factor of 20 at times late in a run.
SAME_RUN = 3.0


def _curve():
    """The chapter's curve, from the same seed: 100 points, noise 0.01."""
    return data.curve(n=100, noise=0.01, seed=runtime.seed(0))


def _setting(lam, eta) -> str:
    return f"λ = {lam:g}, η = {eta:g}"


def _decoder_layers(name: str, model, latent_dim: int) -> list:
    """The linear layers of the decoder of ``model``, the chapter's MLPAutoencoder; else a :class:`Problem`."""
    autoencoder(name, model, latent_dim)
    net = getattr(getattr(model, "decoder", None), "net", None)
    layers = [layer for layer in net if isinstance(layer, torch.nn.Linear)] if net is not None else []
    if not layers or not hasattr(model, "encode_decode"):
        raise Problem(f"{name} should be the chapter's models.MLPAutoencoder, got {type(model).__name__}.")
    return layers


def _all_normalized(name: str, model, latent_dim: int) -> None:
    if not all(parametrize.is_parametrized(layer) for layer in _decoder_layers(name, model, latent_dim)):
        raise Problem(f"{name}'s decoder should be spectrally normalized on every layer: build it with "
                      f"spectral_norm_decoder=True.")


def _trained(name: str, model, history, curve, *, lam: float, eta: float, steps: int) -> torch.Tensor:
    """The codes of ``curve.x`` under ``model``, once its ``history`` shows it trained as asked.

    The history must be a least-volume run (it logs train_recon and
    train_volume) of ``steps`` full-batch steps whose λ, read back from its
    columns (loss = recon + λ·volume), is ``lam``; and the model's MSE and
    volume (with ``eta``) must lie near the range of its history's last tenth.
    """
    if not isinstance(history, pd.DataFrame) or not {"train_loss", "train_recon", "train_volume"} <= set(history):
        raise Problem(f"{name}'s history should be the DataFrame train.fit returns with "
                      f"train.least_volume_objective (it logs train_recon and train_volume), "
                      f"got {type(history).__name__}.")
    if len(history) != steps:
        raise Problem(f"train {name} for {steps} full-batch steps (epochs={steps}, batch_size=FULL_BATCH), "
                      f"not {len(history)}.")
    penalty = (history["train_loss"] - history["train_recon"]) / history["train_volume"]
    trained_lam = float(penalty.median())
    if not math.isclose(trained_lam, lam, rel_tol=1e-2, abs_tol=1e-6):
        raise Problem(f"{name}'s history was trained with λ = {trained_lam:.3g} (its train_loss minus "
                      f"train_recon, over train_volume); the exercise asks for λ = {lam:g}.")
    z, x_hat = model.encode_decode(curve.x)  # eval mode, as the chapter reads its models
    tail = history.iloc[-max(len(history) // 10, 1):]
    mse = float(((x_hat - curve.x) ** 2).mean())
    low, high = float(tail["train_recon"].min()), float(tail["train_recon"].max())
    if not low / SAME_RUN <= mse <= high * SAME_RUN:
        raise Problem(f"{name}'s history ends at a reconstruction MSE between {low:.3g} and {high:.3g}, but the "
                      f"model gives {mse:.3g} on the curve: pass the model and the history train.fit returned "
                      f"for it.")
    volume = float(losses.volume_penalty(z, eta))
    low, high = float(tail["train_volume"].min()), float(tail["train_volume"].max())
    if not low / SAME_RUN <= volume <= high * SAME_RUN:
        raise Problem(f"{name}'s codes have a volume of {volume:.3g} with η = {eta:g}, but its history ends "
                      f"between {low:.3g} and {high:.3g}: train it with train.least_volume_objective({lam:g}, "
                      f"{eta:g}) and pass the history train.fit returned for it.")
    return z


def _number(name: str, value) -> float:
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise Problem(f"{name} should be a number, got {type(value).__name__}.")
    return float(value)


# --------------------------------------------------------------------------- ex6-sweep


def _measure_sweep(sweep, sweep_runs) -> dict:
    """Each setting's end MSE, recomputed from its history, once every model is shown trained as asked."""
    problem = frame_problem("sweep", sweep, ["reconstruction MSE", "dimensions kept"])
    if problem:
        raise Problem(problem)
    rows = {}
    for key in sweep.index:
        try:
            rows[tuple(round(float(v), 6) for v in key)] = key
        except (TypeError, ValueError):
            raise Problem(f"sweep should be indexed by (lambda, eta) pairs of numbers, found {key!r}.") from None
    if not isinstance(sweep_runs, dict):
        raise Problem(f"sweep_runs should be the dict of (model, history) by (lam, eta) that the loop "
                      f"fills, got {type(sweep_runs).__name__}.")
    runs = {}
    for key, run in sweep_runs.items():
        try:
            runs[tuple(round(float(v), 6) for v in key)] = run
        except (TypeError, ValueError):
            raise Problem(f"sweep_runs should be keyed by (lam, eta) pairs of numbers, found {key!r}.") from None
    missing = [s for s in SETTINGS if s not in rows or s not in runs]
    if missing:
        raise Problem(f"sweep and sweep_runs should each have the settings (lambda, eta) {SETTINGS}; "
                      f"they lack {missing}.")
    curve, steps = _curve(), runtime.budget(full=1500, quick=150)
    mse = {}
    for lam, eta in SETTINGS:
        run = runs[(lam, eta)]
        if not (isinstance(run, tuple) and len(run) == 2):
            raise Problem(f"sweep_runs[({lam:g}, {eta:g})] should be the pair (model, history), "
                          f"got {type(run).__name__}.")
        model, history = run
        name = f"the model at {_setting(lam, eta)}"
        _all_normalized(name, model, 3)
        z = _trained(name, model, history, curve, lam=lam, eta=eta, steps=steps)
        end = metrics.end_value(history, "train_recon", last=len(history) // 10)
        given = _number(f"the reconstruction MSE at {_setting(lam, eta)}", sweep.loc[rows[(lam, eta)],
                                                                                     "reconstruction MSE"])
        if not math.isclose(given, end, rel_tol=1e-5):
            penalized = metrics.end_value(history, "train_loss", last=len(history) // 10)
            what = (" (the end of train_loss, which adds λ times the volume)"
                    if math.isclose(given, penalized, rel_tol=1e-5) else "")
            raise Problem(f"the table's reconstruction MSE at {_setting(lam, eta)} is {given:.4g}{what}; "
                          f"its history's MSE alone ends at {end:.4g} (end_mse(history), on train_recon).")
        kept = metrics.least_volume_dimensions(model.decode, z, curve.x)
        given = _number(f"the dimensions kept at {_setting(lam, eta)}",
                        sweep.loc[rows[(lam, eta)], "dimensions kept"])
        if given != kept:
            raise Problem(f"the table's dimensions kept at {_setting(lam, eta)} is {given:g}; its model "
                          f"keeps {kept} (metrics.least_volume_dimensions of its codes of curve.x).")
        mse[(lam, eta)] = end
    variance = float(curve.x.var(0).mean())
    return {"weak": mse[(1e-3, 0.01)] / variance, "strong": mse[(1e-1, 0.01)] / variance}


def _rule_sweep(weak: float, strong: float) -> list:
    """λ = 0.001 reconstructs the curve; λ = 0.1 outweighs the reconstruction (the claim sweep-lambda-tradeoff)."""
    return [below("MSE at λ = 0.001 / the curve's variance", weak, 0.2, log=True),
            above("MSE at λ = 0.1 / the curve's variance", strong, 0.5, log=True)]


# --------------------------------------------------------------------------- ex6-last-layer


def _measure_last_layer(leaky, leaky_history, last_norm) -> dict:
    """The free last layer's largest singular value, recomputed, once leaky is built and trained as asked."""
    layers = _decoder_layers("leaky", leaky, 3)
    if parametrize.is_parametrized(layers[-1]):
        raise Problem("the decoder's last layer still has spectral norm: call "
                      "parametrize.remove_parametrizations(leaky.decoder.net[-1], \"weight\") before training.")
    if not all(parametrize.is_parametrized(layer) for layer in layers[:-1]):
        raise Problem("only the last layer should be free: build leaky with spectral_norm_decoder=True and "
                      "remove the parametrization of decoder.net[-1] alone.")
    _trained("leaky", leaky, leaky_history, _curve(), lam=LAM, eta=ETA, steps=runtime.budget(full=3000, quick=200))
    given = _number("last_norm", last_norm)
    actual = torch.linalg.matrix_norm(layers[-1].weight.detach().double(), ord=2).item()
    if not math.isclose(given, actual, rel_tol=1e-3):
        raise Problem(f"last_norm ({given:.3f}) is not the largest singular value of leaky's last layer's "
                      f"weight ({actual:.3f}): use torch.linalg.matrix_norm(weight, ord=2).")
    return {"last_norm": actual}


def _rule_last_layer(last_norm: float) -> list:
    """The free last layer stretches by more than a normalized one may (the claim free-last-layer-stretches)."""
    return [above("free last layer's largest singular value", last_norm, 1.05, log=True)]


# --------------------------------------------------------------------------- ex6-latent10


def _measure_latent10(wide, wide_history, kept_wide) -> dict:
    """The dimensions wide keeps, recounted from its own codes, once it is built and trained as asked."""
    _all_normalized("wide", wide, 10)
    curve = _curve()
    z = _trained("wide", wide, wide_history, curve, lam=LAM, eta=ETA, steps=runtime.budget(full=3000, quick=200))
    if isinstance(kept_wide, bool) or not isinstance(kept_wide, numbers.Integral):
        raise Problem(f"kept_wide should be a whole number of dimensions, got {type(kept_wide).__name__}.")
    counted = metrics.least_volume_dimensions(wide.decode, z, curve.x)
    if int(kept_wide) != counted:
        raise Problem(f"kept_wide ({int(kept_wide)}) is not the count metrics.least_volume_dimensions gives "
                      f"for wide's codes of curve.x ({counted}).")
    return {"kept": counted}


def _rule_latent10(kept: int) -> list:
    """Least volume drops some of the 10 dimensions and keeps at least one (the claim wide-drops-some)."""
    return [below("dimensions kept, of 10", kept, 9.5), above("dimensions kept", kept, 0.5)]


EXERCISES = [
    Exercise(
        "ex6-sweep", "Sweep lambda and eta",
        starter='''\
# Exercise: least volume on the curve at four settings, then check.
from aelab import exercises
ex = exercises.get("ex6-sweep")
sweep_runs, sweep_rows = {}, []
for lam, eta in [(1e-3, 0.01), (1e-1, 0.01), (0.01, 1e-3), (0.01, 1e-1)]:
    runtime.seed_everything(0)
    ...  # the least-volume model of this chapter, trained with lam and eta
    # for runtime.budget(full=1500, quick=150) steps; keep (model, history)
    # in sweep_runs[(lam, eta)], and append a dict with "lambda", "eta",
    # "reconstruction MSE" (end_mse(history): the MSE alone, not the
    # train_loss that adds the penalty) and "dimensions kept"
    # (metrics.least_volume_dimensions)
sweep = ...  # DataFrame of sweep_rows indexed by ["lambda", "eta"]
ex.check(sweep=sweep, sweep_runs=sweep_runs)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="Build models.MLPAutoencoder(3, 3, **ARCH, spectral_norm_decoder=True) and train it with "
             "train.least_volume_objective(lam, eta), lr=1e-3 and batch_size=FULL_BATCH, as above; "
             "z, _ = model.encode_decode(curve.x) gives the codes to count; "
             "pd.DataFrame(sweep_rows).set_index([\"lambda\", \"eta\"]) makes the table.",
        passed="λ = 0.001 reconstructs the curve (MSE below a fifth of its variance), while at λ = 0.1 the "
               "penalty outweighs the reconstruction (MSE above half the variance): the decoder draws the "
               "curve's mean.",
        measure=_measure_sweep, rule=_rule_sweep,
    ),
    Exercise(
        "ex6-last-layer", "Spectral norm on all layers but the last",
        starter='''\
# Exercise: free the decoder's last layer from spectral norm, then check.
from aelab import exercises
ex = exercises.get("ex6-last-layer")
runtime.seed_everything(0)
leaky = ...  # the least-volume model of this chapter, its decoder's last
#              layer freed (parametrize.remove_parametrizations)
leaky_history = ...  # train it with LAM and ETA (full=3000, quick=200)
z_leaky = ...  # its codes of curve.x
last_norm = ...  # the largest singular value of the last layer's weight
ex.check(leaky=leaky, leaky_history=leaky_history, last_norm=last_norm)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="Remove the parametrization before training, not after; train with "
             "train.least_volume_objective(LAM, ETA), lr=1e-3 and batch_size=FULL_BATCH; the largest "
             "singular value of a matrix is its 2-norm (torch.linalg.matrix_norm with ord=2).",
        passed="the free last layer stretches by more than a normalized layer may, so the codes may shrink "
               "by as much and nothing in the loss stops them.",
        measure=_measure_last_layer, rule=_rule_last_layer, condition="full profile",
        quick="leaky is built and trained as asked (its last layer free, every other normalized, LAM and "
              "ETA for 200 steps) and last_norm is its last layer's largest singular value; after the "
              "quick profile's 200 steps the free layer has barely grown from the 1 it started at, so "
              "whether it ends above 1.05 is checked in the full profile only (run the chapter without "
              "AELAB_QUICK).",
    ),
    Exercise(
        "ex6-latent10", "A latent space of 10 for a curve",
        starter='''\
# Exercise: least volume on the curve from a 10-number code, then check.
from aelab import exercises
ex = exercises.get("ex6-latent10")
runtime.seed_everything(0)
wide = ...  # the least-volume model of this chapter with latent_dim=10
wide_history = ...  # train it with LAM and ETA (full=3000, quick=200)
z_wide = ...  # its codes of curve.x
kept_wide = ...  # the dimensions it keeps: metrics.least_volume_dimensions
ex.check(wide=wide, wide_history=wide_history, kept_wide=kept_wide)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="models.MLPAutoencoder(3, 10, **ARCH, spectral_norm_decoder=True), trained with "
             "train.least_volume_objective(LAM, ETA), lr=1e-3 and batch_size=FULL_BATCH; "
             "z_wide, _ = wide.encode_decode(curve.x).",
        passed="least volume drops some of its 10 dimensions and keeps at least one; how many it keeps "
               "depends on the run's length and on λ.",
        measure=_measure_latent10, rule=_rule_latent10,
    ),
]
