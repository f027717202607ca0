"""Interactive explorers of a latent space, and static figures of the same views.

Two widgets, built with ipywidgets alone (no ipympl, no extension: they work
in Jupyter and in Colab), each drawing with matplotlib into PNG bytes:

- :func:`code_explorer`: two sliders move a point over a 2-D latent space;
  the scatter of the data's codes shows where it is, the image beside it is
  what the decoder makes of it.
- :func:`latent_sliders`: one slider per latent dimension, starting at the
  code of a chosen input.

Their callbacks are plain functions, :func:`decode_point` and
:func:`traverse_one`, tested like any other. A rendered page has no kernel
behind it, so each widget has a static stand-in showing the same view at a
few points: :func:`explorer_snapshot` and :func:`sliders_snapshot`.

ipywidgets is imported inside the widget functions only, so ``import aelab``
neither needs it nor waits for it (it comes with the ``book`` extra).

Used in: chapters 3, 4 (code_explorer) and 5 (latent_sliders).
"""

from __future__ import annotations

import io
from typing import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch

from . import checks
from .plots.images import _images, traversal_grid
from .plots.latents import latent_scatter
from .plots.maps import _codes_2d, code_grid, decode_codes
from .runtime import to_numpy

Decoder = Callable[[torch.Tensor], torch.Tensor]


# --- the callbacks: plain functions from a code to an image ------------------

def _latent_dim(decode) -> int | None:
    """The decoder's code size when it is a model's method (``model.decode``), else ``None``."""
    return getattr(getattr(decode, "__self__", None), "latent_dim", None)


def _code(decode, z, name: str = "z") -> np.ndarray:
    """One code as a (D,) float array, or one clear ``ValueError``."""
    a = to_numpy(z).astype(np.float64)
    if a.ndim == 2 and len(a) == 1:  # model.encode(x[:1]) gives (1, D)
        a = a[0]
    expected = _latent_dim(decode)
    if a.ndim != 1 or len(a) == 0 or (expected is not None and len(a) != expected):
        want = f"({expected},)" if expected is not None else "(latent_dim,)"
        raise ValueError(f"{name} must be one code of shape {want}, got {to_numpy(z).shape}.")
    if not np.isfinite(a).all():
        raise ValueError(f"{name} must hold finite numbers, got {a.tolist()}.")
    return a


def _image(decoded: np.ndarray) -> np.ndarray:
    return _images(decoded)[0]  # (1, 1, H, W), (1, H, W) or (1, H*W) -> (H, W)


def decode_point(decode: Decoder, z, *, device=None) -> np.ndarray:
    """The image the decoder makes of one code.

    Args:
        decode: maps a (M, D) float32 tensor of codes to images, e.g. ``model.decode``.
        z: one code, (D,) or (1, D), a tensor, an array or a list.
        device: where the code goes (default: the decoder's parameters' device).

    Returns:
        The image, (H, W) (or (H, W, 3) in colour), in the decoder's own pixel
        values (e.g. [0, 1] after a sigmoid).

    Used in: chapters 3-5 (behind the explorers).
    """
    return _image(decode_codes(decode, _code(decode, z)[None], device=device))


def traverse_one(decode: Decoder, z, dim: int, value: float, *, device=None) -> np.ndarray:
    """The image of code ``z`` with dimension ``dim`` set to ``value``, the others kept.

    Args:
        decode: maps a (M, D) float32 tensor of codes to images.
        z: one code, (D,) or (1, D).
        dim: the dimension to set, ``0 <= dim < D``.
        value: its new value.
        device: where the code goes (default: the decoder's parameters' device).

    Returns:
        The image, (H, W), as :func:`decode_point` gives it.

    Used in: chapter 5 (behind latent_sliders).
    """
    z = _code(decode, z).copy()
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or not 0 <= dim < len(z):
        raise ValueError(f"dim must be an index of the code, 0 to {len(z) - 1}, got {dim!r}.")
    z[int(dim)] = checks.number("value", value)
    return decode_point(decode, z, device=device)


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


def _show(ax, image: np.ndarray, value_range, title: str) -> None:
    vmin, vmax = value_range if value_range is not None else (None, None)
    ax.imshow(image, cmap="gray", vmin=vmin, vmax=vmax)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)


def _subsample(z: np.ndarray, labels, n_points: int | None, seed: int):
    if n_points is not None:
        n_points = checks.positive_int("n_points", n_points)
    if n_points is None or n_points >= len(z):
        return z, labels
    index = np.sort(np.random.default_rng(seed).choice(len(z), size=n_points, replace=False))
    return z[index], None if labels is None else labels[index]


def _labels(labels, n: int):
    if labels is None:
        return None
    return to_numpy(checks.one_per("labels", labels, n, "codes"))


# --- the widgets ---------------------------------------------------------------

def code_explorer(decode: Decoder, codes, labels=None, *, start=None, value_range=(0.0, 1.0),
                  n_points: int | None = 2000, seed: int = 0, margin: float = 0.05,
                  quantiles: tuple[float, float] = (0.01, 0.99), device=None):
    """Move a point over a 2-D latent space with two sliders and see what it decodes to.

    The sliders span the region the codes occupy (as :func:`aelab.plots.code_grid`
    finds it); the picture shows the codes' scatter with a cross at the point,
    and the decoded image beside it. The picture is PNG bytes in an
    ``ipywidgets.Image``, so no extension is needed.

    Args:
        decode: maps a (M, 2) float32 tensor of codes to images, e.g. ``model.decode``.
        codes: (N, 2) codes of the data.
        labels: optional (N,) integer labels colouring the scatter.
        start: the first point, (2,) (default: the codes' median).
        value_range: the decoded pixels' colour range (``(-1, 1)`` for tanh).
        n_points: codes scattered, a seeded random subset (drawing speed only).
        seed: seeds that subset.
        margin, quantiles: the sliders' range, as in :func:`aelab.plots.code_grid`.
        device: where codes go for ``decode`` (default: the decoder's parameters').

    Returns:
        An ``ipywidgets.HBox``. Its ``sliders`` are the x and y sliders, its
        ``image`` the picture, and ``update()`` redraws it at the sliders' values.

    Used in: chapters 3 and 4.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    z = _codes_2d(codes, "code_explorer")
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


def _slider_ranges(z0: np.ndarray, ranges, width: float) -> np.ndarray:
    """(D, 2) slider ends: ``z0 +- width`` by default; given ranges are widened to include ``z0``."""
    if ranges is None:
        return np.stack([z0 - width, z0 + width], axis=1)
    r = to_numpy(ranges).astype(np.float64)
    if r.shape != (len(z0), 2) or not np.isfinite(r).all() or not (r[:, 1] > r[:, 0]).all():
        raise ValueError(f"ranges must be ({len(z0)}, 2) finite (low, high) pairs with low < high, "
                         f"one per dimension, e.g. from aelab.metrics.traversal_ranges(codes); got shape {r.shape}.")
    return np.stack([np.minimum(r[:, 0], z0), np.maximum(r[:, 1], z0)], axis=1)


def _names(names, d: int) -> list[str]:
    if names is None:
        return [f"z{i + 1}" for i in range(d)]
    names = [str(n) for n in names]
    if len(names) != d:
        raise ValueError(f"names needs one name per latent dimension, {d}, got {len(names)}.")
    return names


def latent_sliders(decode: Decoder, z0, ranges=None, names: Sequence[str] | None = None, *,
                   width: float = 3.0, value_range=(0.0, 1.0), device=None):
    """One slider per latent dimension, starting at the code of a chosen input.

    Args:
        decode: maps a (M, D) float32 tensor of codes to images, e.g. ``model.decode``.
        z0: the starting code, (D,) or (1, D), e.g. ``model.encode(x[:1])``.
        ranges: (D, 2) slider ends, e.g. from :func:`aelab.metrics.traversal_ranges`
            (each widened to include ``z0``); default ``z0 +- width``.
        names: the sliders' labels (default ``z1 .. zD``).
        width: half-width of the default ranges, > 0.
        value_range: the decoded pixels' colour range.
        device: where codes go for ``decode`` (default: the decoder's parameters').

    Returns:
        An ``ipywidgets.HBox``. Its ``sliders`` are the D sliders, its ``image``
        the decoded image, and ``update()`` redraws it at the sliders' values;
        a button sets every slider back to ``z0``.

    Used in: chapter 5.
    """
    import ipywidgets as widgets

    z0 = _code(decode, z0, "z0")
    width = checks.positive("width", width)
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


# --- static stand-ins for a page without a kernel --------------------------------

def explorer_snapshot(decode: Decoder, codes, labels=None, points=None, names: Sequence[str] | None = None, *,
                      value_range=(0.0, 1.0), n_points: int | None = 2000, seed: int = 0,
                      title: str | None = None, device=None):
    """The view of :func:`code_explorer` at a few points, as one static figure.

    Above, the codes' scatter with the points marked; below, the image
    decoded at each point, under the same name.

    Args:
        decode: maps a (M, 2) float32 tensor of codes to images.
        codes: (N, 2) codes of the data.
        labels: optional (N,) integer labels.
        points: (M, 2) points to show, 1 <= M <= 12. Default: with labels,
            the median code of each label (up to 10), named by its label;
            without, 6 points on the diagonal between the codes' 10% and 90%
            quantiles.
        names: M names of the points (default: A, B, ...; the labels for the
            default points of labelled codes).
        value_range: the decoded pixels' colour range.
        n_points: codes scattered, a seeded random subset.
        seed: seeds that subset.
        title: the figure's title.
        device: where codes go for ``decode``.

    Returns:
        The figure.

    Used in: no chapter yet: the chapters show their decoded grids as the stand-in.
    """
    from matplotlib import patheffects

    z = _codes_2d(codes, "explorer_snapshot")
    labels = _labels(labels, len(z))
    titles = None  # the images' titles, the names unless the default points say more
    if points is None and labels is not None:
        kinds = np.unique(labels)[:10]
        points = np.stack([np.median(z[labels == k], axis=0) for k in kinds])
        if names is None:
            names, titles = [str(k) for k in kinds], [f"median {k}" for k in kinds]
    elif points is None:
        lo, hi = np.quantile(z, [0.1, 0.9], axis=0)
        points = lo + np.linspace(0, 1, 6)[:, None] * (hi - lo)
    points = to_numpy(points).astype(np.float64)
    if points.ndim != 2 or points.shape[1] != 2 or not 1 <= len(points) <= 12:
        raise ValueError(f"points must be (M, 2) with 1 <= M <= 12, got shape {points.shape}.")
    names = [chr(ord("A") + i) for i in range(len(points))] if names is None else [str(n) for n in names]
    if len(names) != len(points):
        raise ValueError(f"got {len(points)} points but {len(names)} names.")
    titles = titles or names
    images = decode_codes(decode, points, device=device)  # (M, ...)
    m = len(points)
    fig = plt.figure(figsize=(max(6.0, 1.05 * m + 1.2), 5.8))
    grid = fig.add_gridspec(2, m, height_ratios=(4, 1.1))
    ax = fig.add_subplot(grid[0, :])
    shown, shown_labels = _subsample(z, labels, n_points, seed)
    latent_scatter(shown, shown_labels, ax=ax, s=3, legend=False)
    if labels is not None:
        ax.legend(markerscale=3, fontsize=8, title="label", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.scatter(points[:, 0], points[:, 1], s=90, marker="X", color="black", edgecolor="white", zorder=5)
    outline = [patheffects.withStroke(linewidth=3, foreground="white")]
    for (x, y), name in zip(points, names):
        ax.annotate(name, (x, y), xytext=(5, 5), textcoords="offset points", fontsize=10,
                    fontweight="bold", zorder=6, path_effects=outline)
    for i, (image, name) in enumerate(zip(_images(images), titles)):
        _show(fig.add_subplot(grid[1, i]), image, value_range, name)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def sliders_snapshot(decode: Decoder, z0, ranges=None, names: Sequence[str] | None = None, *,
                     steps: int = 7, dims=None, width: float = 3.0, value_range=(0.0, 1.0),
                     title: str | None = None, device=None):
    """The view of :func:`latent_sliders` as one static figure: each slider at a few values.

    Row r moves slider ``dims[r]`` across its range, the others kept at ``z0``.

    Args:
        decode: maps a (M, D) float32 tensor of codes to images.
        z0: the starting code, (D,) or (1, D).
        ranges, names, width: as in :func:`latent_sliders`.
        steps: values per slider, both ends included, >= 2.
        dims: which dimensions to show (default: all).
        value_range: the decoded pixels' colour range.
        title: the figure's title.
        device: where codes go for ``decode``.

    Returns:
        The axes (see :func:`aelab.plots.traversal_grid`).

    Used in: no chapter yet: chapter 5 shows its traversal grids as the stand-in.
    """
    z0 = _code(decode, z0, "z0")
    ends = _slider_ranges(z0, ranges, checks.positive("width", width))
    names = _names(names, len(z0))
    steps = checks.positive_int("steps", steps)
    if steps < 2:
        raise ValueError(f"steps must be at least 2 (the two ends), got {steps}.")
    index = np.arange(len(z0)) if dims is None else to_numpy(dims)
    if (index.ndim != 1 or len(index) == 0 or not np.issubdtype(index.dtype, np.integer)
            or not ((0 <= index) & (index < len(z0))).all()):
        raise ValueError(f"dims must be indices of the code, a list of integers 0 to {len(z0) - 1} "
                         f"such as [0, 1], got {dims!r}.")
    dims = [int(d) for d in index]
    values = np.stack([np.linspace(*ends[d], steps) for d in dims])  # (rows, steps)
    codes = np.repeat(z0[None, None], len(dims), 0).repeat(steps, 1)  # (rows, steps, D)
    for r, d in enumerate(dims):
        codes[r, :, d] = values[r]
    images = decode_codes(decode, codes.reshape(-1, len(z0)), device=device)
    images = _images(images)
    images = images.reshape(len(dims), steps, *images.shape[1:])  # (rows, steps, H, W)
    offsets = values - z0[dims][:, None]
    shared = np.allclose(offsets, offsets[:1])
    row_labels = [names[d] if shared else f"{names[d]}: {ends[d, 0]:.2g} to {ends[d, 1]:.2g}" for d in dims]
    col_labels = [f"{o:+.2g}" if abs(o) > 1e-9 else "0" for o in offsets[0]] if shared else None
    lo, hi = value_range if value_range is not None else (None, None)
    ax = traversal_grid(images, row_labels=row_labels, col_labels=col_labels, title=title, vmin=lo, vmax=hi)
    if shared:
        ax.set_xlabel("change from the input's code")
    return ax
