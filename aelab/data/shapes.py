"""Images of one glyph with five known factors of variation (chapter 5's disentanglement data).

Used in: chapter 5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from .. import _arg_checks, _array_checks, runtime
from ._common import Split, generator, target

__all__ = ["SHAPE_FACTORS", "FactorSplit", "render_shapes", "shapes"]

# The factors of :func:`shapes`, in column order, with the range each is drawn from
# (uniformly and independently). Positions and scale are in canvas units: the
# canvas spans [-1, 1] in both directions. The angle is in radians.
SHAPE_FACTORS = {
    "x": (-0.3, 0.3),
    "y": (-0.3, 0.3),
    "scale": (0.45, 0.8),
    "angle": (-math.pi / 3, math.pi / 3),
    "intensity": (0.4, 1.0),
}


@dataclass(repr=False)
class FactorSplit(Split):
    """A :class:`Split` whose targets are the true factors of each image.

    ``y_*`` are (n, n_factors) float32, one column per name in ``factor_names``.
    """

    factor_names: tuple[str, ...] = ()


def _box_sdf(px: torch.Tensor, py: torch.Tensor, cx: float, cy: float, hx: float, hy: float) -> torch.Tensor:
    # Signed distance to an axis-aligned box: negative inside, positive outside.
    dx, dy = (px - cx).abs() - hx, (py - cy).abs() - hy
    outside = torch.sqrt(dx.clamp(min=0) ** 2 + dy.clamp(min=0) ** 2)
    inside = torch.maximum(dx, dy).clamp(max=0)
    return outside + inside


def render_shapes(factors: torch.Tensor, size: int = 32) -> torch.Tensor:
    """Draw one L-shaped glyph per row of factors: (n, 5) -> (n, 1, size, size) in [0, 1].

    The glyph, a tall bar with a foot to the right, has no symmetry, so
    every angle in the range gives a different image. Its edges are
    anti-aliased (a sigmoid of the signed distance, about one pixel wide), so
    the image changes smoothly with every factor. Drawn on ``factors``'s
    device, all rows at once.

    Args:
        factors: (n, 5) columns ``x, y, scale, angle, intensity`` as in
            :data:`SHAPE_FACTORS` (any values are drawn, not only those ranges).
        size: canvas side in pixels.

    Returns:
        (n, 1, size, size) float32.

    Used in: chapter 5.
    """
    _array_checks.tensor("factors", factors)
    if factors.dim() != 2 or factors.shape[1] != len(SHAPE_FACTORS):
        raise ValueError(
            f"render_shapes expects factors of shape (n, {len(SHAPE_FACTORS)}) with columns "
            f"{', '.join(SHAPE_FACTORS)}, got {tuple(factors.shape)}."
        )
    if not _arg_checks.is_int(size) or size < 8:
        raise ValueError(f"size must be an integer of at least 8 pixels, got {size!r}.")
    f = factors.float()
    x, y, scale, angle, intensity = (f[:, i].view(-1, 1, 1) for i in range(5))  # (n, 1, 1) each
    size = int(size)
    pixel = 2.0 / size
    coords = torch.linspace(-1 + pixel / 2, 1 - pixel / 2, size, device=f.device)  # pixel centres
    gy, gx = torch.meshgrid(-coords, coords, indexing="ij")  # (size, size); y points up
    # From canvas to the glyph's own frame: undo the shift, the rotation, the scale.
    dx, dy = gx - x, gy - y  # (n, size, size)
    cos, sin = torch.cos(angle), torch.sin(angle)
    u, v = (cos * dx + sin * dy) / scale, (-sin * dx + cos * dy) / scale
    bar = _box_sdf(u, v, -0.2, 0.05, 0.17, 0.55)  # the tall stroke, left of the centre
    foot = _box_sdf(u, v, 0.1, -0.33, 0.3, 0.17)  # the shorter stroke at its bottom
    distance = torch.minimum(bar, foot) * scale  # back to canvas units
    ink = torch.sigmoid(-distance / (0.5 * pixel))
    return (intensity * ink).unsqueeze(1)  # (n, 1, size, size)


def shapes(
    n_train: int = 4000,
    n_test: int = 1000,
    *,
    size: int = 32,
    seed: int | None = None,
    device=None,
) -> FactorSplit:
    """Images of one glyph with five known, continuous factors of variation.

    Each image shows the glyph of :func:`render_shapes` at a random position
    ``x, y``, size ``scale``, rotation ``angle`` and brightness
    ``intensity``, each drawn uniformly and independently from its range in
    :data:`SHAPE_FACTORS`. The rotation stays within a sixth of a turn either
    way (60 degrees), so the angle never wraps around (a full turn would need it as a sine
    and a cosine). The factors come with the images, which is what a
    disentanglement metric needs. Generated on the device from a seed, no
    download.

    Args:
        n_train, n_test: images in each part.
        size: canvas side in pixels.
        seed: seeds the factors; the same seed gives the same images on every device
            (default ``runtime.seed(0)``, which ``AELAB_SEED`` shifts).
        device: where the tensors live (default: :func:`aelab.runtime.device`).

    Returns:
        A :class:`FactorSplit`: ``x_*`` (n, 1, size, size) float32 in [0, 1],
        ``y_*`` (n, 5) float32 factors, ``factor_names`` their names.

    Used in: chapter 5.
    """
    _arg_checks.positive_int("n_train", n_train)
    _arg_checks.positive_int("n_test", n_test)
    g = generator(runtime.seed(0) if seed is None else seed)
    low = torch.tensor([lo for lo, _ in SHAPE_FACTORS.values()])
    high = torch.tensor([hi for _, hi in SHAPE_FACTORS.values()])
    factors = low + (high - low) * torch.rand(n_train + n_test, len(SHAPE_FACTORS), generator=g)
    dev = target(device)
    factors = factors.to(dev)
    images = render_shapes(factors, size)
    return FactorSplit(
        images[:n_train], factors[:n_train], images[n_train:], factors[n_train:],
        source="generated", factor_names=tuple(SHAPE_FACTORS),
    )
