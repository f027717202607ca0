"""aelab.plots.latents: scatter plots and pair plots of codes, t-SNE maps and marked points."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from aelab import plots
from tests.mistakes import LABELS, NAN_CODES, Z2, Z4, Z4_NAN, _axes, _cases, _check


def test_latent_scatter_2d_3d_and_labels():
    ax = plots.latent_scatter(torch.randn(50, 2), torch.randint(0, 3, (50,)))
    assert len(ax.collections) == 3  # one per label
    ax3 = plots.latent_scatter(np.random.randn(20, 3))
    assert ax3.name == "3d"
    with pytest.raises(ValueError, match=r"\(N, 2\) or \(N, 3\)"):
        plots.latent_scatter(torch.randn(5, 4))
    with pytest.raises(ValueError, match="50 codes but 10 labels"):
        plots.latent_scatter(torch.randn(50, 2), np.zeros(10))


def test_latent_scatter_takes_names_as_labels():
    # string labels are a reasonable thing to pass: each distinct name gets its own colour and legend entry
    names = np.array(["shirt", "boot", "bag"])[np.arange(30) % 3]
    ax = plots.latent_scatter(Z2, names)
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["bag", "boot", "shirt"]
    assert len({tuple(c.get_facecolor()[0]) for c in ax.collections}) == 3


def test_pairplot_makes_exactly_one_figure():
    before = len(matplotlib.pyplot.get_fignums())
    grid = plots.pairplot(torch.randn(30, 3), labels=np.arange(30) % 2, title="codes")
    assert len(matplotlib.pyplot.get_fignums()) == before + 1
    assert grid.axes.shape == (3, 3)
    with pytest.raises(ValueError, match=r"\(N, D\)"):
        plots.pairplot(torch.randn(5))


def test_pairplot_colours_a_continuous_quantity_with_a_colour_bar_and_keeps_the_histograms():
    t = np.linspace(-1, 1, 40)
    grid = plots.pairplot(np.column_stack([t, t**2, np.sin(3 * t)]), t, label_name="t")
    colour_bars = [ax for ax in grid.figure.axes if ax.get_ylabel() == "t"]
    assert len(colour_bars) == 1  # a colour bar, not a legend of 40 entries
    assert grid.figure.legends == []
    for i in range(3):
        assert len(grid.diag_axes[i].patches) == 20  # each dimension's histogram
    points = grid.axes[1, 0].collections[0]
    np.testing.assert_allclose(points.get_array(), t)  # each point coloured by its own t


def test_tsne_subsamples_to_the_budget_and_keeps_clusters_apart():
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1], 60)
    z = rng.normal(size=(120, 5)) + 20 * labels[:, None]
    emb, index = plots.tsne(z, n_points=50, seed=0)
    assert emb.shape == (50, 2) and len(np.unique(index)) == 50 and np.all(np.diff(index) > 0)
    lab = labels[index]
    gap = np.linalg.norm(emb[lab == 0].mean(0) - emb[lab == 1].mean(0))
    assert gap > 3 * emb[lab == 0].std(0).max()  # two well separated blobs stay two
    emb_all, index_all = plots.tsne(z[:10])  # perplexity lowered for a tiny set instead of failing
    assert emb_all.shape == (10, 2) and index_all.tolist() == list(range(10))
    again, _ = plots.tsne(z, n_points=50, seed=0)
    np.testing.assert_allclose(again, emb)  # seeded: the same map twice


def test_tsne_bad_input():
    with pytest.raises(ValueError, match="n_points must be an integer of at least 4"):
        plots.tsne(np.zeros((10, 3)), n_points=2)
    with pytest.raises(ValueError, match=r"shape \(N, D\)"):
        plots.tsne(np.zeros(10))


def test_tsne_scatter_and_mark_points_draw_labelled_axes():
    rng = np.random.default_rng(1)
    z, labels = rng.normal(size=(40, 4)), np.repeat(np.arange(4), 10)
    ax = plots.tsne_scatter(z, labels, n_points=30, title="t-SNE")
    assert ax.get_title() == "t-SNE" and "t-SNE 1" in ax.get_xlabel()
    assert sum(len(c.get_offsets()) for c in ax.collections) == 30
    with pytest.raises(ValueError, match="40 codes but 3 labels"):
        plots.tsne_scatter(z, labels[:3])
    _, ax = plt.subplots()
    plots.mark_points(ax, np.array([[0.0, 1.0], [2.0, 3.0]]), ["a", "b"])
    assert [t.get_text() for t in ax.texts] == ["a", "b"]
    with pytest.raises(ValueError, match="2 points but 1 names"):
        plots.mark_points(ax, np.zeros((2, 2)), ["a"])
    with pytest.raises(ValueError, match=r"shape \(M, 2\)"):
        plots.mark_points(ax, np.zeros((2, 3)), ["a", "b"])


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("scatter-4d", lambda: plots.latent_scatter(Z4),
     r"latent_scatter draws codes of shape \(N, 2\) or \(N, 3\), got \(30, 4\)"),
    ("scatter-1d", lambda: plots.latent_scatter(Z2[:, 0]),
     r"latent_scatter draws codes of shape \(N, 2\) or \(N, 3\), got \(30,\)"),
    ("scatter-labels-length", lambda: plots.latent_scatter(Z2, LABELS[:10]), r"got 30 codes but 10 labels"),
    ("scatter-one-hot", lambda: plots.latent_scatter(Z2, np.eye(3)[LABELS]),
     r"labels must be one entry per each of the 30 codes, a 1-D array of shape \(30,\), got shape \(30, 3\)"),
    # fixed: NumPy IndexError too many indices
    ("scatter-empty", lambda: plots.latent_scatter(np.zeros((0, 2))),
     r"latent_scatter draws codes of shape \(N, 2\) or \(N, 3\), got \(0, 2\)"),  # fixed: drew an empty plot
    ("scatter-nan", lambda: plots.latent_scatter(np.full((5, 2), np.nan)),
     rf"NaN or infinite values in the codes given to latent_scatter; {NAN_CODES}"),  # fixed: drew nothing
    ("scatter-3d-on-2d-axes", lambda: plots.latent_scatter(np.zeros((5, 3)), ax=_axes()),
     r"latent_scatter draws 3-D codes on a 3-D axes; make it with fig.add_subplot\(projection='3d'\)"),
    # fixed: matplotlib TypeError "got multiple values for argument 's'"
    ("pairplot-labels-length", lambda: plots.pairplot(Z2, LABELS[:10]),
     r"got 30 codes but 10 labels"),  # fixed: pandas "Length of values (10) does not match"
    ("pairplot-names-length", lambda: plots.pairplot(Z2, names=["a"]),
     r"got 2 dimensions but 1 names"),  # fixed: pandas "Shape of passed values"
    ("pairplot-1d", lambda: plots.pairplot(Z2[:, 0]), r"pairplot expects codes of shape \(N, D\).*got \(30,\)"),
    ("pairplot-nan", lambda: plots.pairplot(np.full((5, 2), np.nan)),
     rf"NaN or infinite values in the codes given to pairplot; {NAN_CODES}"),  # fixed: drew nothing
    ("tsne-few-rows", lambda: plots.tsne(Z4[:3]), r"tsne expects codes of shape \(N, D\) with N >= 4, got \(3, 4\)"),
    ("tsne-n_points-2", lambda: plots.tsne(Z4, 2), r"n_points must be an integer of at least 4, got 2"),
    ("tsne-perplexity-negative", lambda: plots.tsne(Z4, perplexity=-1),
     r"perplexity must be a positive number, got -1"),  # fixed: scikit-learn InvalidParameterError
    ("tsne-nan", lambda: plots.tsne(Z4_NAN),
     rf"NaN or infinite values in the codes given to tsne; {NAN_CODES}"),  # fixed: scikit-learn "Input X contains NaN"
    ("tsne_scatter-labels-length", lambda: plots.tsne_scatter(Z4, LABELS[:3]), r"got 30 codes but 3 labels"),
    ("mark_points-one-point", lambda: plots.mark_points(_axes(), np.zeros(2), ["a"]),
     r"mark_points draws points of shape \(M, 2\), got \(2,\)"),
    ("mark_points-names-length", lambda: plots.mark_points(_axes(), np.zeros((2, 2)), ["a"]),
     r"got 2 points but 1 names"),
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_plots_latents(call, match, error):
    _check(call, match, error)


def test_latent_scatter_takes_names_as_labels():
    # names such as Fashion-MNIST's classes: each its own colour, named in the legend (was int('coat'))
    names = np.array(["coat", "bag", "shirt"])[LABELS]
    ax = plots.latent_scatter(Z2, names)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["bag", "coat", "shirt"]
    colours = {tuple(c.get_facecolor()[0]) for c in ax.collections}
    assert len(colours) == 3
    ax = plots.latent_scatter(Z2, list(names))  # a plain list too
    assert len(ax.collections) == 3
    digits = plots.latent_scatter(Z2, LABELS + 4)  # integer labels keep colour k of the map
    assert tuple(digits.collections[0].get_facecolor()[0]) == plt.get_cmap("tab10")(4)
