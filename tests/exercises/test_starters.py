"""Every exercise's starter cell: fits the page, ends in one check, and reports "not attempted" untouched."""

import pytest

from aelab import exercises


@pytest.mark.parametrize("label", sorted(exercises.EXERCISES))
def test_an_untouched_starter_is_not_attempted(label, capsys):
    starter = exercises.EXERCISES[label].starter
    assert all(len(line) <= 80 for line in starter.splitlines()), label
    call = [line for line in starter.splitlines() if line.startswith("ex.check(")]
    assert len(call) == 1 and call[0].endswith(")"), f"{label}: one ex.check(...) call on one line"
    names = [part.split("=")[0].strip() for part in call[0][len("ex.check("):-1].split(",")]
    assert not exercises.get(label).check(**{name: ... for name in names})
    assert "Not attempted" in capsys.readouterr().out
