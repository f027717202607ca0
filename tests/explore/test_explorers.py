"""aelab.explore.explorers: the live widgets, a 2-D code space and one slider per dimension."""

import subprocess
import sys

import numpy as np
import pytest
import torch

from aelab import explore
from aelab.models import MLPAutoencoder
from tests.helpers import decode, reference, shown
from tests.mistakes import DECODE, LABELS, Z2, Z4, _cases, _check


def test_latent_sliders_one_per_dimension_and_they_move_the_image():
    pytest.importorskip("ipywidgets")
    z0 = np.array([0.2, -0.4, 1.0])
    box = explore.latent_sliders(decode, z0, names=["a", "b", "c"])
    assert len(box.sliders) == 3
    assert [s.description for s in box.sliders] == ["a", "b", "c"]
    np.testing.assert_allclose([s.value for s in box.sliders], z0)
    np.testing.assert_allclose([(s.min, s.max) for s in box.sliders], np.stack([z0 - 3, z0 + 3], 1))
    first = shown(box.image)
    assert first.shape[0] % 8 == 0  # whole-pixel enlargement of the 8 x 8 image
    scale = first.shape[0] // 8
    np.testing.assert_allclose(first[::scale, ::scale], reference(z0), atol=2 / 255)
    box.sliders[2].value = -2.0  # the observer redraws
    np.testing.assert_allclose(shown(box.image)[::scale, ::scale], reference([0.2, -0.4, -2.0]), atol=2 / 255)
    box.reset()
    np.testing.assert_array_equal(shown(box.image), first)


def test_latent_sliders_ranges_and_bad_arguments():
    pytest.importorskip("ipywidgets")
    box = explore.latent_sliders(decode, [0.0, 0.0, 5.0], ranges=[[-1, 1], [-2, 2], [0, 1]])
    assert [(s.min, s.max) for s in box.sliders] == [(-1, 1), (-2, 2), (0, 5)]  # widened to reach z0
    with pytest.raises(ValueError, match=r"ranges must be \(3, 2\)"):
        explore.latent_sliders(decode, [0.0, 0.0, 0.0], ranges=[[-1, 1]])
    with pytest.raises(ValueError, match="one name per latent dimension"):
        explore.latent_sliders(decode, [0.0, 0.0, 0.0], names=["a"])


def test_code_explorer_builds_headless_and_redraws():
    pytest.importorskip("ipywidgets")
    model = MLPAutoencoder((1, 8, 8), latent_dim=2, hidden=(16,), output="sigmoid")
    codes, labels = torch.randn(300, 2), torch.randint(0, 10, (300,))
    box = explore.code_explorer(model.decode, codes, labels)
    sx, sy = box.sliders
    assert sx.min < float(codes[:, 0].median()) < sx.max and sy.orientation == "vertical"
    before = box.image.value
    assert before[:8] == b"\x89PNG\r\n\x1a\n"
    sx.value = sx.min
    assert box.image.value != before


def test_code_explorer_refuses_codes_that_are_not_2d():
    pytest.importorskip("ipywidgets")
    with pytest.raises(ValueError, match=r"code_explorer maps 2-D codes, an array of shape \(N, 2\)"):
        explore.code_explorer(decode, torch.randn(20, 3))
    model = MLPAutoencoder((1, 8, 8), latent_dim=3, hidden=(16,))
    with pytest.raises(ValueError, match="needs a decoder of 2-D codes"):
        explore.code_explorer(model.decode, torch.randn(20, 2))


def test_a_device_name_torch_does_not_know_is_refused_before_drawing():
    pytest.importorskip("ipywidgets")
    gpu = r"^device must be a torch.device or a name such as 'cpu', 'cuda', 'cuda:0' or 'mps', got 'gpu'"
    with pytest.raises(ValueError, match=gpu):
        explore.code_explorer(DECODE, Z2, device="gpu")
    with pytest.raises(ValueError, match=gpu):
        explore.latent_sliders(decode, np.zeros(3), device="gpu")


def test_importing_aelab_does_not_import_ipywidgets():
    code = "import sys, aelab; from aelab import explore; assert 'ipywidgets' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_aelab_alone_brings_estimators_and_explore():
    code = ("import sys, aelab; aelab.estimators.AutoencoderEstimator; aelab.explore.code_explorer; "
            "assert {'estimators', 'explore'} <= set(aelab.__all__) and 'ipywidgets' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
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
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_explore(call, match, error):
    _check(call, match, error)
