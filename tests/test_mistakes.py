"""A student's mistakes get one clear sentence; nothing is silently wrong.

Each case below is a mistaken call a student makes, and each test checks the
error's type and that its message names the argument and what was expected:
a ``match=`` that the cryptic message of torch, NumPy, pandas, scikit-learn or
matplotlib would fail. Every call was first tried on the code as it was; the
ones marked ``# fixed`` raised from inside a library (a ``TypeError`` from
``int()``, a ``KeyError`` from pandas...), gave an aelab message naming the
wrong cause, or drew or returned a wrong result without a word. The fixes are
at the public functions, with the shared helpers of :mod:`aelab.checks`.

======================  =====  =============  =====
family                  tried  already clear  fixed
======================  =====  =============  =====
estimators                 39             32      7
models                     61             43     18
plots.images               23             11     12
plots.training              9              3      6
plots.latents              25             13     12
plots.fits                 18              8     10
plots.disentanglement      11              5      6
plots.maps                 22             16      6
plots.diagrams             12             11      1
explore                    24             18      6
total                     244            160     84
======================  =====  =============  =====

Seven of the clear ones now read better and their cases pin the new words
(``activation-class``, ``output-unknown``, ``pca-fit-1d``, the three
``hinton`` refusals, ``sliders_snapshot-dims-range``): run against the code as
it was, exactly the 84 fixed cases and these 7 fail.

Two more image calls were tried and are not cases here: a (N, H, W, 4) RGBA
batch is valid input, and one unbatched square image whose side is itself a
square number (a 16 x 16 image) cannot be told apart from 16 flattened 4 x 4
images, so ``image_grid`` still draws it as those; a 28 x 28 one is refused.
"""

import functools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from torch import nn

from aelab import explore, models, plots
from aelab.data import Split
from aelab.estimators import AutoencoderEstimator, fit_seeds
from aelab.models import (MLP, VAE, ClassifierHead, ConvAutoencoder, MLPAutoencoder, PCAEncoder,
                          SupervisedAutoencoder, interpolate)

_rng = np.random.default_rng(0)
X = _rng.normal(size=(20, 3)).astype(np.float32)  # 20 samples, 3 features
X_NAN = X.copy()
X_NAN[2, 1] = np.nan
IMAGE = _rng.random((28, 28))  # one image, not a batch
IMAGES = _rng.random((6, 28, 28))
Z2 = _rng.normal(size=(30, 2))  # 2-D codes
Z4 = _rng.normal(size=(30, 4))
Z4_NAN = np.where(Z4 > 1, np.nan, Z4)
LABELS = np.arange(30) % 3
HISTORY = pd.DataFrame({"epoch": [1, 2], "train_loss": [1.0, 0.5]})
SPLIT = Split(torch.zeros(5, 1), torch.zeros(5, 1), torch.zeros(3, 1), torch.zeros(3, 1))
QUICK = dict(epochs=1, batch_size=None)
AE = MLPAutoencoder(3, 2, hidden=(4,))
VAE4 = VAE(4, 2, hidden=(4,))
DECODE = MLPAutoencoder(16, 2, hidden=(4,)).decode  # 2-D codes -> 16 pixels (4 x 4 images)
ACTIVATIONS = "relu, leaky_relu, elu, gelu, silu, tanh, sigmoid, softplus, identity"


@functools.cache
def _fitted() -> AutoencoderEstimator:
    return AutoencoderEstimator(2, **QUICK).fit(X)


def _axes():
    return plt.subplots()[1]


def _cases(rows):
    """pytest params from rows ``(id, call, match)`` or ``(id, call, match, error type)``."""
    return [pytest.param(row[1], row[2], row[3] if len(row) > 3 else ValueError, id=row[0]) for row in rows]


def _check(call, match, error):
    with pytest.raises(error, match=match):
        call()


# --- aelab.estimators ------------------------------------------------------------

ESTIMATORS = [
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
    ("seed-none", lambda: AutoencoderEstimator(2, seed=None, **QUICK).fit(X),
     r"seed must be a non-negative integer, got None"),  # fixed: TypeError from int()
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
    ("fit_seeds-int", lambda: fit_seeds(AutoencoderEstimator(2, **QUICK), X, 3),
     r"seeds must be a list of distinct non-negative integers, such as \[0, 1, 2\], got 3"),
    # fixed: TypeError 'int' object is not iterable
    ("fit_seeds-empty", lambda: fit_seeds(AutoencoderEstimator(2, **QUICK), X, []),
     r"seeds must be a non-empty list of non-negative integers, got \[\]"),
    ("fit_seeds-repeated", lambda: fit_seeds(AutoencoderEstimator(2, **QUICK), X, [0, 0]),
     r"seeds must be distinct, got \[0, 0\]"),
    ("fit_seeds-strings", lambda: fit_seeds(AutoencoderEstimator(2, **QUICK), X, ["0", "1"]),
     r"seeds must be a non-empty list of non-negative integers, got \['0', '1'\]"),
    ("fit_seeds-pca", lambda: fit_seeds(PCA(2), X, [0, 1]), r"fit_seeds takes an AutoencoderEstimator, got PCA"),
    ("fit_seeds-nan", lambda: fit_seeds(AutoencoderEstimator(2, **QUICK), X_NAN, [0, 1]),
     r"X must hold finite numbers only"),
    ("fit_seeds-n_components", lambda: fit_seeds(AutoencoderEstimator(7, **QUICK), X, [0, 1]),
     r"n_components=7 is larger than the 3 features of X"),
]


@pytest.mark.parametrize("call, match, error", _cases(ESTIMATORS))
def test_estimators(call, match, error):
    _check(call, match, error)


# --- aelab.models ----------------------------------------------------------------

MODELS = [
    ("latent_dim-0", lambda: MLPAutoencoder(3, 0), r"latent_dim must be a positive integer, got 0"),
    ("latent_dim-float", lambda: MLPAutoencoder(3, 2.5), r"latent_dim must be a positive integer, got 2.5"),
    ("latent_dim-string", lambda: MLPAutoencoder(3, "2"), r"latent_dim must be a positive integer, got '2'"),
    ("hidden-int", lambda: MLPAutoencoder(3, 2, hidden=128),
     r"hidden must be a sequence of positive integers, such as \(128, 64\), got the single number 128; "
     r"for one entry write \(128,\)"),  # fixed: TypeError 'int' object is not iterable
    ("hidden-float", lambda: MLPAutoencoder(3, 2, hidden=(64.5,)),
     r"hidden must be a sequence of positive integers.*got \(64.5,\)"),  # fixed: silently 64 units
    ("hidden-string", lambda: MLPAutoencoder(3, 2, hidden=("a",)),
     r"hidden must be a sequence of positive integers.*got \('a',\)"),  # fixed: int() "invalid literal"
    ("hidden-zero", lambda: MLPAutoencoder(3, 2, hidden=(0,)),
     r"hidden must be a sequence of positive integers.*got \(0,\)"),  # fixed: named "every width", not hidden
    ("activation-unknown", lambda: MLPAutoencoder(3, 2, activation="rellu"),
     rf"unknown activation 'rellu'; use one of {ACTIVATIONS}"),
    ("activation-class", lambda: MLPAutoencoder(3, 2, activation=nn.ReLU),
     r"activation must be the name of an activation, one of relu, .*got <class"),
    ("output-unknown", lambda: MLPAutoencoder(3, 2, output="softmax"),
     rf"unknown activation 'softmax' for output; use one of {ACTIVATIONS}"),
    ("input_shape-string", lambda: MLPAutoencoder("784", 2),
     r"input_shape must be a sequence of positive integers, such as \(1, 28, 28\), got '784'"),
    # fixed: silently input_shape (7, 8, 4)
    ("input_shape-none", lambda: MLPAutoencoder(None, 2),
     r"input_shape must be a sequence of positive integers.*got None"),  # fixed: TypeError not iterable
    ("input_shape-float", lambda: MLPAutoencoder((1, 28.5, 28), 2),
     r"input_shape must be a sequence of positive integers.*got \(1, 28.5, 28\)"),  # fixed: silently 28
    ("input_shape-0", lambda: MLPAutoencoder(0, 2), r"input_shape must be positive sizes, got 0"),
    ("mlp-int", lambda: MLP(3),
     r"widths must be a sequence of positive integers, such as \[784, 128, 2\], got the single number 3"),
    # fixed: TypeError 'int' object is not iterable
    ("mlp-float-width", lambda: MLP([3, 2.5]),
     r"widths must be a sequence of positive integers.*got \[3, 2.5\]"),  # fixed: silently 2 units
    ("mlp-one-width", lambda: MLP([3]), r"an MLP needs at least an input and an output width, got \[3\]"),
    ("encode-one-sample", lambda: AE.encode(torch.zeros(3)),
     r"MLPAutoencoder expects inputs of shape \(batch, 3\), got \(3,\)"),
    ("encode-wrong-width", lambda: AE.encode(torch.zeros(5, 4)),
     r"MLPAutoencoder expects inputs of shape \(batch, 3\), got \(5, 4\)"),
    ("encode-numpy", lambda: AE.encode(np.zeros((5, 3), np.float32)), r"MLPAutoencoder expects a tensor, got ndarray"),
    ("encode-float64", lambda: AE.encode(torch.zeros(5, 3, dtype=torch.float64)),
     r"the input of MLPAutoencoder must be float32, like the models' weights, got torch.float64. Use .float\(\)"),
    # fixed: torch "mat1 and mat2 must have the same dtype"
    ("encode-uint8", lambda: AE.encode(torch.zeros(5, 3, dtype=torch.uint8)),
     r"the input of MLPAutoencoder must be float32.*got torch.uint8. Images of integers 0-255 need .float\(\) / 255"),
    # fixed: torch "mat1 and mat2 must have the same dtype"
    ("forward-wrong-width", lambda: AE(torch.zeros(5, 4)),
     r"MLPAutoencoder expects inputs of shape \(batch, 3\), got \(5, 4\)"),
    ("decode-wrong-width", lambda: AE.decode(torch.zeros(5, 3)),
     r"MLPAutoencoder.decode expects codes of shape \(batch, 2\), got \(5, 3\)"),
    ("decode-1d", lambda: AE.decode(torch.zeros(2)),
     r"MLPAutoencoder.decode expects codes of shape \(batch, 2\), got \(2,\)"),
    ("decode-float64", lambda: AE.decode(torch.zeros(5, 2, dtype=torch.float64)),
     r"the codes given to MLPAutoencoder.decode must be float32.*got torch.float64"),
    # fixed: torch "mat1 and mat2 must have the same dtype"
    ("vae-latent_dim-0", lambda: VAE(4, 0), r"latent_dim must be a positive integer, got 0"),
    ("vae-hidden-int", lambda: VAE(4, 2, hidden=128),
     r"hidden must be a sequence of positive integers.*for one entry write \(128,\)"),  # fixed: TypeError
    ("vae-activation-unknown", lambda: VAE(4, 2, activation="rellu"), r"unknown activation 'rellu'; use one of relu"),
    ("vae-sample-0", lambda: VAE4.sample(0), r"n must be a positive integer, got 0"),
    ("vae-sample-float", lambda: VAE4.sample(2.5), r"n must be a positive integer, got 2.5"),
    ("vae-sample-string", lambda: VAE4.sample("4"), r"n must be a positive integer, got '4'"),
    ("vae-encode_dist-wrong-shape", lambda: VAE4.encode_dist(torch.zeros(5, 3)),
     r"VAE expects inputs of shape \(batch, 4\), got \(5, 3\)"),
    ("vae-reparameterize-shapes", lambda: VAE4.reparameterize(torch.zeros(5, 2), torch.zeros(5, 3)),
     r"mu and logvar must have the same shape, got \(5, 2\) and \(5, 3\)"),
    ("vae-reparameterize-numpy", lambda: VAE4.reparameterize(np.zeros((5, 2)), np.zeros((5, 2))),
     r"mu must be a torch tensor, got ndarray; use torch.as_tensor"),  # fixed: TypeError from torch.exp
    ("interpolate-steps-1", lambda: interpolate(VAE4, torch.zeros(4), torch.zeros(4), steps=1),
     r"steps must be an integer of at least 2 \(the two ends\), got 1"),
    ("interpolate-steps-string", lambda: interpolate(VAE4, torch.zeros(4), torch.zeros(4), steps="8"),
     r"steps must be an integer of at least 2 \(the two ends\), got '8'"),
    ("interpolate-shapes", lambda: interpolate(VAE4, torch.zeros(4), torch.zeros(2, 4)),
     r"x_a and x_b must have the same shape, got \(4,\) and \(2, 4\)"),
    ("interpolate-numpy", lambda: interpolate(VAE4, np.zeros(4), np.zeros(4)),
     r"x_a must be a torch tensor, got ndarray"),  # fixed: AttributeError 'unsqueeze'
    ("conv-latent_dim-0", lambda: ConvAutoencoder(0), r"latent_dim must be a positive integer, got 0"),
    ("conv-two-channels", lambda: ConvAutoencoder(channels=(8, 16)),
     r"channels must be three positive numbers of feature maps, got \[8, 16\]"),
    ("conv-hidden-tuple", lambda: ConvAutoencoder(hidden=(128,)), r"hidden must be a positive integer, got \(128,\)"),
    ("conv-hidden-bool", lambda: ConvAutoencoder(hidden=True),
     r"hidden must be a positive integer, got True"),  # fixed: TypeError from nn.Linear
    ("conv-encode-flat", lambda: ConvAutoencoder().encode(torch.zeros(2, 784)),
     r"ConvAutoencoder expects inputs of shape \(batch, 1, 28, 28\), got \(2, 784\)"),
    ("conv-encode-no-channel", lambda: ConvAutoencoder().encode(torch.zeros(2, 28, 28)),
     r"ConvAutoencoder expects inputs of shape \(batch, 1, 28, 28\), got \(2, 28, 28\)"),
    ("head-one-class", lambda: ClassifierHead(AE, 1), r"n_classes must be an integer of at least 2, got 1"),
    ("head-classes-string", lambda: ClassifierHead(AE, "10"), r"n_classes must be an integer of at least 2, got '10'"),
    ("head-encoder-method", lambda: ClassifierHead(AE.encode, 10), r"encoder must be a torch nn.Module, got method"),
    ("head-latent_dim-unknown", lambda: ClassifierHead(nn.Flatten(), 10),
     r"the width of Flatten's codes is unknown; pass latent_dim=<positive integer>"),
    ("head-forward-wrong-shape", lambda: ClassifierHead(AE, 10)(torch.zeros(5, 4)),
     r"ClassifierHead expects inputs of shape \(batch, 3\), got \(5, 4\)"),
    ("pca-0", lambda: PCAEncoder(0), r"n_components must be a positive integer, got 0"),
    ("pca-float", lambda: PCAEncoder(2.5), r"n_components must be a positive integer, got 2.5"),
    ("pca-encode-before-fit", lambda: PCAEncoder(2).encode(torch.zeros(5, 3)),
     r"this PCAEncoder is not fitted yet; call fit\(x_train\) first"),
    ("pca-fit-numpy", lambda: PCAEncoder(2).fit(np.zeros((10, 3))),
     r"PCAEncoder.fit expects a tensor of samples \(N, ...\), got a ndarray; use torch.as_tensor"),
    # fixed: said "got (10, 3)", the right shape, without saying a tensor was missing
    ("pca-fit-1d", lambda: PCAEncoder(2).fit(torch.zeros(10)),
     r"PCAEncoder.fit expects a tensor of samples \(N, ...\), got shape \(10,\)"),
    ("pca-fit-too-many", lambda: PCAEncoder(5).fit(torch.zeros(10, 3)),
     r"n_components=5 exceeds min\(n_samples, n_features\) = 3"),
    ("pca-fit-nan", lambda: PCAEncoder(2).fit(torch.as_tensor(X_NAN)),
     r"PCAEncoder.fit's x holds 1 NaN or infinite values"),  # fixed: torch linalg.svd failed to converge
    ("pca-encode-wrong-shape", lambda: PCAEncoder(2).fit(torch.as_tensor(X)).encode(torch.zeros(5, 4)),
     r"PCAEncoder expects inputs of shape \(batch, 3\), got \(5, 4\)"),
    ("supervised-one-class", lambda: SupervisedAutoencoder(3, 2, n_classes=1),
     r"n_classes must be an integer of at least 2, got 1"),
    ("supervised-classify-wrong-width", lambda: SupervisedAutoencoder(3, 2, hidden=(4,)).classify(torch.zeros(5, 3)),
     r"SupervisedAutoencoder.classify expects codes of shape \(batch, 2\), got \(5, 3\)"),
    ("make_activation-unknown", lambda: models.make_activation("rellu"),
     r"unknown activation 'rellu'; use one of relu"),
]


@pytest.mark.parametrize("call, match, error", _cases(MODELS))
def test_models(call, match, error):
    _check(call, match, error)


# --- aelab.plots.images ----------------------------------------------------------

NAN_PIXELS = r"a NaN pixel would be drawn as a blank"

IMAGES_CASES = [
    ("grid-one-image", lambda: plots.image_grid(IMAGE),
     r"for one image of shape \(28, 28\), pass a batch of one: image\[None\]"),
    ("grid-1d", lambda: plots.image_grid(IMAGE.ravel()),
     r"expected images \(N, H, W\), \(N, C, H, W\) or \(N, H\*W\), got shape \(784,\)"),
    ("grid-5d", lambda: plots.image_grid(IMAGES[:, None, None]),
     r"expected images \(N, H, W\).*got shape \(6, 1, 1, 28, 28\)"),
    ("grid-empty", lambda: plots.image_grid(np.zeros((0, 28, 28))), r"image_grid needs at least one image"),
    ("grid-empty-list", lambda: plots.image_grid([]), r"expected images \(N, H, W\).*got shape \(0,\)"),
    ("grid-titles-short", lambda: plots.image_grid(IMAGES, titles=["a", "b"]),
     r"got 6 images but 2 titles"),  # fixed: IndexError list index out of range
    ("grid-ncols-0", lambda: plots.image_grid(IMAGES, ncols=0),
     r"ncols must be a positive integer, got 0"),  # fixed: silently one column
    ("grid-ncols-string", lambda: plots.image_grid(IMAGES, ncols="3"),
     r"ncols must be a positive integer, got '3'"),  # fixed: TypeError '<' between int and str
    ("grid-nan", lambda: plots.image_grid(np.full((2, 28, 28), np.nan)),
     rf"found 1568 NaN or infinite values in images; {NAN_PIXELS}"),  # fixed: drew blank images
    ("reconstructions-counts", lambda: plots.reconstructions(IMAGES, IMAGES[:3]),
     r"originals and reconstructions differ in shape: \(6, 28, 28\) vs \(3, 28, 28\)"),
    ("reconstructions-n-0", lambda: plots.reconstructions(IMAGES, IMAGES, n=0),
     r"n must be a positive integer, got 0"),  # fixed: matplotlib "Number of columns must be a positive integer"
    ("reconstructions-one-label", lambda: plots.reconstructions(IMAGES, IMAGES, labels=("a",)),
     r"got 2 rows \(originals, reconstructions\) but 1 labels"),  # fixed: IndexError tuple index
    ("reconstructions-empty", lambda: plots.reconstructions(IMAGES[:0], IMAGES[:0]),
     r"reconstructions needs at least one original"),  # fixed: matplotlib "Number of columns ..."
    ("reconstructions-one-image", lambda: plots.reconstructions(IMAGE, IMAGE),
     r"pass a batch of one: image\[None\]"),
    ("reconstructions-nan", lambda: plots.reconstructions(IMAGES, np.full_like(IMAGES, np.nan)),
     rf"NaN or infinite values in reconstructed; {NAN_PIXELS}"),  # fixed: drew blank images
    ("rows-list", lambda: plots.image_rows([IMAGES]), r"image_rows expects a non-empty dict \{row label: images\}"),
    ("rows-empty-row", lambda: plots.image_rows({"a": np.zeros((0, 28, 28))}),
     r"row 'a' of image_rows holds no images"),  # fixed: matplotlib "Number of columns must be a positive integer"
    ("rows-n-0", lambda: plots.image_rows({"a": IMAGES}, n=0),
     r"n must be a positive integer, got 0"),  # fixed: matplotlib "Number of columns ..."
    ("rows-one-image", lambda: plots.image_rows({"a": IMAGE}), r"pass a batch of one: image\[None\]"),
    ("traversal-3d", lambda: plots.traversal_grid(IMAGES),
     r"traversal_grid expects images \(rows, steps, H, W\) or \(rows, steps, 1, H, W\), got \(6, 28, 28\)"),
    ("traversal-row_labels", lambda: plots.traversal_grid(IMAGES.reshape(2, 3, 28, 28), row_labels=["a"]),
     r"row_labels needs 2 labels, got 1"),
    ("traversal-empty", lambda: plots.traversal_grid(np.zeros((0, 3, 28, 28))),
     r"traversal_grid needs at least one row and one step"),  # fixed: NumPy "negative dimensions"
    ("traversal-nan", lambda: plots.traversal_grid(np.full((2, 3, 28, 28), np.nan)),
     rf"NaN or infinite values in images; {NAN_PIXELS}"),  # fixed: drew a blank grid
]


@pytest.mark.parametrize("call, match, error", _cases(IMAGES_CASES))
def test_plots_images(call, match, error):
    _check(call, match, error)


# --- aelab.plots.training --------------------------------------------------------

TRAINING = [
    ("curves-missing-column", lambda: plots.training_curves(HISTORY, columns=["test_loss"]),
     r"the history has no column 'test_loss'; it has epoch, train_loss"),  # fixed: pandas KeyError
    ("curves-columns-string", lambda: plots.training_curves(HISTORY, columns="train_loss"),
     r"columns must be a list of column names, got the string 'train_loss'; write columns=\['train_loss'\]"),
    # fixed: pandas KeyError 't'
    ("curves-no-epoch", lambda: plots.training_curves(HISTORY.drop(columns="epoch")),
     r"training_curves expects a history with an 'epoch' column"),
    ("curves-dict", lambda: plots.training_curves({"epoch": [1, 2], "train_loss": [1, 2]}),
     r"training_curves expects a history DataFrame, as aelab.train.fit returns, got dict"),
    # fixed: AttributeError 'dict' object has no attribute 'columns'
    ("curves-no-loss-columns", lambda: plots.training_curves(HISTORY[["epoch"]]),
     r"the history has no train_\* or test_\* columns to draw \(it has epoch\); name them with columns="),
    # fixed: drew an empty plot
    ("curves-no-rows", lambda: plots.training_curves(HISTORY.iloc[:0]),
     r"training_curves got a history with no rows"),  # fixed: drew an empty plot
    ("comparison-metric", lambda: plots.history_comparison({"a": HISTORY}, metric="accuracy"),
     r"the history of 'a' has no 'epoch' and 'train_accuracy' columns"),
    ("comparison-list", lambda: plots.history_comparison([HISTORY]),
     r"history_comparison expects a non-empty dict \{run name: history\}"),
    ("comparison-not-a-frame", lambda: plots.history_comparison({"a": [1, 2]}),
     r"history_comparison \(run 'a'\) expects a history DataFrame.*got list"),
    # fixed: blamed missing columns, not the list
]


@pytest.mark.parametrize("call, match, error", _cases(TRAINING))
def test_plots_training(call, match, error):
    _check(call, match, error)


# --- aelab.plots.latents ---------------------------------------------------------

NAN_CODES = r"a NaN code cannot be drawn"

LATENTS = [
    ("scatter-4d", lambda: plots.latent_scatter(Z4),
     r"latent_scatter draws codes of shape \(N, 2\) or \(N, 3\), got \(30, 4\)"),
    ("scatter-1d", lambda: plots.latent_scatter(Z2[:, 0]),
     r"latent_scatter draws codes of shape \(N, 2\) or \(N, 3\), got \(30,\)"),
    ("scatter-labels-length", lambda: plots.latent_scatter(Z2, LABELS[:10]), r"got 30 codes but 10 labels"),
    ("scatter-one-hot", lambda: plots.latent_scatter(Z2, np.eye(3)[LABELS]),
     r"labels must be one entry per each of the 30 codes, a 1-D array of shape \(30,\), got shape \(30, 3\)"),
    # fixed: NumPy IndexError too many indices
    ("scatter-empty", lambda: plots.latent_scatter(np.zeros((0, 2))),
     r"latent_scatter draws codes of shape \(N, 2\) or \(N, 3\), got \(0, 2\)"),  # fixed: drew an empty plot
    ("scatter-nan", lambda: plots.latent_scatter(np.full((5, 2), np.nan)),
     rf"NaN or infinite values in the codes given to latent_scatter; {NAN_CODES}"),  # fixed: drew nothing
    ("scatter-3d-on-2d-axes", lambda: plots.latent_scatter(np.zeros((5, 3)), ax=_axes()),
     r"latent_scatter draws 3-D codes on a 3-D axes; make it with fig.add_subplot\(projection='3d'\)"),
    # fixed: matplotlib TypeError "got multiple values for argument 's'"
    ("pairplot-labels-length", lambda: plots.pairplot(Z2, LABELS[:10]),
     r"got 30 codes but 10 labels"),  # fixed: pandas "Length of values (10) does not match"
    ("pairplot-names-length", lambda: plots.pairplot(Z2, names=["a"]),
     r"got 2 dimensions but 1 names"),  # fixed: pandas "Shape of passed values"
    ("pairplot-1d", lambda: plots.pairplot(Z2[:, 0]), r"pairplot expects codes of shape \(N, D\).*got \(30,\)"),
    ("pairplot-nan", lambda: plots.pairplot(np.full((5, 2), np.nan)),
     rf"NaN or infinite values in the codes given to pairplot; {NAN_CODES}"),  # fixed: drew nothing
    ("stds-one-row", lambda: plots.latent_stds(Z4[:1]),
     r"latent_stds expects codes of shape \(N, D\) with N >= 2, got \(1, 4\)"),
    ("stds-3d", lambda: plots.latent_stds(Z4[:, :, None]),
     r"latent_stds expects codes of shape \(N, D\) with N >= 2, got \(30, 4, 1\)"),
    ("stds-nan", lambda: plots.latent_stds(Z4_NAN),
     rf"NaN or infinite values in the codes given to latent_stds; {NAN_CODES}"),  # fixed: NaN bars
    ("covariance-1d", lambda: plots.covariance(Z4[:, 0]),
     r"covariance expects codes of shape \(N, D\) with N >= 2, got \(30,\)"),
    ("covariance-nan", lambda: plots.covariance(Z4_NAN),
     rf"NaN or infinite values in the codes given to covariance; {NAN_CODES}"),  # fixed: a NaN matrix
    ("tsne-few-rows", lambda: plots.tsne(Z4[:3]), r"tsne expects codes of shape \(N, D\) with N >= 4, got \(3, 4\)"),
    ("tsne-n_points-2", lambda: plots.tsne(Z4, 2), r"n_points must be an integer of at least 4, got 2"),
    ("tsne-perplexity-negative", lambda: plots.tsne(Z4, perplexity=-1),
     r"perplexity must be a positive number, got -1"),  # fixed: scikit-learn InvalidParameterError
    ("tsne-nan", lambda: plots.tsne(Z4_NAN),
     rf"NaN or infinite values in the codes given to tsne; {NAN_CODES}"),  # fixed: scikit-learn "Input X contains NaN"
    ("tsne_scatter-labels-length", lambda: plots.tsne_scatter(Z4, LABELS[:3]), r"got 30 codes but 3 labels"),
    ("mark_points-one-point", lambda: plots.mark_points(_axes(), np.zeros(2), ["a"]),
     r"mark_points draws points of shape \(M, 2\), got \(2,\)"),
    ("mark_points-names-length", lambda: plots.mark_points(_axes(), np.zeros((2, 2)), ["a"]),
     r"got 2 points but 1 names"),
    ("index-3d", lambda: plots.latent_index(Z4[:, :, None]),
     r"latent_index expects codes of shape \(N, D\) or \(N,\), got \(30, 4, 1\)"),
    ("index-empty", lambda: plots.latent_index(np.zeros((0, 2))),
     r"latent_index expects codes of shape \(N, D\) or \(N,\), got \(0, 2\)"),  # fixed: drew an empty plot
]


@pytest.mark.parametrize("call, match, error", _cases(LATENTS))
def test_plots_latents(call, match, error):
    _check(call, match, error)


# --- aelab.plots.fits ------------------------------------------------------------

FITS = [
    ("parity-shapes", lambda: plots.parity(X, X[:5]),
     r"originals and reconstructions differ in shape: \(20, 3\) vs \(5, 3\)"),
    ("parity-names-short", lambda: plots.parity(X, X, names=["a"]),
     r"got 3 coordinates but 1 names"),  # fixed: IndexError list index out of range
    ("parity-empty", lambda: plots.parity(X[:0], X[:0]),
     r"parity needs at least one point, originals of shape \(N, F\), got \(0, 3\)"),
    # fixed: NumPy "cannot reshape array of size 0"
    ("parity-nan", lambda: plots.parity(X_NAN, X), r"found 1 NaN or infinite values in x"),  # fixed: drew a gap
    ("parity-many-coordinates", lambda: plots.parity(np.zeros((5, 20)), np.zeros((5, 20))),
     r"parity draws one panel per coordinate, at most 12; got 20 coordinates"),
    ("pruning-2d", lambda: plots.pruning_curve(np.zeros((3, 2))),
     r"explained must be a 1-D array of D \+ 1 >= 2 values, got shape \(3, 2\)"),
    ("pruning-delta-string", lambda: plots.pruning_curve([0, 0.5, 1], delta="0.1"),
     r"delta must be a non-negative number, got '0.1'"),  # fixed: "Unknown format code 'g'"
    ("pruning-nan", lambda: plots.pruning_curve([0, np.nan, 1]),
     r"found 1 NaN or infinite values in explained"),  # fixed: drew a broken curve
    ("regression-tuple-split", lambda: plots.regression_fit((1, 2, 3, 4), np.zeros(4)),
     r"split must be an aelab.data.Split with x_train, y_train, x_test and y_test.*got tuple"),
    # fixed: AttributeError 'tuple' object has no attribute 'x_train'
    ("regression-prediction-length", lambda: plots.regression_fit(SPLIT, np.zeros(4), np.zeros(5)),
     r"the curve 'prediction' has 5 values for 4 grid points"),
    ("cloud-2d", lambda: plots.point_cloud(X[:, :2]), r"point_cloud draws points of shape \(N, 3\), got \(20, 2\)"),
    ("cloud-reconstruction-shape", lambda: plots.point_cloud(X, X[:5]),
     r"points and reconstructions differ in shape: \(20, 3\) vs \(5, 3\)"),
    ("cloud-color-length", lambda: plots.point_cloud(X, color=np.arange(5)),
     r"got 20 points but 5 color values"),  # fixed: matplotlib "'c' argument has 5 elements"
    ("cloud-nan", lambda: plots.point_cloud(X_NAN), r"found 1 NaN or infinite values in x"),  # fixed: dropped a point
    ("variance-2d", lambda: plots.explained_variance(np.zeros((2, 2))),
     r"explained_variance expects a 1-D array of shares, got shape \(2, 2\)"),
    ("variance-empty", lambda: plots.explained_variance([]),
     r"explained_variance expects a 1-D array of shares, got shape \(0,\)"),
    ("variance-threshold-string", lambda: plots.explained_variance([0.5, 0.3], threshold="0.99"),
     r"threshold must be a non-negative number, got '0.99'"),  # fixed: "Unknown format code '%'"
    ("variance-nan", lambda: plots.explained_variance([0.5, np.nan]),
     r"found 1 NaN or infinite values in ratio"),  # fixed: drew a missing bar
]


@pytest.mark.parametrize("call, match, error", _cases(FITS))
def test_plots_fits(call, match, error):
    _check(call, match, error)


# --- aelab.plots.disentanglement -------------------------------------------------

DISENTANGLEMENT = [
    ("hinton-1d", lambda: plots.hinton(np.ones(3)),
     r"hinton draws a non-empty 2-D matrix of finite, non-negative values, got shape \(3,\)"),
    ("hinton-negative", lambda: plots.hinton(-np.ones((2, 2))),
     r"hinton draws importances, which are non-negative, but R has 4 negative entries"),
    ("hinton-nan", lambda: plots.hinton(np.full((2, 2), np.nan)), r"found 4 NaN or infinite values in R"),
    ("hinton-empty", lambda: plots.hinton(np.zeros((0, 0))),
     r"hinton draws a non-empty 2-D matrix.*got shape \(0, 0\)"),  # fixed: NumPy "zero-size array"
    ("hinton-row_labels", lambda: plots.hinton(np.ones((3, 2)), row_labels=["a", "b"]),
     r"got 3 rows \(codes\) but 2 row_labels"),  # fixed: matplotlib "number of FixedLocator locations"
    ("hinton-col_labels", lambda: plots.hinton(np.ones((3, 2)), col_labels=["a"]),
     r"got 2 columns \(factors\) but 1 col_labels"),  # fixed: matplotlib "number of FixedLocator locations"
    ("spread-1d", lambda: plots.effect_spread(np.ones(3)),
     r"effect_spread expects effects of shape \(n_inputs, latent_dim\), got \(3,\)"),
    ("spread-highlight-range", lambda: plots.effect_spread(np.ones((4, 2)), highlight={"a": 9}),
     r"highlight row 9 is outside 0..3"),
    ("spread-highlight-list", lambda: plots.effect_spread(np.ones((4, 2)), highlight=[0, 1]),
     r"highlight must be a dict \{label: row index\}.*got list"),  # fixed: AttributeError no attribute 'items'
    ("spread-empty", lambda: plots.effect_spread(np.ones((0, 2))),
     r"effect_spread expects effects of shape \(n_inputs, latent_dim\), got \(0, 2\)"),  # fixed: empty boxes
    ("spread-nan", lambda: plots.effect_spread(np.full((4, 2), np.nan)),
     r"found 8 NaN or infinite values in effects"),  # fixed: drew no boxes
]


@pytest.mark.parametrize("call, match, error", _cases(DISENTANGLEMENT))
def test_plots_disentanglement(call, match, error):
    _check(call, match, error)


# --- aelab.plots.maps ------------------------------------------------------------

MAPS = [
    ("code_grid-3d", lambda: plots.code_grid(Z4[:, :3]),
     r"code_grid maps 2-D codes, an array of shape \(N, 2\), got \(30, 3\).*codes\[:, :2\]"),
    ("code_grid-n-1", lambda: plots.code_grid(Z2, 1), r"n must be at least 2 points per axis, got 1"),
    ("code_grid-quantiles-scalar", lambda: plots.code_grid(Z2, quantiles=0.5),
     r"quantiles must be a pair \(low, high\) with 0 <= low < high <= 1.*got 0.5"),
    # fixed: TypeError cannot unpack non-iterable float
    ("code_grid-quantiles-order", lambda: plots.code_grid(Z2, quantiles=(0.9, 0.1)),
     r"quantiles must satisfy 0 <= low < high <= 1, got \(0.9, 0.1\)"),
    ("code_grid-nan", lambda: plots.code_grid(np.where(Z2 > 1, np.nan, Z2)),
     r"NaN or infinite values in the codes given to code_grid"),  # fixed: a grid of NaN
    ("code_grid-empty", lambda: plots.code_grid(np.zeros((0, 2))),
     r"code_grid maps 2-D codes, an array of shape \(N, 2\), got \(0, 2\)"),
    ("normal_grid-eps", lambda: plots.normal_grid(5, 0.6), r"eps must be a number strictly between 0 and 0.5, got 0.6"),
    ("normal_grid-n-string", lambda: plots.normal_grid("5"), r"n must be a positive integer, got '5'"),
    ("decode_codes-model", lambda: plots.decode_codes(AE, Z2),
     r"decode must be the decoder, model.decode, not the MLPAutoencoder itself"),
    # fixed: the model encoded the codes and blamed their shape as inputs
    ("decode_codes-1d", lambda: plots.decode_codes(DECODE, np.zeros(2)),
     r"codes must be a non-empty \(M, latent_dim\) batch, got \(2,\)"),
    ("decode_codes-wrong-width", lambda: plots.decode_codes(DECODE, Z4),
     r"MLPAutoencoder.decode expects codes of shape \(batch, 2\), got \(30, 4\)"),
    ("decode_codes-nan", lambda: plots.decode_codes(DECODE, np.full((2, 2), np.nan)),
     r"found 4 NaN or infinite values in codes; a NaN code decodes to a NaN image"),  # fixed: NaN images
    ("decoded_grid-count", lambda: plots.decoded_grid(np.zeros((5, 4, 4)), 3), r"a 3 x 3 grid needs 9 images, got 5"),
    ("decoded_grid-extent", lambda: plots.decoded_grid(np.zeros((9, 4, 4)), 3, extent=(1, 2, 3)),
     r"extent must be the grid's axes \(xs, ys\) or \(x_min, x_max, y_min, y_max\), got 3 values"),
    ("decoded_grid-one-image", lambda: plots.decoded_grid(np.zeros((28, 28)), 2),
     r"pass a batch of one: image\[None\]"),
    ("latent_map-4d", lambda: plots.latent_map(DECODE, Z4),
     r"latent_map maps 2-D codes, an array of shape \(N, 2\), got \(30, 4\)"),
    ("latent_map-labels-length", lambda: plots.latent_map(DECODE, Z2, LABELS[:5], n=3), r"got 30 codes but 5 labels"),
    ("latent_map-grid-points-only", lambda: plots.latent_map(DECODE, Z2, grid=plots.code_grid(Z2, 3)[0]),
     r"grid must be the pair \(points, \(xs, ys\)\) that code_grid or normal_grid returns"),
    # fixed: "too many values to unpack"
    ("ellipses-logvar-shape", lambda: plots.posterior_ellipses(Z2, Z2[:5]),
     r"mu and logvar must have the same shape \(N, 2\), got \(30, 2\) and \(5, 2\)"),
    ("ellipses-k-0", lambda: plots.posterior_ellipses(Z2, Z2, k=0), r"k must be a positive number, got 0"),
    ("ellipses-labels-length", lambda: plots.posterior_ellipses(Z2, Z2, LABELS[:4]), r"got 30 codes but 4 labels"),
    ("ellipses-nan", lambda: plots.posterior_ellipses(Z2, np.full_like(Z2, np.nan)),
     r"found 60 NaN or infinite values in logvar"),  # fixed: drew no ellipses
]


@pytest.mark.parametrize("call, match, error", _cases(MAPS))
def test_plots_maps(call, match, error):
    _check(call, match, error)


# --- aelab.plots.diagrams --------------------------------------------------------

DIAGRAMS = [
    ("autoencoder-one-layer", lambda: plots.autoencoder_diagram((784,)),
     r"autoencoder_diagram needs at least two layer widths \(input and code\), got \[784\]"),
    ("autoencoder-int", lambda: plots.autoencoder_diagram(784),
     r"autoencoder_diagram expects layers as a sequence of widths, got 784"),
    ("autoencoder-zero", lambda: plots.autoencoder_diagram((784, 0)),
     r"autoencoder_diagram needs every layer width to be a positive integer, got \[784, 0\]"),
    ("autoencoder-float", lambda: plots.autoencoder_diagram((784, 2.5)),
     r"autoencoder_diagram needs every layer width to be a positive integer, got \[784, 2.5\]"),
    ("vae-recon", lambda: plots.vae_diagram(recon="bce2"), r"recon must be one of bce, mse, l1, got 'bce2'"),
    ("vae-one-layer", lambda: plots.vae_diagram(layers=(784,)),
     r"vae_diagram needs at least two layer widths \(input and code\), got \[784\]"),
    ("conv_shapes-mlp", lambda: plots.conv_shapes(AE),
     r"conv_shapes expects an autoencoder with nn.Sequential encoder and decoder.*got MLPAutoencoder"),
    ("conv_shapes-string", lambda: plots.conv_shapes("conv"),
     r"conv_shapes expects an autoencoder with nn.Sequential encoder and decoder.*got str"),
    ("conv_shapes_diagram-class", lambda: plots.conv_shapes_diagram(ConvAutoencoder),
     r"conv_shapes_diagram expects an autoencoder.*such as aelab.models.ConvAutoencoder, got type"),
    ("least_volume-eta-0", lambda: plots.least_volume_diagram(eta=0), r"eta must be a positive number, got 0"),
    ("least_volume-n-1", lambda: plots.least_volume_diagram(n=1),
     r"n must be an integer of at least 2 \(a spread needs two codes\), got 1"),
    ("least_volume-seed-string", lambda: plots.least_volume_diagram(seed="0"),
     r"seed must be a non-negative integer, got '0'"),  # fixed: NumPy "SeedSequence expects int"
]


@pytest.mark.parametrize("call, match, error", _cases(DIAGRAMS))
def test_plots_diagrams(call, match, error):
    _check(call, match, error)


# --- aelab.explore ---------------------------------------------------------------

EXPLORE = [
    ("decode_point-length", lambda: explore.decode_point(DECODE, np.zeros(3)),
     r"z must be one code of shape \(2,\), got \(3,\)"),
    ("decode_point-nan", lambda: explore.decode_point(DECODE, [np.nan, 0]), r"z must hold finite numbers, got \[nan"),
    ("decode_point-batch", lambda: explore.decode_point(DECODE, Z2),
     r"z must be one code of shape \(2,\), got \(30, 2\)"),
    ("decode_point-none", lambda: explore.decode_point(None, [0, 0]),
     r"decode must be a function from codes to images, such as model.decode, got NoneType"),
    ("traverse_one-dim", lambda: explore.traverse_one(DECODE, [0, 0], 2, 1.0),
     r"dim must be an index of the code, 0 to 1, got 2"),
    ("traverse_one-value-string", lambda: explore.traverse_one(DECODE, [0, 0], 0, "1.0"),
     r"value must be a finite number, got '1.0'"),  # fixed: NumPy "ufunc 'isfinite' not supported"
    ("traverse_one-value-none", lambda: explore.traverse_one(DECODE, [0, 0], 0, None),
     r"value must be a finite number, got None"),  # fixed: NumPy "ufunc 'isfinite' not supported"
    ("code_explorer-4d", lambda: explore.code_explorer(DECODE, Z4),
     r"code_explorer maps 2-D codes, an array of shape \(N, 2\), got \(30, 4\)"),
    ("code_explorer-labels-length", lambda: explore.code_explorer(DECODE, Z2, LABELS[:4]),
     r"got 30 codes but 4 labels"),
    ("code_explorer-start", lambda: explore.code_explorer(DECODE, Z2, start=[0, 0, 0]),
     r"start must be one 2-D code, shape \(2,\), got \(3,\)"),
    ("code_explorer-n_points-0", lambda: explore.code_explorer(DECODE, Z2, n_points=0),
     r"n_points must be a positive integer, got 0"),  # fixed: silently scattered no codes
    ("code_explorer-4d-decoder", lambda: explore.code_explorer(MLPAutoencoder(16, 4).decode, Z2),
     r"code_explorer needs a decoder of 2-D codes, but this one takes 4; use latent_sliders"),
    ("sliders-width-0", lambda: explore.latent_sliders(DECODE, [0, 0], width=0),
     r"width must be a positive number, got 0"),
    ("sliders-ranges", lambda: explore.latent_sliders(DECODE, [0, 0], ranges=np.zeros((3, 2))),
     r"ranges must be \(2, 2\) finite \(low, high\) pairs with low < high.*got shape \(3, 2\)"),
    ("sliders-names", lambda: explore.latent_sliders(DECODE, [0, 0], names=["a"]),
     r"names needs one name per latent dimension, 2, got 1"),
    ("sliders-z0-batch", lambda: explore.latent_sliders(DECODE, Z2),
     r"z0 must be one code of shape \(2,\), got \(30, 2\)"),
    ("explorer_snapshot-13-points", lambda: explore.explorer_snapshot(DECODE, Z2, points=np.zeros((13, 2))),
     r"points must be \(M, 2\) with 1 <= M <= 12, got shape \(13, 2\)"),
    ("explorer_snapshot-names", lambda: explore.explorer_snapshot(DECODE, Z2, points=np.zeros((2, 2)), names=["a"]),
     r"got 2 points but 1 names"),
    ("explorer_snapshot-n_points-negative", lambda: explore.explorer_snapshot(DECODE, Z2, n_points=-1),
     r"n_points must be a positive integer, got -1"),  # fixed: NumPy "negative dimensions are not allowed"
    ("explorer_snapshot-labels-length", lambda: explore.explorer_snapshot(DECODE, Z2, LABELS[:3]),
     r"got 30 codes but 3 labels"),
    ("sliders_snapshot-steps-1", lambda: explore.sliders_snapshot(DECODE, [0, 0], steps=1),
     r"steps must be at least 2 \(the two ends\), got 1"),
    ("sliders_snapshot-dims-range", lambda: explore.sliders_snapshot(DECODE, [0, 0], dims=[2]),
     r"dims must be indices of the code, a list of integers 0 to 1.*got \[2\]"),
    ("sliders_snapshot-dims-int", lambda: explore.sliders_snapshot(DECODE, [0, 0], dims=1),
     r"dims must be indices of the code, a list of integers 0 to 1.*got 1"),  # fixed: TypeError not iterable
    ("sliders_snapshot-dims-float", lambda: explore.sliders_snapshot(DECODE, [0, 0], dims=[0.5]),
     r"dims must be indices of the code, a list of integers 0 to 1.*got \[0.5\]"),  # fixed: silently dim 0
]


@pytest.mark.parametrize("call, match, error", _cases(EXPLORE))
def test_explore(call, match, error):
    _check(call, match, error)
