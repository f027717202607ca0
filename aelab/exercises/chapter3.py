"""Chapter 3's exercises: autoencoders on MNIST."""

from __future__ import annotations

from ._base import Exercise
from ._chapter3_checks import (
    _probe_measure, _probe_rule, _batchnorm_measure, _batchnorm_rule, _few_measure, _few_rule,
    _covariance_measure, _covariance_rule,
)

__all__ = ["EXERCISES"]


EXERCISES = [
    Exercise(
        "ex3-probe-size", "Does the code need 10 numbers because there are 10 digits?",
        starter='''\
# Exercise: a frozen linear probe on each MLP autoencoder of section 3.2.
from aelab import exercises
ex = exercises.get("ex3-probe-size")
probes, probe_hists = {}, {}
for k in LATENT_SIZES:
    runtime.seed_everything(0)
    probes[k] = ...  # models.ClassifierHead on mlp_aes[k], frozen
    probe_hists[k] = ...  # train.fit(...) as in section 3.6
ex.check(probes=probes, probe_hists=probe_hists, head_hists=head_hists)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="models.ClassifierHead(mlp_aes[k], freeze_encoder=True), then train.fit(probes[k], labelled, "
             "train.classification_objective(accuracy=True), **head_settings): its history's last "
             "'test_accuracy' is the probe's accuracy.",
        passed="two numbers are too few for the probe, and 50 numbers do no worse than 10: the code's size "
               "is not tied to the number of classes.",
        measure=_probe_measure, rule=_probe_rule,
    ),
    Exercise(
        "ex3-batchnorm", "Without BatchNorm",
        starter='''\
# Exercise: the convolutional autoencoder without its BatchNorm layers.
from aelab import exercises
ex = exercises.get("ex3-batchnorm")
runtime.seed_everything(0)
plain = ...  # models.ConvAutoencoder with a 10-number code, no BatchNorm
plain_hist = ...  # train.fit(...) with the same budget as conv above
ex.check(plain=plain, plain_hist=plain_hist, conv=conv, conv_hist=conv_hist)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="models.ConvAutoencoder(latent_dim=10, batch_norm=False), then train.fit(plain, x_train, mse, "
             "**conv_settings); plots.history_comparison draws both curves.",
        passed="with the full budget the network without BatchNorm ends with a test error over 10 % higher "
               "than the one with it.",
        measure=_batchnorm_measure, rule=_batchnorm_rule, condition="full profile",
        quick="both networks are trained alike, and the one without BatchNorm is the one asked for; whether "
              "it ends over 10 % higher is checked with the full budget only (run the chapter without "
              "AELAB_QUICK).",
    ),
    Exercise(
        "ex3-few-labels", "Few labels",
        starter='''\
# Exercise: the five classifiers of section 3.6 on a tenth of the labels.
from aelab import exercises
ex = exercises.get("ex3-few-labels")
few = ...  # the indices of a random tenth of the training digits
few_nets, few_hists = {}, {}
for name, make in head_makers.items():
    runtime.seed_everything(0)
    few_nets[name] = make()
    few_hists[name] = ...  # train.fit on (x_train[few], y_train[few]) with
    # the settings of section 3.6 (finetune_settings for the names in
    # TRAIN_ENCODER), but 10 * HEAD_EPOCHS epochs: a tenth of the batches
ex.check(few_nets=few_nets, few_hists=few_hists, head_hists=head_hists, few=few)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="torch.randperm(len(y_train))[: len(y_train) // 10] picks a tenth; "
             "settings = dict(settings, epochs=10 * HEAD_EPOCHS) keeps the rest of section 3.6's settings.",
        passed="with a tenth of the labels the fine-tuned encoder and the pixels get more test digits wrong, "
               "and the two frozen heads lose the same within their tie band.",
        measure=_few_measure, rule=_few_rule,
    ),
    Exercise(
        "ex3-full-covariance", "Random codes with correlations",
        starter='''\
# Exercise: random codes from one Gaussian with the codes' full covariance.
from aelab import exercises
ex = exercises.get("ex3-full-covariance")
with torch.no_grad():
    full_codes = ...  # (100, 50): mu + noise @ L.T, with noise the draws
    # of section 3.4 and L the Cholesky factor of the covariance of
    # z50_train (add 1e-5 * identity first); decode them with mlp_aes[50],
    # and measure how far they lie from the training codes, as in 3.4
ex.check(full_codes=full_codes, noise=noise, mlp_aes=mlp_aes)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        hint="torch.cov(z50_train.T) is the (50, 50) covariance, torch.linalg.cholesky gives L; "
             "plots.image_grid draws the decoded codes.",
        passed="codes drawn with the training codes' correlations land closer to real codes than "
               "independent draws do.",
        measure=_covariance_measure, rule=_covariance_rule,
    ),
]
