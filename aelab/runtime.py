"""Where the code runs and how much work it does.

The device is chosen here, once, and every other module asks for it. The
profile (``AELAB_QUICK=1`` for the quick one) scales budgets such as epochs and
sample counts, so the same code path runs in seconds under test and in
minutes for a reader.

Used in: every chapter.
"""

from __future__ import annotations

import functools
import os
import random

import numpy as np
import torch

from . import _arg_checks

__all__ = [
    "device", "seed", "seed_everything", "quick", "profile", "budget", "describe",
    "to_numpy", "code_version",
]


_DEVICE_CHOICES = ("cuda", "mps", "cpu")


@functools.lru_cache(maxsize=None)
def device() -> torch.device:
    """The device every chapter uses: CUDA, then Apple's MPS, then the CPU.

    ``AELAB_DEVICE=cpu`` (or ``cuda``, ``mps``) forces one. Probed on the first
    call, not at import, and cached; returns a ``torch.device``.

    Used in: chapters 1-6.
    """
    forced = os.environ.get("AELAB_DEVICE", "").strip().lower()
    if forced:
        if forced not in _DEVICE_CHOICES:
            raise ValueError(
                f"AELAB_DEVICE={forced!r} is not a device; use one of {', '.join(_DEVICE_CHOICES)}."
            )
        available = {"cpu": True, "cuda": torch.cuda.is_available(),
                     "mps": getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()}
        if not available[forced]:
            raise RuntimeError(f"AELAB_DEVICE={forced} asks for a device this machine does not have; "
                               f"unset it to use the best one here.")
        return torch.device(forced)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def _seed_offset() -> int:
    """The shift ``AELAB_SEED`` adds to every seed a chapter uses (0 when unset).

    Running a chapter with ``AELAB_SEED=3`` re-runs every experiment from other
    random starts: the robustness check of the book's claims does that.

    Used in: every chapter, through :func:`seed`, :func:`seed_everything` and :func:`describe`.
    """
    raw = os.environ.get("AELAB_SEED", "").strip()
    if not raw:
        return 0
    try:
        offset = int(raw)
    except ValueError:
        offset = -1
    if offset < 0:
        raise ValueError(f"AELAB_SEED={raw!r} is not a seed offset; use a non-negative integer such as 3.")
    return offset


def seed(n: int) -> int:
    """The seed a chapter writes as ``n`` (a non-negative integer), plus ``AELAB_SEED`` (0 when unset).

    Used in: chapters 1-6.
    """
    return _arg_checks.non_negative_int("seed", n) + _seed_offset()


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and torch (all devices) with ``seed`` plus ``AELAB_SEED``.

    A chapter writes ``seed_everything(0)``; with ``AELAB_SEED=3`` that seeds 3,
    so one variable re-runs a whole chapter from other random starts.

    Used in: every chapter.
    """
    shifted = _arg_checks.non_negative_int("seed", seed) + _seed_offset()
    random.seed(shifted)
    np.random.seed(shifted)
    torch.manual_seed(shifted)  # seeds CUDA and MPS generators as well


def quick() -> bool:
    """True in the quick profile (``AELAB_QUICK=1``), which the test command sets.

    Used in: every chapter, through :func:`budget` and :func:`profile`.
    """
    value = os.environ.get("AELAB_QUICK", "").strip().lower()
    if value in {"", "0", "false", "no", "off"}:
        return False
    if value in {"1", "true", "yes", "on"}:
        return True
    raise ValueError(f"AELAB_QUICK={value!r} is not a switch; use AELAB_QUICK=1 for the quick profile, "
                     f"or leave it unset for the full one.")


def profile() -> str:
    """The profile's name: ``"quick"`` or ``"full"``.

    Used in: chapter 3.
    """
    return "quick" if quick() else "full"


def budget(full, quick):
    """Pick the value for the current profile: ``budget(full=20, quick=2)`` is 2 under ``AELAB_QUICK=1``, else 20.

    Used in: every chapter.
    """
    # `quick` is the argument here, so ask profile() which one is running.
    return quick if profile() == "quick" else full


def describe() -> str:
    """One line naming the device, the profile, the threads and the seed offset, printed at the top of a chapter.

    Used in: every chapter.
    """
    dev = device()
    name = torch.cuda.get_device_name(dev) if dev.type == "cuda" else dev.type
    threads = torch.get_num_threads()
    return (f"device: {name} | profile: {profile()} | {threads} CPU thread{'s' if threads != 1 else ''}"
            f" | seed offset: {_seed_offset()} | torch {torch.__version__}")


def to_numpy(a) -> np.ndarray:
    """A tensor (any device, with or without grad) or array-like as a NumPy array."""
    if torch.is_tensor(a):
        return a.detach().cpu().numpy()
    return np.asarray(a)


def code_version(package=None) -> str:
    """12 hex digits naming aelab's code: any change of code changes it; docstrings, comments and layout do not.

    The reader's notebooks compare it with the code the book's numbers came from;
    the robustness records count a run only for the code it ran.

    Used in: the reader's notebooks (their set-up cell).
    """
    import ast
    import hashlib
    from pathlib import Path

    root = Path(__file__).parent if package is None else Path(package)
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py"), key=lambda p: p.relative_to(root).as_posix()):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):  # docstrings are prose: they do not count
            body = getattr(node, "body", None)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body \
                    and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:]
        digest.update(f"{path.relative_to(root).as_posix()}\n{ast.dump(tree)}\n".encode())
    return digest.hexdigest()[:12]
