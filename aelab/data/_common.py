"""What every data module shares: the containers of a data set, seeded generators, the target device,
and the pieces of a bounded torchvision download (the data folder, a reachability probe, a forced source)."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

import torch

from .. import _arg_checks, runtime

DOWNLOAD_SECONDS = 4.0  # a whole torchvision attempt, name resolution included


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


def generator(seed) -> torch.Generator:
    """A CPU generator seeded with ``seed``: the same numbers on every device."""
    return torch.Generator().manual_seed(_arg_checks.non_negative_int("seed", seed))


def target(dev) -> torch.device:
    """The device a data set is put on (default: :func:`aelab.runtime.device`)."""
    return runtime.device() if dev is None else _arg_checks.valid_device("device", dev)


def images(x: torch.Tensor, dev: torch.device) -> torch.Tensor:
    """uint8 images (n, 28, 28), 0-255 -> float32 (n, 1, 28, 28) in [0, 1] on ``dev``."""
    return (x.to(dev).float() / 255.0).unsqueeze(1)


def choose_source(kind: str, env: str, source: str, sources: tuple[str, ...]) -> str:
    """``source``, checked against ``sources``; when it is ``"auto"``, the one ``$env`` forces, if any."""
    _arg_checks.one_of(f"{kind} source", source, sources)
    forced = os.environ.get(env, "").strip().lower()
    if source != "auto" or not forced:
        return source
    if forced not in sources:
        raise ValueError(f"{env}={forced!r} names no {kind} source; use one of {', '.join(sources)}.")
    return forced


def data_root(root) -> Path:
    """The folder for torchvision's files: ``root``, else ``$AELAB_DATA``, else ``~/.cache/aelab``."""
    if root is not None:
        return Path(root).expanduser()
    return Path(os.environ.get("AELAB_DATA", Path.home() / ".cache" / "aelab")).expanduser()


def read_torchvision(dataset: str, root: Path, download: bool) -> list[torch.Tensor]:
    """torchvision's ``datasets.<dataset>`` train and test sets: uint8 images (n, 28, 28) and int64 labels."""
    import torchvision  # imported here: only this path needs it

    parts = []
    with contextlib.redirect_stdout(open(os.devnull, "w")):  # torchvision prints each download
        for train in (True, False):
            ds = getattr(torchvision.datasets, dataset)(str(root), train=train, download=download)
            parts += [ds.data, ds.targets]
    return parts


def reachable(url: str, seconds: float) -> bool:
    """Whether ``url``'s host answers a connection within ``seconds``, name resolution included.

    A socket timeout does not cover name resolution, and a network that drops
    packets would be waited on once per mirror; so the probe runs in a thread
    that is waited for at most ``seconds`` and then abandoned. A refusal (no
    network, no such host) ends the wait at once.
    """
    parsed = urlparse(url)
    port = parsed.port or (80 if parsed.scheme == "http" else 443)
    done, answered = threading.Event(), threading.Event()

    def probe():
        with contextlib.suppress(OSError):
            socket.create_connection((parsed.hostname, port), timeout=seconds).close()
            answered.set()
        done.set()

    threading.Thread(target=probe, daemon=True).start()
    done.wait(seconds)
    return answered.is_set()


def torchvision_files(read: Callable[[bool], list], mirror: str, seconds: float) -> list:
    """``read(download=False)``: the files on disk; else, if ``mirror`` answers within ``seconds``, a download."""
    try:
        return read(False)
    except Exception:  # not on disk (or damaged)
        pass
    if not reachable(mirror, seconds):
        raise RuntimeError(f"{urlparse(mirror).hostname} did not answer within {seconds:.0f} s")
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)  # a connection that stalls mid-download fails, not hangs
    try:
        return read(True)
    finally:
        socket.setdefaulttimeout(old)
