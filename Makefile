# Two commands do all the set-up on a fresh machine: `make play` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: play test bench validate clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

play: $(STAMP)
	@PYGAME_HIDE_SUPPORT_PROMPT=1 $(BIN)/python main.py $(ARGS)

test: $(STAMP)
	@SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy PYGAME_HIDE_SUPPORT_PROMPT=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	@SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy PYGAME_HIDE_SUPPORT_PROMPT=1 $(BIN)/python -m benchmarks

.PHONY: bench-compare
bench-compare: $(STAMP)
	@$(BIN)/python -m benchmarks compare $(ARGS)

validate: $(STAMP)
	@$(BIN)/python main.py validate scenarios

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
