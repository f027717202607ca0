"""aelab.comparisons: below and above, the comparisons a claim is made of, and their margins."""

import numpy as np
import pytest

from aelab.comparisons import above, below


def test_margins_are_in_the_comparisons_units_or_a_log_ratio():
    assert below("e", 0.25, 1.0).margin == 0.75 and above("e", 3, 1).margin == 2
    assert below("e", 1.0, 10.0, log=True).margin == pytest.approx(1.0)
    assert above("e", 2.0, 1.0, log=True).margin == pytest.approx(np.log10(2))
    assert not below("e", 1.0, 1.0).holds  # at the bound is not below it
    assert "margin x2" in above("e", 2.0, 1.0, log=True).text()


@pytest.mark.parametrize("call, message", [
    (lambda: below("e", "0.5", 1), "value must be a number"),
    (lambda: below("e", float("nan"), 1), "value is NaN"),
    (lambda: below("e", 0.0, 1, log=True), "needs positive numbers"),
    (lambda: below("", 0.5, 1), "needs a label"),
])
def test_mistakes_get_one_sentence(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()
