"""Chapter 3's exercises: autoencoders on MNIST."""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd
import torch
from torch import nn

from ..metrics import error_ratio, tie_band
from ._base import history_problem

__all__ = [
    "EXERCISES", "check_ex3_probe_size", "check_ex3_batchnorm", "check_ex3_few_labels",
    "check_ex3_full_covariance", "CHECKS",
]

EXERCISES = {
    "ex3-probe-size": {
        "title": "Does the code need 10 numbers because there are 10 digits?",
        "starter": '''\
# Exercise: a frozen linear probe on each MLP autoencoder of section 3.2.
from aelab import exercises
ex = exercises.get("ex3-probe-size")
for k in LATENT_SIZES:
    runtime.seed_everything(0)
    probe = ...  # models.ClassifierHead on mlp_aes[k]'s encoder, frozen
    ...  # train it on the labelled digits as in section 3.6
probe_acc = ...  # {k: the probe's final test accuracy, from 0 to 1}
ex.check(probe_acc=probe_acc, y_test=y_test)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "train.fit(probe, labelled, train.classification_objective(accuracy=True), **head_settings) "
                "returns a history whose 'test_accuracy' column ends with the number to keep.",
        "correct": "two numbers are too few for the probe, and from 10 to 50 numbers it does no worse: the "
                   "code's size is not tied to the number of classes.",
    },
    "ex3-batchnorm": {
        "title": "Without BatchNorm",
        "starter": '''\
# Exercise: the convolutional autoencoder without its BatchNorm layers.
from aelab import exercises
ex = exercises.get("ex3-batchnorm")
runtime.seed_everything(0)
plain = ...  # models.ConvAutoencoder with a 10-number code, no BatchNorm
plain_hist = ...  # train.fit(...) with the same budget as conv above
ex.check(plain=plain, plain_hist=plain_hist, conv_hist=conv_hist)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "models.ConvAutoencoder(latent_dim=10, batch_norm=False), then train.fit(plain, x_train, "
                "mse, **conv_settings); plots.history_comparison draws both curves.",
        "correct": "the network without BatchNorm trains on the same budget; compare its curve and its last "
                   "test error with conv_hist's (with the full budget it ends over 10 % higher).",
    },
    "ex3-few-labels": {
        "title": "Few labels",
        "starter": '''\
# Exercise: the four classifiers of section 3.6 on a tenth of the labels.
from aelab import exercises
ex = exercises.get("ex3-few-labels")
few = ...  # the indices of a random tenth of the training digits
for name, make in head_makers.items():
    runtime.seed_everything(0)
    ...  # train make() on (x_train[few], y_train[few]) with the settings
    # of section 3.6 (finetune_settings for the names in TRAIN_ENCODER),
    # but 10 * HEAD_EPOCHS epochs: a tenth of the batches per epoch
few_acc = ...  # {name: the final test accuracy, from 0 to 1}
ex.check(few_acc=few_acc, acc=acc, few=few, y_train=y_train, y_test=y_test)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "torch.randperm(len(y_train))[: len(y_train) // 10] picks a tenth; "
                "settings = dict(settings, epochs=10 * HEAD_EPOCHS) keeps the rest of section 3.6's settings.",
        "correct": "with a tenth of the labels the fine-tuned encoder and the pixels lose accuracy, and the "
                   "two frozen heads lose the same within their tie band.",
    },
    "ex3-full-covariance": {
        "title": "Random codes with correlations",
        "starter": '''\
# Exercise: random codes from one Gaussian with the codes' full covariance.
from aelab import exercises
ex = exercises.get("ex3-full-covariance")
with torch.no_grad():
    full_codes = ...  # (100, 50): mu + noise @ L.T, with noise the draws
    # of section 3.4 and L the Cholesky factor of the covariance of
    # z50_train (add 1e-5 * identity first); decode them with mlp_aes[50],
    # and measure how far they lie from the training codes, as in 3.4
ex.check(full_codes=full_codes, z50_train=z50_train, d_random=d_random)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "torch.cov(z50_train.T) is the (50, 50) covariance, torch.linalg.cholesky gives L; "
                "plots.image_grid draws the decoded codes.",
        "correct": "codes drawn with the training codes' correlations land closer to real codes than "
                   "independent draws do.",
    },
}


def _accuracies(name: str, value, keys) -> str | None:
    """None when ``value`` maps each of ``keys`` to an accuracy from 0 to 1; else what is off."""
    if not isinstance(value, dict):
        return f"{name} should be a dict of test accuracies, got {type(value).__name__}."
    missing = [k for k in keys if k not in value]
    if missing:
        return f"{name} lacks an accuracy for {', '.join(repr(k) for k in missing)}."
    for k in keys:
        v = value[k]
        if isinstance(v, torch.Tensor) and v.numel() == 1:
            v = v.item()
        if not isinstance(v, numbers.Real) or not 0 <= float(v) <= 1:
            return f"{name}[{k!r}] should be an accuracy from 0 to 1 (not a percentage), got {v!r}."
    return None


def check_ex3_probe_size(probe_acc, y_test) -> str | None:
    problem = _accuracies("probe_acc", probe_acc, [2, 10, 50])
    if problem:
        return problem
    n = len(y_test)
    a2, a10, a50 = (float(probe_acc[k]) for k in (2, 10, 50))
    if not a10 - a2 > tie_band(a10, a2, n):
        return (f"the probe on 10 numbers ({a10:.1%}) is not ahead of the one on 2 ({a2:.1%}) by more than the "
                f"tie band ({tie_band(a10, a2, n):.1%}): freeze the encoder and train as in section 3.6.")
    if not a50 - a10 > -tie_band(a50, a10, n):
        return (f"the probe on 50 numbers ({a50:.1%}) is below the one on 10 ({a10:.1%}) by more than the tie "
                f"band ({tie_band(a50, a10, n):.1%}): use the same settings for every k.")
    return None


def check_ex3_batchnorm(plain, plain_hist, conv_hist) -> str | None:
    if not isinstance(plain, nn.Module):
        return f"plain should be the network you trained (models.ConvAutoencoder), got {type(plain).__name__}."
    problem = history_problem("plain_hist", plain_hist) or history_problem("conv_hist", conv_hist)
    if problem:
        return problem
    if any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in plain.modules()):
        return "plain still has BatchNorm layers: build it with batch_norm=False."
    if len(plain_hist) != len(conv_hist):
        return (f"train for the same number of epochs as the network with BatchNorm ({len(conv_hist)}), "
                f"not {len(plain_hist)}: pass **conv_settings.")
    test = plain_hist["test_loss"]
    if not np.isfinite(test.to_numpy()).all() or not test.iloc[-1] < test.iloc[0]:
        return (f"without BatchNorm the test error did not fall ({test.iloc[0]:.4f} after the first epoch, "
                f"{test.iloc[-1]:.4f} after the last): train with conv_settings, on x_train, with mse.")
    return None


def check_ex3_few_labels(few_acc, acc, few, y_train, y_test) -> str | None:
    if not isinstance(acc, pd.Series):
        return f"acc should be section 3.6's accuracies (a pandas Series by classifier), got {type(acc).__name__}."
    problem = _accuracies("few_acc", few_acc, list(acc.index))
    if problem:
        return problem
    if isinstance(few, torch.Tensor):
        few = few.cpu().numpy()
    if not isinstance(few, np.ndarray) or few.ndim != 1:
        return f"few should be a 1-D tensor of indices into the training digits, got {type(few).__name__}."
    share = len(np.unique(few)) / len(y_train)
    if not 0.08 <= share <= 0.12:
        return f"few picks {share:.0%} of the training digits, not a tenth (each index once)."
    n = len(y_test)
    for name in ("conv encoder, fine-tuned", "pixels (logistic regression)"):
        # how many times as many test digits wrong with few labels as with all
        if name in acc.index and not error_ratio(float(few_acc[name]), float(acc[name])) > 1:
            return (f"the {name!r} classifier gets no more test digits wrong with few labels "
                    f"({float(few_acc[name]):.1%} against {float(acc[name]):.1%}): train it on "
                    f"(x_train[few], y_train[few]) only.")
    frozen, pca = "conv encoder, frozen", "PCA-10"
    if frozen in acc.index and pca in acc.index:
        lost = {k: float(acc[k]) - float(few_acc[k]) for k in (frozen, pca)}
        band = 2 * math.sqrt(sum(p * (1 - p) for p in (acc[frozen], few_acc[frozen], acc[pca], few_acc[pca])) / n)
        if not abs(lost[frozen] - lost[pca]) < band:
            return (f"the two frozen heads lose {100 * lost[frozen]:.1f} and {100 * lost[pca]:.1f} points, further "
                    f"apart than their tie band ({100 * band:.1f}): train each with the settings of section 3.6 "
                    f"and 10 * HEAD_EPOCHS epochs.")
    return None


def _correlations(codes: torch.Tensor) -> np.ndarray:
    """The correlations between the code's dimensions, above the diagonal."""
    corr = np.corrcoef(codes.detach().cpu().double().numpy(), rowvar=False)
    return corr[np.triu_indices(corr.shape[0], 1)]


def check_ex3_full_covariance(full_codes, z50_train, d_random) -> str | None:
    from aelab.metrics import nearest_distance

    for name, value, dim in (("full_codes", full_codes, 2), ("z50_train", z50_train, 2), ("d_random", d_random, 1)):
        if not isinstance(value, torch.Tensor) or value.dim() != dim:
            return f"{name} should be a {dim}-D tensor, got {type(value).__name__}."
    if full_codes.shape[1] != z50_train.shape[1] or len(full_codes) < 3:
        return (f"full_codes should be random codes of {z50_train.shape[1]} numbers, one per row, got shape "
                f"{tuple(full_codes.shape)}.")
    # the draws' correlations against the training codes': near 1 when drawn with the full covariance,
    # near 0 for independent draws (and the sampling noise of 100 draws stays well below the codes')
    agree = float(np.corrcoef(_correlations(full_codes), _correlations(z50_train))[0, 1])
    if not agree > 0.5:
        return (f"your codes do not carry the training codes' correlations (the two sets of correlations agree "
                f"at only {agree:.2f}, not over 0.5): draw mu + noise @ L.T, with L the Cholesky factor of "
                f"torch.cov(z50_train.T).")
    with torch.no_grad():
        d_full = nearest_distance(full_codes, z50_train.to(full_codes.device))
    ratio = float(d_full.median() / d_random.median().to(d_full.device))
    if not ratio < 1:
        return (f"your codes lie no closer to the training codes than independent draws do (median distance "
                f"{ratio:.2f} times theirs): keep the mean mu and the same noise as in section 3.4.")
    return None


CHECKS = {"ex3-probe-size": check_ex3_probe_size, "ex3-batchnorm": check_ex3_batchnorm,
          "ex3-few-labels": check_ex3_few_labels, "ex3-full-covariance": check_ex3_full_covariance}
