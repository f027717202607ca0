"""Chapter 1's exercises: weight decay, and the choice of activation."""

from __future__ import annotations

import math

import pandas as pd
import torch
import torch.nn.functional as F

from .. import data, models, runtime
from ..comparisons import above, below
from ..train import evaluate
from ._base import Exercise, Problem, frame_problem, history_problem, matching_test_loss

__all__ = ["EXERCISES"]

DECAYS = [0.0, 0.001, 0.01, 0.03, 0.1]  # the weight decays the exercise asks for
COMPARED_ACTIVATIONS = ["relu", "tanh", "sigmoid", "elu"]  # the four the second exercise compares
SEEDS = 5  # seeds per activation, as the book's solution trains them
# Two numbers computed the same way from the same model agree to float rounding; a table
# typed by hand, or computed another way (variance for spread, biases in the norm), does not.
SAME_NUMBER = 1e-3


def _toy():
    """The chapter's data set and grid, made as the chapter makes them (same seed)."""
    split = data.toy_regression(n=30, noise=0.1, test_fraction=0.4, seed=runtime.seed(0))
    grid = torch.linspace(-1.1, 1.1, 221, device=split.x_train.device).unsqueeze(1)  # (221, 1)
    return split, grid


def _squared_error(model, batch):
    x, y = batch
    return F.mse_loss(model(x), y)


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


def _rows(name: str, table, columns: list, keys: list, key_name: str) -> dict:
    """``{key: row}`` of a student's table, once it has the columns and a row per key; else a Problem."""
    problem = frame_problem(name, table, columns)
    if problem:
        raise Problem(problem)
    rows = {k: _row(table, k) for k in keys}
    absent = [k for k, row in rows.items() if row is None]
    if absent:
        raise Problem(f"{name} should have one row per {key_name}, indexed by it; no row for "
                      f"{', '.join(repr(k) for k in absent)}.")
    return rows


def _entry(name: str, fits, key, pair: str):
    """``fits[key]``, a ``pair`` (a float key matched with a tolerance), or a Problem saying what is missing."""
    if not isinstance(fits, dict):
        raise Problem(f"{name} should be a dict, got {type(fits).__name__}.")
    for k, v in fits.items():
        if k == key or (not isinstance(key, str) and isinstance(k, (int, float))
                        and math.isclose(float(k), key, rel_tol=1e-9, abs_tol=1e-12)):
            if not (isinstance(v, tuple) and len(v) == 2):
                raise Problem(f"{name}[{key!r}] should be the pair {pair}, got {type(v).__name__}.")
            return v
    raise Problem(f"{name} has no entry for {key!r}; it has {', '.join(repr(k) for k in fits)}.")


def _agrees(what: str, yours, ours: float, how: str) -> None:
    """Nothing when the student's number is the one the check computes; else a Problem naming both."""
    try:
        yours = float(yours)
    except (TypeError, ValueError):
        raise Problem(f"{what} should be a number, got {yours!r}.") from None
    if not abs(yours - ours) <= SAME_NUMBER * abs(ours) + 1e-6:
        raise Problem(f"{what} is {yours:.4g}, but {how} is {ours:.4g}.")


def _epochs(name: str, history, steps: int) -> None:
    if len(history) != steps:
        raise Problem(f"{name} ran {len(history)} epochs; train for as many steps as the MLP above "
                      f"(epochs=steps, {steps}).")


def _reference_steps(history) -> int:
    problem = history_problem("history", history)
    if problem:
        raise Problem(problem + " Pass the chapter's own history (from the section on train.fit).")
    return len(history)


# --------------------------------------------------------------------------- weight decay


def _weight_norm(model) -> float:
    """The norm of all the weight matrices together, biases left out."""
    return torch.cat([p.detach().flatten() for n, p in model.named_parameters() if "weight" in n]).norm().item()


def _measure_decay(decay_fits, decay_table, history) -> dict:
    """Each decay's weight norm, output spread and training MSE, recomputed from its model and history."""
    split, grid = _toy()
    steps = _reference_steps(history)
    rows = _rows("decay_table", decay_table, ["train MSE", "weight norm", "output spread"], DECAYS,
                 "weight decay")
    norms, spreads, train = {}, {}, {}
    for d in DECAYS:
        model, h = _entry("decay_fits", decay_fits, d, "(model, history)")
        name = f"decay_fits[{d:g}]"
        if not isinstance(model, torch.nn.Module):
            raise Problem(f"{name} should be (model, history) with the network you trained first, "
                          f"got {type(model).__name__}.")
        matching_test_loss(name, model, h, (split.x_test, split.y_test), _squared_error)
        _epochs(f"{name}'s history", h, steps)
        with torch.no_grad():
            spreads[d] = model(grid).std().item()
        norms[d], train[d] = _weight_norm(model), float(h["train_loss"].iloc[-1])
        row = rows[d]
        _agrees(f"decay_table's 'weight norm' at {d:g}", row["weight norm"], norms[d],
                "the norm of its model's weight matrices (biases left out)")
        _agrees(f"decay_table's 'output spread' at {d:g}", row["output spread"], spreads[d],
                "the standard deviation of its model(grid)")
        _agrees(f"decay_table's 'train MSE' at {d:g}", row["train MSE"], train[d],
                "the last train_loss of its history")
    variance = split.y_train.var(unbiased=False).item()
    fitted = evaluate(_entry("decay_fits", decay_fits, 0.0, "")[0], (split.x_train, split.y_train),
                      _squared_error)["loss"]
    if not fitted < variance / 2:
        raise Problem(f"without decay the model's training MSE is {fitted:.3g}, no better than a constant "
                      f"({variance:.3g}, the targets' variance): train each model with train.fit.")
    if max(norms.values()) - min(norms.values()) <= 1e-6 * max(norms.values()):
        raise Problem("the five models have the same weights: pass weight_decay=decay to train.fit.")
    return {"norm_none": norms[0.0], "norm_small": norms[0.001], "norm_big": norms[0.1],
            "spread_big": spreads[0.1], "train_big": train[0.1], "variance": variance}


def _rule_decay(norm_none, norm_small, norm_big, spread_big, train_big, variance) -> list:
    """Decay shrinks the weights, and at 0.1 the network is a constant with the targets' variance as its MSE."""
    # the first on a log scale (a factor of 1.5 to 2.4 over seeds); the second not: at 0.1 the norm
    # ends anywhere from 1e-3 to 1e-22 (or 0), a spread of ratios no bound sits steadily above
    return [below("weight norm at 0.001 (below none's)", norm_small, norm_none, log=True),
            below("weight norm at 0.1 (below 0.001's)", norm_big, norm_small),
            below("output spread at 0.1", spread_big, 1e-4),
            below("|train MSE at 0.1 / variance of y - 1|", abs(train_big / variance - 1), 0.01)]


WEIGHT_DECAY = Exercise(
    "ex1-weight-decay", "Weight decay",
    starter='''\
# Exercise: train the MLP from initial_state with five weight decays.
from aelab import exercises
ex = exercises.get("ex1-weight-decay")
decays = [0.0, 0.001, 0.01, 0.03, 0.1]
decay_fits = {}  # decay -> (model, history)
for decay in decays:
    model = list_network(hidden_size=16, num_hidden_layers=3)
    model.load_state_dict(initial_state)  # the same start for every decay
    h = ...  # train.fit(...) as in the section on it, weight_decay=decay
    decay_fits[decay] = (model, h)
decay_table = ...  # a DataFrame, one row per decay, indexed by the decay,
# with columns "train MSE" (the last epoch's train_loss), "weight norm" (the
# norm of all the weight matrices, biases left out) and "output spread"
# (the standard deviation of model(grid))
ex.check(decay_fits=decay_fits, decay_table=decay_table, history=history)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
    hint="Call train.fit exactly as the section on train.fit does (epochs=steps, lr=0.01, the whole "
         "set in each batch, test=...) and add weight_decay=decay; keep the default optimizer, Adam, whose "
         "weight_decay is the L2 term the exercise is about. For the weight norm, join the "
         "parameters whose name contains 'weight' (torch.cat of their flattened values) and take .norm().",
    passed="weight decay shrinks the weights, and at 0.1 the network collapses to a constant whose "
           "training error is the targets' variance.",
    measure=_measure_decay, rule=_rule_decay,
)


# --------------------------------------------------------------------------- activations


def _measure_activations(act_fits, activation_table, history) -> dict:
    """Per activation, over its seeds: the median bends, training MSE and steps to 0.05, recomputed."""
    split, grid = _toy()
    steps = _reference_steps(history)
    bends_col, steps_col = "share of grid where the fit bends", "steps to train MSE 0.05"
    rows = _rows("activation_table", activation_table, ["train MSE", steps_col, bends_col],
                 COMPARED_ACTIVATIONS, "activation")
    found = {}
    for act in COMPARED_ACTIVATIONS:
        h, trained = _entry("act_fits", act_fits, act, "(history, trained) that stacked.fit_seeds returns")
        name = f"act_fits[{act!r}]"
        if not (isinstance(trained, (list, tuple)) and all(isinstance(m, torch.nn.Module) for m in trained)):
            raise Problem(f"{name} should be (history, trained) as stacked.fit_seeds returns them "
                          f"(a list of models second), got {type(trained).__name__}.")
        problem = history_problem(f"{name}'s history", h)
        if problem:
            raise Problem(problem)
        if "seed" not in h or len(trained) != SEEDS or h["seed"].nunique() != SEEDS:
            raise Problem(f"{name} should hold {SEEDS} seeds trained by stacked.fit_seeds (seeds=five), "
                          f"got {len(trained)} models.")
        kinds = {type(m) for model in trained for m in model.modules() if type(m) in models.ACTIVATIONS.values()}
        if kinds != {models.ACTIVATIONS[act]}:
            used = ", ".join(sorted(k.__name__ for k in kinds)) or "no activation"
            raise Problem(f"the models in {name} use {used}, not {models.ACTIVATIONS[act].__name__}: "
                          f"build each with activation=name.")
        last = h.groupby("seed").last()
        for i, (seed, model) in enumerate(zip(h["seed"].unique(), trained)):
            one = h[h["seed"] == seed]
            _epochs(f"{name}'s seed {seed}", one, steps)
            matching_test_loss(f"{name}[1][{i}]", model, one, (split.x_test, split.y_test), _squared_error)
        with torch.no_grad():
            curves = torch.stack([m(grid).flatten() for m in trained])  # (SEEDS, 221)
        second = curves[:, 2:] - 2 * curves[:, 1:-1] + curves[:, :-2]
        bends = (second.abs() > 1e-5).float().mean(1).median().item()
        train = float(last["train_loss"].median())
        reached = h[h["train_loss"] < 0.05].groupby("seed")["epoch"].min().median()
        if pd.isna(reached):
            raise Problem(f"no seed of {act} brings train_loss below 0.05 within {steps} steps: train with "
                          f"lr=0.01 and the whole set in each batch, as the MLP above.")
        row = rows[act]
        _agrees(f"activation_table's 'train MSE' for {act}", row["train MSE"], train,
                "the median over the seeds of the last train_loss")
        _agrees(f"activation_table's {steps_col!r} for {act}", row[steps_col], float(reached),
                "the median over the seeds of the first epoch with train_loss below 0.05")
        _agrees(f"activation_table's {bends_col!r} for {act}", row[bends_col], bends,
                "the median over the seeds of the share of grid points whose second difference is above 1e-5")
        found[act] = (bends, train, float(reached))
    # the least-squares line, in closed form: what no line gets below
    design = torch.cat([split.x_train, torch.ones_like(split.x_train)], dim=1).cpu()
    coef = torch.linalg.lstsq(design, split.y_train.cpu()).solution
    line_train = F.mse_loss(design @ coef, split.y_train.cpu()).item()
    return {"relu_bends": found["relu"][0], "tanh_bends": found["tanh"][0],
            "worst_train": max(f[1] for f in found.values()), "line_train": line_train,
            "sigmoid_steps": found["sigmoid"][2],
            "other_steps": max(f[2] for a, f in found.items() if a != "sigmoid")}


def _rule_activations(relu_bends, tanh_bends, worst_train, line_train, sigmoid_steps, other_steps) -> list:
    """ReLU's fit is piecewise straight, Tanh's bends, all four fit, and Sigmoid gets there last."""
    return [below("share where the ReLU fit bends", relu_bends, 0.5),
            above("share where the Tanh fit bends", tanh_bends, 0.9),
            below("largest median train MSE (below a fifth of the line's)", worst_train, line_train / 5,
                  log=True),
            above("sigmoid's steps to 0.05 (above every other's)", sigmoid_steps, other_steps, log=True)]


ACTIVATION_CHOICE = Exercise(
    "ex1-activations", "Activation functions",
    starter='''\
# Exercise: the same MLP with four activations, five seeds each.
from aelab import exercises
ex = exercises.get("ex1-activations")
five = [runtime.seed(s) for s in range(5)]
act_fits = {}  # name -> (h, trained), as stacked.fit_seeds returns them
for name in ["relu", "tanh", "sigmoid", "elu"]:
    act_fits[name] = ...  # stacked.fit_seeds(...) of
    # models.MLP([1, 16, 16, 16, 16, 1], activation=name), seeds=five,
    # with the settings of the section on train.fit (epochs=steps, lr=0.01)
activation_table = ...  # a DataFrame indexed by the activation's name, with
# the median over the five seeds of: "train MSE" (the last epoch's),
# "steps to train MSE 0.05" (the first epoch whose train_loss is below
# 0.05) and "share of grid where the fit bends" (the share of grid points
# where the second difference of model(grid) is above 1e-5 in size)
ex.check(act_fits=act_fits, activation_table=activation_table, history=history)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
    hint="stacked.fit_seeds takes the arguments of train.fit plus seeds= and a function that builds one "
         "model (lambda: models.MLP(...)). From its history h: h.groupby('seed').last() gives each seed's "
         "last epoch, and h[h['train_loss'] < 0.05].groupby('seed')['epoch'].min() the first epoch below "
         "0.05. For the bends, with curve = model(grid).flatten(), take (curve[2:] - 2 * curve[1:-1] + "
         "curve[:-2]).abs() > 1e-5 and its mean.",
    passed="the ReLU fit is piecewise straight and the Tanh fit bends almost everywhere, all four fit "
           "the training points far better than a line, and Sigmoid is the slowest to get there.",
    measure=_measure_activations, rule=_rule_activations,
)

EXERCISES = [WEIGHT_DECAY, ACTIVATION_CHOICE]
