"""aelab.plots.diagrams.conv: the shapes through a convolutional autoencoder, measured, and their diagram."""

import matplotlib
import pytest
import torch
from torch import nn

from aelab import plots
from aelab.models import ConvAutoencoder, MLPAutoencoder
from tests.helpers import _texts
from tests.mistakes import AE, _cases, _check


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


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("conv_shapes-mlp", lambda: plots.conv_shapes(AE),
     r"conv_shapes expects an autoencoder with nn.Sequential encoder and decoder.*got MLPAutoencoder"),
    ("conv_shapes-string", lambda: plots.conv_shapes("conv"),
     r"conv_shapes expects an autoencoder with nn.Sequential encoder and decoder.*got str"),
    ("conv_shapes_diagram-class", lambda: plots.conv_shapes_diagram(ConvAutoencoder),
     r"conv_shapes_diagram expects an autoencoder.*such as aelab.models.ConvAutoencoder, got type"),
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_plots_diagrams(call, match, error):
    _check(call, match, error)
