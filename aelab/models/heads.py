"""Encoders put to work: a classifier head on any encoder, and PCA as an encoder in torch.

:class:`ClassifierHead` puts a linear layer on top of an encoder and returns
*logits*, the raw scores that ``torch.nn.functional.cross_entropy`` expects
(it applies log-softmax itself). The encoder can be frozen (a linear probe:
only the head learns) or fine-tuned with it.

:class:`PCAEncoder` is principal component analysis written as a linear
autoencoder with fixed weights: fitted once on the training images with one
SVD, then applied on the device like any other layer, so a PCA baseline costs
one matrix product per batch instead of a round trip to scikit-learn.

Used in: chapter 3.
"""

from __future__ import annotations

import copy as _copy

import torch
from torch import nn

from .. import _arg_checks, _array_checks
from .mlp import Autoencoder

__all__ = ["ClassifierHead", "PCAEncoder"]


class ClassifierHead(nn.Module):
    """A linear classifier on top of an encoder: ``logits = W encode(x) + b``.

    ``encoder``: an autoencoder (its ``encode``), a :class:`PCAEncoder`, or a module
    such as ``nn.Flatten()`` (logistic regression on the input; give its ``latent_dim``). ``freeze_encoder``
    trains the head only (a linear probe; the encoder stays in eval mode), else
    both are fine-tuned; ``copy`` leaves the given encoder as it was.
    ``forward(x)`` returns logits (B, n_classes), not probabilities.

    Used in: chapter 3.
    """

    def __init__(
        self,
        encoder: nn.Module,
        n_classes: int = 10,
        *,
        latent_dim: int | None = None,
        freeze_encoder: bool = False,
        copy: bool = True,
    ):
        super().__init__()
        if not isinstance(encoder, nn.Module):
            raise ValueError(f"encoder must be a torch nn.Module, got {type(encoder).__name__}.")
        n_classes = _arg_checks.int_at_least("n_classes", n_classes, 2)
        latent_dim = latent_dim if latent_dim is not None else getattr(encoder, "latent_dim", None)
        if not _arg_checks.is_int(latent_dim) or latent_dim <= 0:
            raise ValueError(
                f"the width of {type(encoder).__name__}'s codes is unknown; pass latent_dim=<positive integer>."
            )
        self.encoder = _copy.deepcopy(encoder) if copy else encoder
        self.latent_dim = int(latent_dim)
        self.n_classes = n_classes
        self.freeze_encoder = bool(freeze_encoder)
        shape = getattr(encoder, "input_shape", None)
        if shape is not None:
            self.input_shape = tuple(shape)  # lets encode (and fit) refuse a wrong batch early
        self.config = dict(
            encoder=type(encoder).__name__, encoder_config=getattr(encoder, "config", None),
            n_classes=n_classes, latent_dim=latent_dim, freeze_encoder=self.freeze_encoder,
        )
        self.head = nn.Linear(latent_dim, n_classes)
        if self.freeze_encoder:
            self.encoder.requires_grad_(False)
            self.encoder.eval()

    def train(self, mode: bool = True) -> "ClassifierHead":
        super().train(mode)
        if self.freeze_encoder:
            self.encoder.eval()  # a frozen encoder never updates BatchNorm running statistics
        return self

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The encoder's codes, (B, *input_shape) -> (B, latent_dim)."""
        _array_checks.model_input(self, x)
        encode = getattr(self.encoder, "encode", self.encoder)
        if self.freeze_encoder:
            with torch.no_grad():
                return encode(x)
        return encode(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = self.encode(x)  # (B, latent_dim)
        if z.dim() != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(
                f"the encoder gave codes of shape {tuple(z.shape)}, but the head expects (batch, {self.latent_dim})."
            )
        return self.head(z)  # (B, n_classes) logits


class PCAEncoder(Autoencoder):
    """PCA as a linear autoencoder in torch: ``encode`` projects, ``decode`` maps back.

    ``fit(x)`` centres the training data and takes one SVD; after that,
    ``encode(x) = (x - mean) @ components.T`` and
    ``decode(z) = z @ components + mean`` run on whatever device the module
    is on. The result matches ``sklearn.decomposition.PCA`` up to the sign of
    each component (here the largest loading of each component is positive).

    Args:
        n_components: the number of components ``k``, the code's width.

    Attributes (after ``fit``):
        mean_: (D,) the training mean, D the number of features per sample.
        components_: (k, D) the principal directions, orthonormal rows.
        explained_variance_: (k,) the variance of the data along each.
        input_shape: the shape of one training sample.

    Used in: chapter 3.
    """

    def __init__(self, n_components: int):
        super().__init__()
        if not _arg_checks.is_int(n_components) or n_components <= 0:
            raise ValueError(f"n_components must be a positive integer, got {n_components!r}.")
        self.latent_dim = int(n_components)
        self.config = dict(n_components=self.latent_dim)
        self.input_shape = None  # set by fit
        self.register_buffer("mean_", torch.empty(0))
        self.register_buffer("components_", torch.empty(0))
        self.register_buffer("explained_variance_", torch.empty(0))

    @property
    def fitted(self) -> bool:
        return self.components_.numel() > 0

    @torch.no_grad()
    def fit(self, x: torch.Tensor) -> "PCAEncoder":
        """Fit on training samples ``x`` of shape (N, ...); returns ``self``.

        The work is one thin SVD of the centred (N, D) data on ``x``'s device,
        linear in N; the module then moves to that device.
        """
        if not torch.is_tensor(x) or x.dim() < 2:
            got = f"shape {tuple(x.shape)}" if torch.is_tensor(x) else (
                f"a {type(x).__name__}; use torch.as_tensor(x, dtype=torch.float32)")
            raise ValueError(f"PCAEncoder.fit expects a tensor of samples (N, ...), got {got}.")
        _array_checks.finite_tensor("PCAEncoder.fit's x", x)
        flat = x.detach().flatten(1).double()  # float64: the SVD of pixel data is then exact enough
        n, d = flat.shape
        k = self.latent_dim
        if k > min(n, d):
            raise ValueError(f"n_components={k} exceeds min(n_samples, n_features) = {min(n, d)}.")
        mean = flat.mean(0)
        _, s, vt = torch.linalg.svd(flat - mean, full_matrices=False)  # vt: (min(n, d), d)
        vt = vt[:k]
        # a fixed sign for each component: its largest loading is positive
        signs = torch.sign(vt.gather(1, vt.abs().argmax(1, keepdim=True)))
        vt = vt * signs
        self.mean_ = mean.float()
        self.components_ = vt.float()
        self.explained_variance_ = (s[:k] ** 2 / max(n - 1, 1)).float()
        self.input_shape = tuple(x.shape[1:])
        self.config["input_shape"] = self.input_shape
        return self.to(x.device)

    def truncated(self, k: int) -> "PCAEncoder":
        """PCA with the first ``k`` components of this fit, without refitting.

        The components are sorted by explained variance, so PCA with ``k``
        components is this one cut to its first ``k``: one fit gives every
        smaller code size. Returns a new fitted :class:`PCAEncoder`.
        """
        self._check_fitted()
        if not _arg_checks.is_int(k) or not 1 <= k <= self.latent_dim:
            raise ValueError(f"k must be an integer from 1 to n_components = {self.latent_dim}, got {k!r}.")
        cut = PCAEncoder(k)
        cut.mean_ = self.mean_.clone()
        cut.components_ = self.components_[:k].clone()
        cut.explained_variance_ = self.explained_variance_[:k].clone()
        cut.input_shape = self.input_shape
        cut.config["input_shape"] = self.input_shape
        return cut.train(self.training)

    def _check_fitted(self) -> None:
        if not self.fitted:
            raise ValueError("this PCAEncoder is not fitted yet; call fit(x_train) first.")

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Codes of a batch: (B, *input_shape) -> (B, n_components)."""
        self._check_fitted()
        return super().encode(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Reconstructions: (B, n_components) -> (B, *input_shape)."""
        self._check_fitted()
        return super().decode(z)

    def _encode(self, x: torch.Tensor) -> torch.Tensor:
        return (x.flatten(1) - self.mean_) @ self.components_.T  # (B, D) -> (B, k)

    def _decode(self, z: torch.Tensor) -> torch.Tensor:
        return (z @ self.components_ + self.mean_).view(-1, *self.input_shape)  # (B, k) -> (B, *shape)
