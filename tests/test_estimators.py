"""AutoencoderEstimator: scikit-learn's conventions, a linear AE against PCA, bad input."""

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aelab import data
from aelab.estimators import AutoencoderEstimator
from tests.mistakes import ACTIVATIONS, QUICK, X, X_NAN, _cases, _check, _fitted


@pytest.fixture(scope="module")
def curve():
    return data.curve(n=100, device="cpu").x.numpy()  # (100, 3) float32


def _small(k=2, **kw):
    kw = dict(dict(hidden=(8,), epochs=20, lr=1e-2, device="cpu"), **kw)
    return AutoencoderEstimator(k, **kw)


def test_init_only_stores_hyperparameters_and_clones():
    est = _small(1, latent_l1=1e-3)
    assert est.get_params()["n_components"] == 1 and est.get_params()["latent_l1"] == 1e-3
    assert not [k for k in vars(est) if k.endswith("_")], "nothing learned before fit"
    twin = clone(est)
    assert twin.get_params() == est.get_params() and twin is not est


def test_fit_returns_self_and_shapes(curve):
    est = _small(2)
    assert est.fit(curve) is est
    z = est.transform(curve)
    x_hat = est.inverse_transform(z)
    assert z.shape == (100, 2) and x_hat.shape == (100, 3)
    assert isinstance(z, np.ndarray) and z.dtype == np.float32
    assert est.n_features_in_ == 3
    assert list(est.history_["epoch"]) == list(range(1, 21))
    assert not est.model_.training
    # reconstruction_error_ is the MSE of the reconstruction on the training data
    assert est.reconstruction_error_ == pytest.approx(float(((x_hat - curve) ** 2).mean()), rel=1e-4)
    # fit_transform (from TransformerMixin) gives the codes of a fresh fit with the same seed
    np.testing.assert_allclose(_small(2).fit_transform(curve), z, atol=1e-6)


def test_tensors_are_accepted_and_numpy_returned(curve):
    est = _small(1).fit(torch.as_tensor(curve))
    assert isinstance(est.transform(torch.as_tensor(curve[:5])), np.ndarray)


@pytest.mark.parametrize("k", [1, 2])
def test_linear_autoencoder_matches_pca(curve, k):
    # Reference answer: with linear layers the autoencoder's best reconstruction is
    # the projection onto PCA's first k components (Baldi and Hornik, 1989; on this
    # curve the eigenvalues are distinct, so that subspace is unique). PCA is the
    # global optimum, so the AE cannot beat it beyond float32 rounding (1e-5
    # relative); 300 full-batch Adam steps bring it within about 1e-5 of it, and
    # we allow 1e-3 relative (1e-3 absolute on each coordinate, whose range is
    # about 2). A wrong subspace could not pass: PCA's error changes sevenfold
    # from k=1 to k=2.
    pca = PCA(k).fit(curve)
    x_pca = pca.inverse_transform(pca.transform(curve))
    pca_error = float(((x_pca - curve) ** 2).mean())
    est = AutoencoderEstimator(k, hidden=(), activation=None, epochs=300, lr=3e-2, batch_size=None,
                               device="cpu").fit(curve)
    assert est.reconstruction_error_ >= pca_error * (1 - 1e-5)
    assert est.reconstruction_error_ == pytest.approx(pca_error, rel=1e-3)
    x_ae = est.inverse_transform(est.transform(curve))
    np.testing.assert_allclose(x_ae, x_pca, atol=1e-3)


def test_seed_decides_the_result_and_global_rng_is_untouched(curve):
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    a = _small(1, seed=4).fit(curve)
    assert torch.equal(torch.rand(3), expected), "fit must not consume the global generator"
    b = _small(1, seed=4).fit(curve)
    c = _small(1, seed=5).fit(curve)
    np.testing.assert_array_equal(a.transform(curve), b.transform(curve))
    assert not np.allclose(a.transform(curve), c.transform(curve))


def test_latent_l1_logs_its_terms(curve):
    est = _small(2, latent_l1=1e-2).fit(curve)
    assert {"train_recon", "train_l1"} <= set(est.history_.columns)
    z = est.transform(curve)
    assert est.history_["train_l1"].iloc[-1] == pytest.approx(float(np.abs(z).mean()), rel=0.2)


def test_full_batch_and_pipeline(curve):
    est = _small(1, batch_size=None, epochs=3).fit(curve)
    assert len(est.history_) == 3
    pipe = make_pipeline(StandardScaler(), _small(2, epochs=3)).fit(curve)
    assert pipe.transform(curve).shape == (100, 2)
    assert pipe.inverse_transform(pipe.transform(curve)).shape == (100, 3)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n_components=4), r"n_components=4 is larger than the 3 features"),
        (dict(n_components=0), "positive integer"),
        (dict(n_components=1.5), "positive integer"),
        (dict(latent_l1=-1.0), "latent_l1 must be"),
        (dict(activation="nope"), "unknown activation"),
    ],
)
def test_bad_hyperparameters_fail_in_one_sentence(curve, kwargs, match):
    kwargs = dict(kwargs)
    k = kwargs.pop("n_components", 2)
    with pytest.raises(ValueError, match=match):
        _small(k, **kwargs).fit(curve)


def test_bad_arrays_fail_in_one_sentence(curve):
    with pytest.raises(ValueError, match=r"2-D array \(n_samples, n_features\)"):
        _small(1).fit(curve[:, 0])
    bad = curve.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="finite numbers"):
        _small(1).fit(bad)
    with pytest.raises(NotFittedError):
        _small(1).transform(curve)
    est = _small(2).fit(curve)
    with pytest.raises(ValueError, match="X has 2 features, but the estimator was fitted with 3"):
        est.transform(curve[:, :2])
    with pytest.raises(ValueError, match="Z has 3 components, but the estimator was fitted with 2"):
        est.inverse_transform(curve)


@pytest.mark.parametrize("kw", [dict(batch_size=None), dict(batch_size=32, latent_l1=1e-2),
                                dict(hidden=(), activation=None, batch_size=None)])
def test_fit_seeds_equals_fitting_each_seed_alone(curve, kw):
    torch.manual_seed(7)
    expected = torch.rand(3)
    torch.manual_seed(7)
    together = _small(2, **kw).fit_seeds(curve, seeds=[3, 0, 11])
    assert torch.equal(torch.rand(3), expected), "fit_seeds must not consume the global generator"
    for s, est in zip([3, 0, 11], together):
        alone = _small(2, seed=s, **kw).fit(curve)
        assert est.seed == s and est.get_params() == alone.get_params()
        np.testing.assert_allclose(est.transform(curve), alone.transform(curve), rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(est.history_["train_loss"], alone.history_["train_loss"], rtol=1e-4)
        assert est.reconstruction_error_ == pytest.approx(alone.reconstruction_error_, rel=1e-4)
        assert est.history_.attrs["diverged"] is None and "seed" not in est.history_.columns


def test_a_diverging_fit_warns_and_keeps_a_model_that_was_good(curve):
    # SGD at lr=1 climbs for a few epochs, then explodes: the model kept is the last good epoch's,
    # whose error is finite, never the exploded one's
    from aelab.train import TrainingDiverged

    est = _small(2, hidden=(16,), optimizer="sgd", lr=1.0, epochs=10, batch_size=16)
    with pytest.warns(TrainingDiverged, match=r"restored to (the end of epoch \d|its initial weights).*lower learning"):
        est.fit(curve)
    assert est.history_.attrs["diverged"] is not None
    assert np.isfinite(est.reconstruction_error_) and est.reconstruction_error_ < 10 * float(np.var(curve, 0).sum())


def test_fit_seeds_refuses_what_fit_refuses(curve):
    with pytest.raises(ValueError, match="larger than the 3 features"):
        _small(4).fit_seeds(curve, seeds=[0, 1])
    with pytest.raises(ValueError, match="distinct"):
        _small(1).fit_seeds(curve, seeds=[0, 0])


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("fit-1d", lambda: AutoencoderEstimator(2, **QUICK).fit(X[:, 0]),
     r"X must be a 2-D array \(n_samples, n_features\), got shape \(20,\)"),
    ("fit-3d", lambda: AutoencoderEstimator(2, **QUICK).fit(X[:, :, None]),
     r"X must be a 2-D array \(n_samples, n_features\), got shape \(20, 3, 1\)"),
    ("fit-nan", lambda: AutoencoderEstimator(2, **QUICK).fit(X_NAN), r"X must hold finite numbers only \(no NaN"),
    ("fit-inf", lambda: AutoencoderEstimator(2, **QUICK).fit(np.where(np.isnan(X_NAN), np.inf, X_NAN)),
     r"X must hold finite numbers only \(no NaN or infinity\)"),
    ("fit-strings", lambda: AutoencoderEstimator(2, **QUICK).fit(np.array([["a", "b", "c"]] * 5)),
     r"X must hold numbers, got an array of dtype <U1"),  # fixed: said "finite numbers (no NaN)"
    ("fit-one-row", lambda: AutoencoderEstimator(2, **QUICK).fit(X[:1]), r"fit needs at least 2 samples, got 1"),
    ("n_components-0", lambda: AutoencoderEstimator(0, **QUICK).fit(X),
     r"n_components must be a positive integer, got 0"),
    ("n_components-above-features", lambda: AutoencoderEstimator(5, **QUICK).fit(X),
     r"n_components=5 is larger than the 3 features of X.*use at most 3"),
    ("n_components-string", lambda: AutoencoderEstimator("2", **QUICK).fit(X),
     r"n_components must be a positive integer, got '2'"),
    ("n_components-float", lambda: AutoencoderEstimator(2.0, **QUICK).fit(X),
     r"n_components must be a positive integer, got 2.0"),
    ("epochs-string", lambda: AutoencoderEstimator(2, epochs="10", batch_size=None).fit(X),
     r"epochs must be a positive integer, got '10'"),
    ("epochs-0", lambda: AutoencoderEstimator(2, epochs=0, batch_size=None).fit(X),
     r"epochs must be a positive integer, got 0"),
    ("lr-string", lambda: AutoencoderEstimator(2, lr="1e-3", **QUICK).fit(X),
     r"lr must be a positive number, got '1e-3'"),
    ("batch_size-0", lambda: AutoencoderEstimator(2, epochs=1, batch_size=0).fit(X),
     r"batch_size must be a positive integer, got 0"),
    ("batch_size-string", lambda: AutoencoderEstimator(2, epochs=1, batch_size="32").fit(X),
     r"batch_size must be a positive integer, got '32'"),
    ("hidden-int", lambda: AutoencoderEstimator(2, hidden=32, **QUICK).fit(X),
     r"hidden must be a sequence of positive integers.*got the single number 32; for one entry write \(32,\)"),
    # fixed: TypeError 'int' object is not iterable
    ("activation-unknown", lambda: AutoencoderEstimator(2, activation="rellu", **QUICK).fit(X),
     rf"unknown activation 'rellu'; use one of {ACTIVATIONS}"),
    ("optimizer-unknown", lambda: AutoencoderEstimator(2, optimizer="rmsprop", **QUICK).fit(X),
     r"unknown optimizer 'rmsprop'; use one of adam, adamw, sgd"),
    ("weight_decay-negative", lambda: AutoencoderEstimator(2, weight_decay=-1, **QUICK).fit(X),
     r"weight_decay must be a non-negative number, got -1"),
    ("latent_l1-negative", lambda: AutoencoderEstimator(2, latent_l1=-1, **QUICK).fit(X),
     r"latent_l1 must be a number of at least 0, got -1"),
    ("latent_l1-string", lambda: AutoencoderEstimator(2, latent_l1="0.1", **QUICK).fit(X),
     r"latent_l1 must be a number of at least 0, got '0.1'"),
    ("seed-string", lambda: AutoencoderEstimator(2, seed="0", **QUICK).fit(X),
     r"seed must be a non-negative integer, got '0'"),  # fixed: int("0") was accepted silently
    ("seed-float", lambda: AutoencoderEstimator(2, seed=1.5, **QUICK).fit(X),
     r"seed must be a non-negative integer, got 1.5"),  # fixed: silently seed 1
    ("seed-negative", lambda: AutoencoderEstimator(2, seed=-2, **QUICK).fit(X),
     r"seed must be a non-negative integer, got -2"),  # (None is the default: runtime.seed(0))
    ("device-unknown", lambda: AutoencoderEstimator(2, device="gpu", **QUICK).fit(X),
     r"device must be a torch.device or a name such as 'cpu', 'cuda'.*got 'gpu'"),  # fixed: torch RuntimeError
    ("transform-before-fit", lambda: AutoencoderEstimator(2).transform(X),
     r"AutoencoderEstimator instance is not fitted yet. Call 'fit'", NotFittedError),
    ("inverse_transform-before-fit", lambda: AutoencoderEstimator(2).inverse_transform(X[:, :2]),
     r"AutoencoderEstimator instance is not fitted yet. Call 'fit'", NotFittedError),
    ("transform-wrong-width", lambda: _fitted().transform(X[:, :2]),
     r"X has 2 features, but the estimator was fitted with 3"),
    ("transform-one-sample", lambda: _fitted().transform(X[0]),
     r"X must be a 2-D array \(n_samples, n_features\), got shape \(3,\)"),
    ("transform-nan", lambda: _fitted().transform(X_NAN), r"X must hold finite numbers only"),
    ("inverse_transform-wrong-width", lambda: _fitted().inverse_transform(X),
     r"Z has 3 components, but the estimator was fitted with 2"),
    ("inverse_transform-3d", lambda: _fitted().inverse_transform(X[:, :2, None]),
     r"Z must be a 2-D array \(n_samples, n_components\), got shape \(20, 2, 1\)"),
    ("fit_seeds-int", lambda: AutoencoderEstimator(2, **QUICK).fit_seeds(X, 3),
     r"seeds must be a list of distinct non-negative integers, such as \[0, 1, 2\], got 3"),
    # fixed: TypeError 'int' object is not iterable
    ("fit_seeds-empty", lambda: AutoencoderEstimator(2, **QUICK).fit_seeds(X, []),
     r"seeds must be a non-empty list of non-negative integers, got \[\]"),
    ("fit_seeds-repeated", lambda: AutoencoderEstimator(2, **QUICK).fit_seeds(X, [0, 0]),
     r"seeds must be distinct, got \[0, 0\]"),
    ("fit_seeds-strings", lambda: AutoencoderEstimator(2, **QUICK).fit_seeds(X, ["0", "1"]),
     r"seeds must be a non-empty list of non-negative integers, got \['0', '1'\]"),
    ("fit_seeds-nan", lambda: AutoencoderEstimator(2, **QUICK).fit_seeds(X_NAN, [0, 1]),
     r"X must hold finite numbers only"),
    ("fit_seeds-n_components", lambda: AutoencoderEstimator(7, **QUICK).fit_seeds(X, [0, 1]),
     r"n_components=7 is larger than the 3 features of X"),
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_estimators(call, match, error):
    _check(call, match, error)
