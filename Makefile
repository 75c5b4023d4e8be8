# Registre — set-up, launch, test and release commands. Every target creates .venv when needed,
# installed from the hashed lock file (packaging/requirements.lock), then Registre itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := packaging/requirements.lock
PIP := $(BIN)/python -m pip install --quiet
QM := resources/translations/registre_en.qm
BUNDLE_VENV := build/bundle-venv
# Line coverage floors of `make test`: the core as a whole, and the modules every change goes
# through (the schema, the services, undo, the migrations).
CORE_COVERAGE := 94
CHANGE_COVERAGE := 99
CHANGE_MODULES := registre/schema.py,registre/services.py,registre/records.py,registre/queries.py,registre/restoration.py,registre/undo.py,registre/migrations.py

.PHONY: run test lint typecheck-tree bench man notices lock audit wheel sdist package package-check clean

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r $(LOCK)
	$(BIN)/python packaging/check_lock.py
	$(PIP) --no-deps --no-build-isolation -e .
	touch $(STAMP)

## Interface translations are compiled here, at build time; the application never compiles them.
$(QM): resources/translations/registre_en.ts $(STAMP)
	$(BIN)/python -m registre_ui.translations compile

## Launch the desktop application on the demo register (created on first run).
run: $(STAMP) $(QM)
	$(BIN)/registre-app --demo

## mypy reads the application under its installed names (see [tool.mypy] in pyproject.toml): a
## copy of ui/ as build/typecheck/registre_ui (a copy, not a link, which the sdist would follow).
TYPECHECK := build/typecheck
typecheck-tree:
	rm -rf $(TYPECHECK)
	mkdir -p $(TYPECHECK)/registre_resources
	cp -R ui $(TYPECHECK)/registre_ui
	cp resources/__init__.py $(TYPECHECK)/registre_resources/

## Run linters, type checks and the whole test suite, then hold the core's line coverage to its
## floors (the whole core, and the modules every change goes through).
test: $(STAMP) $(QM) typecheck-tree
	$(BIN)/ruff check registre ui tests bench packaging
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 --dist loadfile --cov --cov-report=
	$(BIN)/python -m coverage report --fail-under=$(CORE_COVERAGE)
	$(BIN)/python -m coverage report --fail-under=$(CHANGE_COVERAGE) --include=$(CHANGE_MODULES)

lint: $(STAMP) typecheck-tree
	$(BIN)/ruff check registre ui tests bench packaging
	$(BIN)/mypy

## Regenerate the lock file from pyproject.toml (universal: Linux, Windows, macOS; hashed).
## Pins that still satisfy pyproject.toml are kept.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(PIP) uv
	$(BIN)/uv pip compile pyproject.toml --all-extras --universal --generate-hashes \
		--python-version 3.11 --quiet --output-file $(LOCK)

## Known vulnerabilities of the locked packages; fails when the database cannot be reached.
audit: $(STAMP)
	$(BIN)/python packaging/audit.py

## Third-party notices (packaging/THIRD-PARTY-NOTICES.txt) from the installed dependencies.
notices: $(STAMP)
	$(BIN)/python packaging/notices.py

## Manual pages of registre and registre-app, from their parsers (build/man, English and French).
man: $(STAMP)
	$(BIN)/python packaging/manpage.py build/man

## The source distribution, then the wheel built from it (so the sdist is known to build): dist/.
## The wheel's build compiles the translations and writes the man pages.
sdist: $(STAMP)
	rm -f dist/registre-*.tar.gz
	$(BIN)/python -c "import hatchling.build as b; print('dist/' + b.build_sdist('dist'))"

wheel: sdist
	rm -rf build/sdist dist/registre-*.whl && mkdir -p build/sdist
	tar -xzf dist/registre-*.tar.gz -C build/sdist
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist \
		build/sdist/registre-*

## Build the one-folder Linux bundle (dist/Registre) with PyInstaller, from the wheel installed
## with the locked dependencies in a fresh environment (never from the source tree).
package: wheel
	rm -rf $(BUNDLE_VENV) dist/Registre
	$(BIN)/python -m venv $(BUNDLE_VENV)
	$(BUNDLE_VENV)/bin/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BUNDLE_VENV)/bin/python -m pip install --quiet --no-deps dist/registre-*.whl
	cd build && ../$(BUNDLE_VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath ../dist --workpath pyinstaller ../packaging/registre.spec
	tar -czf dist/Registre-$$($(BIN)/python -c "import registre; print(registre.__version__)")-linux-x86_64.tar.gz \
		-C dist Registre

## Build the bundle, then run it as a user would, outside any Python environment; run tests from
## the unpacked sdist against the installed wheel's dependencies.
package-check: package
	packaging/check_bundle.sh dist/Registre
	cd build/sdist/registre-* && QT_QPA_PLATFORM=offscreen ../../bundle-venv/bin/python -m pytest \
		-q -p no:cacheprovider tests/core/test_cli.py tests/core/test_cli_conventions.py \
		tests/core/test_storage.py

## Print the performance figures.
bench: $(STAMP)
	for script in bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache $(QM)
