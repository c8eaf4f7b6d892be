# One task file for people, CI and the README. Every target sets up .venv with
# the pinned dependencies first, so on a fresh machine each one just works.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
PORT ?= 8000
SIZES ?= 10000 50000
REPEAT ?= 2

.PHONY: help serve build test lint bench scale lock clean node-tools pageweight lighthouse

help:
	@echo "make serve   build the sample library and serve it at http://localhost:$(PORT)/"
	@echo "make test    lint, then run every test (browser tests need chromium and chromedriver)"
	@echo "make build   build the site with production settings into output/"
	@echo "make lint    check the Python code with ruff"
	@echo "make bench   cold and warm builds, peak memory, page weight and first search for generated libraries"
	@echo "             (SIZES=$(SIZES), REPEAT=$(REPEAT), JSON=file), beside Hugo + Pagefind; SIZES=1000 is quick"
	@echo "make scale   the reader-experience tests on a generated library of SCALE=$(SCALE) entries"
	@echo "make pageweight   compressed HTML+CSS size of every built page (bar: 14 KB)"
	@echo "make lighthouse   Lighthouse scores for the home, an entry and the search page"

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

serve: $(STAMP)
	$(BIN)/casehub serve --port $(PORT)

build: $(STAMP)
	$(BIN)/casehub build

lint: $(STAMP)
	$(BIN)/ruff check plugins tests scripts pelicanconf.py publishconf.py

# axe-core and the Nu HTML Checker come from npm; without npm those tests skip locally (CI installs it).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $(NODE_STAMP)

node-tools:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(NODE_STAMP); \
	else echo "npm not found: the accessibility and HTML validity checks will be skipped"; fi

test: lint node-tools
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# At the default sizes this takes about half an hour on two cores (the 50,000 library most of it).
bench: $(STAMP)
	$(BIN)/python scripts/bench.py --preview --repeat $(REPEAT) --sizes "$(SIZES)" $(if $(JSON),--json $(JSON))

# The reader-experience bars (page weight, HTML, axe, search, first-search bytes) on a
# generated library of SCALE entries; make test runs the same tests at 1,000.
SCALE ?= 10000
scale: $(STAMP) node-tools
	CASEHUB_SCALE_ENTRIES=$(SCALE) $(BIN)/python -m pytest -p no:randomly tests/test_scale.py

pageweight: build
	$(BIN)/python scripts/pageweight.py output

# Lighthouse is large, so it is installed only for this report, not for make test.
lighthouse: build
	@test -x .lighthouse/node_modules/.bin/lighthouse || \
	  npm install --prefix .lighthouse --no-audit --no-fund --no-save --loglevel=error lighthouse@13.5.0
	$(BIN)/python scripts/lighthouse.py output

lock: $(STAMP)
	{ echo "# Pinned versions of everything Casehub and its tests install (make installs from this)."; \
	  echo "# Regenerate after changing pyproject.toml: make lock"; \
	  $(BIN)/python -m pip freeze --all --exclude-editable | grep -v '^pip==' | sort -f; } > requirements.lock.new
	$(BIN)/python scripts/lock_hashes.py requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf output .pytest_cache
