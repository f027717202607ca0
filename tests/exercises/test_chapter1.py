"""Chapter 1's exercise checks, against a right, a wrong and a wrong-kind answer."""

from types import SimpleNamespace

import pandas as pd
import torch

from aelab import exercises

DECAYS = [0.0, 0.001, 0.01, 0.03, 0.1]
SPLIT = SimpleNamespace(y_train=torch.tensor([[-1.0], [0.0], [1.0]]))  # variance 2/3


def _decay_table(norms, spreads, train):
    return pd.DataFrame({"weight decay": DECAYS, "train MSE": train, "test MSE": train,
                         "weight norm": norms, "output spread": spreads}).set_index("weight decay")


RIGHT_DECAY = _decay_table([7.2, 4.3, 3.7, 3.3, 1e-20], [0.7, 0.7, 0.68, 0.6, 0.0], [6e-4, 2e-3, 5e-3, 0.05, 0.667])


def test_ex1_weight_decay_right_wrong_and_wrong_kind(capsys):
    ex = exercises.get("ex1-weight-decay")
    assert ex.check(decay_table=RIGHT_DECAY, split=SPLIT)
    assert "Correct" in capsys.readouterr().out
    no_decay = _decay_table([7.2, 7.2, 7.2, 7.2, 7.2], [0.7] * 5, [6e-4] * 5)  # weight_decay never passed
    assert not ex.check(decay_table=no_decay, split=SPLIT)
    assert "does not fall from no decay" in capsys.readouterr().out
    not_collapsed = _decay_table([7.2, 4.3, 3.7, 3.3, 1.0], [0.7, 0.7, 0.68, 0.6, 0.3], [6e-4, 2e-3, 5e-3, 0.05, 0.3])
    assert not ex.check(decay_table=not_collapsed, split=SPLIT)
    assert "still varies" in capsys.readouterr().out
    wrong_mse = RIGHT_DECAY.assign(**{"train MSE": [6e-4, 2e-3, 5e-3, 0.05, 0.2]})
    assert not ex.check(decay_table=wrong_mse, split=SPLIT)
    assert "the targets' variance" in capsys.readouterr().out
    assert not ex.check(decay_table=RIGHT_DECAY.drop(columns="weight norm"), split=SPLIT)
    assert "lacks the column(s) 'weight norm'" in capsys.readouterr().out
    assert not ex.check(decay_table=RIGHT_DECAY.drop(index=0.1), split=SPLIT)
    assert "no row for 0.1" in capsys.readouterr().out
    assert not ex.check(decay_table=[1, 2], split=SPLIT)
    assert "should be a pandas DataFrame" in capsys.readouterr().out
    assert not ex.check(decay_table=..., split=SPLIT)
    assert "Not attempted" in capsys.readouterr().out


def _activation_table(train, steps, bends):
    return pd.DataFrame({"activation": ["relu", "tanh", "sigmoid", "elu"], "train MSE": train,
                         "test MSE": train, "steps to train MSE 0.05": steps,
                         "share of grid where the fit bends": bends}).set_index("activation")


def test_ex1_activations_right_wrong_and_wrong_kind(capsys):
    ex = exercises.get("ex1-activations")
    right = _activation_table([6e-4, 8e-4, 9e-4, 5e-4], [57, 43, 226, 70], [0.28, 0.99, 1.0, 0.99])
    assert ex.check(activation_table=right)
    assert "Correct" in capsys.readouterr().out
    underfit = _activation_table([6e-4, 8e-4, 0.2, 5e-4], [57, 43, 226, 70], [0.28, 0.99, 1.0, 0.99])
    assert not ex.check(activation_table=underfit)
    assert "sigmoid network's training MSE" in capsys.readouterr().out
    relu_bends = _activation_table([6e-4, 8e-4, 9e-4, 5e-4], [57, 43, 226, 70], [0.9, 0.99, 1.0, 0.99])
    assert not ex.check(activation_table=relu_bends)
    assert "ReLU fit bends at 90%" in capsys.readouterr().out
    sigmoid_fast = _activation_table([6e-4, 8e-4, 9e-4, 5e-4], [57, 43, 40, 70], [0.28, 0.99, 1.0, 0.99])
    assert not ex.check(activation_table=sigmoid_fast)
    assert "not after every other activation" in capsys.readouterr().out
    assert not ex.check(activation_table=right.drop(index="elu"))
    assert "no row for 'elu'" in capsys.readouterr().out
    assert not ex.check(activation_table={"relu": 0.1})
    assert "should be a pandas DataFrame" in capsys.readouterr().out
