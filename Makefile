# Every target bootstraps .venv on a fresh machine, then does its job.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate test check lint ir bench docsets fuzz clean-venv

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

generate: $(STAMP)
	$(BIN)/doc2code generate

check: $(STAMP)
	$(BIN)/doc2code check

lint: $(STAMP)
	$(BIN)/doc2code lint specs

ir: $(STAMP)
	$(BIN)/doc2code ir specs

test: $(STAMP)
	$(BIN)/python -m pytest -q

# A long random fuzz run of the whole pipeline on mutated pages (tests/security/test_fuzz.py);
# it prints how many examples and mutated pages it tried, and what failed.
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	DOC2CODE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider tests/security/test_fuzz.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# Figures per visible doc set (pages, types, properties, operations, diagnostics by code);
# DOCSETS_ARGS="--sample 30" also prints 30 warnings per doc set.
docsets: $(STAMP)
	$(BIN)/python benchmarks/docsets.py $(DOCSETS_ARGS)

clean-venv:
	rm -rf $(VENV)
