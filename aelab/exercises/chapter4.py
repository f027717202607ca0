"""Chapter 4's exercises: the variational autoencoder.

Each rule is the claim the chapter's worked solution states; ``OPEN`` and
``TOLERANCE`` are the chapter's own thresholds, set once beside the rules in
``_chapter4_checks`` (the notebook imports them from here).
"""

from __future__ import annotations

from ._base import Exercise
from ._chapter4_checks import (
    OPEN, TOLERANCE, MOST_OPEN, PIXEL_FACTOR, _measure_latent, _rule_latent, _measure_beta, _rule_beta,
    _measure_bce, _rule_bce, _measure_nokl, _rule_nokl,
)

__all__ = ["OPEN", "TOLERANCE", "EXERCISES"]


EXERCISES = [
    Exercise(
        "ex4-latent", "How many latent dimensions does a VAE use?",
        starter='''\
# Exercise: the 32-D VAE's open dimensions, then check.
from aelab import exercises
ex = exercises.get("ex4-latent")
with torch.no_grad():
    kl32 = ...  # (32,) mean KL of each dimension of vae32 on x_test
open32 = ...  # how many of kl32 are above OPEN (0.05 nats): an int
# then compare the errors per image: h_ae["test_loss"], h_ae32["test_loss"],
# h_vae["test_recon"] and h_vae32["test_recon"] (their last values)
ex.check(open32=open32, vae32=vae32, h_vae32=h_vae32, ae32=ae32, h_ae32=h_ae32)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="losses.kl_divergence(mu, logvar, reduction=\"dimension\") keeps one number per latent dimension, "
             "averaged over the images: give it vae32.encode_dist(x_test), then count the entries above OPEN "
             "with int((kl32 > OPEN).sum()).",
        passed=f"the 32-D VAE opens fewer than a third of its 32 dimensions (at most {MOST_OPEN}), and "
               f"reconstructs worse than the 32-D autoencoder.",
        measure=_measure_latent, rule=_rule_latent),
    Exercise(
        "ex4-beta", "Samples across β",
        starter='''\
# Exercise: judge each β's samples and measure its codes' gap to N(0, I).
from aelab import exercises
ex = exercises.get("ex4-beta")
rows = []
for beta, model in sweep_models.items():  # the VAEs of the β sweep
    images = ...  # N_GENERATED images decoded from N(0, I): model.sample
    gap = ...  # metrics.standard_normal_gap of one draw z ~ q(z|x) per
    #            test digit (model.encode_dist, model.reparameterize)
    ...  # rows.append({"beta": beta, **judge(images),
    #                  "distance from N(0, I)": gap})
beta_scores = ...  # pd.DataFrame(rows).set_index("beta")
ex.check(beta_scores=beta_scores, sweep_models=sweep_models, reader=reader)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="model.sample(N_GENERATED) decodes codes from N(0, I); for the gap, draw z as the section on the "
             "latent spaces did: mu, logvar = model.encode_dist(x_test), then model.reparameterize(mu, logvar) "
             "inside torch.no_grad().",
        passed="the largest β's samples cover fewer digits than β = 1's, and the smallest β's codes sit "
               "farther from N(0, I).",
        measure=_measure_beta, rule=_rule_beta),
    Exercise(
        "ex4-bce", "Squared error or binary cross-entropy",
        starter='''\
# Exercise: a VAE on [0, 1] pixels with a Bernoulli decoder, then check.
from aelab import exercises
ex = exercises.get("ex4-bce")
unit = data.downsample(full_size, size=14, value_range=(0.0, 1.0))
runtime.seed_everything(0)
vae_bce = ...  # models.VAE as vae above, with a "sigmoid" output
h_bce = ...  # train.fit(...) on unit.x_train with kind="bce", same budget
#              but test=unit.x_test
mse_pixel = ...  # per-pixel squared error of vae's mean reconstructions of
#                  x_test, mapped to [0, 1], against unit.x_test
ex.check(vae_bce=vae_bce, h_bce=h_bce, vae=vae, mse_pixel=mse_pixel)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="train.vae_objective(beta=1.0, kind=\"bce\") and dict(budget, test=unit.x_test); decode the means "
             "(model.decode(model.encode(x))), map the squared-error VAE's output with (x + 1) / 2, and average "
             "metrics.reconstruction_error over the images.",
        passed=f"the two reconstruction terms are on different scales, yet both VAEs' mean reconstructions of "
               f"the [0, 1] pixels have squared errors within a factor {PIXEL_FACTOR} of each other.",
        measure=_measure_bce, rule=_rule_bce),
    Exercise(
        "ex4-nokl", "A VAE without its KL term",
        starter='''\
# Exercise: the VAE with beta = 0, then check.
from aelab import exercises
ex = exercises.get("ex4-nokl")
runtime.seed_everything(0)
vae0 = ...  # models.VAE as vae above
h_vae0 = ...  # train.fit(...) with train.vae_objective(beta=0.0), budget
std0 = ...  # the mean posterior standard deviation over the test digits
# then judge N_GENERATED samples of vae0 (vae0.sample) against the β = 1
# VAE's, generated["VAE, z ~ N(0, I)"], and measure the codes' distance
# from N(0, I) (metrics.standard_normal_gap of one draw z ~ q(z|x))
ex.check(vae0=vae0, h_vae0=h_vae0, vae=vae, reader=reader, std0=std0)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="Train and evaluate vae0 exactly as vae (vae0.eval() after training); the encoder gives log "
             "variances (vae0.encode_dist(x_test)[1]), and a standard deviation is exp(logvar / 2): average it "
             "over the test digits and the dimensions.",
        passed="without the KL term the posterior clouds shrink below a fifth of β = 1's, the codes leave "
               "N(0, I), and the samples cover fewer digits.",
        measure=_measure_nokl, rule=_rule_nokl),
]
