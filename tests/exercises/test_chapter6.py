"""Chapter 6's exercises: the book's solutions pass; the wrong answers a student gives do not."""

import pandas as pd
import pytest
import torch
from torch.nn.utils import parametrize

from aelab import data, exercises, metrics, models, runtime, train

ARCH = dict(hidden=(48, 48, 48, 48), activation="leaky_relu")
SETTINGS = [(1e-3, 0.01), (1e-1, 0.01), (0.01, 1e-3), (0.01, 1e-1)]
SWEEP_STEPS, STEPS = 150, 200  # the chapter's quick-profile budgets
LAM, ETA = 0.01, 0.01


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    monkeypatch.setenv("AELAB_QUICK", "1")


def _curve():
    return data.curve(n=100, noise=0.01, seed=runtime.seed(0))


def _model(latent=3, *, normalized=True, free_last=False):
    runtime.seed_everything(0)
    model = models.MLPAutoencoder(3, latent, **ARCH, spectral_norm_decoder=normalized)
    if free_last:
        parametrize.remove_parametrizations(model.decoder.net[-1], "weight")
    return model


def _fit(model, lam, eta, steps):
    history = train.fit(model, _curve().x, train.least_volume_objective(lam, eta), epochs=steps, lr=1e-3,
                        batch_size=100)
    return model, history


def _end_mse(history, column="train_recon"):
    return metrics.end_value(history, column, last=len(history) // 10)


def _table(runs, mse=_end_mse, kept=None):
    """The sweep's table as the book's solution builds it (or with another column, as a student might)."""
    rows = []
    for (lam, eta), (model, history) in runs.items():
        z, _ = model.encode_decode(_curve().x)
        count = metrics.least_volume_dimensions(model.decode, z, _curve().x) if kept is None else kept(z)
        rows.append({"lambda": lam, "eta": eta, "reconstruction MSE": mse(history), "dimensions kept": count})
    return pd.DataFrame(rows).set_index(["lambda", "eta"])


@pytest.fixture(scope="module")
def book():
    """The book's three worked solutions, trained as the quick profile trains them."""
    runs = {}
    for lam, eta in SETTINGS:
        runs[(lam, eta)] = _fit(_model(), lam, eta, SWEEP_STEPS)
    leaky, leaky_history = _fit(_model(free_last=True), LAM, ETA, STEPS)
    wide, wide_history = _fit(_model(10), LAM, ETA, STEPS)
    z_wide, _ = wide.encode_decode(_curve().x)
    return dict(
        sweep=dict(sweep=_table(runs), sweep_runs=runs),
        last=dict(leaky=leaky, leaky_history=leaky_history,
                  last_norm=torch.linalg.matrix_norm(leaky.decoder.net[-1].weight.detach(), ord=2).item()),
        wide=dict(wide=wide, wide_history=wide_history,
                  kept_wide=metrics.least_volume_dimensions(wide.decode, z_wide, _curve().x)),
    )


def _says(capsys, label, **answers):
    passed = exercises.get(label).check(**answers)
    return bool(passed), capsys.readouterr().out


@pytest.mark.parametrize("label, key", [("ex6-sweep", "sweep"), ("ex6-last-layer", "last"),
                                        ("ex6-latent10", "wide")])
def test_the_books_solution_passes(book, capsys, label, key):
    passed, said = _says(capsys, label, **book[key])
    assert passed, said
    if label == "ex6-last-layer":  # the quick run cannot show the property, and says so
        assert said.startswith("Correct as far as the quick profile can tell") and "full profile only" in said
    else:
        assert said.startswith("Correct: ") and "Measured: " in said


@pytest.mark.parametrize("label", ["ex6-sweep", "ex6-last-layer", "ex6-latent10"])
def test_the_untouched_starter_is_not_attempted(capsys, label):
    starter = exercises.get(label).starter
    call = next(line for line in starter.splitlines() if line.startswith("ex.check("))
    names = [part.split("=")[0].strip() for part in call[len("ex.check("):-1].split(",")]
    passed, said = _says(capsys, label, **{name: ... for name in names})
    assert not passed and said.startswith("Not attempted")


# --------------------------------------------------------------------------- ex6-sweep


def test_sweep_typed_numbers_fail(book, capsys):
    runs = book["sweep"]["sweep_runs"]
    typed = book["sweep"]["sweep"].copy()
    typed.loc[(1e-1, 0.01), "reconstruction MSE"] = 0.4  # about the variance, typed from the book
    passed, said = _says(capsys, "ex6-sweep", sweep=typed, sweep_runs=runs)
    assert not passed and "the table's reconstruction MSE at λ = 0.1, η = 0.01 is 0.4;" in said
    numbers = {setting: 0.01 for setting in SETTINGS}  # the table's numbers, without the models
    passed, said = _says(capsys, "ex6-sweep", sweep=book["sweep"]["sweep"], sweep_runs=numbers)
    assert not passed and "should be the pair (model, history)" in said
    passed, said = _says(capsys, "ex6-sweep", sweep=[0.0001, 0.37, 0.05, 0.06], sweep_runs=runs)
    assert not passed and "sweep should be a pandas DataFrame" in said


def test_sweep_the_loss_with_its_penalty_fails(book, capsys):
    """Issue 33: the history's default column, train_loss, includes λ times the volume."""
    runs = book["sweep"]["sweep_runs"]
    with_penalty = _table(runs, mse=lambda h: metrics.end_value(h, last=len(h) // 10))
    passed, said = _says(capsys, "ex6-sweep", sweep=with_penalty, sweep_runs=runs)
    assert not passed and "the end of train_loss, which adds λ times the volume" in said
    assert "end_mse(history), on train_recon" in said


def test_sweep_another_count_fails(book, capsys):
    """Dimensions counted by spread above η (varying codes), not by what the decoder needs."""
    runs = book["sweep"]["sweep_runs"]
    by_spread = _table(runs, kept=lambda z: int((z.std(0) > 0.01).sum()))
    assert not by_spread["dimensions kept"].equals(book["sweep"]["sweep"]["dimensions kept"])
    passed, said = _says(capsys, "ex6-sweep", sweep=by_spread, sweep_runs=runs)
    assert not passed and "metrics.least_volume_dimensions of its codes of curve.x" in said


def test_sweep_untrained_models_fail(book, capsys):
    runs = {setting: (_model(), history) for setting, (_, history) in book["sweep"]["sweep_runs"].items()}
    passed, said = _says(capsys, "ex6-sweep", sweep=book["sweep"]["sweep"], sweep_runs=runs)
    assert not passed and "pass the model and the history train.fit returned for it" in said


def test_sweep_swapped_runs_fail(book, capsys):
    """The λ = 0.001 run filed under λ = 0.1: the right type, the wrong object."""
    runs = dict(book["sweep"]["sweep_runs"])
    runs[(1e-1, 0.01)] = runs[(1e-3, 0.01)]
    passed, said = _says(capsys, "ex6-sweep", sweep=book["sweep"]["sweep"], sweep_runs=runs)
    assert not passed and "was trained with λ = 0.001" in said and "asks for λ = 0.1" in said


def test_sweep_wrong_settings_fail(book, capsys):
    runs = dict(book["sweep"]["sweep_runs"])
    runs[(0.01, 1e-3)] = _fit(_model(), 0.01, 1e-3, 50)  # too short a run
    passed, said = _says(capsys, "ex6-sweep", sweep=_table(runs), sweep_runs=runs)
    assert not passed and "for 150 full-batch steps" in said and "not 50" in said
    runs = dict(book["sweep"]["sweep_runs"])
    runs[(1e-3, 0.01)] = _fit(_model(normalized=False), 1e-3, 0.01, SWEEP_STEPS)  # no spectral norm
    passed, said = _says(capsys, "ex6-sweep", sweep=_table(runs), sweep_runs=runs)
    assert not passed and "spectrally normalized on every layer" in said
    runs = dict(book["sweep"]["sweep_runs"])
    runs.pop((0.01, 1e-1))
    passed, said = _says(capsys, "ex6-sweep", sweep=book["sweep"]["sweep"], sweep_runs=runs)
    assert not passed and "they lack [(0.01, 0.1)]" in said


def test_sweep_rule_can_fail():
    ex = exercises.get("ex6-sweep")
    assert all(c.holds for c in ex.rule(weak=0.02, strong=0.99))
    assert [c.holds for c in ex.rule(weak=0.3, strong=0.99)] == [False, True]  # λ = 0.001 fits badly
    assert [c.holds for c in ex.rule(weak=0.02, strong=0.3)] == [True, False]  # λ = 0.1 still fits


# --------------------------------------------------------------------------- ex6-last-layer


def test_last_layer_typed_numbers_fail(book, capsys):
    answers = book["last"]
    passed, said = _says(capsys, "ex6-last-layer", **dict(answers, leaky=2.65))
    assert not passed and "leaky should be the autoencoder you trained" in said
    passed, said = _says(capsys, "ex6-last-layer", **dict(answers, last_norm=2.65))
    assert not passed and "last_norm (2.650) is not the largest singular value" in said
    passed, said = _says(capsys, "ex6-last-layer", **dict(answers, last_norm="1.1"))
    assert not passed and "last_norm should be a number" in said
    typed = pd.DataFrame({"train_loss": [0.0575], "train_recon": [0.0574], "train_volume": [0.01]})
    passed, said = _says(capsys, "ex6-last-layer", **dict(answers, leaky_history=typed))  # its last numbers
    assert not passed and "train leaky for 200 full-batch steps" in said and "not 1" in said


def test_last_layer_untrained_model_fails(book, capsys):
    fresh = _model(free_last=True)
    norm = torch.linalg.matrix_norm(fresh.decoder.net[-1].weight.detach(), ord=2).item()
    passed, said = _says(capsys, "ex6-last-layer", **dict(book["last"], leaky=fresh, last_norm=norm))
    assert not passed and "pass the model and the history train.fit returned for it" in said


def test_last_layer_frobenius_norm_fails(book, capsys):
    """The right shape, the wrong quantity: matrix_norm's default is the Frobenius norm."""
    weight = book["last"]["leaky"].decoder.net[-1].weight.detach()
    frobenius = torch.linalg.matrix_norm(weight).item()
    passed, said = _says(capsys, "ex6-last-layer", **dict(book["last"], last_norm=frobenius))
    assert not passed and "is not the largest singular value" in said and "ord=2" in said


def test_last_layer_wrong_models_fail(book, capsys):
    bounded, history = book["sweep"]["sweep_runs"][(0.01, 1e-1)]  # every layer still normalized
    passed, said = _says(capsys, "ex6-last-layer", leaky=bounded, leaky_history=history, last_norm=1.0)
    assert not passed and "the decoder's last layer still has spectral norm" in said
    all_free, history = _fit(_model(normalized=False), LAM, ETA, STEPS)
    passed, said = _says(capsys, "ex6-last-layer", leaky=all_free, leaky_history=history, last_norm=1.5)
    assert not passed and "only the last layer should be free" in said
    passed, said = _says(capsys, "ex6-last-layer", **dict(book["last"], leaky=book["wide"]["wide"]))
    assert not passed and "leaky has a code of 10 numbers; the exercise asks for 3" in said


def test_last_layer_wrong_setting_fails(book, capsys):
    leaky, history = _fit(_model(free_last=True), 0.1, ETA, STEPS)  # λ of the sweep, not the chapter's
    norm = torch.linalg.matrix_norm(leaky.decoder.net[-1].weight.detach(), ord=2).item()
    passed, said = _says(capsys, "ex6-last-layer", leaky=leaky, leaky_history=history, last_norm=norm)
    assert not passed and "trained with λ = 0.1 (" in said and "the exercise asks for λ = 0.01" in said


def test_last_layer_rule_can_fail():
    ex = exercises.get("ex6-last-layer")
    assert all(c.holds for c in ex.rule(last_norm=2.6))
    assert not any(c.holds for c in ex.rule(last_norm=1.0))  # what a normalized layer gives


def test_last_layer_full_profile_says_the_rule(book, capsys, monkeypatch):
    """In the full profile the verdict is the rule's (here on a run of the quick length, so it is refused)."""
    monkeypatch.delenv("AELAB_QUICK")
    passed, said = _says(capsys, "ex6-last-layer", **book["last"])
    assert not passed and "train leaky for 3000 full-batch steps" in said and "not 200" in said


# --------------------------------------------------------------------------- ex6-latent10


def test_latent10_typed_numbers_fail(book, capsys):
    answers = book["wide"]
    passed, said = _says(capsys, "ex6-latent10", **dict(answers, kept_wide=4))  # the book's number
    if answers["kept_wide"] != 4:
        assert not passed and "kept_wide (4) is not the count" in said
    passed, said = _says(capsys, "ex6-latent10", **dict(answers, kept_wide=4.0))
    assert not passed and "kept_wide should be a whole number" in said
    passed, said = _says(capsys, "ex6-latent10", **dict(answers, wide=4))
    assert not passed and "wide should be the autoencoder you trained" in said


def test_latent10_untrained_model_fails(book, capsys):
    passed, said = _says(capsys, "ex6-latent10", **dict(book["wide"], wide=_model(10)))
    assert not passed and "pass the model and the history train.fit returned for it" in said


def test_latent10_dropped_instead_of_kept_fails(book, capsys):
    """The right shape, the wrong quantity: how many dimensions it dropped."""
    answers = book["wide"]
    passed, said = _says(capsys, "ex6-latent10", **dict(answers, kept_wide=10 - answers["kept_wide"]))
    assert not passed and "is not the count metrics.least_volume_dimensions gives" in said


def test_latent10_wrong_models_fail(book, capsys):
    model, history = book["sweep"]["sweep_runs"][(0.01, 1e-1)]  # the 3-number model of the sweep
    passed, said = _says(capsys, "ex6-latent10", wide=model, wide_history=history, kept_wide=2)
    assert not passed and "wide has a code of 3 numbers; the exercise asks for 10" in said
    passed, said = _says(capsys, "ex6-latent10", **dict(book["wide"], wide_history=book["last"]["leaky_history"]))
    assert not passed and "pass the model and the history train.fit returned for it" in said


def test_latent10_wrong_settings_fail(book, capsys):
    free, history = _fit(_model(10, normalized=False), LAM, ETA, STEPS)
    passed, said = _says(capsys, "ex6-latent10", wide=free, wide_history=history, kept_wide=3)
    assert not passed and "spectrally normalized on every layer" in said
    short, history = _fit(_model(10), LAM, ETA, 100)
    passed, said = _says(capsys, "ex6-latent10", wide=short, wide_history=history, kept_wide=3)
    assert not passed and "train wide for 200 full-batch steps" in said


def test_latent10_rule_can_fail():
    ex = exercises.get("ex6-latent10")
    assert all(c.holds for c in ex.rule(kept=4))
    assert not all(c.holds for c in ex.rule(kept=10))  # nothing dropped
    assert not all(c.holds for c in ex.rule(kept=0))  # everything dropped: a constant code
