"""aelab.stacked.fit_seeds: S seeds trained at once equal S runs of fit, one per seed."""

import re
import warnings

import pytest
import torch
import torch.nn.functional as F

from aelab import data, models, train
from aelab.stacked import fit_seeds

X = data.curve(n=60, noise=0.01, seed=0).x
SEEDS = [3, 0, 7]


def _one_by_one(make, x, objective, **settings):
    runs = []
    for s in SEEDS:
        torch.manual_seed(s)
        model = make()
        history = train.fit(model, x, objective, seed=s, device="cpu", progress=False, **settings)
        runs.append((history, model))
    return runs


@pytest.mark.parametrize("case", ["reconstruction", "l1", "least volume, spectral norm"])
def test_each_seed_equals_fit_run_alone(case):
    spectral = case.startswith("least volume")
    objective = {"reconstruction": train.reconstruction_objective(), "l1": train.l1_latent_objective(1e-2),
                 "least volume, spectral norm": train.least_volume_objective(lam=0.01)}[case]

    def make():
        return models.MLPAutoencoder(3, 2, hidden=(16, 16), activation="tanh", spectral_norm_decoder=spectral)

    settings = dict(epochs=15, lr=1e-2, batch_size=25, test=X[:20])
    history, trained = fit_seeds(make, X, objective, seeds=SEEDS, device="cpu", **settings)
    assert list(history["seed"].unique()) == SEEDS
    for (alone, model), stacked_model, s in zip(_one_by_one(make, X, objective, **settings), trained, SEEDS):
        rows = history[history.seed == s].drop(columns=["seed", "seconds"]).reset_index(drop=True)
        expected = alone.drop(columns=["seconds"])
        assert list(rows.columns) == list(expected.columns)
        torch.testing.assert_close(torch.tensor(rows.to_numpy()), torch.tensor(expected.to_numpy()),
                                   rtol=1e-4, atol=1e-6)
        for key, value in model.state_dict().items():
            torch.testing.assert_close(stacked_model.state_dict()[key], value, rtol=1e-4, atol=1e-5)


def test_chapter_one_regression_net_with_labels():
    x = torch.linspace(-1, 1, 40).unsqueeze(1)
    y = torch.cos(1.5 * torch.pi * x)

    def objective(model, batch):
        return F.mse_loss(model(batch[0]), batch[1])

    def make():
        return models.MLP([1, 16, 16, 1], activation="tanh")

    settings = dict(epochs=10, lr=1e-2, batch_size=16, optimizer="sgd", weight_decay=1e-3)
    history, trained = fit_seeds(make, (x, y), objective, seeds=SEEDS, device="cpu", **settings)
    for (alone, model), s in zip(_one_by_one(make, (x, y), objective, **settings), SEEDS):
        got = history[history.seed == s]["train_loss"].to_numpy()
        torch.testing.assert_close(torch.tensor(got), torch.tensor(alone["train_loss"].to_numpy()),
                                   rtol=1e-5, atol=1e-7)


def test_a_diverging_run_stops_and_keeps_its_last_good_weights():
    with pytest.warns(train.TrainingDiverged, match=r"^seeds 0, 1 stopped early\. Seed 0: the loss became"):
        history, trained = fit_seeds(lambda: models.MLPAutoencoder(3, 1, hidden=(8,)), X * 1e3,
                                     train.reconstruction_objective(), seeds=[0, 1], epochs=5, lr=1e6,
                                     batch_size=60, optimizer="sgd", device="cpu")
    assert history.attrs["diverged_seeds"] == [0, 1] and "seeds 0, 1 stopped early" in history.attrs["diverged"]
    for model in trained:
        assert all(torch.isfinite(v).all() for v in model.state_dict().values())


def _fitted_alone(make, x, objective, seeds, **settings):
    """fit seed by seed, each run's warnings recorded: [(history, model, [warning, ...])]."""
    runs = []
    for s in seeds:
        torch.manual_seed(s)
        model = make()
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            history = train.fit(model, x, objective, seed=s, device="cpu", progress=False, **settings)
        runs.append((history, model, [w for w in said if issubclass(w.category, train.TrainingDiverged)]))
    return runs


def _restored(message):
    return re.findall(r"restored to the end of epoch \d+|restored to its initial weights", message)


DIVERGING = {  # settings under which some seeds go wrong, each the way fit goes wrong
    "SGD at lr=1: one seed stops, one ends exploded, one trains": (
        lambda: models.MLPAutoencoder(3, 2, hidden=(16,), activation="tanh"), X,
        dict(epochs=8, lr=1.0, batch_size=15, optimizer="sgd"), {3: "went wrong", 0: "stopped", 7: None}),
    "Adam at lr=1e6: every loss explodes": (
        lambda: models.MLPAutoencoder(3, 2, hidden=(16,), activation="tanh"), X,
        dict(epochs=5, lr=1e6, batch_size=15), {3: "went wrong", 0: "went wrong", 7: "went wrong"}),
    "Adam at lr=1e6 on a sigmoid output: the weights blow up": (
        lambda: models.MLPAutoencoder(3, 2, hidden=(16,), output="sigmoid"), X.abs().clamp(max=1),
        dict(epochs=3, lr=1e6, batch_size=15), {3: "went wrong", 0: "went wrong", 7: "went wrong"}),
}


@pytest.mark.parametrize("case", list(DIVERGING))
def test_a_seed_that_goes_wrong_is_handled_as_fit_handles_it(case):
    make, x, settings, expected = DIVERGING[case]
    objective = train.reconstruction_objective()
    with pytest.warns(train.TrainingDiverged) as said:
        history, trained = fit_seeds(make, x, objective, seeds=SEEDS, device="cpu", **settings)
    assert len(said) == 1  # one warning, naming the seeds
    wrong = [s for s in SEEDS if expected[s]]
    assert history.attrs["diverged_seeds"] == wrong and history.attrs["diverged"] == str(said[0].message)
    named = f"seed{'s' if len(wrong) > 1 else ''} {', '.join(map(str, wrong))} "
    assert history.attrs["diverged"].startswith(named)
    for (alone, model, warned), stacked_model, s in zip(_fitted_alone(make, x, objective, SEEDS, **settings),
                                                        trained, SEEDS):
        rows = history[history.seed == s]
        assert rows["epoch"].tolist() == alone["epoch"].tolist()  # stopped at the same epoch
        assert (alone.attrs["diverged"] is None) == (expected[s] is None) == (not warned)
        if expected[s]:
            assert alone.attrs["diverged"].startswith(f"training {expected[s]}: ")
            part = re.search(rf"Seed {s}: (.*?)\.(?= Seed| Try)", history.attrs["diverged"]).group(1)
            assert _restored(part) == _restored(alone.attrs["diverged"]) != []
            what = alone.attrs["diverged"].split(": ", 1)[1]  # fit's sentence after "training stopped: "
            assert part.split()[:4] == what.split()[:4]  # the same trouble: "the loss became inf", ...
        for key, value in model.state_dict().items():  # the same restored (or trained) weights
            torch.testing.assert_close(stacked_model.state_dict()[key], value, rtol=1e-4, atol=1e-5)


def test_one_seed_diverges_as_fit_does_the_same_epoch_the_same_weights():
    make, x, settings, _ = DIVERGING["SGD at lr=1: one seed stops, one ends exploded, one trains"]
    objective = train.reconstruction_objective()
    with pytest.warns(train.TrainingDiverged, match=r"^seed 0 stopped early\. Seed 0: the loss became inf at "
                      r"epoch 7, batch 3 of 4; the model is restored to the end of epoch 1, the last good one\. "
                      r"Try a lower learning rate \(now 1\.0\)\.$"):
        history, (stacked_model,) = fit_seeds(make, x, objective, seeds=[0], device="cpu", **settings)
    ((alone, model, warned),) = _fitted_alone(make, x, objective, [0], **settings)
    assert len(warned) == 1 and "epoch 7, batch 3 of 4" in alone.attrs["diverged"]
    assert history["epoch"].tolist() == alone["epoch"].tolist() == list(range(1, 7))
    for key, value in model.state_dict().items():
        torch.testing.assert_close(stacked_model.state_dict()[key], value, rtol=1e-4, atol=1e-5)
    torch.manual_seed(0)
    one = make()  # the weights restored are epoch 1's
    train.fit(one, x, objective, seed=0, device="cpu", progress=False, **(settings | {"epochs": 1}))
    for key, value in one.state_dict().items():
        torch.testing.assert_close(stacked_model.state_dict()[key], value, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("make, settings, message", [
    (models.MLPAutoencoder(3, 1), {}, "make_model must be a function"),
    (lambda: models.MLPAutoencoder(3, 1), {"seeds": [1, 1]}, "seeds must be distinct"),
    (lambda: models.MLPAutoencoder(3, 1), {"seeds": []}, "non-empty list"),
    (lambda: models.ConvAutoencoder(latent_dim=2), {}, "train a ConvAutoencoder seed by seed"),
    (lambda: models.MLPAutoencoder(3, 1), {"epochs": 0}, "epochs must be a positive integer"),
    (lambda: models.MLPAutoencoder(4, 1), {}, r"expects inputs of shape \(batch, 4\)"),
])
def test_mistakes_get_one_sentence(make, settings, message):
    arguments = dict(seeds=[0, 1], epochs=1, device="cpu") | settings
    with pytest.raises(ValueError, match=message):
        fit_seeds(make, X, train.reconstruction_objective(), **arguments)


def test_an_objective_that_decodes_other_codes_is_refused():
    def objective(model, batch):
        z = model.encode(batch[0])
        return F.mse_loss(model.decode(z * 2), batch[0])

    with pytest.raises(ValueError, match="decode only the codes encode gave it"):
        fit_seeds(lambda: models.MLPAutoencoder(3, 1), X, objective, seeds=[0, 1], epochs=1, device="cpu")


def test_fit_seeds_checks_the_data_and_device_as_fit_does():
    sigmoid = lambda: models.MLPAutoencoder(3, 1, hidden=(8,), output="sigmoid")  # noqa: E731
    with pytest.raises(ValueError, match=r"^the inputs of data must lie in \[0, 1\], the range of "
                       r"MLPAutoencoder's sigmoid output, but run from"):
        fit_seeds(sigmoid, X.abs() * 255, train.reconstruction_objective(), seeds=[0, 1], epochs=1, device="cpu")
    with pytest.raises(ValueError, match=r"^device must be a torch.device or a name such as 'cpu'.*got 'gpu'"):
        fit_seeds(sigmoid, X.abs(), train.reconstruction_objective(), seeds=[0, 1], epochs=1, device="gpu")
    history, trained = fit_seeds(sigmoid, X.abs().clamp(max=1), train.reconstruction_objective(),
                                 seeds=[0, 1], epochs=1, device="cpu")
    assert len(trained) == 2 and len(history) == 2
