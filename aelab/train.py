"""One training function for every chapter: :func:`fit`.

``fit`` trains any model with any objective (the factories below) on
tensors that live on the device, and returns the history as a pandas
DataFrame, one row per epoch. Its loop reads in one screen; each job around it
is a small named step: :func:`train_epoch` (one pass over the data),
:func:`history_row` (one row of the history), :func:`evaluate` (a held-out
set), and the checks before and after. Saving and loading trained weights is a
separate, explicit step: :mod:`aelab.checkpoints`.

The objectives (``train.reconstruction_objective()``, ``train.vae_objective()``,
...) are written in the package's private module ``_objectives.py``, beside
``fit``; this is their one public address.

Used in: chapters 1-6.
"""

from __future__ import annotations

import math
import os
import sys
import time
import warnings
from typing import Mapping, Sequence

import pandas as pd
import torch
from torch import nn

from . import checks, models, runtime
from . import data as _data
from ._objectives import (  # noqa: F401  (their public address: train.<name>)
    Objective,
    classification_objective,
    l1_latent_objective,
    least_volume_objective,
    reconstruction_objective,
    supervised_objective,
    vae_objective,
)

__all__ = [
    "OPTIMIZERS", "TrainingDiverged", "check_settings", "check_data", "evaluate", "train_epoch",
    "history_row", "fit", "Objective", "reconstruction_objective", "classification_objective", "vae_objective",
    "least_volume_objective", "l1_latent_objective", "supervised_objective",
]

OPTIMIZERS = ("adam", "adamw", "sgd")


class TrainingDiverged(RuntimeWarning):
    """Warned when the loss or the weights become NaN or infinite, or the loss explodes."""


# --------------------------------------------------------------------------- checks before training


def check_settings(*, epochs, batch_size, lr, optimizer, weight_decay=0.0) -> None:
    """One clear ``ValueError`` for a training setting out of range (shared by fit and fit_seeds)."""
    checks.positive_int("epochs", epochs)
    checks.positive_int("batch_size", batch_size)
    checks.positive("lr", lr)
    checks.non_negative("weight_decay", weight_decay)
    checks.one_of("optimizer", optimizer, OPTIMIZERS)


def check_data(model: nn.Module, objective: Objective, tensors: tuple, name: str = "data") -> None:
    """One clear ``ValueError`` for data that do not fit the model or the objective (shared by fit and fit_seeds).

    The inputs are checked against the model's input shape and dtype; then the
    objective's own ``check_data``, where it has one, checks the labels against
    the model's number of logits and the data against the range of its output.
    """
    models.check_input(model, tensors[0])
    check = getattr(objective, "check_data", None)
    if check is not None:
        check(tensors, model, name)


def _as_tuple(tensors, dev: torch.device, name: str) -> tuple[torch.Tensor, ...] | None:
    """The data as a tuple of tensors on ``dev``: checked, then moved once, before the loop."""
    if tensors is None:
        return None
    if torch.is_tensor(tensors):
        tensors = (tensors,)
    if not isinstance(tensors, Sequence) or not tensors or not all(torch.is_tensor(t) for t in tensors):
        kind = type(tensors).__name__ if not isinstance(tensors, Sequence) else \
            ", ".join(type(t).__name__ for t in tensors) or "nothing"
        raise ValueError(f"{name} must be a tensor or a tuple of tensors, got {kind}; "
                         f"a NumPy array needs torch.as_tensor(a, dtype=torch.float32).")
    if any(len(t) != len(tensors[0]) for t in tensors):
        raise ValueError(f"the tensors of {name} must have the same number of rows, got {[len(t) for t in tensors]}.")
    if len(tensors[0]) == 0:
        raise ValueError(f"{name} holds no rows: there is nothing to train or evaluate on.")
    checks.float_tensor(f"the inputs of {name}", tensors[0])
    for t in tensors:
        checks.finite_tensor(name, t)
    return tuple(t.to(dev) for t in tensors)


def _terms(out) -> dict[str, torch.Tensor]:
    if torch.is_tensor(out) and out.dim() == 0:
        return {"loss": out}
    if isinstance(out, Mapping) and "loss" in out:
        return dict(out)
    raise ValueError("an objective must return a scalar tensor or a dict with a 'loss' entry; "
                     f"got {type(out).__name__}{' of shape ' + str(tuple(out.shape)) if torch.is_tensor(out) else ''}.")


def _make_optimizer(name: str, params, lr: float, weight_decay: float) -> torch.optim.Optimizer:
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    return torch.optim.SGD(params, lr=lr, weight_decay=weight_decay)


def _progress_bar(progress: bool | None, epochs: int, model: nn.Module):
    show = progress
    if show is None:
        quiet = runtime.quick() or os.environ.get("AELAB_PROGRESS", "") == "0"
        show = not quiet and ("ipykernel" in sys.modules or sys.stderr.isatty())
    if not show:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=epochs, desc=type(model).__name__, unit="epoch", leave=False)


# --------------------------------------------------------------------------- the steps


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

    Used in: chapter 3.
    """
    checks.positive_int("batch_size", batch_size)
    dev = runtime.device() if device is None else checks.device("device", device)
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


def train_epoch(model, tensors, objective, opt, *, batch_size, generator) -> tuple[dict, list[int]]:
    """One pass over the data in a fresh order: a step per batch.

    Returns:
        ``(logged, sizes)``: each term's per-batch values (tensors left on the
        device: no host sync inside the loop) and each batch's size.
    """
    model.train()
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
    return logged, sizes


def history_row(epoch: int, logged: dict, sizes: list[int], tested: dict, seconds: float) -> dict:
    """One row of the history: each term's mean over the epoch, weighted by batch size."""
    weights = torch.tensor(sizes, dtype=torch.float32) / sum(sizes)
    row = {"epoch": epoch}
    row.update({f"train_{k}": float((torch.stack(v).float().cpu() * weights).sum()) for k, v in logged.items()})
    row.update({f"test_{k}": v for k, v in tested.items()})
    row["seconds"] = seconds
    return row


def _went_wrong(model: nn.Module, logged: dict, sizes: list[int], epoch: int, lr: float) -> str | None:
    """Why this epoch cannot be kept (a non-finite loss or weight), or None."""
    per_batch = torch.stack(logged["loss"]).float().cpu()
    bad = (~torch.isfinite(per_batch)).nonzero()
    if len(bad):
        where = f"the loss became {float(per_batch[int(bad[0])])} at epoch {epoch}, batch {int(bad[0]) + 1} of {len(sizes)}"
    elif not all(bool(torch.isfinite(p).all()) for p in model.parameters()):
        where = f"the weights became NaN or infinite at epoch {epoch}"
    else:
        return None
    return (f"training stopped: {where}; the model is restored to the end of epoch {epoch - 1} and the "
            f"history so far is returned. Try a lower learning rate (now {lr}).")


def _exploded(history: pd.DataFrame, start: float | None, lr: float) -> str | None:
    """A warning when the loss ended far above the untrained model's (a learning rate far too high)."""
    if start is None or history.empty:
        return None
    last = history["train_loss"].iloc[-1]
    if start > 0 and last > 100 * start and math.isfinite(last):
        return (f"the training loss grew from {start:.4g} on the first batch to {last:.4g} in the last "
                f"epoch: training went wrong. Try a lower learning rate (now {lr}).")
    return None


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
    seed: int | None = None,
    device=None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Train ``model`` on ``data`` with ``objective``; return the history.

    Each epoch visits every row once in a fresh order drawn from a generator
    seeded with ``seed``, so the same seed (and the same initial weights, see
    :func:`aelab.runtime.seed_everything`) gives the same history on the CPU.
    ``train_loss`` is the mean of the objective over the epoch's batches,
    weighted by batch size: the whole epoch, not its last batch.

    If the loss or the weights become NaN or infinite, training stops with a
    :class:`TrainingDiverged` warning naming the epoch (and batch), the model
    is restored to the end of the last good epoch, and the history so far is
    returned; a loss that ends 100 times above where it started is warned
    about too. Before any step, one sentence refuses data with NaN or
    infinity, labels the model has no logit for (1 to 10 for 10 classes), and
    data far outside the range of a sigmoid or tanh output (images of 0-255).

    Args:
        model: any ``nn.Module``; moved to ``device``.
        data: the training tensors, a tensor or a tuple such as ``(x,)`` or ``(x, y)``.
        objective: ``objective(model, batch) -> loss or dict`` (the objective factories of this module).
        epochs: number of passes over ``data``.
        lr: learning rate.
        batch_size: rows per step.
        test: optional held-out tensors, evaluated after every epoch.
        optimizer: ``"adam"``, ``"adamw"`` or ``"sgd"``. Adam's ``weight_decay``
            adds an L2 term to the gradient (rescaled per parameter by Adam);
            AdamW's decays the weights directly (decoupled).
        weight_decay: the optimizer's weight decay, ``>= 0``.
        seed: seeds the order of the batches (default ``runtime.seed(0)``: 0 shifted by
            ``AELAB_SEED``, so a seed offset re-draws the batch order too).
        device: where to train (default: :func:`aelab.runtime.device`).
        progress: show a tqdm bar (default: in notebooks and terminals, not in
            the quick profile, not with ``AELAB_PROGRESS=0``).

    Returns:
        A DataFrame with columns ``epoch``, ``train_loss`` (and ``train_<term>``
        for each extra term), ``test_loss`` (and ``test_<term>``) when ``test``
        is given, and ``seconds``. ``history.attrs["diverged"]`` holds the
        message when training stopped early, else None.

    Used in: chapters 1-6.
    """
    check_settings(epochs=epochs, batch_size=batch_size, lr=lr, optimizer=optimizer, weight_decay=weight_decay)
    seed = runtime.seed(0) if seed is None else checks.non_negative_int("seed", seed)
    dev = runtime.device() if device is None else checks.device("device", device)
    tensors, test = _as_tuple(data, dev, "data"), _as_tuple(test, dev, "test")
    model.to(dev)
    for split, name in ((tensors, "data"), (test, "test")):  # checked here, not deep inside torch
        if split is not None:
            check_data(model, objective, split, name)
    opt = _make_optimizer(optimizer, model.parameters(), lr, weight_decay)
    generator = torch.Generator().manual_seed(seed)
    bar = _progress_bar(progress, epochs, model)
    # the weights at the end of the last good epoch, in buffers allocated once
    last_good = [t.detach().clone() for t in model.state_dict().values()]
    rows, diverged, start_loss = [], None, None
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        with torch.no_grad():
            for saved, now in zip(last_good, model.state_dict().values()):
                saved.copy_(now)
        logged, sizes = train_epoch(model, tensors, objective, opt, batch_size=batch_size, generator=generator)
        start_loss = float(logged["loss"][0]) if epoch == 1 else start_loss  # the untrained model's
        diverged = _went_wrong(model, logged, sizes, epoch, lr)
        if diverged:
            model.load_state_dict(dict(zip(model.state_dict().keys(), last_good)))
            warnings.warn(diverged, TrainingDiverged, stacklevel=2)
            break
        tested = evaluate(model, test, objective, batch_size=max(batch_size, 1024), device=dev) if test else {}
        rows.append(history_row(epoch, logged, sizes, tested, time.perf_counter() - start))
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{rows[-1]['train_loss']:.4g}")
    if bar is not None:
        bar.close()
    history = pd.DataFrame(rows, columns=None if rows else ["epoch", "train_loss", "seconds"])
    exploded = None if diverged else _exploded(history, start_loss, lr)
    if exploded:
        warnings.warn(exploded, TrainingDiverged, stacklevel=2)
    history.attrs["diverged"] = diverged or exploded
    return history
