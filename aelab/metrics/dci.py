"""The DCI disentanglement metric: disentanglement, completeness and
informativeness read from an importance matrix.

Eastwood, C. and Williams, C. K. I. (2018). A framework for the quantitative
evaluation of disentangled representations. ICLR.

The layers: the importance matrix (the private ``_importance.py``), a pure
core on that matrix (disentanglement, completeness), and dci(), which adds
the train/test split and returns a flat dict of scores. Codes are
(n_samples, n_codes), factors (n_samples, n_factors): one row per sample, as
everywhere in aelab.

Used in: chapter 5.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _array_checks
from ..runtime import to_numpy
from ._importance import _check_codes_factors, _check_discrete, _discrete_flags, _fit_factors

__all__ = ["disentanglement", "completeness", "dci"]


def _score(model, discrete: bool, x: np.ndarray, y: np.ndarray) -> float:
    pred = model.predict(x)
    if discrete:
        return float((pred == y).mean())  # accuracy
    return float(1.0 - ((pred - y) ** 2).mean() / y.var())  # R^2 = 1 - normalised MSE


def _entropy(p: np.ndarray, base: int, axis: int) -> np.ndarray:
    # H_base(p) with 0 log 0 = 0
    logs = np.log(p, out=np.zeros_like(p), where=p > 0)
    return -(p * logs).sum(axis=axis) / np.log(base)


def _check_importance(R) -> np.ndarray:
    R = to_numpy(R).astype(np.float64)
    if R.ndim != 2:
        raise ValueError(f"an importance matrix is 2-D (n_codes, n_factors), got shape {R.shape}.")
    if not np.all(np.isfinite(R)) or np.any(R < 0):
        raise ValueError("an importance matrix holds finite, non-negative numbers.")
    if R.sum() == 0:
        raise ValueError("the importance matrix is all zeros: no code predicts any factor.")
    return R


def _disentanglement_per_code(R) -> np.ndarray:
    """D_i = 1 - H_K(P_i.) for each code i: 1 if it matters for one factor only, 0 if for all alike.

    ``P_ij = R_ij / sum_k R_ik`` is code i's importance spread over the K
    factors, and ``H_K`` the entropy in base K. A code with no importance at
    all gets 0 (its weight in :func:`disentanglement` is 0 anyway). With a
    single factor, ``H_1`` is undefined, and so is D: NaN, with a warning.

    Args:
        R: importance matrix, (n_codes, n_factors).

    Returns:
        (n_codes,) array.

    Used in: chapter 5, through :func:`dci`.
    """
    R = _check_importance(R)
    n_codes, n_factors = R.shape
    if n_factors == 1:
        warnings.warn(
            "disentanglement is undefined with a single factor: every code then matters for at "
            "most one factor, and the entropy in base 1 has no meaning; returning NaN.",
            RuntimeWarning,
            stacklevel=2,
        )
        return np.full(n_codes, np.nan)
    rows = R.sum(axis=1, keepdims=True)
    P = np.divide(R, rows, out=np.zeros_like(R), where=rows > 0)
    return np.where(rows[:, 0] > 0, np.clip(1.0 - _entropy(P, n_factors, axis=1), 0.0, 1.0), 0.0)


def disentanglement(R) -> float:
    """D = sum_i rho_i D_i, with rho_i = sum_j R_ij / sum_ij R_ij the share of code i in all importance.

    ``R``: an importance matrix, (n_codes, n_factors); ``D_i = 1 - H_K(P_i.)``.
    Returns a float in [0, 1]; NaN, with a warning, for a single factor.

    Used in: chapter 5.
    """
    R = _check_importance(R)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        per_code = _disentanglement_per_code(R)
    if R.shape[1] == 1:
        warnings.warn(
            "disentanglement is undefined with a single factor (entropy in base 1); returning NaN.",
            RuntimeWarning,
            stacklevel=2,
        )
        return float("nan")
    rho = R.sum(axis=1) / R.sum()
    return float((rho * per_code).sum())


def _completeness_per_factor(R) -> np.ndarray:
    """C_j = 1 - H_D(P_.j) for each factor j: 1 if one code alone predicts it, 0 if all codes alike.

    ``P_ij = R_ij / sum_k R_kj`` is factor j's importance spread over the D
    codes. A factor that no code predicts gets 0. With a single code, ``H_1``
    is undefined: NaN, with a warning.

    Args:
        R: importance matrix, (n_codes, n_factors).

    Returns:
        (n_factors,) array.

    Used in: chapter 5, through :func:`dci`.
    """
    R = _check_importance(R)
    n_codes = R.shape[0]
    if n_codes == 1:
        warnings.warn(
            "completeness is undefined with a single code (entropy in base 1); returning NaN.",
            RuntimeWarning,
            stacklevel=2,
        )
        return np.full(R.shape[1], np.nan)
    cols = R.sum(axis=0, keepdims=True)
    P = np.divide(R, cols, out=np.zeros_like(R), where=cols > 0)
    return np.where(cols[0] > 0, np.clip(1.0 - _entropy(P, n_codes, axis=0), 0.0, 1.0), 0.0)


def completeness(R) -> float:
    """C: the plain mean over the factors of ``C_j = 1 - H_D(P_.j)``, 1 when one code alone predicts factor j.

    ``R``: an importance matrix, (n_codes, n_factors). Returns a float in [0, 1];
    NaN for a single code.

    Used in: chapter 5.
    """
    return float(np.mean(_completeness_per_factor(R)))


def dci(
    codes,
    factors,
    *,
    test_codes=None,
    test_factors=None,
    test_fraction: float = 0.3,
    method: str = "gbt",
    discrete=False,
    n_estimators: int = 100,
    alpha: float | None = None,
    seed: int = 0,
    return_importance: bool = False,
):
    """Disentanglement, completeness and informativeness of codes (Eastwood and Williams, 2018).

    One predictor per factor is fitted on the training rows of ``codes``
    (n_samples, n_codes) and ``factors`` (n_samples, n_factors); its importances
    make R (n_codes, n_factors), from which D (does each code capture one
    factor?) and C (is each factor captured by one code?). Informativeness is
    the held-out R^2 (accuracy for a ``discrete`` factor); ``_train``, the same on
    the training rows, shows the gap. Without ``test_codes``/``test_factors`` a
    seeded ``test_fraction`` is held out. ``method``: ``"gbt"`` (boosted trees, as
    disentanglement_lib), ``"forest"`` or ``"lasso"`` (``alpha``: its penalty,
    None cross-validated). Returns the four scores as a dict of floats, and R
    with ``return_importance=True``.

    Used in: chapter 5.
    """
    codes, factors = _check_codes_factors(codes, factors)
    if (test_codes is None) != (test_factors is None):
        raise ValueError("give both test_codes and test_factors, or neither.")
    if test_codes is None:
        if not 0 < test_fraction < 1:
            raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}.")
        order = np.random.default_rng(seed).permutation(len(codes))
        n_test = max(1, int(round(test_fraction * len(codes))))
        test, train = order[:n_test], order[n_test:]
        codes, factors, test_codes, test_factors = codes[train], factors[train], codes[test], factors[test]
        codes, factors = _check_codes_factors(codes, factors, " in the training rows")
    else:
        test_codes = _array_checks.matrix("codes", test_codes, "codes", vector=True).astype(np.float64)
        test_factors = _array_checks.matrix("factors", test_factors, "factors", vector=True).astype(np.float64)
        if test_codes.shape[1] != codes.shape[1] or test_factors.shape[1] != factors.shape[1]:
            raise ValueError(
                f"test rows must have {codes.shape[1]} codes and {factors.shape[1]} factors like the "
                f"training rows, got {test_codes.shape[1]} and {test_factors.shape[1]}."
            )
        if len(test_codes) != len(test_factors) or len(test_codes) < 2:
            raise ValueError(
                f"test_codes ({len(test_codes)} rows) and test_factors ({len(test_factors)} rows) "
                f"must have the same number of rows, at least 2."
            )
        # a discrete factor's held-out values are compared with predicted labels: 0.37 never equals one
        _check_discrete(test_factors, _discrete_flags(discrete, factors.shape[1]), " in test_factors")

    R, predictors, scale_x, y_scales, flags = _fit_factors(
        codes, factors, method, discrete, n_estimators, alpha, seed
    )
    train_scores, test_scores = [], []
    for j, (model, y_scale, is_discrete) in enumerate(zip(predictors, y_scales, flags)):
        for x, y, out in ((codes, factors, train_scores), (test_codes, test_factors, test_scores)):
            if not is_discrete and np.ptp(y[:, j]) == 0:  # on the raw values: rescaling leaves rounding noise
                which = "held-out" if out is test_scores else "training"
                raise ValueError(f"factor {j} is constant on the {which} rows, so its R^2 (informativeness) "
                                 f"is undefined; hold out more rows, or drop that factor.")
            target = y[:, j] if is_discrete else y_scale(y[:, j : j + 1])[:, 0]
            out.append(_score(model, is_discrete, scale_x(x), target))

    with warnings.catch_warnings():
        if factors.shape[1] == 1:  # say it once, here, not from inside the helper
            warnings.simplefilter("ignore", RuntimeWarning)
        d = disentanglement(R)
    if factors.shape[1] == 1:
        warnings.warn(
            "disentanglement is undefined with a single factor: each code can only ever matter for "
            "that one factor; D is NaN, and only completeness and informativeness mean something.",
            RuntimeWarning,
            stacklevel=2,
        )
    scores = {
        "disentanglement": d,
        "completeness": completeness(R),
        "informativeness": float(np.mean(test_scores)),
        "informativeness_train": float(np.mean(train_scores)),
    }
    return (scores, R) if return_importance else scores
