"""aelab.notebook.glue: the book's build hands the numbers to myst-nb; anywhere else they are printed.

Not to be confused with test_notebooks.py, which tests the book's notebooks.
"""

import json
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import aelab
from aelab import notebook
from aelab.claims import Claims


@pytest.fixture
def glued(monkeypatch):
    """What reaches myst-nb's glue, as (name, value, display) triples (myst-nb is installed with the book)."""
    myst_nb = pytest.importorskip("myst_nb")
    calls = []
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True: calls.append((name, value, display)))
    return calls


def test_a_reader_sees_the_value_beside_the_books_even_where_myst_nb_is_installed(monkeypatch, capsys, glued):
    monkeypatch.delenv("AELAB_BOOK", raising=False)
    values = {"99_x": {"test_mse": "0.0123456", "source": "'embedded'", "n_train": "4000"},
              "_formats": {"99_x": {"test_mse": ".4f", "n_train": ",", "source": ""}}}
    monkeypatch.setattr(notebook, "_book_values", lambda: values)
    monkeypatch.setitem(notebook._CHAPTER, "name", "99_x")
    notebook.glue("test_mse", np.float64(0.0125))
    notebook.glue("n_train", torch.tensor(60000))
    notebook.glue("source", "torchvision")
    notebook.glue("epochs", torch.tensor(20))
    # as the prose shows each: its format, a readable label, the book's number marked
    assert capsys.readouterr().out == ("test mse: 0.0125 on your run, 0.0123† in the book\n"
                                       "n train: 60,000 on your run, 4,000† in the book\n"
                                       "source: torchvision on your run, embedded in the book\n"
                                       "epochs: 20 on your run\n")
    assert glued == []


def test_the_books_build_hands_plain_numbers_to_myst_nb(monkeypatch, capsys, glued):
    monkeypatch.setenv("AELAB_BOOK", "1")
    notebook.glue("test_mse", np.float64(0.0125))
    notebook.glue("n_test", torch.tensor(1000), display=True)
    assert glued == [("test_mse", 0.0125, False), ("n_test", 1000, True)]
    assert type(glued[0][1]) is float and type(glued[1][1]) is int  # not np.float64(...) nor a tensor
    assert capsys.readouterr().out == ""


def test_the_books_build_without_myst_nb_says_what_is_missing(monkeypatch):
    monkeypatch.setenv("AELAB_BOOK", "1")
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # as if it were not installed
    with pytest.raises(ImportError, match="AELAB_BOOK=1 says the book is being built, which needs myst-nb"):
        notebook.glue("x", 1.0)


def test_an_unknown_setting_of_aelab_book_is_refused(monkeypatch):
    monkeypatch.setenv("AELAB_BOOK", "yes")
    with pytest.raises(ValueError, match="AELAB_BOOK='yes' is not a setting"):
        notebook.glue("x", 1.0)


def test_book_value_reads_the_chapter_the_last_claims_named():
    recorded = json.loads((Path(aelab.__file__).parent / "book_values.json").read_text())
    chapter, values = next((c, v) for c, v in sorted(recorded.items()) if v)
    name, text = next(iter(values.items()))
    Claims(chapter)
    assert notebook._book_value(name) == text
    assert notebook._book_value(name, chapter="no_such_chapter") is None
    assert notebook._book_value("no_such_name") is None
