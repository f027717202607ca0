"""aelab.data.toy: the noisy cosine of chapter 1 and the curve in 3-D of chapter 2."""

import math

import pytest
import torch

from aelab import data


def test_toy_regression_shapes_split_and_seed():
    s = data.toy_regression(device="cpu")
    assert s.x_train.shape == (18, 1) and s.x_test.shape == (12, 1)
    assert s.y_train.shape == (18, 1) and s.y_test.shape == (12, 1)
    assert s.x_train.dtype == torch.float32 and s.x_train.device.type == "cpu"
    x = torch.cat([s.x_train, s.x_test])
    assert x.min() >= -1 and x.max() <= 1
    # train and test are disjoint parts of the same 30 points
    assert len(set(x[:, 0].tolist())) == 30
    assert torch.all(s.x_train[1:, 0] >= s.x_train[:-1, 0])  # sorted for plotting
    again = data.toy_regression(device="cpu")
    assert torch.equal(s.x_train, again.x_train) and torch.equal(s.y_test, again.y_test)
    other = data.toy_regression(seed=1, device="cpu")
    assert not torch.equal(s.x_train, other.x_train)


def test_toy_regression_is_the_noisy_cosine():
    s = data.toy_regression(n=2000, noise=0.1, device="cpu")
    residual = s.y_train - torch.cos(1.5 * math.pi * s.x_train)
    assert abs(residual.std().item() - 0.1) < 0.01
    noiseless = data.toy_regression(noise=0.0, device="cpu")
    assert torch.allclose(noiseless.y_train, data.toy_function(noiseless.x_train))


def test_toy_regression_bad_input():
    with pytest.raises(ValueError, match="at least 2 points"):
        data.toy_regression(n=1)
    with pytest.raises(ValueError, match="test_fraction"):
        data.toy_regression(test_fraction=1.0)


def test_curve_formula_noise_and_seed():
    c = data.curve(n=50, noise=0.0, device="cpu")
    t = torch.linspace(-1, 1, 50)
    assert c.x.shape == (50, 3) and c.t.shape == (50,)
    expected = torch.stack([torch.sin(2 * t), t**2, torch.cos(5 * t)], 1)
    assert torch.allclose(c.x, expected)
    noisy = data.curve(n=50, noise=0.01, seed=4, device="cpu")
    assert torch.equal(noisy.x, data.curve(n=50, noise=0.01, seed=4, device="cpu").x)
    assert 0.005 < (noisy.x - expected).std() < 0.02


@pytest.mark.parametrize("call, message", [
    (lambda: data.toy_regression(n=30.0),
         r"^n must be an integer of at least 2 \(toy_regression needs at least 2 points\), got 30\.0\.$"),
    (lambda: data.toy_regression(n=30, test_fraction=0), "test_fraction must lie strictly between 0 and 1"),
    (lambda: data.toy_regression(n=30, seed=-1), "seed must be a non-negative integer, got -1"),
    (lambda: data.curve(noise=-1), "noise must be a non-negative number"),
])
def test_data_mistakes_get_one_sentence(call, message):
    with pytest.raises(ValueError, match=message):
        call()
