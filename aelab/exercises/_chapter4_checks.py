"""The measures and rules behind chapter 4's exercises, with the chapter's thresholds."""

from __future__ import annotations

import numbers

import pandas as pd
import torch
from torch import nn

from .. import data, losses, metrics, runtime
from ..comparisons import above, below
from ..train import evaluate, reconstruction_objective, vae_objective
from ._base import Problem, matching_test_loss, number_problem


OPEN = 0.05  # nats: a dimension whose mean KL over the test digits is above this is open
TOLERANCE = 0.25  # how far each code's mean may sit from 0, and its standard deviation from 1
MOST_OPEN = 10  # "fewer than a third of the 32 dimensions": at most 10 open
PIXEL_FACTOR = 1.5  # the two VAEs' per-pixel errors stay within this factor of each other
SHRINK = 0.2  # without the KL term the posterior std falls below this share of beta = 1's

N_GENERATED = 5000  # samples judged per model, as the chapter's N_GENERATED


# --------------------------------------------------------------------------- what the measures share


def _digits(value_range=(-1.0, 1.0)):
    """The chapter's 14 x 14 digits, from the same source, in ``value_range``."""
    return data.downsample(data.mnist(verbose=False), size=14, value_range=value_range)


def _epochs(n_train: int) -> int:
    """The epochs every model of the chapter trains for (its budget cell: 3,000 or 1,000 steps of 128)."""
    return max(2, round(runtime.budget(full=3000, quick=1000) * 128 / n_train))


def _finite(name: str, value) -> float:
    """``value`` as a float, or a Problem saying what it is instead."""
    found, problem = number_problem(name, value)
    if problem:
        raise Problem(problem)
    return found


def _vae(name: str, model, latent_dim: int, output: str = "tanh"):
    """``model`` when it is a VAE of the chapter's body with ``latent_dim`` numbers; else a Problem."""
    if not isinstance(model, nn.Module) or not hasattr(model, "encode_dist"):
        raise Problem(f"{name} should be a VAE you trained (models.VAE), got {type(model).__name__}.")
    if model.latent_dim != latent_dim:
        raise Problem(f"{name} has {model.latent_dim} latent dimensions; the exercise asks for {latent_dim}.")
    if model.config.get("output") != output:
        raise Problem(f"{name} ends in {model.config.get('output')!r}; the exercise's VAE ends in {output!r}.")
    return model.eval()


def _kl_per_dimension(model, x) -> torch.Tensor:
    with torch.no_grad():
        return losses.kl_divergence(*model.encode_dist(x), reduction="dimension").cpu().double()


def _vae_history(name: str, history, model, x, digits) -> None:
    """A Problem unless ``history`` is the chapter's budget of ``model``'s training (its last test KL)."""
    if not isinstance(history, pd.DataFrame) or "test_kl" not in history or len(history) == 0:
        raise Problem(f"{name} should be the DataFrame train.fit returns for a VAE with test=... given (it has "
                      f"a test_kl column), got {type(history).__name__}.")
    given, now = float(history["test_kl"].iloc[-1]), float(_kl_per_dimension(model, x).sum())
    if not abs(given - now) <= 1e-3 * max(abs(now), 1e-6):
        raise Problem(f"{name}'s last test_kl is {given:.4g}, but its model gives {now:.4g} on the test digits: "
                      f"pass the model and the history train.fit returned for it.")
    _trained_for(name, history, digits)


def _trained_for(name: str, history, digits) -> None:
    epochs = _epochs(len(digits.x_train))
    if len(history) != epochs:
        raise Problem(f"{name} has {len(history)} epochs; train with the chapter's budget ({epochs} epochs, "
                      f"**budget).")


def _mean_error(model, x) -> float:
    """Squared error per image of the reconstructions from the codes' means."""
    with torch.no_grad():
        return float(((model.decode(model.encode(x)) - x) ** 2).flatten(1).sum(1).mean())


def _learnt(name: str, model, digits, factor: float = 1.0) -> None:
    """A Problem when ``model`` reconstructs from its means no better than ``factor`` x the mean image."""
    floor = metrics.mean_image_error(digits.x_train, digits.x_test) * digits.x_test[0].numel()
    error = _mean_error(model, digits.x_test)
    if not error < factor * floor:
        than = "drawing the mean image" if factor == 1 else f"{factor:g} times the error of drawing the mean image"
        raise Problem(f"{name} reconstructs the test digits with a squared error of {error:.1f} per image, no "
                      f"better than {than} ({factor * floor:.1f}): train it with train.fit before checking.")


def _reader(reader):
    """The chapter's judge, images in and logits out, once it is shown trained."""
    if not isinstance(reader, nn.Module):
        raise Problem(f"reader should be the chapter's judge, nn.Sequential(nn.Flatten(), classifier), got "
                      f"{type(reader).__name__}.")
    digits = _digits()
    with torch.no_grad():
        accuracy = metrics.accuracy(reader(digits.x_test), digits.y_test)
    if not accuracy > 0.8:
        raise Problem(f"the judge is right on {accuracy:.0%} of the test digits: pass the chapter's reader, "
                      f"after the classifier's training.")
    return reader.eval()


def _covered(reader, model, seed: int = 3) -> float:
    """Digits covered by N_GENERATED samples of ``model``, drawn as the chapter draws them."""
    images = model.sample(N_GENERATED, generator=torch.Generator().manual_seed(runtime.seed(seed)))
    return metrics.judge(reader, images)["digits covered"]


def _gap(model, x) -> float:
    """How far one draw z ~ q(z|x) per test digit is from N(0, I), as the chapter draws it."""
    with torch.no_grad():
        mu, logvar = model.encode_dist(x)
        z = model.reparameterize(mu, logvar, generator=torch.Generator(mu.device).manual_seed(runtime.seed(1)))
    return metrics.standard_normal_gap(z)


def _agrees(name: str, yours: float, ours: float, tolerance: float, how: str) -> None:
    if not abs(yours - ours) <= tolerance:
        raise Problem(f"{name} is {yours:.4g}, but the models you passed give {ours:.4g}: {how}")


# --------------------------------------------------------------------------- ex4-latent


def _measure_latent(open32, vae32, h_vae32, ae32, h_ae32) -> dict:
    digits = _digits()
    _vae("vae32", vae32, 32)
    if not isinstance(ae32, nn.Module) or not hasattr(ae32, "encode") or hasattr(ae32, "encode_dist"):
        raise Problem(f"ae32 should be the 32-D autoencoder of the generation section (models.MLPAutoencoder), "
                      f"got {type(ae32).__name__}.")
    if ae32.latent_dim != 32:
        raise Problem(f"ae32 has a code of {ae32.latent_dim} numbers; the exercise compares the 32-D models.")
    if isinstance(open32, bool) or not isinstance(open32, numbers.Integral):
        raise Problem(f"open32 should be a whole number of dimensions, got {type(open32).__name__}.")
    _vae_history("h_vae32", h_vae32, vae32, digits.x_test, digits)
    ae_error = matching_test_loss("ae32", ae32.eval(), h_ae32, digits.x_test,
                                  reconstruction_objective("mse", reduction="sample"))
    _trained_for("h_ae32", h_ae32, digits)
    _learnt("vae32", vae32, digits)
    counted = int((_kl_per_dimension(vae32, digits.x_test) > OPEN).sum())
    if int(open32) != counted:
        raise Problem(f"open32 is {int(open32)}, but vae32 has {counted} dimensions whose mean KL over the test "
                      f"digits is above OPEN ({OPEN} nats): average the KL over the images, not over the "
                      f"dimensions (reduction=\"dimension\"), and count those above OPEN.")
    return {"open32": counted, "vae32_recon": float(h_vae32["test_recon"].iloc[-1]), "ae32_error": ae_error}


def _rule_latent(open32: float, vae32_recon: float, ae32_error: float) -> list:
    """The 32-D VAE opens fewer than a third of its dimensions, and reconstructs worse than the 32-D AE."""
    return [below("open dimensions of the 32-D VAE", open32, MOST_OPEN + 0.5),
            above("32-D VAE reconstruction term / 32-D AE's", vae32_recon, ae32_error, log=True)]


# --------------------------------------------------------------------------- ex4-beta


def _measure_beta(beta_scores, sweep_models, reader) -> dict:
    if not isinstance(sweep_models, dict) or not sweep_models:
        raise Problem(f"sweep_models should be the dict of the β sweep's VAEs, by β, got "
                      f"{type(sweep_models).__name__}.")
    betas = sorted(float(b) for b in sweep_models)
    if 1.0 not in betas or betas[0] >= 1.0 or betas[-1] <= 1.0:
        raise Problem(f"sweep_models should hold the VAE of every β of the sweep, 1 and values below and above "
                      f"it; it has β = {betas}.")
    columns = ["digits covered", "distance from N(0, I)"]
    if not isinstance(beta_scores, pd.DataFrame) or any(c not in beta_scores.columns for c in columns):
        raise Problem(f"beta_scores should be a DataFrame indexed by beta with the columns {columns[0]!r} "
                      f"(from judge) and {columns[1]!r}, got {type(beta_scores).__name__}.")
    try:
        table = beta_scores[columns].astype(float)
        table.index = [float(b) for b in beta_scores.index]
    except (TypeError, ValueError):
        raise Problem("beta_scores should be indexed by the values of beta (numbers) and hold numbers.") from None
    if sorted(table.index) != betas:
        raise Problem(f"beta_scores should have one row per β of sweep_models ({betas}); its index is "
                      f"{sorted(table.index)}.")
    digits = _digits()
    reader = _reader(reader)
    models_by_beta = {float(b): _vae(f"sweep_models[{b:g}]", m, 3) for b, m in sweep_models.items()}
    if len({id(m) for m in models_by_beta.values()}) != len(models_by_beta):
        raise Problem("sweep_models holds the same model under two values of β: train one VAE per β.")
    rates = {beta: float(_kl_per_dimension(model, digits.x_test).sum()) for beta, model in models_by_beta.items()}
    for smaller, larger in zip(betas, betas[1:]):  # a larger β charges more per nat: its codes carry fewer
        if not rates[larger] < rates[smaller]:
            raise Problem(f"the VAE under β = {larger:g} carries more KL ({rates[larger]:.2f} nats per image) than "
                          f"the one under β = {smaller:g} ({rates[smaller]:.2f}): put each VAE under the β it was "
                          f"trained with.")
    found = {}
    for beta, model in models_by_beta.items():
        # even beta = 8 reconstructs nearer the digits than the mean image does (it keeps a little KL)
        _learnt(f"the VAE of β = {beta:g}", model, digits, factor=1.25)
        covered, gap = _covered(reader, model), _gap(model, digits.x_test)
        _agrees(f"beta_scores' digits covered at β = {beta:g}", table.loc[beta, columns[0]], covered, 0.5,
                "judge N_GENERATED images that model.sample draws from N(0, I), and take 'digits covered'.")
        _agrees(f"beta_scores' distance from N(0, I) at β = {beta:g}", table.loc[beta, columns[1]], gap, 0.15,
                "measure metrics.standard_normal_gap on one draw z ~ q(z|x) per test digit, not on the means.")
        found[beta] = covered, gap
    low, high = betas[0], betas[-1]
    return {"beta_max": high, "beta_min": low, "covered_one": found[1.0][0], "covered_max": found[high][0],
            "gap_min": found[low][1], "gap_one": found[1.0][1]}


def _rule_beta(beta_max, beta_min, covered_one, covered_max, gap_min, gap_one) -> list:
    """The largest β's samples cover fewer digits than β = 1's; the smallest β's codes sit farther from N(0, I)."""
    return [above(f"digits covered, β = 1 / β = {beta_max:g}", covered_one, covered_max, log=True),
            above(f"distance from N(0, I), β = {beta_min:g} / β = 1", gap_min, gap_one, log=True)]


# --------------------------------------------------------------------------- ex4-bce


def _measure_bce(vae_bce, h_bce, vae, mse_pixel) -> dict:
    signed, unit = _digits(), _digits((0.0, 1.0))
    _vae("vae_bce", vae_bce, 3, output="sigmoid")
    _vae("vae", vae, 3)
    yours = _finite("mse_pixel", mse_pixel)
    _vae_history("h_bce", h_bce, vae_bce, unit.x_test, unit)
    _learnt("vae_bce", vae_bce, unit)
    with torch.random.fork_rng(devices=[]):  # a VAE's terms draw codes: leave the chapter's random numbers alone
        torch.manual_seed(runtime.seed(0))
        bce_now = evaluate(vae_bce, unit.x_test, vae_objective(1.0, kind="bce"))["recon"]
        mse_now = evaluate(vae, signed.x_test, vae_objective(1.0, kind="mse"))["recon"]
    given = float(h_bce["test_recon"].iloc[-1])
    if not abs(given - bce_now) <= 0.05 * bce_now:
        raise Problem(f"h_bce's last test_recon is {given:.1f}, but vae_bce's binary cross-entropy on the test "
                      f"digits is {bce_now:.1f}: train it with train.vae_objective(beta=1.0, kind=\"bce\").")
    with torch.no_grad():
        bce = metrics.reconstruction_error(unit.x_test, vae_bce.decode(vae_bce.encode(unit.x_test))).mean()
        mse = metrics.reconstruction_error(unit.x_test, (vae.decode(vae.encode(signed.x_test)) + 1) / 2).mean()
    _agrees("mse_pixel", yours, float(mse), 1e-3 * float(mse),
            "measure vae's mean reconstructions of x_test on [0, 1] pixels, mapped with (x + 1) / 2, against "
            "unit.x_test, averaged over pixels and images.")
    return {"bce_term": given, "mse_term": mse_now, "bce_pixel": float(bce), "mse_pixel": float(mse)}


def _rule_bce(bce_term, mse_term, bce_pixel, mse_pixel) -> list:
    """The two reconstruction terms differ in scale, yet the per-pixel errors are within PIXEL_FACTOR."""
    return [above("BCE reconstruction term / squared error's", bce_term, mse_term, log=True),
            below("BCE VAE's per-pixel error / MSE VAE's, upper", bce_pixel, PIXEL_FACTOR * mse_pixel, log=True),
            above("BCE VAE's per-pixel error / MSE VAE's, lower", bce_pixel, mse_pixel / PIXEL_FACTOR, log=True)]


# --------------------------------------------------------------------------- ex4-nokl


def _measure_nokl(vae0, h_vae0, vae, reader, std0) -> dict:
    digits = _digits()
    _vae("vae0", vae0, 3)
    _vae("vae", vae, 3)
    yours = _finite("std0", std0)
    _vae_history("h_vae0", h_vae0, vae0, digits.x_test, digits)
    kl_part = float(h_vae0["test_loss"].iloc[-1] - h_vae0["test_recon"].iloc[-1])
    if not abs(kl_part) <= 1e-3 * float(h_vae0["test_loss"].iloc[-1]):
        raise Problem(f"h_vae0's test_loss exceeds its test_recon by {kl_part:.3g}: it was trained with the KL "
                      f"term; train vae0 with train.vae_objective(beta=0.0).")
    if vae0 is vae:
        raise Problem("vae0 is the β = 1 VAE itself: train a new models.VAE with beta=0.0.")
    _learnt("vae0", vae0, digits)
    _learnt("vae", vae, digits)
    with torch.no_grad():
        std_zero = float((0.5 * vae0.encode_dist(digits.x_test)[1]).exp().mean())
        std_one = float((0.5 * vae.encode_dist(digits.x_test)[1]).exp().mean())
    _agrees("std0", yours, std_zero, 1e-3 * std_zero,
            "average exp(logvar / 2) of vae0's posteriors over the test digits (a standard deviation, not the "
            "variance or its log).")
    reader = _reader(reader)
    return {"std0": std_zero, "std1": std_one, "gap0": _gap(vae0, digits.x_test),
            "covered0": _covered(reader, vae0), "covered1": _covered(reader, vae)}


def _rule_nokl(std0, std1, gap0, covered0, covered1) -> list:
    """Without the KL term the clouds shrink below a fifth, the codes leave N(0, I), the samples cover fewer digits."""
    return [below("posterior std, β = 0 / β = 1", std0, SHRINK * std1, log=True),
            above("β = 0 codes' largest gap to N(0, I)", gap0, 2 * TOLERANCE, log=True),
            above("digits covered, β = 1 / β = 0", covered1, covered0, log=True)]
