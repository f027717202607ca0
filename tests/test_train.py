import warnings

import pandas as pd
import pytest
import torch
import torch.nn.functional as F

from aelab import data, models, runtime, train


def _curve_model(seed=0):
    runtime.seed_everything(seed)
    return models.MLPAutoencoder(3, latent_dim=2, hidden=(16,), activation="tanh")


def _curve():
    return data.curve(n=64, device="cpu").x


def test_fit_returns_one_row_per_epoch_and_learns():
    x = _curve()
    model = _curve_model()
    history = train.fit(model, (x,), train.reconstruction_objective(), epochs=30, lr=1e-2,
                        batch_size=16, test=(x,), device="cpu")
    assert isinstance(history, pd.DataFrame)
    assert list(history.columns) == ["epoch", "train_loss", "test_loss", "seconds"]
    assert history["epoch"].tolist() == list(range(1, 31))
    assert history["test_loss"].iloc[-1] < 0.5 * history["test_loss"].iloc[0]
    # the test loss is exactly what evaluate reports for the final model
    final = train.evaluate(model, x, train.reconstruction_objective(), device="cpu")["loss"]
    assert history["test_loss"].iloc[-1] == pytest.approx(final, rel=1e-5)
    assert history.attrs["diverged"] is None


def test_train_loss_is_the_epoch_mean_not_the_last_batch():
    # With lr tiny the weights barely move, so the epoch's loss must equal the
    # full-data loss, whatever the last (short) batch happens to hold.
    x = _curve()
    model = _curve_model()
    before = train.evaluate(model, x, train.reconstruction_objective(), device="cpu")["loss"]
    h = train.fit(model, x, train.reconstruction_objective(), epochs=1, lr=1e-9,
                  batch_size=60, optimizer="sgd", device="cpu")
    assert h["train_loss"].iloc[0] == pytest.approx(before, rel=1e-4)


def test_same_seed_gives_identical_history_on_cpu():
    x = _curve()
    runs = []
    for _ in range(2):
        h = train.fit(_curve_model(), x, train.reconstruction_objective(), epochs=5,
                      batch_size=8, test=x, seed=7, device="cpu")
        runs.append(h.drop(columns="seconds"))
    pd.testing.assert_frame_equal(runs[0], runs[1])
    other = train.fit(_curve_model(), x, train.reconstruction_objective(), epochs=5,
                      batch_size=8, seed=8, device="cpu")
    assert other["train_loss"].iloc[-1] != runs[0]["train_loss"].iloc[-1]


def test_aelab_seed_shifts_the_default_batch_order(monkeypatch):
    # fit's default seed is runtime.seed(0): offset 0 is seed 0, offset 3 is seed 3
    x = _curve()

    def run():  # the same initial weights every time; only the batch order can move
        return train.fit(_fixed_model(), x, train.reconstruction_objective(), epochs=3, batch_size=8,
                         device="cpu")["train_loss"].tolist()

    monkeypatch.delenv("AELAB_SEED", raising=False)
    default = run()
    explicit = train.fit(_fixed_model(), x, train.reconstruction_objective(), epochs=3, batch_size=8,
                         seed=0, device="cpu")["train_loss"].tolist()
    assert default == explicit  # at offset 0 nothing changes
    monkeypatch.setenv("AELAB_SEED", "3")
    shifted = run()
    assert shifted != default
    three = train.fit(_fixed_model(), x, train.reconstruction_objective(), epochs=3, batch_size=8,
                      seed=3, device="cpu")["train_loss"].tolist()
    assert shifted == three  # the shifted default is seed 3's batch order, weights unchanged


def _fixed_model():
    torch.manual_seed(0)
    return models.MLPAutoencoder(3, latent_dim=2, hidden=(16,), activation="tanh")


def test_dict_objective_logs_every_term():
    x = _curve()

    def objective(model, batch):
        recon = F.mse_loss(model(batch[0]), batch[0])
        size = model.encode(batch[0]).pow(2).mean()
        return {"loss": recon + 0.1 * size, "recon": recon, "size": size}

    h = train.fit(_curve_model(), x, objective, epochs=2, test=x, device="cpu")
    for col in ["train_loss", "train_recon", "train_size", "test_loss", "test_recon", "test_size"]:
        assert col in h


def test_classification_objective_on_labelled_data():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(200, 2, generator=g)
    y = (x[:, 0] > 0).long()
    runtime.seed_everything(0)
    clf = models.MLP([2, 8, 2])
    h = train.fit(clf, (x, y), train.classification_objective(), epochs=40, lr=1e-2,
                  batch_size=50, device="cpu")
    acc = (clf(x).argmax(1) == y).float().mean().item()
    assert acc > 0.9 and h["train_loss"].iloc[-1] < h["train_loss"].iloc[0]


def test_wrong_shape_fails_before_any_step():
    model = models.MLPAutoencoder((1, 28, 28), latent_dim=2)
    before = [p.clone() for p in model.parameters()]
    with pytest.raises(ValueError, match=r"expects inputs of shape \(batch, 1, 28, 28\), got \(10, 784\)"):
        train.fit(model, torch.zeros(10, 784), train.reconstruction_objective(), epochs=1, device="cpu")
    with pytest.raises(ValueError, match=r"got \(10, 3\)"):
        train.fit(model, torch.zeros(10, 1, 28, 28), train.reconstruction_objective(), epochs=1,
                  test=torch.zeros(10, 3), device="cpu")
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_bad_settings_are_one_clear_sentence():
    x, model, obj = _curve(), _curve_model(), train.reconstruction_objective()
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        train.fit(model, x, obj, epochs=0)
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'"):
        train.fit(model, x, obj, epochs=1, optimizer="rmsprop")
    with pytest.raises(ValueError, match="lr must be a positive number"):
        train.fit(model, x, obj, epochs=1, lr=0)
    with pytest.raises(ValueError, match="same number of rows"):
        train.fit(model, (x, torch.zeros(3)), obj, epochs=1)
    with pytest.raises(ValueError, match="unknown reconstruction loss"):
        train.reconstruction_objective("cosine")


def test_nan_loss_stops_names_epoch_and_batch_and_keeps_history():
    x = _curve()
    calls = {"n": 0}

    def objective(model, batch):
        calls["n"] += 1
        loss = F.mse_loss(model(batch[0]), batch[0])
        # 64 rows / batch 16 = 4 batches an epoch: poison epoch 3, batch 2
        return loss * float("nan") if calls["n"] == 10 else loss

    model = _curve_model()
    with pytest.warns(train.TrainingDiverged, match=r"epoch 3, batch 2 of 4.*lower learning rate"):
        h = train.fit(model, x, objective, epochs=10, batch_size=16, device="cpu")
    assert h["epoch"].tolist() == [1, 2]
    assert "epoch 3" in h.attrs["diverged"]
    assert all(torch.isfinite(p).all() for p in model.parameters())


def test_progress_is_quiet_in_the_quick_profile(monkeypatch, capsys):
    monkeypatch.setenv("AELAB_QUICK", "1")
    train.fit(_curve_model(), _curve(), train.reconstruction_objective(), epochs=2, device="cpu")
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


# --------------------------------------------------------------------------- training that goes wrong says so


def _initial(model):
    return [t.clone() for t in model.state_dict().values()]


def _same(model, weights):
    return all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), weights))


def test_a_loss_that_explodes_is_warned_about_and_the_model_restored():
    model = _curve_model()
    initial = _initial(model)
    with pytest.warns(train.TrainingDiverged, match="grew from .* Try a lower learning rate"):
        h = train.fit(model, _curve(), train.reconstruction_objective(), epochs=5, lr=1e6,
                      batch_size=16, device="cpu")
    assert "grew from" in h.attrs["diverged"] and len(h) == 5  # a finite loss does not stop training
    # Adam at lr=1e6 is far above the untrained loss from epoch 1 on: no epoch was good
    assert "no epoch was good: the model is restored to its initial weights" in h.attrs["diverged"]
    assert _same(model, initial)


def test_weights_that_overflow_are_restored_to_a_good_epoch_or_the_initial_weights():
    x = _curve() * 1e3
    model = _curve_model()
    initial = _initial(model)
    with pytest.warns(train.TrainingDiverged, match="restored to its initial weights"):
        train.fit(model, x, train.reconstruction_objective(), epochs=5, lr=1e8, batch_size=64,
                  optimizer="sgd", device="cpu")
    assert _same(model, initial) and torch.isfinite(model(x)).all()


def test_the_model_is_restored_only_to_an_epoch_that_was_good():
    # SGD at lr=1: the loss climbs (0.56, 1.0, 3.3), epoch 4's is 1e7, far above the untrained model's,
    # and epoch 8's becomes infinite. Epoch 3's mean loss was fine, but its weights already give
    # epoch 4's first batch a loss over 100 times the untrained one: the last good epoch is 2.
    x, objective, settings = _curve(), train.reconstruction_objective(), dict(
        lr=1.0, batch_size=16, optimizer="sgd", device="cpu")
    model = _curve_model()
    untrained = train.evaluate(model, x, objective, device="cpu")["loss"]
    with pytest.warns(train.TrainingDiverged, match=r"epoch 8, batch 3 of 4; the model is restored to the "
                      r"end of epoch 2, the last good one\. Try a lower learning rate \(now 1\.0\)\.$"):
        h = train.fit(model, x, objective, epochs=8, **settings)
    assert h["epoch"].tolist() == list(range(1, 8)) and h["train_loss"].iloc[3] > 1e6
    two = _curve_model()
    train.fit(two, x, objective, epochs=2, **settings)
    assert _same(model, list(two.state_dict().values()))
    assert train.evaluate(model, x, objective, device="cpu")["loss"] < 10 * untrained


def test_weights_that_blow_up_while_the_loss_stays_are_warned_about():
    # Adam moves every weight by about lr a step: at lr=1e6 the sigmoid saturates, the loss stays
    # bounded (no explosion to catch) and the weights grow a million-fold
    model, x = _sigmoid_model(), _pixels()
    initial = _initial(model)
    with pytest.warns(train.TrainingDiverged, match=r"the weights' norm grew from .* to .*e\+0\d by epoch 3 "
                      r"while the loss .* stayed above the untrained model's .*; no epoch was good: the model "
                      r"is restored to its initial weights\. Try a lower learning rate \(now 1000000\.0\)\.$"):
        h = train.fit(model, x, train.reconstruction_objective(), epochs=3, lr=1e6, batch_size=16, device="cpu")
    assert len(h) == 3 and _same(model, initial)


@pytest.mark.parametrize("case", ["adam", "tiny lr", "full batch", "least volume without spectral norm",
                                  "classifier"])
def test_normal_training_never_warns(case):
    # the rules of a good epoch cannot trigger on training that works, nor on training that barely moves
    x = _curve()
    settings = dict(epochs=30, lr=1e-2, batch_size=16, device="cpu")
    model, data_, objective = _curve_model(), x, train.reconstruction_objective()
    if case == "tiny lr":
        settings.update(lr=1e-9, optimizer="sgd")
    elif case == "full batch":
        settings.update(batch_size=len(x), epochs=100)
    elif case == "least volume without spectral norm":  # the decoder grows to undo the shrinking codes
        objective, settings["lr"] = train.least_volume_objective(lam=1.0), 1e-3
    elif case == "classifier":
        model, data_, objective = models.MLP([3, 8, 2]), (x, (x[:, 0] > 0).long()), train.classification_objective()
    with warnings.catch_warnings():
        warnings.simplefilter("error", train.TrainingDiverged)
        h = train.fit(model, data_, objective, **settings)
    assert h.attrs["diverged"] is None and len(h) == settings["epochs"]


@pytest.mark.parametrize("bad, message", [
    (torch.full((8, 3), float("nan")), "holds 24 NaN or infinite values"),
    (torch.zeros(0, 3), "holds no rows"),
    (torch.zeros(8, 3, dtype=torch.float64), "must be float32"),
    (torch.zeros(8, 3, dtype=torch.uint8), r"integers 0-255 need \.float\(\) / 255"),
    ([[0.0, 1.0, 2.0]], "a NumPy array needs torch.as_tensor"),
])
def test_bad_data_is_refused_before_any_step(bad, message):
    with pytest.raises(ValueError, match=message):
        train.fit(_curve_model(), bad, train.reconstruction_objective(), epochs=1, device="cpu")


def test_nan_in_the_test_set_is_refused_too():
    test = _curve().clone()
    test[0, 0] = float("inf")
    with pytest.raises(ValueError, match="test holds 1 NaN or infinite values"):
        train.fit(_curve_model(), _curve(), train.reconstruction_objective(), epochs=1, test=test, device="cpu")


@pytest.mark.parametrize("labels, message", [
    (torch.rand(64), "integer class labels"),
    (torch.zeros(64, 10, dtype=torch.long), "one-hot or \\(n, 1\\) labels"),
    (torch.full((64,), -1), "labels 0 or more"),
])
def test_bad_labels_are_refused_before_any_step(labels, message):
    net = models.MLP([3, 4])
    with pytest.raises(ValueError, match=message):
        train.fit(net, (_curve(), labels), train.classification_objective(), epochs=1, device="cpu")


def test_a_model_and_objective_that_do_not_fit_say_so():
    x = _curve()
    vae = models.VAE(3, latent_dim=2, hidden=(8,))
    with pytest.raises(ValueError, match="A VAE trains with vae_objective"):
        train.fit(vae, x, train.reconstruction_objective(), epochs=1, device="cpu")
    with pytest.raises(ValueError, match="needs an autoencoder with encode and decode; MLP has no encode"):
        train.fit(models.MLP([3, 3]), x, train.least_volume_objective(), epochs=1, device="cpu")
    with pytest.raises(ValueError, match="unknown reduction 'none'"):
        train.reconstruction_objective(reduction="none")
    with pytest.raises(ValueError, match="weight_decay must be a non-negative number"):
        train.fit(_curve_model(), x, train.reconstruction_objective(), epochs=1, weight_decay=-1)
    with pytest.raises(ValueError, match="lr must be a positive number, got '1e-3'"):
        train.fit(_curve_model(), x, train.reconstruction_objective(), epochs=1, lr="1e-3")
    with pytest.raises(ValueError, match="seed must be a non-negative integer, got -1"):
        train.fit(_curve_model(), x, train.reconstruction_objective(), epochs=1, seed=-1)


# --------------------------------------------------------------------------- data that do not fit the model


def _pixels(n=64, seed=0):
    return torch.rand(n, 1, 4, 4, generator=torch.Generator().manual_seed(seed))  # images in [0, 1]


def _sigmoid_model():
    runtime.seed_everything(0)
    return models.MLPAutoencoder((1, 4, 4), latent_dim=2, hidden=(8,), output="sigmoid")


def test_images_of_0_255_for_a_sigmoid_output_are_refused_before_any_step():
    # they would train without a word: the sigmoid never reaches 255, and the loss stays huge
    model, x = _sigmoid_model(), _pixels()
    before = [p.detach().clone() for p in model.parameters()]
    with pytest.raises(ValueError, match=r"^the inputs of data must lie in \[0, 1\], the range of "
                       r"MLPAutoencoder's sigmoid output, but run from .* to 25\d(\.\d*)?; scale them into it "
                       r"\(images of 0-255 need x / 255\) or build the model with another output\.$"):
        train.fit(model, x * 255, train.reconstruction_objective(), epochs=1, device="cpu")
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))
    with pytest.raises(ValueError, match=r"the inputs of test must lie in \[-1, 1\], the range of VAE's tanh"):
        train.fit(models.VAE((1, 4, 4), 2, hidden=(8,), output="tanh"), x, train.vae_objective(),
                  test=x * 255, epochs=1, device="cpu")
    # the right call trains; so does data a little outside the range (noise), and any data
    # for an unbounded output
    h = train.fit(model, x, train.reconstruction_objective(), epochs=1, device="cpu")
    assert len(h) == 1 and h.attrs["diverged"] is None
    train.fit(model, x + 0.3 * torch.randn(x.shape), train.reconstruction_objective(), epochs=1, device="cpu")
    runtime.seed_everything(0)
    linear = models.MLPAutoencoder((1, 4, 4), latent_dim=2, hidden=(8,))
    train.fit(linear, x * 255, train.reconstruction_objective(), epochs=1, device="cpu")


def test_binary_cross_entropy_on_data_outside_0_1_is_refused_before_any_step():
    runtime.seed_everything(0)
    linear = models.MLPAutoencoder((1, 4, 4), latent_dim=2, hidden=(8,))  # no sigmoid: only BCE can say
    with pytest.raises(ValueError, match=r"^the inputs of data must lie in \[0, 1\] for binary cross-entropy, "
                       r"but run from .*; images of 0-255 need x / 255, or use kind='mse'\.$"):
        train.fit(linear, _pixels() * 2, train.reconstruction_objective("bce"), epochs=1, device="cpu")
    train.fit(_sigmoid_model(), _pixels(), train.reconstruction_objective("bce"), epochs=1, device="cpu")


def test_labels_counted_from_1_are_refused_against_the_models_logits():
    x = torch.randn(60, 3, generator=torch.Generator().manual_seed(0))
    y = torch.arange(60) % 10  # 0 to 9
    runtime.seed_everything(0)
    net = models.MLP([3, 8, 10])
    state = torch.random.get_rng_state()
    with pytest.raises(ValueError, match=r"^the labels must hold labels 0 to 9 for the model's 10 logits, "
                       r"got values from 1 to 10; labels counted from 1 need y - 1\.$"):
        train.fit(net, (x, y + 1), train.classification_objective(), epochs=1, device="cpu")
    with pytest.raises(ValueError, match=r"^the labels of test must hold labels 0 to 9 for the model's 10 logits, "
                       r"got values from 3 to 12\.$"):
        train.fit(net, (x, y), train.classification_objective(), test=(x, y + 3), epochs=1, device="cpu")
    assert torch.equal(torch.random.get_rng_state(), state)  # the check's forward pass draws nothing
    assert net.training  # and leaves the model in train mode
    h = train.fit(net, (x, y), train.classification_objective(), epochs=1, device="cpu")
    assert len(h) == 1


def test_a_device_name_torch_does_not_know_is_one_sentence():
    x = _curve()
    device_sentence = (r"^device must be a torch.device or a name such as 'cpu', 'cuda', 'cuda:0' or 'mps', "
                       r"got 'gpu'; aelab.runtime.device\(\) picks the best one\.$")
    with pytest.raises(ValueError, match=device_sentence):
        train.fit(_curve_model(), x, train.reconstruction_objective(), epochs=1, device="gpu")
    with pytest.raises(ValueError, match=device_sentence):
        train.evaluate(_curve_model(), x, train.reconstruction_objective(), device="gpu")
    assert train.evaluate(_curve_model(), x, train.reconstruction_objective(), device="cpu")["loss"] > 0


def test_a_numpy_integer_batch_size_is_taken_as_fit_takes_it():
    import numpy as np

    h = train.fit(_curve_model(), _curve(), train.reconstruction_objective(), epochs=1,
                  batch_size=np.int64(16), device="cpu")
    assert len(h) == 1


def test_a_supervised_autoencoder_checks_its_labels_and_its_pixels():
    x, y = _pixels(40), torch.arange(40) % 4
    runtime.seed_everything(0)
    model = models.SupervisedAutoencoder((1, 4, 4), latent_dim=2, n_classes=4, hidden=(8,))  # sigmoid output
    with pytest.raises(ValueError, match=r"^the labels must hold labels 0 to 3 for the model's 4 logits, "
                       r"got values from 1 to 4; labels counted from 1 need y - 1\.$"):
        train.fit(model, (x, y + 1), train.supervised_objective(), epochs=1, device="cpu")
    with pytest.raises(ValueError, match=r"^the inputs of data must lie in \[0, 1\], the range of "
                       r"SupervisedAutoencoder's sigmoid output"):
        train.fit(model, (x * 255, y), train.supervised_objective(), epochs=1, device="cpu")
    assert len(train.fit(model, (x, y), train.supervised_objective(), epochs=1, device="cpu")) == 1
