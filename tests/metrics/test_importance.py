"""DCI's importance matrix (aelab.metrics._importance): what the predictors' importances become."""

from types import SimpleNamespace

import numpy as np

from aelab.metrics import _importance as importance


def test_lasso_ignores_the_scale_of_the_codes():
    f = np.random.default_rng(0).uniform(-1, 1, size=(600, 3))
    a = importance.importance_matrix(f, f, method="lasso", alpha=0.01)
    b = importance.importance_matrix(f * np.array([100.0, 1.0, 0.01]), f, method="lasso", alpha=0.01)
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_rounding_negatives_in_tree_importances_are_taken_as_zero():
    model = SimpleNamespace(feature_importances_=np.array([0.6, 0.4, -1e-17]))
    R = importance._importances("trees", model, 3)
    assert (R >= 0).all() and R.tolist() == [0.6, 0.4, 1e-17]
