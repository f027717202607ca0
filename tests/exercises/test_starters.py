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


def _solution_code(label):
    """The code cells of ``label``'s worked solution in the book (between solution-start and solution-end)."""
    import json
    import re
    from pathlib import Path

    chapter = exercises.EXERCISES[label].chapter
    cells = json.loads((Path(__file__).resolve().parents[2] / "book" / f"{chapter}.ipynb").read_text())["cells"]
    code, inside = [], False
    for cell in cells:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            if re.search(rf"```{{solution-start}}\s*{re.escape(label)}\b", text):
                inside = True
            if inside and "```{solution-end}" in text.split(label, 1)[-1]:
                inside = False
        elif inside:
            code.append(text)
    return "\n".join(code)


@pytest.mark.parametrize("label", sorted(exercises.EXERCISES))
def test_the_books_claim_and_the_check_share_one_rule(label):
    # the worked solution states the exercise's rule as a claim, through the exercise object: the
    # threshold lives in the rule alone, which check() applies to the student's answer
    code = _solution_code(label)
    assert f'exercises.get("{label}")' in code and ".comparisons(" in code and "claims.check(" in code, (
        f"{label}: the book's solution must state the exercise's rule as a claim (ex.comparisons(...))")
    ex = exercises.get(label)
    assert ex._rule is not None and ex._measure is not None


@pytest.mark.parametrize("answer", [..., {}, [], {2: ...}, {"relu": 3, "tanh": ...}, [..., 1], ({},)])
def test_a_starter_run_untouched_is_not_attempted_whatever_container_it_fills(answer, capsys):
    # a starter's loop body is `...`: its dict stays empty, or holds `...` where a model should be
    assert not exercises.get("ex0-latent").check(wider=answer, wider_history=answer, model=answer, history=answer)
    assert capsys.readouterr().out.startswith("Not attempted")
