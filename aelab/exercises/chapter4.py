"""Chapter 4's exercises: the variational autoencoder."""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd
import torch

__all__ = [
    "OPEN", "TOLERANCE", "EXERCISES", "check_ex4_latent", "check_ex4_beta", "check_ex4_bce",
    "check_ex4_nokl", "CHECKS",
]

OPEN = 0.05  # nats: a dimension whose mean KL is above this is open (the chapter's OPEN)
TOLERANCE = 0.25  # the chapter's tolerance on each code's mean and standard deviation

EXERCISES = {
    "ex4-latent": {
        "title": "How many latent dimensions does a VAE use?",
        "starter": '''\
# Exercise: the 32-D VAE's KL per latent dimension, then check.
from aelab import exercises
ex = exercises.get("ex4-latent")
with torch.no_grad():
    kl32 = ...  # (32,) mean KL of each dimension of vae32 on x_test
open32 = ...  # how many of kl32 are above OPEN (0.05 nats)
# then compare the errors per image: h_ae["test_loss"], h_ae32["test_loss"],
# h_vae["test_recon"] and h_vae32["test_recon"] (their last values)
ex.check(kl32=kl32, open32=open32, vae32=vae32, x_test=x_test)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "losses.kl_divergence has a reduction that keeps one number per latent dimension, averaged "
                "over the images: give it vae32's posterior on the test digits, then count the entries above OPEN.",
        "correct": "the 32-D VAE opens fewer than half of its 32 dimensions; the others stay at the prior.",
    },
    "ex4-beta": {
        "title": "Samples across β",
        "starter": '''\
# Exercise: judge each β's samples and measure its codes' gap to N(0, I).
from aelab import exercises
ex = exercises.get("ex4-beta")
for beta, model in sweep_models.items():  # the VAEs of the β sweep
    images = ...  # N_GENERATED images decoded from N(0, I): model.sample
    ...  # judge(images), and metrics.standard_normal_gap of one draw
    # z ~ q(z|x) per test digit (model.encode_dist, model.reparameterize)
beta_scores = ...  # DataFrame indexed by beta: judge's three columns and
#                    "distance from N(0, I)"
ex.check(beta_scores=beta_scores)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "Collect one dict per β, {\"beta\": beta, **judge(images), \"distance from N(0, I)\": gap}, "
                "then pd.DataFrame(rows).set_index(\"beta\"); draw z as the section on the latent spaces did.",
        "correct": "the largest β's samples cover fewer digits than β = 1's, and the smallest β's codes sit "
                   "farther from N(0, I).",
    },
    "ex4-bce": {
        "title": "Squared error or binary cross-entropy",
        "starter": '''\
# Exercise: a VAE on [0, 1] pixels with a Bernoulli decoder, then check.
from aelab import exercises
ex = exercises.get("ex4-bce")
unit = data.downsample(full_size, size=14, value_range=(0.0, 1.0))
runtime.seed_everything(0)
vae_bce = ...  # models.VAE as vae above, with a "sigmoid" output
h_bce = ...  # train.fit(...) on unit.x_train with kind="bce", same budget
#              but test=unit.x_test
bce_pixel = ...  # per-pixel squared error of vae_bce's mean reconstructions
#                  of unit.x_test
mse_pixel = ...  # the same for vae, its reconstructions mapped to [0, 1]
ex.check(h_bce=h_bce, h_vae=h_vae, bce_pixel=bce_pixel, mse_pixel=mse_pixel)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "train.vae_objective(beta=1.0, kind=\"bce\") and dict(budget, test=unit.x_test); decode the "
                "means (model.decode(model.encode(x))), and map the squared-error VAE's output with (x + 1) / 2.",
        "correct": "the two reconstruction terms are on different scales, yet both VAEs reconstruct the "
                   "[0, 1] pixels about equally well.",
    },
    "ex4-nokl": {
        "title": "A VAE without its KL term",
        "starter": '''\
# Exercise: the VAE with beta = 0, then check.
from aelab import exercises
ex = exercises.get("ex4-nokl")
runtime.seed_everything(0)
vae0 = ...  # models.VAE as vae above
h_vae0 = ...  # train.fit(...) with train.vae_objective(beta=0.0), budget
distance0 = ...  # metrics.standard_normal_gap of one draw z ~ q(z|x) per
#                  test digit (vae0.encode_dist, vae0.reparameterize)
std0 = ...  # the mean posterior standard deviation over the test digits
judged0 = ...  # judge(...) of N_GENERATED samples of vae0 (vae0.sample)
judged1 = ...  # judge(...) of the β = 1 VAE's, generated["VAE, z ~ N(0, I)"]
ex.check(std0=std0, distance0=distance0, judged0=judged0, judged1=judged1)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "Train and evaluate vae0 exactly as vae (vae0.eval() after training); the encoder gives log "
                "variances, and a standard deviation is exp(logvar / 2).",
        "correct": "without the KL term the posterior clouds shrink, the codes leave N(0, I), and the samples "
                   "cover fewer digits.",
    },
}


# --------------------------------------------------------------------------- shared

def _number(name: str, value) -> tuple[float | None, str | None]:
    """(the value as a float, None), or (None, what is wrong with it)."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    elif isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None, f"{name} should be a number, got {type(value).__name__}."
    if not math.isfinite(value):
        return None, f"{name} should be a finite number, got {value}."
    return float(value), None


def _vae_history_problem(name: str, value) -> str | None:
    if not isinstance(value, pd.DataFrame) or "test_recon" not in value or len(value) == 0:
        return (f"{name} should be the DataFrame train.fit returns for a VAE with test=... given (it has a "
                f"test_recon column), got {type(value).__name__}.")
    return None


def _judged_problem(name: str, value) -> str | None:
    if not isinstance(value, dict) or "digits covered" not in value:
        return f"{name} should be the dict judge(images) returns (with 'digits covered'), got {type(value).__name__}."
    return _number(f"{name}['digits covered']", value["digits covered"])[1]


# --------------------------------------------------------------------------- the checks

def check_ex4_latent(kl32, open32, vae32, x_test) -> str | None:
    if isinstance(kl32, np.ndarray):
        kl32 = torch.from_numpy(kl32)
    if not isinstance(kl32, torch.Tensor) or kl32.dim() != 1:
        return (f"kl32 should be a tensor with one mean KL per latent dimension, shape (32,), got "
                f"{type(kl32).__name__}{tuple(kl32.shape) if isinstance(kl32, torch.Tensor) else ''}.")
    latent = getattr(vae32, "latent_dim", None) if hasattr(vae32, "encode_dist") else None
    if latent is None:
        return f"vae32 should be the 32-D VAE of the generation section, got {type(vae32).__name__}."
    if len(kl32) != latent:
        return f"kl32 should hold one number per latent dimension ({latent}), not {len(kl32)}."
    if isinstance(open32, bool) or not isinstance(open32, numbers.Integral):
        return f"open32 should be a whole number of dimensions, got {type(open32).__name__}."
    from aelab import losses

    with torch.no_grad():
        expected = losses.kl_divergence(*vae32.encode_dist(x_test), reduction="dimension").cpu().double()
    yours = kl32.detach().cpu().double()
    if not torch.allclose(yours.sort().values, expected.sort().values, rtol=1e-3, atol=1e-4):
        return ("kl32 is not vae32's KL per dimension averaged over the test digits; use "
                "losses.kl_divergence(mu, logvar, reduction=\"dimension\") on vae32.encode_dist(x_test).")
    counted = int((yours > OPEN).sum())
    if int(open32) != counted:
        return f"open32 ({int(open32)}) is not the number of kl32's entries above {OPEN} nats ({counted})."
    if not 1 <= counted < latent / 2:
        return (f"{counted} of {latent} dimensions are active: the chapter's claim is that the 32-D VAE opens at "
                f"least one and fewer than half of them; check that vae32 is the trained 32-D VAE.")
    return None


def check_ex4_beta(beta_scores) -> str | None:
    columns = ("digits covered", "distance from N(0, I)")
    if not isinstance(beta_scores, pd.DataFrame) or any(c not in beta_scores for c in columns):
        return (f"beta_scores should be a DataFrame indexed by beta with the columns {columns[0]!r} (from "
                f"judge) and {columns[1]!r}, got {type(beta_scores).__name__}.")
    try:
        betas = sorted(float(b) for b in beta_scores.index)
        values = beta_scores[list(columns)].astype(float)
    except (TypeError, ValueError):
        return "beta_scores should be indexed by the values of beta (numbers) and hold numbers."
    values.index = [float(b) for b in beta_scores.index]
    if 1.0 not in betas or betas[0] >= 1.0 or betas[-1] <= 1.0:
        return (f"beta_scores should have a row for every β of the sweep, 1 and values below and above it; "
                f"its index is {betas}.")
    if not np.isfinite(values.to_numpy()).all():
        return "beta_scores holds a missing or infinite value; fill in every row."
    low, high = betas[0], betas[-1]
    covered_one, covered_high = values.loc[1.0, columns[0]], values.loc[high, columns[0]]
    if not covered_high < covered_one:
        return (f"the samples at β = {high:g} spread over {covered_high:.2f} digits, not fewer than at β = 1 "
                f"({covered_one:.2f}); check that each row judges that β's own samples.")
    gap_low, gap_one = values.loc[low, columns[1]], values.loc[1.0, columns[1]]
    if not gap_low > gap_one:
        return (f"the codes at β = {low:g} miss N(0, I) by {gap_low:.2f}, not more than at β = 1 ({gap_one:.2f}); "
                f"measure one draw z ~ q(z|x) per test digit, not the means.")
    return None


def check_ex4_bce(h_bce, h_vae, bce_pixel, mse_pixel) -> str | None:
    problem = _vae_history_problem("h_bce", h_bce) or _vae_history_problem("h_vae", h_vae)
    if problem:
        return problem
    bce, problem = _number("bce_pixel", bce_pixel)
    if problem:
        return problem
    mse, problem = _number("mse_pixel", mse_pixel)
    if problem:
        return problem
    if len(h_bce) != len(h_vae):
        return f"train for the same number of epochs as the squared-error VAE ({len(h_vae)}), not {len(h_bce)}."
    recon_bce, recon_mse = float(h_bce["test_recon"].iloc[-1]), float(h_vae["test_recon"].iloc[-1])
    if not recon_bce > recon_mse:
        return (f"h_bce's reconstruction term ({recon_bce:.1f}) is not above the squared error's ({recon_mse:.1f}): "
                f"check that h_bce comes from train.vae_objective(kind=\"bce\").")
    if not (bce > 0 and mse > 0 and 0.8 * mse < bce < 1.25 * mse):
        return (f"the per-pixel errors {bce:.4f} (cross-entropy VAE) and {mse:.4f} (squared-error VAE) are not "
                f"within a factor 1.25 of each other: measure both on [0, 1] pixels, the squared-error VAE's "
                f"reconstructions mapped with (x + 1) / 2.")
    return None


def check_ex4_nokl(std0, distance0, judged0, judged1) -> str | None:
    std, problem = _number("std0", std0)
    if problem:
        return problem
    distance, problem = _number("distance0", distance0)
    if problem:
        return problem
    problem = _judged_problem("judged0", judged0) or _judged_problem("judged1", judged1)
    if problem:
        return problem
    if not 0 < std < 0.05:
        return (f"the β = 0 VAE's mean posterior standard deviation is {std:.3f}; without the KL term it "
                f"should fall below 0.05, where the β = 1 VAE's is 0.17 or more: average "
                f"(0.5 * logvar0).exp() over the test digits.")
    if not distance > 2 * TOLERANCE:
        return (f"the β = 0 codes miss N(0, I) by only {distance:.2f}, not more than {2 * TOLERANCE}: measure "
                f"metrics.standard_normal_gap on one draw z ~ q(z|x) per test digit of vae0.")
    covered0, covered1 = float(judged0["digits covered"]), float(judged1["digits covered"])
    if not covered0 < covered1:
        return (f"the β = 0 samples cover {covered0:.1f} digits, not fewer than the β = 1 VAE's ({covered1:.1f}): "
                f"judged0 should judge vae0.sample(...), judged1 the β = 1 VAE's samples.")
    return None


CHECKS = {"ex4-latent": check_ex4_latent, "ex4-beta": check_ex4_beta, "ex4-bce": check_ex4_bce,
          "ex4-nokl": check_ex4_nokl}
