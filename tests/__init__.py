"""The unit tests of aelab, laid out as the package is: the tests of
``aelab/data/digits.py`` are in ``tests/data/test_digits.py``, those of
``aelab/train.py`` in ``tests/test_train.py``. ``test_notebooks.py`` and
``test_browser.py`` test the book, not a module.

Every folder is a package (an ``__init__.py``), so that files of the same
name in two folders (``models/test_conv.py``, ``plots/diagrams/test_conv.py``)
are two modules.
"""
