"""The tests of the project's tooling (``tools/``), laid out as it is: the tests of
``tools/records.py`` are in ``tests/tools/test_records.py``."""
