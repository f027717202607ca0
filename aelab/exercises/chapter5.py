"""Chapter 5's exercises: traversal and DCI."""

from __future__ import annotations

import math

import pandas as pd

from aelab import runtime

__all__ = ["SCORES", "EXERCISES", "check_ex5_beta", "check_ex5_regressor", "check_ex5_rotation", "CHECKS"]

SCORES = ("disentanglement", "completeness", "informativeness")

EXERCISES = {
    "ex5-beta": {
        "title": "Change β",
        "starter": '''\
# Exercise: VAEs with beta = 2 and beta = 8, scored with DCI, then check.
from aelab import exercises
ex = exercises.get("ex5-beta")
beta_rows = {}
for beta in (2.0, 8.0):
    runtime.seed_everything(0)
    ...  # a VAE as vaes[1.0] in section 6, trained with this beta (kind="bce")
    # and **fit_args; encode shapes.x_test; then store
    # beta_rows[f"β = {beta:g}"] = {**metrics.dci(z, factors, ...),
    #     "active dimensions": the count by section 6's rule of thumb}
beta_table = ...  # DataFrame, one row per β: "β = 1" and "β = 4" from
#                   scores and active, "β = 2" and "β = 8" from beta_rows
ex.check(beta_table=beta_table)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "models.VAE((1, 32, 32), 8, hidden=(256, 128), output=\"sigmoid\"), trained with "
                "train.vae_objective(beta=beta, kind=\"bce\"); a dimension is active when z.std(0) is above "
                "a tenth of its largest value. pd.DataFrame(beta_rows).T gives one row per β.",
        "correct": "a larger β switches dimensions off and costs informativeness; D moves less than the seed "
                   "moves it.",
    },
    "ex5-regressor": {
        "title": "Change the regressor",
        "starter": '''\
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
ex.check(regressors=regressors)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "metrics.dci(z, factors, method=method, n_estimators=n_trees) returns a dict of the scores; "
                "pd.DataFrame(rows).T turns a dict keyed by (code, regressor) into the table.",
        "correct": "every regressor gives the true factors a D above 0.9; on learned codes the scores change "
                   "with the regressor.",
    },
    "ex5-rotation": {
        "title": "Rotate a disentangled code",
        "starter": '''\
# Exercise: DCI of rotated true factors, then check.
from aelab import exercises
ex = exercises.get("ex5-rotation")
turn = ...  # a 5 x 5 rotation turning only the x-y plane by 45 degrees
rotated = ...  # {"true factors": standard,
#                 "x-y plane turned 45°": standard turned by turn,
#                 "random rotation": standard turned by rotation}
rotation_scores = ...  # {name: metrics.dci(z, factors, ...) of each}
ex.check(rotation_scores=rotation_scores)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "Turning x and y alone is a 2 x 2 rotation in the top-left corner of np.eye(5); the codes are "
                "rows, so multiply standard by a rotation on the right. plots.hinton draws each importance matrix "
                "(return_importance=True).",
        "correct": "rotation keeps the information (I above 0.7) but lowers D, part of the way when only the "
                   "x-y plane turns.",
    },
}


def _score(table, row, column) -> float:
    return float(table.loc[row, column])


def _scores_problem(name: str, table: pd.DataFrame, rows, columns) -> str | None:
    missing = [row for row in rows if row not in table.index]
    if missing:
        return f"{name} should have a row for each of {list(rows)}; it lacks {missing}."
    for row in rows:
        for column in columns:
            try:
                value = _score(table, row, column)
            except (TypeError, ValueError):
                return f"{name}'s {column} of {row!r} should be a number."
            if not math.isfinite(value):
                return f"{name}'s {column} of {row!r} is {value}; fill in every score."
    return None


def check_ex5_beta(beta_table) -> str | None:
    columns = (*SCORES, "active dimensions")
    if not isinstance(beta_table, pd.DataFrame) or any(c not in beta_table for c in columns):
        return (f"beta_table should be a DataFrame with one row per β and the columns {list(columns)}, "
                f"got {type(beta_table).__name__}.")
    rows = ("β = 1", "β = 2", "β = 8")
    problem = _scores_problem("beta_table", beta_table, rows, columns)
    if problem:
        return problem
    width = 8  # the chapter's codes have 8 numbers
    for row in beta_table.index:
        active = float(beta_table.loc[row, "active dimensions"])
        if not (active == int(active) and 1 <= active <= width):
            return f"the active dimensions of {row!r} should be a whole number from 1 to {width}, got {active:g}."
    active1, active8 = (_score(beta_table, r, "active dimensions") for r in ("β = 1", "β = 8"))
    if not active8 <= active1:
        return (f"at β = 8 the table counts {active8:g} active dimensions, more than at β = 1 ({active1:g}): "
                f"check that each row comes from its own β.")
    if runtime.quick():  # the quick profile's few epochs switch nothing off yet: the claim needs the full one
        return None
    info1, info8 = (_score(beta_table, r, "informativeness") for r in ("β = 1", "β = 8"))
    if not active8 < 5:
        return (f"at β = 8, {active8:g} of the 8 dimensions stay active; the chapter finds fewer than 5: check "
                f"train.vae_objective(beta=8.0, kind=\"bce\") and the count (spread above a tenth of the widest).")
    if not info8 < info1:
        return (f"the informativeness at β = 8 ({info8:.2f}) is not below β = 1's ({info1:.2f}): a heavier KL "
                f"term should cost information; check that the row is the β = 8 VAE's.")
    return None


def check_ex5_regressor(regressors) -> str | None:
    if not isinstance(regressors, pd.DataFrame) or any(c not in regressors for c in SCORES):
        return (f"regressors should be a DataFrame indexed by (code, regressor) with the columns {list(SCORES)}, "
                f"got {type(regressors).__name__}.")
    codes, methods = ("true factors", "autoencoder", "VAE (β = 1)"), ("gbt", "lasso", "forest")
    problem = _scores_problem("regressors", regressors, [(c, m) for c in codes for m in methods], SCORES)
    if problem:
        return problem
    for method in methods:
        d = _score(regressors, ("true factors", method), "disentanglement")
        if not d > 0.9:
            return (f"with {method!r} the true factors score D = {d:.2f}, not above 0.9: score the standardized "
                    f"true factors, representations['true factors'], with method={method!r}.")
    for code in codes[1:]:
        found = [tuple(_score(regressors, (code, m), s) for s in SCORES) for m in methods]
        if len(set(found)) < len(methods):
            return (f"two regressors give the {code} exactly the same scores: pass method=method to "
                    f"metrics.dci for each row.")
    if runtime.quick():  # a few epochs leave the autoencoder's code too poor for the lasso claim
        return None
    lasso, gbt = (_score(regressors, ("autoencoder", m), "informativeness") for m in ("lasso", "gbt"))
    if not lasso < gbt:
        return (f"on the autoencoder's code the lasso's informativeness ({lasso:.2f}) is not below the boosted "
                f"trees' ({gbt:.2f}); the chapter finds the linear model predicts the factors worse.")
    return None


def check_ex5_rotation(rotation_scores) -> str | None:
    names = ("true factors", "x-y plane turned 45°", "random rotation")
    if not isinstance(rotation_scores, dict) or any(n not in rotation_scores for n in names):
        return (f"rotation_scores should be a dict with the keys {list(names)}, each the dict metrics.dci "
                f"returns, got {type(rotation_scores).__name__}"
                + (f" with the keys {list(rotation_scores)}" if isinstance(rotation_scores, dict) else "") + ".")
    try:
        table = pd.DataFrame({n: rotation_scores[n] for n in names}).T
    except (TypeError, ValueError):
        return "each value of rotation_scores should be the dict metrics.dci returns."
    if any(c not in table for c in SCORES):
        return f"each value of rotation_scores should be the dict metrics.dci returns, with {list(SCORES)}."
    problem = _scores_problem("rotation_scores", table, names, SCORES)
    if problem:
        return problem
    truth, turned, spun = (table.loc[n] for n in names)
    if not truth["disentanglement"] > 0.9:
        return (f"the true factors score D = {truth['disentanglement']:.2f}, not above 0.9: score the "
                f"standardized factors, `standard`, unrotated.")
    if not 0.7 < turned["disentanglement"] < truth["disentanglement"] - 0.05:
        return (f"turning the x-y plane by 45° gives D = {turned['disentanglement']:.2f}; mixing two of the five "
                f"factors should lower D part of the way (to about 0.83), from the true factors' "
                f"{truth['disentanglement']:.2f}: check turn.")
    if not spun["disentanglement"] < truth["disentanglement"]:
        return (f"the random rotation's D ({spun['disentanglement']:.2f}) is not below the true factors' "
                f"({truth['disentanglement']:.2f}): rotate standard by `rotation`.")
    for name, row in (("x-y plane turned 45°", turned), ("random rotation", spun)):
        if not row["informativeness"] > 0.7:
            return (f"the {name} keeps an informativeness of only {row['informativeness']:.2f}, not above 0.7: "
                    f"a rotation keeps the information; rotate the standardized factors, `standard`.")
    return None


CHECKS = {"ex5-beta": check_ex5_beta, "ex5-regressor": check_ex5_regressor, "ex5-rotation": check_ex5_rotation}
