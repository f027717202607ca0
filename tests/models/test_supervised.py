"""aelab.models.supervised: the autoencoder with a classifier head of chapter 5 (its objective: test_objectives.py)."""

import pytest
import torch

from aelab import models, train
from aelab.models import SupervisedAutoencoder
from tests.helpers import _supervised as _model
from tests.mistakes import _cases, _check


def test_shapes_and_config():
    m = _model()
    x = torch.rand(5, 1, 8, 8)
    z = m.encode(x)
    assert z.shape == (5, 4)
    x_hat, logits = m(x)
    assert x_hat.shape == x.shape and logits.shape == (5, 3)
    assert torch.all((x_hat >= 0) & (x_hat <= 1))  # sigmoid output by default
    torch.testing.assert_close(logits, m.classify(z))
    torch.testing.assert_close(x_hat, m.decode(z))
    assert m.config["n_classes"] == 3 and m.config["latent_dim"] == 4
    assert isinstance(m, models.MLPAutoencoder)
    defaults = models.SupervisedAutoencoder((1, 28, 28))
    assert defaults.latent_dim == 16 and defaults.n_classes == 10  # the material's sizes


def test_one_short_fit_learns_both_tasks():
    # the label is which quarter of the image is bright: easy to reconstruct and to classify
    g = torch.Generator().manual_seed(0)
    y = torch.randint(0, 3, (240,), generator=g)
    x = 0.1 * torch.rand(240, 1, 8, 8, generator=g)
    for k in range(3):
        x[y == k, 0, (k // 2) * 4 : (k // 2) * 4 + 4, (k % 2) * 4 : (k % 2) * 4 + 4] += 0.8
    m = _model()
    h = train.fit(m, (x, y), train.supervised_objective(), epochs=30, lr=1e-2, batch_size=60,
                  device="cpu", progress=False)
    assert set(h.columns) >= {"train_recon", "train_cross_entropy", "train_accuracy"}
    assert h["train_loss"].iloc[-1] < 0.3 * h["train_loss"].iloc[0]
    assert h["train_accuracy"].iloc[-1] == 1.0


def test_bad_input():
    with pytest.raises(ValueError, match="n_classes must be an integer of at least 2"):
        models.SupervisedAutoencoder((1, 8, 8), n_classes=1)
    with pytest.raises(ValueError, match="class_weight must be a non-negative number"):
        train.supervised_objective(class_weight=-1)
    with pytest.raises(ValueError, match="unknown reconstruction loss"):
        train.supervised_objective(kind="huber")
    m = _model()
    with pytest.raises(ValueError, match=r"classify expects codes of shape \(batch, 4\)"):
        m.classify(torch.zeros(2, 5))
    with pytest.raises(ValueError, match=r"expects inputs of shape \(batch, 1, 8, 8\)"):
        m(torch.zeros(2, 64))
    objective = train.supervised_objective()
    with pytest.raises(ValueError, match="batches of \\(images, labels\\)"):
        objective(m, (torch.zeros(2, 1, 8, 8),))
    plain = models.MLPAutoencoder((1, 8, 8), 4)
    with pytest.raises(ValueError, match="returns \\(x_hat, logits\\)"):
        objective(plain, (torch.zeros(2, 1, 8, 8), torch.zeros(2, dtype=torch.long)))


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("supervised-one-class", lambda: SupervisedAutoencoder(3, 2, n_classes=1),
     r"n_classes must be an integer of at least 2, got 1"),
    ("supervised-classify-wrong-width", lambda: SupervisedAutoencoder(3, 2, hidden=(4,)).classify(torch.zeros(5, 3)),
     r"SupervisedAutoencoder.classify expects codes of shape \(batch, 2\), got \(5, 3\)"),
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_models(call, match, error):
    _check(call, match, error)
