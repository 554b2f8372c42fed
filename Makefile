# The two commands of the quick start: `make demo` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

.PHONY: demo test bench fuzz

PLUGINS := plugins/mastery-model-frab

$(READY): pyproject.toml $(PLUGINS)/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,benchmarks]"
	$(BIN)/python -m pip install --quiet -e "$(PLUGINS)[test]"
	touch $(READY)

## The main job on the embedded sample event.
demo: $(READY)
	$(BIN)/mastery-model validate
	$(BIN)/mastery-model show
	$(BIN)/mastery-model export --to all -o out

# jsonld.js, which gives schema.org markup the shapes other tools write (tests/test_schemaorg_reading.py)
NODE_READY := tests/node/node_modules/.ready
$(NODE_READY): tests/node/package.json tests/node/package-lock.json
	cd tests/node && npm ci --no-audit --no-fund --ignore-scripts
	touch $(NODE_READY)

## Every test (the library's and its plugins'), the linter and the type checker.
test: $(READY) $(NODE_READY)
	$(BIN)/python -m pytest
	$(BIN)/ruff check src tests benchmarks plugins
	$(BIN)/ruff format --check src tests benchmarks plugins
	$(BIN)/mypy

## The benchmarks, against the baselines, in one run (minutes; not part of the tests).
bench: $(READY)
	$(BIN)/python -m benchmarks

## The long fuzzing campaign (about an hour): every reader's hostile-input property tests, 10,000
## inputs each, then coverage-guided fuzzing of every reader with atheris, 100,000 inputs each.
FUZZ_EXAMPLES ?= 10000
FUZZ_RUNS ?= 100000
fuzz: $(READY)
	MASTERY_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -p no:cacheprovider --hypothesis-show-statistics \
		tests/test_hostile_csv.py tests/test_hostile_documents.py tests/test_hostile_schemaorg.py \
		plugins/mastery-model-frab/tests/test_frab_hostile.py
	$(BIN)/python -m pip install --quiet -e ".[fuzz]"
	for format in jsonld jsonl schemaorg csv csv-tables frab; do \
		$(BIN)/python tests/coverage_fuzzing.py $$format -runs=$(FUZZ_RUNS) -print_final_stats=1 || exit 1; \
	done
