"""aelab.checkpoints: an explicit save and a safe load that refuses the wrong model."""

import os
import pickle

import pandas as pd
import pytest
import torch

from aelab import checkpoints, models, train


def _model(seed=0, latent=2):
    torch.manual_seed(seed)
    return models.MLPAutoencoder(3, latent, hidden=(8,))


def test_round_trip_restores_weights_and_history(tmp_path):
    model, x = _model(), torch.randn(32, 3)
    history = train.fit(model, x, train.reconstruction_objective(), epochs=2, device="cpu")
    path = checkpoints.save(tmp_path / "sub" / "ae.pt", model, history)
    fresh = _model(seed=1)
    loaded = checkpoints.load(path, fresh)
    pd.testing.assert_frame_equal(loaded, history, check_dtype=False)
    for a, b in zip(model.state_dict().values(), fresh.state_dict().values()):
        assert torch.equal(a, b)
    assert checkpoints.load(checkpoints.save(tmp_path / "bare.pt", model), _model()) is None


def test_a_checkpoint_of_other_sizes_is_refused(tmp_path):
    path = checkpoints.save(tmp_path / "ae.pt", _model(latent=2))
    with pytest.raises(ValueError, match=r"holds a MLPAutoencoder with .*latent_dim': 2.*build the model it was saved from"):
        checkpoints.load(path, _model(latent=3))
    with pytest.raises(ValueError, match="holds a MLPAutoencoder"):
        checkpoints.load(path, models.MLP([3, 2]))


class _Payload:
    """Unpickling this would create a folder: the loader must never do it."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_loading_never_runs_pickled_code(tmp_path):
    path, marker = tmp_path / "evil.pt", tmp_path / "pwned"
    with open(path, "wb") as f:
        pickle.dump({"state_dict": _Payload(str(marker))}, f)
    with pytest.raises(ValueError, match="not a checkpoint aelab can read safely"):
        checkpoints.load(path, _model())
    assert not marker.exists()


def test_a_device_name_torch_does_not_know_is_one_sentence(tmp_path):
    # was: "... is not a checkpoint aelab can read safely", blaming the file for the device's name
    path = checkpoints.save(tmp_path / "ae.pt", _model())
    with pytest.raises(ValueError, match=r"^device must be a torch.device or a name such as 'cpu', 'cuda', "
                       r"'cuda:0' or 'mps', got 'gpu'; aelab.runtime.device\(\) picks the best one\.$"):
        checkpoints.load(path, _model(), device="gpu")
    assert checkpoints.load(path, _model(), device="cpu") is None


def test_a_missing_or_corrupt_file_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint at"):
        checkpoints.load(tmp_path / "none.pt", _model())
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match="not a checkpoint"):
        checkpoints.load(tmp_path / "junk.pt", _model())


def test_home_folder_is_expanded_and_bad_places_fail_before_anything_is_lost(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    path = checkpoints.save("~/ckpt/ae.pt", _model())
    assert path == tmp_path / "ckpt" / "ae.pt" and path.exists() and not (tmp_path / "~").exists()
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    with pytest.raises(OSError, match="could not write the checkpoint"):
        checkpoints.save(blocker / "ae.pt", _model())
    with pytest.raises(ValueError, match="save needs a torch model"):
        checkpoints.save(tmp_path / "x.pt", "model")
    with pytest.raises(ValueError, match="path must be a file name"):
        checkpoints.save(None, _model())
