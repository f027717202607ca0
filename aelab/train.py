"""One training function for every chapter: :func:`fit`.

``fit`` trains any model with any objective (the factories below) on
tensors that live on the device, and returns the history as a pandas
DataFrame, one row per epoch. Its loop reads in one screen; the steps it
calls (one epoch, one row of the history, the bookkeeping that notices when
training goes wrong) live in the private module ``_loop.py``, which
:func:`aelab.stacked.fit_seeds` shares. Saving and loading trained weights is
a separate, explicit step: :mod:`aelab.checkpoints`.

The objectives (``train.reconstruction_objective()``, ...) are written in
the private module ``_objectives.py``; this is their one public address.

Used in: chapters 1-6.
"""

from __future__ import annotations

import os
import sys
import time
import warnings

import pandas as pd
import torch
from torch import nn

from . import _arg_checks, _array_checks, _loop, runtime
from . import data as _data
from ._loop import TrainingDiverged  # noqa: F401  (its public address: train.TrainingDiverged)
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
    "TrainingDiverged", "evaluate", "fit", "reconstruction_objective",
    "classification_objective", "vae_objective", "least_volume_objective", "l1_latent_objective",
    "supervised_objective",
]


def _progress_bar(progress: bool | None, epochs: int, model: nn.Module):
    show = progress
    if show is None:
        quiet = runtime.quick() or os.environ.get("AELAB_PROGRESS", "") == "0"
        show = not quiet and ("ipykernel" in sys.modules or sys.stderr.isatty())
    if not show:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=epochs, desc=type(model).__name__, unit="epoch", leave=False)


# --------------------------------------------------------------------------- evaluate


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
    _arg_checks.positive_int("batch_size", batch_size)
    dev = runtime.device() if device is None else _arg_checks.valid_device("device", device)
    tensors = _loop.as_tuple(data, dev, "data")
    _array_checks.model_input(model, tensors[0])
    was_training = model.training
    model.eval()
    totals: dict[str, torch.Tensor] = {}
    for batch in _data.batches(*tensors, batch_size=batch_size, shuffle=False):
        for k, v in _loop.terms(objective(model, batch)).items():
            totals[k] = totals.get(k, 0.0) + v.detach() * len(batch[0])
    model.train(was_training)
    n = len(tensors[0])
    return {k: float(v) / n for k, v in totals.items()}


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

    ``data`` (and ``test``, evaluated after every epoch) is a tensor or a tuple
    such as ``(x, y)``; ``objective(model, batch)`` gives a loss or a dict (the
    factories of this module). The batches' order comes from ``seed`` (default
    ``runtime.seed(0)``). One sentence refuses NaN data, labels with no logit and
    data far outside a sigmoid's or tanh's range. When the loss or the weights
    become NaN, infinite or blown up (100 times the start), a
    :class:`TrainingDiverged` warning says so and the model is restored to its
    last good epoch. ``optimizer``: ``"adam"``, ``"adamw"`` or ``"sgd"``.

    Returns:
        A DataFrame: ``epoch``, ``train_loss`` (``train_<term>`` for each extra
        term), ``test_loss`` when ``test`` is given, ``seconds``;
        ``history.attrs["diverged"]`` holds the warning, else None.

    Used in: chapters 1-6.
    """
    _loop.check_settings(epochs=epochs, batch_size=batch_size, lr=lr, optimizer=optimizer,
                         weight_decay=weight_decay)
    seed = runtime.seed(0) if seed is None else _arg_checks.non_negative_int("seed", seed)
    dev = runtime.device() if device is None else _arg_checks.valid_device("device", device)
    tensors, test = _loop.as_tuple(data, dev, "data"), _loop.as_tuple(test, dev, "test")
    model.to(dev)
    for split, name in ((tensors, "data"), (test, "test")):  # checked here, not deep inside torch
        if split is not None:
            _loop.check_data(model, objective, split, name)
    opt = _loop.make_optimizer(optimizer, model.parameters(), lr, weight_decay)
    generator = torch.Generator().manual_seed(seed)
    bar = _progress_bar(progress, epochs, model)
    # one run of the loop's bookkeeping: every tensor seen with a leading run dimension of 1
    runs = _loop.Runs([p.detach().unsqueeze(0) for p in model.parameters()],
                      [t.unsqueeze(0) for t in model.state_dict().values()], lr)
    rows = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        logged, sizes = _loop.train_epoch(model, tensors, objective, opt, batch_size=batch_size,
                                          generator=generator)
        values = _loop.per_batch(logged)
        if runs.check(epoch, values["loss"]).any():
            break  # stopped: restored to the last good epoch
        tested = evaluate(model, test, objective, batch_size=max(batch_size, 1024), device=dev) if test else {}
        rows.append(_loop.history_row(epoch, values, sizes, 0, tested, time.perf_counter() - start))
        runs.judge(epoch, [rows[-1]["train_loss"]])
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{rows[-1]['train_loss']:.4g}")
    if bar is not None:
        bar.close()
    history = pd.DataFrame(rows, columns=None if rows else ["epoch", "train_loss", "seconds"])
    went_wrong = runs.finish()
    how = "training stopped" if runs.stopped[0] else "training went wrong"
    history.attrs["diverged"] = f"{how}: {went_wrong[0]}. {runs.advice()}" if went_wrong else None
    if went_wrong:
        warnings.warn(history.attrs["diverged"], TrainingDiverged, stacklevel=2)
    return history
