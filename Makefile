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

.PHONY: setup test lint typecheck unit report bench corpus ocr clean

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
unit: setup ocr
	$(BIN)/pytest -n 2 --durations=15

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

# OCR for `chc ingest --ocr`: the Debian packages ocrmypdf and tesseract-ocr-eng,
# installed only when missing (with sudo unless run as root).
ocr:
	@command -v ocrmypdf >/dev/null && command -v tesseract >/dev/null || { \
	  sudo=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    ocrmypdf tesseract-ocr tesseract-ocr-eng; }

bench: setup
	$(BIN)/python bench/bench_pdf.py --all
	$(BIN)/python bench/bench_ingest.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis build *.egg-info
	rm -f $(DB) $(DB).wal
