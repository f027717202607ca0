"""What chapter 2's exercise checks share: the chapter's curve, its settings, and the fitted estimators, checked."""

from __future__ import annotations

import numpy as np

from .. import data, metrics, runtime
from ..estimators import AutoencoderEstimator
from ._base import SAME_MODEL, Problem


HIDDEN = (32, 32)  # the chapter's hidden widths
LAST = 100  # the chapter's end of training: the median of this many last epochs


def _epochs() -> int:
    """The chapter's EPOCHS, in the profile that runs."""
    return runtime.budget(full=2000, quick=300)


def _curve() -> np.ndarray:
    """(100, 3): the chapter's X, the same seeded points."""
    return runtime.to_numpy(data.curve(n=100, noise=0.01, seed=runtime.seed(0)).x)


def _pca_errors(X: np.ndarray) -> dict:
    """k -> PCA's MSE with k components on X."""
    return dict(zip((1, 2, 3), metrics.pca_reconstruction_errors(X, X)[1:]))


def _estimator_error(name: str, est, X, *, n_components: int, hidden, activation, latent_l1=0.0) -> float:
    """``est``'s MSE on the curve, recomputed, once it is shown fitted to X as the exercise asks."""
    if not isinstance(est, AutoencoderEstimator) or not hasattr(est, "model_"):
        raise Problem(f"{name} should be an estimators.AutoencoderEstimator fitted to X, got {type(est).__name__}.")
    asked = {"n_components": n_components, "hidden": tuple(hidden), "activation": activation,
             "latent_l1": latent_l1, "epochs": _epochs()}
    given = {"n_components": est.n_components, "hidden": tuple(est.hidden), "activation": est.activation,
             "latent_l1": est.latent_l1, "epochs": est.epochs}
    for key, value in asked.items():
        if given[key] != value:
            raise Problem(f"{name} was fitted with {key}={given[key]!r}; the exercise asks for {key}={value!r}"
                          + (" (the chapter's EPOCHS)." if key == "epochs" else "."))
    if len(est.history_) != est.epochs:
        raise Problem(f"{name} stopped after {len(est.history_)} of its {est.epochs} epochs (its loss diverged): "
                      f"fit it again with the settings above.")
    error = float(metrics.reconstruction_error(X, est.inverse_transform(est.transform(X))).mean())
    if not abs(error - est.reconstruction_error_) <= SAME_MODEL * max(error, 1e-12):
        raise Problem(f"{name} was fitted to other data: its error on the chapter's X is {error:.4g}, on the data "
                      f"it was fitted to {est.reconstruction_error_:.4g}; fit it to X.")
    return error


def _agrees(mine: float, given: float, relative: float = SAME_MODEL, absolute: float = 1e-6) -> bool:
    return abs(float(given) - mine) <= relative * abs(mine) + absolute


def _fitted_ae(fitted, k: int, seed, X) -> AutoencoderEstimator:
    """The chapter's fitted[("autoencoder", k, seed)], checked."""
    if not isinstance(fitted, dict):
        raise Problem(f"fitted should be the chapter's dict of fitted methods, got {type(fitted).__name__}.")
    key = ("autoencoder", k, seed)
    if key not in fitted:
        raise Problem(f"fitted has no entry {key!r}: pass the dict the chapter's loop over k and seeds filled.")
    _estimator_error(f"fitted[{key!r}]", fitted[key], X, n_components=k, hidden=HIDDEN, activation="tanh")
    return fitted[key]


def _seeds(seeds, least: int) -> list:
    if not isinstance(seeds, (list, tuple)) or len(set(seeds)) < least:
        raise Problem(f"seeds should be the chapter's list of {least} or more distinct seeds, got {seeds!r}.")
    return list(seeds)
