"""An autoencoder that stands beside ``sklearn.decomposition.PCA``.

:class:`AutoencoderEstimator` follows scikit-learn's conventions: ``__init__``
only stores the hyperparameters, ``fit`` trains and returns ``self``, what it
learned ends in ``_``, and ``transform`` / ``inverse_transform`` take and give
NumPy arrays of shape (n_samples, n_features) and (n_samples, n_components).
So the same loop can fit, encode and decode with PCA and with an autoencoder::

    for method in (PCA(k), AutoencoderEstimator(k)):
        x_hat = method.fit(x).inverse_transform(method.transform(x))

Underneath it is an :class:`aelab.models.MLPAutoencoder` trained by
:func:`aelab.train.fit`; ``model_`` and ``history_`` are there to inspect.

Used in: chapters 2 and 3.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Sequence

import numpy as np
import torch
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from . import _arg_checks, _array_checks, models, runtime, train
from .runtime import to_numpy

__all__ = ["AutoencoderEstimator"]


class AutoencoderEstimator(TransformerMixin, BaseEstimator):
    """A scikit-learn style autoencoder: ``fit``, ``transform``, ``inverse_transform``.

    With ``activation=None`` every layer is linear, and the best such autoencoder
    reconstructs exactly as well as PCA with ``n_components`` (Baldi and Hornik,
    1989); a non-linear one can do better on curved data, at the price of a result
    that depends on the seed. ``hidden``, ``epochs``, ``lr``, ``optimizer`` are as
    for :class:`aelab.models.MLPAutoencoder` and :func:`aelab.train.fit`;
    ``batch_size=None`` is one batch; ``latent_l1`` weighs an L1 penalty on the
    codes; ``seed`` seeds the weights and the batches, leaving the global state.

    Attributes:
        model_: the trained :class:`aelab.models.MLPAutoencoder`, in eval mode.
        history_: the DataFrame :func:`aelab.train.fit` returned.
        n_features_in_: the number of features seen by ``fit``.
        reconstruction_error_: the mean squared error on the training data after fitting.

    Used in: chapter 2.
    """

    def __init__(
        self,
        n_components: int = 2,
        *,
        hidden: Sequence[int] = (32, 32),
        activation: str | None = "tanh",
        epochs: int = 2000,
        lr: float = 1e-2,
        batch_size: int | None = 256,
        optimizer: str = "adam",
        weight_decay: float = 0.0,
        latent_l1: float = 0.0,
        seed: int | None = None,
        device=None,
    ):
        self.n_components = n_components
        self.hidden = hidden
        self.activation = activation
        self.epochs = epochs
        self.lr = lr
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.latent_l1 = latent_l1
        self.seed = seed
        self.device = device

    def fit(self, X, y=None) -> "AutoencoderEstimator":
        """Train the autoencoder to reconstruct ``X``.

        Args:
            X: (n_samples, n_features) array (or tensor).
            y: ignored; there for scikit-learn's pipelines.

        Returns:
            ``self``, fitted.
        """
        x, objective, dev = self._prepare(X)
        # fit_seeds ignores it, so it is checked here; None is runtime.seed(0), which AELAB_SEED shifts
        seed = runtime.seed(0) if self.seed is None else _arg_checks.non_negative_int("seed", self.seed)
        # The initial weights come from this estimator's seed, not from the
        # global generator, which is restored afterwards: fitting one model
        # does not change what the next cell draws.
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            model = self._make_model(x.shape[1])
        history = train.fit(
            model, torch.as_tensor(x, device=dev), objective, epochs=self.epochs, lr=self.lr,
            batch_size=self._batch_size(len(x)), optimizer=self.optimizer,
            weight_decay=self.weight_decay, seed=seed, device=dev,
        )
        return self._fitted(model, history, x, dev)

    def _prepare(self, X) -> tuple[np.ndarray, "train.Objective", torch.device]:
        """Check X and the hyperparameters; return the data, the objective and the device."""
        x = _array_checks.matrix("X", X).astype(np.float32, copy=False)
        n, d = x.shape
        k = self.n_components
        _arg_checks.positive_int("n_components", k)
        if k > d:
            raise ValueError(
                f"n_components={k} is larger than the {d} features of X, so the code would not "
                f"compress anything; use at most {d} (or build models.MLPAutoencoder for an "
                f"overcomplete code)."
            )
        if n < 2:
            raise ValueError(f"fit needs at least 2 samples, got {n}.")
        if not _arg_checks.is_number(self.latent_l1) or not self.latent_l1 >= 0:
            raise ValueError(f"latent_l1 must be a number of at least 0, got {self.latent_l1!r}.")
        objective = (
            train.l1_latent_objective(float(self.latent_l1)) if self.latent_l1 > 0
            else train.reconstruction_objective()
        )
        dev = runtime.device() if self.device is None else _arg_checks.valid_device("device", self.device)
        return x, objective, dev

    def _make_model(self, n_features: int) -> models.MLPAutoencoder:
        return models.MLPAutoencoder(n_features, int(self.n_components), hidden=self.hidden,
                                     activation=self.activation)

    def _batch_size(self, n: int) -> int:
        return n if self.batch_size is None else self.batch_size

    def _fitted(self, model, history, x: np.ndarray, dev: torch.device) -> "AutoencoderEstimator":
        model.eval()
        self.model_ = model
        self.history_ = history
        self.n_features_in_ = x.shape[1]
        self.reconstruction_error_ = float(
            train.evaluate(model, torch.as_tensor(x, device=dev), train.reconstruction_objective(), device=dev)["loss"]
        )
        return self

    def _device(self) -> torch.device:
        return next(self.model_.parameters()).device

    @torch.no_grad()
    def transform(self, X) -> np.ndarray:
        """Codes of ``X``: (n_samples, n_features) -> (n_samples, n_components), float32."""
        check_is_fitted(self, "model_")
        x = _array_checks.matrix("X", X).astype(np.float32, copy=False)  # (n_samples, n_features)
        if x.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {x.shape[1]} features, but the estimator was fitted with {self.n_features_in_}.")
        z = self.model_.encode(torch.as_tensor(x, device=self._device()))
        return to_numpy(z)

    @torch.no_grad()
    def inverse_transform(self, Z) -> np.ndarray:
        """Reconstructions from codes: (n_samples, n_components) -> (n_samples, n_features), float32."""
        check_is_fitted(self, "model_")
        z = _array_checks.matrix("Z", Z, "components").astype(np.float32, copy=False)  # (n_samples, n_components)
        if z.shape[1] != self.model_.latent_dim:
            raise ValueError(f"Z has {z.shape[1]} components, but the estimator was fitted with "
                             f"{self.model_.latent_dim}.")
        x_hat = self.model_.decode(torch.as_tensor(z, device=self._device()))
        return to_numpy(x_hat)

    def fit_seeds(self, X, seeds: Sequence[int]) -> list["AutoencoderEstimator"]:
        """Fit one copy of this estimator per seed, all at once (:func:`aelab.stacked.fit_seeds`).

        Copy ``i`` is what ``clone(est).set_params(seed=seeds[i]).fit(X)``
        gives, up to float rounding (``tests/test_estimators.py`` checks it), but
        the seeds train side by side as one stacked model, for little more than
        the time of one. This estimator's own ``seed`` is ignored, and it is
        left as it was (unfitted, if it was).

        Args:
            X: (n_samples, n_features) array (or tensor).
            seeds: distinct non-negative integers, one fitted copy each.

        Returns:
            The fitted copies, in the order of ``seeds``.

        Used in: chapter 2.
        """
        from sklearn.base import clone

        from . import stacked

        if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
            raise ValueError(f"seeds must be a list of distinct non-negative integers, such as [0, 1, 2], "
                             f"got {seeds!r}.")
        seeds = list(seeds)
        x, objective, dev = self._prepare(X)
        with torch.random.fork_rng(devices=[]):  # the global random state is left as it was
            histories, trained = stacked.fit_seeds(
                lambda: self._make_model(x.shape[1]), torch.as_tensor(x, device=dev), objective,
                seeds=list(seeds),
                epochs=self.epochs, lr=self.lr, batch_size=self._batch_size(len(x)),
                optimizer=self.optimizer, weight_decay=self.weight_decay, device=dev,
            )
        fitted = []
        for s, model in zip(seeds, trained):
            history = histories[histories["seed"] == s].drop(columns="seed").reset_index(drop=True)
            history.attrs["diverged"] = (histories.attrs["diverged"]  # the sentence fit_seeds warned
                                         if s in histories.attrs["diverged_seeds"] else None)
            fitted.append(clone(self).set_params(seed=int(s))._fitted(model, history, x, dev))
        return fitted
