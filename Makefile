# careerchat: `make run` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STORE := .careerchat/chroma/chroma.sqlite3
PORT ?= 8501
ARTIFACTS ?= artifacts

.PHONY: run install ingest test test-fast eval eval-judge bench bench-full bench-quick clean browser

# Bytecode is compiled ahead (a no-op when current): where PYTHONDONTWRITEBYTECODE is set, every start would
# otherwise recompile the project's modules (about 0.4 s of a cold start).
run: $(STORE)
	$(BIN)/python -m compileall -q bot ingest evals app.py
	$(BIN)/python -m bot.serve app.py --server.headless true --server.port $(PORT) --browser.gatherUsageStats false

# The venv is rebuilt only when pyproject.toml changes; torch comes first so pip takes the local CPU wheel.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m compileall -q bot ingest evals
	touch $(STAMP)

install: $(STAMP)

# Ingest only when the store has no corpus yet (a file alone is not enough); `make ingest` updates it.
$(STORE): $(STAMP) FORCE
	@$(BIN)/careerchat stats >/dev/null 2>&1 || $(BIN)/careerchat ingest

FORCE:

ingest: $(STAMP)
	$(BIN)/careerchat ingest

# Debian's chromium drives the browser tests (playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

eval: $(STORE)
	$(BIN)/careerchat eval --out $(ARTIFACTS)/eval

# The offline judge on the held-out split of public human-annotated answers (about 5 minutes here).
eval-judge: $(STAMP)
	$(BIN)/careerchat eval judge --out $(ARTIFACTS)/eval/judge-heldout.json

bench: $(STORE)
	$(BIN)/python -m compileall -q bot ingest evals app.py
	$(BIN)/python -m bench.run --full

# The full benchmark with a 1,000,000-chunk store added to the query rows (about an hour here: the store fill is
# most of it).
bench-full: $(STORE)
	$(BIN)/python -m compileall -q bot ingest evals app.py
	$(BIN)/python -m bench.run --full --sizes 1000,10000,100000,1000000

bench-quick: $(STORE)
	$(BIN)/python -m compileall -q bot ingest evals app.py
	$(BIN)/python -m bench.run --quick

clean:
	rm -rf .careerchat $(ARTIFACTS) .pytest_cache build *.egg-info
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
