"""The procedural images with known factors (aelab.data.shapes, render_shapes)."""

import math

import pytest
import torch

from aelab import data


def _one(**values):
    row = {"x": 0.0, "y": 0.0, "scale": 0.6, "angle": 0.0, "intensity": 1.0}
    row.update(values)
    return torch.tensor([[row[name] for name in data.SHAPE_FACTORS]])


def test_shapes_split_shapes_ranges_and_names():
    s = data.shapes(300, 100, device="cpu")
    assert s.x_train.shape == (300, 1, 32, 32) and s.x_test.shape == (100, 1, 32, 32)
    assert s.y_train.shape == (300, 5) and s.y_test.shape == (100, 5)
    assert s.x_train.dtype == torch.float32 and s.y_train.dtype == torch.float32
    assert s.factor_names == ("x", "y", "scale", "angle", "intensity")
    assert isinstance(s, data.Split) and s.source == "generated"
    assert s.x_train.min() >= 0 and s.x_train.max() <= 1
    f = torch.cat([s.y_train, s.y_test])
    for j, (low, high) in enumerate(data.SHAPE_FACTORS.values()):
        assert f[:, j].min() >= low and f[:, j].max() <= high
        # uniform: the whole range is used
        assert f[:, j].max() - f[:, j].min() > 0.9 * (high - low)
    # the factors are drawn independently: no strong correlation between any two
    corr = torch.corrcoef(f.T)
    assert (corr - torch.eye(5)).abs().max() < 0.15


def test_shapes_are_seeded():
    a, b = data.shapes(50, 10, device="cpu"), data.shapes(50, 10, device="cpu")
    assert torch.equal(a.x_train, b.x_train) and torch.equal(a.y_test, b.y_test)
    c = data.shapes(50, 10, seed=1, device="cpu")
    assert not torch.equal(a.y_train, c.y_train)


def test_the_images_follow_their_factors():
    centre = data.render_shapes(_one())[0, 0]
    cols = torch.arange(32.0)

    def centre_of_mass_x(img):
        return float((img.sum(0) * cols).sum() / img.sum())

    right = data.render_shapes(_one(x=0.3))[0, 0]
    # x = 0.3 on a canvas of width 2 is 0.3 * 16 = 4.8 pixels to the right
    assert centre_of_mass_x(right) - centre_of_mass_x(centre) == pytest.approx(4.8, abs=0.2)
    dim = data.render_shapes(_one(intensity=0.5))[0, 0]
    torch.testing.assert_close(dim, 0.5 * centre)
    big = data.render_shapes(_one(scale=0.8))[0, 0]
    assert big.sum() / centre.sum() == pytest.approx((0.8 / 0.6) ** 2, rel=0.1)  # area ~ scale^2
    turned = data.render_shapes(_one(angle=0.5))[0, 0]
    assert (turned - centre).abs().max() > 0.5
    assert turned.sum() == pytest.approx(float(centre.sum()), rel=0.05)  # rotating keeps the ink


def test_the_glyph_has_no_symmetry():
    # neither a mirror image nor a half turn of the glyph is the glyph: every angle is a different image
    img = data.render_shapes(_one())[0, 0]
    assert (img - img.flip(1)).abs().max() > 0.5
    assert (img - img.flip(0)).abs().max() > 0.5
    assert (img - img.flip(0).flip(1)).abs().max() > 0.5


def test_the_glyph_stays_on_the_canvas():
    lo = {k: v[0] for k, v in data.SHAPE_FACTORS.items()}
    hi = {k: v[1] for k, v in data.SHAPE_FACTORS.items()}
    for x in (lo["x"], hi["x"]):
        for y in (lo["y"], hi["y"]):
            for angle in (lo["angle"], 0.0, hi["angle"]):
                img = data.render_shapes(_one(x=x, y=y, angle=angle, scale=hi["scale"]))[0, 0]
                border = torch.cat([img[0], img[-1], img[:, 0], img[:, -1]])
                assert border.max() < 0.05


def test_render_shapes_bad_input():
    with pytest.raises(ValueError, match=r"\(n, 5\) with columns x, y, scale, angle, intensity"):
        data.render_shapes(torch.zeros(3, 4))
    with pytest.raises(ValueError, match="at least 8 pixels"):
        data.render_shapes(_one(), size=4)
    with pytest.raises(ValueError, match=r"^factors must be a torch tensor, got ndarray; "
                       r"use torch.as_tensor\(\.\.\., dtype=torch.float32\)\.$"):  # was: no attribute 'dim'
        data.render_shapes(_one().numpy())
    with pytest.raises(ValueError, match="n_train must be a positive integer"):
        data.shapes(0, 10)


@pytest.mark.parametrize("call, message", [
    (lambda: data.shapes(n_train=10.5), "n_train must be a positive integer"),
])
def test_data_mistakes_get_one_sentence(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_render_shapes_refuses_a_numpy_array_and_takes_a_numpy_integer_size():
    import numpy as np

    with pytest.raises(ValueError, match=r"^factors must be a torch tensor, got ndarray; "
                       r"use torch.as_tensor\(\.\.\., dtype=torch.float32\)\.$"):
        data.render_shapes(_one().numpy())
    assert data.render_shapes(_one(), size=np.int64(16)).shape == (1, 1, 16, 16)
    with pytest.raises(ValueError, match=r"^device must be a torch.device or a name such as 'cpu'.*got 'gpu'"):
        data.shapes(10, 10, device="gpu")
    assert data.shapes(10, 10, device="cpu").x_train.shape == (10, 1, 32, 32)
