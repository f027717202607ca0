import pytest
import torch
from torch import nn

from aelab import models


def test_mlp_builds_distinct_layers_from_widths():
    net = models.MLP([1, 8, 8, 2], activation="tanh")
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    assert [(l.in_features, l.out_features) for l in linears] == [(1, 8), (8, 8), (8, 2)]
    # every layer owns its weights: the material's list-repeat bug shares one Linear
    assert len({id(l.weight) for l in linears}) == 3
    assert sum(isinstance(m, nn.Tanh) for m in net.modules()) == 2  # none after the output
    assert net(torch.zeros(5, 1)).shape == (5, 2)


def test_mlp_output_activation():
    net = models.MLP([3, 4, 3], output_activation="sigmoid")
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
