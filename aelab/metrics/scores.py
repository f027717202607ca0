"""How far reconstructions are from their originals, and how often a classifier is right.

Used in: chapters 0 and 2-6.
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import _arg_checks, _array_checks
from ..runtime import to_numpy

__all__ = ["reconstruction_error", "mean_image_error", "accuracy", "end_value", "noise_floor", "tie_band", "error_ratio"]


def reconstruction_error(x, x_hat) -> np.ndarray:
    """Mean squared error of each sample, averaged over its features.

    Args:
        x, x_hat: originals and reconstructions, (n, ...) of the same shape,
            tensors or arrays.

    Returns:
        (n,) array; its mean is the data set's MSE.

    Used in: chapters 2 and 4-6.
    """
    x, x_hat = to_numpy(x), to_numpy(x_hat)
    if x.shape != x_hat.shape:
        raise ValueError(f"originals and reconstructions differ in shape: {x.shape} vs {x_hat.shape}.")
    return ((x - x_hat) ** 2).reshape(len(x), -1).mean(axis=1)


def mean_image_error(x_train, x_test) -> float:
    """The baseline every reconstruction is measured against: the MSE of the mean training image.

    A model that ignored its input and drew the average training sample for
    every test sample would make this error, per pixel (per feature); a
    model that learned anything does better.

    Args:
        x_train: (n, ...) training samples, tensor or array.
        x_test: (m, ...) test samples of the same shape per sample.

    Returns:
        The mean over test samples and pixels of the squared gap to the mean training sample.

    Used in: chapters 0 and 3-5.
    """
    x_train, x_test = to_numpy(x_train), to_numpy(x_test)
    if x_train.ndim < 2 or x_test.ndim < 2 or len(x_train) < 1 or len(x_test) < 1 \
            or x_train.shape[1:] != x_test.shape[1:]:
        raise ValueError(f"x_train and x_test must be (n, ...) samples of the same shape, got {x_train.shape} and"
                         f" {x_test.shape}.")
    return float(((x_test - x_train.mean(0)) ** 2).mean())


def accuracy(logits_or_labels, labels) -> float:
    """Share of correct predictions.

    Args:
        logits_or_labels: (n, classes) scores with at least two classes (the
            argmax is the prediction) or (n,) predicted labels, n >= 1.
        labels: (n,) true labels.

    Returns:
        A float in [0, 1].

    Used in: chapters 4 and 5.
    """
    pred, labels = to_numpy(logits_or_labels), to_numpy(labels)
    if pred.ndim == 2 and pred.shape[1] == 1:  # one sigmoid score per row: its argmax is always 0
        raise ValueError(f"accuracy got scores of shape {pred.shape}, one column whose argmax is always class 0; "
                         f"for a sigmoid's probabilities pass scores[:, 0] > 0.5, for one logit per row "
                         f"scores[:, 0] > 0.")
    if pred.ndim == 2:
        pred = pred.argmax(axis=1)
    if pred.ndim != 1 or len(pred) == 0:
        raise ValueError(f"accuracy needs (n, classes) scores or (n,) predicted labels with n >= 1, "
                         f"got shape {pred.shape}.")
    if labels.ndim != 1:  # (n, 1) or one-hot labels: the sentence says how to flatten them
        _arg_checks.one_per("labels", labels, len(pred), "predictions")
    if pred.shape != labels.shape:
        raise ValueError(f"got {pred.shape[0]} predictions for {labels.shape[0]} labels.")
    return float((pred == labels).mean())


def end_value(history, column: str = "train_loss", last: int = 100) -> float:
    """Where a training run ended: the median of a logged value over its last ``last`` rows.

    A full-batch loss can spike from one step to the next (Adam's steps
    overshoot now and then), so the last value alone is a noisy readout of
    where a run ended; the median of the last rows is not moved by a spike.

    Args:
        history: a training history, one row per epoch or step (what
            :func:`aelab.train.fit` returns), or one seed's rows of a stacked history.
        column: the logged value, e.g. ``"train_loss"`` or ``"train_recon"``.
        last: how many of the last rows to take the median of (all, if fewer).

    Returns:
        A float.

    Used in: chapters 2 and 6.
    """
    last = _arg_checks.positive_int("last", last)
    if column not in getattr(history, "columns", ()):
        logged = ", ".join(map(str, getattr(history, "columns", []))) or "nothing"
        raise ValueError(f"the history has no column {column!r}; it logs {logged}.")
    if len(history) == 0:
        raise ValueError("the history is empty: the run logged no epoch.")
    return float(history[column].iloc[-last:].median())


def noise_floor(noise: float, dim: int, kept: int) -> float:
    """The MSE a perfect fit with ``kept`` numbers per point still makes on noisy data.

    Data on a ``kept``-dimensional surface in ``dim`` coordinates, with
    Gaussian noise of standard deviation ``noise`` on each coordinate: a model
    that recovers the noiseless surface leaves the noise in the other
    ``dim - kept`` directions, which, averaged over the ``dim`` coordinates,
    is ``(dim - kept) / dim * noise**2``. A lower training error means the
    model also fits the noise.

    Args:
        noise: the noise's standard deviation on each coordinate, >= 0.
        dim: the number of coordinates, >= 1.
        kept: the numbers per point, 0 to ``dim``.

    Returns:
        A float.

    Used in: chapters 2 and 6.
    """
    noise = _arg_checks.non_negative("noise", noise)
    dim = _arg_checks.positive_int("dim", dim)
    kept = _arg_checks.non_negative_int("kept", kept)
    if kept > dim:
        raise ValueError(f"kept ({kept}) cannot exceed dim ({dim}): a point has only {dim} coordinates.")
    return (dim - kept) / dim * noise**2


def tie_band(p: float, q: float, n: int) -> float:
    """Two standard errors of the difference between two accuracies measured on ``n`` test items.

    An accuracy is the mean of ``n`` right-or-wrong answers, with a standard
    error of sqrt(p (1 - p) / n). Two accuracies of independent classifiers
    closer than this band (a share, like p and q) are a tie: their order could
    turn on another draw of the test set. NaN in, NaN out, so that a skipped
    experiment's band reads "nan".

    Args:
        p, q: the two accuracies, each in [0, 1] (or NaN).
        n: how many test items each was measured on, at least 1.

    Returns:
        The band, as a share (multiply by 100 for percentage points).

    Used in: chapter 3.
    """
    n = _arg_checks.positive_int("n", n)
    if any(isinstance(v, numbers.Real) and np.isnan(v) for v in (p, q)):
        return float("nan")
    p, q = _arg_checks.number("p", p), _arg_checks.number("q", q)
    _array_checks.in_range("p and q", np.array([p, q]), 0.0, 1.0, why=" (accuracies as shares, not percentages)")
    return float(2 * np.sqrt((p * (1 - p) + q * (1 - q)) / n))


def error_ratio(worse: float, better: float) -> float:
    """How many times as many test items a classifier of accuracy ``worse`` gets wrong as one of ``better``.

    A gap in points hides its size near 100 %: 98 % against 99 % is twice the
    errors. Both accuracies are shares in [0, 1]; ``better`` must be below 1.

    Used in: chapter 3.
    """
    worse, better = _arg_checks.number("worse", worse), _arg_checks.number("better", better)
    _array_checks.in_range("worse and better", np.array([worse, better]), 0.0, 1.0, why=" (accuracies as shares, not percentages)")
    if better == 1.0:
        raise ValueError("error_ratio: better is 1.0 (no errors), so the ratio has no finite value; "
                         "compare the error counts instead.")
    return float((1 - worse) / (1 - better))
