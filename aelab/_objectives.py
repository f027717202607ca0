"""Every objective the course trains with, beside :func:`aelab.train.fit` (public as ``train.<name>``).

An *objective* is ``objective(model, batch) -> loss``: ``batch`` is the tuple
:func:`aelab.data.batches` yields, ``loss`` a scalar tensor or a dict of named
scalars with the one to minimise under ``"loss"`` (``fit`` logs the others).
Each factory checks its settings; ``objective.config`` names it and its
settings, and ``objective.check_data(tensors, model, name)``, which ``fit``
calls once before training, checks labels against the model's number of
logits and data against the range of the model's output.

Used in: chapters 1-6.
"""

from __future__ import annotations

from typing import Callable, Mapping

import torch
import torch.nn.functional as F
from torch import nn

from . import _arg_checks, _array_checks, losses

Objective = Callable[[nn.Module, tuple], "torch.Tensor | Mapping[str, torch.Tensor]"]

__all__ = [
    "Objective", "reconstruction_objective", "classification_objective", "vae_objective",
    "least_volume_objective", "l1_latent_objective", "supervised_objective",
]

_BOUNDED = {nn.Sigmoid: (0.0, 1.0, "sigmoid"), nn.Tanh: (-1.0, 1.0, "tanh")}


def _output_range(model: nn.Module) -> tuple[float, float, str] | None:
    """``(low, high, name)`` when the last layer of ``model.decoder`` (or of an ``nn.Sequential``,
    through aelab's ``MLP.net``) is a sigmoid or a tanh, else None."""
    layer = getattr(model, "decoder", model if isinstance(model, nn.Sequential) else None)
    while True:
        if isinstance(layer, nn.Sequential) and len(layer):
            layer = layer[-1]
        elif isinstance(getattr(layer, "net", None), nn.Sequential):
            layer = layer.net
        else:
            return _BOUNDED.get(type(layer))


def _reconstructs(kind: str) -> Callable[..., None]:
    """``check_data`` of an objective that reconstructs ``x``: ``x`` must fit the model's output (and BCE)."""
    def check_data(tensors: tuple, model: nn.Module | None = None, name: str = "data") -> None:
        x = tensors[0]
        bounded = None if model is None else _output_range(model)
        if bounded is not None:  # images of 0-255 for a sigmoid would train on, never reconstructed
            low, high, act = bounded
            _array_checks.in_range(f"the inputs of {name}", x, low, high, slack=high - low,
                            why=f", the range of {type(model).__name__}'s {act} output",
                            hint="scale them into it (images of 0-255 need x / 255) or build the model "
                                 "with another output")
        if kind == "bce":
            _array_checks.in_range(f"the inputs of {name}", x, 0.0, 1.0, why=" for binary cross-entropy",
                            hint="images of 0-255 need x / 255, or use kind='mse'")
    return check_data


@torch.no_grad()
def _n_logits(model: nn.Module, x: torch.Tensor, name: str, want: int) -> int | None:
    """The number of classes the model predicts: one forward pass on one row, in eval mode, the
    global random state left as it was (checking changes no result)."""
    was_training = model.training
    model.eval()
    cuda = [x.device.index if x.device.index is not None else torch.cuda.current_device()] \
        if x.device.type == "cuda" else []
    try:
        with torch.random.fork_rng(devices=cuda):
            out = _output(model, x[:1], name, want=want)
    finally:
        model.train(was_training)
    logits = out[-1] if want == 2 else out
    return logits.shape[1] if logits.dim() == 2 else None  # else the objective's own sentence


def _needs_labels(name: str, want: int = 1, kind: str | None = None) -> Callable[..., None]:
    """``check_data`` of an objective trained on ``(x, labels)``; ``want`` is the model's number of outputs."""
    def check_data(tensors: tuple, model: nn.Module | None = None, where: str = "data") -> None:
        if len(tensors) < 2:
            raise ValueError(f"{name} needs data of (x, labels); pass data=(x, y).")
        n_classes = None if model is None else _n_logits(model, tensors[0], name, want)
        why = f" for the model's {n_classes} logits" if n_classes is not None else ""
        label_name = "the labels" if where == "data" else f"the labels of {where}"
        _array_checks.labels(label_name, tensors[1], len(tensors[0]), n_classes, why)
        if kind is not None:  # the model reconstructs x too
            _reconstructs(kind)(tensors, model, where)
    return check_data


def _output(model: nn.Module, x: torch.Tensor, name: str, *, want: int) -> torch.Tensor | tuple:
    """The model's output, checked to be a tensor (``want=1``) or a tuple of ``want`` tensors."""
    out = model(x)
    got = len(out) if isinstance(out, tuple) else 1
    if got != want:
        shape = {1: "the reconstruction (a tensor)", 2: "(x_hat, logits)", 3: "(x_hat, mu, logvar)"}[want]
        raise ValueError(f"{name} needs a model whose forward returns {shape}; "
                         f"{type(model).__name__} returned {got} value{'s' if got > 1 else ''}."
                         + (" A VAE trains with vae_objective." if got == 3 else ""))
    return out


# --------------------------------------------------------------------------- reconstruction, classification


def reconstruction_objective(kind: str = "mse", reduction: str = "mean") -> Objective:
    """The autoencoder's objective: reconstruct the first tensor of the batch.

    Args:
        kind: ``"mse"``, ``"l1"`` or ``"bce"`` (see :func:`aelab.losses.reconstruction`).
        reduction: ``"mean"`` over every element, or ``"sample"``: summed over
            one sample's features, averaged over the batch.

    Returns:
        ``objective(model, batch) -> loss``.

    Used in: chapters 2, 3, 5 and 6.
    """
    _arg_checks.one_of("reconstruction loss", kind, losses._RECONSTRUCTIONS)
    _arg_checks.one_of("reduction", reduction, ("mean", "sample"))  # "none" is no scalar to minimise

    def objective(model: nn.Module, batch: tuple) -> torch.Tensor:
        x = batch[0]
        return losses.reconstruction(_output(model, x, "reconstruction_objective", want=1), x, kind, reduction)

    objective.config = dict(name="reconstruction", kind=kind, reduction=reduction)
    objective.check_data = _reconstructs(kind)
    return objective


def classification_objective(*, accuracy: bool = False) -> Objective:
    """Cross-entropy of the model's logits against the labels, ``batch = (x, y)``.

    The logits must be raw: ``F.cross_entropy`` applies log-softmax itself (a softmax would run twice).

    Args:
        accuracy: also log the batch's accuracy: ``fit`` adds ``train_accuracy``
            (the running accuracy over each epoch) and ``test_accuracy`` columns.

    Returns:
        ``objective(model, (x, y))``: the loss, or ``{"loss", "accuracy"}`` with ``accuracy=True``.

    Used in: chapters 3 and 4.
    """
    if not isinstance(accuracy, bool):
        raise ValueError(f"accuracy must be True or False, got {accuracy!r}.")

    def objective(model: nn.Module, batch: tuple):
        if len(batch) < 2:
            raise ValueError("a classification objective needs batches of (x, labels); pass data=(x, y).")
        x, y = batch[0], batch[1]
        logits = _output(model, x, "classification_objective", want=1)
        if logits.dim() != 2:
            raise ValueError(f"classification_objective needs logits of shape (batch, n_classes), "
                             f"got {tuple(logits.shape)}.")
        loss = F.cross_entropy(logits, y)
        if not accuracy:
            return loss
        # the accuracy stays a tensor on the device: no host sync inside the loop
        correct = (logits.detach().argmax(1) == y).float().mean()
        return {"loss": loss, "accuracy": correct}

    objective.config = dict(name="classification+accuracy" if accuracy else "classification")
    objective.check_data = _needs_labels("a classification objective")
    return objective


# --------------------------------------------------------------------------- the VAE (chapter 4)


def vae_objective(beta: float = 1.0, kind: str = "mse") -> Objective:
    """The (beta-)VAE objective: reconstruction + beta * KL, per image.

    The model's ``forward`` returns ``(x_hat, mu, logvar)`` (:class:`aelab.models.VAE`); the objective
    returns ``{"loss", "recon", "kl"}``, the terms summed over one image (:func:`aelab.losses.vae_loss`).

    Args:
        beta: weight of the KL term, ``>= 0``.
        kind: the reconstruction loss, ``"mse"``, ``"bce"`` or ``"l1"``.

    Used in: chapters 4 and 5.
    """
    beta = _arg_checks.non_negative("beta", beta)
    _arg_checks.one_of("reconstruction loss", kind, losses._RECONSTRUCTIONS)

    def objective(model: nn.Module, batch: tuple) -> dict[str, torch.Tensor]:
        x = batch[0]
        x_hat, mu, logvar = _output(model, x, "vae_objective", want=3)
        return losses.vae_loss(x_hat, x, mu, logvar, beta=beta, kind=kind)

    objective.config = dict(name="vae", beta=beta, kind=kind)
    objective.check_data = _reconstructs(kind)
    return objective


# --------------------------------------------------------------------------- latent penalties (chapter 6)


def _latent_penalty_objective(name: str, penalty, lam: float, kind: str, config: dict) -> Objective:
    def objective(model: nn.Module, batch: tuple) -> dict[str, torch.Tensor]:
        if not (hasattr(model, "encode") and hasattr(model, "decode")):
            raise ValueError(f"the {name} objective penalises codes, so it needs an autoencoder with "
                             f"encode and decode; {type(model).__name__} has no encode or decode.")
        x = batch[0]
        z = model.encode(x)  # (B, latent_dim)
        recon = losses.reconstruction(model.decode(z), x, kind)
        value = penalty(z)
        return {"loss": recon + lam * value, "recon": recon, name: value}

    objective.config = dict(name=name, lam=lam, kind=kind, **config)
    objective.check_data = _reconstructs(kind)
    return objective


def least_volume_objective(lam: float = 0.01, eta: float = 0.01, kind: str = "mse") -> Objective:
    """Reconstruction + ``lam`` * the volume penalty of the batch's codes (least volume).

    The penalty (:func:`aelab.losses.volume_penalty`) means something only when
    the decoder cannot undo a shrinking of the codes by growing its weights:
    train a 1-Lipschitz decoder, ``MLPAutoencoder(..., spectral_norm_decoder=True)``
    (Chen and Fuge, ICLR 2024). The codes' spread is taken over each batch, so
    batches need at least 2 rows.

    Args:
        lam: weight of the penalty, ``>= 0`` (0: a plain autoencoder that logs its volume).
        eta: the penalty's constant, ``> 0``: it bounds how hard it pushes a spread
            that is already small. The course material uses 0.01 for both.
        kind: the reconstruction loss, ``"mse"``, ``"bce"`` or ``"l1"``, averaged over every element.

    Returns:
        ``objective(model, batch) -> {"loss", "recon", "volume"}``.

    Used in: chapter 6.
    """
    lam = _arg_checks.non_negative("lam", lam)
    eta = _arg_checks.positive("eta", eta)
    _arg_checks.one_of("reconstruction loss", kind, losses._RECONSTRUCTIONS)
    return _latent_penalty_objective("volume", lambda z: losses.volume_penalty(z, eta), lam, kind, dict(eta=eta))


def l1_latent_objective(lam: float = 1e-3, kind: str = "mse") -> Objective:
    """Reconstruction + ``lam`` * the mean absolute code, ``mean(|z|)``.

    The sparsity penalty of the course material (section 8.2, weight 1e-3), least volume's baseline.

    Args:
        lam: weight of the L1 penalty, ``>= 0``.
        kind: the reconstruction loss, ``"mse"``, ``"bce"`` or ``"l1"``.

    Returns:
        ``objective(model, batch) -> {"loss", "recon", "l1"}``.

    Used in: chapter 6.
    """
    lam = _arg_checks.non_negative("lam", lam)
    _arg_checks.one_of("reconstruction loss", kind, losses._RECONSTRUCTIONS)
    return _latent_penalty_objective("l1", losses._l1_latent, lam, kind, {})


# --------------------------------------------------------------------------- supervised autoencoder (chapter 5)


def supervised_objective(class_weight: float = 1.0, kind: str = "mse") -> Objective:
    """Reconstruction plus cross-entropy, for :class:`aelab.models.SupervisedAutoencoder` and ``batch = (x, y)``.

    ``loss = reconstruction(x_hat, x) + class_weight * cross_entropy(logits, y)``, the
    reconstruction averaged over pixels, the logits raw (``F.cross_entropy`` applies the softmax).

    Args:
        class_weight: weight of the cross-entropy, ``>= 0`` (0 leaves a plain autoencoder).
        kind: the reconstruction loss, ``"mse"``, ``"bce"`` or ``"l1"``.

    Returns:
        ``objective(model, batch) -> {"loss", "recon", "cross_entropy", "accuracy"}`` (accuracy: logged only).

    Used in: chapter 5.
    """
    class_weight = _arg_checks.non_negative("class_weight", class_weight)
    _arg_checks.one_of("reconstruction loss", kind, losses._RECONSTRUCTIONS)

    def objective(model: nn.Module, batch: tuple) -> dict[str, torch.Tensor]:
        if len(batch) < 2:
            raise ValueError("supervised_objective needs batches of (images, labels); got images only.")
        x, y = batch[0], batch[1]
        x_hat, logits = _output(model, x, "supervised_objective", want=2)
        recon = losses.reconstruction(x_hat, x, kind)
        ce = F.cross_entropy(logits, y)
        accuracy = (logits.argmax(1) == y).float().mean()  # stays on the device
        return {"loss": recon + class_weight * ce, "recon": recon, "cross_entropy": ce,
                "accuracy": accuracy.detach()}

    objective.config = dict(name="supervised", class_weight=class_weight, kind=kind)
    objective.check_data = _needs_labels("supervised_objective", want=2, kind=kind)
    return objective
