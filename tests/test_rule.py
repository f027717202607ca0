"""aelab.rule: the rule for keeping a claim, on the margins of its recorded runs."""

import numpy as np

from aelab.rule import keeps


def test_the_rule_for_keeping_a_claim():
    steady = np.linspace(0.9, 1.1, 20)
    assert keeps(steady, "quick") == (True, "meets the rule")
    assert keeps(steady[:8], "full")[0] and not keeps(steady[:8], "quick")[0]  # 8 runs are too few for quick
    assert keeps(np.r_[steady[:19], -0.1], "quick") == (False, "failed in 1 of 20 runs")
    wide = np.r_[np.full(10, 0.1), np.full(10, 1.5)]  # held every time, but close to the bound
    kept, why = keeps(wide, "quick")
    assert not kept and "standard deviations" in why
    assert keeps(np.full(20, 2.0), "quick")[0]  # the same margin every time (a count, say)
