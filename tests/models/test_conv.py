"""aelab.models.conv: the convolutional autoencoder of chapter 3, as the source has it."""

import pytest
import torch
from torch import nn

from aelab import models, train
from aelab.models import ConvAutoencoder
from tests.mistakes import _cases, _check


def material_reference(latent_dim: int = 10) -> tuple[nn.Sequential, nn.Sequential]:
    """The source's encoder and decoder (chapter 3, 000), written out layer by layer."""
    encoder = nn.Sequential(
        nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.ReLU(True),
        nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(True),
        nn.Conv2d(16, 32, 3, stride=2, padding=0), nn.ReLU(True),
        nn.Flatten(start_dim=1),
        nn.Linear(3 * 3 * 32, 128), nn.ReLU(True), nn.Linear(128, latent_dim),
    )
    decoder = nn.Sequential(
        nn.Linear(latent_dim, 128), nn.ReLU(True), nn.Linear(128, 3 * 3 * 32), nn.ReLU(True),
        nn.Unflatten(dim=1, unflattened_size=(32, 3, 3)),
        nn.ConvTranspose2d(32, 16, 3, stride=2, output_padding=0), nn.BatchNorm2d(16), nn.ReLU(True),
        nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1), nn.BatchNorm2d(8), nn.ReLU(True),
        nn.ConvTranspose2d(8, 1, 3, stride=2, padding=1, output_padding=1),
    )
    return encoder, decoder


def test_matches_the_material_architecture_exactly():
    ours = models.ConvAutoencoder()
    ref_enc, ref_dec = material_reference()
    ref = nn.ModuleDict(dict(encoder=ref_enc, decoder=ref_dec))
    assert sum(p.numel() for p in ours.parameters()) == sum(p.numel() for p in ref.parameters())
    # same layers in the same order: copy our weights and buffers across, compare outputs
    with torch.no_grad():
        for a, b in zip(ref.state_dict().values(), ours.state_dict().values()):
            assert a.shape == b.shape
            a.copy_(b)
    ours.eval(), ref.eval()
    x = torch.rand(5, 1, 28, 28)
    z = ours.encode(x)
    torch.testing.assert_close(z, ref_enc(x))
    # the source applies its sigmoid in Decoder.forward, once
    torch.testing.assert_close(ours.decode(z), torch.sigmoid(ref_dec(z)))


def test_shapes_and_defaults():
    ae = models.ConvAutoencoder()
    assert ae.latent_dim == 10 and ae.input_shape == (1, 28, 28)
    assert ae.config == dict(latent_dim=10, channels=[8, 16, 32], hidden=[128], batch_norm=True)
    x = torch.rand(3, 1, 28, 28)
    z = ae.encode(x)
    assert z.shape == (3, 10)
    assert ae.decode(z).shape == (3, 1, 28, 28)
    assert ae(x).shape == x.shape
    # the feature maps before flattening are 3 x 3, as the source's comments say
    feature_maps = ae.encoder[:-4](x)
    assert feature_maps.shape == (3, 32, 3, 3)
    small = models.ConvAutoencoder(latent_dim=3, channels=(4, 8, 8), hidden=(16,))
    assert small.encode(x).shape == (3, 3) and small(x).shape == x.shape


def test_output_is_one_sigmoid_covering_all_of_0_to_1():
    ae = models.ConvAutoencoder(latent_dim=2).eval()
    out = ae.decode(torch.randn(4, 2) * 1e3)
    assert torch.all((out >= 0) & (out <= 1))
    # a second sigmoid would confine pixels to [0.5, 0.73]; one lets them reach 0 and 1
    last = ae.decoder[-2]
    with torch.no_grad():
        last.bias.fill_(-20.0)
        assert ae.decode(torch.zeros(1, 2)).max() < 1e-3
        last.bias.fill_(20.0)
        assert ae.decode(torch.zeros(1, 2)).min() > 1 - 1e-3


def test_batch_norm_switch():
    def count(m):
        return sum(isinstance(l, nn.BatchNorm2d) for l in m.modules())

    assert count(models.ConvAutoencoder()) == 3
    plain = models.ConvAutoencoder(batch_norm=False)
    assert count(plain) == 0
    assert plain(torch.rand(2, 1, 28, 28)).shape == (2, 1, 28, 28)


@pytest.mark.parametrize("shape", [(4, 1, 32, 32), (4, 784), (4, 28, 28), (4, 3, 28, 28)])
def test_wrong_image_size_is_one_clear_sentence(shape):
    ae = models.ConvAutoencoder()
    expected = r"ConvAutoencoder expects inputs of shape \(batch, 1, 28, 28\), got " + re_shape(shape)
    with pytest.raises(ValueError, match=expected):
        ae(torch.zeros(shape))
    with pytest.raises(ValueError, match=expected):
        ae.encode(torch.zeros(shape))
    # fit refuses it before the first step, with the same sentence
    with pytest.raises(ValueError, match=expected):
        train.fit(ae, torch.zeros(shape), train.reconstruction_objective(), epochs=1, device="cpu")


def re_shape(shape) -> str:
    return r"\(" + ", ".join(map(str, shape)) + r"\)"


def test_bad_arguments_and_codes():
    with pytest.raises(ValueError, match="latent_dim must be a positive integer"):
        models.ConvAutoencoder(latent_dim=0)
    with pytest.raises(ValueError, match="three positive numbers"):
        models.ConvAutoencoder(channels=(8, 16))
    with pytest.raises(ValueError, match="hidden must be a sequence of positive integers"):
        models.ConvAutoencoder(hidden=(0,))
    with pytest.raises(ValueError, match=r"decode expects codes of shape \(batch, 10\), got \(2, 3\)"):
        models.ConvAutoencoder().decode(torch.zeros(2, 3))


def test_a_few_steps_reduce_the_error():
    torch.manual_seed(0)
    x = torch.rand(16, 1, 28, 28) * (torch.rand(16, 1, 1, 1) > 0.5)  # two kinds of image
    ae = models.ConvAutoencoder(latent_dim=4)
    history = train.fit(ae, x, train.reconstruction_objective(), epochs=8, lr=3e-3, batch_size=16,
                        device="cpu", progress=False)
    assert history["train_loss"].iloc[-1] < 0.8 * history["train_loss"].iloc[0]


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("conv-latent_dim-0", lambda: ConvAutoencoder(0), r"latent_dim must be a positive integer, got 0"),
    ("conv-two-channels", lambda: ConvAutoencoder(channels=(8, 16)),
     r"channels must be three positive numbers of feature maps, got \[8, 16\]"),
    ("conv-hidden-int", lambda: ConvAutoencoder(hidden=128),
     r"hidden must be a sequence of positive integers, such as \(128, 64\), got the single number 128; "
     r"for one entry write \(128,\)"),  # as MLPAutoencoder's hidden
    ("conv-hidden-bool", lambda: ConvAutoencoder(hidden=True),
     r"hidden must be a sequence of positive integers"),  # fixed: TypeError from nn.Linear
    ("conv-encode-flat", lambda: ConvAutoencoder().encode(torch.zeros(2, 784)),
     r"ConvAutoencoder expects inputs of shape \(batch, 1, 28, 28\), got \(2, 784\)"),
    ("conv-encode-no-channel", lambda: ConvAutoencoder().encode(torch.zeros(2, 28, 28)),
     r"ConvAutoencoder expects inputs of shape \(batch, 1, 28, 28\), got \(2, 28, 28\)"),
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_models(call, match, error):
    _check(call, match, error)
