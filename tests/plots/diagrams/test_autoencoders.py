"""aelab.plots.diagrams.autoencoders: the MLP autoencoder's and the VAE's diagrams."""

import matplotlib
import matplotlib.pyplot as plt
import pytest

from aelab import plots
from tests.helpers import _texts
from tests.mistakes import _cases, _check


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


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("autoencoder-one-layer", lambda: plots.autoencoder_diagram((784,)),
     r"autoencoder_diagram needs at least two layer widths \(input and code\), got \[784\]"),
    ("autoencoder-int", lambda: plots.autoencoder_diagram(784),
     r"autoencoder_diagram expects layers as a sequence of widths, got 784"),
    ("autoencoder-zero", lambda: plots.autoencoder_diagram((784, 0)),
     r"autoencoder_diagram needs every layer width to be a positive integer, got \[784, 0\]"),
    ("autoencoder-float", lambda: plots.autoencoder_diagram((784, 2.5)),
     r"autoencoder_diagram needs every layer width to be a positive integer, got \[784, 2.5\]"),
    ("vae-recon", lambda: plots.vae_diagram(recon="bce2"), r"recon must be one of bce, mse, l1, got 'bce2'"),
    ("vae-one-layer", lambda: plots.vae_diagram(layers=(784,)),
     r"vae_diagram needs at least two layer widths \(input and code\), got \[784\]"),
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_plots_diagrams(call, match, error):
    _check(call, match, error)
