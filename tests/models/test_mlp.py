"""aelab.models.mlp: the MLP, the MLP autoencoder, its checks of inputs and codes, spectral norm."""

import numpy as np
import pytest
import torch
from torch import nn

from aelab import metrics, models
from aelab.models import MLP, MLPAutoencoder
from tests.mistakes import ACTIVATIONS, AE, _cases, _check


def test_mlp_builds_distinct_layers_from_widths():
    net = models.MLP([1, 8, 8, 2], activation="tanh")
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    assert [(l.in_features, l.out_features) for l in linears] == [(1, 8), (8, 8), (8, 2)]
    # every layer owns its weights: the material's list-repeat bug shares one Linear
    assert len({id(l.weight) for l in linears}) == 3
    assert sum(isinstance(m, nn.Tanh) for m in net.modules()) == 2  # none after the output
    assert net(torch.zeros(5, 1)).shape == (5, 2)


def test_mlp_output():
    net = models.MLP([3, 4, 3], output="sigmoid")
    y = net(torch.randn(10, 3) * 100)
    assert torch.all((y >= 0) & (y <= 1))


def test_mlp_spectral_norm_bounds_every_layer():
    net = models.MLP([4, 16, 16, 4], spectral_norm=True)
    net.train()
    x = torch.randn(64, 4)
    for _ in range(20):  # power iterations converge while in train mode
        net(x)
    net.eval()
    for m in net.modules():
        if isinstance(m, nn.Linear):
            assert torch.linalg.matrix_norm(m.weight, ord=2) <= 1.0 + 1e-3


def test_mlp_bad_input():
    with pytest.raises(ValueError, match="at least an input and an output"):
        models.MLP([])
    with pytest.raises(ValueError, match="positive"):
        models.MLP([3, 0, 1])
    with pytest.raises(ValueError, match="unknown activation 'swish'.*relu"):
        models.MLP([3, 1], activation="swish")


@pytest.mark.parametrize("shape", [3, (1, 28, 28)])
def test_mlp_autoencoder_shapes(shape):
    ae = models.MLPAutoencoder(shape, latent_dim=2, hidden=(16, 8), output="sigmoid")
    in_shape = (shape,) if isinstance(shape, int) else shape
    x = torch.rand(7, *in_shape)
    z = ae.encode(x)
    assert z.shape == (7, 2) and z.dtype == torch.float32
    assert ae.decode(z).shape == x.shape
    assert ae(x).shape == x.shape
    assert ae.config["latent_dim"] == 2 and ae.input_shape == in_shape


def test_mlp_autoencoder_spectral_norm_decoder_only():
    ae = models.MLPAutoencoder(3, 3, hidden=(8,), spectral_norm_decoder=True)
    assert not any("parametrizations" in n for n, _ in ae.encoder.named_parameters())
    # both decoder layers, the last one included, carry the parametrization
    assert sum("parametrizations.weight" in n for n, _ in ae.decoder.named_parameters()) == 2


def test_autoencoder_wrong_shapes_are_one_clear_sentence():
    ae = models.MLPAutoencoder((1, 28, 28), latent_dim=2)
    with pytest.raises(ValueError, match=r"expects inputs of shape \(batch, 1, 28, 28\), got \(4, 784\)"):
        ae(torch.zeros(4, 784))
    with pytest.raises(ValueError, match=r"decode expects codes of shape \(batch, 2\), got \(4, 3\)"):
        ae.decode(torch.zeros(4, 3))
    with pytest.raises(ValueError, match="latent_dim must be a positive integer"):
        models.MLPAutoencoder(3, latent_dim=0)
    with pytest.raises(ValueError, match="input_shape"):
        models.MLPAutoencoder((), latent_dim=1)


def test_encode_decode_gives_codes_and_reconstructions_in_eval_mode():
    torch.manual_seed(0)
    model = models.MLPAutoencoder(4, 2, hidden=(8,))
    x = torch.randn(5, 4)
    z, x_hat = model.encode_decode(x)
    assert not model.training and not z.requires_grad and not x_hat.requires_grad
    torch.testing.assert_close(z, model.encode(x))
    torch.testing.assert_close(x_hat, model(x))
    with pytest.raises(ValueError):
        model.encode_decode(torch.randn(5, 3))


# --------------------------------------------------------------------------- the Lipschitz bound


def _lipschitz_ratios(decode, latent_dim, n=2000, seed=0):
    # random pairs, far apart and close together
    g = torch.Generator().manual_seed(seed)
    z1 = torch.randn(n, latent_dim, generator=g) * 3
    z2 = z1 + torch.randn(n, latent_dim, generator=g) * torch.rand(n, 1, generator=g)
    return metrics.lipschitz_ratios(decode, z1, z2)


def test_spectral_norm_bounds_the_decoders_lipschitz_constant():
    model = models.MLPAutoencoder(3, 3, hidden=(48, 48, 48, 48), activation="leaky_relu", spectral_norm_decoder=True)
    # even with its raw weights blown up tenfold, every layer keeps operator norm 1
    with torch.no_grad():
        for name, p in model.decoder.named_parameters():
            if name.endswith("original"):
                p.mul_(10.0)
    model.train()
    # spectral_norm estimates each layer's largest singular value by power
    # iteration, one step per forward pass in training mode: the bound is as
    # good as that estimate, which a few dozen steps make tight.
    for _ in range(100):
        model.decode(torch.randn(8, 3))
    model.eval()
    for layer in model.decoder.net:
        if isinstance(layer, torch.nn.Linear):
            assert torch.linalg.matrix_norm(layer.weight, ord=2).item() == pytest.approx(1.0, abs=1e-2)
    ratios = _lipschitz_ratios(model.decode, 3)
    assert ratios.max() <= 1.01


def test_without_spectral_norm_the_decoder_can_stretch():
    model = models.MLPAutoencoder(3, 3, hidden=(48, 48), activation="leaky_relu")
    with torch.no_grad():
        for p in model.decoder.parameters():
            p.mul_(10.0)
    assert _lipschitz_ratios(model.decode, 3).max() > 1.5


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("latent_dim-0", lambda: MLPAutoencoder(3, 0), r"latent_dim must be a positive integer, got 0"),
    ("latent_dim-float", lambda: MLPAutoencoder(3, 2.5), r"latent_dim must be a positive integer, got 2.5"),
    ("latent_dim-string", lambda: MLPAutoencoder(3, "2"), r"latent_dim must be a positive integer, got '2'"),
    ("hidden-int", lambda: MLPAutoencoder(3, 2, hidden=128),
     r"hidden must be a sequence of positive integers, such as \(128, 64\), got the single number 128; "
     r"for one entry write \(128,\)"),  # fixed: TypeError 'int' object is not iterable
    ("hidden-float", lambda: MLPAutoencoder(3, 2, hidden=(64.5,)),
     r"hidden must be a sequence of positive integers.*got \(64.5,\)"),  # fixed: silently 64 units
    ("hidden-string", lambda: MLPAutoencoder(3, 2, hidden=("a",)),
     r"hidden must be a sequence of positive integers.*got \('a',\)"),  # fixed: int() "invalid literal"
    ("hidden-zero", lambda: MLPAutoencoder(3, 2, hidden=(0,)),
     r"hidden must be a sequence of positive integers.*got \(0,\)"),  # fixed: named "every width", not hidden
    ("activation-unknown", lambda: MLPAutoencoder(3, 2, activation="rellu"),
     rf"unknown activation 'rellu'; use one of {ACTIVATIONS}"),
    ("activation-class", lambda: MLPAutoencoder(3, 2, activation=nn.ReLU),
     r"activation must be the name of an activation, one of relu, .*got <class"),
    ("output-unknown", lambda: MLPAutoencoder(3, 2, output="softmax"),
     rf"unknown activation 'softmax' for output; use one of {ACTIVATIONS}"),
    ("input_shape-string", lambda: MLPAutoencoder("784", 2),
     r"input_shape must be a sequence of positive integers, such as \(1, 28, 28\), got '784'"),
    # fixed: silently input_shape (7, 8, 4)
    ("input_shape-none", lambda: MLPAutoencoder(None, 2),
     r"input_shape must be a sequence of positive integers.*got None"),  # fixed: TypeError not iterable
    ("input_shape-float", lambda: MLPAutoencoder((1, 28.5, 28), 2),
     r"input_shape must be a sequence of positive integers.*got \(1, 28.5, 28\)"),  # fixed: silently 28
    ("input_shape-0", lambda: MLPAutoencoder(0, 2), r"input_shape must be positive sizes, got 0"),
    ("mlp-int", lambda: MLP(3),
     r"widths must be a sequence of positive integers, such as \[784, 128, 2\], got the single number 3"),
    # fixed: TypeError 'int' object is not iterable
    ("mlp-float-width", lambda: MLP([3, 2.5]),
     r"widths must be a sequence of positive integers.*got \[3, 2.5\]"),  # fixed: silently 2 units
    ("mlp-one-width", lambda: MLP([3]), r"an MLP needs at least an input and an output width, got \[3\]"),
    ("encode-one-sample", lambda: AE.encode(torch.zeros(3)),
     r"MLPAutoencoder expects inputs of shape \(batch, 3\), got \(3,\)"),
    ("encode-wrong-width", lambda: AE.encode(torch.zeros(5, 4)),
     r"MLPAutoencoder expects inputs of shape \(batch, 3\), got \(5, 4\)"),
    ("encode-numpy", lambda: AE.encode(np.zeros((5, 3), np.float32)), r"MLPAutoencoder expects a tensor, got ndarray"),
    ("encode-float64", lambda: AE.encode(torch.zeros(5, 3, dtype=torch.float64)),
     r"the input of MLPAutoencoder must be float32, like the models' weights, got torch.float64. Use .float\(\)"),
    # fixed: torch "mat1 and mat2 must have the same dtype"
    ("encode-uint8", lambda: AE.encode(torch.zeros(5, 3, dtype=torch.uint8)),
     r"the input of MLPAutoencoder must be float32.*got torch.uint8. Images of integers 0-255 need .float\(\) / 255"),
    # fixed: torch "mat1 and mat2 must have the same dtype"
    ("forward-wrong-width", lambda: AE(torch.zeros(5, 4)),
     r"MLPAutoencoder expects inputs of shape \(batch, 3\), got \(5, 4\)"),
    ("decode-wrong-width", lambda: AE.decode(torch.zeros(5, 3)),
     r"MLPAutoencoder.decode expects codes of shape \(batch, 2\), got \(5, 3\)"),
    ("decode-1d", lambda: AE.decode(torch.zeros(2)),
     r"MLPAutoencoder.decode expects codes of shape \(batch, 2\), got \(2,\)"),
    ("decode-float64", lambda: AE.decode(torch.zeros(5, 2, dtype=torch.float64)),
     r"the codes given to MLPAutoencoder.decode must be float32.*got torch.float64"),
    # fixed: torch "mat1 and mat2 must have the same dtype"
    ("MLP-activation-unknown", lambda: models.MLP([3, 2], activation="rellu"),
     r"unknown activation 'rellu'; use one of relu"),
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_models(call, match, error):
    _check(call, match, error)
