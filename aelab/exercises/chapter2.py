"""Chapter 2's exercises: the autoencoder against PCA on a curve in 3-D.

Each check rebuilds the chapter's curve (the same seeded points as ``X``),
recomputes its numbers from the models you pass, and says when a number you
typed disagrees with what your model gives.
"""

from __future__ import annotations

from ._base import Exercise
from ._chapter2_checks import (
    _measure_latent_size, _rule_latent_size, _measure_hidden_width, _rule_hidden_width, _measure_seeds,
    _rule_seeds, _measure_ordering, _rule_ordering, _measure_relu, _rule_relu, _measure_l1, _rule_l1,
)

__all__ = ["EXERCISES"]


EXERCISES = [
    Exercise(
        "ex2-latent-size", "How big a code?",
        starter='''\
# Exercise: train the autoencoder with a code larger than the input.
from aelab import exercises
ex = exercises.get("ex2-latent-size")
runtime.seed_everything(0)
wide = ...  # models.MLPAutoencoder as above, with a 4-number code
wide_history = ...  # train.fit(...) as above, same epochs and settings
ae4_mse = ...  # its end-of-training error, read as above (metrics.end_value)
ex.check(wide=wide, wide_history=wide_history, ae4_mse=ae4_mse)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="Copy the cell that trained the one-number autoencoder: models.MLPAutoencoder(3, 4, hidden=hidden, "
             "activation='tanh'), then train.fit with the same objective, epochs, lr and batch size, and "
             "metrics.end_value(wide_history, last=LAST).",
        passed="a code larger than the input reconstructs the curve far better than PCA-2 (under a tenth of "
               "its error), and compresses nothing.",
        measure=_measure_latent_size, rule=_rule_latent_size,
    ),
    Exercise(
        "ex2-hidden-width", "Very narrow hidden layers",
        starter='''\
# Exercise: a one-number code, but a single hidden layer of 1 or 2 units.
from aelab import exercises
ex = exercises.get("ex2-hidden-width")
narrow_rows, narrow_fits = [], {}
for width in (1, 2):
    for activation in ("tanh", "relu"):
        est = ...  # estimators.AutoencoderEstimator with a 1-number code,
        # hidden=(width,), this activation and seed=runtime.seed(0),
        # the other settings as above, fitted to X
        ...  # keep est in narrow_fits[width, activation], and a row
        # with width, activation and est.reconstruction_error_
narrow = ...  # a DataFrame of the rows, with the columns
# "hidden units", "activation" and "autoencoder MSE"
ex.check(narrow=narrow, narrow_fits=narrow_fits)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="Append one dict per model to narrow_rows and make the DataFrame from the list; compare each "
             "error with pca_error[width], PCA's with as many components as the hidden layer has units.",
        passed="one hidden unit comes within twice the error of PCA's line; none of the four does better "
               "than PCA with as many components as it has hidden units, and none can: its decoder's outputs "
               "lie in a plane of that many dimensions.",
        measure=_measure_hidden_width, rule=_rule_hidden_width,
    ),
    Exercise(
        "ex2-seeds", "Why a different result every time?",
        starter='''\
# Exercise: compare the one-number codes the seeds above learned.
from aelab import exercises
ex = exercises.get("ex2-seeds")
codes_by_seed = ...  # a (100, len(seeds)) array: column i is the code of X
# by the seed-i autoencoder, fitted["autoencoder", 1, seeds[i]]
# (its .transform(X)[:, 0]); plot it with plots.latent_index
ex.check(codes_by_seed=codes_by_seed, fitted=fitted, seeds=seeds)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="np.column_stack([...]) of one code per seed makes the array; look at where each code jumps "
             "(metrics.tears(code)) and whether it rises or falls along t.",
        passed="the seeds learn different codes for the same points: no shift, scale or sign makes the two "
               "most different alike.",
        measure=_measure_seeds, rule=_rule_seeds,
    ),
    Exercise(
        "ex2-ordering", "Are the code's coordinates ordered?",
        starter='''\
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
ex.check(ordering=ordering, fitted=fitted, seeds=seeds)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="metrics.mean_ablation(method, X) gives the three rises at once (for coordinate j: set column j "
             "of Z to its mean, decode with method.inverse_transform, subtract the untouched codes' error); "
             "np.corrcoef(Z.T) gives the correlations.",
        passed="PCA's coordinates are ordered and uncorrelated; the autoencoder's come in order no more often "
               "than chance would put them, and are correlated in every run.",
        measure=_measure_ordering, rule=_rule_ordering,
    ),
    Exercise(
        "ex2-relu", "What ReLU does to a reconstruction",
        starter='''\
# Exercise: 8 hidden units, ReLU against tanh: how does each decoder draw?
from aelab import exercises
ex = exercises.get("ex2-relu")
bends, drawers = {}, {}
for activation in ["relu", "tanh"]:
    est = ...  # estimators.AutoencoderEstimator with a 1-number code,
    # hidden=(8,), this activation and seed=runtime.seed(0), fitted to X
    ...  # decode 100 codes evenly spaced over the range est.transform(X)
    # covers, and draw them with the data (plots.point_cloud)
    ...  # keep est in drawers[activation], and in bends[activation] at
    # how many of the 98 inner grid points the drawn curve bends
    # (a second difference above 1e-5)
ex.check(bends=bends, drawers=drawers)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="np.diff(drawn, n=2, axis=0) gives the 98 second differences of the (100, 3) decoded grid; count "
             "the rows whose largest absolute value is above 1e-5.",
        passed="the tanh decoder bends almost everywhere, the ReLU decoder only at its few corners (at most "
               "two grid points for each of its 8 units, by construction).",
        measure=_measure_relu, rule=_rule_relu,
    ),
    Exercise(
        "ex2-l1", "An L1 penalty on the codes",
        starter='''\
# Exercise: an L1 penalty on 2-number codes: does it switch one off?
from aelab import exercises
ex = exercises.get("ex2-l1")
penalised = ...  # estimators.AutoencoderEstimator(2, ...) as above, with
# latent_l1=0.01 and seed=runtime.seed(0), fitted to X
# the unpenalised run of the same seed: fitted["autoencoder", 2, seeds[0]]
l1 = ...  # a DataFrame with two rows, the unpenalised run first, and the
# columns "MSE" (the end of training, metrics.end_value, without the L1
# term: the penalised history's "train_recon"), "mean |z|",
# "smaller std / larger std" (of the two code coordinates)
# and "decoder's first weights, norm" (of est.model_.decoder.net[0].weight)
ex.check(l1=l1, penalised=penalised, fitted=fitted, seeds=seeds)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="For each run, Z = est.transform(X); Z.std(0) gives the two spreads; collect one dict per run and "
             "make the DataFrame from the list.",
        passed="the penalty shrinks both codes and the decoder grows to read them, while the error stays far "
               "below PCA-2's: no coordinate is switched off.",
        measure=_measure_l1, rule=_rule_l1,
    ),
]
