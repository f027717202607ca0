"""Diagrams drawn by code: the architectures of the course and the idea of
least volume, drawn with matplotlib alone.

Every diagram uses the same colours (``COLOURS``): the encoder in blue, the
code in orange, the decoder in green, data in grey, noise in purple and
losses in red. The shapes in :func:`conv_shapes_diagram` are measured by
running a dummy input through the model's own layers, never typed in.

Used in: chapters 3, 4 and 6.
"""

from __future__ import annotations

import textwrap
from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Polygon, Rectangle
from torch import nn

from .. import checks

COLOURS = {
    "encoder": "#4C72B0",
    "code": "#DD8452",
    "decoder": "#55A868",
    "data": "#7F7F7F",
    "noise": "#8172B3",
    "loss": "#C44E52",
}

_RECON_LABELS = {
    "bce": r"BCE$(\hat{x}, x)$",
    "mse": r"$\|x - \hat{x}\|^2$",
    "l1": r"$\|x - \hat{x}\|_1$",
}


# ----------------------------------------------------------------------------- drawing helpers

def _canvas(ax, figsize, xlim, ylim):
    """A fresh axes (or the given one) with data limits set and no frame."""
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.92)  # a diagram needs no tick room
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_axis_off()
    return ax


def _fill(colour: str, alpha: float = 0.2):
    return to_rgba(colour, alpha)


def _box(ax, centre, width, height, text, colour, *, fontsize=11, dashed=False, fill=True):
    """A rounded box centred at ``centre`` with ``text`` in its middle."""
    x, y = centre
    ax.add_patch(FancyBboxPatch(
        (x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0,rounding_size=0.08",
        facecolor=_fill(colour) if fill else "none", edgecolor=colour, lw=1.5,
        linestyle="--" if dashed else "-",
    ))
    if text:
        ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color="0.1")


def _arrow(ax, start, end, colour="0.25", style="-|>", lw=1.4, dashed=False):
    ax.add_patch(FancyArrowPatch(
        start, end, arrowstyle=style, mutation_scale=14, color=colour, lw=lw,
        linestyle="--" if dashed else "-", shrinkA=0, shrinkB=0,
    ))


def _trapezoid(ax, x0, h0, x1, h1, colour, y=0.0):
    """A trapezoid from height ``h0`` at ``x0`` to ``h1`` at ``x1``, centred on ``y``."""
    ax.add_patch(Polygon(
        [(x0, y - h0 / 2), (x1, y - h1 / 2), (x1, y + h1 / 2), (x0, y + h0 / 2)],
        closed=True, facecolor=_fill(colour), edgecolor=colour, lw=1.5,
    ))


def _check_layers(layers, where: str) -> list[int]:
    """The widths as a list of ints, or one clear ``ValueError`` naming the function."""
    try:
        widths = list(layers)
    except TypeError:
        raise ValueError(f"{where} expects layers as a sequence of widths, got {layers!r}.") from None
    if len(widths) < 2:
        raise ValueError(f"{where} needs at least two layer widths (input and code), got {widths}.")
    if any(isinstance(w, bool) or not isinstance(w, (int, np.integer)) or w <= 0 for w in widths):
        raise ValueError(f"{where} needs every layer width to be a positive integer, got {widths}.")
    return [int(w) for w in widths]


def _arrows_text(widths: Sequence[int]) -> str:
    """``784 → 128 → 64``, broken onto two lines when long."""
    parts = [str(w) for w in widths]
    if len(parts) <= 4:
        return " → ".join(parts)
    half = (len(parts) + 1) // 2
    return " → ".join(parts[:half]) + " →\n" + " → ".join(parts[half:])


# ----------------------------------------------------------------------------- autoencoder

def autoencoder_diagram(layers: Sequence[int] = (784, 128, 64, 2), *, ax=None, title: str | None = None) -> Figure:
    """An autoencoder: encoder, bottleneck (the code z) and the mirrored decoder.

    Each layer is a bar whose height grows with the logarithm of its width,
    labelled with that width; the trapezoids between bars are the encoder
    (narrowing) and the decoder (widening back), as in
    :class:`aelab.models.MLPAutoencoder`.

    Args:
        layers: the encoder's widths, input first and code last, e.g. chapter
            3's ``(784, 128, 64, k)``; the decoder mirrors them. At least two,
            all positive.
        ax: an axes to draw into (default: a new figure about 9 inches wide).
        title: the title (default: the whole chain of widths; ``""`` for none).

    Returns:
        The figure.

    Used in: chapter 3.
    """
    enc = _check_layers(layers, "autoencoder_diagram")
    n = len(enc)
    widths = [*enc, *reversed(enc[:-1])]  # encoder, then the decoder mirroring it
    m = len(widths)
    pitch, bar = 1.5, 0.34
    xs = np.arange(m) * pitch
    top = np.log(max(widths)) or 1.0
    heights = [0.6 + 2.4 * np.log(w) / top for w in widths]
    hmax = max(heights)
    ax = _canvas(ax, (min(10.0, max(8.0, 1.25 * m + 1.0)), 3.8),
                 (-1.0, xs[-1] + 1.0), (-hmax / 2 - 1.45, hmax / 2 + 0.55))

    for i in range(m - 1):  # the layers' connections, drawn first so the bars sit on top
        part = "encoder" if i < n - 1 else "decoder"
        _trapezoid(ax, xs[i] + bar / 2, heights[i], xs[i + 1] - bar / 2, heights[i + 1], COLOURS[part])
    for i, (x, w, h) in enumerate(zip(xs, widths, heights)):
        part = "data" if i in (0, m - 1) else "code" if i == n - 1 else "encoder" if i < n - 1 else "decoder"
        ax.add_patch(Rectangle((x - bar / 2, -h / 2), bar, h, facecolor=COLOURS[part], edgecolor="0.2", lw=1))
        ax.text(x, h / 2 + 0.12, str(w), ha="center", va="bottom", fontsize=11)

    below = -hmax / 2 - 0.2
    for i, label in ((0, r"input $x$"), (n - 1, r"code $z$"), (m - 1, r"reconstruction $\hat{x}$")):
        ax.text(xs[i], below, label, ha="center", va="top", fontsize=11)
    bracket = below - 0.65
    for part, (a, b) in (("encoder", (xs[0], xs[n - 1] - 0.35)), ("decoder", (xs[n - 1] + 0.35, xs[-1]))):
        ax.plot([a, a, b, b], [bracket + 0.12, bracket, bracket, bracket + 0.12], color=COLOURS[part], lw=1.5)
        ax.text((a + b) / 2, bracket - 0.1, part, ha="center", va="top", fontsize=11,
                color=COLOURS[part], fontweight="bold")
    if title is None:
        title = "Autoencoder: " + " → ".join(map(str, widths))
    if title:
        ax.set_title(title, fontsize=12)
    return ax.figure


# ----------------------------------------------------------------------------- VAE

def vae_diagram(layers: Sequence[int] = (784, 128, 64, 2), *, recon: str = "bce", ax=None,
                title: str | None = None) -> Figure:
    """A variational autoencoder: the encoder's two heads, the reparameterization
    and the two terms of the loss where they attach.

    The encoder gives ``mu`` and ``log sigma^2``; the code is drawn as
    ``z = mu + sigma * eps`` with the noise ``eps ~ N(0, I)`` as a separate
    input, as in :meth:`aelab.models.VAE.reparameterize`. The reconstruction
    term compares x with x̂; the KL term pulls the encoder's Gaussian towards
    ``N(0, I)`` (:func:`aelab.losses.vae_loss`).

    Args:
        layers: the encoder's widths, input first and latent size last, e.g.
            ``(784, 128, 64, 2)``; the decoder mirrors them.
        recon: the reconstruction loss written in its box, one of
            ``"bce"``, ``"mse"``, ``"l1"`` (the ``kind`` of :func:`aelab.losses.reconstruction`).
        ax: an axes to draw into (default: a new figure 10 inches wide).
        title: the title (default: the loss; ``""`` for none).

    Returns:
        The figure.

    Used in: chapter 4.
    """
    widths = _check_layers(layers, "vae_diagram")
    if recon not in _RECON_LABELS:
        raise ValueError(f"recon must be one of {', '.join(_RECON_LABELS)}, got {recon!r}.")
    k = widths[-1]
    ax = _canvas(ax, (10, 4.2), (0.0, 12.6), (0.3, 5.05))
    mid = 2.5

    # data, encoder and decoder
    for x, label in ((0.5, r"$x$"), (11.9, r"$\hat{x}$")):
        ax.add_patch(Rectangle((x - 0.15, mid - 1.3), 0.3, 2.6, facecolor=COLOURS["data"], edgecolor="0.2", lw=1))
        ax.text(x, mid - 1.45, label, ha="center", va="top", fontsize=13)
    _arrow(ax, (0.65, mid), (1.0, mid))
    _trapezoid(ax, 1.0, 2.6, 3.4, 1.2, COLOURS["encoder"], y=mid)
    ax.text(2.2, mid + 0.2, "encoder", ha="center", va="bottom", fontsize=11, color=COLOURS["encoder"], fontweight="bold")
    ax.text(2.2, mid + 0.05, _arrows_text(widths[:-1]), ha="center", va="top", fontsize=9)
    _trapezoid(ax, 9.0, 1.2, 11.4, 2.6, COLOURS["decoder"], y=mid)
    ax.text(10.2, mid + 0.2, "decoder", ha="center", va="bottom", fontsize=11, color=COLOURS["decoder"], fontweight="bold")
    ax.text(10.2, mid + 0.05, _arrows_text(widths[::-1]), ha="center", va="top", fontsize=9)
    _arrow(ax, (11.4, mid), (11.75, mid))

    # the two heads, the Gaussian q(z|x) they describe, and the sampling node
    heads = {"mu": (4.7, mid + 0.65), "logvar": (4.7, mid - 0.65)}
    _box(ax, heads["mu"], 1.6, 0.6, rf"$\mu \in \mathbb{{R}}^{{{k}}}$", COLOURS["code"])
    _box(ax, heads["logvar"], 1.6, 0.6, rf"$\log\sigma^2 \in \mathbb{{R}}^{{{k}}}$", COLOURS["code"])
    _box(ax, (4.7, mid), 2.0, 2.2, "", COLOURS["code"], dashed=True, fill=False)
    ax.text(4.7, mid + 1.18, r"$q(z \mid x)$", ha="center", va="bottom", fontsize=10, color=COLOURS["code"])
    for (hx, hy) in heads.values():
        _arrow(ax, (3.4, mid + (hy - mid) * 0.45), (hx - 0.8, hy))
    sample = (7.3, mid)
    _box(ax, sample, 2.3, 1.2, "", COLOURS["code"])
    ax.text(7.3, mid + 0.18, r"$z = \mu + \sigma \odot \varepsilon$", ha="center", va="center", fontsize=12)
    ax.text(7.3, mid - 0.3, r"$\sigma = \exp(\frac{1}{2}\log\sigma^2)$", ha="center", va="center", fontsize=9.5)
    ax.text(7.3, mid + 0.68, "reparameterization", ha="center", va="bottom", fontsize=10, color=COLOURS["code"])
    for (hx, hy) in heads.values():
        _arrow(ax, (hx + 0.8, hy), (6.15, mid + (hy - mid) * 0.45))
    _box(ax, (7.3, 0.75), 1.9, 0.6, r"$\varepsilon \sim \mathcal{N}(0, I)$", COLOURS["noise"])
    ax.text(8.35, 0.75, "noise", ha="left", va="center", fontsize=9, color=COLOURS["noise"])
    _arrow(ax, (7.3, 1.05), (7.3, mid - 0.6), colour=COLOURS["noise"])
    _arrow(ax, (8.45, mid), (9.0, mid))
    ax.text(8.72, mid + 0.1, r"$z$", ha="center", va="bottom", fontsize=12)

    # the two loss terms, attached where they are computed
    y_loss = 4.6
    _box(ax, (6.2, y_loss), 3.8, 0.55, "reconstruction  " + _RECON_LABELS[recon], COLOURS["loss"], fontsize=11)
    ax.plot([0.5, 0.5, 4.3], [mid + 1.3, y_loss, y_loss], color=COLOURS["loss"], lw=1.4, ls="--")
    ax.plot([11.9, 11.9, 8.1], [mid + 1.3, y_loss, y_loss], color=COLOURS["loss"], lw=1.4, ls="--")
    _box(ax, (4.5, 0.75), 2.9, 0.6, r"KL$(q(z \mid x)\,\|\,\mathcal{N}(0, I))$", COLOURS["loss"], fontsize=10.5)
    ax.plot([4.7, 4.7], [mid - 1.1, 1.05], color=COLOURS["loss"], lw=1.4, ls="--")
    if title is None:
        title = r"Variational autoencoder: loss = reconstruction + $\beta$ · KL"
    if title:
        ax.set_title(title, fontsize=12)
    return ax.figure


# ----------------------------------------------------------------------------- conv shapes

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

    Used in: chapter 3.
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
        from ..models import ConvAutoencoder

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


# ----------------------------------------------------------------------------- least volume

def _box_edges(ax, centre, half, colour):
    """The twelve edges of the axis-aligned box ``centre ± half`` on a 3-D axes."""
    signs = np.array([[i, j, k] for i in (-1, 1) for j in (-1, 1) for k in (-1, 1)])
    corners = signs * half + centre
    for a in range(8):
        for b in range(a + 1, 8):
            if np.sum(signs[a] != signs[b]) == 1:  # neighbours differ in one coordinate
                ax.plot(*zip(corners[a], corners[b]), color=colour, lw=1.2)


def least_volume_diagram(*, eta: float = 0.01, n: int = 400, seed: int = 0, title: str | None = None) -> Figure:
    """The idea of least volume: the penalty shrinks the box the codes fill.

    Two clouds of 3-D codes drawn from a seeded ``numpy`` generator, each
    inside its box of ± one standard deviation per dimension: before, every
    dimension spreads; after, the third has collapsed and the cloud is flat.
    Each panel gives the spreads and the penalty computed by
    :func:`aelab.losses.volume_penalty`, ``(prod_i (sigma_i + eta)) ** (1/d)``.
    A third panel says why the decoder is kept 1-Lipschitz (spectral norm).

    Args:
        eta: the penalty's ``eta`` (positive), as in :func:`aelab.losses.volume_penalty`.
        n: number of codes in each cloud (at least 2).
        seed: seeds the generator of the clouds.
        title: the figure's title (default: the formula; ``""`` for none).

    Returns:
        The figure (three panels).

    Used in: chapter 6.
    """
    from ..losses import volume_penalty

    if isinstance(eta, bool) or not isinstance(eta, (int, float)) or not eta > 0:
        raise ValueError(f"eta must be a positive number, got {eta!r}.")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer of at least 2 (a spread needs two codes), got {n!r}.")
    rng = np.random.default_rng(checks.non_negative_int("seed", seed))
    base = rng.standard_normal((int(n), 3))
    clouds = {
        "without the penalty": base * np.array([1.0, 0.7, 0.5]),
        "with the penalty: $z_3$ collapses": base * np.array([1.0, 0.7, 0.03]),
    }
    fig = plt.figure(figsize=(10, 4.6))
    grid = fig.add_gridspec(1, 3, width_ratios=[1, 1, 1.1], left=0.02, right=0.99, bottom=0.13, top=0.83,
                            wspace=0.02)
    for i, (name, z) in enumerate(clouds.items()):
        ax = fig.add_subplot(grid[0, i], projection="3d")
        sigma = z.std(axis=0, ddof=1)  # unbiased, as torch.std in volume_penalty
        penalty = float(volume_penalty(torch.as_tensor(z), eta=eta))
        ax.scatter(*z.T, s=3, color=COLOURS["code"], alpha=0.6, depthshade=False)
        _box_edges(ax, z.mean(axis=0), sigma, COLOURS["encoder"])
        for set_lim in (ax.set_xlim, ax.set_ylim, ax.set_zlim):
            set_lim(-2.5, 2.5)
        ax.set_box_aspect((1, 1, 1), zoom=0.95)
        ax.view_init(elev=18, azim=-58)
        for axis, label in ((ax.xaxis, "$z_1$"), (ax.yaxis, "$z_2$"), (ax.zaxis, "$z_3$")):
            axis.set_ticklabels([])
            axis.set_label_text(label)
            axis.labelpad = -12
        ax.text2D(0.5, 0.98, name, transform=ax.transAxes, ha="center", va="top", fontsize=11)
        spreads = ", ".join(f"{s:.2f}" for s in sigma)
        ax.text2D(0.5, -0.03, rf"$\sigma$ = ({spreads}), box $\pm\sigma_i$" + f"\npenalty = {penalty:.2f}",
                  transform=ax.transAxes, ha="center", va="top", fontsize=10)

    note = fig.add_subplot(grid[0, 2])
    note.set_xlim(0, 3.3)
    note.set_ylim(0, 4)
    note.set_axis_off()
    note.text(1.65, 3.92, "why the decoder is kept Lipschitz", ha="center", va="top", fontsize=11)
    _box(note, (0.35, 3.0), 0.5, 0.5, "$z$", COLOURS["code"], fontsize=12)
    _arrow(note, (0.6, 3.0), (0.95, 3.0))
    _box(note, (1.65, 3.0), 1.4, 0.75, "decoder $g$\nspectral norm", COLOURS["decoder"], fontsize=10)
    _arrow(note, (2.35, 3.0), (2.7, 3.0))
    _box(note, (2.95, 3.0), 0.5, 0.5, r"$\hat{x}$", COLOURS["data"], fontsize=12)
    note.text(0.1, 2.35, "Each layer has spectral norm at most 1,\nso the decoder is 1-Lipschitz:",
              ha="left", va="top", fontsize=10, linespacing=1.35)
    note.text(1.65, 1.6, r"$\|g(z) - g(z')\| \leq \|z - z'\|$", ha="center", va="center", fontsize=11)
    words = ("Shrinking a code's scale cannot be undone by the decoder stretching it back: "
             "a dimension the data needs keeps its spread, only the unneeded ones collapse.")
    note.text(0.1, 1.25, textwrap.fill(words, 40), ha="left", va="top", fontsize=10, linespacing=1.35)
    if title is None:
        title = (r"Least volume: the penalty $\left(\prod_{i=1}^{d}\,(\sigma_i + \eta)\right)^{1/d}$"
                 rf" shrinks the box the codes fill ($\eta$ = {eta:g})")
    if title:
        fig.suptitle(title, fontsize=12, y=0.98)
    return fig
