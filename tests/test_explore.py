import io
import subprocess
import sys

import matplotlib.image
import numpy as np
import pytest
import torch

from aelab import explore
from aelab.models import MLPAutoencoder

W = torch.randn(3, 64, generator=torch.Generator().manual_seed(0))  # a fixed linear decoder, 3 -> 8 x 8


def decode(z: torch.Tensor) -> torch.Tensor:
    return torch.sigmoid(z @ W).view(len(z), 1, 8, 8)


def reference(z) -> np.ndarray:
    """What the decoder gives for one code, computed directly."""
    return torch.sigmoid(torch.as_tensor(z, dtype=torch.float32) @ W).view(8, 8).numpy()


def shown(image_widget) -> np.ndarray:
    """The grey levels of a widget's PNG, (H, W) in [0, 1]."""
    return matplotlib.image.imread(io.BytesIO(image_widget.value), format="png")[..., 0]


def test_decode_point_is_the_decoders_image():
    z = [0.5, -1.0, 2.0]
    out = explore.decode_point(decode, z)
    assert out.shape == (8, 8)
    np.testing.assert_allclose(out, reference(z), atol=1e-6)
    np.testing.assert_allclose(explore.decode_point(decode, torch.tensor([z])), reference(z), atol=1e-6)


def test_traverse_one_sets_one_dimension_only():
    z = np.array([0.5, -1.0, 2.0])
    out = explore.traverse_one(decode, z, 1, 3.0)
    np.testing.assert_allclose(out, reference([0.5, 3.0, 2.0]), atol=1e-6)
    np.testing.assert_array_equal(z, [0.5, -1.0, 2.0])  # the caller's code is untouched


def test_callbacks_refuse_bad_codes_and_dims():
    model = MLPAutoencoder((1, 8, 8), latent_dim=2, hidden=(16,))
    with pytest.raises(ValueError, match=r"z must be one code of shape \(2,\), got \(3,\)"):
        explore.decode_point(model.decode, [0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="one code"):
        explore.decode_point(decode, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="dim must be an index of the code, 0 to 2, got 3"):
        explore.traverse_one(decode, [0.0, 0.0, 0.0], 3, 1.0)


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


def test_explorer_snapshot_shows_each_point():
    decode2 = lambda z: decode(torch.cat([z, torch.zeros(len(z), 1)], 1))  # noqa: E731
    codes, labels = torch.randn(200, 2), torch.arange(200) % 4
    fig = explore.explorer_snapshot(decode2, codes, labels)
    assert len(fig.axes) == 1 + 4  # the scatter, then one image per label's median
    assert [ax.get_title() for ax in fig.axes[1:]] == ["median 0", "median 1", "median 2", "median 3"]
    points = np.array([[0.0, 0.0], [1.0, -1.0]])
    fig = explore.explorer_snapshot(decode2, codes, points=points, names=["here", "there"])
    np.testing.assert_allclose(fig.axes[2].images[0].get_array(), reference([1.0, -1.0, 0.0]), atol=1e-6)
    with pytest.raises(ValueError, match="2 points but 1 names"):
        explore.explorer_snapshot(decode2, codes, points=points, names=["one"])


def test_sliders_snapshot_middle_column_is_the_input():
    z0 = np.array([0.3, -0.2, 0.7])
    ax = explore.sliders_snapshot(decode, z0, steps=5)
    tile = np.asarray(ax.images[0].get_array())
    assert tile.shape == (3 * 9 - 1, 5 * 9 - 1)  # 8 x 8 images with one-pixel gaps
    for r in range(3):
        np.testing.assert_allclose(tile[r * 9 : r * 9 + 8, 2 * 9 : 2 * 9 + 8], reference(z0), atol=1e-6)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["-3", "-1.5", "0", "+1.5", "+3"]
    with pytest.raises(ValueError, match="dims must be indices"):
        explore.sliders_snapshot(decode, z0, dims=[3])


def test_importing_aelab_does_not_import_ipywidgets():
    code = "import sys, aelab; from aelab import explore; assert 'ipywidgets' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
