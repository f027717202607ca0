"""Chapter 1's exercises: weight decay, and the choice of activation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ._base import frame_problem

__all__ = ["EXERCISES", "check_ex1_weight_decay", "ACTIVATIONS", "check_ex1_activations", "CHECKS"]

EXERCISES = {
    "ex1-weight-decay": {
        "title": "Weight decay",
        "starter": '''\
# Exercise: train the MLP from initial_state with five weight decays.
from aelab import exercises
ex = exercises.get("ex1-weight-decay")
decays = [0.0, 0.001, 0.01, 0.03, 0.1]
for decay in decays:
    model = list_network(hidden_size=16, num_hidden_layers=3)
    model.load_state_dict(initial_state)  # the same start for every decay
    ...  # train.fit(...) as in the section above, with weight_decay=decay
    ...  # draw model(grid), and keep this decay's numbers (next line)
decay_table = ...  # a DataFrame, one row per decay, indexed by the decay,
# with columns "train MSE" (the last epoch's), "weight norm" (the norm of
# all the weight matrices, biases left out) and "output spread" (the
# standard deviation of model(grid))
ex.check(decay_table=decay_table, split=split)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "Pass weight_decay=decay to train.fit and keep everything else as in the section that "
                "introduced train.fit; for the weight norm, join the parameters whose name contains "
                "'weight' (torch.cat of their flattened values) and take .norm().",
        "correct": "weight decay shrinks the weights, and at 0.1 the network collapses to a constant "
                   "whose training error is the targets' variance.",
    },
    "ex1-activations": {
        "title": "Activation functions",
        "starter": '''\
# Exercise: the same MLP with four activations, trained for the same steps.
from aelab import exercises
ex = exercises.get("ex1-activations")
for name in ["relu", "tanh", "sigmoid", "elu"]:
    runtime.seed_everything(0)
    model = models.MLP([1, 16, 16, 16, 16, 1], activation=name)
    ...  # train.fit(...) as in the section above (steps epochs, lr=0.01)
    ...  # draw model(grid), and keep this activation's numbers (next line)
activation_table = ...  # a DataFrame indexed by the activation's name, with
# columns "train MSE" (the last epoch's), "steps to train MSE 0.05" (the
# first epoch whose train_loss is below 0.05) and "share of grid where the
# fit bends" (the share of grid points where the second difference of
# model(grid) is above 1e-5 in size)
ex.check(activation_table=activation_table)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "Keep each history h that train.fit returns: h['epoch'][h['train_loss'] < 0.05] lists the "
                "epochs below 0.05. For the bends, with curve = model(grid).flatten(), take "
                "(curve[2:] - 2 * curve[1:-1] + curve[:-2]).abs() > 1e-5 and its mean.",
        "correct": "the ReLU fit is piecewise straight and the Tanh fit bends almost everywhere, all four fit "
                   "the training points, and Sigmoid is the slowest to get there.",
    },
}


def _table_problem(name: str, value, columns: list, index: list, index_name: str) -> str | None:
    """None when ``value`` is a DataFrame with ``columns`` and a row for each of ``index``; else what is off."""
    problem = frame_problem(name, value, columns)
    if problem:
        return problem
    absent = [i for i in index if _row(value, i) is None]
    if absent:
        return (f"{name} should have one row per {index_name}, indexed by it; no row for "
                f"{', '.join(repr(i) for i in absent)}.")
    return None


def _row(table: pd.DataFrame, key):
    """The row of ``table`` whose index is ``key`` (a float matched with a tolerance), or None."""
    for label in table.index:
        if isinstance(key, str):
            if label == key:
                return table.loc[label]
        else:
            try:
                if math.isclose(float(label), key, rel_tol=1e-9, abs_tol=1e-12):
                    return table.loc[label]
            except (TypeError, ValueError):
                continue
    return None


def check_ex1_weight_decay(decay_table, split) -> str | None:
    problem = _table_problem("decay_table", decay_table, ["train MSE", "weight norm", "output spread"],
                             [0.0, 0.001, 0.1], "weight decay")
    if problem:
        return problem
    if not hasattr(split, "y_train"):
        return f"split should be the chapter's toy data set (data.toy_regression), got {type(split).__name__}."
    none, small, big = (_row(decay_table, d) for d in (0.0, 0.001, 0.1))
    if not small["weight norm"] < none["weight norm"]:
        return (f"the weight norm does not fall from no decay ({none['weight norm']:.3g}) to 0.001 "
                f"({small['weight norm']:.3g}): pass weight_decay=decay to train.fit, and start each model "
                f"from initial_state.")
    if not big["weight norm"] < small["weight norm"]:
        return (f"the weight norm at 0.1 ({big['weight norm']:.3g}) is not below the one at 0.001 "
                f"({small['weight norm']:.3g}).")
    if not big["output spread"] < 1e-3:
        return (f"at weight decay 0.1 the fitted curve still varies (its spread is {big['output spread']:.2g}, "
                f"not under 1e-3): train for the same number of steps as the MLP above, with Adam's weight_decay.")
    variance = float(split.y_train.var(unbiased=False))
    if not abs(big["train MSE"] - variance) < 0.02:
        return (f"at weight decay 0.1 the training MSE ({big['train MSE']:.3f}) should be the targets' "
                f"variance ({variance:.3f}), within 0.02: is 'train MSE' the last epoch's train_loss?")
    return None


ACTIVATIONS = ["relu", "tanh", "sigmoid", "elu"]


def check_ex1_activations(activation_table) -> str | None:
    steps, bends = "steps to train MSE 0.05", "share of grid where the fit bends"
    problem = _table_problem("activation_table", activation_table, ["train MSE", steps, bends], ACTIVATIONS,
                             "activation")
    if problem:
        return problem
    rows = {name: _row(activation_table, name) for name in ACTIVATIONS}
    worst = max(ACTIVATIONS, key=lambda n: rows[n]["train MSE"])
    if not rows[worst]["train MSE"] < 0.05:
        return (f"the {worst} network's training MSE ends at {rows[worst]['train MSE']:.3g}, not below 0.05: "
                f"train each one for as many steps as the MLP above, lr=0.01, the whole set in each batch.")
    share = {n: float(rows[n][bends]) for n in ACTIVATIONS}
    if not all(0 <= s <= 1 for s in share.values()):
        return f"the column {bends!r} should hold shares from 0 to 1, got {share}."
    if not share["relu"] < 0.5:
        return (f"the ReLU fit bends at {share['relu']:.0%} of the grid, not under half: count a bend where "
                f"the second difference's size is above 1e-5.")
    if not share["tanh"] > 0.9:
        return f"the Tanh fit bends at {share['tanh']:.0%} of the grid, not over 90 %."
    reached = {n: rows[n][steps] for n in ACTIVATIONS}
    if any(v is None or (isinstance(v, float) and np.isnan(v)) for v in reached.values()):
        return f"the column {steps!r} should give, for each activation, the first epoch below 0.05; got {reached}."
    slowest_other = max(float(reached[n]) for n in ACTIVATIONS if n != "sigmoid")
    if not float(reached["sigmoid"]) > slowest_other:
        return (f"Sigmoid reaches 0.05 at step {reached['sigmoid']}, not after every other activation "
                f"(the slowest other: {slowest_other:g}): seed each run with runtime.seed_everything(0).")
    return None


CHECKS = {"ex1-weight-decay": check_ex1_weight_decay, "ex1-activations": check_ex1_activations}
