# Two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DB ?= factbot.db

.PHONY: demo test bench clean install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/factbot sources import bot/demo/demo-facts.csv --db $(DB)
	$(BIN)/factbot check bot/demo/demo-article.txt --db $(DB)

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/factbot bench

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
