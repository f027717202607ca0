import torch
import pathlib

import pytest

from aelab import runtime


@pytest.fixture(autouse=True)
def _no_seed_offset(monkeypatch):
    monkeypatch.delenv("AELAB_SEED", raising=False)


def test_device_is_a_torch_device_and_cached():
    assert isinstance(runtime.device(), torch.device)
    assert runtime.device() is runtime.device()


def test_forced_device(monkeypatch):
    runtime.device.cache_clear()
    monkeypatch.setenv("AELAB_DEVICE", "cpu")
    try:
        assert runtime.device() == torch.device("cpu")
    finally:
        runtime.device.cache_clear()


def test_unknown_forced_device_is_one_clear_error(monkeypatch):
    runtime.device.cache_clear()
    monkeypatch.setenv("AELAB_DEVICE", "tpu")
    try:
        with pytest.raises(ValueError, match="AELAB_DEVICE='tpu'.*cuda, mps, cpu"):
            runtime.device()
    finally:
        runtime.device.cache_clear()


def test_profile_and_budget(monkeypatch):
    monkeypatch.setenv("AELAB_QUICK", "1")
    assert runtime.quick() and runtime.profile() == "quick"
    assert runtime.budget(full=20, quick=2) == 2
    monkeypatch.setenv("AELAB_QUICK", "0")
    assert not runtime.quick() and runtime.profile() == "full"
    assert runtime.budget(full=20, quick=2) == 20
    monkeypatch.delenv("AELAB_QUICK")
    assert runtime.budget(full=20, quick=2) == 20


def test_seed_everything_repeats_draws():
    runtime.seed_everything(3)
    a = torch.randn(5)
    runtime.seed_everything(3)
    assert torch.equal(a, torch.randn(5))
    with pytest.raises(ValueError, match="non-negative integer"):
        runtime.seed_everything(-1)


def test_describe_names_device_and_profile():
    line = runtime.describe()
    assert "device:" in line and "profile:" in line


def test_import_does_not_probe_the_device():
    import subprocess, sys

    code = (
        "import aelab, aelab.runtime as r; "
        "assert r.device.cache_info().currsize == 0, 'device probed at import'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_forced_device_this_machine_lacks_is_one_clear_error(monkeypatch):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    monkeypatch.setenv("AELAB_DEVICE", "cuda")
    runtime.device.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="AELAB_DEVICE=cuda asks for a device this machine does not have"):
            runtime.device()
    finally:
        runtime.device.cache_clear()


@pytest.mark.parametrize("value, quick", [("1", True), ("true", True), ("0", False), ("", False)])
def test_the_quick_switch(monkeypatch, value, quick):
    monkeypatch.setenv("AELAB_QUICK", value)
    assert runtime.quick() is quick


def test_a_quick_switch_that_is_not_one_is_refused(monkeypatch):
    monkeypatch.setenv("AELAB_QUICK", "2")
    with pytest.raises(ValueError, match="AELAB_QUICK='2' is not a switch"):
        runtime.quick()


def test_aelab_seed_shifts_every_seed(monkeypatch):
    assert runtime.seed(2) == 2 and runtime._seed_offset() == 0
    monkeypatch.setenv("AELAB_SEED", "3")
    assert runtime.seed(2) == 5 and runtime._seed_offset() == 3
    runtime.seed_everything(0)
    shifted = torch.rand(3)
    torch.manual_seed(3)
    assert torch.equal(shifted, torch.rand(3))
    assert "seed offset: 3" in runtime.describe()


@pytest.mark.parametrize("bad", ["-1", "two", "1.5"])
def test_a_bad_seed_offset_is_refused(monkeypatch, bad):
    monkeypatch.setenv("AELAB_SEED", bad)
    with pytest.raises(ValueError, match="is not a seed offset"):
        runtime.seed(0)


def test_code_version_names_the_code_not_its_docstrings(tmp_path):
    import shutil

    import aelab

    copy = tmp_path / "aelab"
    shutil.copytree(pathlib.Path(aelab.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    base = runtime.code_version(copy)
    assert base == runtime.code_version() and len(base) == 12
    module = copy / "runtime.py"
    module.write_text(module.read_text().replace('"""The rule', '"""Another rule', 1).replace(
        "One line naming the device", "A line naming the device"))
    assert runtime.code_version(copy) == base  # a docstring is prose
    module.write_text(module.read_text().replace("maxsize=None", "maxsize=2"))
    assert runtime.code_version(copy) != base  # a changed value is new code
