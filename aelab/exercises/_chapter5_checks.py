"""The measures and rules behind chapter 5's exercises, scored again from the objects passed."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import torch

from .. import losses, metrics
from ..comparisons import above, below
from ._base import SAME_MODEL, Problem, autoencoder, history_problem


SCORES = ("disentanglement", "completeness", "informativeness")
# How far a typed score may sit from what metrics.dci gives on the same code: the same trees refitted on
# the same rows agree to rounding; another code, regressor or number of trees does not.
SAME_SCORE = 0.02
BETAS = (1.0, 2.0, 4.0, 8.0)
WIDTH = 8  # the chapter's codes have 8 numbers


def _score_value(name: str, value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Problem(f"{name} should be a number, got {type(value).__name__}.") from None
    if not math.isfinite(number):
        raise Problem(f"{name} is {number}; fill in every score.")
    return number


def _shapes(shapes):
    if not all(hasattr(shapes, k) for k in ("x_train", "x_test", "y_test")):
        raise Problem(f"shapes should be the data set of section 5 (data.shapes(...)), got {type(shapes).__name__}.")
    return shapes


def _trees(n_trees) -> int:
    if isinstance(n_trees, bool) or not isinstance(n_trees, (int, np.integer)) or n_trees < 1:
        raise Problem(f"n_trees should be the number of trees of section 6 (n_trees), got {n_trees!r}.")
    return int(n_trees)


def _same_scores(what: str, given: dict, found: dict, source: str) -> None:
    """A :class:`Problem` when a score the student typed is not what ``source`` gives."""
    for score in SCORES:
        mine = _score_value(f"{what}'s {score}", given[score])
        if abs(mine - found[score]) > SAME_SCORE:
            raise Problem(f"{what}'s {score} is {mine:.3g}, but {source} gives {found[score]:.3g}: "
                          f"compute each score from the objects you pass.")


def _table_row(name: str, table, row, columns) -> dict:
    if not isinstance(table, pd.DataFrame):
        raise Problem(f"{name} should be a pandas DataFrame, got {type(table).__name__}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise Problem(f"{name} lacks the column(s) {missing}; it has {list(table.columns)}.")
    if row not in table.index:
        raise Problem(f"{name} has no row {row!r}; its rows are {list(table.index)}.")
    return {c: table.loc[row, c] for c in columns}


# --------------------------------------------------------------------------- ex5-beta


def _beta_of(history: pd.DataFrame) -> float | None:
    """The β a VAE's history was trained with: its test loss is recon + β · KL, row by row."""
    row = history.loc[history["test_kl"].idxmax()]  # the row whose KL term is largest says it most precisely
    if not row["test_kl"] > 1e-6:
        return None
    return float((row["test_loss"] - row["test_recon"]) / row["test_kl"])


def _measure_beta(vaes, fits, by_beta, shapes, n_trees) -> dict:
    """β = 1 and 8's active dimensions and informativeness, once every row is shown to be its own VAE's."""
    shapes, n_trees = _shapes(shapes), _trees(n_trees)
    for name, value in (("vaes", vaes), ("fits", fits)):
        if not isinstance(value, dict) or any(b not in value for b in BETAS):
            raise Problem(f"{name} should be a dict with the keys {list(BETAS)} (β = 1 and 4 from section 6, "
                          f"2 and 8 yours), got {type(value).__name__}"
                          + (f" with the keys {list(value)}" if isinstance(value, dict) else "") + ".")
    epochs = None
    numbers = {}
    for beta in BETAS:
        model = autoencoder(f"vaes[{beta}]", vaes[beta], latent_dim=WIDTH)
        if not hasattr(model, "encode_dist"):
            raise Problem(f"vaes[{beta}] should be a models.VAE, got {type(model).__name__}.")
        history = fits[beta]
        problem = history_problem(f"fits[{beta}]", history)
        if problem or "test_kl" not in history or "test_recon" not in history:
            raise Problem(problem or f"fits[{beta}] should be the history train.fit returns for a VAE, with "
                                     f"train.vae_objective and test=...; it has no test_kl column.")
        if epochs is None:
            epochs = len(history)
        elif len(history) != epochs:
            raise Problem(f"fits[{beta}] has {len(history)} epoch{'s' * (len(history) != 1)}, but the β = 1 VAE "
                          f"of section 6 trained for {epochs}: train with the same **fit_args.")
        found = _beta_of(history)
        if found is not None and abs(found - beta) > 0.05 * beta:
            raise Problem(f"fits[{beta}] was trained with β = {found:.3g}, not {beta:g}: "
                          f"train.vae_objective(beta={beta}, kind=\"bce\").")
        model.eval()
        with torch.no_grad():
            mu, logvar = model.encode_dist(shapes.x_test)
            kl = float(losses.kl_divergence(mu, logvar).mean())  # no sampling: the same as fit's test_kl
        given = float(history["test_kl"].iloc[-1])
        if not abs(given - kl) <= SAME_MODEL * max(abs(kl), 1e-3):
            raise Problem(f"the last test_kl of fits[{beta}] is {given:.4g}, but the model vaes[{beta}] gives "
                          f"{kl:.4g} on shapes.x_test: pass each VAE with the history train.fit returned for it.")
        z = mu.cpu().numpy()  # the posterior mean: what model.encode returns
        row = f"β = {beta:g}"
        typed = _table_row("by_beta", by_beta, row, (*SCORES, "active dimensions"))
        active = metrics.active_dimensions(z, relative=True)
        if _score_value(f"by_beta's active dimensions of {row!r}", typed["active dimensions"]) != active:
            raise Problem(f"by_beta counts {typed['active dimensions']} active dimensions for {row}, but "
                          f"vaes[{beta}] has {active} (metrics.active_dimensions(z, relative=True)).")
        scores = metrics.dci(z, shapes.y_test.cpu().numpy(), n_estimators=n_trees)
        _same_scores(f"by_beta's {row!r}", typed, scores,
                     f"metrics.dci of vaes[{beta}]'s codes with n_estimators={n_trees}")
        numbers[beta] = (active, scores["informativeness"])
    return {"active8": numbers[8.0][0], "info8": numbers[8.0][1], "info1": numbers[1.0][1]}


def _rule_beta(active8: float, info8: float, info1: float) -> list:
    """At β = 8 more than half the 8 dimensions switch off, and informativeness falls below β = 1's (beta-8)."""
    return [below("active dimensions at β = 8", active8, 5),
            below("I at β = 8", info8, info1)]


# --------------------------------------------------------------------------- ex5-regressor


def _measure_regressor(regressors, ae, shapes, n_trees) -> dict:
    """The autoencoder's informativeness with the lasso and with boosted trees, recomputed from its code."""
    shapes, n_trees = _shapes(shapes), _trees(n_trees)
    names, methods = ("true factors", "autoencoder", "VAE (β = 1)"), ("gbt", "lasso", "forest")
    rows = {(c, m): _table_row("regressors", regressors, (c, m), SCORES) for c in names for m in methods}
    for code in names[1:]:
        found = {tuple(_score_value("a score", rows[(code, m)][s]) for s in SCORES) for m in methods}
        if len(found) < len(methods):
            raise Problem(f"two regressors give the {code} exactly the same scores: pass method=method to "
                          f"metrics.dci for each row.")
    ae = autoencoder("ae", ae, latent_dim=WIDTH)
    ae.eval()
    with torch.no_grad():
        z = ae.encode(shapes.x_test)
        error = float(metrics.reconstruction_error(shapes.x_test, ae.decode(z).view_as(shapes.x_test)).mean())
    floor = metrics.mean_image_error(shapes.x_train, shapes.x_test)
    if not error < floor:
        raise Problem(f"ae's test MSE ({error:.4g}) is no better than drawing the mean image ({floor:.4g}): pass "
                      f"the autoencoder trained in section 6.")
    z, factors = z.cpu().numpy(), shapes.y_test.cpu().numpy()
    found = {}
    for m in ("gbt", "lasso"):
        found[m] = metrics.dci(z, factors, method=m, n_estimators=n_trees)
        _same_scores(f"regressors' ('autoencoder', {m!r})", rows[("autoencoder", m)], found[m],
                     f"metrics.dci of ae's codes with method={m!r}, n_estimators={n_trees}")
    return {"lasso": found["lasso"]["informativeness"], "gbt": found["gbt"]["informativeness"]}


def _rule_regressor(lasso: float, gbt: float) -> list:
    """On the autoencoder's code the lasso predicts the factors worse than boosted trees (lasso-misses-curves)."""
    return [below("autoencoder's I, lasso", lasso, gbt)]


# --------------------------------------------------------------------------- ex5-rotation

ROTATED = ("true factors", "x-y plane turned 45°", "random rotation")


def _matrix(name: str, standard: np.ndarray, z) -> np.ndarray:
    """The 5 x 5 matrix M with ``z = standard @ M``, once it is shown to be a rotation."""
    z = np.asarray(z, dtype=np.float64)
    if z.shape != standard.shape:
        raise Problem(f"rotated[{name!r}] should have the shape of the true factors, {standard.shape}, got "
                      f"{z.shape}: the codes are rows, so rotate with standard @ matrix.")
    m = np.linalg.lstsq(standard, z, rcond=None)[0]
    if np.abs(standard @ m - z).max() > 1e-6 * max(1.0, np.abs(z).max()):
        raise Problem(f"rotated[{name!r}] is not the standardized true factors times a matrix: turn "
                      f"standard with standard @ matrix.")
    if np.abs(m.T @ m - np.eye(len(m))).max() > 1e-6:
        raise Problem(f"the matrix of rotated[{name!r}] is not a rotation: its columns are not orthonormal, so "
                      f"it stretches the code as well as turning it.")
    return m


def _measure_rotation(rotated, rotation_scores, n_trees) -> dict:
    """D and I of each rotated code, recomputed, once each rotation is shown to be the one asked for."""
    n_trees = _trees(n_trees)
    for name, value in (("rotated", rotated), ("rotation_scores", rotation_scores)):
        if not isinstance(value, dict) or any(n not in value for n in ROTATED):
            raise Problem(f"{name} should be a dict with the keys {list(ROTATED)}, got {type(value).__name__}"
                          + (f" with the keys {list(value)}" if isinstance(value, dict) else "") + ".")
    standard = np.asarray(rotated["true factors"], dtype=np.float64)
    if standard.ndim != 2 or standard.shape[1] != 5:
        raise Problem(f"rotated['true factors'] should be the (n, 5) standardized true factors, `standard`, got "
                      f"shape {standard.shape}.")
    if np.abs(standard.mean(0)).max() > 1e-3 or np.abs(standard.std(0) - 1).max() > 1e-3:
        raise Problem("rotated['true factors'] is not standardized (each column mean 0, standard deviation 1): "
                      "rotate `standard`, not the raw factors, whose scales differ.")
    turn = _matrix("x-y plane turned 45°", standard, rotated["x-y plane turned 45°"])
    if np.abs(turn[2:, 2:] - np.eye(3)).max() > 1e-6 or np.abs(turn[:2, 2:]).max() > 1e-6 \
            or np.abs(turn[2:, :2]).max() > 1e-6:
        raise Problem("the x-y turn moves more than x and y: leave the other three factors as they are "
                      "(the bottom-right 3 x 3 of np.eye(5)).")
    angle = abs(math.degrees(math.atan2(turn[1, 0], turn[0, 0])))
    if abs(angle - 45) > 0.5:
        raise Problem(f"the x-y turn turns the plane by {angle:.3g}°, not 45°.")
    spin = _matrix("random rotation", standard, rotated["random rotation"])
    if np.abs(spin).max() > 0.999:  # some factor stays on one axis
        raise Problem("rotated['random rotation'] leaves a factor on an axis of its own: turn standard by "
                      "`rotation`, the random rotation of section 6.")
    found = {}
    for name in ROTATED:
        given = rotation_scores[name]
        if not isinstance(given, dict) or any(s not in given for s in SCORES):
            raise Problem(f"rotation_scores[{name!r}] should be the dict metrics.dci returns, with {list(SCORES)}.")
        found[name] = metrics.dci(rotated[name], standard, n_estimators=n_trees)
        _same_scores(f"rotation_scores[{name!r}]", given, found[name],
                     f"metrics.dci of rotated[{name!r}] with n_estimators={n_trees}")
    truth, turned, spun = (found[n] for n in ROTATED)
    return {"truth_d": truth["disentanglement"], "turned_d": turned["disentanglement"],
            "turned_i": turned["informativeness"], "random_d": spun["disentanglement"],
            "random_i": spun["informativeness"]}


def _rule_rotation(truth_d: float, turned_d: float, turned_i: float, random_d: float, random_i: float) -> list:
    """A random rotation lowers D more than the x-y turn, which lowers it too; both keep I (rotations-order)."""
    return [below("random rotation's D", random_d, turned_d),
            below("x-y turned D", turned_d, truth_d),
            above("x-y turned I", turned_i, 0.7),
            above("random rotation's I", random_i, 0.7)]
