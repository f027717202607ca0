"""Chapter 0's exercise: a larger code."""

from __future__ import annotations

from .. import data, metrics
from ..comparisons import below
from ..train import reconstruction_objective
from ._base import Exercise, Problem, autoencoder, matching_test_loss

__all__ = ["EXERCISES"]


def _measure(wider, wider_history, model, history) -> dict:
    """Both codes' test MSE, recomputed from the models, once each is shown trained as asked."""
    autoencoder("model", model, latent_dim=2)
    autoencoder("wider", wider, latent_dim=10)
    digits = data.mnist(verbose=False)  # the chapter's digits, from the same source
    objective = reconstruction_objective()
    narrow = matching_test_loss("model", model, history, digits.x_test, objective)
    wide = matching_test_loss("wider", wider, wider_history, digits.x_test, objective)
    if len(wider_history) != len(history):
        raise Problem(f"train the 10-number model for as many epochs as the 2-number one ({len(history)}), "
                      f"not {len(wider_history)}.")
    floor = metrics.mean_image_error(digits.x_train, digits.x_test)
    if not wide < floor:
        raise Problem(f"wider's test MSE ({wide:.4g}) is no better than drawing the mean image ({floor:.4g}): "
                      f"train it with train.fit before checking.")
    return {"wide": wide, "narrow": narrow}


def _rule(wide: float, narrow: float) -> list:
    """Ten numbers reconstruct the test digits better than two (the claim wider-code-lower-error)."""
    return [below("test MSE, 10 numbers / 2 numbers", wide, narrow, log=True)]


EXERCISES = [Exercise(
    "ex0-latent", "A larger code",
    starter='''\
# Exercise: train the same autoencoder with a 10-number code, then check.
from aelab import exercises
ex = exercises.get("ex0-latent")
runtime.seed_everything(0)
wider = ...  # models.MLPAutoencoder as above, with latent_dim=10
wider_history = ...  # train.fit(...) as above, same epochs and settings
ex.check(wider=wider, wider_history=wider_history, model=model, history=history)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
    hint="Copy the cell that built and trained the 2-number model, change latent_dim to 10, "
         "and keep every other setting (epochs, lr, batch size, test data).",
    passed="ten numbers reconstruct the test digits better than two.",
    measure=_measure, rule=_rule, condition="full profile",
    quick="both models are trained as asked; after the quick profile's 8 epochs the two codes can end "
          "within a few per cent of each other, so whether ten numbers do better is checked in the full "
          "profile only (run the chapter without AELAB_QUICK).",
)]
