"""aelab.plots.diagrams.least_volume: the idea of least volume, with the book's penalty."""

import pytest
import torch

from aelab import plots
from tests.helpers import _texts
from tests.mistakes import _cases, _check


def test_least_volume_diagram_reports_the_books_penalty():
    from aelab.losses import volume_penalty

    fig = plots.least_volume_diagram(eta=0.05, n=50, seed=3)
    text = "\n".join(_texts(fig))
    assert r"\prod_{i=1}^{m}" in text and r"\eta" in text and "0.05" in text
    assert "Lipschitz" in text and "spectral norm" in text
    assert text.count("penalty = ") == 2
    again = "\n".join(_texts(plots.least_volume_diagram(eta=0.05, n=50, seed=3)))
    assert again == text  # seeded: the same clouds and numbers
    lines = text.splitlines()
    values = [float(line.split("= ")[1]) for line in lines if line.startswith("penalty = ")]
    assert values[1] < values[0]  # the flat cloud has the smaller volume
    # each printed penalty is the book's formula on the printed spreads
    spreads = [line.split("(")[1].split(")")[0] for line in lines if line.startswith(r"$\sigma$ = (")]
    for spread, value in zip(spreads, values):
        sigma = torch.tensor([float(s) for s in spread.split(", ")])
        assert value == pytest.approx(float(torch.prod(sigma + 0.05) ** (1 / 3)), abs=0.01)
    # and the formula is volume_penalty's: codes with spreads (1, 0) give ((1 + eta) * eta) ** (1/2)
    z = torch.tensor([[-1.0, 0.0], [1.0, 0.0]]) / 2 ** 0.5
    assert float(volume_penalty(z, eta=0.05)) == pytest.approx((1.05 * 0.05) ** 0.5)


@pytest.mark.parametrize("kwargs, match", [(dict(eta=0), "eta must be a positive number"), (dict(n=1), "at least 2")])
def test_least_volume_diagram_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.least_volume_diagram(**kwargs)


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("least_volume-eta-0", lambda: plots.least_volume_diagram(eta=0), r"eta must be a positive number, got 0"),
    ("least_volume-n-1", lambda: plots.least_volume_diagram(n=1),
     r"n must be an integer of at least 2 \(a spread needs two codes\), got 1"),
    ("least_volume-seed-string", lambda: plots.least_volume_diagram(seed="0"),
     r"seed must be a non-negative integer, got '0'"),  # fixed: NumPy "SeedSequence expects int"
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_plots_diagrams(call, match, error):
    _check(call, match, error)
