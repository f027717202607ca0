"""Fashion-MNIST: the idx reader, the stratified subsets, each source, and the reason when there is none."""

import gzip
import os
import socket
import struct
import time

import numpy as np
import pytest
import torch

from aelab import data
from aelab.data import _common, fashion
from aelab.data.fashion import _read_idx

STEMS = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def _idx_bytes(array: np.ndarray, magic: int | None = None) -> bytes:
    # MNIST's raw format: magic 0x0000080N (unsigned bytes, N dimensions), big-endian sizes, then the bytes.
    magic = 0x0800 + array.ndim if magic is None else magic
    return struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape) + array.astype(np.uint8).tobytes()


def _write(path, array, gz=False, magic=None):
    raw = _idx_bytes(array, magic)
    path.write_bytes(gzip.compress(raw) if gz else raw)
    return path


def _fake_set(folder, n_train=300, n_test=100, gz=True, seed=0):
    """Fashion-MNIST's four files with random pixels and unbalanced classes (class c has a share ~ c + 1)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    shares = np.arange(1, 11) / np.arange(1, 11).sum()
    arrays = []
    for n in (n_train, n_test):
        arrays += [rng.integers(0, 256, (n, 28, 28)), rng.choice(10, size=n, p=shares)]
    for stem, array in zip(STEMS, arrays):
        _write(folder / (stem + ".gz" if gz else stem), array, gz=gz)
    return arrays


def _offline(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network is unreachable (test)")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(_common, "reachable", lambda url, seconds: False)  # the probe: nobody answers


# --------------------------------------------------------------------------- the idx reader


@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_plain_and_gzipped(tmp_path, gz):
    images = np.arange(2 * 3 * 4).reshape(2, 3, 4)
    labels = np.array([7, 0, 9])
    got = _read_idx(_write(tmp_path / "images", images, gz=gz))
    assert got.dtype == np.uint8 and got.shape == (2, 3, 4)
    np.testing.assert_array_equal(got, images)
    np.testing.assert_array_equal(_read_idx(_write(tmp_path / "labels", labels, gz=gz)), labels)


def test_read_idx_refuses_a_wrong_magic(tmp_path):
    path = _write(tmp_path / "bad", np.zeros((2, 28, 28)), magic=2052)
    with pytest.raises(ValueError, match=r"not an idx file of images or labels: its magic number is 2052, "
                                         r"not 2051 or 2049\."):
        _read_idx(path)


@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_refuses_a_truncated_file(tmp_path, gz):
    raw = _idx_bytes(np.zeros((5, 28, 28)))[:-100]  # the header promises 5 images, 4 and a bit are there
    path = tmp_path / "short"
    path.write_bytes(gzip.compress(raw) if gz else raw)
    with pytest.raises(ValueError, match=r"holds 3,820 bytes of images where its header promises "
                                         r"5 x 28 x 28 = 3,920; it is truncated or damaged\."):
        _read_idx(path)
    path.write_bytes(gzip.compress(raw)[:-20])  # the gzip stream itself cut short
    with pytest.raises(ValueError, match="damaged or truncated gzip file"):
        _read_idx(path)
    path.write_bytes(b"\x00\x00\x08\x03\x00\x00")  # cut inside the header
    with pytest.raises(ValueError, match="is truncated: 6 bytes, fewer than its 16-byte header"):
        _read_idx(path)


# --------------------------------------------------------------------------- the Debian files, subsets


def test_debian_files_in_a_folder_are_read_and_checked(tmp_path, monkeypatch, capsys):
    x_train, y_train, x_test, y_test = _fake_set(tmp_path, gz=False)
    monkeypatch.setenv("AELAB_FASHION_DIR", str(tmp_path))
    d = data.fashion_mnist("debian", device="cpu")
    assert f"Debian's files in {tmp_path}, 300 train / 100 test" in capsys.readouterr().out
    assert d.source == "debian"
    assert d.x_train.shape == (300, 1, 28, 28) and d.x_test.shape == (100, 1, 28, 28)
    assert d.x_train.dtype == torch.float32 and d.y_train.dtype == torch.int64 and d.x_train.device.type == "cpu"
    torch.testing.assert_close(d.x_test[:, 0], torch.as_tensor(x_test / 255.0, dtype=torch.float32))
    assert torch.equal(d.y_train, torch.as_tensor(y_train))

    _write(tmp_path / STEMS[3], y_test[:-1])  # one label short
    with pytest.raises(RuntimeError, match=r"holds 100 images but .* 99 labels\.$"):
        data.fashion_mnist("debian", device="cpu")


def test_subsets_are_stratified_and_seeded(tmp_path, monkeypatch):
    _, y_train, _, _ = _fake_set(tmp_path, n_train=1000)
    monkeypatch.setenv("AELAB_FASHION_DIR", str(tmp_path))
    a = data.fashion_mnist("debian", n_train=200, n_test=30, device="cpu", verbose=False)
    assert len(a.y_train) == 200 and len(a.y_test) == 30 and a.x_train.shape == (200, 1, 28, 28)
    # each class keeps its share of the 1,000 (to one image), though the classes are unbalanced
    share = np.bincount(y_train, minlength=10) * 200 / 1000
    assert np.all(np.abs(np.bincount(a.y_train.numpy(), minlength=10) - share) < 1)
    # the same call gives the same images; another seed, others
    b = data.fashion_mnist("debian", n_train=200, n_test=30, device="cpu", verbose=False)
    assert torch.equal(a.x_train, b.x_train) and torch.equal(a.y_test, b.y_test)
    c = data.fashion_mnist("debian", n_train=200, n_test=30, seed=1, device="cpu", verbose=False)
    assert not torch.equal(a.x_train, c.x_train)
    everything = data.fashion_mnist("debian", n_train=5000, device="cpu", verbose=False)
    assert len(everything.y_train) == 1000


def test_debian_package_end_to_end(monkeypatch, capsys):
    monkeypatch.delenv("AELAB_FASHION_DIR", raising=False)
    installed = (fashion.DEBIAN_DIR / (STEMS[0] + ".gz")).is_file() or (fashion.DEBIAN_DIR / STEMS[0]).is_file()
    if not installed and os.environ.get("CI", "").lower() != "true":  # under CI it must be installed
        pytest.skip(f"Debian's dataset-fashion-mnist is not installed (no files in {fashion.DEBIAN_DIR}); "
                    f"apt-get install dataset-fashion-mnist")
    start = time.perf_counter()
    d = data.fashion_mnist("debian", device="cpu")
    seconds = time.perf_counter() - start
    assert "60,000 train / 10,000 test" in capsys.readouterr().out
    assert d.x_train.shape == (60000, 1, 28, 28) and d.x_test.shape == (10000, 1, 28, 28)
    assert d.x_train.dtype == torch.float32 and d.y_test.dtype == torch.int64
    assert d.x_train.min() == 0 and d.x_train.max() == 1
    # Fashion-MNIST is balanced: 6,000 and 1,000 images of each class
    assert torch.equal(torch.bincount(d.y_train), torch.full((10,), 6000))
    assert torch.equal(torch.bincount(d.y_test), torch.full((10,), 1000))
    assert seconds < 30, f"reading the package's files took {seconds:.0f} s"
    small = data.fashion_mnist("debian", n_train=1000, n_test=200, device="cpu", verbose=False)
    assert torch.equal(torch.bincount(small.y_train), torch.full((10,), 100))
    assert len(data.FASHION_CLASSES) == 10 and data.FASHION_CLASSES[9] == "Ankle boot"


# --------------------------------------------------------------------------- choosing a source


def test_torchvision_files_on_disk_come_first(tmp_path, monkeypatch, capsys):
    """torchvision's real loader, on files written where it looks; the Debian folder is empty."""
    _offline(monkeypatch)  # the files are there, so nothing may be downloaded
    monkeypatch.setenv("AELAB_FASHION_DIR", str(tmp_path / "empty"))
    monkeypatch.delenv("AELAB_FASHION", raising=False)
    arrays = _fake_set(tmp_path / "FashionMNIST" / "raw", n_train=40, n_test=20, gz=False)
    d = data.fashion_mnist(root=tmp_path, device="cpu")
    assert "torchvision's Fashion-MNIST, 40 train / 20 test" in capsys.readouterr().out
    assert d.source == "torchvision" and torch.equal(d.y_test, torch.as_tensor(arrays[3]))


def test_neither_source_returns_the_reason_at_once(tmp_path, monkeypatch, capsys):
    import torchvision  # noqa: F401  the clock measures the choice, not a first import of torchvision

    _offline(monkeypatch)
    monkeypatch.setenv("AELAB_FASHION_DIR", str(tmp_path / "empty"))
    monkeypatch.delenv("AELAB_FASHION", raising=False)
    start = time.perf_counter()
    got = data.fashion_mnist(root=tmp_path, device="cpu")
    assert time.perf_counter() - start < 5.0
    assert isinstance(got, data.Unavailable) and not got
    assert "torchvision's Fashion-MNIST could not be loaded or downloaded into" in got.reason
    assert "did not answer within 4 s" in got.reason
    assert "Debian's dataset-fashion-mnist is not installed" in got.reason and "apt-get install" in got.reason
    line = capsys.readouterr().out
    assert line.startswith("Fashion-MNIST source: none, so the sections that use it are skipped (")
    assert got.reason in line and line.count("\n") == 1


def test_a_damaged_debian_file_is_a_reason_in_auto_and_an_error_when_forced(tmp_path, monkeypatch):
    _offline(monkeypatch)
    _fake_set(tmp_path, gz=True)
    _write(tmp_path / (STEMS[0] + ".gz"), np.zeros((300, 28, 28)), gz=True, magic=2049 + 0x100)
    monkeypatch.setenv("AELAB_FASHION_DIR", str(tmp_path))
    monkeypatch.delenv("AELAB_FASHION", raising=False)
    got = data.fashion_mnist(root=tmp_path / "tv", device="cpu", verbose=False)
    assert not got and "magic number is 2305" in got.reason
    monkeypatch.setenv("AELAB_FASHION", "debian")
    with pytest.raises(RuntimeError, match=r"^Fashion-MNIST from source 'debian' is unavailable: .*magic number"):
        data.fashion_mnist(device="cpu")


def test_forced_torchvision_offline_is_one_clear_error(tmp_path, monkeypatch):
    _offline(monkeypatch)
    monkeypatch.setenv("AELAB_FASHION", "torchvision")
    with pytest.raises(RuntimeError, match=r"^Fashion-MNIST from source 'torchvision' is unavailable: "
                                           r"torchvision's Fashion-MNIST could not be loaded .* within 4 s\)\.$"):
        data.fashion_mnist(root=tmp_path)


@pytest.mark.parametrize("call, message", [
    (lambda: data.fashion_mnist("kaggle"), r"^unknown Fashion-MNIST source 'kaggle'; use one of auto, torchvision, "
                                           r"debian\.$"),
    (lambda: data.fashion_mnist(n_train=0), "n_train must be a positive integer, got 0"),
    (lambda: data.fashion_mnist(n_test=2.5), "n_test must be a positive integer, got 2.5"),
    (lambda: data.fashion_mnist(seed=-1), "seed must be a non-negative integer, got -1"),
])
def test_mistakes_get_one_sentence(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_an_unknown_forced_source_is_one_sentence(monkeypatch):
    monkeypatch.setenv("AELAB_FASHION", "s3")
    with pytest.raises(ValueError, match=r"^AELAB_FASHION='s3' names no Fashion-MNIST source; "
                                         r"use one of auto, torchvision, debian\.$"):
        data.fashion_mnist()
