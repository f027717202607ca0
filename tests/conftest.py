"""Shared fixtures: tests run on the CPU, seeded, and never touch the network."""

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

# tasks.py and the project's tooling (tools/) live at the checkout's root, beside aelab: importable by name
ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


@pytest.fixture(autouse=True)
def _seeded():
    from aelab import runtime

    runtime.seed_everything(0)
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
