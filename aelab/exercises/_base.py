"""One exercise, one object: its starter, hint, rule, and the check that applies the rule to your work.

An exercise's *rule* is the property the book claims of its own worked
solution, written once as comparisons (``below(...)``, ``above(...)``, the
claims' own): the book states it as a claim over its run, and :meth:`Exercise.check`
applies it to the student's answer. Before the rule, the exercise's *measure*
takes the objects the experiment made (models, histories, data), recomputes
the numbers the rule needs, and raises :class:`Problem` with one sentence when
something is off: a typed number in place of a model, an untrained model, a
history that does not belong to the model passed with it, a setting other than
the one asked for.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pandas as pd
import torch

from .. import runtime

NOT_ATTEMPTED = "Not attempted yet: replace each ... in the starter cell with your code, then run it again."

# How far a history's last test_loss may sit from what its model gives on the same data: the two
# are the same number summed in another order (float rounding), or a different model.
SAME_MODEL = 1e-3


def _unfilled(answer) -> bool:
    """An answer the starter left as it was: ``...``, a container still holding one, or still empty."""
    if answer is Ellipsis:
        return True
    if isinstance(answer, dict):
        return not answer or any(_unfilled(v) for v in answer.values())
    if isinstance(answer, (list, tuple)):
        return not answer or any(_unfilled(v) for v in answer)
    return False


class Problem(ValueError):
    """What is off with an answer, in one sentence; :meth:`Exercise.check` prints it after "Not yet:"."""


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
    """One exercise: label, title, starter, hint, the sentence for a pass, and its rule.

    Args:
        measure: ``measure(**answers) -> dict`` of the numbers the rule needs,
            recomputed from the objects the starter asks for; raises :class:`Problem`.
        rule: ``rule(**numbers) -> list`` of comparisons (``below``/``above``):
            the property, shared with the book's claim.
        condition: ``"any run"``, or ``"full profile"`` when the quick profile's
            small budget cannot show the property; then ``quick`` says, for the
            student, what a quick run can and cannot tell.
    """

    def __init__(self, label: str, title: str, starter: str, hint: str, passed: str, *,
                 measure: Callable[..., dict], rule: Callable[..., list], condition: str = "any run",
                 quick: str = ""):
        if condition not in ("any run", "full profile") or (condition == "full profile") != bool(quick):
            raise ValueError(f"exercise {label!r}: condition is 'any run', or 'full profile' with the "
                             f"quick profile's sentence in quick=.")
        self.label, self.title, self.starter = label, title, starter
        self._hint, self._passed = hint, passed
        self._measure, self._rule = measure, rule
        self.condition, self._quick = condition, quick
        self.chapter = ""  # set by the registry in aelab.exercises

    def __repr__(self) -> str:
        return f"Exercise({self.label!r}: {self.title})"

    def comparisons(self, **answers) -> list:
        """The rule's comparisons on these objects: what the book's claim checks of its own solution."""
        return self._rule(**self._measure(**answers))

    def rule(self, **numbers) -> list:
        """The rule alone, on numbers already measured."""
        return self._rule(**numbers)

    def check(self, **answers) -> Verdict:
        """Check your answers, given by name as the starter cell names them; print what is off."""
        if not answers or any(_unfilled(value) for value in answers.values()):
            print(NOT_ATTEMPTED)
            return Verdict(False)
        try:
            numbers = self._measure(**answers)
            found = self._rule(**numbers)
        except Problem as problem:
            print(f"Not yet: {problem}")
            return Verdict(False)
        shown = "; ".join(f"{c.label}: {c.text()}" for c in found)
        if self.condition == "full profile" and runtime.quick():
            print(f"Correct as far as the quick profile can tell: {self._quick} (Measured: {shown}.)")
            return Verdict(True)
        failed = [c for c in found if not c.holds]
        if failed:
            print("Not yet: " + "; ".join(f"{c.label} is {c.value:.4g}, not {'below' if c.op == '<' else 'above'} "
                                          f"{c.bound:.4g}" for c in failed) + f". {self._hint}")
            return Verdict(False)
        print(f"Correct: {self._passed} (Measured: {shown}.)")
        return Verdict(True)

    def hint(self) -> None:
        """Print a nudge, short of the answer."""
        print(self._hint)

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


# --------------------------------------------------------------------------- what measures share


def history_problem(name: str, value) -> str | None:
    """None when ``value`` is a history train.fit returned with test data; else what is wrong with it."""
    if not isinstance(value, pd.DataFrame) or "test_loss" not in value or len(value) == 0:
        return (f"{name} should be the DataFrame train.fit returns with test=... given (it has a "
                f"test_loss column), got {type(value).__name__}.")
    return None


def final_test_loss(history: pd.DataFrame) -> float:
    return float(history["test_loss"].iloc[-1])


def frame_problem(name: str, value, columns: list) -> str | None:
    """None when ``value`` is a DataFrame with every one of ``columns``; else what is wrong with it."""
    if not isinstance(value, pd.DataFrame):
        return f"{name} should be a pandas DataFrame, got {type(value).__name__}."
    missing = [c for c in columns if c not in value.columns]
    if missing:
        return (f"{name} lacks the column(s) {', '.join(repr(c) for c in missing)}; "
                f"it has {', '.join(repr(c) for c in value.columns)}.")
    return None


def autoencoder(name: str, model, latent_dim: int | None = None):
    """``model`` when it is an autoencoder (with ``latent_dim`` numbers in its code); else a :class:`Problem`."""
    if not isinstance(model, torch.nn.Module) or not hasattr(model, "encode") or not hasattr(model, "latent_dim"):
        raise Problem(f"{name} should be the autoencoder you trained (a model from aelab.models), "
                      f"got {type(model).__name__}.")
    if latent_dim is not None and model.latent_dim != latent_dim:
        raise Problem(f"{name} has a code of {model.latent_dim} numbers; the exercise asks for "
                      f"{latent_dim} (latent_dim={latent_dim}).")
    return model


def matching_test_loss(name: str, model, history, test, objective) -> float:
    """The test loss ``model`` gives on ``test``, once it matches the last row of its ``history``.

    A history typed by hand, or one that belongs to another model, does not
    match what the model gives: that is a :class:`Problem`.
    """
    from ..train import evaluate

    problem = history_problem(f"{name}'s history", history)
    if problem:
        raise Problem(problem)
    given = final_test_loss(history)
    now = evaluate(model, test, objective)["loss"]
    if not abs(given - now) <= SAME_MODEL * max(abs(now), 1e-12):
        raise Problem(f"the history's last test_loss is {given:.4g}, but the model {name} gives {now:.4g} "
                      f"on the test data: pass the model and the history train.fit returned for it.")
    return now


def number_problem(name: str, value) -> tuple[float | None, str | None]:
    """(``value`` as a float, None) for a finite real number (or a one-element tensor or array); else
    (None, what is wrong with it)."""
    import math
    import numbers

    import numpy as np

    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    elif isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None, f"{name} should be a number, got {type(value).__name__}."
    if not math.isfinite(value):
        return None, f"{name} should be a finite number, got {value}."
    return float(value), None
