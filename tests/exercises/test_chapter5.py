"""Chapter 5's exercises: the book's solutions pass; the wrong answers a student gives do not."""

import numpy as np
import pandas as pd
import pytest
import torch

from aelab import data, exercises, metrics, models, runtime, train

EPOCHS, N_TREES = 4, 20  # the chapter's quick-profile budgets
SCORES = ["disentanglement", "completeness", "informativeness"]


def _vae(shapes, beta, epochs=EPOCHS):
    runtime.seed_everything(0)
    vae = models.VAE((1, 32, 32), 8, hidden=(256, 128), output="sigmoid")
    history = train.fit(vae, shapes.x_train, train.vae_objective(beta=beta, kind="bce"), epochs=epochs, lr=2e-3,
                        batch_size=128, test=shapes.x_test)
    return vae, history


def _ae(shapes, epochs=EPOCHS, start_at_mean=True, seed=0):
    runtime.seed_everything(seed)
    ae = models.MLPAutoencoder((1, 32, 32), 8, hidden=(256, 128), output="sigmoid")
    if start_at_mean:
        pixel_mean = shapes.x_train.mean(0).flatten().clamp(1e-3, 1 - 1e-3)
        with torch.no_grad():
            ae.decoder.net[-2].bias.copy_(torch.logit(pixel_mean))
    if epochs:
        train.fit(ae, shapes.x_train, train.reconstruction_objective(reduction="sample"), epochs=epochs, lr=2e-3,
                  batch_size=128, test=shapes.x_test)
    return ae


def _codes(model, x):
    model.eval()
    with torch.no_grad():
        return model.encode(x).cpu().numpy()


def _by_beta(vaes, shapes):
    """The book's table: one row per β, from each VAE's codes of the test images."""
    factors, rows = shapes.y_test.cpu().numpy(), {}
    for beta, vae in sorted(vaes.items()):
        z = _codes(vae, shapes.x_test)
        rows[f"β = {beta:g}"] = {**metrics.dci(z, factors, n_estimators=N_TREES),
                                 "active dimensions": metrics.active_dimensions(z, relative=True)}
    table = pd.DataFrame(rows).T.drop(columns="informativeness_train")
    table["active dimensions"] = table["active dimensions"].astype(int)
    return table


@pytest.fixture(scope="module")
def book():
    """Section 6's objects and the three solutions, as the chapter's quick profile makes them."""
    shapes = data.shapes(n_train=1000, n_test=600, seed=runtime.seed(0))
    factors = shapes.y_test.cpu().numpy()
    standard = (factors - factors.mean(0)) / factors.std(0)
    rotation, _ = np.linalg.qr(np.random.default_rng(runtime.seed(0)).normal(size=(5, 5)))
    ae = _ae(shapes)
    vaes, fits = {}, {}
    for beta in (1.0, 2.0, 4.0, 8.0):
        vaes[beta], fits[beta] = _vae(shapes, beta)
    representations = {"true factors": standard, "autoencoder": _codes(ae, shapes.x_test),
                       "VAE (β = 1)": _codes(vaes[1.0], shapes.x_test)}
    rows = {}
    for name, z in representations.items():
        for method in ("gbt", "lasso", "forest"):
            s = metrics.dci(z, factors, method=method, n_estimators=N_TREES)
            rows[(name, method)] = {k: s[k] for k in SCORES}
    regressors = pd.DataFrame(rows).T
    regressors.index.names = ["code", "regressor"]
    turn = np.eye(5)
    c45 = np.cos(np.pi / 4)
    turn[:2, :2] = [[c45, -c45], [c45, c45]]
    rotated = {"true factors": standard, "x-y plane turned 45°": standard @ turn,
               "random rotation": standard @ rotation}
    rotation_scores = {name: metrics.dci(z, factors, n_estimators=N_TREES) for name, z in rotated.items()}
    return dict(shapes=shapes, factors=factors, standard=standard, rotation=rotation, turn=turn, ae=ae,
                vaes=vaes, fits=fits, by_beta=_by_beta(vaes, shapes), regressors=regressors, rotated=rotated,
                rotation_scores=rotation_scores)


def _answers(book, label):
    keys = {"ex5-beta": ("vaes", "fits", "by_beta", "shapes"),
            "ex5-regressor": ("regressors", "ae", "shapes"),
            "ex5-rotation": ("rotated", "rotation_scores")}[label]
    return {**{k: book[k] for k in keys}, "n_trees": N_TREES}


def _says(capsys, label, **answers):
    passed = exercises.get(label).check(**answers)
    return bool(passed), capsys.readouterr().out


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setenv("AELAB_QUICK", "1")


@pytest.fixture
def full(monkeypatch):
    monkeypatch.delenv("AELAB_QUICK", raising=False)


@pytest.mark.parametrize("label", ["ex5-beta", "ex5-regressor", "ex5-rotation"])
def test_the_untouched_starter_is_not_attempted(label, capsys):
    names = {"ex5-beta": ("vaes", "fits", "by_beta", "shapes", "n_trees"),
             "ex5-regressor": ("regressors", "ae", "shapes", "n_trees"),
             "ex5-rotation": ("rotated", "rotation_scores", "n_trees")}[label]
    passed, said = _says(capsys, label, **{n: ... for n in names})
    assert not passed and said.startswith("Not attempted")


# --------------------------------------------------------------------------- ex5-beta


def test_beta_the_books_solution_passes_as_far_as_the_quick_profile_tells(book, capsys, quick):
    passed, said = _says(capsys, "ex5-beta", **_answers(book, "ex5-beta"))
    assert passed and said.startswith("Correct as far as the quick profile can tell"), said
    assert "checked in the full profile only" in said  # never the full profile's verdict


def test_beta_the_full_verdict_is_the_rule(book, capsys, full):
    # 4 epochs switch nothing off: the full profile's rule says so instead of passing
    passed, said = _says(capsys, "ex5-beta", **_answers(book, "ex5-beta"))
    assert not passed and "active dimensions at β = 8 is 8, not below 5" in said, said
    rule = exercises.get("ex5-beta").rule
    assert all(c.holds for c in rule(active8=2, info8=0.58, info1=0.77))  # a full-profile run of the book
    assert not all(c.holds for c in rule(active8=2, info8=0.80, info1=0.77))  # no information lost
    assert not all(c.holds for c in rule(active8=5, info8=0.58, info1=0.77))  # only 3 switched off


def test_beta_typed_numbers_fail(book, capsys, quick):
    copied = book["by_beta"].copy()
    for row in copied.index:  # the β = 1 row copied into all four
        copied.loc[row] = book["by_beta"].loc["β = 1"]
    passed, said = _says(capsys, "ex5-beta", **dict(_answers(book, "ex5-beta"), by_beta=copied))
    assert not passed and "by_beta's 'β = 2''s disentanglement is" in said and "metrics.dci of vaes[2.0]" in said
    typed = {beta: 0.58 for beta in (1.0, 2.0, 4.0, 8.0)}
    passed, said = _says(capsys, "ex5-beta", **dict(_answers(book, "ex5-beta"), vaes=typed))
    assert not passed and "vaes[1.0] should be the autoencoder you trained" in said


def test_beta_an_untrained_or_undertrained_vae_fails(book, capsys, quick):
    runtime.seed_everything(0)
    fresh = models.VAE((1, 32, 32), 8, hidden=(256, 128), output="sigmoid")
    vaes = {**book["vaes"], 8.0: fresh}  # with the trained one's history
    passed, said = _says(capsys, "ex5-beta", **dict(_answers(book, "ex5-beta"), vaes=vaes))
    assert not passed and "the model vaes[8.0] gives" in said and "pass each VAE with the history" in said
    short, short_history = _vae(book["shapes"], 8.0, epochs=1)
    answers = _answers(book, "ex5-beta")
    answers["vaes"], answers["fits"] = {**book["vaes"], 8.0: short}, {**book["fits"], 8.0: short_history}
    passed, said = _says(capsys, "ex5-beta", **answers)
    assert not passed and "fits[8.0] has 1 epoch, but the β = 1 VAE of section 6 trained for 4" in said


def test_beta_the_wrong_setting_or_object_fails(book, capsys, quick):
    # trained without beta=...: vae_objective's default β = 1
    vae, history = _vae(book["shapes"], 1.0)
    answers = _answers(book, "ex5-beta")
    answers["vaes"], answers["fits"] = {**book["vaes"], 8.0: vae}, {**book["fits"], 8.0: history}
    passed, said = _says(capsys, "ex5-beta", **answers)
    assert not passed and "fits[8.0] was trained with β = 1, not 8" in said
    # the β = 2 VAE and its history filed under β = 8
    answers["vaes"] = {**book["vaes"], 8.0: book["vaes"][2.0]}
    answers["fits"] = {**book["fits"], 8.0: book["fits"][2.0]}
    passed, said = _says(capsys, "ex5-beta", **answers)
    assert not passed and "fits[8.0] was trained with β = 2, not 8" in said
    passed, said = _says(capsys, "ex5-beta", **dict(_answers(book, "ex5-beta"), fits={1.0: book["fits"][1.0]}))
    assert not passed and "fits should be a dict with the keys [1.0, 2.0, 4.0, 8.0]" in said


def test_beta_the_right_shape_but_the_wrong_quantity_fails(book, capsys, quick):
    # the scores on the rows the trees were fitted on, in place of the held-out ones
    factors, rows = book["factors"], {}
    for beta, vae in sorted(book["vaes"].items()):
        z = _codes(vae, book["shapes"].x_test)
        s = metrics.dci(z, factors, n_estimators=N_TREES)
        rows[f"β = {beta:g}"] = {**s, "informativeness": s["informativeness_train"],
                                 "active dimensions": metrics.active_dimensions(z, relative=True)}
    passed, said = _says(capsys, "ex5-beta", **dict(_answers(book, "ex5-beta"), by_beta=pd.DataFrame(rows).T))
    assert not passed and "'s informativeness is" in said and "but metrics.dci of vaes[1.0]'s codes" in said
    # the active dimensions counted with the VAE's absolute threshold, not section 6's relative one
    counted = book["by_beta"].copy()
    counted["active dimensions"] = [
        metrics.active_dimensions(_codes(v, book["shapes"].x_test)) for _, v in sorted(book["vaes"].items())]
    passed, said = _says(capsys, "ex5-beta", **dict(_answers(book, "ex5-beta"), by_beta=counted))
    assert not passed and "active dimensions for" in said and "relative=True" in said


# --------------------------------------------------------------------------- ex5-regressor


def test_regressor_the_books_solution_passes_as_far_as_the_quick_profile_tells(book, capsys, quick):
    passed, said = _says(capsys, "ex5-regressor", **_answers(book, "ex5-regressor"))
    assert passed and said.startswith("Correct as far as the quick profile can tell"), said
    assert "checked in the full profile only" in said


def test_regressor_the_full_verdict_is_the_rule(book, capsys, full):
    passed, said = _says(capsys, "ex5-regressor", **_answers(book, "ex5-regressor"))
    assert "quick profile" not in said
    assert said.startswith("Correct: on the autoencoder's code") or "autoencoder's I, lasso is" in said, said
    rule = exercises.get("ex5-regressor").rule
    assert all(c.holds for c in rule(lasso=0.63, gbt=0.83))  # a full-profile run of the book
    assert not any(c.holds for c in rule(lasso=0.83, gbt=0.83))


def test_regressor_typed_numbers_fail(book, capsys, quick):
    typed = book["regressors"].copy()
    typed.loc[("autoencoder", "gbt"), "informativeness"] = 0.83  # the rendered book's numbers
    typed.loc[("autoencoder", "lasso"), "informativeness"] = 0.64
    passed, said = _says(capsys, "ex5-regressor", **dict(_answers(book, "ex5-regressor"), regressors=typed))
    assert not passed and "('autoencoder', 'gbt')'s informativeness is 0.83, but metrics.dci of ae's codes" in said
    passed, said = _says(capsys, "ex5-regressor", **dict(_answers(book, "ex5-regressor"), ae=0.83))
    assert not passed and "ae should be the autoencoder you trained" in said


def test_regressor_an_untrained_autoencoder_fails(book, capsys, quick):
    fresh = _ae(book["shapes"], epochs=0, start_at_mean=False)
    passed, said = _says(capsys, "ex5-regressor", **dict(_answers(book, "ex5-regressor"), ae=fresh))
    assert not passed and "no better than drawing the mean image" in said


def test_regressor_the_wrong_object_or_quantity_fails(book, capsys, quick):
    # an autoencoder from another run (seed 1): trained, but not the one whose codes the table scored
    other = _ae(book["shapes"], seed=1)
    passed, said = _says(capsys, "ex5-regressor", **dict(_answers(book, "ex5-regressor"), ae=other))
    assert not passed and "but metrics.dci of ae's codes" in said
    # metrics.dci without method=method: every row the boosted trees'
    same = book["regressors"].copy()
    for code in ("true factors", "autoencoder", "VAE (β = 1)"):
        for method in ("lasso", "forest"):
            same.loc[(code, method)] = book["regressors"].loc[(code, "gbt")]
    passed, said = _says(capsys, "ex5-regressor", **dict(_answers(book, "ex5-regressor"), regressors=same))
    assert not passed and "two regressors give the autoencoder exactly the same scores" in said
    # the default 100 trees, not the chapter's n_trees
    passed, said = _says(capsys, "ex5-regressor", **dict(_answers(book, "ex5-regressor"), n_trees=100))
    assert not passed and "n_estimators=100" in said
    passed, said = _says(capsys, "ex5-regressor",
                         **dict(_answers(book, "ex5-regressor"), regressors=book["regressors"].droplevel(1)))
    assert not passed and "regressors has no row ('true factors', 'gbt')" in said


# --------------------------------------------------------------------------- ex5-rotation


@pytest.mark.parametrize("profile", ["quick", "full"])
def test_rotation_the_books_solution_passes_in_both_profiles(book, capsys, monkeypatch, profile):
    if profile == "quick":
        monkeypatch.setenv("AELAB_QUICK", "1")
    else:
        monkeypatch.delenv("AELAB_QUICK", raising=False)
    passed, said = _says(capsys, "ex5-rotation", **_answers(book, "ex5-rotation"))
    assert passed and said.startswith("Correct: a rotation keeps the information"), said


def _rotated(book, turn=None, spin=None, base=None):
    base = book["standard"] if base is None else base
    turn = book["turn"] if turn is None else turn
    spin = book["rotation"] if spin is None else spin
    return {"true factors": base, "x-y plane turned 45°": base @ turn, "random rotation": base @ spin}


def _scored(book, rotated):
    return {name: metrics.dci(z, book["factors"], n_estimators=N_TREES) for name, z in rotated.items()}


def test_rotation_typed_numbers_fail(book, capsys):
    typed = {name: dict(scores, disentanglement=0.83 if "x-y" in name else scores["disentanglement"])
             for name, scores in book["rotation_scores"].items()}
    typed["random rotation"]["disentanglement"] = 0.4
    passed, said = _says(capsys, "ex5-rotation", **dict(_answers(book, "ex5-rotation"), rotation_scores=typed))
    assert not passed and "rotation_scores['random rotation']'s disentanglement is 0.4, but metrics.dci" in said
    passed, said = _says(capsys, "ex5-rotation", **dict(_answers(book, "ex5-rotation"), rotated={"turned": 0.83}))
    assert not passed and "rotated should be a dict with the keys" in said


def test_rotation_the_wrong_setting_fails(book, capsys):
    turn90 = np.eye(5)
    turn90[:2, :2] = [[0, -1], [1, 0]]
    rotated = _rotated(book, turn=turn90)
    passed, said = _says(capsys, "ex5-rotation", **dict(_answers(book, "ex5-rotation"), rotated=rotated,
                                                         rotation_scores=_scored(book, rotated)))
    assert not passed and "turns the plane by 90°, not 45°" in said
    stretch = np.eye(5)
    stretch[:2, :2] = [[1, -1], [1, 1]]  # cos and sin forgotten: a turn and a stretch by √2
    rotated = _rotated(book, turn=stretch)
    passed, said = _says(capsys, "ex5-rotation", **dict(_answers(book, "ex5-rotation"), rotated=rotated))
    assert not passed and "is not a rotation" in said


def test_rotation_the_right_shape_but_the_wrong_quantity_fails(book, capsys):
    rotated = _rotated(book, base=book["factors"])  # the raw factors, whose scales differ
    passed, said = _says(capsys, "ex5-rotation", **dict(_answers(book, "ex5-rotation"), rotated=rotated,
                                                         rotation_scores=_scored(book, rotated)))
    assert not passed and "is not standardized" in said
    left = dict(book["rotated"], **{"random rotation": book["rotation"] @ book["standard"].T})  # (5, n)
    passed, said = _says(capsys, "ex5-rotation", **dict(_answers(book, "ex5-rotation"), rotated=left))
    assert not passed and "the codes are rows, so rotate with standard @ matrix" in said
    train_scores = {name: dict(s, informativeness=s["informativeness_train"])
                    for name, s in book["rotation_scores"].items()}
    passed, said = _says(capsys, "ex5-rotation",
                         **dict(_answers(book, "ex5-rotation"), rotation_scores=train_scores))
    assert not passed and "'s informativeness is" in said


def test_rotation_the_wrong_object_fails(book, capsys):
    rotated = _rotated(book, spin=book["turn"])  # the x-y turn filed as the random rotation
    passed, said = _says(capsys, "ex5-rotation", **dict(_answers(book, "ex5-rotation"), rotated=rotated,
                                                         rotation_scores=_scored(book, rotated)))
    assert not passed and "leaves a factor on an axis of its own" in said
    swapped = dict(book["rotation_scores"])
    swapped["random rotation"], swapped["x-y plane turned 45°"] = swapped["x-y plane turned 45°"], swapped[
        "random rotation"]
    passed, said = _says(capsys, "ex5-rotation", **dict(_answers(book, "ex5-rotation"), rotation_scores=swapped))
    assert not passed and "disentanglement is" in said


def test_rotation_the_rule_can_fail():
    rule = exercises.get("ex5-rotation").rule
    book = dict(truth_d=1.0, turned_d=0.83, turned_i=0.97, random_d=0.4, random_i=0.85)
    assert all(c.holds for c in rule(**book))
    assert not all(c.holds for c in rule(**dict(book, random_d=0.9)))  # a rotation close to the axes
    assert not all(c.holds for c in rule(**dict(book, random_i=0.5)))  # information lost
    assert not all(c.holds for c in rule(**dict(book, turned_d=1.0)))  # nothing turned
