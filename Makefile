# Two commands do all the set-up on a fresh machine: `make play` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: play test bench validate clean dist dist-test fuzz

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

play: $(STAMP)
	@PYGAME_HIDE_SUPPORT_PROMPT=1 $(BIN)/python main.py $(ARGS)

test: lint
	@SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy PYGAME_HIDE_SUPPORT_PROMPT=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

# Static checks (README: Tests, Static checks), run first by `make test`: ruff on the paths that are clean, mypy on
# the `files` in pyproject.toml ([tool.mypy]). The game, results and their tests join once their branches land.
RUFF_PATHS := main.py simulator tests benchmarks tools fuzz

lint: $(STAMP)
	@$(BIN)/ruff check --quiet $(RUFF_PATHS)
	@$(BIN)/mypy

bench: $(STAMP)
	@SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy PYGAME_HIDE_SUPPORT_PROMPT=1 $(BIN)/python -m benchmarks

# The download for new hires (README: Building the download): PyInstaller from the `dist` extra, then a zip.
DIST_STAMP := $(VENV)/.dist-installed
DIST_SOURCES := $(shell find simulator scenarios assets -type f -not -path '*/__pycache__/*' 2>/dev/null) \
	main.py klantsim.spec tools/build_dist.py pyproject.toml

$(DIST_STAMP): $(STAMP)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dist]'
	@touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	@$(BIN)/python tools/build_dist.py

dist/.built: $(DIST_SOURCES) | $(DIST_STAMP)
	@$(BIN)/python tools/build_dist.py

# Builds first when the download is missing or older than the code; then tries it as a new hire would.
dist-test: dist/.built
	@$(BIN)/python tools/dist_smoke.py

# 10,000 mutated scenarios (every 10th a results export) through every command; `make test` runs 1,000: CASES=, SEED=
fuzz: $(STAMP)
	@$(BIN)/python -m fuzz --cases $(or $(CASES),10000) --seed $(or $(SEED),1)

.PHONY: bench-compare
bench-compare: $(STAMP)
	@$(BIN)/python -m benchmarks compare $(ARGS)

validate: $(STAMP)
	@$(BIN)/python main.py validate scenarios

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis .mypy_cache .ruff_cache

# The recogniser of typed answers: build it from simulator/recognition/data (cached in the user cache folder) and
# print accuracy, macro-F1 and the confusion matrix on the held-out split per language.
# The engine's rule tables (simulator/engine/rule_tables.py), generated from the state machines in machines.py.
.PHONY: tables
tables: $(STAMP)
	@$(BIN)/python -m simulator.engine.machines

.PHONY: model
model: $(STAMP)
	@$(BIN)/python -m simulator.recognition.evaluate --rebuild
