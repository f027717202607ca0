"""Chapter 1's exercises: the book's solutions pass; the wrong answers a student gives do not."""

import copy

import pandas as pd
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from aelab import data, exercises, models, runtime, stacked, train

STEPS = 1000  # the chapter's quick-profile budget (steps = runtime.budget(full=2000, quick=1000))
DECAYS = [0.0, 0.001, 0.01, 0.03, 0.1]
NAMES = ["relu", "tanh", "sigmoid", "elu"]


def squared_error(model, batch):
    x, y = batch
    return F.mse_loss(model(x), y)


def list_network(hidden_size=16, num_hidden_layers=3, activation=nn.ReLU):
    """The chapter's loop-built network."""
    layers = [nn.Linear(1, hidden_size), activation()]
    for _ in range(num_hidden_layers):
        layers += [nn.Linear(hidden_size, hidden_size), activation()]
    layers.append(nn.Linear(hidden_size, 1))
    return nn.Sequential(*layers)


@pytest.fixture(scope="module")
def toy():
    split = data.toy_regression(n=30, noise=0.1, test_fraction=0.4, seed=runtime.seed(0))
    grid = torch.linspace(-1.1, 1.1, 221, device=runtime.device()).unsqueeze(1)
    runtime.seed_everything(0)
    initial_state = copy.deepcopy(list_network().to(runtime.device()).state_dict())
    return split, grid, initial_state


def _fit_decay(toy, decay, epochs=STEPS, optimizer="adam"):
    split, _, initial_state = toy
    model = list_network()
    model.load_state_dict(initial_state)
    h = train.fit(model, (split.x_train, split.y_train), squared_error, epochs=epochs, lr=0.01,
                  batch_size=len(split.x_train), test=(split.x_test, split.y_test), weight_decay=decay,
                  optimizer=optimizer)
    return model, h


def _decay_table(toy, decay_fits):
    """The table as the book's solution makes it."""
    _, grid, _ = toy
    rows = []
    for decay, (model, h) in decay_fits.items():
        weights = torch.cat([p.detach().flatten() for name, p in model.named_parameters() if "weight" in name])
        with torch.no_grad():
            curve = model(grid)
        rows.append({"weight decay": decay, "train MSE": h["train_loss"].iloc[-1],
                     "test MSE": h["test_loss"].iloc[-1], "weight norm": weights.norm().item(),
                     "output spread": curve.std().item()})
    return pd.DataFrame(rows).set_index("weight decay")


@pytest.fixture(scope="module")
def decay_book(toy):
    """The book's solution of ex1-weight-decay, trained as the quick profile trains it."""
    decay_fits = {decay: _fit_decay(toy, decay) for decay in DECAYS}
    # the chapter's train.fit section trains the same network from the same start without decay
    history = decay_fits[0.0][1].copy()
    return dict(decay_fits=decay_fits, decay_table=_decay_table(toy, decay_fits), history=history)


def _says(capsys, label, **answers):
    passed = exercises.get(label).check(**answers)
    return bool(passed), capsys.readouterr().out


# --------------------------------------------------------------------------- ex1-weight-decay


def test_weight_decay_the_books_solution_passes_in_both_profiles(decay_book, capsys, monkeypatch):
    monkeypatch.setenv("AELAB_QUICK", "1")
    passed, said = _says(capsys, "ex1-weight-decay", **decay_book)
    assert passed and said.startswith("Correct: weight decay shrinks the weights"), said
    monkeypatch.delenv("AELAB_QUICK")
    passed, said = _says(capsys, "ex1-weight-decay", **decay_book)
    assert passed and said.startswith("Correct: weight decay shrinks") and "output spread at 0.1" in said


def test_weight_decay_the_untouched_starter_is_not_attempted(capsys):
    passed, said = _says(capsys, "ex1-weight-decay", decay_fits={}, decay_table=..., history=...)
    assert not passed and said.startswith("Not attempted")


def test_weight_decay_typed_numbers_fail(decay_book, capsys):
    typed = decay_book["decay_table"].copy()
    typed.loc[0.001, "weight norm"] = 3.0  # "the norm drops to about 3"
    passed, said = _says(capsys, "ex1-weight-decay", **dict(decay_book, decay_table=typed))
    assert not passed and "decay_table's 'weight norm' at 0.001 is 3, but the norm of its model's weight matrices" in said
    only_numbers = {d: (row["weight norm"], h) for (d, (_, h)), (_, row)
                    in zip(decay_book["decay_fits"].items(), decay_book["decay_table"].iterrows())}
    passed, said = _says(capsys, "ex1-weight-decay", **dict(decay_book, decay_fits=only_numbers))
    assert not passed and "decay_fits[0] should be (model, history) with the network you trained first" in said
    made_up = pd.DataFrame({"epoch": range(1, STEPS + 1), "train_loss": 0.3, "test_loss": 0.3})
    fits = {**decay_book["decay_fits"], 0.03: (decay_book["decay_fits"][0.03][0], made_up)}
    passed, said = _says(capsys, "ex1-weight-decay", **dict(decay_book, decay_fits=fits))
    assert not passed and "the history's last test_loss is 0.3, but the model decay_fits[0.03] gives" in said


def test_weight_decay_an_untrained_or_undertrained_model_fails(toy, decay_book, capsys):
    split, _, initial_state = toy
    fresh = list_network()
    fresh.load_state_dict(initial_state)  # built, never trained, passed with the trained history
    fits = {**decay_book["decay_fits"], 0.0: (fresh, decay_book["decay_fits"][0.0][1])}
    passed, said = _says(capsys, "ex1-weight-decay", **dict(decay_book, decay_fits=fits))
    assert not passed and "but the model decay_fits[0] gives" in said
    # its own losses typed into a history of the right length: it matches, but it learnt nothing
    own = train.evaluate(fresh, (split.x_test, split.y_test), squared_error)["loss"]
    typed = pd.DataFrame({"epoch": range(1, STEPS + 1), "train_loss": own, "test_loss": own})
    fits = {**decay_book["decay_fits"], 0.0: (fresh, typed)}
    passed, said = _says(capsys, "ex1-weight-decay", **dict(decay_book, decay_fits=fits,
                                                            decay_table=_decay_table(toy, fits)))
    assert not passed and "without decay the model's training MSE is" in said and "no better than a constant" in said
    short = {d: _fit_decay(toy, d, epochs=100) for d in DECAYS}  # "100 steps look flat enough"
    passed, said = _says(capsys, "ex1-weight-decay", **dict(decay_book, decay_fits=short,
                                                            decay_table=_decay_table(toy, short)))
    assert not passed and "decay_fits[0]'s history ran 100 epochs; train for as many steps" in said


def test_weight_decay_the_right_shape_but_the_wrong_quantity_fails(toy, decay_book, capsys):
    table = decay_book["decay_table"]
    variance = table.assign(**{"output spread": table["output spread"] ** 2})  # var() for std()
    passed, said = _says(capsys, "ex1-weight-decay", **dict(decay_book, decay_table=variance))
    assert not passed and "'output spread' at 0 is" in said and "the standard deviation of its model(grid)" in said
    with_biases = table.copy()  # the norm of all the parameters, biases included
    for d, (model, _) in decay_book["decay_fits"].items():
        with_biases.loc[d, "weight norm"] = torch.cat([p.detach().flatten() for p in model.parameters()]).norm().item()
    passed, said = _says(capsys, "ex1-weight-decay", **dict(decay_book, decay_table=with_biases))
    assert not passed and "'weight norm' at 0 is" in said and "(biases left out)" in said
    test_mse = table.assign(**{"train MSE": table["test MSE"]})  # the test column for the training one
    passed, said = _says(capsys, "ex1-weight-decay", **dict(decay_book, decay_table=test_mse))
    assert not passed and "'train MSE' at 0 is" in said and "the last train_loss of its history" in said


def test_weight_decay_the_wrong_object_or_setting_fails(toy, decay_book, capsys):
    fits = decay_book["decay_fits"]
    swapped = {**fits, 0.1: (fits[0.1][0], fits[0.0][1])}  # the no-decay history beside the 0.1 model
    passed, said = _says(capsys, "ex1-weight-decay", **dict(decay_book, decay_fits=swapped))
    assert not passed and "pass the model and the history train.fit returned for it" in said
    # weight_decay never passed on: five copies of the no-decay run
    same = {d: fits[0.0] for d in DECAYS}
    passed, said = _says(capsys, "ex1-weight-decay", **dict(decay_book, decay_fits=same,
                                                            decay_table=_decay_table(toy, same)))
    assert not passed and "the five models have the same weights: pass weight_decay=decay" in said
    # AdamW's decoupled decay for Adam's L2: at 0.1 the network does not collapse in these steps
    adamw = {d: _fit_decay(toy, d, optimizer="adamw") if d == 0.1 else fits[d] for d in DECAYS}
    passed, said = _says(capsys, "ex1-weight-decay", **dict(decay_book, decay_fits=adamw,
                                                            decay_table=_decay_table(toy, adamw)))
    assert not passed and "Not yet: weight norm at 0.1" in said and "output spread at 0.1 is" in said
    assert "keep the default optimizer, Adam" in said
    no_big = decay_book["decay_table"].drop(index=0.1)
    passed, said = _says(capsys, "ex1-weight-decay", **dict(decay_book, decay_table=no_big))
    assert not passed and "no row for 0.1" in said


def test_weight_decay_rule_is_the_claims_and_can_fail():
    ex = exercises.get("ex1-weight-decay")
    good = dict(norm_none=7.3, norm_small=4.3, norm_big=1e-20, spread_big=0.0, train_big=0.607, variance=0.6071)
    assert all(c.holds for c in ex.rule(**good))
    assert not ex.rule(**dict(good, norm_small=7.3))[0].holds  # no shrinking at 0.001
    assert not ex.rule(**dict(good, spread_big=0.3))[2].holds  # no collapse at 0.1
    assert not ex.rule(**dict(good, train_big=0.5))[3].holds  # not the targets' variance


# --------------------------------------------------------------------------- ex1-activations


def _fit_activation(toy, name, epochs=STEPS, seeds=5):
    split, _, _ = toy
    h, trained = stacked.fit_seeds(
        lambda: models.MLP([1, 16, 16, 16, 16, 1], activation=name), (split.x_train, split.y_train),
        squared_error, seeds=[runtime.seed(s) for s in range(seeds)], epochs=epochs, lr=0.01,
        batch_size=len(split.x_train), test=(split.x_test, split.y_test))
    return h, trained


def _activation_table(toy, act_fits):
    """The table as the book's solution makes it."""
    _, grid, _ = toy
    rows = []
    for name, (h, trained) in act_fits.items():
        with torch.no_grad():
            curves = torch.stack([m(grid).flatten() for m in trained])
        second = curves[:, 2:] - 2 * curves[:, 1:-1] + curves[:, :-2]
        bends = (second.abs() > 1e-5).float().mean(1)
        last = h.groupby("seed").last()
        reached = h[h["train_loss"] < 0.05].groupby("seed")["epoch"].min()
        rows.append({"activation": name, "train MSE": last["train_loss"].median(),
                     "test MSE": last["test_loss"].median(), "steps to train MSE 0.05": reached.median(),
                     "share of grid where the fit bends": bends.median().item()})
    return pd.DataFrame(rows).set_index("activation")


@pytest.fixture(scope="module")
def act_book(toy, decay_book):
    """The book's solution of ex1-activations, trained as the quick profile trains it."""
    act_fits = {name: _fit_activation(toy, name) for name in NAMES}
    return dict(act_fits=act_fits, activation_table=_activation_table(toy, act_fits),
                history=decay_book["history"])


def test_activations_the_books_solution_passes_in_both_profiles(act_book, capsys, monkeypatch):
    monkeypatch.setenv("AELAB_QUICK", "1")
    passed, said = _says(capsys, "ex1-activations", **act_book)
    assert passed and said.startswith("Correct: the ReLU fit is piecewise straight"), said
    monkeypatch.delenv("AELAB_QUICK")
    passed, said = _says(capsys, "ex1-activations", **act_book)
    assert passed and "sigmoid's steps to 0.05" in said


def test_activations_the_untouched_starter_is_not_attempted(capsys):
    passed, said = _says(capsys, "ex1-activations", act_fits={}, activation_table=..., history=...)
    assert not passed and said.startswith("Not attempted")


def test_activations_typed_numbers_fail(act_book, capsys):
    typed = act_book["activation_table"].copy()
    typed.loc["sigmoid", "steps to train MSE 0.05"] = 400  # "sigmoid took about 400 steps"
    passed, said = _says(capsys, "ex1-activations", **dict(act_book, activation_table=typed))
    assert not passed and "'steps to train MSE 0.05' for sigmoid is 400, but the median over the seeds" in said
    numbers = {name: (h, row["train MSE"]) for (name, (h, _)), (_, row)
               in zip(act_book["act_fits"].items(), act_book["activation_table"].iterrows())}
    passed, said = _says(capsys, "ex1-activations", **dict(act_book, act_fits=numbers))
    assert not passed and "act_fits['relu'] should be (history, trained) as stacked.fit_seeds returns them" in said


def test_activations_an_untrained_or_undertrained_model_fails(toy, act_book, capsys):
    h, trained = act_book["act_fits"]["elu"]
    runtime.seed_everything(0)
    fresh = [models.MLP([1, 16, 16, 16, 16, 1], activation="elu") for _ in trained]
    fits = dict(act_book["act_fits"], elu=(h, fresh))  # never trained, with the trained history
    passed, said = _says(capsys, "ex1-activations", **dict(act_book, act_fits=fits))
    assert not passed and "but the model act_fits['elu'][1][0] gives" in said
    fits = dict(act_book["act_fits"], sigmoid=_fit_activation(toy, "sigmoid", epochs=300))
    passed, said = _says(capsys, "ex1-activations", **dict(act_book, act_fits=fits,
                                                           activation_table=_activation_table(toy, fits)))
    assert not passed and "ran 300 epochs; train for as many steps as the MLP above" in said


def test_activations_the_right_shape_but_the_wrong_quantity_fails(toy, act_book, capsys):
    table = act_book["activation_table"].copy()
    _, grid, _ = toy
    with torch.no_grad():  # "not zero" read literally: float rounding bends the straight parts too
        curves = torch.stack([m(grid).flatten() for m in act_book["act_fits"]["relu"][1]])
    second = curves[:, 2:] - 2 * curves[:, 1:-1] + curves[:, :-2]
    literal = (second != 0).float().mean(1).median().item()
    table.loc["relu", "share of grid where the fit bends"] = literal
    assert abs(literal - act_book["activation_table"].loc["relu", "share of grid where the fit bends"]) > 0.01
    passed, said = _says(capsys, "ex1-activations", **dict(act_book, activation_table=table))
    assert not passed and "'share of grid where the fit bends' for relu is" in said
    lowest = act_book["activation_table"].copy()  # the lowest train_loss, not the last epoch's
    for name, (h, _) in act_book["act_fits"].items():
        lowest.loc[name, "train MSE"] = h.groupby("seed")["train_loss"].min().median()
    passed, said = _says(capsys, "ex1-activations", **dict(act_book, activation_table=lowest))
    assert not passed and "'train MSE' for" in said and "the median over the seeds of the last train_loss" in said


def test_activations_the_wrong_object_fails(toy, act_book, capsys):
    fits = act_book["act_fits"]
    relu_as_tanh = dict(fits, tanh=fits["relu"])  # the ReLU run copied into the Tanh slot
    passed, said = _says(capsys, "ex1-activations", **dict(act_book, act_fits=relu_as_tanh))
    assert not passed and "the models in act_fits['tanh'] use ReLU, not Tanh" in said
    mixed = dict(fits, tanh=(fits["elu"][0], fits["tanh"][1]))  # Tanh's models with ELU's history
    passed, said = _says(capsys, "ex1-activations", **dict(act_book, act_fits=mixed))
    assert not passed and "pass the model and the history train.fit returned for it" in said
    one_seed = dict(fits, relu=_fit_activation(toy, "relu", seeds=1))
    passed, said = _says(capsys, "ex1-activations", **dict(act_book, act_fits=one_seed))
    assert not passed and "act_fits['relu'] should hold 5 seeds" in said
    passed, said = _says(capsys, "ex1-activations", **dict(act_book, history=1000))
    assert not passed and "history should be the DataFrame train.fit returns" in said


def test_activations_rule_is_the_claims_and_can_fail():
    ex = exercises.get("ex1-activations")
    good = dict(relu_bends=0.27, tanh_bends=0.99, worst_train=0.001, line_train=0.59,
                sigmoid_steps=208, other_steps=70)
    assert all(c.holds for c in ex.rule(**good))
    assert not ex.rule(**dict(good, relu_bends=0.9))[0].holds  # ReLU bending everywhere
    assert not ex.rule(**dict(good, tanh_bends=0.5))[1].holds
    assert not ex.rule(**dict(good, worst_train=0.2))[2].holds  # no better than a fifth of the line
    assert not ex.rule(**dict(good, sigmoid_steps=70))[3].holds  # a tie is not "slowest"
