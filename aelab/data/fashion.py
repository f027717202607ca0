"""Fashion-MNIST as tensors: torchvision's files, else Debian's package, else no data and the reason.

Zalando's Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017, arXiv:1708.07747) has
MNIST's format and sizes, 70,000 grey 28-by-28 images in ten classes, 60,000
train / 10,000 test, but shows clothes, which are harder to tell apart than
digits. One choice per call, said in one printed line: torchvision's files
when they are on disk or can be downloaded within a few seconds (as in Colab);
else the files of Debian's ``dataset-fashion-mnist`` package; else nothing but
the reason, so that a chapter skips its section in one line.

Also ``_read_idx``, a reader of the idx files (MNIST's format) Debian installs.

Used in: chapter 3 (a second, full-size image set).
"""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .. import _arg_checks, runtime
from ._common import (DOWNLOAD_SECONDS, Split, choose_source, data_root, generator, images, read_torchvision,
                      target, torchvision_files)

__all__ = [
    "FASHION_CLASSES", "DEBIAN_DIR", "IDX_MAGIC", "Unavailable", "fashion_mnist",
]

_SOURCES = ("auto", "torchvision", "debian")
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")  # label 0 to 9
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")  # where dataset-fashion-mnist installs its files
IDX_MAGIC = {2051: "images", 2049: "labels"}  # bytes 0, 0, 0x08 (unsigned bytes), number of dimensions
_STEMS = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


@dataclass(frozen=True)
class Unavailable:
    """What :func:`fashion_mnist` returns when no source has the data: false in an ``if``, with the reason."""

    reason: str

    def __bool__(self) -> bool:
        return False


def _read_idx(path) -> np.ndarray:
    """An idx file of images or labels, gzipped or plain, as a uint8 array of the shape its header gives.

    The format (LeCun's, for MNIST): a big-endian magic number, 2051 for
    images (3 dimensions) or 2049 for labels (1), then one big-endian 32-bit
    size per dimension, then one byte per pixel or label.

    Args:
        path: the file; gzip is recognised by its first two bytes, not the name.

    Returns:
        uint8 array, (n, rows, cols) for images, (n,) for labels.
    """
    path = Path(path)
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":  # gzip's own magic number
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(f"{path} is a damaged or truncated gzip file ({err}).") from None
    if len(raw) < 4:
        raise ValueError(f"{path} is truncated: {len(raw)} bytes, fewer than an idx header's magic number.")
    magic = int.from_bytes(raw[:4], "big")
    if magic not in IDX_MAGIC:
        raise ValueError(f"{path} is not an idx file of images or labels: its magic number is {magic}, "
                         f"not 2051 or 2049.")
    ndim = magic & 0xFF  # the magic's last byte: 3 for images, 1 for labels
    start = 4 + 4 * ndim
    if len(raw) < start:
        raise ValueError(f"{path} is truncated: {len(raw)} bytes, fewer than its {start}-byte header.")
    shape = struct.unpack(f">{ndim}I", raw[4:start])
    if len(raw) - start != math.prod(shape):
        raise ValueError(f"{path} holds {len(raw) - start:,} bytes of {IDX_MAGIC[magic]} where its header "
                         f"promises {' x '.join(map(str, shape))} = {math.prod(shape):,}; "
                         f"it is truncated or damaged.")
    return np.frombuffer(raw, np.uint8, offset=start).reshape(shape).copy()  # a copy torch may write to


def _read_pair(images_path: Path, labels_path: Path) -> list[torch.Tensor]:
    """One set from its two idx files: uint8 images (n, 28, 28) and int64 labels (n,), checked."""
    x, y = _read_idx(images_path), _read_idx(labels_path)
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise ValueError(f"{images_path} holds an array of shape {x.shape}, not 28 x 28 images.")
    if y.ndim != 1:
        raise ValueError(f"{labels_path} holds an array of shape {y.shape}, not one label per image.")
    if len(x) != len(y):
        raise ValueError(f"{images_path} holds {len(x):,} images but {labels_path} {len(y):,} labels.")
    if len(y) and y.max() >= len(FASHION_CLASSES):
        raise ValueError(f"{labels_path} holds label {y.max()}; Fashion-MNIST's run from 0 to 9.")
    return [torch.from_numpy(x), torch.from_numpy(y).long()]


def _debian_dir() -> Path:
    return Path(os.environ.get("AELAB_FASHION_DIR", DEBIAN_DIR)).expanduser()


def _debian(folder: Path) -> list[torch.Tensor]:
    """The package's four files in ``folder`` (each gzipped or plain): train and test images and labels."""
    paths = []
    for stem in _STEMS:
        found = [folder / name for name in (stem + ".gz", stem) if (folder / name).is_file()]
        if not found:
            raise FileNotFoundError(f"Debian's dataset-fashion-mnist is not installed (no {stem}[.gz] in "
                                    f"{folder}; apt-get install dataset-fashion-mnist)")
        paths.append(found[0])
    return _read_pair(*paths[:2]) + _read_pair(*paths[2:])


def _torchvision(root: Path, seconds: float) -> list[torch.Tensor]:
    """torchvision's files in ``root``; else, if its mirror answers within ``seconds``, a download."""
    import torchvision

    mirror = torchvision.datasets.FashionMNIST.mirrors[0]
    return torchvision_files(lambda download: read_torchvision("FashionMNIST", root, download), mirror, seconds)


def _load(source: str, root: Path) -> list[torch.Tensor]:
    """The four tensors from one source, or an exception whose message says, as a clause, why not."""
    if source == "debian":
        return _debian(_debian_dir())
    try:
        return _torchvision(root, DOWNLOAD_SECONDS)
    except Exception as err:
        raise RuntimeError(f"torchvision's Fashion-MNIST could not be loaded or downloaded into {root} "
                           f"({err})") from None


def _stratified_subset(y: torch.Tensor, n: int | None, seed: int) -> torch.Tensor:
    """Indices of ``n`` rows of ``y``, sorted, each class keeping its share (to one row); seeded.

    Each class gets ``n`` times its share of the rows, rounded down, and the
    rows left over go to the classes with the largest remainders; within a
    class the rows are drawn at random with ``seed``.

    Args:
        y: int64 class labels, (N,).
        n: how many rows to keep; ``None`` or at least N keeps them all.
        seed: the same seed gives the same rows.

    Returns:
        int64 indices into ``y``, (min(n, N),), in increasing order.
    """
    if n is None or n >= len(y):
        return torch.arange(len(y))
    counts = torch.bincount(y)
    exact = n * counts.double() / len(y)
    quota = exact.floor().long()
    leftover = n - int(quota.sum())
    quota[torch.argsort(exact - quota, descending=True, stable=True)[:leftover]] += 1
    order = torch.randperm(len(y), generator=generator(seed))  # a random order; each class's first rows are kept
    kept = [order[y[order] == c][:k] for c, k in enumerate(quota.tolist())]
    return torch.cat(kept).sort().values


def fashion_mnist(
    source: str = "auto",
    *,
    root=None,
    n_train: int | None = None,
    n_test: int | None = None,
    seed: int | None = None,
    device=None,
    verbose: bool = True,
) -> Split | Unavailable:
    """Fashion-MNIST as tensors: (n, 1, 28, 28) float32 in [0, 1], and int64 labels 0-9.

    With ``source="auto"``: torchvision's files when in ``root`` or downloadable
    within 4 seconds (as in Colab); else Debian's ``dataset-fashion-mnist`` files;
    else an :class:`Unavailable`, false in an ``if``, holding the reason.
    ``n_train``, ``n_test`` keep a stratified subset seeded by ``seed``. Returns a
    :class:`Split` (class names: ``FASHION_CLASSES[label]``).

    Used in: chapter 3.
    """
    source = choose_source("Fashion-MNIST", "AELAB_FASHION", source, _SOURCES)
    for name, limit in (("n_train", n_train), ("n_test", n_test)):
        if limit is not None:
            _arg_checks.positive_int(name, limit)
    seed = runtime.seed(0) if seed is None else _arg_checks.non_negative_int("seed", seed)
    root = data_root(root)
    parts, reasons = None, []
    for name in ("torchvision", "debian") if source == "auto" else (source,):
        try:
            parts = _load(name, root)
            break
        except Exception as err:  # missing, unreachable or damaged: say why, try the next source
            why = str(err).rstrip(".")
            if source != "auto":
                raise RuntimeError(f"Fashion-MNIST from source {name!r} is unavailable: {why}.") from None
            reasons.append(why)
    if parts is None:
        missing = Unavailable(" and ".join(reasons))
        if verbose:
            print(f"Fashion-MNIST source: none, so the sections that use it are skipped ({missing.reason}).")
        return missing

    train = _stratified_subset(parts[1], n_train, seed)
    test = _stratified_subset(parts[3], n_test, seed + 1)
    dev = target(device)
    split = Split(images(parts[0][train], dev), parts[1][train].to(dev),
                  images(parts[2][test], dev), parts[3][test].to(dev), source=name)
    if verbose:
        label = "torchvision's Fashion-MNIST" if name == "torchvision" else f"Debian's files in {_debian_dir()}"
        print(f"Fashion-MNIST source: {label}, {len(train):,} train / {len(test):,} test images")
    return split
