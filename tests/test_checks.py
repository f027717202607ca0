"""aelab._arg_checks and aelab._array_checks: the shared checks, on their own.

Each function's use of them is tested with it.
"""

import numpy as np
import pytest
import torch

from aelab import _arg_checks, _array_checks, data, metrics, models


def test_in_range_strict_and_with_slack_on_tensors_and_arrays():
    _array_checks.in_range("x", torch.tensor([0.0, 1.0]), 0, 1)  # the ends are inside
    with pytest.raises(ValueError, match=r"^x must lie in \[0, 1\], but run from 0 to 1\.01\.$"):
        _array_checks.in_range("x", np.array([0.0, 1.01]), 0, 1)
    _array_checks.in_range("x", torch.tensor([-0.9, 1.9]), 0, 1, slack=1.0)  # a little outside: let through
    with pytest.raises(ValueError, match=r"^x must lie in \[0, 1\] for a sigmoid, but run from 0 to 255; "
                       r"divide by 255\.$"):
        _array_checks.in_range("x", torch.tensor([0, 255], dtype=torch.uint8), 0, 1, slack=1.0,
                        why=" for a sigmoid", hint="divide by 255")
    _array_checks.in_range("x", torch.zeros(0), 0, 1)  # nothing to check
    _array_checks.in_range("x", np.array([np.nan, 0.5]), 0, 1)  # NaN is finite_array's to refuse


def test_labels_say_where_the_number_of_classes_comes_from():
    with pytest.raises(ValueError, match=r"^y must hold labels 0 to 2 for 3 logits, got values from 1 to 3; "
                       r"labels counted from 1 need y - 1\.$"):
        _array_checks.labels("y", torch.tensor([1, 2, 3]), 3, 3, " for 3 logits")
    with pytest.raises(ValueError, match=r"^y must hold labels 0 to 2, got values from 0 to 5\.$"):
        _array_checks.labels("y", torch.tensor([0, 5, 1]), 3, 3)
    _array_checks.labels("y", torch.tensor([0, 2, 1]), 3, 3)


def test_is_int_and_is_number_take_numpy_scalars_and_refuse_bools():
    assert _arg_checks.is_int(3) and _arg_checks.is_int(np.int64(3)) and _arg_checks.is_int(np.uint8(3))
    assert not _arg_checks.is_int(True) and not _arg_checks.is_int(3.0) and not _arg_checks.is_int("3")
    assert _arg_checks.is_number(0.5) and _arg_checks.is_number(np.float32(0.5)) and _arg_checks.is_number(np.int64(2))
    assert not _arg_checks.is_number(False) and not _arg_checks.is_number(float("nan")) and not _arg_checks.is_number("0.5")


def test_int_at_least_returns_an_int_and_says_why():
    assert _arg_checks.int_at_least("steps", np.int64(5), 2) == 5 and type(_arg_checks.int_at_least("steps", 5, 2)) is int
    with pytest.raises(ValueError, match=r"^steps must be an integer of at least 2 \(the two ends\), got 1\.$"):
        _arg_checks.int_at_least("steps", 1, 2, " (the two ends)")
    with pytest.raises(ValueError, match=r"^steps must be an integer of at least 2, got True\.$"):
        _arg_checks.int_at_least("steps", True, 2)


def test_matrix_keeps_the_dtype_and_names_shape_dtype_and_nan():
    a = _array_checks.matrix("X", torch.ones(3, 2, dtype=torch.float64))
    assert isinstance(a, np.ndarray) and a.dtype == np.float64 and a.shape == (3, 2)
    assert _array_checks.matrix("factors", [0, 1, 2], "factors", vector=True).shape == (3, 1)  # one factor as a vector
    with pytest.raises(ValueError, match=r"^X must be a 2-D array \(n_samples, n_features\), got shape \(3,\)\.$"):
        _array_checks.matrix("X", np.zeros(3))
    with pytest.raises(ValueError, match=r"^X must hold numbers, got an array of dtype <U1\.$"):
        _array_checks.matrix("X", np.array([["a"]]))
    with pytest.raises(ValueError, match=r"^X must hold finite numbers only \(no NaN or infinity\), found 2\.$"):
        _array_checks.matrix("X", np.array([[np.nan, np.inf], [0.0, 1.0]]))


def test_codes_and_codes_2d_name_the_function_that_draws_them():
    z = _array_checks.codes("pairplot", torch.zeros(4, 3))
    assert isinstance(z, np.ndarray) and z.shape == (4, 3)
    with pytest.raises(ValueError, match=r"^tsne expects codes of shape \(N, D\) with N >= 4, got \(3, 2\)\.$"):
        _array_checks.codes("tsne", np.zeros((3, 2)), 4)
    with pytest.raises(ValueError, match=r"^found 1 NaN or infinite values in the codes given to pairplot; "
                       r"a NaN code cannot be drawn"):
        _array_checks.codes("pairplot", np.array([[np.nan, 0.0]]))
    assert _array_checks.codes_2d("code_grid", [[0.0, 1.0]]).shape == (1, 2)
    with pytest.raises(ValueError, match=r"^code_grid maps 2-D codes, an array of shape \(N, 2\), got \(5, 3\); "
                       r"for a larger latent space, map two of its dimensions, e\.g\. codes\[:, :2\]\.$"):
        _array_checks.codes_2d("code_grid", np.zeros((5, 3)))


def test_code_tensor_and_gaussian_refuse_arrays_and_wrong_shapes():
    _array_checks.code_tensor("z", torch.zeros(2, 3), 2)
    with pytest.raises(ValueError, match=r"^z must be a torch tensor, got ndarray"):
        _array_checks.code_tensor("z", np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"^z must be codes of shape \(batch, latent_dim\) with batch >= 2, "
                       r"got \(1, 3\)\.$"):
        _array_checks.code_tensor("z", torch.zeros(1, 3), 2)
    _array_checks.gaussian(torch.zeros(2, 3, 4), torch.zeros(2, 3, 4))  # any shape, the same for both
    with pytest.raises(ValueError, match=r"^mu and logvar must have the same shape, got \(2, 3\) and \(2, 2\)\.$"):
        _array_checks.gaussian(torch.zeros(2, 3), torch.zeros(2, 2))
    with pytest.raises(ValueError, match=r"^mu and logvar must both have shape \(batch, latent_dim\), "
                       r"got \(3,\) and \(3,\)\.$"):
        _array_checks.gaussian(torch.zeros(3), torch.zeros(3), batch=True)
    with pytest.raises(ValueError, match=r"^logvar must be a torch tensor, got ndarray"):
        _array_checks.gaussian(torch.zeros(3), np.zeros(3))


# A value one function accepts, the next does not refuse: NumPy integers (a count read
# from an array, np.int64) are taken wherever an integer is, and a bool is refused.
def _same_for_numpy_int(make):
    return make(3), make(np.int64(3))


@pytest.mark.parametrize("make", [
    lambda k: next(iter(data.batches(torch.arange(10.0), batch_size=k, shuffle=False)))[0],
    lambda k: models.MLPAutoencoder(4, k, hidden=(4,)).config,
    lambda k: models.SupervisedAutoencoder(4, 2, n_classes=k, hidden=(4,)).config,
    lambda k: models.PCAEncoder(k).config,
    lambda k: models.ClassifierHead(models.MLPAutoencoder(4, 2, hidden=(4,)), n_classes=k).n_classes,
    lambda k: data.toy_regression(n=k + 7, seed=0).x_train,
    lambda k: tuple(models.interpolate(models.VAE(4, 2, hidden=(4,)), torch.zeros(4), torch.ones(4), steps=k).shape),
    lambda k: metrics.class_prototypes(np.eye(6), np.arange(6) % 2, k=k, seed=0)[0].shape,
], ids=["batches", "MLPAutoencoder", "SupervisedAutoencoder", "PCAEncoder", "ClassifierHead", "toy_regression",
        "interpolate", "class_prototypes"])
def test_a_numpy_integer_is_taken_as_the_int(make):
    plain, numpy = _same_for_numpy_int(make)
    if torch.is_tensor(plain):
        assert torch.equal(plain, numpy)
    else:
        assert plain == numpy and repr(plain) == repr(numpy)  # stored as a plain int


@pytest.mark.parametrize("call, match", [
    (lambda: list(data.batches(torch.arange(10.0), batch_size=True)), "batch_size must be a positive integer"),
    (lambda: models.MLPAutoencoder(4, True, hidden=(4,)), "latent_dim must be a positive integer, got True"),
    (lambda: models.PCAEncoder(True), "n_components must be a positive integer, got True"),
    (lambda: metrics.class_prototypes(np.eye(6), np.arange(6) % 2, k=True), "k must be a positive integer, got True"),
    (lambda: data.toy_regression(n=True), r"n must be an integer of at least 2 .*got True"),
])
def test_a_bool_is_not_an_integer(call, match):
    with pytest.raises(ValueError, match=match):
        call()
