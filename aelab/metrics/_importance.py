"""The importance matrix of the DCI metric: one predictor per factor, fitted
on the codes, and how much each code counts in each predictor.

Eastwood, C. and Williams, C. K. I. (2018). A framework for the quantitative
evaluation of disentangled representations. ICLR.

Also the checks of codes and factors, and the predictors themselves, which
:func:`aelab.metrics.dci` reuses for informativeness. Codes are (n_samples,
n_codes), factors (n_samples, n_factors): one row per sample, as everywhere
in aelab.

Private: :func:`aelab.metrics.dci` is what chapter 5 calls.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _arg_checks, _array_checks

IMPORTANCE_METHODS = ("gbt", "lasso", "forest")


def _check_codes_factors(codes, factors, where: str = "") -> tuple[np.ndarray, np.ndarray]:
    codes = _array_checks.matrix("codes", codes, "codes", vector=True).astype(np.float64)  # (n_samples, n_codes)
    factors = _array_checks.matrix("factors", factors, "factors", vector=True).astype(np.float64)  # (n_samples, n_factors)
    if len(codes) != len(factors):
        raise ValueError(
            f"codes{where} have {len(codes)} rows but factors{where} have {len(factors)}; "
            f"row i of both must describe the same sample."
        )
    if len(codes) < 10:
        raise ValueError(f"DCI needs at least 10 samples{where}, got {len(codes)}.")
    for j in range(factors.shape[1]):
        values = np.unique(factors[:, j])
        if len(values) < 2:
            raise ValueError(
                f"factor {j} takes a single value ({values[0]:g}){where}: nothing can predict it "
                f"and its completeness is undefined; drop it."
            )
    return codes, factors


def _discrete_flags(discrete, n_factors: int) -> list[bool]:
    if isinstance(discrete, (bool, np.bool_)):
        return [bool(discrete)] * n_factors
    flags = [bool(d) for d in discrete]
    if len(flags) != n_factors:
        raise ValueError(f"discrete must be one bool or one per factor ({n_factors}), got {len(flags)}.")
    return flags


def _check_discrete(factors: np.ndarray, flags: list[bool], where: str = "") -> None:
    # a classifier takes class labels; scikit-learn's refusal of others ("Unknown label type") names no factor
    for j in np.flatnonzero(flags):
        y = factors[:, j]
        fractional = y[y != np.round(y)]
        if len(fractional):
            raise ValueError(
                f"factor {j} is marked discrete but holds values that are not whole numbers, such as "
                f"{fractional[0]:g}{where}: a discrete factor holds class labels; for a continuous one pass "
                f"discrete=False, or one bool per factor with False for factor {j}."
            )


def _predictor(method: str, discrete: bool, n_estimators: int, alpha: float | None, seed: int):
    # Imported here: scikit-learn is only needed once a DCI score is asked for.
    from sklearn import ensemble, linear_model

    if method == "gbt":
        cls = ensemble.GradientBoostingClassifier if discrete else ensemble.GradientBoostingRegressor
        return cls(n_estimators=n_estimators, max_depth=3, random_state=seed)
    if method == "forest":
        cls = ensemble.RandomForestClassifier if discrete else ensemble.RandomForestRegressor
        return cls(n_estimators=n_estimators, min_samples_leaf=2, random_state=seed, n_jobs=-1)
    # lasso: an L1-penalised linear model on standardised codes, as in the paper
    if discrete:
        c = 1.0 if alpha is None else 1.0 / alpha
        return linear_model.LogisticRegression(penalty="l1", C=c, solver="saga", max_iter=2000, random_state=seed)
    if alpha is None:  # the penalty chosen by cross-validation
        return linear_model.LassoCV(cv=5, max_iter=5000, random_state=seed)
    return linear_model.Lasso(alpha=alpha, random_state=seed)


def _importances(method: str, model, n_codes: int) -> np.ndarray:
    if method == "lasso":
        coef = np.abs(np.atleast_2d(model.coef_))  # (1 or n_classes, n_codes)
        return coef.mean(axis=0)
    # Impurity importances sum to 1 but can come back as tiny negatives (-1e-17) from
    # rounding; the reference implementations take the absolute value, and so do we.
    return np.abs(np.asarray(model.feature_importances_, dtype=np.float64))


class _Standardizer:
    """Zero mean, unit variance per column, with the statistics of the training rows."""

    def __init__(self, a: np.ndarray):
        self.mean, self.std = a.mean(0), a.std(0)
        self.std[self.std == 0] = 1.0  # a constant code stays constant (and unimportant)

    def __call__(self, a: np.ndarray) -> np.ndarray:
        return (a - self.mean) / self.std


def _fit_factors(codes, factors, method, discrete, n_estimators, alpha, seed):
    """One predictor per factor, fitted on standardised data.

    Returns:
        ``(R, predictors, scale_x, y_scales, flags)``: the normalised importance
        matrix (n_codes, n_factors); the fitted predictors, one per factor; the
        codes' standardiser; each factor's standardiser (None for a discrete
        factor); and the per-factor ``discrete`` flags.
    """
    if method not in IMPORTANCE_METHODS:
        raise ValueError(f"unknown importance method {method!r}; use one of {', '.join(IMPORTANCE_METHODS)}.")
    if not _arg_checks.is_int(n_estimators) or n_estimators < 1:
        raise ValueError(f"n_estimators must be a positive integer, got {n_estimators!r}.")
    flags = _discrete_flags(discrete, factors.shape[1])
    _check_discrete(factors, flags)
    scale_x = _Standardizer(codes)
    x = scale_x(codes)
    y_scales, predictors = [], []
    R = np.zeros((codes.shape[1], factors.shape[1]))
    for j, is_discrete in enumerate(flags):
        y = factors[:, j]
        y_scale = None if is_discrete else _Standardizer(y[:, None])
        target = y if is_discrete else y_scale(y[:, None])[:, 0]
        with warnings.catch_warnings():
            # LassoCV tries penalties down to tiny ones, where coordinate descent converges
            # slowly; those candidates lose the cross-validation anyway.
            warnings.filterwarnings("ignore", message="Objective did not converge")
            model = _predictor(method, is_discrete, int(n_estimators), alpha, seed).fit(x, target)
        R[:, j] = _importances(method, model, codes.shape[1])
        y_scales.append(y_scale)
        predictors.append(model)
    total = R.sum(axis=0, keepdims=True)
    # Each factor's importances sum to 1, so every factor weighs the same in D's code weights.
    R = np.divide(R, total, out=np.zeros_like(R), where=total > 0)
    return R, predictors, scale_x, y_scales, flags


def importance_matrix(
    codes,
    factors,
    *,
    method: str = "gbt",
    discrete=False,
    n_estimators: int = 100,
    alpha: float | None = None,
    seed: int = 0,
) -> np.ndarray:
    """The importance matrix R of Eastwood and Williams (2018): how much each code predicts each factor.

    One predictor per factor is fitted on all the codes, and its importances
    become a column of R: impurity importances of gradient-boosted trees
    (``"gbt"``, the default, as in google-research/disentanglement_lib) or of
    a random forest (``"forest"``), or the absolute weights of an L1-penalised
    linear model (``"lasso"``, the paper's first choice; its penalty is picked
    by 5-fold cross-validation unless ``alpha`` is given). Codes and
    continuous factors are standardised first, so code scales do not matter.
    Each column is normalised to sum to 1.

    Args:
        codes: (n_samples, n_codes) array or tensor.
        factors: (n_samples, n_factors), or (n_samples,) for one factor.
        method: ``"gbt"``, ``"forest"`` or ``"lasso"``.
        discrete: True (or one bool per factor) for categorical factors such as
            digit labels: a classifier is fitted instead of a regressor. Such a
            factor holds whole numbers; a continuous one marked discrete is refused.
        n_estimators: trees per predictor (``"gbt"`` and ``"forest"``).
        alpha: the lasso penalty (None: cross-validated; for a discrete factor,
            None means ``C=1`` in a logistic regression).
        seed: seeds the predictors.

    Returns:
        R, (n_codes, n_factors), non-negative, each column summing to 1 (or 0
        where no code predicts that factor at all).

    Used in: chapter 5, through :func:`aelab.metrics.dci`.
    """
    codes, factors = _check_codes_factors(codes, factors)
    return _fit_factors(codes, factors, method, discrete, n_estimators, alpha, seed)[0]
