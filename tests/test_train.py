import os
import pickle
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
    with pytest.raises(ValueError, match="lr must be positive"):
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


def test_checkpoint_round_trip(tmp_path):
    x = _curve()
    obj = train.reconstruction_objective()
    first = _curve_model()
    h1 = train.fit(first, x, obj, epochs=3, test=x, device="cpu", cache=tmp_path)
    files = list(tmp_path.glob("*.pt"))
    assert len(files) == 1 and h1.attrs["cache"] == str(files[0]) and not h1.attrs["cached"]

    second = _curve_model()  # same seed, so same initial weights: same key
    h2 = train.fit(second, x, obj, epochs=3, test=x, device="cpu", cache=tmp_path)
    assert h2.attrs["cached"]
    pd.testing.assert_frame_equal(h1, h2, check_dtype=False)
    for a, b in zip(first.state_dict().values(), second.state_dict().values()):
        assert torch.equal(a, b)

    # a different setting is a different key, so it trains
    h3 = train.fit(_curve_model(), x, obj, epochs=4, device="cpu", cache=tmp_path)
    assert not h3.attrs["cached"] and len(list(tmp_path.glob("*.pt"))) == 2


def test_corrupt_checkpoint_warns_retrains_and_rewrites(tmp_path):
    x = _curve()
    obj = train.reconstruction_objective()
    h = train.fit(_curve_model(), x, obj, epochs=2, device="cpu", cache=tmp_path)
    path = h.attrs["cache"]
    with open(path, "wb") as f:
        f.write(b"not a checkpoint")
    with pytest.warns(UserWarning, match=f"checkpoint {path} could not be read"):
        again = train.fit(_curve_model(), x, obj, epochs=2, device="cpu", cache=tmp_path)
    assert not again.attrs["cached"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert train.fit(_curve_model(), x, obj, epochs=2, device="cpu", cache=tmp_path).attrs["cached"]


class _Payload:
    """Unpickling this would create a file: the checkpoint loader must never do it."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_checkpoint_never_unpickles_code(tmp_path):
    x = _curve()
    obj = train.reconstruction_objective()
    h = train.fit(_curve_model(), x, obj, epochs=1, device="cpu", cache=tmp_path / "ckpt")
    marker = tmp_path / "pwned"
    with open(h.attrs["cache"], "wb") as f:
        pickle.dump({"state_dict": _Payload(str(marker)), "history": {}}, f)
    with pytest.warns(UserWarning, match="could not be read"):
        train.fit(_curve_model(), x, obj, epochs=1, device="cpu", cache=tmp_path / "ckpt")
    assert not marker.exists()


def test_progress_is_quiet_in_the_quick_profile(monkeypatch, capsys):
    monkeypatch.setenv("AELAB_QUICK", "1")
    train.fit(_curve_model(), _curve(), train.reconstruction_objective(), epochs=2, device="cpu")
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
