"""aelab: the companion package of the course on autoencoders.

One short module per concept: ``runtime`` (device, seeds, profile), ``data``,
``models``, ``losses``, ``train``, ``metrics``, ``plots``, ``estimators``.
Importing it does nothing slow: no download, no training, no device probe.
"""

__version__ = "0.2.0"  # the Colab cell installs tag v<this>; `python3 tasks.py stamp` after a change

from . import data, losses, metrics, models, notebook, plots, runtime, train  # noqa: E402,F401
