"""Interactive explorers of a latent space, and static figures of the same views.

Two widgets, built with ipywidgets alone (no ipympl, no extension: they work
in Jupyter and in Colab), each drawing with matplotlib into PNG bytes:

- :func:`code_explorer`: two sliders move a point over a 2-D latent space;
  the scatter of the data's codes shows where it is, the image beside it is
  what the decoder makes of it.
- :func:`latent_sliders`: one slider per latent dimension, starting at the
  code of a chosen input.

Their callbacks are plain functions, :func:`decode_point` and
:func:`traverse_one`, tested like any other. A rendered page has no kernel
behind it, so each widget has a static stand-in showing the same view at a
few points: :func:`explorer_snapshot` and :func:`sliders_snapshot`.

One submodule per part, all importable from here: ``callbacks``,
``explorers`` (the widgets), ``snapshots`` (the stand-ins), and ``_views``,
what a widget and its stand-in share.

ipywidgets is imported inside the widget functions only, so ``import aelab``
neither needs it nor waits for it (it comes with the ``book`` extra).

Used in: chapters 3, 4 (code_explorer) and 5 (latent_sliders).
"""

from .callbacks import Decoder, decode_point, traverse_one  # noqa: F401
from .explorers import code_explorer, latent_sliders  # noqa: F401
from .snapshots import explorer_snapshot, sliders_snapshot  # noqa: F401

__all__ = [
    "Decoder", "decode_point", "traverse_one", "code_explorer", "latent_sliders", "explorer_snapshot",
    "sliders_snapshot",
]
