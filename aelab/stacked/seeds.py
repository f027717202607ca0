"""fit_seeds: train one model per seed, all at once, as one stacked model.

The objective is the same function :func:`aelab.train.fit` takes. It sees
each seed through a :class:`_SeedView`, a stand-in for that seed's model whose
``forward``, ``encode`` and ``decode`` return that seed's slice of one stacked
pass, so the network runs once per step for all seeds and only the (cheap)
loss runs per seed.

Used in: chapters 2 and 6 (spreads over seeds).
"""

from __future__ import annotations

import time
import warnings
from typing import Callable, Sequence

import pandas as pd
import torch
from torch import nn

from .. import _arg_checks, _loop, runtime
from .. import data as _data
from .._loop import TrainingDiverged
from .._objectives import Objective
from ._layers import stack

__all__ = ["fit_seeds"]


class _SeedView:
    """Seed ``i`` of a stacked model, as the objective sees it.

    ``view(x)``, ``view.encode(x)`` and ``view.decode(z)`` return seed i's slice
    of one stacked pass, computed once per step for all seeds and shared: the
    objective passes back the codes it got from ``encode``, and ``decode``
    recognises them.
    """

    def __init__(self, shared: dict, i: int, base: nn.Module):
        self._shared, self._i, self._base = shared, i, base

    def _stacked(self, key, compute):
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]

    def __call__(self, x):
        return self._stacked("forward", lambda: self._shared["model"](self._shared["x"]))[self._i]

    def encode(self, x):
        return self._stacked("codes", lambda: self._shared["model"].encode(self._shared["x"]))[self._i]

    def decode(self, z):
        codes = self._stacked("codes", lambda: self._shared["model"].encode(self._shared["x"]))
        if z is not codes[self._i] and not (z.shape == codes[self._i].shape and torch.equal(z, codes[self._i])):
            raise ValueError("under fit_seeds an objective may decode only the codes encode gave it.")
        return self._stacked("decoded", lambda: self._shared["model"].decode(codes))[self._i]

    def __getattr__(self, name):  # latent_dim, input_shape, config ... of the seed's own model
        return getattr(self._base, name)


def _per_seed_terms(stacked: nn.Module, built, objective: Objective, batch: tuple) -> dict[str, torch.Tensor]:
    """Run the stacked model once on ``batch`` (each (S, B, ...)) and the objective per seed: {term: (S,)}."""
    shared = {"model": stacked, "x": batch[0]}
    per_seed = [_loop.terms(objective(_SeedView(shared, i, model), tuple(t[i] for t in batch)))
                for i, model in enumerate(built)]
    return {k: torch.stack([terms[k] for terms in per_seed]) for k in per_seed[0]}


def _check_settings(make_model, seeds, epochs, batch_size, lr, optimizer, weight_decay) -> list[int]:
    if isinstance(make_model, nn.Module) or not callable(make_model):
        raise ValueError("make_model must be a function that builds a new model, e.g. "
                         "lambda: models.MLPAutoencoder(3, 1); got a model or no function.")
    seeds = list(seeds)
    if not seeds or any(not _arg_checks.is_int(s) or s < 0 for s in seeds):
        raise ValueError(f"seeds must be a non-empty list of non-negative integers, got {seeds!r}.")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct, got {seeds!r}.")
    _loop.check_settings(epochs=epochs, batch_size=batch_size, lr=lr, optimizer=optimizer, weight_decay=weight_decay)
    return seeds


def fit_seeds(
    make_model: Callable[[], nn.Module],
    data,
    objective: Objective,
    *,
    seeds: Sequence[int],
    epochs: int,
    lr: float = 1e-3,
    batch_size: int = 256,
    test=None,
    optimizer: str = "adam",
    weight_decay: float = 0.0,
    device=None,
) -> tuple[pd.DataFrame, list[nn.Module]]:
    """Train one model per seed, all at once: the same as :func:`aelab.train.fit` seed by seed.

    Seed ``s`` trains what ``torch.manual_seed(s); m = make_model(); fit(m, data,
    objective, seed=s, ...)`` trains. ``make_model``: a function returning a new
    :class:`aelab.models.MLP` or :class:`aelab.models.MLPAutoencoder`; the other
    arguments are :func:`aelab.train.fit`'s. Returns ``(history, trained)``: fit's
    history with a ``seed`` column, and the models in the order of ``seeds``. A
    seed that diverges stops there, as in ``fit``, with one ``TrainingDiverged``
    warning naming the seeds (``history.attrs["diverged_seeds"]``).

    Used in: chapters 2 and 6.
    """
    seeds = _check_settings(make_model, seeds, epochs, batch_size, lr, optimizer, weight_decay)
    dev = runtime.device() if device is None else _arg_checks.valid_device("device", device)
    tensors = _loop.as_tuple(data, dev, "data")
    test = _loop.as_tuple(test, dev, "test")
    built = []
    for s in seeds:
        torch.manual_seed(s)
        model = make_model()
        if not isinstance(model, nn.Module):
            raise ValueError(f"make_model must return an nn.Module, got {type(model).__name__}.")
        built.append(model.to(dev))
    stacked = stack(built).to(dev)  # refuses a model it cannot stack, before any shape check
    _loop.check_data(built[0], objective, tensors, "data")
    if test is not None:
        _loop.check_data(built[0], objective, test, "test")

    opt = _loop.make_optimizer(optimizer, stacked.parameters(), lr, weight_decay)
    generators = [torch.Generator().manual_seed(s) for s in seeds]
    n, n_seeds = len(tensors[0]), len(seeds)
    index = torch.arange(n)

    @torch.no_grad()
    def evaluate(split) -> dict[str, torch.Tensor]:  # {term: (S,)}, eval mode, as fit's evaluate
        stacked.eval()
        totals: dict[str, torch.Tensor] = {}
        for batch in _data.batches(*split, batch_size=max(batch_size, 1024), shuffle=False):
            same = tuple(t.expand(n_seeds, *t.shape) for t in batch)  # every seed sees the same rows
            for k, v in _per_seed_terms(stacked, built, objective, same).items():
                totals[k] = totals.get(k, 0.0) + v * len(batch[0])
        stacked.train()
        return {k: (v / len(split[0])).cpu() for k, v in totals.items()}

    # the loop's bookkeeping, one run per seed (every stacked tensor has a leading seed dimension)
    runs = _loop.Runs(list(stacked.parameters()), list(stacked.parameters()) + list(stacked.buffers()), lr)
    rows: list[dict] = []
    stacked.train()
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        logged: dict[str, list[torch.Tensor]] = {}
        sizes = []
        # Each seed draws its own order, as fit(seed=s) does: the same permutation of row indices.
        orders = [_data.batches(index, batch_size=batch_size, generator=g) for g in generators]
        for parts in zip(*orders):
            idx = torch.stack([p[0] for p in parts]).to(dev)  # (S, B)
            terms = _per_seed_terms(stacked, built, objective, tuple(t[idx] for t in tensors))
            opt.zero_grad(set_to_none=True)
            terms["loss"].sum().backward()  # seeds share no weight: each gets its own loss's gradient
            opt.step()
            runs.hold_stopped()  # a stopped seed keeps its last good weights
            for k, v in terms.items():
                logged.setdefault(k, []).append(v.detach())
            sizes.append(idx.shape[1])

        values = _loop.per_batch(logged)  # {term: (batches, S)}
        runs.check(epoch, values["loss"])
        tested = evaluate(test) if test is not None else {}
        seconds = time.perf_counter() - start
        losses = [None] * n_seeds
        for i, s in enumerate(seeds):
            if runs.stopped[i]:
                continue  # stopped: its rows end at its last good epoch
            rows.append({"seed": s, **_loop.history_row(epoch, values, sizes, i, {
                k: float(v[i]) for k, v in tested.items()}, seconds)})
            losses[i] = rows[-1]["train_loss"]
        runs.judge(epoch, losses)
        if all(runs.stopped):
            break

    history = pd.DataFrame(rows, columns=None if rows else ["seed", "epoch", "train_loss", "seconds"])
    went_wrong = runs.finish()
    history.attrs["diverged_seeds"] = [seeds[i] for i in sorted(went_wrong)]
    history.attrs["diverged"] = _diverged(seeds, went_wrong, runs)
    if went_wrong:
        warnings.warn(history.attrs["diverged"], TrainingDiverged, stacklevel=2)
    stacked.write_back()
    for model in built:
        model.train()
    return history, built


def _diverged(seeds: list[int], went_wrong: dict[int, str], runs: _loop.Runs) -> str | None:
    """The warning of fit_seeds: the seeds that went wrong, and for each what fit would have said."""
    if not went_wrong:
        return None
    named = [seeds[i] for i in sorted(went_wrong)]
    what = "stopped early" if all(runs.stopped[i] for i in went_wrong) else "went wrong"
    each = "".join(f" Seed {seeds[i]}: {said}." for i, said in sorted(went_wrong.items()))
    return f"seed{'s' if len(named) > 1 else ''} {', '.join(map(str, named))} {what}.{each} {runs.advice()}"
