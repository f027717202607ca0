"""Chapter 0's exercise: a larger code."""

from __future__ import annotations

from ._base import final_test_loss, history_problem

__all__ = ["EXERCISES", "check_ex0_latent", "CHECKS"]

EXERCISES = {
    "ex0-latent": {
        "title": "A larger code",
        "starter": '''\
# Exercise: train the same autoencoder with a 10-number code, then check.
from aelab import exercises
ex = exercises.get("ex0-latent")
runtime.seed_everything(0)
wider = ...  # models.MLPAutoencoder as above, with latent_dim=10
wider_history = ...  # train.fit(...) as above, same epochs and settings
ex.check(wider_history=wider_history, history=history)
# ex.hint()      # a nudge
# ex.solution()  # the book's answer
''',
        "hint": "Copy the cell that built and trained the 2-number model, change latent_dim to 10, "
                "and keep every other setting (epochs, lr, batch size, test data).",
        "correct": "ten numbers reconstruct the test digits better than two.",
    },
}


def check_ex0_latent(wider_history, history) -> str | None:
    problem = history_problem("wider_history", wider_history) or history_problem("history", history)
    if problem:
        return problem
    if len(wider_history) != len(history):
        return (f"train for the same number of epochs as the 2-number model ({len(history)}), "
                f"not {len(wider_history)}.")
    wide, narrow = final_test_loss(wider_history), final_test_loss(history)
    if not wide < narrow:
        return (f"the 10-number code's test error ({wide:.4f}) is not below the 2-number code's "
                f"({narrow:.4f}); check latent_dim=10 and that the other settings match.")
    return None


CHECKS = {"ex0-latent": check_ex0_latent}
