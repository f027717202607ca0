"""The project's tooling: what ``tasks.py`` runs besides the book and the tests.

- :mod:`tools.versions`: a chapter's version, its code and the aelab code it runs;
- :mod:`tools.robustness`: run chapters under many seeds and thread counts, record each run;
- :mod:`tools.records`: the recorded runs, their statistics and the rule's verdict on each claim;
- :mod:`tools.robustness_page`: the robustness page and ``aelab/evidence.json`` from the records;
- :mod:`tools.margins`: print each claim's margins over the recorded runs;
- :mod:`tools.reader`: the reader's notebooks, generated from the book's;
- :mod:`tools.api_page`: the public-API page, from the package's ``__all__``.

Each runs as ``python -m tools.<name>`` in the virtual environment (``tasks.py``
does it); :mod:`tools.versions` and :mod:`tools.reader` import only the
standard library, so ``tasks.py`` may use them under any Python 3.10+.
"""
