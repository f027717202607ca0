"""aelab.stacked._layers: a stacked Linear is its S separate layers, applied at once."""

import torch
from torch import nn

from aelab.stacked._layers import StackedLinear


def _layers(spectral: bool, n: int = 3) -> list[nn.Linear]:
    torch.manual_seed(0)
    layers = [nn.Linear(5, 4) for _ in range(n)]
    if spectral:
        layers = [nn.utils.parametrizations.spectral_norm(layer) for layer in layers]
        with torch.no_grad():  # u and v are now stale: one power iteration moves them
            for layer in layers:
                layer.parametrizations.weight.original.add_(torch.randn(4, 5))
    return layers


def test_stacked_linear_equals_each_layer_applied_alone():
    x = torch.randn(3, 7, 5)  # (S, B, in)
    for spectral in (False, True):
        for training in (True, False):
            layers = _layers(spectral)
            stacked = StackedLinear(layers).train(training)
            for layer in layers:
                layer.train(training)
            # one forward pass each: in training mode both run one power iteration
            got = stacked(x)
            want = torch.stack([layer(x[i]) for i, layer in enumerate(layers)])
            assert got.shape == (3, 7, 4)
            torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-6)


def test_write_back_puts_each_seed_into_its_layer():
    for spectral in (False, True):
        layers = _layers(spectral)
        stacked = StackedLinear(layers)
        with torch.no_grad():
            stacked.weight.add_(1.0)
            stacked.bias.mul_(-2.0)
        stacked(torch.randn(3, 2, 5))  # moves u and v in training mode
        stacked.write_back(layers)
        x = torch.randn(3, 6, 5)
        stacked.eval()
        want = stacked(x)
        got = torch.stack([layer.eval()(x[i]) for i, layer in enumerate(layers)])
        torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-6)
