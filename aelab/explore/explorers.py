"""The two widgets, built with ipywidgets alone (no ipympl, no extension:
they work in Jupyter and in Colab), each drawing with matplotlib into PNG
bytes: :func:`code_explorer` over a 2-D latent space, :func:`latent_sliders`
one slider per latent dimension.

ipywidgets is imported inside the widget functions only, so importing this
module neither needs it nor waits for it (it comes with the ``book`` extra).

Used in: chapters 3, 4 (code_explorer) and 5 (latent_sliders).
"""

from __future__ import annotations

import io
from typing import Sequence

import numpy as np

from .. import _arg_checks, _array_checks
from ..plots.grids import code_grid
from ..plots.latents import latent_scatter
from ._views import _labels, _names, _show, _slider_ranges, _subsample
from ._callbacks import Decoder, _code, _latent_dim, decode_point

__all__ = ["code_explorer", "latent_sliders"]


# --- drawing into PNG bytes (no pyplot, so no figure leaks into the notebook) ----

def _png_image(image: np.ndarray, value_range, pixels: int = 224) -> bytes:
    """One image as PNG bytes, enlarged by whole pixels (nearest neighbour) to about ``pixels`` wide."""
    import matplotlib.image

    scale = max(1, pixels // max(image.shape[:2]))
    big = np.repeat(np.repeat(image, scale, axis=0), scale, axis=1)
    lo, hi = value_range if value_range is not None else (float(big.min()), float(big.max()))
    if big.ndim == 3:  # colour: imsave takes RGB in [0, 1]
        big = np.clip((big - lo) / ((hi - lo) or 1.0), 0.0, 1.0)
    buffer = io.BytesIO()
    matplotlib.image.imsave(buffer, big, cmap="gray", vmin=lo, vmax=hi, format="png")
    return buffer.getvalue()


def _png_figure(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    return buffer.getvalue()


def _widgets():
    """ipywidgets, made ready to draw: in Colab its widget manager is switched on first."""
    import sys

    try:
        import ipywidgets
    except ImportError:  # a dependency of aelab: only a hand-made environment lacks it
        raise ImportError("the explorers need ipywidgets: pip install ipywidgets") from None
    if "google.colab" in sys.modules:  # Colab draws ipywidgets 8 only through its custom widget manager
        from google.colab import output
        output.enable_custom_widget_manager()
    return ipywidgets


def code_explorer(decode: Decoder, codes, labels=None, *, start=None, value_range=(0.0, 1.0),
                  n_points: int | None = 2000, seed: int = 0, margin: float = 0.05,
                  quantiles: tuple[float, float] = (0.01, 0.99), device=None):
    """Move a point over a 2-D latent space with two sliders and see what it decodes to.

    ``decode`` (e.g. ``model.decode``) maps (M, 2) codes to images; the sliders
    span the region the ``codes`` (N, 2) occupy (``margin``, ``quantiles`` as in
    :func:`aelab.plots.code_grid`), starting at ``start`` (default: the median).
    Returns an ``ipywidgets.HBox`` with ``sliders``, ``image`` and ``update()``.

    Used in: chapters 3 and 4.
    """
    widgets = _widgets()
    from matplotlib.figure import Figure

    z = _array_checks.codes_2d("code_explorer", codes)
    device = None if device is None else _arg_checks.valid_device("device", device)
    if _latent_dim(decode) not in (None, 2):
        raise ValueError(f"code_explorer needs a decoder of 2-D codes, but this one takes "
                         f"{_latent_dim(decode)}; use latent_sliders for larger codes.")
    labels = _labels(labels, len(z))
    _, (xs, ys) = code_grid(z, 2, margin, quantiles)
    point = np.median(z, axis=0) if start is None else _code(None, start, "start")
    if len(point) != 2:
        raise ValueError(f"start must be one 2-D code, shape (2,), got {np.shape(start)}.")
    shown, shown_labels = _subsample(z, labels, n_points, seed)

    def slider(axis, lo, hi, value, **style):
        return widgets.FloatSlider(value=float(np.clip(value, lo, hi)), min=float(lo), max=float(hi),
                                   step=float(hi - lo) / 200, description=axis, readout_format=".2f",
                                   continuous_update=False, **style)

    sx = slider("z1", xs[0], xs[-1], point[0], layout=widgets.Layout(width="560px"))
    sy = slider("z2", ys[0], ys[-1], point[1], orientation="vertical", layout=widgets.Layout(height="300px"))
    image = widgets.Image(format="png")

    def update(change=None) -> None:
        here = np.array([sx.value, sy.value])
        fig = Figure(figsize=(7.6, 3.6), dpi=80)
        left, right = fig.subplots(1, 2, width_ratios=(1.35, 1))
        latent_scatter(shown, shown_labels, ax=left, s=3, legend=False)
        if shown_labels is not None:
            left.legend(markerscale=2.5, fontsize=7, title="label", title_fontsize=7,
                        loc="upper left", bbox_to_anchor=(1.01, 1.0))
        left.scatter(*here, marker="X", s=140, color="black", edgecolor="white", zorder=5)
        left.set_xlim(xs[0], xs[-1])
        left.set_ylim(ys[0], ys[-1])
        _show(right, decode_point(decode, here, device=device), value_range,
              f"decoded at ({here[0]:.2f}, {here[1]:.2f})")
        fig.tight_layout()
        image.value = _png_figure(fig)

    for s in (sx, sy):
        s.observe(update, names="value")
    update()
    box = widgets.HBox([sy, widgets.VBox([image, sx])])
    box.sliders, box.image, box.update = [sx, sy], image, update
    return box


def latent_sliders(decode: Decoder, z0, ranges=None, names: Sequence[str] | None = None, *,
                   width: float = 3.0, value_range=(0.0, 1.0), device=None):
    """One slider per latent dimension, starting at the code of a chosen input.

    ``z0``: the starting code, (D,) or (1, D), e.g. ``model.encode(x[:1])``;
    ``ranges``: (D, 2) slider ends, e.g. from :func:`aelab.metrics.traversal_ranges`
    (default ``z0 +- width``). Returns an ``ipywidgets.HBox`` with ``sliders``,
    ``image``, ``update()`` and a button back to ``z0``.

    Used in: chapter 5.
    """
    widgets = _widgets()

    z0 = _code(decode, z0, "z0")
    width = _arg_checks.positive("width", width)
    device = None if device is None else _arg_checks.valid_device("device", device)
    ends = _slider_ranges(z0, ranges, width)
    names = _names(names, len(z0))
    sliders = [
        widgets.FloatSlider(value=float(v), min=float(lo), max=float(hi), step=float(hi - lo) / 100,
                            description=name, readout_format=".2f", continuous_update=False)
        for v, (lo, hi), name in zip(z0, ends, names)
    ]
    image = widgets.Image(format="png")

    def update(change=None) -> None:
        image.value = _png_image(decode_point(decode, [s.value for s in sliders], device=device), value_range)

    def reset(button=None) -> None:
        for s, v in zip(sliders, z0):
            s.unobserve(update, names="value")
            s.value = float(v)
            s.observe(update, names="value")
        update()

    for s in sliders:
        s.observe(update, names="value")
    button = widgets.Button(description="back to z0")
    button.on_click(reset)
    update()
    box = widgets.HBox([widgets.VBox([*sliders, button]), image])
    box.sliders, box.image, box.update, box.reset = sliders, image, update, reset
    return box
