"""Chapter 2's exercises: the autoencoder against PCA on a curve in 3-D."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
import torch

from ._base import frame_problem

__all__ = [
    "EXERCISES", "check_ex2_latent_size", "check_ex2_hidden_width", "check_ex2_seeds",
    "check_ex2_ordering", "check_ex2_relu", "L1_COLUMNS", "check_ex2_l1", "CHECKS",
]

EXERCISES = {
    "ex2-latent-size": {
        "title": "How big a code?",
        "starter": '''\
# Exercise: train the autoencoder with a code larger than the input.
from aelab import exercises
ex = exercises.get("ex2-latent-size")
runtime.seed_everything(0)
wide = ...  # models.MLPAutoencoder as above, with a 4-number code
wide_history = ...  # train.fit(...) as above, same epochs and settings
ae4_mse = ...  # its end-of-training error, read as above (metrics.end_value)
ex.check(ae4_mse=ae4_mse, wide=wide, pca_error=pca_error)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "Copy the cell that trained the one-number autoencoder: models.MLPAutoencoder(3, 4, "
                "hidden=hidden, activation='tanh'), then train.fit with the same objective, epochs, lr and "
                "batch size, and metrics.end_value(wide_history, last=LAST).",
        "correct": "a code as large as the input or larger reconstructs the curve far better than PCA-2 "
                   "(under a tenth of its error), and compresses nothing.",
    },
    "ex2-hidden-width": {
        "title": "Very narrow hidden layers",
        "starter": '''\
# Exercise: a one-number code, but a single hidden layer of 1 or 2 units.
from aelab import exercises
ex = exercises.get("ex2-hidden-width")
for width in (1, 2):
    for activation in ("tanh", "relu"):
        est = ...  # estimators.AutoencoderEstimator with a 1-number code,
        # hidden=(width,), this activation and seed=runtime.seed(0),
        # the other settings as above, fitted to X
        ...  # keep width, activation and est.reconstruction_error_
narrow = ...  # a DataFrame, one row per model, with the columns
# "hidden units", "activation" and "autoencoder MSE"
ex.check(narrow=narrow, pca_error=pca_error)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "Collect one dict per model in a list (narrow_rows.append({...})) and make the DataFrame "
                "from the list; compare each error with pca_error[width], PCA's with as many components "
                "as the hidden layer has units.",
        "correct": "no autoencoder with h hidden units does better than PCA with h components: the hidden "
                   "layer is the bottleneck.",
    },
    "ex2-seeds": {
        "title": "Why a different result every time?",
        "starter": '''\
# Exercise: compare the one-number codes the seeds above learned.
from aelab import exercises
ex = exercises.get("ex2-seeds")
codes_by_seed = ...  # a (100, len(seeds)) array: column i is the code of X
# by the seed-i autoencoder, fitted["autoencoder", 1, seeds[i]]
# (its .transform(X)[:, 0]); plot it with plots.latent_index
ex.check(codes_by_seed=codes_by_seed, X=X)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "np.column_stack([...]) of one code per seed makes the array; look at where each code "
                "jumps (metrics.tears(code)) and whether it rises or falls along t.",
        "correct": "each seed learns its own code for the same points.",
    },
    "ex2-ordering": {
        "title": "Are the code's coordinates ordered?",
        "starter": '''\
# Exercise: are the 3-number codes ordered by importance, uncorrelated?
from aelab import exercises
ex = exercises.get("ex2-ordering")
for name, seed in [("PCA", 0)] + [("autoencoder", s) for s in seeds]:
    method = fitted[name, 3, seed]  # PCA-3, or one seed's 3-number AE
    Z = method.transform(X)  # (100, 3)
    ...  # the rise in error when each coordinate of Z is set to its mean
    ...  # the largest |correlation| between two coordinates of Z
ordering = ...  # a DataFrame indexed by ("method", "seed"), with the
# columns "ordered" (True when the rises fall from z1 to z3) and
# "largest |correlation|"
ex.check(ordering=ordering)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "For coordinate j, copy Z, set column j to Z[:, j].mean(), decode with "
                "method.inverse_transform and subtract the error of the untouched codes "
                "(metrics.mean_ablation(method, X) does this for every j); "
                "np.corrcoef(Z.T) gives the correlations.",
        "correct": "PCA's coordinates are ordered and uncorrelated, the autoencoder's are correlated in every "
                   "run and out of order in some.",
    },
    "ex2-relu": {
        "title": "What ReLU does to a reconstruction",
        "starter": '''\
# Exercise: 8 hidden units, ReLU against tanh: how does each decoder draw?
from aelab import exercises
ex = exercises.get("ex2-relu")
for activation in ["relu", "tanh"]:
    est = ...  # estimators.AutoencoderEstimator with a 1-number code,
    # hidden=(8,), this activation and seed=runtime.seed(0), fitted to X
    ...  # decode 100 codes evenly spaced over the range est.transform(X)
    # covers, and draw them with the data (plots.point_cloud)
bends = ...  # {"relu": count, "tanh": count}: at how many of the 98 inner
# grid points the drawn curve bends (a second difference above 1e-5)
ex.check(bends=bends)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "np.diff(drawn, n=2, axis=0) gives the 98 second differences of the (100, 3) decoded "
                "grid; count the rows whose largest absolute value is above 1e-5.",
        "correct": "the ReLU decoder bends only at its few corners, the tanh decoder almost everywhere.",
    },
    "ex2-l1": {
        "title": "An L1 penalty on the codes",
        "starter": '''\
# Exercise: an L1 penalty on 2-number codes: does it switch one off?
from aelab import exercises
ex = exercises.get("ex2-l1")
penalised = ...  # estimators.AutoencoderEstimator(2, ...) as above, with
# latent_l1=0.01 and seed=runtime.seed(0), fitted to X
# the unpenalised run of the same seed: fitted["autoencoder", 2, seeds[0]]
l1 = ...  # a DataFrame with two rows, the unpenalised run first, and the
# columns "MSE" (the reconstruction error, without the L1 term),
# "mean |z|", "smaller std / larger std" (of the two code coordinates)
# and "decoder's first weights, norm" (of est.model_.decoder.net[0].weight)
ex.check(l1=l1, pca_error=pca_error)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "For each run, Z = est.transform(X); Z.std(0) gives the two spreads; collect one dict per "
                "run and make the DataFrame from the list.",
        "correct": "the penalty shrinks both codes and the decoder grows to read them, while the error stays "
                   "far below PCA-2's: no coordinate is switched off.",
    },
}


def _number(name: str, value) -> str | None:
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not np.isfinite(value):
        return f"{name} should be one finite number, got {type(value).__name__}."
    return None


def _pca_problem(pca_error) -> str | None:
    if not isinstance(pca_error, dict) or not {1, 2} <= set(pca_error):
        return "pca_error should be the chapter's dict of PCA's errors by number of components ({1: ..., 2: ...})."
    return None


def check_ex2_latent_size(ae4_mse, wide, pca_error) -> str | None:
    problem = _number("ae4_mse", ae4_mse) or _pca_problem(pca_error)
    if problem:
        return problem
    size = getattr(wide, "latent_dim", None)
    if not isinstance(size, int):
        return f"wide should be the autoencoder you trained (models.MLPAutoencoder), got {type(wide).__name__}."
    if size < 3:
        return f"wide's code has {size} number(s); the exercise asks for a code as large as the input (3) or larger."
    ae4_mse = float(ae4_mse)
    if not ae4_mse < pca_error[2] / 10:
        return (f"your {size}-number code's error ({ae4_mse:.2e}) is not under a tenth of PCA-2's "
                f"({pca_error[2]:.4f}): train with the same epochs, lr and batch size as above.")
    return None


def check_ex2_hidden_width(narrow, pca_error) -> str | None:
    problem = frame_problem("narrow", narrow, ["hidden units", "autoencoder MSE"]) or _pca_problem(pca_error)
    if problem:
        return problem
    widths = set(int(w) for w in narrow["hidden units"])
    if widths != {1, 2}:
        return f"narrow should hold models with 1 and with 2 hidden units, got {sorted(widths)}."
    for _, row in narrow.iterrows():
        width, error = int(row["hidden units"]), float(row["autoencoder MSE"])
        if error < pca_error[width] * (1 - 1e-4):
            who = f" ({row['activation']})" if "activation" in narrow.columns else ""
            return (f"a model listed with {width} hidden unit(s){who} beats PCA with {width} component(s) "
                    f"({error:.4f} < {pca_error[width]:.4f}), which a single hidden layer that narrow cannot "
                    f"do: check hidden=(width,).")
    return None


def check_ex2_seeds(codes_by_seed, X) -> str | None:
    if isinstance(codes_by_seed, torch.Tensor):
        codes_by_seed = codes_by_seed.detach().cpu().numpy()
    codes = np.asarray(codes_by_seed, dtype=float) if isinstance(codes_by_seed, np.ndarray) else None
    n = len(X)
    if codes is None or codes.ndim != 2 or codes.shape[0] != n or codes.shape[1] < 2:
        shape = getattr(codes_by_seed, "shape", None)
        return (f"codes_by_seed should be an array of shape ({n}, number of seeds), one column per seed, "
                f"got {type(codes_by_seed).__name__}" + (f" of shape {tuple(shape)}." if shape else "."))
    if not np.isfinite(codes).all():
        return "codes_by_seed holds NaN or infinite values."
    spread = np.ptp(codes, axis=0)
    if not (spread > 0).all():
        return "a column of codes_by_seed is constant: each column should be one seed's codes of the 100 points."
    scaled = (codes - codes.mean(0)) / codes.std(0)
    for i in range(codes.shape[1]):
        for j in range(i):
            if np.abs(scaled[:, i] - scaled[:, j]).max() < 1e-3:
                return (f"columns {j} and {i} hold the same code: take each column from a different seed's "
                        f"autoencoder (fitted['autoencoder', 1, seeds[i]]).")
    return None


def check_ex2_ordering(ordering) -> str | None:
    problem = frame_problem("ordering", ordering, ["ordered", "largest |correlation|"])
    if problem:
        return problem
    if not isinstance(ordering.index, pd.MultiIndex) or "PCA" not in ordering.index.get_level_values(0) \
            or "autoencoder" not in ordering.index.get_level_values(0):
        return ("ordering should be indexed by (method, seed), with a PCA row and the autoencoders' rows "
                "(set_index(['method', 'seed'])).")
    pca, ae = ordering.loc["PCA"].iloc[0], ordering.loc["autoencoder"]
    if len(ae) < 2:
        return f"ordering should hold every seed's autoencoder, got {len(ae)}."
    if not bool(pca["ordered"]) or not abs(float(pca["largest |correlation|"])) < 1e-4:
        return ("PCA's coordinates should come out ordered and uncorrelated (below 1e-4); check how you measure "
                "each coordinate's rise and the correlations (np.corrcoef(Z.T), off the diagonal).")
    least = float(ae["largest |correlation|"].abs().min())
    if not least > 0.05:
        return (f"in one autoencoder run the largest |correlation| is only {least:.3f}: take the largest of the "
                f"three off-diagonal entries of np.corrcoef(Z.T), in absolute value.")
    if ae["ordered"].astype(bool).all():
        return ("every autoencoder run comes out ordered: 'ordered' should be True only when the rise for z1 "
                ">= the rise for z2 >= the rise for z3.")
    return None


def check_ex2_relu(bends) -> str | None:
    if not isinstance(bends, dict) or not {"relu", "tanh"} <= set(bends):
        return f"bends should be a dict with the keys 'relu' and 'tanh', got {type(bends).__name__}."
    for name in ("relu", "tanh"):
        count = bends[name]
        if not isinstance(count, numbers.Integral) or not 0 <= int(count) <= 98:
            return f"bends[{name!r}] should be a count of the 98 inner grid points, from 0 to 98, got {count!r}."
    if not int(bends["relu"]) <= 16:
        return (f"the ReLU decoder bends at {bends['relu']} grid points, more than its 8 hidden units' corners "
                f"allow (16): check hidden=(8,) and the threshold 1e-5.")
    if not int(bends["tanh"]) > 75:
        return (f"the tanh decoder bends at only {bends['tanh']} of the 98 inner grid points, not over 75: count "
                f"a point where the largest second difference is above 1e-5.")
    return None


L1_COLUMNS = ["MSE", "mean |z|", "smaller std / larger std", "decoder's first weights, norm"]


def check_ex2_l1(l1, pca_error) -> str | None:
    problem = frame_problem("l1", l1, L1_COLUMNS) or _pca_problem(pca_error)
    if problem:
        return problem
    if len(l1) != 2:
        return f"l1 should have two rows, the unpenalised run then the penalised one, got {len(l1)}."
    plain, pen = l1.iloc[0], l1.iloc[1]
    if not pen["mean |z|"] < 0.5 * plain["mean |z|"]:
        return (f"the penalised codes' mean |z| ({pen['mean |z|']:.3g}) is not under half the unpenalised "
                f"({plain['mean |z|']:.3g}): pass latent_l1=0.01, and put the unpenalised run first.")
    if not pen["decoder's first weights, norm"] > plain["decoder's first weights, norm"]:
        return ("the decoder's first weights did not grow under the penalty: take the norm of "
                "est.model_.decoder.net[0].weight of each run.")
    if not pen["smaller std / larger std"] > 0.1:
        return (f"the penalised run's smaller spread is only {pen['smaller std / larger std']:.0%} of the larger, "
                f"not over 10 %: take Z.std(0).min() / Z.std(0).max() of its codes.")
    if not pen["MSE"] < pca_error[2] / 3:
        return (f"the penalised error ({pen['MSE']:.2e}) is not under a third of PCA-2's ({pca_error[2]:.4f}): "
                f"train with the settings of the k = 2 runs above.")
    return None


CHECKS = {"ex2-latent-size": check_ex2_latent_size, "ex2-hidden-width": check_ex2_hidden_width,
          "ex2-seeds": check_ex2_seeds, "ex2-ordering": check_ex2_ordering, "ex2-relu": check_ex2_relu,
          "ex2-l1": check_ex2_l1}
