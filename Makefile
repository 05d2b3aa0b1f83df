# Front door: make demo | make test | make lint | make bench
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-deps lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/fis demo

test: $(STAMP) test-deps
	$(BIN)/python -m pytest

# The report tests need a browser and a PDF rasteriser (Debian packages). Installed where we
# can (as root with apt); elsewhere those tests skip visibly (and fail with CI=true).
test-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium and poppler-utils (Debian) for the report tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends chromium poppler-utils) >/dev/null 2>&1 \
	      || echo "note: could not install chromium/poppler-utils; browser tests will skip"; \
	  else echo "note: chromium/poppler-utils missing (not root); browser tests will skip"; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check fis tests benchmarks
	$(BIN)/ruff format --check fis tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) data/fis.duckdb data/fis.duckdb.wal
