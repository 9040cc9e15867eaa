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

validate: $(STAMP)
	@$(BIN)/python main.py validate scenarios

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis

# The recogniser of typed answers: build it from simulator/recognition/data (cached in the user cache folder) and
# print accuracy, macro-F1 and the confusion matrix on the held-out split per language.
.PHONY: model
model: $(STAMP)
	@$(BIN)/python -m simulator.recognition.evaluate --rebuild
