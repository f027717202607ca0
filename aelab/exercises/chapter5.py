"""Chapter 5's exercises: β, the regressor, and a rotated code, each checked on the objects that made it."""

from __future__ import annotations

from ._base import Exercise
from ._chapter5_checks import (
    _measure_beta, _rule_beta, _measure_regressor, _rule_regressor, _measure_rotation, _rule_rotation,
)

__all__ = ["EXERCISES"]


EXERCISES = [
    Exercise(
        "ex5-beta", "Change β",
        starter='''\
# Exercise: VAEs with beta = 2 and beta = 8, scored with DCI, then check.
from aelab import exercises
ex = exercises.get("ex5-beta")
for beta in (2.0, 8.0):
    runtime.seed_everything(0)
    vaes[beta] = ...  # a VAE as vaes[1.0] in section 6
    fits[beta] = ...  # train.fit(...) with this beta, kind="bce", **fit_args
beta_rows = {}
for beta, vae in sorted(vaes.items()):
    ...  # encode shapes.x_test, then beta_rows[f"β = {beta:g}"] = {
    #      **metrics.dci(z, factors, n_estimators=n_trees),
    #      "active dimensions": metrics.active_dimensions(z, relative=True)}
by_beta = ...  # a DataFrame, one row per β: pd.DataFrame(beta_rows).T
ex.check(vaes=vaes, fits=fits, by_beta=by_beta, shapes=shapes, n_trees=n_trees)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="vaes[beta] = models.VAE((1, 32, 32), 8, hidden=(256, 128), output=\"sigmoid\"); fits[beta] = "
             "train.fit(vaes[beta], shapes.x_train, train.vae_objective(beta=beta, kind=\"bce\"), **fit_args). "
             "z = vae.encode(shapes.x_test).cpu().numpy() under torch.no_grad(), after vae.eval().",
        passed="at β = 8 more than half of the 8 dimensions switch off, and informativeness falls below β = 1's.",
        measure=_measure_beta, rule=_rule_beta, condition="full profile",
        quick="every VAE is trained with its β for the chapter's epochs and every row of by_beta is its VAE's; "
              "after the quick profile's 4 epochs no β switches a dimension off yet, so whether β = 8 switches "
              "off more than half of them and costs informativeness is checked in the full profile only (run "
              "the chapter without AELAB_QUICK).",
    ),
    Exercise(
        "ex5-regressor", "Change the regressor",
        starter='''\
# Exercise: DCI with three regressors, then check.
from aelab import exercises
ex = exercises.get("ex5-regressor")
rows = {}
for name in ("true factors", "autoencoder", "VAE (β = 1)"):
    for method in ("gbt", "lasso", "forest"):
        ...  # rows[(name, method)] = the three scores of
        # metrics.dci(representations[name], factors, method=method, ...)
regressors = ...  # DataFrame indexed by (code, regressor): one column per
#                   score (disentanglement, completeness, informativeness)
ex.check(regressors=regressors, ae=ae, shapes=shapes, n_trees=n_trees)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="metrics.dci(z, factors, method=method, n_estimators=n_trees) returns a dict of the scores (drop "
             "informativeness_train); pd.DataFrame(rows).T turns a dict keyed by (code, regressor) into the "
             "table. Compare the autoencoder's informativeness under the lasso and under the trees.",
        passed="on the autoencoder's code the lasso, which sees only linear relations, predicts the factors "
               "worse than boosted trees.",
        measure=_measure_regressor, rule=_rule_regressor, condition="full profile",
        quick="the autoencoder is trained (better than the mean image) and the table's autoencoder rows are "
              "what its code gives; after the quick profile's 4 epochs its code is too poor for the lasso to "
              "fall behind the trees reliably, so that is checked in the full profile only (run the chapter "
              "without AELAB_QUICK).",
    ),
    Exercise(
        "ex5-rotation", "Rotate a disentangled code",
        starter='''\
# Exercise: DCI of rotated true factors, then check.
from aelab import exercises
ex = exercises.get("ex5-rotation")
turn = ...  # a 5 x 5 rotation turning only the x-y plane by 45 degrees
rotated = ...  # {"true factors": standard,
#                 "x-y plane turned 45°": standard turned by turn,
#                 "random rotation": standard turned by rotation}
rotation_scores = ...  # {name: metrics.dci(z, factors, n_estimators=n_trees)}
ex.check(rotated=rotated, rotation_scores=rotation_scores, n_trees=n_trees)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="Turning x and y alone is a 2 x 2 rotation [[c, -s], [s, c]] in the top-left corner of np.eye(5); "
             "the codes are rows, so multiply standard by a rotation on the right (standard @ turn). "
             "plots.hinton draws each importance matrix (metrics.dci(..., return_importance=True)).",
        passed="a rotation keeps the information (I above 0.7) but lowers D, only part of the way when just "
               "the x-y plane turns.",
        measure=_measure_rotation, rule=_rule_rotation,
    ),
]
