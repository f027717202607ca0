"""Shared fixtures: tests run on the CPU, seeded, and never touch the network."""

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True)
def _seeded():
    from aelab import runtime

    runtime.seed_everything(0)
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
