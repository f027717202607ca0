"""aelab.plots.images: grids and rows of images, originals over reconstructions, traversal grids."""

import matplotlib
import numpy as np
import pytest
import torch

from aelab import plots
from tests.mistakes import IMAGE, IMAGES, NAN_PIXELS, _cases, _check, _rng


def test_image_grid_accepts_every_layout():
    for imgs in (torch.rand(6, 1, 28, 28), torch.rand(6, 28, 28), torch.rand(6, 784), np.random.rand(6, 3, 8, 8)):
        fig = plots.image_grid(imgs, ncols=3, titles=list("abcdef"))
        assert isinstance(fig, matplotlib.figure.Figure)
        assert sum(ax.images != [] for ax in fig.axes) == 6
    _, ax = matplotlib.pyplot.subplots()
    assert plots.image_grid(torch.rand(4, 5, 5), ncols=2, ax=ax) is ax
    assert ax.images[0].get_array().shape == (11, 11)


def test_image_grid_bad_input():
    with pytest.raises(ValueError, match="as squares"):
        plots.image_grid(torch.rand(2, 10))
    with pytest.raises(ValueError, match="at least one image"):
        plots.image_grid(torch.rand(0, 4, 4))


def test_reconstructions_two_rows():
    fig = plots.reconstructions(torch.rand(12, 1, 4, 4), torch.rand(12, 1, 4, 4), n=5, title="t")
    assert len(fig.axes) == 10
    with pytest.raises(ValueError, match="differ in shape"):
        plots.reconstructions(torch.rand(3, 4, 4), torch.rand(3, 5, 5))


def test_image_grid_title_sits_above_the_images_titles():
    fig = plots.image_grid(torch.rand(20, 1, 8, 8), ncols=10, titles=[str(i) for i in range(20)], title="Grid")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    top_of_image_titles = max(ax.title.get_window_extent(renderer).y1 for ax in fig.axes)
    assert fig._suptitle.get_text() == "Grid"
    assert fig._suptitle.get_window_extent(renderer).y0 >= top_of_image_titles


def test_one_unbatched_image_gets_a_hint():
    with pytest.raises(ValueError, match=r"pass a batch of one: image\[None\]"):
        plots.image_grid(torch.rand(28, 30))


def test_image_rows():
    fig = plots.image_rows({"a": torch.rand(4, 1, 5, 5), "b": torch.rand(3, 25)}, title="t", vmin=0, vmax=1)
    assert len(fig.axes) == 2 * 4 and fig._suptitle.get_text() == "t"
    assert fig.axes[0].get_ylabel() == "a"
    with pytest.raises(ValueError, match="non-empty dict"):
        plots.image_rows([])


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("grid-one-image", lambda: plots.image_grid(IMAGE),
     r"for one image of shape \(28, 28\), pass a batch of one: image\[None\]"),
    ("grid-1d", lambda: plots.image_grid(IMAGE.ravel()),
     r"expected images \(N, H, W\), \(N, C, H, W\) or \(N, H\*W\), got shape \(784,\)"),
    ("grid-5d", lambda: plots.image_grid(IMAGES[:, None, None]),
     r"expected images \(N, H, W\).*got shape \(6, 1, 1, 28, 28\)"),
    ("grid-empty", lambda: plots.image_grid(np.zeros((0, 28, 28))), r"image_grid needs at least one image"),
    ("grid-empty-list", lambda: plots.image_grid([]), r"expected images \(N, H, W\).*got shape \(0,\)"),
    ("grid-titles-short", lambda: plots.image_grid(IMAGES, titles=["a", "b"]),
     r"got 6 images but 2 titles"),  # fixed: IndexError list index out of range
    ("grid-ncols-0", lambda: plots.image_grid(IMAGES, ncols=0),
     r"ncols must be a positive integer, got 0"),  # fixed: silently one column
    ("grid-ncols-string", lambda: plots.image_grid(IMAGES, ncols="3"),
     r"ncols must be a positive integer, got '3'"),  # fixed: TypeError '<' between int and str
    ("grid-nan", lambda: plots.image_grid(np.full((2, 28, 28), np.nan)),
     rf"found 1568 NaN or infinite values in images; {NAN_PIXELS}"),  # fixed: drew blank images
    ("reconstructions-counts", lambda: plots.reconstructions(IMAGES, IMAGES[:3]),
     r"originals and reconstructions differ in shape: \(6, 28, 28\) vs \(3, 28, 28\)"),
    ("reconstructions-n-0", lambda: plots.reconstructions(IMAGES, IMAGES, n=0),
     r"n must be a positive integer, got 0"),  # fixed: matplotlib "Number of columns must be a positive integer"
    ("reconstructions-one-label", lambda: plots.reconstructions(IMAGES, IMAGES, labels=("a",)),
     r"got 2 rows \(originals, reconstructions\) but 1 labels"),  # fixed: IndexError tuple index
    ("reconstructions-empty", lambda: plots.reconstructions(IMAGES[:0], IMAGES[:0]),
     r"reconstructions needs at least one original"),  # fixed: matplotlib "Number of columns ..."
    ("reconstructions-one-image", lambda: plots.reconstructions(IMAGE, IMAGE),
     r"pass a batch of one: image\[None\]"),
    ("reconstructions-nan", lambda: plots.reconstructions(IMAGES, np.full_like(IMAGES, np.nan)),
     rf"NaN or infinite values in reconstructed; {NAN_PIXELS}"),  # fixed: drew blank images
    ("rows-list", lambda: plots.image_rows([IMAGES]), r"image_rows expects a non-empty dict \{row label: images\}"),
    ("rows-empty-row", lambda: plots.image_rows({"a": np.zeros((0, 28, 28))}),
     r"row 'a' of image_rows holds no images"),  # fixed: matplotlib "Number of columns must be a positive integer"
    ("rows-n-0", lambda: plots.image_rows({"a": IMAGES}, n=0),
     r"n must be a positive integer, got 0"),  # fixed: matplotlib "Number of columns ..."
    ("rows-one-image", lambda: plots.image_rows({"a": IMAGE}), r"pass a batch of one: image\[None\]"),
    ("traversal-3d", lambda: plots.traversal_grid(IMAGES),
     r"traversal_grid expects images \(rows, steps, H, W\) or \(rows, steps, 1, H, W\), got \(6, 28, 28\)"),
    ("traversal-row_labels", lambda: plots.traversal_grid(IMAGES.reshape(2, 3, 28, 28), row_labels=["a"]),
     r"row_labels needs 2 labels, got 1"),
    ("traversal-empty", lambda: plots.traversal_grid(np.zeros((0, 3, 28, 28))),
     r"traversal_grid needs at least one row and one step"),  # fixed: NumPy "negative dimensions"
    ("traversal-nan", lambda: plots.traversal_grid(np.full((2, 3, 28, 28), np.nan)),
     rf"NaN or infinite values in images; {NAN_PIXELS}"),  # fixed: drew a blank grid
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_plots_images(call, match, error):
    _check(call, match, error)


# Found later and checked the same way: images of 0-255, which drew all white.
MORE_MISTAKES = [
    ("reconstructions-0-255", lambda: plots.reconstructions(IMAGES * 255, IMAGES),
     r"^originals must lie in \[0, 1\], the grey scale reconstructions draws, but run from .* to 25\d(\.\d*)?; "
     r"images of 0-255 need x / 255, and image_grid draws any other range\.$"),
    ("reconstructions-0-255-reconstructed", lambda: plots.reconstructions(IMAGES, IMAGES * 255),
     r"^reconstructed must lie in \[0, 1\]"),
]


# Found later: a square image whose side is a square number, which image_grid drew as 16 tiles of
# 4 x 4, and a batch of images given to traversal_grid, which it drew as one column of sweeps.
SQUARE = _rng.random((16, 16))  # one 16 x 16 image, or 16 flattened 4 x 4 ones
TRAVERSAL = _rng.random((18, 1, 28, 28))  # 2 sweeps of 9 steps, not yet shaped (rows, steps, ...)
SQUARE_TWO_WAYS = (r"^images of shape \(16, 16\) read both as one 16 x 16 image and as 16 flattened images of "
                   r"4 x 4; for one image, pass a batch of one: image\[None\]; for flattened ones, "
                   r"images\.reshape\(-1, 4, 4\)\.$")
MORE_MISTAKES += [
    ("grid-one-square-image", lambda: plots.image_grid(SQUARE), SQUARE_TWO_WAYS),  # fixed: drew 16 tiles of 4 x 4
    ("reconstructions-one-square-image", lambda: plots.reconstructions(SQUARE, SQUARE),
     r"^originals of shape \(16, 16\) read both as one 16 x 16 image"),  # fixed: drew 10 pairs of 4 x 4 tiles
    ("rows-one-square-image", lambda: plots.image_rows({"a": SQUARE}),
     r"^the images of row 'a' of shape \(16, 16\) read both"),  # fixed: drew 16 tiles of 4 x 4
    ("traversal-batch", lambda: plots.traversal_grid(TRAVERSAL),
     r"^traversal_grid reads images of shape \(18, 1, 28, 28\) as 18 sweeps of one step each, a single column; "
     r"a traversal is \(rows, steps, H, W\) with at least two steps; shape a batch of 18 images first, "
     r"e\.g\. images\.reshape\(rows, steps, 28, 28\)\.$"),  # fixed: drew one column of 18 rows
    ("traversal-batch-labels",
     lambda: plots.traversal_grid(TRAVERSAL, row_labels=["a", "b"], col_labels=list("123456789")),
     r"images\.reshape\(2, 9, 28, 28\)\.$"),  # fixed: "row_labels needs 18 labels, got 2"
    ("traversal-3d-batch", lambda: plots.traversal_grid(TRAVERSAL[:, 0]),
     r"got \(18, 28, 28\); shape a batch of 18 images first, e\.g\. images\.reshape\(rows, steps, 28, 28\)\.$"),
]


@pytest.mark.parametrize("call, match, error", _cases(MORE_MISTAKES))
def test_plots_images_more(call, match, error):
    _check(call, match, error)


def test_one_square_image_is_one_tile_once_batched():
    # the two readings of a (16, 16) array, each said explicitly, draw what was meant
    fig = plots.image_grid(SQUARE[None])
    assert [ax.images[0].get_array().shape for ax in fig.axes if ax.images] == [(16, 16)]
    fig = plots.image_grid(SQUARE.reshape(-1, 4, 4), ncols=8)
    assert [ax.images[0].get_array().shape for ax in fig.axes if ax.images] == [(4, 4)] * 16
    fig = plots.image_grid(_rng.random((10, 16)))  # flattened 4 x 4 images, not square as an array: no doubt
    assert sum(ax.images != [] for ax in fig.axes) == 10


def test_traversal_grid_of_a_shaped_batch():
    ax = plots.traversal_grid(TRAVERSAL.reshape(2, 9, 28, 28))
    assert ax.images[0].get_array().shape == (2 * 29 - 1, 9 * 29 - 1)


def test_reconstructions_draw_what_a_linear_output_overshoots():
    # a decoder without a sigmoid gives pixels a little outside [0, 1]: drawn, clipped, not refused
    fig = plots.reconstructions(IMAGES, IMAGES * 1.2 - 0.1, n=3)
    assert len(fig.axes) == 6
