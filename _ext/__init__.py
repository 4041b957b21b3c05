"""The book's Sphinx extensions (enabled in `_config.yml` under `sphinx.local_extensions`).

Sphinx imports each module by its own name, with `_ext/` on `sys.path`; the tests and
`tools/make_colab.py` import them from the repository root as `from _ext import reading_time`.
"""
