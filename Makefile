# The two commands a newcomer needs: `make serve` (preview) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup serve serve-drafts build check test test-fast lint bench audit publish-check clean system-deps

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

serve: $(STAMP)
	$(PY) build.py serve

# The same preview with pages marked 'draft: true' built too.
serve-drafts: $(STAMP)
	$(PY) build.py serve --drafts

build: $(STAMP)
	$(PY) build.py

check: $(STAMP)
	$(PY) build.py check

system-deps:
	bash scripts/install_system_deps.sh

test: $(STAMP) system-deps
	$(PY) -m pytest

# Everything that needs no browser, Java or Node: the quick loop while editing code.
test-fast: $(STAMP)
	SITEGEN_TEST_FAST=1 $(PY) -m pytest -q -m "not browser and not tools"

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

bench: $(STAMP) system-deps
	$(PY) bench/run.py --pages 1000
	$(PY) bench/serve_latency.py

audit: $(STAMP) system-deps
	$(PY) scripts/audit.py

publish-check: $(STAMP)
	$(PY) scripts/publish_check.py

clean:
	rm -rf _site test-artifacts audit-report
