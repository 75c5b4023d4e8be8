# Registre — set-up, launch and test commands. Every target creates .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

QM := resources/translations/registre_en.qm

.PHONY: run test lint bench man package package-check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Interface translations are compiled here, at build time; the application never compiles them.
$(QM): resources/translations/registre_en.ts $(STAMP)
	$(BIN)/python -m ui.translations compile

## Launch the desktop application on the demo register (created on first run).
run: $(STAMP) $(QM)
	$(BIN)/registre-app --demo

## Run linters, type checks and the whole test suite.
test: $(STAMP) $(QM)
	$(BIN)/ruff check registre ui tests bench packaging
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check registre ui tests bench packaging
	$(BIN)/mypy

## Build the one-folder Linux bundle (dist/Registre) with PyInstaller.
package: $(STAMP)
	$(BIN)/python -m pip install --quiet 'pyinstaller>=6.6'
	$(BIN)/python -m ui.translations compile
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/registre.spec

## Build the bundle, then run it as a user would, outside any Python environment.
package-check: package
	packaging/check_bundle.sh dist/Registre

## Manual pages of registre and registre-app, from their parsers (build/man, English and French).
man: $(STAMP)
	$(BIN)/python packaging/manpage.py build/man

## Print the performance figures.
bench: $(STAMP)
	for script in bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache
