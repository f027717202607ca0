"""Diagrams of the fully connected models: the autoencoder with its
bottleneck, and the variational autoencoder with its two heads, the
reparameterization and the two terms of its loss.

Used in: chapters 3 and 4.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ... import _arg_checks
from ._draw import COLOURS, _arrow, _box, _canvas, _trapezoid

__all__ = ["autoencoder_diagram", "vae_diagram"]


_RECON_LABELS = {
    "bce": r"BCE$(\hat{x}, x)$",
    "mse": r"$\|x - \hat{x}\|^2$",
    "l1": r"$\|x - \hat{x}\|_1$",
}


def _check_layers(layers, where: str) -> list[int]:
    """The widths as a list of ints, or one clear ``ValueError`` naming the function."""
    try:
        widths = list(layers)
    except TypeError:
        raise ValueError(f"{where} expects layers as a sequence of widths, got {layers!r}.") from None
    if len(widths) < 2:
        raise ValueError(f"{where} needs at least two layer widths (input and code), got {widths}.")
    if any(not _arg_checks.is_int(w) or w <= 0 for w in widths):
        raise ValueError(f"{where} needs every layer width to be a positive integer, got {widths}.")
    return [int(w) for w in widths]


def _arrows_text(widths: Sequence[int]) -> str:
    """``784 → 128 → 64``, broken onto two lines when long."""
    parts = [str(w) for w in widths]
    if len(parts) <= 4:
        return " → ".join(parts)
    half = (len(parts) + 1) // 2
    return " → ".join(parts[:half]) + " →\n" + " → ".join(parts[half:])


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
    ax.text(2.2, mid + 0.2, "encoder", ha="center", va="bottom", fontsize=11, color=COLOURS["encoder"],
            fontweight="bold")
    ax.text(2.2, mid + 0.05, _arrows_text(widths[:-1]), ha="center", va="top", fontsize=9)
    _trapezoid(ax, 9.0, 1.2, 11.4, 2.6, COLOURS["decoder"], y=mid)
    ax.text(10.2, mid + 0.2, "decoder", ha="center", va="bottom", fontsize=11, color=COLOURS["decoder"],
            fontweight="bold")
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
