"""The experiment exercises of the reader's notebooks: ``check()``, ``hint()``, ``solution()``.

Each exercise of a chapter is one :class:`Exercise`, found by its label::

    ex = exercises.get("ex0-latent")
    wider_history = ...          # your answer: fill in the ...
    ex.check(wider_history=wider_history, history=history)
    # ex.hint()
    # ex.solution()

``check()`` tests a property of your result, with the tolerances the book's
claims use (not an exact number: your run is a fresh draw), and says in one
sentence what is off; while a ``...`` is left in, it says the exercise is not
attempted yet. ``solution()`` shows the book's worked answer, as the rendered
book has it. Each chapter's exercises (starter cell, hint, check) are in
``aelab/exercises/chapterN.py``; the reader's notebooks are generated from the
book's (``python3 tasks.py reader``), with these starters in place of the
solutions.

Used in: the reader's notebooks of every chapter.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import chapter0, chapter1, chapter2, chapter3, chapter4, chapter5, chapter6

CHAPTERS = {"00_setup": chapter0, "01_nn_review": chapter1, "02_ae_vs_pca": chapter2, "03_mnist": chapter3,
            "04_vae": chapter4, "05_traversal_dci": chapter5, "06_least_volume": chapter6}
EXERCISES = {label: dict(exercise, chapter=chapter) for chapter, module in CHAPTERS.items()
             for label, exercise in module.EXERCISES.items()}
CHECKS = {label: check for module in CHAPTERS.values() for label, check in module.CHECKS.items()}

__all__ = ["Exercise", "Verdict", "get", "EXERCISES"]

NOT_ATTEMPTED = "Not attempted yet: replace each ... in the starter cell with your code, then run it again."


class Verdict:
    """What :meth:`Exercise.check` returns: true when the answer passed.

    It shows nothing as a cell's last value (``check()`` has already said what it
    found), so a starter cell ends in its check without a stray ``True``.
    """

    def __init__(self, passed: bool):
        self.passed = bool(passed)

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return f"Verdict(passed={self.passed})"

    def _ipython_display_(self) -> None:
        pass


class Exercise:
    """One exercise: its starter, its check, a hint and the book's solution."""

    def __init__(self, label: str):
        if label not in EXERCISES:
            raise ValueError(f"no exercise is labelled {label!r}; the labels are {', '.join(sorted(EXERCISES))}.")
        self.label = label
        self.title = EXERCISES[label]["title"]
        self.chapter = EXERCISES[label]["chapter"]
        self._check = CHECKS[label]

    def __repr__(self) -> str:
        return f"Exercise({self.label!r}: {self.title})"

    def check(self, **answers) -> Verdict:
        """Check your answers, given by name as the starter cell names them; print what is off.

        Returns:
            A :class:`Verdict`, true when every property holds; false when one does not or an
            answer is still ``...``.
        """
        if not answers or any(value is Ellipsis for value in answers.values()):
            print(NOT_ATTEMPTED)
            return Verdict(False)
        problem = self._check(**answers)
        if problem:
            print(f"Not yet: {problem}")
            return Verdict(False)
        print(f"Correct: {EXERCISES[self.label]['correct']}")
        return Verdict(True)

    def hint(self) -> None:
        """Print a nudge, short of the answer."""
        print(EXERCISES[self.label]["hint"])

    def solution(self) -> None:
        """Show the book's worked solution: its text and code, with the book's numbers."""
        found = json.loads((Path(__file__).parent.parent / "solutions.json").read_text()).get(self.label)
        if found is None:
            print(f"The solution of {self.label!r} is not packaged; it is in the rendered book.")
            return
        text = "\n\n".join(found["markdown"][:1] + [f"```python\n{code.strip()}\n```" for code in found["code"]]
                           + found["markdown"][1:])
        try:
            from IPython.display import Markdown, display
            display(Markdown(text))
        except ImportError:
            print(text)


def get(label: str) -> Exercise:
    """The exercise labelled ``label`` (as the book labels it, e.g. ``"ex2-seeds"``).

    Used in: the reader's notebooks of every chapter.
    """
    return Exercise(label)
