"""Metrics: pure functions on tensors or (n_samples, n_features) arrays, returning
a number, an array, or a flat dict of named numbers.

One submodule per concept, all importable from here: ``scores``
(reconstruction error, accuracy), ``dci`` (with its importance matrix, in the
private ``_importance``), ``traversal``, ``volume`` (least volume), ``neighbours`` (nearest
codes, class prototypes), ``codes`` (the dimensions of a code, Gaussian codes),
``gradients`` and ``generation`` (codes against N(0, I), a classifier's
verdict on generated images).

Used in: chapters 2-6.
"""

from .scores import (  # noqa: F401
    accuracy, end_value, error_ratio, mean_image_error, noise_floor, reconstruction_error, tie_band,
)
from .dci import completeness, dci, disentanglement  # noqa: F401
from .traversal import effect_rank_agreement, traversal_effects, traversal_ranges, traverse  # noqa: F401
from .volume import (  # noqa: F401
    box_pairs,
    count_kept,
    explained_reconstruction,
    least_volume_dimensions,
    lipschitz_ratios,
    pca_reconstruction_errors,
    principal_angles,
    prune_codes,
    pruning_errors,
)
from .gradients import gradient_norms  # noqa: F401
from .generation import code_moments, confidence, frechet_distance, judge, standard_normal_gap  # noqa: F401
from .neighbours import class_prototypes, nearest_distance, neighbour_agreement, share_in_holes  # noqa: F401
from .codes import active_dimensions, gaussian_like, mean_ablation, same_tears, tears  # noqa: F401

__all__ = [
    "accuracy", "end_value", "mean_image_error", "noise_floor", "reconstruction_error", "completeness", "dci",
    "disentanglement", "effect_rank_agreement", "traversal_effects", "traversal_ranges",
    "traverse", "count_kept", "explained_reconstruction", "least_volume_dimensions", "lipschitz_ratios",
    "pca_reconstruction_errors", "principal_angles", "prune_codes", "pruning_errors", "code_moments", "confidence",
    "frechet_distance",
    "judge", "standard_normal_gap", "class_prototypes", "gaussian_like", "nearest_distance",
    "neighbour_agreement", "active_dimensions", "gradient_norms", "tie_band", "error_ratio", "tears", "same_tears",
    "mean_ablation", "box_pairs", "share_in_holes",
]
