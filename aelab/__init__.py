"""aelab: the companion package of the course on autoencoders.

One short module per concept: ``runtime`` (device, seeds, profile), ``data``,
``models``, ``losses``, ``train`` (``fit`` and the objectives it trains with), ``stacked``
(many seeds at once), ``checkpoints``, ``metrics``, ``plots``, ``estimators``,
``explore`` (the live explorers), ``notebook`` (glued numbers), ``claims`` (a
chapter's claims) with ``comparisons`` (their margins) and ``rule`` (the rule for
keeping a claim), ``wording`` (numbers in words for the prose), ``exercises`` (the
reader notebooks' exercises). The private ``_arg_checks`` and ``_array_checks`` hold the shared checks.
Importing it does nothing slow: no download, no training, no device probe.
"""

__version__ = "0.3.0"  # set once; pyproject.toml and the notebooks' set-up read it

from . import (  # noqa: E402,F401
    checkpoints, claims, comparisons, data, estimators, exercises, explore, losses, metrics, models,
    notebook, plots, rule, runtime, stacked, train, wording,
)

__all__ = [
    "checkpoints", "claims", "comparisons", "data", "estimators", "exercises", "explore", "losses",
    "metrics", "models", "notebook", "plots", "rule", "runtime", "stacked", "train", "wording",
]
