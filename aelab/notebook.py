"""Glued numbers: every number a chapter's prose states comes from the run.

A chapter glues a value under a name (``glue("test_mse", mse)``) and its prose
quotes it as ``{glue:text}`test_mse:.3f```. While the book is being built
(``AELAB_BOOK=1``, which ``python3 tasks.py book`` sets) the value goes to
myst-nb, which writes it into the page. Anywhere else (a reader's notebook, Colab,
JupyterLab) it is printed beside the value the book's own run glued, so a reader
sees at once where their run differs from the book's.

Used in: every chapter.
"""

from __future__ import annotations

import ast
import json
import math
import os
from pathlib import Path

import numpy as np
import torch

__all__ = ["glue"]

_CHAPTER = {"name": None}  # the chapter this kernel runs: the last aelab.claims.Claims made names it


def _plain(value):
    # NumPy 2 writes a scalar as 'np.float64(0.5)', which the book cannot format
    # with ':.2f'; a 0-d tensor is no better. Hand myst-nb plain Python numbers.
    if isinstance(value, np.generic) or (torch.is_tensor(value) and value.numel() == 1):
        return value.item()
    return value


def _format(value) -> str:
    # a number as the reader's line and the claims table show it: 3 significant digits
    value = _plain(value)
    if isinstance(value, bool) or isinstance(value, (int, np.integer)) or isinstance(value, str):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        return f"{value:.3g}"
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_format(v) for v in np.asarray(value).ravel().tolist()) + "]"
    return str(value)


def _building_book() -> bool:
    # AELAB_BOOK=1: the book's build runs this kernel, and myst-nb takes the glued values
    flag = os.environ.get("AELAB_BOOK", "").strip()
    if flag not in {"", "0", "1"}:
        raise ValueError(f"AELAB_BOOK={flag!r} is not a setting; use 1 while the book is built, else leave it unset.")
    return flag == "1"


def _book_values() -> dict:
    try:
        return json.loads((Path(__file__).parent / "book_values.json").read_text())
    except OSError:
        return {}


def _book_value(name: str, chapter: str | None = None):
    """The value the book's own run glued under ``name`` (its text), or None where it has none.

    Read from ``aelab/book_values.json``, written from the book's build by
    ``python3 tasks.py reader``; ``chapter`` defaults to the one whose
    :class:`aelab.claims.Claims` this kernel made last.
    """
    return _book_values().get(chapter or _CHAPTER["name"], {}).get(name)


def _as_prose(value, spec: str) -> str:
    # as the prose's {glue:text}`name:spec` shows it (myst-nb formats the value with the spec)
    if not spec:
        return _format(value)
    kind = spec[-1]
    try:
        if kind in "bcdoxX":
            value = int(value)
        elif kind in "eEfFgGn%":
            value = float(value)
        return format(str(value) if kind == "s" else value, spec)
    except (TypeError, ValueError):
        return _format(value)


def glue(name: str, value, display: bool = False) -> None:
    """Record ``value`` under ``name`` for the book's prose, or print it beside the book's.

    Under ``AELAB_BOOK=1`` (the book's build) it is myst-nb's ``glue``, and the
    prose quotes it as ``{glue:text}`name:.2f```; anywhere else it prints
    ``seconds per epoch: 0.32 on your run, 0.07† in the book``, each as the prose shows it.

    Used in: every chapter.
    """
    value = _plain(value)
    if _building_book():
        try:
            from myst_nb import glue as _glue
        except ImportError:
            raise ImportError("AELAB_BOOK=1 says the book is being built, which needs myst-nb (the 'book' extra); "
                              "install it, or unset AELAB_BOOK to see your values printed.") from None
        _glue(name, value, display=display)
        return
    values, chapter = _book_values(), _CHAPTER["name"]
    spec = values.get("_formats", {}).get(chapter, {}).get(name, "")
    line = f"{name.replace('_', ' ')}: {_as_prose(value, spec)} on your run"
    book = _book_value(name, chapter)
    if book is not None:
        try:
            book = ast.literal_eval(book)
        except (SyntaxError, ValueError):
            pass
        number = isinstance(book, (int, float)) and not isinstance(book, bool)
        line += f", {_as_prose(book, spec)}{'†' if number else ''} in the book"
    print(line)
