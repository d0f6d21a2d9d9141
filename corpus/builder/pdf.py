"""DOCX -> PDF the way landlords make them: LibreOffice headless (Word -> PDF)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

APT_PACKAGES = ("libreoffice-writer-nogui", "fonts-liberation")


def _apt(*args: str) -> None:
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*prefix, "apt-get", *args], check=True)


def ensure_soffice() -> str:
    """Path of `soffice`; installs LibreOffice Writer and fonts from Debian if missing."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    fonts = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
    if exe and fonts.exists():
        return exe
    print("corpus: installing " + " ".join(APT_PACKAGES), file=sys.stderr)
    _apt("update")
    _apt("install", "-y", "--no-install-recommends", *APT_PACKAGES)
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise RuntimeError("soffice still missing after apt-get install " + " ".join(APT_PACKAGES))
    return exe


_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\((D:[^)]*)\)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")
_FIXED_DATE = b"D:20240115090000+00'00'"


def scrub(pdf: bytes, name: str) -> bytes:
    """Replace the conversion time random file id and checksum with fixed values of the same length.

    Same length keeps every xref offset valid, so the file stays a well-formed PDF.
    """

    def date(m: re.Match[bytes]) -> bytes:
        old = m.group(2)
        new = (_FIXED_DATE + b"0" * len(old))[: len(old)]
        return m.group(0).replace(old, new)

    def file_id(m: re.Match[bytes]) -> bytes:
        digest = hashlib.sha256(name.encode()).hexdigest().upper().encode()
        out = m.group(0)
        for part in (m.group(1), m.group(2)):
            out = out.replace(part, (digest * 4)[: len(part)])
        return out

    def checksum(m: re.Match[bytes]) -> bytes:
        digest = hashlib.md5(name.encode()).hexdigest().upper().encode()
        return m.group(0).replace(m.group(1), digest[: len(m.group(1))])

    return _CHECKSUM.sub(checksum, _ID.sub(file_id, _DATE.sub(date, pdf)))


def convert(docx_files: list[Path], outdir: Path) -> dict[Path, Path]:
    """Convert DOCX files to PDF in one LibreOffice run; returns {docx: pdf}."""
    exe = ensure_soffice()
    with tempfile.TemporaryDirectory(prefix="chc-lo-") as profile:
        env = {**os.environ, "TZ": "UTC", "LC_ALL": "C.UTF-8", "SAL_USE_VCLPLUGIN": "svp"}
        cmd = [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(outdir),
            *map(str, docx_files),
        ]
        subprocess.run(cmd, check=True, env=env, timeout=1800, stdout=subprocess.DEVNULL)
    result = {}
    for docx in docx_files:
        pdf = outdir / (docx.stem + ".pdf")
        if not pdf.exists():
            raise RuntimeError(f"LibreOffice did not produce {pdf.name} from {docx.name}")
        pdf.write_bytes(scrub(pdf.read_bytes(), pdf.name))
        result[docx] = pdf
    return result
