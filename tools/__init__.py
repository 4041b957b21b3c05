"""The book's maintenance commands (sync, copies, Colab copies, grading budget, data files).

Each module is a command, `python tools/<name>.py --help`, and importable from the repository
root as `from tools import make_colab` (the tests do; pytest puts the root on `sys.path`).
"""
