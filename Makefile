# OnTrack: `make demo [PORT=8001]` sets up and serves the demo; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
DEMO_PEOPLE ?= 10000
DEMO_SEED   ?= 2026
PORT        ?= 8000

.PHONY: demo test install lint typecheck pytest browser-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(NODE_STAMP)

demo: install
	$(BIN)/ontrack migrate --noinput
	$(BIN)/ontrack synth --people $(DEMO_PEOPLE) --seed $(DEMO_SEED) --skip-if-loaded
	$(BIN)/ontrack create_demo_users
	$(BIN)/ontrack demo_caseload
	$(BIN)/ontrack demo_program
	@echo "Open http://127.0.0.1:$(PORT)/ and sign in with one of the logins above."
# The background worker (hearing reminders, ADR 0087): it stops when make (the server) does.
	$(BIN)/ontrack worker --interval 30 --exit-with $$PPID &
	$(BIN)/ontrack runserver 127.0.0.1:$(PORT)

# Browser tests drive Debian's Chromium (Playwright never downloads a browser here).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

lint: install
	$(BIN)/ruff check src tests conftest.py benchmarks
	$(BIN)/ruff format --check src tests conftest.py benchmarks
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

pytest: install browser-deps
	$(BIN)/ontrack makemigrations --check --dry-run
	$(BIN)/pytest

test: lint typecheck pytest

clean:
	rm -rf $(VENV) node_modules var .mypy_cache .pytest_cache .ruff_cache
