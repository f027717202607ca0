"""The training loop's core, shared by :func:`aelab.train.fit` and :func:`aelab.stacked.fit_seeds`.

The checks before training, one epoch of ``fit``, the rows of the history,
and :class:`Runs`: the bookkeeping of S runs trained side by side (S = 1 for
``fit``) that keeps each run's weights at the end of its last good epoch and
notices when a run goes wrong.

An epoch is *good* when its loss and weights are finite, its loss is at most
``LOSS_GROWTH`` times the untrained model's loss on the first batch, and its
weights have not blown up: their norm (all parameters as one vector) at most
``WEIGHT_GROWTH`` times the initial weights', or the loss below the untrained
model's. Normal training never comes near either factor: its loss falls, and
a weight norm 100 times the initial one with no gain in loss is what a
learning rate far too high does (Adam moves every weight by about ``lr`` a
step, whatever the gradient). A run whose loss or weights become NaN or
infinite stops there; a run whose last epoch is not good is restored, at the
end, to its last good epoch (or to its initial weights, if none was good).
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import torch
from torch import nn

from . import _arg_checks, _array_checks
from . import data as _data

OPTIMIZERS = ("adam", "adamw", "sgd")
LOSS_GROWTH = 100  # an epoch's loss this many times the untrained model's first-batch loss: exploded
WEIGHT_GROWTH = 100  # the weights' norm this many times the initial one, the loss no better: blown up


class TrainingDiverged(RuntimeWarning):
    """Warned when the loss or the weights become NaN or infinite, the loss explodes, or the weights blow up."""


# --------------------------------------------------------------------------- checks before training


def check_settings(*, epochs, batch_size, lr, optimizer, weight_decay=0.0) -> None:
    """One clear ``ValueError`` for a training setting out of range."""
    _arg_checks.positive_int("epochs", epochs)
    _arg_checks.positive_int("batch_size", batch_size)
    _arg_checks.positive("lr", lr)
    _arg_checks.non_negative("weight_decay", weight_decay)
    _arg_checks.one_of("optimizer", optimizer, OPTIMIZERS)


def check_data(model: nn.Module, objective, tensors: tuple, name: str = "data") -> None:
    """One clear ``ValueError`` for data that do not fit the model's input or the objective's ``check_data``."""
    _array_checks.model_input(model, tensors[0])
    check = getattr(objective, "check_data", None)
    if check is not None:
        check(tensors, model, name)


def as_tuple(tensors, dev: torch.device, name: str) -> tuple[torch.Tensor, ...] | None:
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
    _array_checks.float_tensor(f"the inputs of {name}", tensors[0])
    for t in tensors:
        _array_checks.finite_tensor(name, t)
    return tuple(t.to(dev) for t in tensors)


def terms(out) -> dict[str, torch.Tensor]:
    """An objective's output as ``{"loss": ..., other terms...}``."""
    if torch.is_tensor(out) and out.dim() == 0:
        return {"loss": out}
    if isinstance(out, Mapping) and "loss" in out:
        return dict(out)
    raise ValueError("an objective must return a scalar tensor or a dict with a 'loss' entry; "
                     f"got {type(out).__name__}{' of shape ' + str(tuple(out.shape)) if torch.is_tensor(out) else ''}.")


def make_optimizer(name: str, params, lr: float, weight_decay: float) -> torch.optim.Optimizer:
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    return torch.optim.SGD(params, lr=lr, weight_decay=weight_decay)


# --------------------------------------------------------------------------- an epoch and its rows


def train_epoch(model, tensors, objective, opt, *, batch_size, generator) -> tuple[dict, list[int]]:
    """One pass of ``fit`` over the data in a fresh order, a step per batch.

    Returns ``(logged, sizes)``: each term's per-batch values (tensors left on
    the device: no host sync inside the loop) and each batch's size.
    """
    model.train()
    logged: dict[str, list[torch.Tensor]] = {}
    sizes = []
    for batch in _data.batches(*tensors, batch_size=batch_size, generator=generator):
        out = terms(objective(model, batch))
        opt.zero_grad(set_to_none=True)
        out["loss"].backward()
        opt.step()
        for k, v in out.items():
            logged.setdefault(k, []).append(v.detach())
        sizes.append(len(batch[0]))
    return logged, sizes


def per_batch(logged: dict[str, list[torch.Tensor]]) -> dict[str, torch.Tensor]:
    """Each term's per-batch values on the CPU, one column per run: {term: (batches, S)}."""
    stacked = {k: torch.stack(v).float().cpu() for k, v in logged.items()}
    return {k: v if v.dim() == 2 else v[:, None] for k, v in stacked.items()}


def history_row(epoch: int, values: dict, sizes: list[int], run: int, tested: dict, seconds: float) -> dict:
    """Run ``run``'s row of the history: each term's mean over the epoch, weighted by batch size."""
    weights = torch.tensor(sizes, dtype=torch.float32) / sum(sizes)
    row = {"epoch": epoch}
    row.update({f"train_{k}": float((v[:, run] * weights).sum()) for k, v in values.items()})
    row.update({f"test_{k}": v for k, v in tested.items()})
    row["seconds"] = seconds
    return row


# --------------------------------------------------------------------------- the bookkeeping


def _norms(params: list[torch.Tensor]) -> torch.Tensor:
    """Each run's weight norm, all its parameters as one vector: (S,) on the CPU."""
    with torch.no_grad():
        return sum(p.reshape(len(p), -1).float().pow(2).sum(1) for p in params).sqrt().cpu()


class Runs:
    """S runs trained side by side, epoch by epoch: their last good weights and what went wrong.

    ``params`` and ``state`` (parameters and buffers) are tensors with a
    leading run dimension: a stacked model's own, or ``t.unsqueeze(0)`` of one
    model's. Call :meth:`check` after each epoch's steps (it stops and
    restores the runs whose loss or weights are no longer finite),
    :meth:`judge` with the epoch's mean losses, and :meth:`finish` at the end.
    An epoch judged good is kept once the next epoch's first batch, the first
    loss its weights give, confirms it.
    """

    def __init__(self, params: list[torch.Tensor], state: list[torch.Tensor], lr: float):
        self.params, self.state, self.lr = params, state, lr
        self.saved = [t.detach().clone() for t in state]  # each run's weights at its last good epoch
        self.pending = [t.detach().clone() for t in state]  # at the end of an epoch judged good, unconfirmed
        n = len(state[0])
        self.alive = torch.ones(n, dtype=torch.bool, device=state[0].device)
        self.good_epoch = [0] * n  # the epoch ``saved`` is from (0: the initial weights)
        self.pending_epoch: list[int | None] = [None] * n
        self.trouble: list[str | None] = [None] * n  # why the run stopped, or why its latest epoch is not good
        self.stopped = [False] * n  # the same as ~alive, on the host
        self.start: torch.Tensor | None = None  # (S,) the untrained model's loss on the first batch
        self.initial_norm = _norms(params)

    def hold_stopped(self) -> None:
        """Put the stopped runs back to their last good weights (after a step that moved them)."""
        if any(self.stopped):
            with torch.no_grad():
                for saved, now in zip(self.saved, self.state):
                    now[~self.alive] = saved[~self.alive]

    def check(self, epoch: int, loss: torch.Tensor) -> torch.Tensor:
        """Confirm the last epoch judged good, and stop the runs whose loss or weights are no longer finite.

        ``loss``: the epoch's per-batch losses, (batches, S) on the CPU. The
        stopped runs are restored to their last good epoch. Returns which runs stopped now, (S,).
        """
        if self.start is None:
            self.start = loss[0].clone()
        first = loss[0]  # the loss the weights at the end of the last epoch give
        confirmed = [i for i, e in enumerate(self.pending_epoch)
                     if e is not None and math.isfinite(first[i]) and not first[i] > LOSS_GROWTH * self.start[i]]
        if len(confirmed) == len(self.stopped):  # all of them: the pending buffers become the saved ones
            self.saved, self.pending = self.pending, self.saved
        else:
            self._keep(confirmed, self.pending, self.saved)
        for i in confirmed:
            self.good_epoch[i] = self.pending_epoch[i]
        self.pending_epoch = [None] * len(self.pending_epoch)
        with torch.no_grad():
            finite_weights = torch.stack([torch.isfinite(p.reshape(len(p), -1)).all(1) for p in self.params])
        finite_weights = finite_weights.all(0).cpu()
        newly = self.alive.cpu() & ~(torch.isfinite(loss).all(0) & finite_weights)
        for i in newly.nonzero().flatten().tolist():
            bad = (~torch.isfinite(loss[:, i])).nonzero()
            self.trouble[i] = (f"the loss became {float(loss[int(bad[0]), i])} at epoch {epoch}, batch "
                               f"{int(bad[0]) + 1} of {len(loss)}" if len(bad) else
                               f"the weights became NaN or infinite at epoch {epoch}")
            self.stopped[i] = True
        if newly.any():
            self._restore(newly.to(self.alive.device))
            self.alive &= ~newly.to(self.alive.device)
        return newly

    def judge(self, epoch: int, losses: Sequence[float | None]) -> None:
        """Judge each running run's epoch by its mean loss (``losses``, None for a stopped run) and weights."""
        norms, good = None, []
        for i, loss in enumerate(losses):
            if loss is None or self.stopped[i]:
                continue
            start = float(self.start[i])
            trouble = None
            if start > 0 and loss > LOSS_GROWTH * start:
                trouble = (f"the training loss grew from {start:.4g} on the first batch to {loss:.4g} "
                           f"in epoch {epoch}")
            elif not loss < start:  # the loss no better than the untrained model's: have the weights blown up?
                norms = _norms(self.params) if norms is None else norms
                if norms[i] > WEIGHT_GROWTH * self.initial_norm[i]:
                    trouble = (f"the weights' norm grew from {float(self.initial_norm[i]):.4g} to "
                               f"{float(norms[i]):.4g} by epoch {epoch} while the loss ({loss:.4g}) stayed "
                               f"above the untrained model's ({start:.4g})")
            self.trouble[i] = trouble
            if trouble is None:
                good.append(i)
                self.pending_epoch[i] = epoch
        self._keep(good, self.state, self.pending)

    def finish(self) -> dict[int, str]:
        """Restore each run whose last epoch was not good; return what went wrong and where each run is
        restored to, ``{run: sentence}`` (``stopped[run]`` says whether it stopped early)."""
        ended_bad = torch.tensor([t is not None and not s for t, s in zip(self.trouble, self.stopped)])
        if ended_bad.any():
            self._restore(ended_bad.to(self.alive.device))
        said = {}
        for i, trouble in enumerate(self.trouble):
            if trouble is None:
                continue
            k = self.good_epoch[i]
            restored = (f"the model is restored to the end of epoch {k}, the last good one" if k else
                        "no epoch was good: the model is restored to its initial weights")
            said[i] = f"{trouble}; {restored}"
        return said

    def advice(self) -> str:
        return f"Try a lower learning rate (now {self.lr})."

    def _keep(self, runs: list[int], source: list[torch.Tensor], target: list[torch.Tensor]) -> None:
        """Copy the weights of ``runs`` from ``source`` into ``target``."""
        if not runs:
            return
        with torch.no_grad():
            if len(runs) == len(self.stopped):
                for t, s in zip(target, source):
                    t.copy_(s)
            else:
                which = torch.tensor(runs, device=self.alive.device)
                for t, s in zip(target, source):
                    t[which] = s[which]

    def _restore(self, which: torch.Tensor) -> None:
        with torch.no_grad():
            for saved, now in zip(self.saved, self.state):
                now[which] = saved[which]
