"""Chapter 0's exercise check, against a right and a wrong answer."""

import pandas as pd

from aelab import exercises


def _history(losses):
    return pd.DataFrame({"epoch": range(1, len(losses) + 1), "train_loss": losses, "test_loss": losses})


def test_ex0_latent_right_and_wrong(capsys):
    ex = exercises.get("ex0-latent")
    two = _history([0.07, 0.06, 0.055])
    assert ex.check(wider_history=_history([0.06, 0.05, 0.04]), history=two)
    assert "Correct" in capsys.readouterr().out
    assert not ex.check(wider_history=_history([0.07, 0.065, 0.06]), history=two)  # no better
    assert "is not below the 2-number code's" in capsys.readouterr().out
    assert not ex.check(wider_history=_history([0.06, 0.05]), history=two)  # fewer epochs
    assert "same number of epochs" in capsys.readouterr().out
    assert not ex.check(wider_history=[0.04], history=two)  # not a history
    assert "should be the DataFrame train.fit returns" in capsys.readouterr().out
