"""One training function for every chapter: :func:`fit`.

``fit`` trains any model with any objective on tensors that live on the
device, and returns the history as a pandas DataFrame, one row per epoch. An
*objective* is a function ``objective(model, batch) -> loss``, where ``batch``
is the tuple of tensors :func:`aelab.data.batches` yields and ``loss`` is a
scalar tensor, or a dict of named scalar tensors with the one to minimise
under ``"loss"`` (the others are logged as columns of their own).

Used in: chapters 1-6.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Callable, Mapping, Sequence

import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

from . import data as _data
from . import losses, models, runtime


Objective = Callable[[nn.Module, tuple], "torch.Tensor | Mapping[str, torch.Tensor]"]
OPTIMIZERS = ("adam", "adamw", "sgd")


class TrainingDiverged(RuntimeWarning):
    """Warned when the loss becomes NaN or infinite; training stops, the history is kept."""


# --------------------------------------------------------------------------- objectives


def reconstruction_objective(kind: str = "mse", reduction: str = "mean") -> Objective:
    """The autoencoder's objective: reconstruct the first tensor of the batch.

    Args:
        kind, reduction: passed to :func:`aelab.losses.reconstruction`.

    Returns:
        ``objective(model, batch) -> loss``.

    Used in: chapters 2, 3 and 6.
    """
    losses.reconstruction(torch.zeros(1, 1), torch.zeros(1, 1), kind, reduction)  # validate now

    def objective(model: nn.Module, batch: tuple) -> torch.Tensor:
        x = batch[0]
        return losses.reconstruction(model(x), x, kind, reduction)

    objective.config = dict(name="reconstruction", kind=kind, reduction=reduction)
    return objective


def classification_objective(*, accuracy: bool = False) -> Objective:
    """Cross-entropy of the model's logits against the labels, ``batch = (x, y)``.

    ``F.cross_entropy`` applies log-softmax itself, so the model must output
    raw logits: a softmax before it is applied twice.

    Args:
        accuracy: also log the batch's accuracy. :func:`fit` then adds
            ``train_accuracy`` (the running accuracy over each epoch, while the
            weights change) and ``test_accuracy`` columns to the history.

    Returns:
        ``objective(model, (x, y))``: the loss, or ``{"loss": ..., "accuracy": ...}``
        with ``accuracy=True``.

    Used in: chapters 3 and 5.
    """

    def objective(model: nn.Module, batch: tuple):
        if len(batch) < 2:
            raise ValueError("a classification objective needs batches of (x, labels); pass data=(x, y).")
        x, y = batch[0], batch[1]
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        if not accuracy:
            return loss
        # the accuracy stays a tensor on the device: no host sync inside the loop
        correct = (logits.detach().argmax(1) == y).float().mean()
        return {"loss": loss, "accuracy": correct}

    objective.config = dict(name="classification+accuracy" if accuracy else "classification")
    return objective


# --------------------------------------------------------------------------- helpers


def _as_tuple(tensors, dev: torch.device, name: str) -> tuple[torch.Tensor, ...] | None:
    if tensors is None:
        return None
    if torch.is_tensor(tensors):
        tensors = (tensors,)
    if not isinstance(tensors, Sequence) or not tensors or not all(torch.is_tensor(t) for t in tensors):
        raise ValueError(f"{name} must be a tensor or a tuple of tensors, got {type(tensors).__name__}.")
    if any(len(t) != len(tensors[0]) for t in tensors):
        raise ValueError(f"the tensors of {name} must have the same number of rows, got {[len(t) for t in tensors]}.")
    return tuple(t.to(dev) for t in tensors)  # one transfer, before the loop


def _terms(out) -> dict[str, torch.Tensor]:
    if torch.is_tensor(out):
        return {"loss": out}
    if isinstance(out, Mapping) and "loss" in out:
        return dict(out)
    raise ValueError("an objective must return a scalar tensor or a dict with a 'loss' entry.")


def check_settings(*, epochs, batch_size, lr, optimizer) -> None:
    """One clear ``ValueError`` for a training setting out of range (shared by fit and fit_seeds)."""
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}.")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr!r}.")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; use one of {', '.join(OPTIMIZERS)}.")


def _make_optimizer(name: str, params, lr: float, weight_decay: float) -> torch.optim.Optimizer:
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    return torch.optim.SGD(params, lr=lr, weight_decay=weight_decay)


def _show_progress(progress: bool | None) -> bool:
    if progress is not None:
        return progress
    if runtime.quick() or os.environ.get("AELAB_PROGRESS", "") == "0":
        return False
    in_notebook = "ipykernel" in sys.modules
    return in_notebook or sys.stderr.isatty()


@torch.no_grad()
def evaluate(
    model: nn.Module, data, objective: Objective, *, batch_size: int = 1024, device=None
) -> dict[str, float]:
    """The objective's terms averaged over a whole data set, in eval mode, without gradients.

    Args:
        model: the model.
        data: a tensor or a tuple of tensors, as for :func:`fit`.
        objective: ``objective(model, batch) -> loss or dict``.
        batch_size: rows per evaluation batch (memory only; the result does not depend on it).

    Returns:
        ``{"loss": ..., other terms...}`` as floats, weighted by batch size.

    Used in: chapters 2-6.
    """
    dev = runtime.device() if device is None else torch.device(device)
    tensors = _as_tuple(data, dev, "data")
    models.check_input(model, tensors[0])
    was_training = model.training
    model.eval()
    totals: dict[str, torch.Tensor] = {}
    for batch in _data.batches(*tensors, batch_size=batch_size, shuffle=False):
        for k, v in _terms(objective(model, batch)).items():
            totals[k] = totals.get(k, 0.0) + v.detach() * len(batch[0])
    model.train(was_training)
    n = len(tensors[0])
    return {k: float(v) / n for k, v in totals.items()}


# --------------------------------------------------------------------------- cache


def default_cache_dir() -> Path:
    """Where checkpoints go when ``fit(..., cache=True)``: ``$AELAB_CACHE`` or ``~/.cache/aelab/checkpoints``."""
    return Path(os.environ.get("AELAB_CACHE", Path.home() / ".cache" / "aelab" / "checkpoints"))


def _fingerprint(t: torch.Tensor) -> list:
    flat = t.detach().flatten().double()
    return [list(t.shape), str(t.dtype), round(float(flat.sum()), 6), round(float((flat * flat).sum()), 6)]


def _objective_id(objective) -> object:
    config = getattr(objective, "config", None)
    if config is not None:
        return config
    code = getattr(objective, "__code__", None)
    digest = hashlib.sha256(code.co_code).hexdigest()[:16] if code is not None else ""
    return [getattr(objective, "__qualname__", repr(objective)), digest]


def _cache_key(model, objective, tensors, test, settings) -> str:
    described = dict(
        model=type(model).__name__,
        config=getattr(model, "config", None) or repr(model),
        init=[_fingerprint(p) for p in model.state_dict().values()],
        objective=_objective_id(objective),
        data=[_fingerprint(t) for t in tensors],
        test=[_fingerprint(t) for t in test] if test else None,
        settings=settings,
    )
    text = json.dumps(described, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _load_checkpoint(path: Path, model: nn.Module, dev: torch.device) -> pd.DataFrame | None:
    try:
        # weights_only=True: tensors and plain containers only; no pickled code can run.
        payload = torch.load(path, map_location=dev, weights_only=True)
        model.load_state_dict(payload["state_dict"])
        history = pd.DataFrame(payload["history"])
    except Exception as err:
        warnings.warn(
            f"the checkpoint {path} could not be read ({type(err).__name__}: {err}); "
            f"training from scratch and rewriting it.",
            stacklevel=3,
        )
        return None
    history.attrs.update(cache=str(path), cached=True, diverged=None)
    return history


# --------------------------------------------------------------------------- fit


def fit(
    model: nn.Module,
    data,
    objective: Objective,
    *,
    epochs: int,
    lr: float = 1e-3,
    batch_size: int = 256,
    test=None,
    optimizer: str = "adam",
    weight_decay: float = 0.0,
    seed: int = 0,
    device=None,
    progress: bool | None = None,
    cache: bool | str | Path = False,
) -> pd.DataFrame:
    """Train ``model`` on ``data`` with ``objective``; return the history.

    Each epoch visits every row once in a fresh order drawn from a generator
    seeded with ``seed``, so the same seed (and the same initial weights, see
    :func:`aelab.runtime.seed_everything`) gives the same history on the CPU.
    ``train_loss`` is the mean of the objective over the epoch's batches,
    weighted by batch size: the whole epoch, not its last batch.

    If the loss becomes NaN or infinite, training stops with a
    :class:`TrainingDiverged` warning naming the epoch and batch, the model is
    restored to the end of the last good epoch, and the history so far is
    returned.

    Args:
        model: any ``nn.Module``; moved to ``device``.
        data: the training tensors, a tensor or a tuple such as ``(x,)`` or ``(x, y)``.
        objective: ``objective(model, batch) -> loss or dict`` (see the module doc).
        epochs: number of passes over ``data``.
        lr: learning rate.
        batch_size: rows per step.
        test: optional held-out tensors, evaluated after every epoch.
        optimizer: ``"adam"``, ``"adamw"`` or ``"sgd"``.
        weight_decay: the optimizer's weight decay.
        seed: seeds the order of the batches.
        device: where to train (default: :func:`aelab.runtime.device`).
        progress: show a tqdm bar (default: in notebooks and terminals, not in
            the quick profile, not with ``AELAB_PROGRESS=0``).
        cache: ``True`` or a folder: save the trained state dict and history
            under a key made of the model's configuration and initial weights,
            the objective, the data and these settings, and load it (with
            ``weights_only=True``) instead of training when the key matches.

    Returns:
        A DataFrame with columns ``epoch``, ``train_loss`` (and ``train_<term>``
        for each extra term), ``test_loss`` (and ``test_<term>``) when ``test``
        is given, and ``seconds``. ``history.attrs`` holds ``diverged`` (the
        message, or None), ``cache`` (the checkpoint path, or None) and
        ``cached`` (whether it was loaded).

    Used in: chapters 1-6.
    """
    check_settings(epochs=epochs, batch_size=batch_size, lr=lr, optimizer=optimizer)
    dev = runtime.device() if device is None else torch.device(device)
    tensors = _as_tuple(data, dev, "data")
    test = _as_tuple(test, dev, "test")
    # Shapes are checked here, before any step, not deep inside the first layer.
    models.check_input(model, tensors[0])
    if test is not None:
        models.check_input(model, test[0])
    model.to(dev)

    path = None
    if cache:
        folder = default_cache_dir() if cache is True else Path(cache)
        settings = dict(epochs=epochs, lr=lr, batch_size=batch_size, optimizer=optimizer,
                        weight_decay=weight_decay, seed=seed)
        path = folder / f"{type(model).__name__}-{_cache_key(model, objective, tensors, test, settings)}.pt"
        if path.exists():
            history = _load_checkpoint(path, model, dev)
            if history is not None:
                return history

    opt = _make_optimizer(optimizer, model.parameters(), lr, weight_decay)
    generator = torch.Generator().manual_seed(seed)
    n = len(tensors[0])
    rows: list[dict] = []
    diverged = None

    bar = None
    if _show_progress(progress):
        from tqdm.auto import tqdm

        bar = tqdm(total=epochs, desc=type(model).__name__, unit="epoch", leave=False)

    # The weights at the end of the last good epoch, restored if the loss diverges.
    # Copied into buffers allocated once: cheap even when an epoch is one step.
    last_good = [t.detach().clone() for t in model.state_dict().values()]
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        if epoch > 1:
            with torch.no_grad():
                for saved, now in zip(last_good, model.state_dict().values()):
                    saved.copy_(now)
        model.train()
        # Per-batch terms stay on the device: no host sync inside the loop.
        logged: dict[str, list[torch.Tensor]] = {}
        sizes = []
        for batch in _data.batches(*tensors, batch_size=batch_size, generator=generator):
            terms = _terms(objective(model, batch))
            opt.zero_grad(set_to_none=True)
            terms["loss"].backward()
            opt.step()
            for k, v in terms.items():
                logged.setdefault(k, []).append(v.detach())
            sizes.append(len(batch[0]))

        per_batch = torch.stack(logged["loss"]).float().cpu()
        bad = (~torch.isfinite(per_batch)).nonzero()
        if len(bad):
            b = int(bad[0])
            value = float(per_batch[b])
            model.load_state_dict(dict(zip(model.state_dict().keys(), last_good)))
            diverged = (
                f"training stopped: the loss became {value} at epoch {epoch}, batch {b + 1} of "
                f"{len(sizes)}; the model is restored to the end of epoch {epoch - 1} and the "
                f"history so far is returned. Try a lower learning rate (now {lr})."
            )
            warnings.warn(diverged, TrainingDiverged, stacklevel=2)
            break

        weights = torch.tensor(sizes, dtype=torch.float32) / n
        row = {"epoch": epoch}
        for k, values in logged.items():
            row[f"train_{k}"] = float((torch.stack(values).float().cpu() * weights).sum())
        if test is not None:
            for k, v in evaluate(model, test, objective, batch_size=max(batch_size, 1024), device=dev).items():
                row[f"test_{k}"] = v
        row["seconds"] = time.perf_counter() - start
        rows.append(row)
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{row['train_loss']:.4g}")
    if bar is not None:
        bar.close()

    history = pd.DataFrame(rows, columns=None if rows else ["epoch", "train_loss", "seconds"])
    history.attrs.update(diverged=diverged, cache=str(path) if path else None, cached=False)
    if path is not None and diverged is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
        torch.save({"state_dict": state, "history": history.to_dict(orient="list")}, path)
    return history


# --------------------------------------------------------------------------- VAE objective (chapter 4)


def vae_objective(beta: float = 1.0, kind: str = "mse") -> Objective:
    """The (beta-)VAE objective: reconstruction + beta * KL, per image.

    The model's ``forward`` must return ``(x_hat, mu, logvar)``, as
    :class:`aelab.models.VAE` does. :func:`fit` logs the two terms as
    ``train_recon``/``train_kl`` (and ``test_recon``/``test_kl``), both summed
    over one image and averaged over the images (see :func:`aelab.losses.vae_loss`).

    Args:
        beta: weight of the KL term, ``>= 0``.
        kind: the reconstruction loss, ``"mse"``, ``"bce"`` or ``"l1"``.

    Returns:
        ``objective(model, batch) -> {"loss", "recon", "kl"}``.

    Used in: chapters 4 and 5.
    """
    zeros = torch.zeros(1, 1)
    losses.vae_loss(zeros, zeros, zeros, zeros, beta=beta, kind=kind)  # validate now, not at the first step

    def objective(model: nn.Module, batch: tuple) -> dict[str, torch.Tensor]:
        x = batch[0]
        out = model(x)
        if not (isinstance(out, tuple) and len(out) == 3):
            raise ValueError(
                f"vae_objective needs a model whose forward returns (x_hat, mu, logvar), such as "
                f"aelab.models.VAE; {type(model).__name__} returned {type(out).__name__}."
            )
        x_hat, mu, logvar = out
        return losses.vae_loss(x_hat, x, mu, logvar, beta=beta, kind=kind)

    objective.config = dict(name="vae", beta=beta, kind=kind)
    return objective


# --------------------------------------------------------------------------- least volume objectives (chapter 6)


def _latent_penalty_objective(name: str, penalty, lam: float, kind: str, config: dict) -> Objective:
    def objective(model: nn.Module, batch: tuple) -> dict[str, torch.Tensor]:
        x = batch[0]
        z = model.encode(x)  # (B, latent_dim)
        recon = losses.reconstruction(model.decode(z), x, kind)
        value = penalty(z)
        return {"loss": recon + lam * value, "recon": recon, name: value}

    objective.config = dict(name=name, lam=lam, kind=kind, **config)
    return objective


def least_volume_objective(lam: float = 0.01, eta: float = 0.01, kind: str = "mse") -> Objective:
    """Reconstruction + ``lam`` * the volume penalty of the batch's codes (least volume).

    The penalty (:func:`aelab.losses.volume_penalty`) only means something
    when the decoder cannot undo a shrinking of the codes by growing its
    weights: train it on a model whose decoder is 1-Lipschitz, such as
    ``MLPAutoencoder(..., spectral_norm_decoder=True)`` (Chen and Fuge, ICLR 2024).
    The codes' standard deviations are taken over each batch, so batches must
    hold at least 2 rows; the course uses the whole data set as one batch
    where it is small.

    Args:
        lam: weight of the volume penalty, ``>= 0`` (0 is a plain autoencoder
            that still logs its volume). The material uses 0.01 on the curve.
        eta: the penalty's small constant, ``> 0`` (0.01 in the material).
        kind: the reconstruction loss, ``"mse"``, ``"bce"`` or ``"l1"``
            (averaged over every element).

    Returns:
        ``objective(model, batch) -> {"loss", "recon", "volume"}``; :func:`fit`
        logs ``train_recon`` and ``train_volume``.

    Used in: chapter 6.
    """
    if not lam >= 0:
        raise ValueError(f"lam must be a non-negative number, got {lam!r}.")
    losses.volume_penalty(torch.zeros(2, 1), eta)  # validate eta now, not at the first step
    losses.reconstruction(torch.zeros(1, 1), torch.zeros(1, 1), kind)
    return _latent_penalty_objective(
        "volume", lambda z: losses.volume_penalty(z, eta), lam, kind, dict(eta=eta)
    )


def l1_latent_objective(lam: float = 1e-3, kind: str = "mse") -> Objective:
    """Reconstruction + ``lam`` * the mean absolute code (:func:`aelab.losses.l1_latent`).

    The sparsity penalty of the course material (section 8.2, weight 1e-3),
    the baseline least volume is compared with.

    Args:
        lam: weight of the L1 penalty, ``>= 0``.
        kind: the reconstruction loss, ``"mse"``, ``"bce"`` or ``"l1"``.

    Returns:
        ``objective(model, batch) -> {"loss", "recon", "l1"}``.

    Used in: chapter 6.
    """
    if not lam >= 0:
        raise ValueError(f"lam must be a non-negative number, got {lam!r}.")
    losses.reconstruction(torch.zeros(1, 1), torch.zeros(1, 1), kind)
    return _latent_penalty_objective("l1", losses.l1_latent, lam, kind, {})
