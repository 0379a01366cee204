# fcnet's everyday commands. `make test` and `make train` create .venv and install fcnet into it on first use.
VENV ?= .venv
BIN := $(VENV)/bin
# FCNET_DATA (a mnist.pkl.gz file or the folder holding it) is made absolute, since notebooks run from nbs/
ifdef FCNET_DATA
export FCNET_DATA := $(abspath $(FCNET_DATA))
endif

.PHONY: install chromium test test-slow train bench docs export clean
install: $(VENV)/.installed
$(VENV)/.installed: settings.ini setup.py
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# torch 2.13.0 is pinned first: on these machines it is the CPU build
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

# the docs browser test (tools/check_browser.py) drives Debian's chromium; installed here if it is missing
chromium:
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium for the docs browser test"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

test: install chromium   ## exported package in sync, notebooks clean, every notebook runs, docs current, browser test
	$(BIN)/python tools/test.py

test-slow: install chromium   ## the same, plus the cells flagged `slow` (full-MNIST training runs, timings, benchmarks)
	$(BIN)/python tools/test.py --flags slow

train: install    ## the main job: train 784-50-10 on MNIST with hand-written backprop
	$(BIN)/fcnet_train $(ARGS)

bench: install
	$(BIN)/fcnet_bench $(ARGS)

docs: install     ## rebuild docs/ (the site: nbdev's processing, then Sphinx + myst-nb) and README.md from the notebooks, without Quarto
	$(BIN)/python tools/build_docs.py

export: install   ## after editing notebooks: export the package, clean the notebooks, rebuild docs/ and README.md
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean && $(BIN)/python tools/build_docs.py
