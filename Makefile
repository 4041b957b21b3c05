# One command builds the book, one runs the tests; each installs what it needs first.
#   make book   -> _build/html/index.html
#   make test   -> unit tests, notebook checks, nbval over every chapter, copies, browser
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
# A local MNIST for machines without internet (Keras's own download is tried first).
MNIST_NPZ ?= $(wildcard $(abspath ../shared/data/mnist.npz))
export MNIST_NPZ
# Where trained models are kept, so a model trained once serves every later chapter.
export CNN_BOOK_MODELS ?= $(CURDIR)/_build/models
# A failing exercise check raises, so a solution that rots fails the build and the tests.
export CNN_BOOK_STRICT_CHECKS := 1
export MPLBACKEND := Agg
# TensorFlow C++ start-up chatter (CUDA probing on a CPU machine) would otherwise fill the pages.
export TF_CPP_MIN_LOG_LEVEL := 3

.PHONY: install book test test-colab copies sync strip lint clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

book: install
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html; its Colab copies in $(CURDIR)/_build/colab/chapters/"

# The tests include a browser test of the built book, so they build it first (a no-op when
# `make book` has just run: executed notebooks come from the cache). Two workers, each taking
# whole test files (and whole notebooks for nbval) in their order: most files wait on one
# core (a kernel starting, Chromium, axe-core), so two of them share the two cores.
TEST_WORKERS ?= 2
test: book
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

# Every chapter's Colab copy, each in a fresh Colab-like runtime (tests/build/test_colab_like.py);
# each chapter's time goes to _build/colab-times.txt. `make test` runs chapters 2-4 and chapter 5 up to its training only.
test-colab: book
	rm -f _build/colab-times.txt
	CNN_BOOK_COLAB_CHAPTERS=all CNN_BOOK_COLAB_TIMES=$(CURDIR)/_build/colab-times.txt $(BIN)/pytest tests/build/test_colab_like.py -p no:nbval -o addopts="-ra" -s
	@cat _build/colab-times.txt

copies: install
	$(BIN)/python tools/make_copies.py

sync strip: install
	$(BIN)/python tools/sync_notebooks.py

lint: install
	$(BIN)/ruff check helpers tests tools benchmarks chapters appendix
	@echo "Lines of the student-facing helpers (tests/unit/test_package.py keeps them under 2,200):"
	@wc -l helpers/data.py helpers/models.py helpers/training.py helpers/evaluation.py helpers/inspection.py helpers/plotting.py helpers/digits.py

clean:
	rm -rf _build
