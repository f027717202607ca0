"""Saving a trained model and loading it back: an explicit step, never hidden inside training.

A checkpoint is one file that a chapter names itself: the model's class and
sizes (``model.config``), its weights, and optionally its training history.
:func:`load` reads it with ``torch.load(..., weights_only=True)``, so a file
can hold only tensors and plain containers and no pickled code can run, and it
refuses a checkpoint made for another class or other sizes in one sentence
instead of loading the wrong model. Whether a file is still valid for a
changed experiment is the caller's decision, made by the path it names (put
the settings that matter in the file name).

Used in: chapter 4.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import torch
from torch import nn

from . import _arg_checks

__all__ = ["save", "load"]


def _path(path) -> Path:
    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise ValueError(f"path must be a file name (str or Path), got {path!r}.")
    return Path(path).expanduser()  # "~/x.pt" is the home folder's, not a folder named "~"


def _describe(model: nn.Module) -> dict:
    return {"class": type(model).__name__, "config": _plain(getattr(model, "config", None))}


def _plain(value):
    """The config as lists, dicts, strings and numbers: what weights_only loading accepts."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def save(path, model: nn.Module, history: pd.DataFrame | None = None) -> Path:
    """Write ``model``'s class, sizes and weights (and ``history``) to ``path``.

    The folder is created if needed; an unwritable place fails here, in one
    sentence, before anything is lost.

    Returns:
        The path written.

    Used in: chapter 4.
    """
    path = _path(path)
    if not isinstance(model, nn.Module):
        raise ValueError(f"save needs a torch model (nn.Module), got {type(model).__name__}.")
    if history is not None and not isinstance(history, pd.DataFrame):
        raise ValueError(f"history must be the DataFrame fit returned, got {type(history).__name__}.")
    payload = {
        **_describe(model),
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        "history": None if history is None else history.to_dict(orient="list"),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(payload, path)
    except OSError as err:
        raise OSError(f"could not write the checkpoint {path}: {err.strerror or err}.") from err
    return path


def load(path, model: nn.Module, *, device=None) -> pd.DataFrame | None:
    """Load the weights saved at ``path`` into ``model``, which must be of the same class and sizes.

    Args:
        path: a file written by :func:`save`.
        model: a freshly built model of the class and sizes that were saved.
        device: where the weights go (default: where ``model`` is).

    Returns:
        The saved history, or None if none was saved.

    Raises:
        FileNotFoundError: no file at ``path``.
        ValueError: the file is not a checkpoint, or it holds another model.

    Used in: chapter 4.
    """
    path = _path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}; train the model and save it first.")
    if device is None:
        device = next((p.device for p in model.parameters()), torch.device("cpu"))
    else:
        device = _arg_checks.valid_device("device", device)
    try:
        # weights_only=True: tensors and plain containers only; no pickled code can run.
        payload = torch.load(path, map_location=device, weights_only=True)
    except Exception as err:
        raise ValueError(f"{path} is not a checkpoint aelab can read safely "
                         f"({type(err).__name__}); save it again with aelab.checkpoints.save.") from None
    if not isinstance(payload, dict) or "state_dict" not in payload:
        raise ValueError(f"{path} is not a checkpoint written by aelab.checkpoints.save.")
    wanted = _describe(model)
    if payload.get("class") != wanted["class"] or payload.get("config") != wanted["config"]:
        raise ValueError(f"{path} holds a {payload.get('class')} with {payload.get('config')}, not a "
                         f"{wanted['class']} with {wanted['config']}; build the model it was saved from.")
    model.load_state_dict(payload["state_dict"])
    return None if payload.get("history") is None else pd.DataFrame(payload["history"])
