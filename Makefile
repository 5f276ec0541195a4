# Medvirk: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-fast lint install translations compile-translations db seed clean screenshots vendor-leaflet

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

$(VENV)/.installed-lint: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[lint]'
	@touch $@

install: $(VENV)/.installed

compile-translations: install
	$(BIN)/pybabel -q compile -d translations

db: install compile-translations
	@mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask seed
	$(BIN)/flask demo

run: db
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-test compile-translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The loop while you work: everything but the tests marked slow and the browser tests (CI runs `make test`).
test-fast: $(VENV)/.installed-test compile-translations
	$(BIN)/python -m pytest -m "not slow and not browser" $(PYTEST_ARGS)

# Style and common mistakes (ruff); security findings of medium severity or higher fail (bandit);
# dependencies with known vulnerabilities fail unless reviewed in .ci/audit-ignore (pip-audit).
lint: $(VENV)/.installed-lint
	$(BIN)/ruff check app tests benchmarks config.py wsgi.py
	$(BIN)/bandit --quiet --recursive app --severity-level medium
	$(BIN)/mypy
	.ci/audit

# Extract new strings, merge them into nb, nn and en, and compile.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs ".*" -o translations/messages.pot --no-location --sort-output --project Medvirk --copyright-holder "Trondheim kommune" .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python translations/fill_en.py
	$(BIN)/pybabel compile -d translations

clean:
	rm -rf $(VENV) .pytest_cache

# Pictures of the main pages at 375 px and 1280 px in instance/screenshots/ (needs Debian's Chromium).
screenshots: $(VENV)/.installed-test compile-translations
	$(BIN)/python -m tests.browser.screenshots $(SCREENSHOT_ARGS)

# The map library, copied from its npm package into app/static/vendor/leaflet/ (committed, so `make run` and
# the tests need no network and no page loads it from another site). Change the version here, run
# `make vendor-leaflet`, check a map page, and commit the copied files.
LEAFLET_VERSION := 1.9.4
LEAFLET_SHA256 := 84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77
LEAFLET_DIR := app/static/vendor/leaflet
vendor-leaflet:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	(cd "$$tmp" && npm pack --silent leaflet@$(LEAFLET_VERSION) >/dev/null); \
	echo "$(LEAFLET_SHA256)  $$tmp/leaflet-$(LEAFLET_VERSION).tgz" | sha256sum --check --quiet; \
	tar -xzf "$$tmp/leaflet-$(LEAFLET_VERSION).tgz" -C "$$tmp"; \
	rm -rf $(LEAFLET_DIR); mkdir -p $(LEAFLET_DIR)/images; \
	sed '/^\/\/# sourceMappingURL=/d' "$$tmp/package/dist/leaflet.js" > $(LEAFLET_DIR)/leaflet.js; \
	cp "$$tmp/package/dist/leaflet.css" $(LEAFLET_DIR)/; \
	cp "$$tmp/package/dist/images/"*.png $(LEAFLET_DIR)/images/; \
	cp "$$tmp/package/LICENSE" $(LEAFLET_DIR)/LICENSE; \
	echo "Leaflet $(LEAFLET_VERSION) from npm" > $(LEAFLET_DIR)/VERSION; \
	echo "Leaflet $(LEAFLET_VERSION) copied to $(LEAFLET_DIR)"
