"""Chapter 3's exercise checks, against a right, a wrong and a wrong-kind answer."""

import numpy as np
import pandas as pd
import torch
from torch import nn

from aelab import exercises

Y_TEST = torch.zeros(1000, dtype=torch.long)


def test_ex3_probe_size_right_wrong_and_wrong_kind(capsys):
    ex = exercises.get("ex3-probe-size")
    right = {2: 0.38, 5: 0.73, 10: 0.78, 20: 0.79, 50: 0.82}
    assert ex.check(probe_acc=right, y_test=Y_TEST)
    assert "Correct" in capsys.readouterr().out
    assert not ex.check(probe_acc={**right, 2: 0.77}, y_test=Y_TEST)  # 2 numbers as good as 10
    assert "not ahead of the one on 2" in capsys.readouterr().out
    assert not ex.check(probe_acc={**right, 50: 0.60}, y_test=Y_TEST)  # 50 far below 10
    assert "below the one on 10" in capsys.readouterr().out
    assert not ex.check(probe_acc={k: 100 * v for k, v in right.items()}, y_test=Y_TEST)  # percentages
    assert "not a percentage" in capsys.readouterr().out
    assert not ex.check(probe_acc=[0.4, 0.8], y_test=Y_TEST)
    assert "should be a dict of test accuracies" in capsys.readouterr().out


def _history(test_losses):
    return pd.DataFrame({"epoch": range(1, len(test_losses) + 1), "train_loss": test_losses,
                         "test_loss": test_losses})


def test_ex3_batchnorm_right_wrong_and_wrong_kind(capsys):
    ex = exercises.get("ex3-batchnorm")
    conv_hist = _history([0.076, 0.044, 0.034, 0.028, 0.025, 0.023])
    without = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU())
    with_bn = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU())
    plain_hist = _history([0.071, 0.065, 0.062, 0.055, 0.048, 0.040])
    assert ex.check(plain=without, plain_hist=plain_hist, conv_hist=conv_hist)
    assert "Correct" in capsys.readouterr().out
    assert not ex.check(plain=with_bn, plain_hist=plain_hist, conv_hist=conv_hist)
    assert "still has BatchNorm layers" in capsys.readouterr().out
    assert not ex.check(plain=without, plain_hist=plain_hist.iloc[:3], conv_hist=conv_hist)
    assert "same number of epochs" in capsys.readouterr().out
    assert not ex.check(plain=without, plain_hist=_history([0.07, 0.08, 0.09, 0.1, 0.1, 0.1]), conv_hist=conv_hist)
    assert "did not fall" in capsys.readouterr().out
    assert not ex.check(plain=without, plain_hist=[0.07, 0.04], conv_hist=conv_hist)
    assert "should be the DataFrame train.fit returns" in capsys.readouterr().out


ACC = pd.Series({"conv encoder, frozen": 0.870, "conv encoder, fine-tuned": 0.951, "PCA-10": 0.777,
                 "pixels (logistic regression)": 0.900, "conv net, no pretraining": 0.952}, name="test accuracy")
FEW_ACC = {"conv encoder, frozen": 0.826, "conv encoder, fine-tuned": 0.865, "PCA-10": 0.729,
           "pixels (logistic regression)": 0.845, "conv net, no pretraining": 0.843}
Y_TRAIN = torch.zeros(4000, dtype=torch.long)
FEW = torch.randperm(4000, generator=torch.Generator().manual_seed(0))[:400]


def test_ex3_few_labels_right_wrong_and_wrong_kind(capsys):
    ex = exercises.get("ex3-few-labels")
    assert ex.check(few_acc=FEW_ACC, acc=ACC, few=FEW, y_train=Y_TRAIN, y_test=Y_TEST)
    assert "Correct" in capsys.readouterr().out
    all_labels = dict(ACC)  # trained on every label: nothing lost
    assert not ex.check(few_acc=all_labels, acc=ACC, few=FEW, y_train=Y_TRAIN, y_test=Y_TEST)
    assert "no more test digits wrong with few labels" in capsys.readouterr().out
    apart = dict(FEW_ACC, **{"PCA-10": 0.55})
    assert not ex.check(few_acc=apart, acc=ACC, few=FEW, y_train=Y_TRAIN, y_test=Y_TEST)
    assert "further apart than their tie band" in capsys.readouterr().out
    assert not ex.check(few_acc=FEW_ACC, acc=ACC, few=FEW[:40], y_train=Y_TRAIN, y_test=Y_TEST)
    assert "not a tenth" in capsys.readouterr().out
    assert not ex.check(few_acc={"PCA-10": 0.7}, acc=ACC, few=FEW, y_train=Y_TRAIN, y_test=Y_TEST)
    assert "lacks an accuracy for 'conv encoder, frozen'" in capsys.readouterr().out
    assert not ex.check(few_acc=FEW_ACC, acc=ACC, few=[1, 2], y_train=Y_TRAIN, y_test=Y_TEST)
    assert "1-D tensor of indices" in capsys.readouterr().out


def test_ex3_full_covariance_right_wrong_and_wrong_kind(capsys):
    ex = exercises.get("ex3-full-covariance")
    g = torch.Generator().manual_seed(0)
    mixing = torch.randn(8, 8, generator=g)
    z_train = torch.randn(2000, 8, generator=g) @ mixing.T + 1.0  # correlated codes
    noise = torch.randn(100, 8, generator=g)
    mu = z_train.mean(0)
    independent = mu + z_train.std(0) * noise
    chol = torch.linalg.cholesky(torch.cov(z_train.T))
    correlated = mu + noise @ chol.T
    d_random = torch.cdist(independent, z_train).min(1).values
    assert ex.check(full_codes=correlated, z50_train=z_train, d_random=d_random)
    assert "Correct" in capsys.readouterr().out
    assert not ex.check(full_codes=independent, z50_train=z_train, d_random=d_random)
    assert "do not carry the training codes' correlations" in capsys.readouterr().out
    far = mu + 5 * (noise @ chol.T)  # the right correlations, but spread five times too wide
    assert not ex.check(full_codes=far, z50_train=z_train, d_random=d_random)
    assert "no closer to the training codes" in capsys.readouterr().out
    assert not ex.check(full_codes=correlated.numpy(), z50_train=z_train, d_random=d_random)
    assert "should be a 2-D tensor" in capsys.readouterr().out
    assert not ex.check(full_codes=correlated[:, :4], z50_train=z_train, d_random=d_random)
    assert "random codes of 8 numbers" in capsys.readouterr().out
