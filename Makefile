# The two commands of the quick start: `make demo` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

.PHONY: demo credentials-demo test bench fuzz

PLUGINS := plugins/mastery-model-frab
CREDENTIALS := plugins/mastery-model-credentials

$(READY): pyproject.toml $(PLUGINS)/pyproject.toml $(CREDENTIALS)/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,benchmarks]"
	$(BIN)/python -m pip install --quiet -e "$(PLUGINS)[test]"
	$(BIN)/python -m pip install --quiet -e "$(CREDENTIALS)[test]"
	touch $(READY)

## The main job on the embedded sample event.
demo: $(READY)
	$(BIN)/mastery-model validate
	$(BIN)/mastery-model show
	$(BIN)/mastery-model export --to all -o out
	$(MAKE) --no-print-directory credentials-demo

## The sample's speakers' Open Badges credentials, signed with a throwaway key (plugins/mastery-model-credentials).
## The sample's organiser has no web address, which an issuer needs: the demo gives it a placeholder first.
credentials-demo: $(READY)
	rm -rf out/credentials-demo && mkdir -p out/credentials-demo
	$(BIN)/python -m mastery_model_credentials new-key out/credentials-demo/throwaway-key.pem
	$(BIN)/python -m mastery_model_credentials demo-event out/credentials-demo/webinar.jsonld
	$(BIN)/mastery-model export out/credentials-demo/webinar.jsonld --to openbadges \
		--option key=out/credentials-demo/throwaway-key.pem --option roles=speaker -o out/credentials-demo/badges
	$(BIN)/python -m mastery_model_credentials verify out/credentials-demo/badges/*.json

# jsonld.js, which gives schema.org markup the shapes other tools write (tests/test_schemaorg_reading.py)
NODE_READY := tests/node/node_modules/.ready
$(NODE_READY): tests/node/package.json tests/node/package-lock.json
	cd tests/node && npm ci --no-audit --no-fund --ignore-scripts
	touch $(NODE_READY)

# digitalbazaar's Verifiable Credentials libraries, which verify the openbadges exporter's credentials
CREDENTIALS_NODE := $(CREDENTIALS)/tests/node
CREDENTIALS_NODE_READY := $(CREDENTIALS_NODE)/node_modules/.ready
$(CREDENTIALS_NODE_READY): $(CREDENTIALS_NODE)/package.json $(CREDENTIALS_NODE)/package-lock.json
	cd $(CREDENTIALS_NODE) && npm ci --no-audit --no-fund --ignore-scripts
	touch $(CREDENTIALS_NODE_READY)

## Every test (the library's and its plugins'), the linter and the type checker.
test: $(READY) $(NODE_READY) $(CREDENTIALS_NODE_READY)
	$(BIN)/python -m pytest -n auto
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
