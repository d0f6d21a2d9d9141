# chc: the two commands a new user needs are `make report` and `make test`.
# Everything installs into .venv; nothing outside it is assumed except python3 >= 3.11
# (and LibreOffice for `make corpus` only, which the corpus builder installs itself;
# OCRmyPDF and Tesseract for `chc ingest --ocr`, which `make ocr` installs).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The database every `chc` command uses by default (or the CHC_DB environment variable),
# so `chc status` right after `make report` reads what it built.
DB     ?= $(or $(CHC_DB),chc.duckdb)
# The development set of real published forms (not in the project; see eval-real).
REAL_DEV ?= ../shared/real-dev
REAL_DB  := reports/real-dev.duckdb
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup test lint typecheck unit report bench corpus clean chromium snapshots eval-real ocr

setup: $(STAMP)

# Re-installs only when pyproject.toml changes (the stamp is keyed on it).
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "chc needs Python >= 3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

test: lint typecheck unit

lint: setup
	$(BIN)/ruff check pipeline tests corpus bench
	$(BIN)/ruff format --check pipeline tests corpus bench

typecheck: setup
	$(BIN)/mypy

# pytest exits 5 when it collected no test: that is a failure here, not a pass.
# The OCR test reads a scan for real, so OCR is installed first (when missing).
unit: setup chromium ocr
	$(BIN)/pytest -n 2 --durations=15

# The report's browser test renders reports in headless Chromium (Debian's package).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Chromium (Debian package) for the report's browser test"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# OCR for `chc ingest --ocr`: Debian's ocrmypdf and tesseract-ocr-eng, when missing.
ocr:
	@command -v ocrmypdf >/dev/null 2>&1 && command -v tesseract >/dev/null 2>&1 || { \
		echo "Installing OCRmyPDF and Tesseract (Debian packages) for chc ingest --ocr"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			ocrmypdf tesseract-ocr tesseract-ocr-eng >/dev/null; }

# Refreshes the golden Markdown of tests/snapshots/ after a deliberate change (review the diff).
snapshots: setup
	CHC_UPDATE_SNAPSHOTS=1 $(BIN)/pytest tests/test_report.py -k snapshot -q

# Rebuilds the default database from the bundled corpus: keep your own documents in
# another file (`--db mine.duckdb` or CHC_DB=mine.duckdb).
report: setup
	@mkdir -p reports
	rm -f $(DB) $(DB).wal
	$(BIN)/chc ingest corpus/ --db $(DB) --manifest corpus/manifest.csv
	$(BIN)/chc report --db $(DB) --out reports/

# Rebuilds corpus/ from the seeds' gold rows (installs LibreOffice from Debian if missing).
corpus: setup
	$(BIN)/python -m corpus.builder

# Synthetic sector benchmark -> reports/bench.md and reports/bench.json (see README,
# "Performance"); BENCH_DOCS=2000 for the full run. Installs LibreOffice if missing.
BENCH_DOCS ?= 200
bench: setup
	$(BIN)/python -m bench --docs $(BENCH_DOCS)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis build *.egg-info
	rm -f $(DB) $(DB).wal

# Real published forms (../shared/real-dev, not part of the project nor of `make test`):
# ingest them with their manifest and score per form and per document against gold.csv.
eval-real: setup
	@if [ ! -d "$(REAL_DEV)/documents" ] || [ ! -f "$(REAL_DEV)/gold.csv" ]; then \
		echo "eval-real: $(REAL_DEV) (documents/ and gold.csv) is not here, so there is nothing to score."; \
		echo "Set REAL_DEV=path/to/real-dev to point at a copy of the development set."; \
		exit 2; \
	fi
	@mkdir -p reports
	rm -f $(REAL_DB) $(REAL_DB).wal
	-$(BIN)/chc ingest $(REAL_DEV)/documents --db $(REAL_DB) --manifest $(REAL_DEV)/manifest.csv
	$(BIN)/chc eval $(REAL_DEV)/gold.csv --db $(REAL_DB)
