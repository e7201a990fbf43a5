# The two commands a fresh clone needs: `make serve` and `make test`.
# Each creates .venv with the pinned dependencies on first use.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: serve build check publish test clean bench

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

serve: $(BIN)/.installed
	$(BIN)/invoke livereload

build: $(BIN)/.installed
	$(BIN)/invoke build

check: $(BIN)/.installed
	$(BIN)/invoke check

publish: $(BIN)/.installed
	$(BIN)/invoke publish

# The quality gate's Node tools (vnu-jar, lighthouse), exactly as locked.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

test: $(BIN)/.installed node_modules/.installed
	$(BIN)/pytest

clean:
	rm -rf output .output.staging .cache

# Not part of `make test`: a timing run of several minutes (see bench/README.md).
bench: $(BIN)/.installed bench/requirements.txt
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/run.py $(BENCH_ARGS)
