"""Interactive explorers of a latent space, and static figures of the same views.

Two widgets, built with ipywidgets alone (no ipympl, no extension: they work
in Jupyter and in Colab), each drawing with matplotlib into PNG bytes:

- :func:`code_explorer`: two sliders move a point over a 2-D latent space;
  the scatter of the data's codes shows where it is, the image beside it is
  what the decoder makes of it.
- :func:`latent_sliders`: one slider per latent dimension, starting at the
  code of a chosen input.

The widgets live in ``explorers``. Their callbacks are plain functions
(``_callbacks.py``), tested like any other; each widget has a static
stand-in showing the same view at a few points (``_snapshots.py``), and
``_views.py`` holds what a widget and its stand-in share.

ipywidgets is imported inside the widget functions only, so ``import aelab``
neither needs it nor waits for it (it comes with the ``book`` extra).

Used in: chapters 3, 4 (code_explorer) and 5 (latent_sliders).
"""

from .explorers import code_explorer, latent_sliders  # noqa: F401

__all__ = ["code_explorer", "latent_sliders"]
