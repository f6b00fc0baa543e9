# Everything a fresh machine needs: `make run` cleans the bundled fixtures, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench clean

# pip is upgraded first: the pip bundled with Python 3.11 (23.x) resolves trafilatura
# without lxml_html_clean, and `import trafilatura` then fails.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/clean-corpus run fixtures -o out/records.jsonl --stats out/stats.json --no-progress

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/bench_pipeline.py

clean:
	rm -rf out .pytest_cache
