"""DCI (Eastwood and Williams, 2018): known answers, a reference formula, end to end, bad input."""

import math
import warnings

import numpy as np
import pytest
import torch
from scipy import stats

from aelab import metrics
from aelab.metrics import _importance
from aelab.metrics.dci import _completeness_per_factor, _disentanglement_per_code


# --------------------------------------------------------------------------- the core on matrices


@pytest.mark.parametrize("k", [2, 3, 5])
def test_diagonal_importance_is_perfect(k):
    R = np.eye(k)
    assert metrics.disentanglement(R) == pytest.approx(1.0)
    assert metrics.completeness(R) == pytest.approx(1.0)
    # a permutation of the codes changes nothing: D and C do not care which code is which
    P = R[np.random.default_rng(0).permutation(k)]
    assert metrics.disentanglement(P) == pytest.approx(1.0)
    assert metrics.completeness(P) == pytest.approx(1.0)


@pytest.mark.parametrize("n_factors", [2, 3, 5])
def test_codes_duplicated_twice(n_factors):
    # every factor is carried by two identical codes: each code still serves one
    # factor (D = 1), but each factor is split over 2 of the n_codes codes
    R = np.repeat(np.eye(n_factors), 2, axis=0)  # (2 * n_factors, n_factors)
    n_codes = R.shape[0]
    assert metrics.disentanglement(R) == pytest.approx(1.0)
    assert metrics.completeness(R) == pytest.approx(1 - math.log(2) / math.log(n_codes))
    np.testing.assert_allclose(_completeness_per_factor(R), 1 - math.log(2) / math.log(n_codes))


def test_uniform_importance_is_zero():
    R = np.ones((6, 4))
    assert metrics.disentanglement(R) == pytest.approx(0.0, abs=1e-12)
    assert metrics.completeness(R) == pytest.approx(0.0, abs=1e-12)
    assert metrics.disentanglement(R) >= 0 and metrics.completeness(R) >= 0  # clipped, never -1e-16


def test_unused_codes_weigh_nothing():
    R = np.vstack([np.eye(3), np.zeros((5, 3))])  # 3 used codes, 5 dead ones
    assert metrics.disentanglement(R) == pytest.approx(1.0)
    assert metrics.completeness(R) == pytest.approx(1.0)
    np.testing.assert_allclose(_disentanglement_per_code(R)[3:], 0.0)


def test_against_the_reference_formula():
    # disentanglement_lib's formulas, written with scipy's entropy, in their (codes, factors) layout
    rng = np.random.default_rng(1)
    for _ in range(5):
        R = rng.random((7, 4)) ** 3
        per_code = 1 - stats.entropy(R.T, base=R.shape[1])  # entropy of each row
        rho = R.sum(1) / R.sum()
        per_factor = 1 - stats.entropy(R, base=R.shape[0])  # entropy of each column
        np.testing.assert_allclose(_disentanglement_per_code(R), per_code)
        assert metrics.disentanglement(R) == pytest.approx(float((rho * per_code).sum()))
        np.testing.assert_allclose(_completeness_per_factor(R), per_factor)
        assert metrics.completeness(R) == pytest.approx(float(per_factor.mean()))


def test_one_factor_has_no_disentanglement():
    R = np.array([[0.7], [0.2], [0.1]])
    with pytest.warns(RuntimeWarning, match="single factor"):
        assert math.isnan(metrics.disentanglement(R))
    with pytest.warns(RuntimeWarning, match="single factor"):
        assert np.all(np.isnan(_disentanglement_per_code(R)))
    c = metrics.completeness(R)  # completeness still means something
    assert 0 < c < 1


def test_one_code_has_no_completeness():
    with pytest.warns(RuntimeWarning, match="single code"):
        assert math.isnan(metrics.completeness(np.array([[0.5, 0.5]])))


def test_importance_matrix_bad_input():
    with pytest.raises(ValueError, match="2-D"):
        metrics.disentanglement(np.ones(3))
    with pytest.raises(ValueError, match="non-negative"):
        metrics.completeness(np.array([[1.0, -0.1], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="all zeros"):
        metrics.disentanglement(np.zeros((3, 2)))


# --------------------------------------------------------------------------- end to end


def _factors(n=600, k=3, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, size=(n, k))


def test_true_factors_score_near_one_and_a_rotation_lower():
    f = _factors()
    truth = metrics.dci(f, f, n_estimators=20)
    assert set(truth) == {"disentanglement", "completeness", "informativeness", "informativeness_train"}
    assert truth["disentanglement"] > 0.95 and truth["completeness"] > 0.95
    assert truth["informativeness"] > 0.95
    q, _ = np.linalg.qr(np.random.default_rng(3).normal(size=(3, 3)))
    rotated = metrics.dci(f @ q, f, n_estimators=20)
    assert rotated["disentanglement"] < truth["disentanglement"] - 0.3
    assert rotated["completeness"] < truth["completeness"] - 0.3
    assert rotated["informativeness"] > 0.8  # the information is all still there


def test_extra_noise_codes_do_not_change_disentanglement_much():
    f = _factors()
    codes = np.hstack([f, np.random.default_rng(5).normal(size=(len(f), 3))])
    scores, R = metrics.dci(codes, f, n_estimators=20, return_importance=True)
    assert R.shape == (6, 3)
    np.testing.assert_allclose(R.sum(0), 1.0)  # each factor's importances sum to 1
    assert scores["disentanglement"] > 0.8 and scores["completeness"] > 0.8


@pytest.mark.parametrize("method", ["lasso", "forest"])
def test_other_importance_methods(method):
    f = _factors()
    truth = metrics.dci(f, f, method=method, n_estimators=20)
    assert truth["disentanglement"] > 0.9 and truth["completeness"] > 0.9
    q, _ = np.linalg.qr(np.random.default_rng(3).normal(size=(3, 3)))
    assert metrics.dci(f @ q, f, method=method, n_estimators=20)["disentanglement"] < 0.7


def test_informativeness_is_held_out():
    # codes that know nothing about the factors: trees still fit the training rows
    f = _factors(n=400, k=2)
    noise = np.random.default_rng(9).normal(size=(400, 4))
    scores = metrics.dci(noise, f, n_estimators=30)
    assert scores["informativeness"] < 0.1
    assert scores["informativeness_train"] > scores["informativeness"] + 0.2


def test_explicit_test_rows_and_tensors():
    f = _factors(n=500)
    codes = torch.as_tensor(f, dtype=torch.float32)
    scores = metrics.dci(codes[:350], f[:350], test_codes=codes[350:], test_factors=f[350:], n_estimators=30)
    assert scores["informativeness"] > 0.9
    again = metrics.dci(codes[:350], f[:350], test_codes=codes[350:], test_factors=f[350:], n_estimators=30)
    assert scores == again  # seeded


def test_discrete_factor_gives_accuracy_and_no_disentanglement():
    f = _factors(n=400, k=2)
    labels = (f[:, 0] > 0).astype(int) + 2 * (f[:, 1] > 0).astype(int)  # 4 classes
    with pytest.warns(RuntimeWarning, match="single factor"):
        scores = metrics.dci(f, labels, discrete=True, n_estimators=10)
    assert math.isnan(scores["disentanglement"])
    assert scores["informativeness"] > 0.9  # an accuracy
    assert 0 <= scores["completeness"] <= 1
    both = metrics.dci(f, np.column_stack([labels, f[:, 0]]), discrete=[True, False], n_estimators=10)
    assert not math.isnan(both["disentanglement"])


def test_dci_bad_input():
    f = _factors(n=100)
    with pytest.raises(ValueError, match="100 rows but factors have 90"):
        metrics.dci(f, f[:90])
    bad = f.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"codes must hold finite numbers only \(no NaN or infinity\), found 1\."):
        metrics.dci(bad, f)
    with pytest.raises(ValueError, match=r"factors must hold finite numbers only \(no NaN or infinity\), found 1\."):
        metrics.dci(f, bad)
    const = f.copy()
    const[:, 2] = 0.5
    with pytest.raises(ValueError, match="factor 2 takes a single value"):
        metrics.dci(f, const)
    with pytest.raises(ValueError, match="2-D"):
        metrics.dci(np.zeros((100, 2, 2)), f)
    with pytest.raises(ValueError, match="unknown importance method 'pca'"):
        metrics.dci(f, f, method="pca")
    with pytest.raises(ValueError, match="both test_codes and test_factors"):
        metrics.dci(f, f, test_codes=f)
    with pytest.raises(ValueError, match="test_fraction"):
        metrics.dci(f, f, test_fraction=1.0)
    with pytest.raises(ValueError, match="at least 10 samples"):
        metrics.dci(f[:5], f[:5])
    with pytest.raises(ValueError, match="one per factor"):
        metrics.dci(f, f, discrete=[True])


def test_discrete_continuous_factors_are_one_clear_error():
    # scikit-learn's classifier refused them from inside ("Unknown label type: continuous"), naming no factor
    f = _factors(n=100)
    labels = np.column_stack([(f[:, 0] > 0).astype(int), f[:, 1]])
    with pytest.raises(ValueError, match=r"^factor 0 is marked discrete but holds values that are not whole numbers, "
                                         r"such as -?\d\.\d+: a discrete factor holds class labels; for a continuous "
                                         r"one pass discrete=False, or one bool per factor with False for factor 0\.$"):
        metrics.dci(f, f, discrete=True, n_estimators=5)
    with pytest.raises(ValueError, match=r"^factor 1 is marked discrete"):
        metrics.dci(f, labels, discrete=True, n_estimators=5)
    with pytest.raises(ValueError, match=r"^factor 1 is marked discrete"):
        _importance.importance_matrix(f, labels, discrete=[True, True], n_estimators=5)
    held_out = labels[:30].copy()
    held_out[:, 0] += 0.5  # held-out labels that no prediction could equal: an accuracy of 0, silently
    with pytest.raises(ValueError, match=r"^factor 0 is marked discrete .* such as [01]\.5 in test_factors: "):
        metrics.dci(f[30:], labels[30:], test_codes=f[:30], test_factors=held_out, discrete=[True, False],
                    n_estimators=5)
    scores = metrics.dci(f, labels, discrete=[True, False], n_estimators=5)  # as meant: accepted
    assert 0 <= scores["informativeness"] <= 1


def test_a_constant_held_out_factor_is_one_clear_error():
    rng = np.random.default_rng(0)
    codes, factors = rng.normal(size=(60, 2)), rng.normal(size=(60, 2))
    test_factors = factors[:20].copy()
    test_factors[:, 1] = 3.0
    with pytest.raises(ValueError, match="constant on the held-out rows"):
        metrics.dci(codes[20:], factors[20:], test_codes=codes[:20], test_factors=test_factors)
