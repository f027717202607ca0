"""The stacked model: S models of one configuration as one, every ``Linear``
carrying a leading seed dimension, a weight of shape (S, out, in) applied to
inputs of shape (S, B, in) by one batched matrix multiply; and the copy of
the trained weights back into the S models.

Private: :func:`aelab.stacked.fit_seeds` is what the chapters call.
"""

from __future__ import annotations

from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from .. import models


class StackedLinear(nn.Module):
    """S ``nn.Linear`` layers (optionally spectrally normalized) as one: (S, B, in) -> (S, B, out).

    Spectral normalization follows torch's ``parametrizations.spectral_norm``
    step for step: in training mode each forward pass runs one power iteration
    (u from v, then v from u, without gradient), and the weight is divided by
    ``sigma = u . (W v)``; in eval mode u and v are only read.
    """

    def __init__(self, layers: Sequence[nn.Linear]):
        super().__init__()
        self.spectral = _is_spectral(layers[0])
        if self.spectral:
            norms = [layer.parametrizations.weight[0] for layer in layers]
            self.weight = nn.Parameter(torch.stack([l.parametrizations.weight.original.detach() for l in layers]))
            self.register_buffer("u", torch.stack([p._u.detach() for p in norms]))  # (S, out)
            self.register_buffer("v", torch.stack([p._v.detach() for p in norms]))  # (S, in)
            self.eps = norms[0].eps
        else:
            self.weight = nn.Parameter(torch.stack([l.weight.detach() for l in layers]))  # (S, out, in)
        self.bias = nn.Parameter(torch.stack([l.bias.detach() for l in layers]))  # (S, out)

    def effective_weight(self) -> torch.Tensor:
        if not self.spectral:
            return self.weight
        if self.training:
            with torch.no_grad():
                w = self.weight
                self.u.copy_(F.normalize(torch.bmm(w, self.v.unsqueeze(-1)).squeeze(-1), dim=-1, eps=self.eps))
                self.v.copy_(F.normalize(torch.bmm(w.transpose(1, 2), self.u.unsqueeze(-1)).squeeze(-1),
                                         dim=-1, eps=self.eps))
        wv = torch.bmm(self.weight, self.v.unsqueeze(-1)).squeeze(-1)  # (S, out)
        sigma = (self.u * wv).sum(-1)  # (S,)
        return self.weight / sigma[:, None, None]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.baddbmm(self.bias.unsqueeze(1), x, self.effective_weight().transpose(1, 2))

    def write_back(self, layers: Sequence[nn.Linear]) -> None:
        """Copy seed i's weights into ``layers[i]`` (the per-seed models)."""
        with torch.no_grad():
            for i, layer in enumerate(layers):
                if self.spectral:
                    layer.parametrizations.weight.original.copy_(self.weight[i])
                    layer.parametrizations.weight[0]._u.copy_(self.u[i])
                    layer.parametrizations.weight[0]._v.copy_(self.v[i])
                else:
                    layer.weight.copy_(self.weight[i])
                layer.bias.copy_(self.bias[i])


def _is_spectral(layer: nn.Module) -> bool:
    parametrizations = getattr(layer, "parametrizations", None)
    if parametrizations is None or "weight" not in parametrizations:
        return False
    norms = list(parametrizations.weight)
    if len(norms) != 1 or type(norms[0]).__name__ != "_SpectralNorm":
        raise ValueError("fit_seeds supports a Linear with spectral norm as its only parametrization.")
    if norms[0].dim != 0 or norms[0].n_power_iterations != 1:
        raise ValueError("fit_seeds supports spectral norm with torch's defaults (dim=0, one power iteration).")
    return True


class StackedMLP(nn.Module):
    """S :class:`aelab.models.MLP` of the same widths as one: (S, B, in) -> (S, B, out)."""

    def __init__(self, mlps: Sequence[models.MLP]):
        super().__init__()
        self._sources = [list(m.net) for m in mlps]
        layers = []
        for parts in zip(*self._sources):
            layers.append(StackedLinear(parts) if isinstance(parts[0], nn.Linear) else parts[0])
        self.net = nn.Sequential(*layers)  # activations act elementwise: shared as they are

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)

    def write_back(self) -> None:
        for i, layer in enumerate(self.net):
            if isinstance(layer, StackedLinear):
                layer.write_back([source[i] for source in self._sources])


class StackedAutoencoder(nn.Module):
    """S :class:`aelab.models.MLPAutoencoder` of one configuration as one, on (S, B, *input_shape)."""

    def __init__(self, autoencoders: Sequence[models.MLPAutoencoder]):
        super().__init__()
        self.input_shape, self.latent_dim = autoencoders[0].input_shape, autoencoders[0].latent_dim
        self.encoder = StackedMLP([a.encoder for a in autoencoders])
        self.decoder = StackedMLP([a.decoder for a in autoencoders])

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x.flatten(2))  # (S, B, *input_shape) -> (S, B, latent_dim)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z).view(*z.shape[:2], *self.input_shape)  # (S, B, latent) -> (S, B, *input_shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))

    def write_back(self) -> None:
        self.encoder.write_back()
        self.decoder.write_back()


def stack(built: Sequence[nn.Module]) -> nn.Module:
    """One stacked model from S models of one configuration (MLP or MLPAutoencoder)."""
    kind = type(built[0])
    if any(type(m) is not kind or getattr(m, "config", None) != built[0].config for m in built):
        raise ValueError("make_model must build models of one class and one configuration for every seed.")
    if kind is models.MLPAutoencoder:
        return StackedAutoencoder(built)
    if kind is models.MLP:
        return StackedMLP(built)
    raise ValueError(f"fit_seeds trains aelab.models.MLP and MLPAutoencoder; train a {kind.__name__} "
                     f"seed by seed with aelab.train.fit.")
