"""aelab.wording: numbers read into words for the prose."""

import pytest

from aelab.wording import change_in_words, tie_verdict


def test_change_in_words_and_tie_verdict_read_numbers_for_the_prose():
    assert change_in_words(0.02, 0.015) == "falls by 25%"
    assert change_in_words(0.02, 0.03) == "grows by 50%"
    assert change_in_words(0.02, 0.02001) == "stays within 1%"
    assert change_in_words(float("nan"), 0.1) == "not measured in this run"
    assert tie_verdict(1.0, 1.5, "A", "B") == "a tie by that rule"
    assert tie_verdict(-2.0, 1.5, "A", "B") == "B ahead, by more than the band"
    assert tie_verdict(2.0, float("nan"), "A", "B") == "not measured in this run"
    with pytest.raises(ValueError, match="negative"):
        tie_verdict(1.0, -1.0, "A", "B")
