"""Chapter 6: the volume penalty, the dimension count, the Lipschitz bound, the objectives."""

import math

import numpy as np
import pytest
import torch

from aelab import losses, metrics, models, plots, train


def _codes_with_stds(stds, n=64, seed=0):
    """Codes whose columns have exactly the given (unbiased) standard deviations."""
    g = torch.Generator().manual_seed(seed)
    v = torch.randn(n, len(stds), generator=g, dtype=torch.float64)
    v = (v - v.mean(0)) / v.std(0)  # each column: mean 0, std 1
    return v * torch.tensor(stds, dtype=torch.float64)


# --------------------------------------------------------------------------- volume penalty


def test_volume_penalty_is_the_geometric_mean_of_std_plus_eta():
    stds, eta = [2.0, 0.5, 0.1], 0.01
    z = _codes_with_stds(stds)
    expected = math.prod(s + eta for s in stds) ** (1 / 3)
    assert losses.volume_penalty(z, eta).item() == pytest.approx(expected, rel=1e-10)
    # the same as the formula of the paper and the material, on torch's own std
    assert torch.allclose(losses.volume_penalty(z, eta), torch.exp(torch.log(z.std(0) + eta).mean()))


def test_volume_penalty_stays_finite_when_a_dimension_collapses():
    z = _codes_with_stds([1.0, 1.0, 0.0])
    value = losses.volume_penalty(z, 0.01).item()
    assert value == pytest.approx((1.01 * 1.01 * 0.01) ** (1 / 3))
    assert math.isfinite(value)


def test_volume_penalty_gradient_matches_its_closed_form():
    # d V / d s_i = V / (D (s_i + eta)) when column i is s_i times a unit-std column
    stds, eta = [2.0, 0.5, 0.1], 0.01
    v = _codes_with_stds([1.0, 1.0, 1.0])
    s = torch.tensor(stds, dtype=torch.float64, requires_grad=True)
    value = losses.volume_penalty(v * s, eta)
    (grad,) = torch.autograd.grad(value, s)
    expected = value.detach() / (3 * (s.detach() + eta))
    assert torch.allclose(grad, expected, rtol=1e-8)
    # the smallest spread gets the largest push: the geometric mean at work
    assert grad.argmax().item() == 2


def test_volume_penalty_gradcheck():
    z = _codes_with_stds([1.0, 0.3], n=6).requires_grad_(True)
    assert torch.autograd.gradcheck(lambda t: losses.volume_penalty(t, 0.05), (z,))


@pytest.mark.parametrize("eta", [0.0, -0.01])
def test_volume_penalty_rejects_a_non_positive_eta(eta):
    with pytest.raises(ValueError, match="eta must be positive"):
        losses.volume_penalty(torch.randn(4, 2), eta)


def test_volume_penalty_rejects_a_batch_of_one_row_and_bad_shapes():
    with pytest.raises(ValueError, match="at least 2 codes"):
        losses.volume_penalty(torch.randn(1, 3))
    with pytest.raises(ValueError, match=r"shape \(batch, latent_dim\)"):
        losses.volume_penalty(torch.randn(5))
    with pytest.raises(ValueError, match=r"shape \(batch, latent_dim\)"):
        losses.l1_latent(torch.randn(2, 3, 4))


def test_l1_latent_known_answer():
    z = torch.tensor([[1.0, -2.0], [0.0, 3.0]])
    assert losses.l1_latent(z).item() == pytest.approx(1.5)


# --------------------------------------------------------------------------- dimension count


def test_count_kept_on_hand_made_errors():
    # pruning the first dimension costs 0.1 % of the range, the next ones more than 1 %
    assert metrics.count_kept([1.0, 1.001, 1.5, 2.0]) == 2
    assert metrics.count_kept([1.0, 1.001, 1.5, 2.0], delta=0.6) == 1
    np.testing.assert_allclose(metrics.explained_reconstruction([1.0, 1.001, 1.5, 2.0]), [0, 0.001, 0.5, 1])
    # a decoder that ignores its codes uses no dimension
    assert metrics.count_kept([0.3, 0.3, 0.3]) == 0
    assert metrics.count_kept([0.3, 0.3 + 1e-9, 0.3 + 2e-9]) == 0  # rounding noise, not a range
    with pytest.raises(ValueError, match="delta must lie strictly between 0 and 1"):
        metrics.count_kept([1.0, 2.0], delta=0)
    with pytest.raises(ValueError, match="1-D array"):
        metrics.explained_reconstruction([[1.0, 2.0]])


def test_dimension_count_on_constructed_codes():
    # codes with two live dimensions, one nearly dead, one dead; the identity decodes them
    z = _codes_with_stds([1.0, 1e-4, 0.5, 0.0], n=200).float()
    x = z.clone()
    errors = metrics.pruning_errors(lambda c: c, z, x)
    assert errors.shape == (5,)
    assert errors[0] == pytest.approx(0.0, abs=1e-6)  # nothing pruned: exact
    assert errors[1] == pytest.approx(0.0, abs=1e-6)  # the dead dimension costs nothing
    # everything pruned: the mean distance of the codes to their mean
    assert errors[-1] == pytest.approx((z - z.mean(0)).norm(dim=1).mean().item(), rel=1e-5)
    assert np.all(np.diff(errors) >= -1e-7)
    assert metrics.least_volume_dimensions(lambda c: c, z, x) == 2
    # a decoder that reads only the first dimension uses one
    assert metrics.least_volume_dimensions(lambda c: c[:, :1] * 3, z, x[:, :1] * 3) == 1


def test_pruning_errors_does_not_depend_on_the_batch_size():
    z = _codes_with_stds([1.0, 0.2, 0.05], n=50).float()
    decode = torch.nn.Linear(3, 4)
    x = torch.randn(50, 4)
    a = metrics.pruning_errors(decode, z, x, batch_size=7)
    b = metrics.pruning_errors(decode, z, x, batch_size=1000)
    np.testing.assert_allclose(a, b, rtol=1e-5)


def test_pruning_errors_bad_input():
    with pytest.raises(ValueError, match="n >= 2"):
        metrics.pruning_errors(lambda c: c, torch.zeros(1, 3), torch.zeros(1, 3))
    with pytest.raises(ValueError, match="one row per code"):
        metrics.pruning_errors(lambda c: c, torch.zeros(4, 3), torch.zeros(5, 3))


# --------------------------------------------------------------------------- principal angles


def test_principal_angles_known_answer():
    plane = np.eye(3)[:, :2]
    theta = np.radians(7.0)
    rotation = np.array([[1, 0, 0], [0, np.cos(theta), -np.sin(theta)], [0, np.sin(theta), np.cos(theta)]])
    np.testing.assert_allclose(metrics.principal_angles(plane, rotation @ plane), [7.0, 0.0], atol=1e-8)
    # the span, not the basis, matters
    mixed = plane @ np.array([[2.0, 1.0], [0.5, -3.0]])
    np.testing.assert_allclose(metrics.principal_angles(plane, mixed), [0.0, 0.0], atol=1e-6)
    with pytest.raises(ValueError, match="same number of rows"):
        metrics.principal_angles(np.eye(3), np.eye(4))
    with pytest.raises(ValueError, match="linearly independent"):
        metrics.principal_angles(np.ones((3, 2)), np.eye(3)[:, :2])


# --------------------------------------------------------------------------- the Lipschitz bound


def _lipschitz_ratios(decode, latent_dim, n=2000, seed=0):
    # random pairs, far apart and close together
    g = torch.Generator().manual_seed(seed)
    z1 = torch.randn(n, latent_dim, generator=g) * 3
    z2 = z1 + torch.randn(n, latent_dim, generator=g) * torch.rand(n, 1, generator=g)
    return metrics.lipschitz_ratios(decode, z1, z2)


def test_lipschitz_ratios_known_answer_and_bad_input():
    a, b = torch.zeros(2, 2), torch.tensor([[1.0, 0.0], [0.0, 2.0]])
    np.testing.assert_allclose(metrics.lipschitz_ratios(lambda t: 3 * t, a, b), [3.0, 3.0], rtol=1e-6)
    with pytest.raises(ValueError, match="same shape"):
        metrics.lipschitz_ratios(lambda t: t, a, b[:1])
    with pytest.raises(ValueError, match="pairs are equal"):
        metrics.lipschitz_ratios(lambda t: t, a, a)


def test_spectral_norm_bounds_the_decoders_lipschitz_constant():
    model = models.MLPAutoencoder(3, 3, hidden=(48, 48, 48, 48), activation="leaky_relu", spectral_norm_decoder=True)
    # even with its raw weights blown up tenfold, every layer keeps operator norm 1
    with torch.no_grad():
        for name, p in model.decoder.named_parameters():
            if name.endswith("original"):
                p.mul_(10.0)
    model.train()
    # spectral_norm estimates each layer's largest singular value by power
    # iteration, one step per forward pass in training mode: the bound is as
    # good as that estimate, which a few dozen steps make tight.
    for _ in range(100):
        model.decode(torch.randn(8, 3))
    model.eval()
    for layer in model.decoder.net:
        if isinstance(layer, torch.nn.Linear):
            assert torch.linalg.matrix_norm(layer.weight, ord=2).item() == pytest.approx(1.0, abs=1e-2)
    ratios = _lipschitz_ratios(model.decode, 3)
    assert ratios.max() <= 1.01


def test_without_spectral_norm_the_decoder_can_stretch():
    model = models.MLPAutoencoder(3, 3, hidden=(48, 48), activation="leaky_relu")
    with torch.no_grad():
        for p in model.decoder.parameters():
            p.mul_(10.0)
    assert _lipschitz_ratios(model.decode, 3).max() > 1.5


# --------------------------------------------------------------------------- objectives


def test_least_volume_objective_terms():
    model = models.MLPAutoencoder(3, 2, hidden=(8,), spectral_norm_decoder=True)
    x = torch.randn(16, 3)
    terms = train.least_volume_objective(lam=0.5, eta=0.02)(model, (x,))
    assert set(terms) == {"loss", "recon", "volume"}
    z = model.encode(x)
    assert terms["volume"].item() == pytest.approx(losses.volume_penalty(z, 0.02).item(), rel=1e-5)
    assert terms["loss"].item() == pytest.approx(terms["recon"].item() + 0.5 * terms["volume"].item(), rel=1e-5)
    l1 = train.l1_latent_objective(lam=0.1)(model, (x,))
    assert l1["loss"].item() == pytest.approx(l1["recon"].item() + 0.1 * losses.l1_latent(z).item(), rel=1e-5)


def test_least_volume_objective_trains_and_logs_its_terms():
    model = models.MLPAutoencoder(3, 3, hidden=(16,), spectral_norm_decoder=True)
    x = torch.randn(32, 3)
    history = train.fit(model, x, train.least_volume_objective(), epochs=2, batch_size=32, device="cpu", progress=False)
    assert {"train_recon", "train_volume"} <= set(history.columns)
    assert np.isfinite(history["train_loss"]).all()


def test_objectives_bad_input():
    with pytest.raises(ValueError, match="lam must be a non-negative number"):
        train.least_volume_objective(lam=-1)
    with pytest.raises(ValueError, match="eta must be a positive number"):
        train.least_volume_objective(eta=0)
    with pytest.raises(ValueError, match="lam must be a non-negative number"):
        train.l1_latent_objective(lam=float("nan"))
    with pytest.raises(ValueError, match="unknown reconstruction loss"):
        train.least_volume_objective(kind="huber")


# --------------------------------------------------------------------------- plots


def test_least_volume_plots_draw_and_refuse_bad_input():
    z = _codes_with_stds([1.0, 0.1, 0.5]).numpy()
    ax = plots.latent_stds(z, title="stds")
    heights = [bar.get_height() for bar in ax.patches]
    np.testing.assert_allclose(heights, [1.0, 0.5, 0.1], rtol=1e-6)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["$z_{1}$", "$z_{3}$", "$z_{2}$"]
    ax = plots.covariance(z)
    assert ax.get_images()[0].get_array().shape == (3, 3)
    fig = plots.parity(z, z * 0.9, title="parity")
    assert len(fig.axes) == 3
    ax = plots.pruning_curve([0, 0.001, 0.5, 1.0], delta=0.01)
    assert ax.get_xlabel().startswith("dimensions pruned")
    with pytest.raises(ValueError, match="at least|N >= 2"):
        plots.latent_stds(z[:1])
    with pytest.raises(ValueError, match="differ in shape"):
        plots.parity(z, z[:, :2])
    with pytest.raises(ValueError, match="1-D array"):
        plots.pruning_curve([1.0])


def test_pca_reconstruction_errors_match_sklearn():
    from sklearn.decomposition import PCA

    g = np.random.default_rng(0)
    a = g.normal(size=(200, 6)) * np.array([3, 2, 1, 0.5, 0.1, 0.01])
    b = g.normal(size=(50, 6)) * np.array([3, 2, 1, 0.5, 0.1, 0.01])
    errors = metrics.pca_reconstruction_errors(a, b)
    assert errors.shape == (7,)
    for k in (1, 3):
        pca = PCA(n_components=k).fit(a)
        expected = ((pca.inverse_transform(pca.transform(b)) - b) ** 2).mean()
        assert errors[k] == pytest.approx(expected, rel=1e-8)
    assert errors[-1] == pytest.approx(0.0, abs=1e-12)
    assert np.all(np.diff(errors) <= 1e-12)
    with pytest.raises(ValueError, match="same features"):
        metrics.pca_reconstruction_errors(a, b[:, :3])
