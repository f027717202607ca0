"""Chapter 2's exercises: the book's solutions pass; the wrong answers a student gives do not.

The objects are trained as the chapter's quick profile trains them (300 epochs on the
100-point curve), once for the module.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA

from aelab import data, estimators, exercises, metrics, models, runtime, train

EPOCHS = 300  # the chapter's quick-profile budget
LAST = 100
HIDDEN = (32, 32)


@pytest.fixture(scope="module", autouse=True)
def quick_profile():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AELAB_QUICK", "1")
        yield


def _est(k, *, hidden=HIDDEN, activation="tanh", epochs=EPOCHS, **settings):
    return estimators.AutoencoderEstimator(k, hidden=hidden, activation=activation, epochs=epochs, lr=1e-2,
                                           batch_size=None, seed=runtime.seed(0), **settings)


@pytest.fixture(scope="module")
def book(quick_profile):
    """The chapter's objects and the book's solutions, as the quick profile makes them."""
    curve = data.curve(n=100, noise=0.01, seed=runtime.seed(0))
    X = runtime.to_numpy(curve.x)
    held = data.curve(n=200, noise=0.01, seed=runtime.seed(1))
    X_test = runtime.to_numpy(held.x)[1:-1]
    seeds = [runtime.seed(s) for s in range(5)]
    fitted = {}
    for k in (1, 2, 3):
        fitted["PCA", k, 0] = PCA(k).fit(X)
        aes = estimators.AutoencoderEstimator(k, hidden=HIDDEN, activation="tanh", epochs=EPOCHS, lr=1e-2,
                                              batch_size=None).fit_seeds(X, seeds)
        fitted.update({("autoencoder", k, ae.seed): ae for ae in aes})
    pca_error = dict(zip((1, 2, 3), metrics.pca_reconstruction_errors(X, X)[1:]))
    b = dict(curve=curve, X=X, X_test=X_test, seeds=seeds, fitted=fitted, pca_error=pca_error)

    # ex2-latent-size
    runtime.seed_everything(0)
    wide = models.MLPAutoencoder(3, 4, hidden=HIDDEN, activation="tanh")
    wide_history = train.fit(wide, curve.x, train.reconstruction_objective(), epochs=EPOCHS, lr=1e-2,
                             batch_size=len(curve.x))
    b.update(wide=wide, wide_history=wide_history, ae4_mse=metrics.end_value(wide_history, last=LAST))

    # ex2-hidden-width
    narrow_rows, narrow_fits = [], {}
    for width in (1, 2):
        for activation in ("tanh", "relu"):
            est = _est(1, hidden=(width,), activation=activation).fit(X)
            narrow_fits[width, activation] = est
            narrow_rows.append({"hidden units": width, "activation": activation,
                                "autoencoder MSE": est.reconstruction_error_,
                                "PCA MSE with that many components": pca_error[width]})
    b.update(narrow=pd.DataFrame(narrow_rows), narrow_fits=narrow_fits)

    # ex2-seeds
    b["codes_by_seed"] = np.column_stack([fitted["autoencoder", 1, s].transform(X)[:, 0] for s in seeds])

    # ex2-ordering
    b["ordering"] = _ordering(fitted, seeds, X)

    # ex2-relu
    bends, drawers = {}, {}
    for activation in ["relu", "tanh"]:
        est = _est(1, hidden=(8,), activation=activation).fit(X)
        drawers[activation] = est
        bends[activation] = _bends(est, X)
    b.update(bends=bends, drawers=drawers)

    # ex2-l1
    penalised = _est(2, latent_l1=0.01).fit(X)
    b.update(penalised=penalised, l1=_l1(fitted["autoencoder", 2, seeds[0]], penalised, X))
    return b


def _ordering(fitted, seeds, X, *, signed=False, k=3):
    rows = []
    for name, seed in [("PCA", 0)] + [("autoencoder", s) for s in seeds]:
        method = fitted[name, k, seed]
        rises = metrics.mean_ablation(method, X)
        corr = np.corrcoef(method.transform(X).T)[np.triu_indices(k, 1)]
        rows.append({"method": name, "seed": seed, "ordered": bool(all(np.diff(rises) <= 0)),
                     "largest |correlation|": corr.max() if signed else np.abs(corr).max()})
    return pd.DataFrame(rows).set_index(["method", "seed"])


def _bends(est, X, threshold=1e-5, n=100):
    z = est.transform(X)
    drawn = est.inverse_transform(np.linspace(z.min(), z.max(), n, dtype=np.float32)[:, None])
    return int((np.abs(np.diff(drawn, n=2, axis=0)).max(axis=1) > threshold).sum())


def _l1(plain, penalised, X, columns=("train_loss", "train_recon")):
    rows = []
    for name, est, column in [("no penalty", plain, columns[0]), ("L1, lambda = 0.01", penalised, columns[1])]:
        Z = est.transform(X)
        rows.append({"run": name, "MSE": metrics.end_value(est.history_, column, LAST),
                     "mean |z|": np.abs(Z).mean(), "smaller std / larger std": Z.std(0).min() / Z.std(0).max(),
                     "decoder's first weights, norm": est.model_.decoder.net[0].weight.norm().item()})
    return pd.DataFrame(rows).set_index("run")


def _says(capsys, label, **answers):
    passed = exercises.get(label).check(**answers)
    return bool(passed), capsys.readouterr().out


def _answers(book, *names, **changed):
    return {**{name: book[name] for name in names}, **changed}


def _with(fitted, key, est):
    return {**fitted, key: est}


# --------------------------------------------------------------------------- every exercise

SOLUTIONS = {
    "ex2-latent-size": ("wide", "wide_history", "ae4_mse"),
    "ex2-hidden-width": ("narrow", "narrow_fits"),
    "ex2-seeds": ("codes_by_seed", "fitted", "seeds"),
    "ex2-ordering": ("ordering", "fitted", "seeds"),
    "ex2-relu": ("bends", "drawers"),
    "ex2-l1": ("l1", "penalised", "fitted", "seeds"),
}


@pytest.mark.parametrize("label", sorted(SOLUTIONS))
def test_the_books_solution_passes(book, capsys, label):
    passed, said = _says(capsys, label, **_answers(book, *SOLUTIONS[label]))
    assert passed and said.startswith("Correct: "), said


@pytest.mark.parametrize("label", sorted(SOLUTIONS))
def test_the_untouched_starter_is_not_attempted(capsys, label):
    passed, said = _says(capsys, label, **{name: ... for name in SOLUTIONS[label]})
    assert not passed and said.startswith("Not attempted")


def test_each_rule_is_its_claims_and_can_fail():
    assert not any(c.holds for c in exercises.get("ex2-latent-size").rule(ae4_mse=0.003, pca2_mse=0.024))
    hidden = exercises.get("ex2-hidden-width")
    assert all(c.holds for c in hidden.rule(best_one_unit=1.2))
    assert not any(c.holds for c in hidden.rule(best_one_unit=2.5))
    assert not any(c.holds for c in exercises.get("ex2-seeds").rule(largest_gap=0.2))
    assert not any(c.holds for c in exercises.get("ex2-ordering").rule(share_ordered=0.8, least_correlated=0.05))
    assert not any(c.holds for c in exercises.get("ex2-relu").rule(relu=8, tanh=60))
    plain = {"mean |z|": 0.9, "decoder's first weights, norm": 3.6, "smaller std / larger std": 0.8, "MSE": 2e-4}
    switched_off = {"mean |z|": 0.9, "decoder's first weights, norm": 3.0, "smaller std / larger std": 0.01,
                    "MSE": 1e-3}
    assert not any(c.holds for c in exercises.get("ex2-l1").rule(plain=plain, l1=switched_off, pca2_mse=3e-4))


# --------------------------------------------------------------------------- ex2-latent-size


def test_latent_size_wrong_answers(book, capsys):
    label, names = "ex2-latent-size", SOLUTIONS["ex2-latent-size"]
    # typed numbers: a history invented for the model, and an invented end value
    now = float(book["wide_history"]["train_loss"].iloc[-1])
    typed = pd.DataFrame({"epoch": range(1, EPOCHS + 1), "train_loss": [now / 5] * EPOCHS})
    passed, said = _says(capsys, label, **_answers(book, *names, wide_history=typed, ae4_mse=now / 5))
    assert not passed and "wide_history's loss never changes over its last epochs" in said
    # the one-number model's history beside the larger code
    runtime.seed_everything(0)
    ae = models.MLPAutoencoder(3, 1, hidden=HIDDEN, activation="tanh")
    history = train.fit(ae, book["curve"].x, train.reconstruction_objective(), epochs=EPOCHS, lr=1e-2,
                        batch_size=100)
    passed, said = _says(capsys, label, **_answers(book, *names, wide_history=history,
                                                   ae4_mse=metrics.end_value(history, last=LAST)))
    assert not passed and "far from its history's last 100 epochs" in said
    passed, said = _says(capsys, label, **_answers(book, *names, ae4_mse=1e-6))
    assert not passed and "ae4_mse is 1e-06, but wide_history ends at" in said
    # the right shape, the wrong quantity: the last epoch's loss, not the median of the last 100
    last = float(book["wide_history"]["train_loss"].iloc[-1])
    passed, said = _says(capsys, label, **_answers(book, *names, ae4_mse=last))
    assert not passed and "(metrics.end_value(wide_history, last=LAST))" in said
    # an untrained model beside the trained one's history
    runtime.seed_everything(0)
    fresh = models.MLPAutoencoder(3, 4, hidden=HIDDEN, activation="tanh")
    passed, said = _says(capsys, label, **_answers(book, *names, wide=fresh))
    assert not passed and "wide reconstructs the curve no better than PCA-2" in said
    # undertrained: 30 epochs
    runtime.seed_everything(0)
    short = models.MLPAutoencoder(3, 4, hidden=HIDDEN, activation="tanh")
    short_history = train.fit(short, book["curve"].x, train.reconstruction_objective(), epochs=30, lr=1e-2,
                              batch_size=100)
    passed, said = _says(capsys, label, wide=short, wide_history=short_history,
                         ae4_mse=metrics.end_value(short_history, last=LAST))
    assert not passed and "wide_history has 30 epochs; train for the chapter's EPOCHS (300)" in said
    # the wrong object of the right type: a code as large as the input, not larger
    runtime.seed_everything(0)
    three = models.MLPAutoencoder(3, 3, hidden=HIDDEN, activation="tanh")
    passed, said = _says(capsys, label, **_answers(book, *names, wide=three))
    assert not passed and "wide has a code of 3 number(s); the exercise asks for a code larger than" in said
    passed, said = _says(capsys, label, **_answers(book, *names, wide=book["fitted"]["autoencoder", 2, book["seeds"][0]]))
    assert not passed and "wide should be the autoencoder you trained" in said


# --------------------------------------------------------------------------- ex2-hidden-width


def test_hidden_width_wrong_answers(book, capsys):
    label, names = "ex2-hidden-width", SOLUTIONS["ex2-hidden-width"]
    # typed numbers: PCA's errors written in as the autoencoders'
    typed = book["narrow"].assign(**{"autoencoder MSE": book["narrow"]["PCA MSE with that many components"]})
    passed, said = _says(capsys, label, **_answers(book, *names, narrow=typed))
    assert not passed and "narrow's row for 1 hidden unit(s), tanh, says 0.1758, but its model gives" in said
    # the starter's empty dict, still empty: the exercise is not attempted yet
    passed, said = _says(capsys, label, **_answers(book, *names, narrow_fits={}))
    assert not passed and said.startswith("Not attempted")
    passed, said = _says(capsys, label, **_answers(book, *names, narrow_fits=[book["narrow_fits"]]))
    assert not passed and "narrow_fits should be a dict of the four fitted estimators" in said
    # undertrained: one epoch (the model the issue found passing)
    fits = {**book["narrow_fits"], (1, "tanh"): _est(1, hidden=(1,), epochs=1).fit(book["X"])}
    passed, said = _says(capsys, label, **_answers(book, *names, narrow_fits=fits))
    assert not passed and "was fitted with epochs=1; the exercise asks for epochs=300 (the chapter's EPOCHS)" in said
    # the right shape, the wrong quantity: each model's error on the held-out points
    held = book["narrow"].assign(**{"autoencoder MSE": [
        metrics.reconstruction_error(book["X_test"], est.inverse_transform(est.transform(book["X_test"]))).mean()
        for est in book["narrow_fits"].values()]})
    passed, said = _says(capsys, label, **_answers(book, *names, narrow=held))
    assert not passed and "but its model gives" in said
    # the wrong object of the right type: the main section's wide network; a model fitted to the held-out points
    fits = {**book["narrow_fits"], (2, "relu"): book["fitted"]["autoencoder", 1, book["seeds"][0]]}
    passed, said = _says(capsys, label, **_answers(book, *names, narrow_fits=fits))
    assert not passed and "was fitted with hidden=(32, 32); the exercise asks for hidden=(2,)" in said
    fits = {**book["narrow_fits"], (2, "tanh"): _est(1, hidden=(2,)).fit(book["X_test"])}
    passed, said = _says(capsys, label, **_answers(book, *names, narrow_fits=fits))
    assert not passed and "was fitted to other data" in said


# --------------------------------------------------------------------------- ex2-seeds


def test_seeds_wrong_answers(book, capsys):
    label, names = "ex2-seeds", SOLUTIONS["ex2-seeds"]
    # typed numbers: any distinct columns (the answer the issue found passing)
    rng = np.random.default_rng(0)
    passed, said = _says(capsys, label, **_answers(book, *names, codes_by_seed=rng.standard_normal((100, 5))))
    assert not passed and f"column 0 of codes_by_seed is not the code that seed {book['seeds'][0]}'s autoencoder" in said
    # undertrained: one seed's model fitted for one epoch
    fitted = _with(book["fitted"], ("autoencoder", 1, book["seeds"][0]), _est(1, epochs=1).fit(book["X"]))
    passed, said = _says(capsys, label, **_answers(book, *names, fitted=fitted))
    assert not passed and "was fitted with epochs=1" in said
    # the right shape, the wrong quantity: the reconstructions' first coordinate, not the code
    rebuilt = np.column_stack([book["fitted"]["autoencoder", 1, s].inverse_transform(
        book["fitted"]["autoencoder", 1, s].transform(book["X"]))[:, 0] for s in book["seeds"]])
    passed, said = _says(capsys, label, **_answers(book, *names, codes_by_seed=rebuilt))
    assert not passed and f"is not the code that seed {book['seeds'][0]}'s autoencoder gives" in said
    # the codes of the held-out points
    held = np.column_stack([book["fitted"]["autoencoder", 1, s].transform(book["X_test"])[:, 0]
                            for s in book["seeds"]])
    passed, said = _says(capsys, label, **_answers(book, *names, codes_by_seed=held))
    assert not passed and "should be an array of shape (100, 5)" in said
    # the wrong object of the right type: the first seed's code in every column
    same = np.repeat(book["codes_by_seed"][:, :1], 5, axis=1)
    passed, said = _says(capsys, label, **_answers(book, *names, codes_by_seed=same))
    assert not passed and f"column 1 of codes_by_seed is not the code that seed {book['seeds'][1]}'s" in said
    passed, said = _says(capsys, label, **_answers(book, *names, seeds=book["seeds"][:1]))
    assert not passed and "seeds should be the chapter's list of 2 or more distinct seeds" in said


# --------------------------------------------------------------------------- ex2-ordering


def test_ordering_wrong_answers(book, capsys):
    label, names = "ex2-ordering", SOLUTIONS["ex2-ordering"]
    # typed numbers: the table the text describes, typed in
    typed = book["ordering"].assign(ordered=[True, False, False, False, False, False],
                                    **{"largest |correlation|": [0.0, 0.3, 0.3, 0.3, 0.3, 0.3]})
    passed, said = _says(capsys, label, **_answers(book, *names, ordering=typed))
    assert not passed and ("but its codes give" in said or "but its rises are" in said)
    # undertrained: one seed's 3-number model fitted for one epoch
    fitted = _with(book["fitted"], ("autoencoder", 3, book["seeds"][1]), _est(3, epochs=1).fit(book["X"]))
    passed, said = _says(capsys, label, **_answers(book, *names, fitted=fitted))
    assert not passed and "was fitted with epochs=1" in said
    # the right shape, the wrong quantity: the largest signed correlation, and the order read upwards
    signed = _ordering(book["fitted"], book["seeds"], book["X"], signed=True)
    assert not np.allclose(signed["largest |correlation|"], book["ordering"]["largest |correlation|"])
    passed, said = _says(capsys, label, **_answers(book, *names, ordering=signed))
    assert not passed and "the largest absolute off-diagonal entry of np.corrcoef(Z.T)" in said
    upwards = book["ordering"].assign(ordered=~book["ordering"]["ordered"])
    passed, said = _says(capsys, label, **_answers(book, *names, ordering=upwards))
    assert not passed and "ordered means z1's rise >= z2's >= z3's" in said
    # the wrong object of the right type: PCA fitted to the held-out points; a table without its index
    fitted = _with(book["fitted"], ("PCA", 3, 0), PCA(3).fit(book["X_test"]))
    passed, said = _says(capsys, label, **_answers(book, *names, fitted=fitted))
    assert not passed and "with PCA(3) fitted to X" in said
    passed, said = _says(capsys, label, **_answers(book, *names, ordering=book["ordering"].reset_index()))
    assert not passed and "indexed by (method, seed)" in said
    passed, said = _says(capsys, label, **_answers(book, *names, seeds=book["seeds"][:3]))
    assert not passed and "list of 5 or more distinct seeds" in said


# --------------------------------------------------------------------------- ex2-relu


def test_relu_wrong_answers(book, capsys):
    label, names = "ex2-relu", SOLUTIONS["ex2-relu"]
    relu = book["bends"]["relu"]
    # typed numbers: the corners a ReLU layer of 8 units has, at most
    passed, said = _says(capsys, label, **_answers(book, *names, bends={"relu": 8, "tanh": 98}))
    assert relu != 8 and not passed and f"bends['relu'] is 8, but its decoder bends at {relu}" in said
    # undertrained: one epoch
    drawers = {**book["drawers"], "relu": _est(1, hidden=(8,), activation="relu", epochs=1).fit(book["X"])}
    passed, said = _says(capsys, label, **_answers(book, *names, drawers=drawers))
    assert not passed and "was fitted with epochs=1" in said
    # the right shape, the wrong quantity: bends counted with a coarser threshold
    coarse = {a: _bends(est, book["X"], threshold=1e-3) for a, est in book["drawers"].items()}
    assert coarse != book["bends"]
    passed, said = _says(capsys, label, **_answers(book, *names, bends=coarse))
    assert not passed and "of the 98 inner grid points (a second difference above 1e-5)" in said
    # the wrong object of the right type: the two models swapped; the main section's network
    swapped = {"relu": book["drawers"]["tanh"], "tanh": book["drawers"]["relu"]}
    passed, said = _says(capsys, label, **_answers(book, *names, drawers=swapped))
    assert not passed and "was fitted with activation='tanh'; the exercise asks for activation='relu'" in said
    drawers = {**book["drawers"], "tanh": book["fitted"]["autoencoder", 1, book["seeds"][0]]}
    passed, said = _says(capsys, label, **_answers(book, *names, drawers=drawers))
    assert not passed and "was fitted with hidden=(32, 32); the exercise asks for hidden=(8,)" in said
    passed, said = _says(capsys, label, **_answers(book, *names, bends=[relu, 98]))
    assert not passed and "bends should be a dict with the keys 'relu' and 'tanh'" in said


# --------------------------------------------------------------------------- ex2-l1


def test_l1_wrong_answers(book, capsys):
    label, names = "ex2-l1", SOLUTIONS["ex2-l1"]
    plain = book["fitted"]["autoencoder", 2, book["seeds"][0]]
    # typed numbers: the table the text describes
    typed = book["l1"].assign(**{"mean |z|": [0.9, 0.07]})
    passed, said = _says(capsys, label, **_answers(book, *names, l1=typed))
    assert not passed and "l1's unpenalised row gives mean |z| = 0.9, but its model gives" in said
    # undertrained: the penalised run for one epoch
    short = _est(2, latent_l1=0.01, epochs=1).fit(book["X"])
    passed, said = _says(capsys, label, **_answers(book, *names, penalised=short, l1=_l1(plain, short, book["X"])))
    assert not passed and "penalised was fitted with epochs=1" in said
    # the right shape, the wrong quantity: the penalised loss with its L1 term
    with_term = _l1(plain, book["penalised"], book["X"], columns=("train_loss", "train_loss"))
    passed, said = _says(capsys, label, **_answers(book, *names, l1=with_term))
    assert not passed and "(the history's train_recon, the loss without its L1 term)" in said
    # the wrong object of the right type: rows swapped; no penalty; another seed's unpenalised run
    passed, said = _says(capsys, label, **_answers(book, *names, l1=book["l1"].iloc[::-1]))
    assert not passed and "the unpenalised run comes first" in said
    unpenalised = _est(2).fit(book["X"])
    passed, said = _says(capsys, label, **_answers(book, *names, penalised=unpenalised,
                                                   l1=_l1(plain, unpenalised, book["X"], ("train_loss",) * 2)))
    assert not passed and "penalised was fitted with latent_l1=0.0; the exercise asks for latent_l1=0.01" in said
    other = _l1(book["fitted"]["autoencoder", 2, book["seeds"][1]], book["penalised"], book["X"])
    passed, said = _says(capsys, label, **_answers(book, *names, l1=other))
    assert not passed and "l1's unpenalised row gives" in said
    passed, said = _says(capsys, label, **_answers(book, *names, l1={"MSE": 1}))
    assert not passed and "should be a pandas DataFrame" in said
