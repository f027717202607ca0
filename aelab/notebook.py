"""Small helpers for the chapter notebooks themselves.

Used in: every chapter.
"""

from __future__ import annotations

import numpy as np
import torch

__all__ = ["glue"]


def _plain(value):
    # NumPy 2 writes a scalar as 'np.float64(0.5)', which the book cannot format
    # with ':.2f'; a 0-d tensor is no better. Hand myst-nb plain Python numbers.
    if isinstance(value, np.generic) or (torch.is_tensor(value) and value.numel() == 1):
        return value.item()
    return value


def glue(name: str, value, display: bool = False) -> None:
    """Record ``value`` under ``name`` for the book's prose (myst-nb's ``glue``).

    The book refers to it as ``{glue:text}`name:.2f```, so every number the
    text states comes from the run. Where myst-nb is not installed (a fresh
    Colab runtime), nothing is recorded and the cell still runs; with
    ``display=True`` the value is shown instead.

    Used in: every chapter.
    """
    value = _plain(value)
    try:
        from myst_nb import glue as _glue
    except ImportError:
        if display:
            print(f"{name} = {value}")
        return
    _glue(name, value, display=display)
