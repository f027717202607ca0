"""Chapter 4's exercises: the book's solutions pass; the wrong answers a student gives do not.

The models are trained as the chapter's quick profile trains them (1,000 steps
of 128 digits), once for the whole module.
"""

from functools import partial

import pandas as pd
import pytest
import torch
from torch import nn

from aelab import data, exercises, losses, metrics, models, runtime, train
from aelab.exercises.chapter4 import OPEN

SIZES = dict(input_shape=(1, 14, 14), hidden=(64, 16), activation="leaky_relu", output="tanh")
N_GENERATED = 5000


@pytest.fixture(autouse=True)
def quick_profile(monkeypatch):
    monkeypatch.setenv("AELAB_QUICK", "1")


def _budget(x_train, test, epochs=None):
    epochs = epochs or max(2, round(1000 * 128 / len(x_train)))  # the chapter's quick budget
    return dict(epochs=epochs, lr=3e-3, batch_size=128, test=test, progress=False)


def _vae(x, test, *, latent_dim=3, beta=1.0, kind="mse", output="tanh", epochs=None):
    runtime.seed_everything(0)
    vae = models.VAE(latent_dim=latent_dim, **{**SIZES, "output": output})
    history = train.fit(vae, x, train.vae_objective(beta=beta, kind=kind), **_budget(x, test, epochs))
    return vae.eval(), history


def book_digits(value_range=(-1.0, 1.0)):
    return data.downsample(data.mnist(verbose=False), size=14, value_range=value_range)


@pytest.fixture(scope="module")
def book():
    """What the chapter has trained by its exercises, and the book's solutions, in the quick profile."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AELAB_QUICK", "1")
        digits, unit = book_digits(), book_digits((0.0, 1.0))
        x_train, x_test = digits.x_train, digits.x_test
        sse = train.reconstruction_objective("mse", reduction="sample")
        vae, h_vae = _vae(x_train, x_test)
        runtime.seed_everything(0)
        ae32 = models.MLPAutoencoder(latent_dim=32, **SIZES)
        h_ae32 = train.fit(ae32, x_train, sse, **_budget(x_train, x_test))
        vae32, h_vae32 = _vae(x_train, x_test, latent_dim=32)
        runtime.seed_everything(0)
        classifier = models.MLP([196, 256, 10], activation="relu")
        train.fit(classifier, (x_train.flatten(1), digits.y_train), train.classification_objective(),
                  epochs=_budget(x_train, None)["epochs"], lr=1e-3, batch_size=128, progress=False)
        classifier.eval()
        reader = nn.Sequential(nn.Flatten(), classifier)
        sweep_models = {b: _vae(x_train, x_test, beta=b)[0] for b in (0.1, 8.0)}
        sweep_models[1.0] = vae
        vae_bce, h_bce = _vae(unit.x_train, unit.x_test, kind="bce", output="sigmoid")
        vae0, h_vae0 = _vae(x_train, x_test, beta=0.0)
    return dict(digits=digits, unit=unit, vae=vae, h_vae=h_vae, ae32=ae32.eval(), h_ae32=h_ae32, vae32=vae32,
                h_vae32=h_vae32, classifier=classifier, reader=reader, sweep_models=sweep_models,
                vae_bce=vae_bce, h_bce=h_bce, vae0=vae0, h_vae0=h_vae0)


def _says(capsys, label, **answers):
    passed = exercises.get(label).check(**answers)
    return bool(passed), capsys.readouterr().out


def _fails(capsys, label, expected, **answers):
    passed, said = _says(capsys, label, **answers)
    assert not passed and said.startswith("Not yet") and expected in said, said


def _typed_vae_history(model, x, epochs):
    """A history typed to match what ``model`` gives (its KL), as a student might fake one."""
    with torch.no_grad():
        kl = float(losses.kl_divergence(*model.encode_dist(x), reduction="dimension").sum())
    return pd.DataFrame({"epoch": range(1, epochs + 1), "test_loss": [30.0 + kl] * epochs,
                         "test_recon": [30.0] * epochs, "test_kl": [kl] * epochs})


def _fresh(latent_dim=3, output="tanh"):
    runtime.seed_everything(0)
    return models.VAE(latent_dim=latent_dim, **{**SIZES, "output": output}).eval()


# --------------------------------------------------------------------------- ex4-latent


def _latent_answer(book):
    with torch.no_grad():
        kl32 = losses.kl_divergence(*book["vae32"].encode_dist(book["digits"].x_test), reduction="dimension")
    open32 = int((kl32 > OPEN).sum())
    return dict(open32=open32, vae32=book["vae32"], h_vae32=book["h_vae32"], ae32=book["ae32"],
                h_ae32=book["h_ae32"])


def test_latent_the_books_solution_passes(book, capsys):
    passed, said = _says(capsys, "ex4-latent", **_latent_answer(book))
    assert passed and said.startswith("Correct: the 32-D VAE opens fewer than a third"), said


def test_latent_typed_numbers_fail(book, capsys):
    answer = _latent_answer(book)
    _fails(capsys, "ex4-latent", "vae32 should be a VAE you trained", **dict(answer, vae32=5))
    _fails(capsys, "ex4-latent", f"open32 is {answer['open32'] + 2}, but vae32 has {answer['open32']}",
           **dict(answer, open32=answer["open32"] + 2))
    _fails(capsys, "ex4-latent", "open32 should be a whole number", **dict(answer, open32=float(answer["open32"])))


def test_latent_an_untrained_model_fails(book, capsys):
    answer, fresh = _latent_answer(book), _fresh(32)
    _fails(capsys, "ex4-latent", "but its model gives", **dict(answer, vae32=fresh))
    typed = _typed_vae_history(fresh, book["digits"].x_test, len(book["h_vae32"]))
    _fails(capsys, "ex4-latent", "no better than drawing the mean image", **dict(answer, vae32=fresh, h_vae32=typed))


def test_latent_an_undertrained_model_fails(book, capsys):
    short, h_short = _vae(book["digits"].x_train, book["digits"].x_test, latent_dim=32, epochs=3)
    _fails(capsys, "ex4-latent", "h_vae32 has 3 epochs; train with the chapter's budget",
           **dict(_latent_answer(book), vae32=short, h_vae32=h_short))


def test_latent_the_wrong_quantity_fails(book, capsys):
    answer = _latent_answer(book)
    with torch.no_grad():  # the KL summed over the images instead of averaged
        summed = losses.kl_divergence(*book["vae32"].encode_dist(book["digits"].x_test), reduction="none").sum(0)
    _fails(capsys, "ex4-latent", "average the KL over the images", **dict(answer, open32=int((summed > OPEN).sum())))


def test_latent_the_wrong_objects_fail(book, capsys):
    answer = _latent_answer(book)
    _fails(capsys, "ex4-latent", "vae32 has 3 latent dimensions", **dict(answer, vae32=book["vae"]))
    _fails(capsys, "ex4-latent", "h_vae32's last test_kl", **dict(answer, h_vae32=book["h_vae"]))
    _fails(capsys, "ex4-latent", "ae32 should be the 32-D autoencoder", **dict(answer, ae32=book["vae32"]))


# --------------------------------------------------------------------------- ex4-beta


def _beta_table(book, models_by_beta, *, on_means=False, column=None):
    """The book's solution's table (or a student's variant of it)."""
    judge = partial(metrics.judge, book["reader"], threshold=0.9)
    x_test, rows = book["digits"].x_test, []
    for beta, model in models_by_beta.items():
        images = model.sample(N_GENERATED, generator=torch.Generator().manual_seed(runtime.seed(3)))
        with torch.no_grad():
            mu, logvar = model.encode_dist(x_test)
            z = mu if on_means else model.reparameterize(
                mu, logvar, generator=torch.Generator(mu.device).manual_seed(runtime.seed(1)))
        rows.append({"beta": beta, **judge(images), "distance from N(0, I)": metrics.standard_normal_gap(z)})
    table = pd.DataFrame(rows).set_index("beta")
    if column:
        table["digits covered"] = table[column]
    return table


def test_beta_the_books_solution_passes(book, capsys):
    passed, said = _says(capsys, "ex4-beta", beta_scores=_beta_table(book, book["sweep_models"]),
                         sweep_models=book["sweep_models"], reader=book["reader"])
    assert passed and said.startswith("Correct: the largest β's samples cover fewer digits"), said


def test_beta_typed_numbers_fail(book, capsys):
    typed = pd.DataFrame({"beta": [0.1, 1.0, 8.0], "digits covered": [9.5, 9.7, 1.4],
                          "distance from N(0, I)": [0.6, 0.1, 0.05]}).set_index("beta")
    _fails(capsys, "ex4-beta", "but the models you passed give", beta_scores=typed,
           sweep_models=book["sweep_models"], reader=book["reader"])
    _fails(capsys, "ex4-beta", "should be a VAE you trained", beta_scores=typed,
           sweep_models={0.1: 9.5, 1.0: 9.7, 8.0: 1.4}, reader=book["reader"])


def test_beta_untrained_models_fail(book, capsys):
    table = _beta_table(book, book["sweep_models"])
    untrained = {**book["sweep_models"], 8.0: _fresh()}
    _fails(capsys, "ex4-beta", "the VAE of β = 8", beta_scores=table, sweep_models=untrained, reader=book["reader"])
    runtime.seed_everything(0)
    judge = nn.Sequential(nn.Flatten(), models.MLP([196, 256, 10], activation="relu")).eval()
    _fails(capsys, "ex4-beta", "the judge is right on", beta_scores=table, sweep_models=book["sweep_models"],
           reader=judge)


def test_beta_the_wrong_quantity_fails(book, capsys):
    answer = dict(sweep_models=book["sweep_models"], reader=book["reader"])
    _fails(capsys, "ex4-beta", "not on the means", beta_scores=_beta_table(book, book["sweep_models"],
                                                                             on_means=True), **answer)
    _fails(capsys, "ex4-beta", "take 'digits covered'",
           beta_scores=_beta_table(book, book["sweep_models"], column="mean confidence"), **answer)


def test_beta_the_wrong_objects_fail(book, capsys):
    same = {beta: book["vae"] for beta in book["sweep_models"]}
    _fails(capsys, "ex4-beta", "the same model under two values of β", beta_scores=_beta_table(book, same),
           sweep_models=same, reader=book["reader"])
    # the sweep's ends swapped, the table made from the swapped models
    swapped = {**book["sweep_models"], 0.1: book["sweep_models"][8.0], 8.0: book["sweep_models"][0.1]}
    _fails(capsys, "ex4-beta", "put each VAE under the β it was trained with", beta_scores=_beta_table(book, swapped),
           sweep_models=swapped, reader=book["reader"])
    without_one = {b: m for b, m in book["sweep_models"].items() if b != 1.0}
    _fails(capsys, "ex4-beta", "1 and values below and above it", beta_scores=_beta_table(book, without_one),
           sweep_models=without_one, reader=book["reader"])


# --------------------------------------------------------------------------- ex4-bce


def _mse_pixel(book, mapped=True):
    vae, x_test, unit = book["vae"], book["digits"].x_test, book["unit"]
    with torch.no_grad():
        out = vae.decode(vae.encode(x_test))
        return metrics.reconstruction_error(unit.x_test, (out + 1) / 2 if mapped else out).mean()


def _bce_answer(book):
    return dict(vae_bce=book["vae_bce"], h_bce=book["h_bce"], vae=book["vae"], mse_pixel=_mse_pixel(book))


def test_bce_the_books_solution_passes(book, capsys):
    passed, said = _says(capsys, "ex4-bce", **_bce_answer(book))
    assert passed and said.startswith("Correct: the two reconstruction terms are on different scales"), said
    assert "within a factor 1.5" in said


def test_bce_typed_numbers_fail(book, capsys):
    answer = _bce_answer(book)
    _fails(capsys, "ex4-bce", "vae_bce should be a VAE you trained", **dict(answer, vae_bce=0.031))
    _fails(capsys, "ex4-bce", "mse_pixel is 0.029, but the models you passed give", **dict(answer, mse_pixel=0.029))
    _fails(capsys, "ex4-bce", "mse_pixel should be a number", **dict(answer, mse_pixel="0.03"))
    typed = pd.DataFrame({"epoch": [1, 2], "test_loss": [45.0] * 2, "test_recon": [40.0] * 2})
    _fails(capsys, "ex4-bce", "it has a test_kl column", **dict(answer, h_bce=typed))


def test_bce_untrained_or_undertrained_models_fail(book, capsys):
    answer = _bce_answer(book)
    _fails(capsys, "ex4-bce", "h_bce's last test_kl", **dict(answer, vae_bce=_fresh(output="sigmoid")))
    unit = book["unit"]
    short, h_short = _vae(unit.x_train, unit.x_test, kind="bce", output="sigmoid", epochs=3)
    _fails(capsys, "ex4-bce", "h_bce has 3 epochs", **dict(answer, vae_bce=short, h_bce=h_short))


def test_bce_the_wrong_quantity_fails(book, capsys):
    # the squared-error VAE's reconstructions left on [-1, 1]: four times the error
    _fails(capsys, "ex4-bce", "mapped with (x + 1) / 2", **dict(_bce_answer(book), mse_pixel=_mse_pixel(book, False)))


def test_bce_the_wrong_objects_fail(book, capsys):
    answer, unit = _bce_answer(book), book["unit"]
    _fails(capsys, "ex4-bce", "ends in 'tanh'; the exercise's VAE ends in 'sigmoid'", **dict(answer, vae_bce=book["vae"]))
    # a sigmoid VAE trained with the squared error, not the cross-entropy
    squared, h_squared = _vae(unit.x_train, unit.x_test, kind="mse", output="sigmoid")
    _fails(capsys, "ex4-bce", "kind=\"bce\"", **dict(answer, vae_bce=squared, h_bce=h_squared))


# --------------------------------------------------------------------------- ex4-nokl


def _std(model, x):
    with torch.no_grad():
        return (0.5 * model.encode_dist(x)[1]).exp().mean().item()


def _nokl_answer(book):
    return dict(vae0=book["vae0"], h_vae0=book["h_vae0"], vae=book["vae"], reader=book["reader"],
                std0=_std(book["vae0"], book["digits"].x_test))


def test_nokl_the_books_solution_passes(book, capsys):
    passed, said = _says(capsys, "ex4-nokl", **_nokl_answer(book))
    assert passed and said.startswith("Correct: without the KL term the posterior clouds shrink"), said


def test_nokl_typed_numbers_fail(book, capsys):
    answer = _nokl_answer(book)
    _fails(capsys, "ex4-nokl", "vae0 should be a VAE you trained", **dict(answer, vae0=0.004))
    _fails(capsys, "ex4-nokl", "std0 is 0.004, but the models you passed give", **dict(answer, std0=0.004))
    _fails(capsys, "ex4-nokl", "std0 should be a number", **dict(answer, std0=torch.ones(3)))


def test_nokl_untrained_or_undertrained_models_fail(book, capsys):
    answer, x_test = _nokl_answer(book), book["digits"].x_test
    fresh = _fresh()
    _fails(capsys, "ex4-nokl", "h_vae0's last test_kl", **dict(answer, vae0=fresh, std0=_std(fresh, x_test)))
    short, h_short = _vae(book["digits"].x_train, x_test, beta=0.0, epochs=3)
    _fails(capsys, "ex4-nokl", "h_vae0 has 3 epochs", **dict(answer, vae0=short, h_vae0=h_short,
                                                               std0=_std(short, x_test)))


def test_nokl_the_wrong_quantity_fails(book, capsys):
    answer, x_test = _nokl_answer(book), book["digits"].x_test
    with torch.no_grad():
        variance = book["vae0"].encode_dist(x_test)[1].exp().mean().item()
    _fails(capsys, "ex4-nokl", "not the variance or its log", **dict(answer, std0=variance))
    _fails(capsys, "ex4-nokl", "not the variance or its log", **dict(answer, std0=_std(book["vae"], x_test)))


def test_nokl_the_wrong_objects_fail(book, capsys):
    answer, x_test = _nokl_answer(book), book["digits"].x_test
    # the β = 1 VAE and its history, passed as the β = 0 one
    _fails(capsys, "ex4-nokl", "trained with the KL term", **dict(answer, vae0=book["vae"], h_vae0=book["h_vae"],
                                                                    std0=_std(book["vae"], x_test)))
    _fails(capsys, "ex4-nokl", "the judge is right on", **dict(answer, reader=nn.Sequential(
        nn.Flatten(), models.MLP([196, 256, 10], activation="relu")).eval()))


# --------------------------------------------------------------------------- all four


@pytest.mark.parametrize("label", ["ex4-latent", "ex4-beta", "ex4-bce", "ex4-nokl"])
def test_the_untouched_starter_is_not_attempted(label, capsys):
    starter = exercises.get(label).starter
    call = next(line for line in starter.splitlines() if line.startswith("ex.check("))
    names = [part.split("=")[0].strip() for part in call[len("ex.check("):-1].split(",")]
    passed, said = _says(capsys, label, **{name: ... for name in names})
    assert not passed and said.startswith("Not attempted")


def test_the_rules_are_the_claims_and_can_fail():
    latent = exercises.get("ex4-latent")
    assert all(c.holds for c in latent.rule(open32=5, vae32_recon=24.0, ae32_error=13.0))
    assert not latent.rule(open32=11, vae32_recon=24.0, ae32_error=13.0)[0].holds  # a third is too many
    bce = exercises.get("ex4-bce")
    assert all(c.holds for c in bce.rule(bce_term=40.0, mse_term=24.0, bce_pixel=0.031, mse_pixel=0.029))
    assert not all(c.holds for c in bce.rule(bce_term=40.0, mse_term=24.0, bce_pixel=0.031, mse_pixel=0.02))  # 1.55x
    nokl = exercises.get("ex4-nokl")
    assert all(c.holds for c in nokl.rule(std0=0.005, std1=0.2, gap0=3.0, covered0=4.0, covered1=9.7))
    assert not nokl.rule(std0=0.05, std1=0.2, gap0=3.0, covered0=4.0, covered1=9.7)[0].holds  # a quarter, not a fifth
    beta = exercises.get("ex4-beta")
    assert all(c.holds for c in beta.rule(beta_max=8.0, beta_min=0.1, covered_one=9.7, covered_max=1.4,
                                          gap_min=0.5, gap_one=0.1))
    assert not any(c.holds for c in beta.rule(beta_max=8.0, beta_min=0.1, covered_one=9.7, covered_max=9.7,
                                              gap_min=0.1, gap_one=0.1))
