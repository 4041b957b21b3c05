"""What the running machine offers the book: whether TensorFlow found a GPU (every chapter)."""

from __future__ import annotations


def accelerator_summary() -> str:
    """One line saying where training will run: "GPU: <name>[, <name>]" or that it is the CPU.

    Printed by every chapter's setup cell (introduced in chapter 1), so a Colab student sees at
    once whether the runtime has a GPU. It only asks TensorFlow which devices it can see; it
    changes no setting (no memory growth, no placement), so it is safe to call at any time.
    """
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return "no GPU found: training runs on the CPU"
    names = []
    for gpu in gpus:
        try:
            names.append(tf.config.experimental.get_device_details(gpu).get("device_name") or gpu.name)
        except (RuntimeError, ValueError):  # details are not available on every platform
            names.append(gpu.name)
    return "GPU: " + ", ".join(names)
