"""The setup cell's GPU line, and seeding that is safe on a GPU.

Both branches of the GPU line are tested with a stand-in for TensorFlow's device list, so the
tests say the same on a machine with a GPU and without; the determinism choice is tested by
what `set_seed` leaves set.
"""

from __future__ import annotations

import os

import pytest

from helpers.runtime import accelerator_summary
from helpers.training import set_seed


def test_summary_says_when_no_gpu_was_found(monkeypatch):
    import tensorflow as tf

    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [])
    assert accelerator_summary() == "no GPU found: training runs on the CPU"


def test_summary_falls_back_to_the_device_name_without_details(monkeypatch):
    import tensorflow as tf

    gpu = tf.config.PhysicalDevice(name="/physical_device:GPU:0", device_type="GPU")
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [gpu] if kind == "GPU" else [])

    def no_details(device):
        raise RuntimeError("details are not available here")

    monkeypatch.setattr(tf.config.experimental, "get_device_details", no_details)
    assert accelerator_summary() == "GPU: /physical_device:GPU:0"


def test_summary_names_the_gpus_it_finds(monkeypatch):
    import tensorflow as tf

    gpus = [tf.config.PhysicalDevice(name=f"/physical_device:GPU:{i}", device_type="GPU") for i in range(2)]
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: gpus if kind == "GPU" else [])
    details = {gpus[0].name: {"device_name": "Tesla T4"}, gpus[1].name: {}}
    monkeypatch.setattr(tf.config.experimental, "get_device_details", lambda gpu: details[gpu.name])
    assert accelerator_summary() == "GPU: Tesla T4, /physical_device:GPU:1"


def test_seeding_does_not_turn_on_op_determinism():
    """Under op determinism some GPU ops raise UnimplementedError and others fall back to the CPU:
    the book seeds, and leaves op determinism off (a documented choice, in set_seed's docstring)."""
    import numpy as np
    import tensorflow as tf

    set_seed(3)
    first = np.random.random(), float(tf.random.uniform(()))
    set_seed(3)
    assert (np.random.random(), float(tf.random.uniform(()))) == first
    from tensorflow.python.framework import config as framework_config  # no public getter

    assert not framework_config.is_op_determinism_enabled()
    assert os.environ.get("TF_DETERMINISTIC_OPS") in (None, "", "0", "false")


@pytest.mark.parametrize(("seed", "kind", "said"), [
    (-1, ValueError, r"seed should be at least 0; got -1"), (1.5, TypeError, r"seed should be a whole number"),
    ("0", TypeError, r"seed should be a whole number.*'0'"), (True, TypeError, r"seed should be a whole number"),
    (2.0, TypeError, r"write 2"),
])
def test_bad_seed_is_refused(seed, kind, said):
    with pytest.raises(kind, match=said):
        set_seed(seed)
