"""aelab.models.heads: a classifier head on an encoder, and PCA as an encoder."""

import numpy as np
import pytest
import torch
from sklearn.decomposition import PCA
from torch import nn

from aelab import models, train
from aelab.models import ClassifierHead, PCAEncoder
from tests.mistakes import AE, X, X_NAN, _cases, _check


def blobs(n: int = 200, d: int = 6, k: int = 3, seed: int = 0):
    """Well separated Gaussian blobs: a linear classifier can learn them."""
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, k, (n,), generator=g)
    centres = torch.randn(k, d, generator=g) * 5
    return centres[y] + torch.randn(n, d, generator=g), y


# --------------------------------------------------------------------------- ClassifierHead


def test_head_returns_logits_of_the_right_shape():
    head = models.ClassifierHead(models.ConvAutoencoder(latent_dim=4), n_classes=10)
    out = head(torch.rand(5, 1, 28, 28))
    assert out.shape == (5, 10)
    # logits, not probabilities: no softmax inside
    assert not torch.allclose(out.sum(1), torch.ones(5))
    assert head.latent_dim == 4 and head.input_shape == (1, 28, 28)


def test_frozen_encoder_does_not_move_not_even_its_batchnorm_statistics():
    ae = models.ConvAutoencoder(latent_dim=4)
    head = models.ClassifierHead(ae, freeze_encoder=True)
    before = {k: v.clone() for k, v in head.encoder.state_dict().items()}
    head_before = head.head.weight.detach().clone()
    head.train()
    assert head.training and not head.encoder.training  # the encoder stays in eval mode
    assert not any(p.requires_grad for p in head.encoder.parameters())
    x, y = torch.rand(32, 1, 28, 28), torch.randint(0, 10, (32,))
    train.fit(head, (x, y), train.classification_objective(accuracy=True), epochs=2, batch_size=8, device="cpu", progress=False)
    for k, v in head.encoder.state_dict().items():
        assert torch.equal(v, before[k]), f"{k} changed in a frozen encoder"
    assert not torch.equal(head.head.weight, head_before)


def test_fine_tuning_changes_a_copy_not_the_autoencoder():
    ae = models.ConvAutoencoder(latent_dim=4)
    original = {k: v.clone() for k, v in ae.state_dict().items()}
    head = models.ClassifierHead(ae, freeze_encoder=False)
    assert head.encoder is not ae
    x, y = torch.rand(32, 1, 28, 28), torch.randint(0, 10, (32,))
    train.fit(head, (x, y), train.classification_objective(accuracy=True), epochs=1, batch_size=8, device="cpu", progress=False)
    assert all(torch.equal(v, original[k]) for k, v in ae.state_dict().items())
    assert not torch.equal(head.encoder.encoder[0].weight, ae.encoder[0].weight)
    shared = models.ClassifierHead(ae, copy=False)
    assert shared.encoder is ae


def test_head_on_a_plain_module_is_logistic_regression():
    x, y = blobs()
    head = models.ClassifierHead(nn.Identity(), n_classes=3, latent_dim=6)
    history = train.fit(head, (x, y), train.classification_objective(accuracy=True), epochs=30, lr=0.05, batch_size=50,
                        test=(x, y), device="cpu", progress=False)
    assert {"train_accuracy", "test_accuracy", "train_loss", "test_loss"} <= set(history.columns)
    assert history["test_accuracy"].iloc[-1] > 0.95
    assert sum(p.numel() for p in head.parameters()) == 6 * 3 + 3


def test_head_bad_input():
    with pytest.raises(ValueError, match="pass latent_dim"):
        models.ClassifierHead(nn.Flatten())
    with pytest.raises(ValueError, match="n_classes must be an integer of at least 2"):
        models.ClassifierHead(models.ConvAutoencoder(), n_classes=1)
    with pytest.raises(ValueError, match="must be a torch nn.Module"):
        models.ClassifierHead(lambda x: x, latent_dim=3)
    head = models.ClassifierHead(models.ConvAutoencoder())
    with pytest.raises(ValueError, match=r"expects inputs of shape \(batch, 1, 28, 28\), got \(2, 784\)"):
        head(torch.zeros(2, 784))
    wrong_width = models.ClassifierHead(nn.Flatten(), latent_dim=10)
    with pytest.raises(ValueError, match=r"codes of shape \(2, 784\), but the head expects \(batch, 10\)"):
        wrong_width(torch.zeros(2, 1, 28, 28))


# --------------------------------------------------------------------------- PCAEncoder


def test_a_truncated_pca_is_the_pca_with_fewer_components():
    rng = np.random.default_rng(1)
    x = torch.from_numpy((rng.normal(size=(200, 8)) @ rng.normal(size=(8, 8))).astype(np.float32))
    wide = models.PCAEncoder(6).fit(x)
    cut, direct = wide.truncated(3), models.PCAEncoder(3).fit(x)
    assert cut.latent_dim == 3 and cut.config == direct.config
    torch.testing.assert_close(cut.encode(x), direct.encode(x))
    torch.testing.assert_close(cut(x), direct(x))
    assert wide.latent_dim == 6  # the original is untouched
    with pytest.raises(ValueError, match="k must be an integer from 1 to n_components = 6, got 7"):
        wide.truncated(7)
    with pytest.raises(ValueError, match="not fitted yet"):
        models.PCAEncoder(3).truncated(2)


def test_pca_encoder_matches_scikit_learn():
    rng = np.random.default_rng(0)
    x = (rng.normal(size=(300, 12)) @ rng.normal(size=(12, 12))).astype(np.float32)
    x = torch.from_numpy(x).view(300, 3, 4)  # any sample shape: it is flattened
    ours = models.PCAEncoder(5).fit(x)
    ref = PCA(5).fit(x.flatten(1).numpy())
    # components agree up to the sign of each
    signs = np.sign((ours.components_.numpy() * ref.components_).sum(1))
    np.testing.assert_allclose(ours.components_.numpy() * signs[:, None], ref.components_, atol=1e-4)
    np.testing.assert_allclose(ours.explained_variance_.numpy(), ref.explained_variance_, rtol=1e-4)
    np.testing.assert_allclose(ours.mean_.numpy(), ref.mean_, atol=1e-5)
    z = ours.encode(x).numpy()
    np.testing.assert_allclose(z * signs, ref.transform(x.flatten(1).numpy()), atol=1e-3)
    recon = ours(x)
    assert recon.shape == x.shape
    np.testing.assert_allclose(
        recon.flatten(1).numpy(), ref.inverse_transform(ref.transform(x.flatten(1).numpy())), atol=1e-3
    )
    # the sign convention: each component's largest loading is positive
    c = ours.components_
    assert torch.all(c.gather(1, c.abs().argmax(1, keepdim=True)) > 0)


def test_pca_encoder_with_all_components_is_exact_and_orthonormal():
    x = torch.randn(50, 6)
    pca = models.PCAEncoder(6).fit(x)
    torch.testing.assert_close(pca(x), x, atol=1e-4, rtol=0)
    torch.testing.assert_close(pca.components_ @ pca.components_.T, torch.eye(6), atol=1e-5, rtol=0)


def test_pca_encoder_is_a_module_on_the_device_with_a_head():
    x, y = blobs(d=8)
    pca = models.PCAEncoder(2).fit(x)
    assert {n for n, _ in pca.named_buffers()} == {"mean_", "components_", "explained_variance_"}
    assert list(pca.parameters()) == []  # fixed: nothing to train
    head = models.ClassifierHead(pca, n_classes=3)
    assert head.latent_dim == 2 and head.input_shape == (8,)
    assert head(x).shape == (200, 3)
    moved = models.PCAEncoder(2).fit(x).to(torch.float64)
    assert moved.components_.dtype == torch.float64


def test_pca_encoder_bad_input():
    with pytest.raises(ValueError, match="n_components must be a positive integer"):
        models.PCAEncoder(0)
    with pytest.raises(ValueError, match="not fitted yet; call fit"):
        models.PCAEncoder(2).encode(torch.zeros(3, 4))
    with pytest.raises(ValueError, match=r"n_components=5 exceeds min\(n_samples, n_features\) = 4"):
        models.PCAEncoder(5).fit(torch.zeros(10, 4))
    with pytest.raises(ValueError, match=r"expects a tensor of samples"):
        models.PCAEncoder(1).fit(np.zeros((3, 4)))
    pca = models.PCAEncoder(2).fit(torch.randn(10, 4))
    with pytest.raises(ValueError, match=r"expects inputs of shape \(batch, 4\), got \(3, 5\)"):
        pca.encode(torch.zeros(3, 5))
    with pytest.raises(ValueError, match=r"decode expects codes of shape \(batch, 2\)"):
        pca.decode(torch.zeros(3, 3))


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("head-one-class", lambda: ClassifierHead(AE, 1), r"n_classes must be an integer of at least 2, got 1"),
    ("head-classes-string", lambda: ClassifierHead(AE, "10"), r"n_classes must be an integer of at least 2, got '10'"),
    ("head-encoder-method", lambda: ClassifierHead(AE.encode, 10), r"encoder must be a torch nn.Module, got method"),
    ("head-latent_dim-unknown", lambda: ClassifierHead(nn.Flatten(), 10),
     r"the width of Flatten's codes is unknown; pass latent_dim=<positive integer>"),
    ("head-forward-wrong-shape", lambda: ClassifierHead(AE, 10)(torch.zeros(5, 4)),
     r"ClassifierHead expects inputs of shape \(batch, 3\), got \(5, 4\)"),
    ("pca-0", lambda: PCAEncoder(0), r"n_components must be a positive integer, got 0"),
    ("pca-float", lambda: PCAEncoder(2.5), r"n_components must be a positive integer, got 2.5"),
    ("pca-encode-before-fit", lambda: PCAEncoder(2).encode(torch.zeros(5, 3)),
     r"this PCAEncoder is not fitted yet; call fit\(x_train\) first"),
    ("pca-fit-numpy", lambda: PCAEncoder(2).fit(np.zeros((10, 3))),
     r"PCAEncoder.fit expects a tensor of samples \(N, ...\), got a ndarray; use torch.as_tensor"),
    # fixed: said "got (10, 3)", the right shape, without saying a tensor was missing
    ("pca-fit-1d", lambda: PCAEncoder(2).fit(torch.zeros(10)),
     r"PCAEncoder.fit expects a tensor of samples \(N, ...\), got shape \(10,\)"),
    ("pca-fit-too-many", lambda: PCAEncoder(5).fit(torch.zeros(10, 3)),
     r"n_components=5 exceeds min\(n_samples, n_features\) = 3"),
    ("pca-fit-nan", lambda: PCAEncoder(2).fit(torch.as_tensor(X_NAN)),
     r"PCAEncoder.fit's x holds 1 NaN or infinite values"),  # fixed: torch linalg.svd failed to converge
    ("pca-encode-wrong-shape", lambda: PCAEncoder(2).fit(torch.as_tensor(X)).encode(torch.zeros(5, 4)),
     r"PCAEncoder expects inputs of shape \(batch, 3\), got \(5, 4\)"),
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_models(call, match, error):
    _check(call, match, error)
