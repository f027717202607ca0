"""aelab.stacked.fit_seeds: S seeds trained at once equal S runs of fit, one per seed."""

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
    history, trained = fit_seeds(lambda: models.MLPAutoencoder(3, 1, hidden=(8,)), X * 1e3,
                                 train.reconstruction_objective(), seeds=[0, 1], epochs=5, lr=1e6,
                                 batch_size=60, optimizer="sgd", device="cpu")
    assert history.attrs["diverged_seeds"] == [0, 1] and "seeds 0, 1 stopped early" in history.attrs["diverged"]
    for model in trained:
        assert all(torch.isfinite(v).all() for v in model.state_dict().values())


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
