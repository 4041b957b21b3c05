"""Shared fixtures: the real MNIST (from the offline copy) and the Agg backend."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def mnist_path() -> Path:
    """The local MNIST file named by MNIST_NPZ (make and .ci/run set it)."""
    path = os.environ.get("MNIST_NPZ")
    if not path or not Path(path).is_file():
        pytest.fail("MNIST_NPZ must name a local mnist.npz for the tests (run them with `make test`).")
    return Path(path)


@pytest.fixture(scope="session")
def mnist(mnist_path):
    """(x_train, y_train), (x_test, y_test) read from the local file."""
    from helpers.data import load_mnist_npz

    return load_mnist_npz(mnist_path)


@pytest.fixture()
def rng() -> np.random.Generator:
    return np.random.default_rng(0)
