"""metrics.generation: known answers for the moments, the gap to N(0, I) and the classifier's verdict."""

import pytest
import torch
from torch import nn

from aelab import metrics


def test_code_moments_and_gap_known_answers():
    z = torch.tensor([[1.0, 0.0], [3.0, 2.0]])  # means 2 and 1, stds sqrt(2) and sqrt(2)
    m = metrics.code_moments(z)
    assert list(m) == ["mean z1", "mean z2", "std z1", "std z2"]
    assert m["mean z1"] == pytest.approx(2.0) and m["std z2"] == pytest.approx(2 ** 0.5)
    assert metrics.standard_normal_gap(z) == pytest.approx(2.0)  # the first mean
    standard = torch.randn(200000, 3, generator=torch.Generator().manual_seed(0))
    assert metrics.standard_normal_gap(standard) < 0.01


def test_judge_counts_confidence_share_and_classes():
    # a "classifier" that reads the class and the confidence off the image itself
    def classifier(images):  # images (N, 2): [class, logit of that class]
        logits = torch.full((len(images), 4), 0.0)
        logits[torch.arange(len(images)), images[:, 0].long()] = images[:, 1]
        return logits

    sure = torch.tensor([[0.0, 20.0], [1.0, 20.0], [2.0, 20.0], [3.0, 20.0]])
    verdict = metrics.judge(classifier, sure)
    assert verdict["mean confidence"] == pytest.approx(1.0)
    assert verdict["share above 0.9"] == 1.0
    assert verdict["digits covered"] == pytest.approx(4.0)  # one image of each class
    unsure = torch.tensor([[0.0, 0.0], [0.0, 0.0]])  # uniform over 4 classes, all argmax 0
    verdict = metrics.judge(classifier, unsure, threshold=0.5)
    assert verdict["mean confidence"] == pytest.approx(0.25)
    assert verdict["share above 0.5"] == 0.0 and verdict["digits covered"] == pytest.approx(1.0)
    torch.testing.assert_close(metrics.confidence(classifier, sure), torch.ones(4), atol=1e-6, rtol=0)


def test_generation_metrics_refuse_mistakes():
    with pytest.raises(ValueError, match="torch tensor"):
        metrics.standard_normal_gap([[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match=r"^z must be codes of shape \(batch, latent_dim\) with batch >= 2, "
                       r"got \(1, 3\)\.$"):
        metrics.code_moments(torch.zeros(1, 3))
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(4, 3))
    with pytest.raises(ValueError, match="threshold"):
        metrics.judge(mlp, torch.zeros(2, 1, 2, 2), threshold=90)
    with pytest.raises(ValueError, match="non-empty batch"):
        metrics.judge(mlp, torch.zeros(0, 1, 2, 2))
    with pytest.raises(ValueError, match=r"\(N, classes\) logits"):
        metrics.judge(lambda x: x.sum(), torch.zeros(2, 4))


def test_frechet_distance_known_answers():
    g = torch.Generator().manual_seed(0)
    a = torch.randn(500, 3, generator=g, dtype=torch.float64)
    assert metrics.frechet_distance(a, a) == pytest.approx(0.0, abs=1e-9)
    # a shift adds its squared length; a scale s of every column adds (s - 1)^2 times each variance
    shifted = a + torch.tensor([1.0, 2.0, 0.0], dtype=torch.float64)
    assert metrics.frechet_distance(a, shifted) == pytest.approx(5.0, rel=1e-9)
    variance = a.var(0).sum().item()
    assert metrics.frechet_distance(a, 3 * a) == pytest.approx(4 * variance + (a.mean(0) * 2).pow(2).sum().item(), rel=1e-6)
    # full covariances: the closed form against scipy's matrix square root
    import numpy as np
    from scipy import linalg
    b = torch.randn(400, 3, generator=g, dtype=torch.float64) @ torch.tensor([[1.0, 0.5, 0.0], [0.0, 1.0, 0.3], [0.2, 0.0, 2.0]], dtype=torch.float64)
    ca, cb = np.cov(a.numpy(), rowvar=False), np.cov(b.numpy(), rowvar=False)
    want = ((a.mean(0) - b.mean(0)) ** 2).sum().item() + np.trace(ca + cb - 2 * linalg.sqrtm(ca @ cb).real)
    assert metrics.frechet_distance(a.numpy(), b) == pytest.approx(want, rel=1e-6)
    assert metrics.frechet_distance(a, b) == pytest.approx(metrics.frechet_distance(b, a), rel=1e-6)


def test_frechet_distance_bad_input():
    with pytest.raises(ValueError, match="same number of columns"):
        metrics.frechet_distance(torch.zeros(5, 3), torch.zeros(5, 4))
    with pytest.raises(ValueError, match=r"\(N, F\) numbers with N of at least 2"):
        metrics.frechet_distance(torch.zeros(5), torch.zeros(5, 1))
    with pytest.raises(ValueError, match=r"\(N, F\) numbers with N of at least 2"):
        metrics.frechet_distance(torch.zeros(1, 3), torch.zeros(5, 3))
