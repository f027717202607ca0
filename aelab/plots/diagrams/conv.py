"""The shapes through a convolutional autoencoder, measured and drawn.

The shapes in :func:`conv_shapes_diagram` are measured by running a dummy
input through the model's own layers (:func:`conv_shapes`), never typed in.

Used in: chapter 3.
"""

from __future__ import annotations

import numpy as np
import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from torch import nn

from ._draw import COLOURS, _arrow, _canvas, _fill

__all__ = ["conv_shapes", "conv_shapes_diagram"]


def _elementwise(layer: nn.Module) -> bool:
    """True for layers that keep the shape (activations, normalization, dropout)."""
    return (type(layer).__module__ == "torch.nn.modules.activation"
            or isinstance(layer, (nn.modules.batchnorm._NormBase, nn.Dropout, nn.Identity)))


def _conv_stages(model: nn.Module, where: str) -> list[dict]:
    """Run one dummy input through ``model.encoder`` then ``model.decoder``, layer by layer.

    Returns one dict per shape-changing layer (the input first): its part
    (``"input"``, ``"encoder"``, ``"decoder"``), qualified name, module, the
    per-sample output shape, and the names of the elementwise layers after it.
    """
    encoder, decoder = getattr(model, "encoder", None), getattr(model, "decoder", None)
    shape = getattr(model, "input_shape", None)
    if not isinstance(encoder, nn.Sequential) or not isinstance(decoder, nn.Sequential) or shape is None:
        raise ValueError(f"{where} expects an autoencoder with nn.Sequential encoder and decoder and an "
                         f"input_shape, such as aelab.models.ConvAutoencoder, got {type(model).__name__}.")
    param = next(model.parameters(), None)
    x = torch.zeros(1, *shape, device=param.device if param is not None else "cpu",
                    dtype=param.dtype if param is not None else torch.float32)
    stages = [dict(part="input", name="input", module=None, shape=tuple(shape), after=[])]
    was_training = model.training
    model.eval()  # BatchNorm must neither update its running statistics nor need a batch
    try:
        with torch.no_grad():
            for part, seq in (("encoder", encoder), ("decoder", decoder)):
                for name, layer in seq.named_children():
                    x = layer(x)  # (1, *shape of this stage)
                    if _elementwise(layer):
                        stages[-1]["after"].append(type(layer).__name__)
                    else:
                        stages.append(dict(part=part, name=f"{part}.{name}", module=layer,
                                           shape=tuple(x.shape[1:]), after=[]))
    finally:
        model.train(was_training)
    return stages


def conv_shapes(model: nn.Module) -> list[tuple[str, tuple[int, ...]]]:
    """The shape of one sample after each shape-changing layer of an autoencoder.

    A dummy input of ``model.input_shape`` runs through ``model.encoder`` and
    then ``model.decoder``, one layer at a time (in eval mode, without
    gradients; the model is left as it was). Activations and normalization
    layers keep the shape and are skipped.

    Args:
        model: an autoencoder whose ``encoder`` and ``decoder`` are
            ``nn.Sequential``, such as :class:`aelab.models.ConvAutoencoder`.

    Returns:
        ``[("input", (1, 28, 28)), ("encoder.0", (8, 14, 14)), ...]``: each
        layer's name in ``model.named_modules()`` and its output shape without
        the batch dimension; the last encoder entry is the code, ``(latent_dim,)``.

    Used in: the tests; chapter 3 draws the shapes through :func:`conv_shapes_diagram`.
    """
    return [(s["name"], s["shape"]) for s in _conv_stages(model, "conv_shapes")]


def _kind(stage: dict) -> str:
    """What made a stage, in two or three short lines: ``Conv2d\\n3×3, stride 2\\n+ BN, ReLU``."""
    layer = stage["module"]
    if layer is None:
        return "input"
    if isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d)):
        kernel = "×".join(map(str, layer.kernel_size))
        text = f"{type(layer).__name__}\n{kernel}, stride {layer.stride[0]}"
    else:
        text = type(layer).__name__
    after = [{"BatchNorm1d": "BN", "BatchNorm2d": "BN"}.get(a, a) for a in stage["after"]]
    return text + ("\n+ " + ", ".join(after) if after else "")


def conv_shapes_diagram(model: nn.Module | None = None, *, ax=None, title: str | None = None) -> Figure:
    """The tensor shapes through a convolutional autoencoder, one block per stage.

    The encoder runs left to right along the top, the code sits at the turn,
    and the decoder runs back along the bottom, so each decoder stage lies
    under the encoder stage it mirrors. Each block is labelled with its shape
    (C×H×W, or the width of a vector) and the layer that produced it; the
    shapes come from :func:`conv_shapes`, i.e. from the model itself.

    Args:
        model: the autoencoder (default: a fresh :class:`aelab.models.ConvAutoencoder`,
            chapter 3's architecture with ``latent_dim=10``).
        ax: an axes to draw into (default: a new figure 10 inches wide).
        title: the title (default: names the model and its code size; ``""`` for none).

    Returns:
        The figure.

    Used in: chapter 3.
    """
    if model is None:
        from ...models import ConvAutoencoder

        model = ConvAutoencoder()
    stages = _conv_stages(model, "conv_shapes_diagram")
    top = [s for s in stages if s["part"] != "decoder"]
    code, top = top[-1], top[:-1]
    bottom = [s for s in stages if s["part"] == "decoder"]
    ncols = max(len(top), len(bottom))
    pitch, row = 1.5, 1.8
    xcode = ncols * pitch
    ax = _canvas(ax, (10, 5.2), (-0.85, xcode + 0.6), (-row - 1.75, row + 1.2))

    spatial = [s["shape"][-2] for s in stages if len(s["shape"]) == 3]
    hmax = max(spatial, default=1)
    vmax = np.log(max([s["shape"][0] for s in stages if len(s["shape"]) == 1] + [2]))

    def block(stage, x, y):
        """Draw one stage centred at (x, y); returns its half width."""
        shape = stage["shape"]
        colour = COLOURS["data" if stage["part"] == "input" or stage is stages[-1] else stage["part"]]
        if stage is code:
            colour = COLOURS["code"]
        if len(shape) == 3:  # feature maps: height by H, width by the number of channels
            c, h = shape[0], shape[-2]
            height, width = 0.35 + 1.05 * h / hmax, 0.18 + 0.1 * np.log2(max(c, 1))
            for d in (0.12, 0.06) if c > 1 else ():  # a stack behind: several channels
                ax.add_patch(Rectangle((x - width / 2 + d, y - height / 2 + d), width, height,
                                       facecolor=_fill(colour, 0.35), edgecolor=colour, lw=0.8))
        else:  # a vector: a thin bar, height by the log of its width
            height, width = 0.35 + 1.05 * np.log(max(np.prod(shape), 1)) / vmax, 0.16
        ax.add_patch(Rectangle((x - width / 2, y - height / 2), width, height,
                               facecolor=colour, edgecolor="0.2", lw=1))
        ax.text(x, y + 0.88, "×".join(map(str, shape)), ha="center", va="bottom", fontsize=10.5)
        kind = _kind(stage) + ("\ncode $z$" if stage is code else "")
        ax.text(x, y - 0.88, kind, ha="center", va="top", fontsize=9, color="0.15", linespacing=1.15)
        return width / 2 + (0.12 if len(shape) == 3 and shape[0] > 1 else 0)

    half_top = [block(s, i * pitch, row) for i, s in enumerate(top)]
    half_code = block(code, xcode, 0.0)
    cols_bottom = [ncols - 1 - j for j in range(len(bottom))]
    half_bottom = [block(s, c * pitch, -row) for s, c in zip(bottom, cols_bottom)]
    for i in range(len(top) - 1):
        _arrow(ax, (i * pitch + half_top[i] + 0.05, row), ((i + 1) * pitch - half_top[i + 1] - 0.05, row))
    _arrow(ax, ((len(top) - 1) * pitch + half_top[-1] + 0.05, row - 0.1), (xcode - half_code - 0.05, 0.35))
    if bottom:
        _arrow(ax, (xcode - half_code - 0.05, -0.35), (cols_bottom[0] * pitch + half_bottom[0] + 0.05, -row + 0.1))
    for j in range(len(bottom) - 1):
        a, b = cols_bottom[j] * pitch, cols_bottom[j + 1] * pitch
        _arrow(ax, (a - half_bottom[j] - 0.05, -row), (b + half_bottom[j + 1] + 0.05, -row))
    for part, y in (("encoder", row), ("decoder", -row)):
        ax.text(-0.65, y, part, rotation=90, ha="center", va="center", fontsize=11,
                color=COLOURS[part], fontweight="bold")
    if title is None:
        title = f"{type(model).__name__}: shapes of one image, code of size {code['shape'][0]}"
    if title:
        ax.set_title(title, fontsize=12)
    return ax.figure
