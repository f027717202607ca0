"""The DCI disentanglement metric: an importance matrix, then disentanglement,
completeness and informativeness read from it.

Eastwood, C. and Williams, C. K. I. (2018). A framework for the quantitative
evaluation of disentangled representations. ICLR.

The layers: a pure core on arrays (importance_matrix, disentanglement,
completeness) and dci(), which adds the train/test split and returns a flat
dict of scores. Codes are (n_samples, n_codes), factors (n_samples, n_factors):
one row per sample, as everywhere in aelab.

Used in: chapter 5.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..runtime import to_numpy


IMPORTANCE_METHODS = ("gbt", "lasso", "forest")


def _as_2d(a, name: str) -> np.ndarray:
    a = to_numpy(a)
    if a.ndim == 1:
        a = a[:, None]  # one factor (or one code) given as a vector
    if a.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (n_samples, n_{name}), got shape {a.shape}.")
    if not np.issubdtype(a.dtype, np.number) and a.dtype != bool:
        raise ValueError(f"{name} must hold numbers, got dtype {a.dtype}.")
    a = a.astype(np.float64)
    bad = int((~np.isfinite(a)).sum())
    if bad:
        raise ValueError(f"{name} contain {bad} NaN or infinite values; DCI needs finite numbers.")
    return a


def _check_codes_factors(codes, factors, where: str = "") -> tuple[np.ndarray, np.ndarray]:
    codes, factors = _as_2d(codes, "codes"), _as_2d(factors, "factors")
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


def _score(model, discrete: bool, x: np.ndarray, y: np.ndarray) -> float:
    pred = model.predict(x)
    if discrete:
        return float((pred == y).mean())  # accuracy
    return float(1.0 - ((pred - y) ** 2).mean() / y.var())  # R^2 = 1 - normalised MSE


class _Standardizer:
    """Zero mean, unit variance per column, with the statistics of the training rows."""

    def __init__(self, a: np.ndarray):
        self.mean, self.std = a.mean(0), a.std(0)
        self.std[self.std == 0] = 1.0  # a constant code stays constant (and unimportant)

    def __call__(self, a: np.ndarray) -> np.ndarray:
        return (a - self.mean) / self.std


def _fit_factors(codes, factors, method, discrete, n_estimators, alpha, seed):
    """One predictor per factor; returns (R, predictors, transforms) on standardised data."""
    if method not in IMPORTANCE_METHODS:
        raise ValueError(f"unknown importance method {method!r}; use one of {', '.join(IMPORTANCE_METHODS)}.")
    if not isinstance(n_estimators, (int, np.integer)) or n_estimators < 1:
        raise ValueError(f"n_estimators must be a positive integer, got {n_estimators!r}.")
    flags = _discrete_flags(discrete, factors.shape[1])
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
            digit labels: a classifier is fitted instead of a regressor.
        n_estimators: trees per predictor (``"gbt"`` and ``"forest"``).
        alpha: the lasso penalty (None: cross-validated; for a discrete factor,
            None means ``C=1`` in a logistic regression).
        seed: seeds the predictors.

    Returns:
        R, (n_codes, n_factors), non-negative, each column summing to 1 (or 0
        where no code predicts that factor at all).

    Used in: chapter 5.
    """
    codes, factors = _check_codes_factors(codes, factors)
    return _fit_factors(codes, factors, method, discrete, n_estimators, alpha, seed)[0]


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


def disentanglement_per_code(R) -> np.ndarray:
    """D_i = 1 - H_K(P_i.) for each code i: 1 if it matters for one factor only, 0 if for all alike.

    ``P_ij = R_ij / sum_k R_ik`` is code i's importance spread over the K
    factors, and ``H_K`` the entropy in base K. A code with no importance at
    all gets 0 (its weight in :func:`disentanglement` is 0 anyway). With a
    single factor, ``H_1`` is undefined, and so is D: NaN, with a warning.

    Args:
        R: importance matrix, (n_codes, n_factors).

    Returns:
        (n_codes,) array.

    Used in: chapter 5.
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

    Codes that predict nothing weigh nothing, so unused dimensions neither
    help nor hurt. NaN (with a warning) when R has a single factor.

    Args:
        R: importance matrix, (n_codes, n_factors).

    Returns:
        A float in [0, 1], or NaN for one factor.

    Used in: chapter 5.
    """
    R = _check_importance(R)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        per_code = disentanglement_per_code(R)
    if R.shape[1] == 1:
        warnings.warn(
            "disentanglement is undefined with a single factor (entropy in base 1); returning NaN.",
            RuntimeWarning,
            stacklevel=2,
        )
        return float("nan")
    rho = R.sum(axis=1) / R.sum()
    return float((rho * per_code).sum())


def completeness_per_factor(R) -> np.ndarray:
    """C_j = 1 - H_D(P_.j) for each factor j: 1 if one code alone predicts it, 0 if all codes alike.

    ``P_ij = R_ij / sum_k R_kj`` is factor j's importance spread over the D
    codes. A factor that no code predicts gets 0. With a single code, ``H_1``
    is undefined: NaN, with a warning.

    Args:
        R: importance matrix, (n_codes, n_factors).

    Returns:
        (n_factors,) array.

    Used in: chapter 5.
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
    """C: the plain mean of :func:`completeness_per_factor` over the factors.

    Every factor counts the same: the factors are what the representation
    should capture, and none is more important than another. (When each
    column of R sums to 1, as :func:`importance_matrix` returns it, this is
    also the importance-weighted mean that disentanglement_lib uses.)

    Args:
        R: importance matrix, (n_codes, n_factors).

    Returns:
        A float in [0, 1] (NaN for a single code).

    Used in: chapter 5.
    """
    return float(np.mean(completeness_per_factor(R)))


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
    """Disentanglement, completeness and informativeness (Eastwood and Williams, 2018).

    One predictor per factor is fitted on training rows (see
    :func:`importance_matrix`); its importances make the matrix R, from which

    - disentanglement ``D = sum_i rho_i (1 - H_K(P_i.))``: does each code
      capture at most one factor? Codes are weighted by their share of all
      importance, ``rho_i``. Undefined (NaN, with a warning) for one factor.
    - completeness ``C = mean_j (1 - H_D(P_.j))``: is each factor captured by
      one code? The plain mean over factors (see :func:`completeness`).
    - informativeness: how well the codes predict the factors on rows the
      predictors never saw: the mean held-out R^2 (``1 - MSE / variance`` of
      the standardised factor; the paper reports the error, here 1 means
      perfect so that all three scores read "higher is better") for
      continuous factors, the held-out accuracy for discrete ones.
      ``informativeness_train`` is the same score on the training rows, shown
      only to make the gap visible: a flexible predictor scores near 1 there
      whatever the codes.

    Args:
        codes: (n_samples, n_codes) array or tensor.
        factors: (n_samples, n_factors), or (n_samples,) for one factor.
        test_codes, test_factors: held-out rows; without them a seeded random
            ``test_fraction`` of the rows is held out.
        test_fraction: share of rows held out when no test set is given.
        method, discrete, n_estimators, alpha, seed: see :func:`importance_matrix`.
        return_importance: also return R.

    Returns:
        ``{"disentanglement", "completeness", "informativeness",
        "informativeness_train"}`` as floats; with ``return_importance=True``,
        ``(scores, R)`` with R of shape (n_codes, n_factors).

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
        test_codes, test_factors = _as_2d(test_codes, "codes"), _as_2d(test_factors, "factors")
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
