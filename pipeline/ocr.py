"""OCR for scanned PDFs (``chc ingest --ocr``): OCRmyPDF and Tesseract from Debian.

``make ocr`` installs the Debian packages ``ocrmypdf`` and ``tesseract-ocr-eng``. chc
calls the ``ocrmypdf`` program (not its Python API: the Debian package lives in the
system Python, not in chc's virtualenv) on a PDF without a text layer and reads the
copy it writes, which has the recognised text under the page images.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from pipeline.errors import OcrFailedError, OcrUnavailableError

PROGRAMS = ("ocrmypdf", "tesseract")
LANGUAGE = "eng"
PREFIX = "ocr-"  # the OCR'd copy of FILE is PREFIX + FILE, next to it
NOTE = (
    "OCR: the PDF has no text layer; its text was recognised with OCRmyPDF/Tesseract "
    f"({LANGUAGE}), so answers and wording may hold recognition errors."
)
_ENABLE = (
    "Install OCR once with `make ocr` (Debian packages ocrmypdf and tesseract-ocr-eng; "
    "or `sudo apt-get install ocrmypdf tesseract-ocr-eng`), then rerun with --ocr."
)
# Time kept back from the document's timeout, so OCR ends before its worker is killed.
_MARGIN_S = 5.0


def missing_programs() -> tuple[str, ...]:
    """The OCR programs that are not on PATH."""
    return tuple(p for p in PROGRAMS if shutil.which(p) is None)


def require_ocr() -> None:
    """Raise OcrUnavailableError unless OCRmyPDF and Tesseract are installed."""
    missing = missing_programs()
    if missing:
        raise OcrUnavailableError(
            f"--ocr needs {' and '.join(missing)}, which is not installed.", _ENABLE
        )


def ocr_hint() -> str:
    """What to do about a PDF without a text layer when --ocr was not given."""
    return (
        "Rerun with `chc ingest --ocr` (install OCR once with `make ocr`), or OCR it "
        "yourself, e.g. `ocrmypdf in.pdf out.pdf`, and ingest the OCR'd copy."
    )


def ocr_pdf(source: Path, folder: Path, *, shown: str, seconds: float | None = None) -> Path:
    """Recognise the text of a scanned PDF; returns the OCR'd copy (in ``folder``).

    Args:
        source: the PDF (a private copy of the user's file).
        folder: where to write the OCR'd copy.
        shown: the user's file name, for messages.
        seconds: time left for this document; OCR stops a little before it runs out.

    Raises:
        OcrUnavailableError: OCRmyPDF or Tesseract is not installed.
        OcrFailedError: OCRmyPDF failed or ran out of time.
    """
    require_ocr()
    target = folder / f"{PREFIX}{source.name}"
    budget = None if seconds is None else max(seconds - _MARGIN_S, 1.0)
    command = [
        "ocrmypdf", "--force-ocr", "--output-type", "pdf", "--optimize", "0",
        "--jobs", "1", "--language", LANGUAGE, "--quiet", str(source), str(target),
    ]  # fmt: skip
    # One Tesseract thread: the batch already runs one worker per core.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, errors="replace", timeout=budget, env=env
        )
    except subprocess.TimeoutExpired as err:
        raise OcrFailedError(
            f"{shown}: OCR did not finish within {budget:.0f} s.",
            "Rerun this file alone with a longer --timeout, e.g. --timeout 900.",
        ) from err
    if done.returncode != 0 or not target.exists():
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        detail = lines[-1].strip() if lines else f"exit code {done.returncode}"
        raise OcrFailedError(
            f"{shown}: OCRmyPDF could not recognise the text ({detail}).",
            "Check that the file opens in a PDF viewer; try `ocrmypdf in.pdf out.pdf` "
            "yourself to see the full message.",
        )
    return target
