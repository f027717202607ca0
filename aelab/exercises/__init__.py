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

from . import chapter0, chapter1, chapter2, chapter3, chapter4, chapter5, chapter6
from ._base import Exercise, Verdict

CHAPTERS = {"00_setup": chapter0, "01_nn_review": chapter1, "02_ae_vs_pca": chapter2, "03_mnist": chapter3,
            "04_vae": chapter4, "05_traversal_dci": chapter5, "06_least_volume": chapter6}


EXERCISES: dict[str, Exercise] = {}
for _chapter, _module in CHAPTERS.items():
    for _exercise in _module.EXERCISES:
        _exercise.chapter = _chapter
        EXERCISES[_exercise.label] = _exercise

__all__ = ["Exercise", "Verdict", "get"]


def get(label: str) -> Exercise:
    """The exercise labelled ``label`` (as the book labels it, e.g. ``"ex2-seeds"``).

    Used in: the reader's notebooks of every chapter.
    """
    if label not in EXERCISES:
        raise ValueError(f"no exercise is labelled {label!r}; the labels are {', '.join(sorted(EXERCISES))}.")
    return EXERCISES[label]
