"""Metrics: pure functions on tensors or (n_samples, n_features) arrays, returning
a number, an array, or a flat dict of named numbers.

Used in: chapters 2-6.
"""

from __future__ import annotations

import warnings

import numpy as np
import torch

from .plots import to_numpy


def reconstruction_error(x, x_hat) -> np.ndarray:
    """Mean squared error of each sample, averaged over its features.

    Args:
        x, x_hat: originals and reconstructions, (n, ...) of the same shape,
            tensors or arrays.

    Returns:
        (n,) array; its mean is the data set's MSE.

    Used in: chapters 2-6.
    """
    x, x_hat = to_numpy(x), to_numpy(x_hat)
    if x.shape != x_hat.shape:
        raise ValueError(f"originals and reconstructions differ in shape: {x.shape} vs {x_hat.shape}.")
    return ((x - x_hat) ** 2).reshape(len(x), -1).mean(axis=1)


def accuracy(logits_or_labels, labels) -> float:
    """Share of correct predictions.

    Args:
        logits_or_labels: (n, classes) scores (the argmax is the prediction) or (n,) predicted labels.
        labels: (n,) true labels.

    Returns:
        A float in [0, 1].

    Used in: chapters 3-5.
    """
    pred, labels = to_numpy(logits_or_labels), to_numpy(labels)
    if pred.ndim == 2:
        pred = pred.argmax(axis=1)
    if pred.shape != labels.shape:
        raise ValueError(f"got {pred.shape[0]} predictions for {labels.shape[0]} labels.")
    return float((pred == labels).mean())


# --------------------------------------------------------------------------- DCI (chapter 5)
#
# Eastwood, C. and Williams, C. K. I. (2018). A framework for the quantitative
# evaluation of disentangled representations. ICLR.
#
# The layers: a pure core on arrays (importance_matrix, disentanglement,
# completeness) and dci(), which adds the train/test split and returns a flat
# dict of scores. Codes are (n_samples, n_codes), factors (n_samples, n_factors):
# one row per sample, as everywhere in aelab.

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
    return np.asarray(model.feature_importances_, dtype=np.float64)  # sums to 1 (or is all 0)


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
            target = y[:, j] if is_discrete else y_scale(y[:, j : j + 1])[:, 0]
            if not is_discrete and target.var() == 0:
                out.append(float("nan"))  # R^2 is undefined on a constant held-out factor
                continue
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


# --------------------------------------------------------------------------- latent traversal (chapter 5)


def traversal_ranges(codes, low: float = 5.0, high: float = 95.0) -> np.ndarray:
    """Where each latent dimension actually lives: its ``low``-th and ``high``-th percentiles.

    A traversal should sweep each dimension over the values the encoder
    gives it, not over a fixed interval such as -3..3: one dimension may
    spread over 0.1, another over 20, and decoding far outside the codes
    the decoder was trained on shows what it does off its data, not what
    the dimension means.

    Args:
        codes: (n_samples, latent_dim) codes of real inputs.
        low, high: percentiles, ``0 <= low < high <= 100``.

    Returns:
        (latent_dim, 2) array of ``[low, high]`` values.

    Used in: chapter 5.
    """
    codes = to_numpy(codes)
    if codes.ndim != 2 or len(codes) < 2:
        raise ValueError(f"codes must be (n_samples, latent_dim) with at least 2 rows, got shape {codes.shape}.")
    if not 0 <= low < high <= 100:
        raise ValueError(f"percentiles must satisfy 0 <= low < high <= 100, got low={low}, high={high}.")
    return np.percentile(codes, [low, high], axis=0).T


def _check_ranges(ranges, latent_dim: int, steps: int) -> torch.Tensor:
    ranges = torch.as_tensor(to_numpy(ranges), dtype=torch.float32)
    if ranges.shape != (latent_dim, 2):
        raise ValueError(f"ranges must be (latent_dim, 2) = ({latent_dim}, 2), got {tuple(ranges.shape)}.")
    if not isinstance(steps, int) or steps < 2:
        raise ValueError(f"steps must be an integer of at least 2 (the two ends), got {steps!r}.")
    return ranges


@torch.no_grad()
def traverse(decode, z: torch.Tensor, ranges, steps: int = 9, dims=None) -> torch.Tensor:
    """Decode one code with one dimension at a time swept over its range, the others held fixed.

    Args:
        decode: a function from codes (B, latent_dim) to images, such as ``model.decode``.
        z: one code, (latent_dim,), on the decoder's device.
        ranges: (latent_dim, 2) ends of each sweep, e.g. from :func:`traversal_ranges`.
        steps: images per sweep, both ends included.
        dims: which dimensions to sweep (default: all), in this order.

    Returns:
        (len(dims), steps, *image_shape) images; row r sweeps ``dims[r]``.

    Used in: chapter 5.
    """
    if not torch.is_tensor(z) or z.dim() != 1:
        raise ValueError(f"z must be one code, a 1-D tensor (latent_dim,), got {getattr(z, 'shape', type(z))}.")
    latent_dim = len(z)
    ranges = _check_ranges(ranges, latent_dim, steps).to(z.device)
    dims = list(range(latent_dim)) if dims is None else [int(d) for d in dims]
    if not dims or any(not 0 <= d < latent_dim for d in dims):
        raise ValueError(f"dims must be indices in 0..{latent_dim - 1}, got {dims}.")
    t = torch.linspace(0, 1, steps, device=z.device)
    codes = z.repeat(len(dims), steps, 1)  # (n_dims, steps, latent_dim)
    for r, d in enumerate(dims):
        codes[r, :, d] = ranges[d, 0] + t * (ranges[d, 1] - ranges[d, 0])
    images = decode(codes.flatten(0, 1))  # (n_dims * steps, *image_shape)
    return images.view(len(dims), steps, *images.shape[1:])


@torch.no_grad()
def traversal_effects(decode, codes: torch.Tensor, ranges, steps: int = 9, batch_size: int = 256) -> np.ndarray:
    """How much sweeping each dimension changes each input's image: the entanglement measured.

    For input n and dimension i, dimension i of the code is swept over
    ``ranges[i]`` in ``steps`` steps, the rest of the code held at input n's
    values, and the effect is the mean over pixels of how far each pixel
    travels along the sweep, ``mean_pixels sum_s |x_{s+1} - x_s|`` (for a
    pixel that only brightens, its total change). A column with a high mean
    is a dimension that matters; a column whose values vary a lot from row to
    row is a dimension whose meaning depends on the input: entangled.

    Args:
        decode: a function from codes (B, latent_dim) to images, such as ``model.decode``.
        codes: (n_inputs, latent_dim) codes of real inputs, on the decoder's device.
        ranges: (latent_dim, 2) ends of each sweep.
        steps: points per sweep.
        batch_size: inputs decoded at once (memory only; the result does not depend on it).

    Returns:
        (n_inputs, latent_dim) array of effects, in pixel-value units.

    Used in: chapter 5.
    """
    if not torch.is_tensor(codes) or codes.dim() != 2:
        raise ValueError(f"codes must be a 2-D tensor (n_inputs, latent_dim), got {getattr(codes, 'shape', type(codes))}.")
    n, latent_dim = codes.shape
    ranges = _check_ranges(ranges, latent_dim, steps).to(codes.device)
    t = torch.linspace(0, 1, steps, device=codes.device)
    effects = torch.zeros(n, latent_dim, device=codes.device)
    for d in range(latent_dim):
        values = ranges[d, 0] + t * (ranges[d, 1] - ranges[d, 0])  # (steps,)
        for start in range(0, n, batch_size):
            z = codes[start : start + batch_size]
            sweep = z.unsqueeze(1).repeat(1, steps, 1)  # (b, steps, latent_dim)
            sweep[:, :, d] = values
            x = decode(sweep.flatten(0, 1)).reshape(len(z), steps, -1)  # (b, steps, pixels)
            effects[start : start + len(z), d] = (x[:, 1:] - x[:, :-1]).abs().sum(1).mean(1)
    return effects.cpu().numpy()  # one transfer, at the end


# --------------------------------------------------------------------------- least volume (chapter 6)


@torch.no_grad()
def pruning_errors(decode, z: torch.Tensor, x: torch.Tensor, *, batch_size: int = 1024) -> np.ndarray:
    """Reconstruction error as the latent dimensions are pruned, least spread first.

    Pruning a dimension sets it to its mean over ``z`` for every sample, so
    the decoder no longer sees it vary. The dimensions are pruned cumulatively
    in order of increasing standard deviation: ``errors[k]`` is the error with
    the ``k`` least-spread dimensions pruned, ``errors[0]`` the model's own
    error and ``errors[-1]`` the error of decoding the mean code for every
    input. The error is the mean over samples of the Euclidean distance
    between a sample and its reconstruction, as in Chen and Fuge (ICLR 2024).

    Args:
        decode: a function from codes (B, latent_dim) to reconstructions, such
            as ``model.decode``.
        z: codes of the data, (n, latent_dim), n >= 2, on the decoder's device.
        x: the data itself, (n, ...), on the same device.
        batch_size: rows decoded at once (memory only; the result does not depend on it).

    Returns:
        (latent_dim + 1,) array of errors.

    Used in: chapter 6.
    """
    if not torch.is_tensor(z) or z.dim() != 2 or len(z) < 2:
        raise ValueError(f"z must be a 2-D tensor (n, latent_dim) with n >= 2, got {getattr(z, 'shape', type(z))}.")
    if not torch.is_tensor(x) or len(x) != len(z):
        raise ValueError(f"x must be a tensor with one row per code ({len(z)}), got {getattr(x, 'shape', type(x))}.")
    order = z.std(0).argsort()  # least spread first
    mean = z.mean(0)
    errors = []
    for k in range(z.shape[1] + 1):
        pruned = z.clone()
        pruned[:, order[:k]] = mean[order[:k]]
        total = 0.0
        for start in range(0, len(z), batch_size):
            x_hat = decode(pruned[start : start + batch_size])
            total = total + (x_hat - x[start : start + batch_size]).flatten(1).norm(dim=1).sum()
        errors.append(total / len(z))
    return torch.stack(errors).cpu().numpy()  # one transfer, at the end


def explained_reconstruction(errors) -> np.ndarray:
    """Pruning errors rescaled to the range [0, 1]: 0 = nothing pruned, 1 = everything pruned.

    ``(errors - errors[0]) / (errors[-1] - errors[0])``; all zeros when the
    range is empty or below float32 rounding (the decoder ignores its codes,
    or every code is the same).

    Args:
        errors: (latent_dim + 1,) errors from :func:`pruning_errors`.

    Returns:
        An array of the same shape.

    Used in: chapter 6.
    """
    errors = np.asarray(errors, dtype=float)
    if errors.ndim != 1 or len(errors) < 2:
        raise ValueError(f"errors must be a 1-D array of latent_dim + 1 >= 2 values, got shape {errors.shape}.")
    span = errors[-1] - errors[0]
    if not span > 1e-6 * abs(errors[-1]):  # nothing to explain, only rounding noise
        return np.zeros_like(errors)
    return (errors - errors[0]) / span


def count_kept(errors, delta: float = 0.01) -> int:
    """How many dimensions least volume keeps, given the pruning errors.

    Chen and Fuge's count (ICLR 2024; the ``dr_rank`` of their code): of the
    pruning steps k = 1..latent_dim, count those whose cumulative cost,
    ``errors[k] - errors[0]``, reaches ``delta`` of the whole range
    ``errors[-1] - errors[0]``. The dimensions that can all be pruned for less
    than ``delta`` are not counted; every further one is.

    Args:
        errors: (latent_dim + 1,) errors from :func:`pruning_errors`.
        delta: the share of the range that counts as a cost, in (0, 1).

    Returns:
        An integer between 0 and latent_dim.

    Used in: chapter 6.
    """
    if not 0 < delta < 1:
        raise ValueError(f"delta must lie strictly between 0 and 1, got {delta!r}.")
    explained = explained_reconstruction(errors)
    return int((explained[1:] >= delta).sum())


def least_volume_dimensions(decode, z: torch.Tensor, x: torch.Tensor, delta: float = 0.01) -> int:
    """The number of latent dimensions a model uses: :func:`count_kept` of :func:`pruning_errors`.

    Args:
        decode: a function from codes (B, latent_dim) to reconstructions.
        z: codes of the data, (n, latent_dim).
        x: the data, (n, ...).
        delta: the share of the error range that counts as a cost (1 % in the paper).

    Returns:
        An integer between 0 and latent_dim.

    Used in: chapter 6.
    """
    if not 0 < delta < 1:
        raise ValueError(f"delta must lie strictly between 0 and 1, got {delta!r}.")
    return count_kept(pruning_errors(decode, z, x), delta)


def principal_angles(a, b) -> np.ndarray:
    """Principal angles between the spaces spanned by the columns of ``a`` and of ``b``, in degrees.

    The cosines of the angles are the singular values of ``Qa^T Qb``, where
    ``Qa`` and ``Qb`` are orthonormal bases of the two spaces. All angles are
    0 exactly when the spaces coincide; the largest says how far apart they
    are at worst. Computed by SciPy's ``subspace_angles``, which stays
    accurate for small angles.

    Args:
        a: (n_features, k) array, e.g. a linear decoder's columns.
        b: (n_features, m) array, e.g. PCA's components as columns.

    Returns:
        (min(k, m),) array of angles in degrees, largest first.

    Used in: chapter 6.
    """
    from scipy.linalg import subspace_angles  # scipy comes with scikit-learn

    a, b = to_numpy(a).astype(float), to_numpy(b).astype(float)
    if a.ndim != 2 or b.ndim != 2 or a.shape[0] != b.shape[0]:
        raise ValueError(
            f"a and b must be 2-D with the same number of rows (features), got {a.shape} and {b.shape}."
        )
    if np.linalg.matrix_rank(a) < a.shape[1] or np.linalg.matrix_rank(b) < b.shape[1]:
        raise ValueError("the columns of a and of b must be linearly independent to span a space of their size.")
    return np.degrees(subspace_angles(a, b))


# --------------------------------------------------------------------------- codes of a latent space (chapter 3)


def class_prototypes(z, labels, *, k: int = 20, max_points: int = 2000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A typical code of each class: the one lying deepest inside its class's region.

    The mean or median of a class's codes can fall outside the class: in a
    star-shaped 2-D code space, the medians of several digits all land in the
    crowded middle. Here each code of a seeded subsample looks at its ``k``
    nearest neighbours in the subsample; a class's prototype is its code with
    the largest share of neighbours of the same class, ties going to the one
    nearest the class's median. The prototype is therefore a real code of the
    class, surrounded by its own kind.

    Args:
        z: (N, D) codes, a tensor or an array.
        labels: (N,) class labels.
        k: neighbours looked at for each code.
        max_points: size of the seeded subsample (a budget: the neighbour
            search is quadratic in it, and independent of N).
        seed: seeds the subsample.

    Returns:
        ``(classes, prototypes)``: the sorted distinct labels (K,) and one code
        per class (K, D), taken from ``z``.

    Used in: chapter 3.
    """
    z, labels = to_numpy(z).astype(np.float64), to_numpy(labels)
    if z.ndim != 2:
        raise ValueError(f"class_prototypes expects codes of shape (N, D), got {z.shape}.")
    if labels.shape != (len(z),):
        raise ValueError(f"expected one label per code, got labels of shape {labels.shape} for {len(z)} codes.")
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}.")
    rng = np.random.default_rng(seed)
    keep = rng.choice(len(z), size=min(max_points, len(z)), replace=False)
    zs, ls = torch.as_tensor(z[keep]), labels[keep]
    k = min(k, len(keep) - 1)
    classes = np.unique(labels)
    if k < 1:
        return classes, np.stack([z[labels == c][0] for c in classes])
    dist = torch.cdist(zs, zs)
    dist.fill_diagonal_(float("inf"))  # a code is not its own neighbour
    neighbours = dist.topk(k, largest=False).indices.numpy()  # (M, k)
    purity = (ls[neighbours] == ls[:, None]).mean(1)  # (M,) share of same-class neighbours
    prototypes = []
    for c in classes:
        mine = np.flatnonzero(ls == c)
        if len(mine) == 0:  # a class missed by the subsample: its code nearest its median
            theirs = z[labels == c]
            prototypes.append(theirs[np.argmin(np.linalg.norm(theirs - np.median(theirs, axis=0), axis=1))])
            continue
        off_centre = np.linalg.norm(z[keep][mine] - np.median(z[labels == c], axis=0), axis=1)
        best = np.lexsort((off_centre, -purity[mine]))[0]  # purest first, then nearest the median
        prototypes.append(z[keep][mine[best]])
    return classes, np.stack(prototypes)


@torch.no_grad()
def nearest_distance(queries: torch.Tensor, reference: torch.Tensor, *, chunk: int = 4096) -> torch.Tensor:
    """Euclidean distance from each query to its nearest row of ``reference``.

    Computed on the tensors' device, ``chunk`` queries at a time, so memory
    stays at ``chunk x len(reference)`` however many queries there are.

    Args:
        queries: (M, D) points, e.g. random codes.
        reference: (N, D) points, e.g. the training set's codes.

    Returns:
        (M,) tensor of distances.

    Used in: chapter 3.
    """
    if queries.dim() != 2 or reference.dim() != 2 or queries.shape[1] != reference.shape[1]:
        raise ValueError(
            f"queries and reference must be (M, D) and (N, D) with the same D, got "
            f"{tuple(queries.shape)} and {tuple(reference.shape)}."
        )
    if len(reference) == 0:
        raise ValueError("reference must hold at least one point.")
    reference = reference.to(queries.device, queries.dtype)
    parts = [torch.cdist(q, reference).min(dim=1).values for q in queries.split(chunk)]
    return torch.cat(parts) if parts else queries.new_zeros(0)


@torch.no_grad()
def lipschitz_ratios(f, a: torch.Tensor, b: torch.Tensor) -> np.ndarray:
    """How much ``f`` stretches the distance between paired inputs: ``|f(a) - f(b)| / |a - b|``.

    Every ratio is a lower bound on the Lipschitz constant of ``f``, so their
    maximum over many random pairs estimates it from below; a 1-Lipschitz
    decoder (spectral normalization on every layer) never exceeds 1.

    Args:
        f: a function of a batch, such as ``model.decode``.
        a, b: two batches of inputs of the same shape, (n, ...), no pair equal.

    Returns:
        (n,) array of ratios.

    Used in: chapter 6.
    """
    if not (torch.is_tensor(a) and torch.is_tensor(b)) or a.shape != b.shape or a.dim() < 2:
        raise ValueError(
            f"a and b must be batches (n, ...) of the same shape, got {getattr(a, 'shape', a)} and "
            f"{getattr(b, 'shape', b)}."
        )
    gap = (a - b).flatten(1).norm(dim=1)
    if (gap == 0).any():
        raise ValueError("some pairs are equal (a[i] == b[i]); their ratio is undefined.")
    return ((f(a) - f(b)).flatten(1).norm(dim=1) / gap).cpu().numpy()


def pca_reconstruction_errors(x_train, x_test) -> np.ndarray:
    """Test MSE of PCA fitted on ``x_train``, for every number of components at once.

    With the components sorted by explained variance, the error with ``k``
    components is the test data's squared distance to the mean minus the
    energy of its first ``k`` projections: one fit and one projection give
    every ``k``.

    Args:
        x_train, x_test: (n, ...) samples (flattened to features), tensors or arrays.

    Returns:
        (n_components + 1,) array: entry ``k`` is the mean squared error per
        feature with ``k`` components (entry 0: the mean alone).

    Used in: chapter 6.
    """
    from sklearn.decomposition import PCA

    a, b = to_numpy(x_train), to_numpy(x_test)
    a, b = a.reshape(len(a), -1).astype(np.float64), b.reshape(len(b), -1).astype(np.float64)
    if a.shape[1] != b.shape[1] or len(a) < 2:
        raise ValueError(f"x_train (n >= 2) and x_test need the same features, got {a.shape} and {b.shape}.")
    pca = PCA().fit(a)
    centred = b - pca.mean_
    energy = (centred**2).sum(1)  # (n_test,)
    captured = np.cumsum((centred @ pca.components_.T) ** 2, axis=1)  # (n_test, n_components)
    residual = np.concatenate([energy[:, None], energy[:, None] - captured], axis=1)
    return np.clip(residual, 0, None).mean(0) / a.shape[1]
