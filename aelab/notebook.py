"""Small helpers for the chapter notebooks themselves.

Used in: every chapter.
"""

from __future__ import annotations

__all__ = ["glue"]


def glue(name: str, value, display: bool = False) -> None:
    """Record ``value`` under ``name`` for the book's prose (myst-nb's ``glue``).

    The book refers to it as ``{glue:text}`name:.2f```, so every number the
    text states comes from the run. Where myst-nb is not installed (a fresh
    Colab runtime), nothing is recorded and the cell still runs; with
    ``display=True`` the value is shown instead.

    Used in: every chapter.
    """
    try:
        from myst_nb import glue as _glue
    except ImportError:
        if display:
            print(f"{name} = {value}")
        return
    _glue(name, value, display=display)
