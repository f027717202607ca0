import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from aelab import plots  # noqa: E402
from aelab.models import ConvAutoencoder, MLPAutoencoder  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(fig) -> list[str]:
    """Every string drawn on the figure: figure texts, axes texts and titles."""
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts] + [ax.get_title()]
    return out


def test_autoencoder_diagram_labels_every_width():
    fig = plots.autoencoder_diagram((784, 128, 64, 3))
    assert isinstance(fig, matplotlib.figure.Figure)
    texts = _texts(fig)
    for width in ("784", "128", "64", "3"):
        assert width in texts
    assert texts.count("128") == 2  # the decoder mirrors the encoder
    assert any("$x$" in t for t in texts) and any(r"\hat{x}" in t for t in texts)
    assert {"encoder", "decoder"} <= set(texts)
    _, ax = plt.subplots()
    assert plots.autoencoder_diagram((5, 2), ax=ax) is ax.figure


@pytest.mark.parametrize("layers", [(784,), (784, 0, 2), (784, -3), (784, 2.5), "ab"])
def test_autoencoder_diagram_bad_layers(layers):
    with pytest.raises(ValueError, match="autoencoder_diagram needs"):
        plots.autoencoder_diagram(layers)


def test_vae_diagram_labels_heads_noise_and_losses():
    fig = plots.vae_diagram((784, 128, 64, 5), recon="mse")
    text = "\n".join(_texts(fig))
    for piece in (r"\mu", r"\log\sigma^2", r"\varepsilon \sim \mathcal{N}(0, I)",
                  r"z = \mu + \sigma \odot \varepsilon", "KL", "reconstruction", r"\|x - \hat{x}\|^2",
                  "784 → 128 → 64", "5 → 64 → 128 → 784", "R}^{5}"):
        assert piece in text
    with pytest.raises(ValueError, match="recon must be one of"):
        plots.vae_diagram(recon="cross-entropy")
    with pytest.raises(ValueError, match="vae_diagram needs"):
        plots.vae_diagram((784,))


def _forward_shapes(model, x):
    """(name, shape) of every leaf module's output during the model's real forward pass."""
    seen = []
    hooks = [m.register_forward_hook(lambda m, i, o, name=name: seen.append((name, tuple(o.shape[1:]))))
             for name, m in model.named_modules() if not list(m.children())]
    model.eval()
    with torch.no_grad():
        out = model(x)
    for h in hooks:
        h.remove()
    return seen, out


@pytest.mark.parametrize("latent_dim", [2, 10])
def test_conv_shapes_match_the_real_forward(latent_dim):
    model = ConvAutoencoder(latent_dim)
    model.train()
    shapes = plots.conv_shapes(model)
    assert model.training  # left as it was
    x = torch.rand(3, 1, 28, 28)
    seen, out = _forward_shapes(model, x)
    forward = dict(seen)
    assert shapes[0] == ("input", (1, 28, 28))
    for name, shape in shapes[1:]:
        assert forward[name] == shape, name
    names = [n for n, _ in shapes[1:]]
    assert names == [n for n, _ in seen if n in names]  # the same order as the forward
    # every layer that changes the shape is in the list
    previous = (1, 28, 28)
    for name, shape in seen:
        if shape != previous:
            assert name in names, name
        previous = shape
    assert shapes[-1][1] == tuple(out.shape[1:]) == (1, 28, 28)
    code = [s for n, s in shapes if n.startswith("encoder")][-1]
    assert code == (latent_dim,) == tuple(model.encode(x).shape[1:])


def test_conv_shapes_diagram_draws_the_measured_shapes():
    model = ConvAutoencoder(4, channels=(4, 8, 12), batch_norm=False)
    fig = plots.conv_shapes_diagram(model)
    text = "\n".join(_texts(fig))
    for piece in ("1×28×28", "4×14×14", "8×7×7", "12×3×3", "108", "Conv2d", "ConvTranspose2d",
                  "stride 2", "Linear", "Flatten", "code $z$"):
        assert piece in text
    assert "4" in _texts(fig)  # the code's size, a label of its own
    assert "ConvAutoencoder" in text
    assert isinstance(plots.conv_shapes_diagram(), matplotlib.figure.Figure)  # the default model


def test_conv_shapes_bad_model():
    with pytest.raises(ValueError, match="nn.Sequential encoder and decoder"):
        plots.conv_shapes(nn.Linear(2, 2))
    # an MLP autoencoder has no nn.Sequential encoder (it is an MLP module)
    with pytest.raises(ValueError, match="conv_shapes_diagram expects"):
        plots.conv_shapes_diagram(MLPAutoencoder(4, 2))


def test_least_volume_diagram_reports_the_books_penalty():
    from aelab.losses import volume_penalty

    fig = plots.least_volume_diagram(eta=0.05, n=50, seed=3)
    text = "\n".join(_texts(fig))
    assert r"\prod_{i=1}^{d}" in text and r"\eta" in text and "0.05" in text
    assert "Lipschitz" in text and "spectral norm" in text
    assert text.count("penalty = ") == 2
    again = "\n".join(_texts(plots.least_volume_diagram(eta=0.05, n=50, seed=3)))
    assert again == text  # seeded: the same clouds and numbers
    lines = text.splitlines()
    values = [float(line.split("= ")[1]) for line in lines if line.startswith("penalty = ")]
    assert values[1] < values[0]  # the flat cloud has the smaller volume
    # each printed penalty is the book's formula on the printed spreads
    spreads = [line.split("(")[1].split(")")[0] for line in lines if line.startswith(r"$\sigma$ = (")]
    for spread, value in zip(spreads, values):
        sigma = torch.tensor([float(s) for s in spread.split(", ")])
        assert value == pytest.approx(float(torch.prod(sigma + 0.05) ** (1 / 3)), abs=0.01)
    # and the formula is volume_penalty's: codes with spreads (1, 0) give ((1 + eta) * eta) ** (1/2)
    z = torch.tensor([[-1.0, 0.0], [1.0, 0.0]]) / 2 ** 0.5
    assert float(volume_penalty(z, eta=0.05)) == pytest.approx((1.05 * 0.05) ** 0.5)


@pytest.mark.parametrize("kwargs, match", [(dict(eta=0), "eta must be a positive number"), (dict(n=1), "at least 2")])
def test_least_volume_diagram_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.least_volume_diagram(**kwargs)
