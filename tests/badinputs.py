"""The bad-input set: files a careless or hostile folder holds, made on demand.

Nothing large is committed: ZIP bombs, floods and special files are generated into a
folder (``python tests/badinputs.py OUT [--small]``). ``FULL`` sizes are the real attacks
(a 2.1 GB text node in a DOCX, 100,000 nested ``<div>``) for the default limits; ``SMALL``
sizes are the same shapes, a hundred times smaller, for the test suite, which passes
``SMALL.limit_args`` so that they cross the (lowered) limits the same way.

Every case says what chc must make of it: a status and an error code.
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "documents"
BAD = ROOT / "tests" / "fixtures" / "bad"
_MB = 1 << 20
_DOCX_BASE = CORPUS / "001_tamworth_2024.docx"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass(frozen=True, slots=True)
class Sizes:
    """How big the generated attacks are, and the limits they are meant to cross."""

    docx_text_node_mb: int
    docx_paragraphs_mb: int
    docx_ratio_mb: int
    nested_divs: int
    text_flood_mb: int
    tag_flood_mb: int
    pages: int
    page_chars: int
    limit_args: tuple[str, ...]


FULL = Sizes(
    docx_text_node_mb=2150,
    docx_paragraphs_mb=2250,
    docx_ratio_mb=40,
    nested_divs=100_000,
    text_flood_mb=40,
    tag_flood_mb=24,
    pages=2500,
    page_chars=150_000,
    limit_args=(),
)
SMALL = Sizes(
    docx_text_node_mb=12,
    docx_paragraphs_mb=12,
    docx_ratio_mb=3,
    nested_divs=20_000,
    text_flood_mb=10,
    tag_flood_mb=6,
    pages=150,
    page_chars=30_000,
    limit_args=(
        "docx_member_mb=8",
        "text_mb=8",
        "pages=100",
        "page_chars=20000",
        "memory_mb=300",
    ),
)


@dataclass(frozen=True, slots=True)
class Case:
    """One bad input and what chc must make of it.

    Attributes:
        name: the file name in the folder (str; may hold undecodable bytes).
        status: ok / failed / not_read (a non-regular file met in a folder).
        code: the error code (None for ok).
        what: what the case is.
    """

    name: str
    status: str
    code: str | None
    what: str


def _deflated_docx(path: Path, head: bytes, chunk: bytes, megabytes: int, tail: bytes) -> None:
    """A DOCX: every part of a real corpus DOCX, with word/document.xml replaced by
    ``head``, ``megabytes`` MB of ``chunk`` repeated, and ``tail``; deflated at level 9
    (written as a stream, so the unpacked size is never in memory)."""
    block = chunk * (_MB // len(chunk))
    with (
        zipfile.ZipFile(_DOCX_BASE) as base,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out,
    ):
        for info in base.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, base.read(info))
        with out.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(head)
            for _ in range(megabytes):
                member.write(block)
            member.write(tail)


def _doc_xml(inner_head: str, inner_tail: str) -> tuple[bytes, bytes]:
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'
    return (head + inner_head).encode(), (inner_tail + "</w:body></w:document>").encode()


def make_docx_bombs(folder: Path, sizes: Sizes) -> list[Case]:
    """Three DOCX ZIP bombs: one text node, many paragraphs, one very compressed part."""
    head, tail = _doc_xml("<w:p><w:r><w:t>", "</w:t></w:r></w:p>")
    _deflated_docx(folder / "bomb_text_node.docx", head, b"A", sizes.docx_text_node_mb, tail)
    head, tail = _doc_xml("", "")
    paragraph = b"<w:p><w:r><w:t>Yes</w:t></w:r></w:p>"
    _deflated_docx(folder / "bomb_paragraphs.docx", head, paragraph, sizes.docx_paragraphs_mb, tail)
    # Under the size limit, but packed far tighter than any real Word text.
    _deflated_docx(folder / "bomb_ratio.docx", head, paragraph, sizes.docx_ratio_mb, tail)
    what = "a DOCX whose document.xml unpacks to"
    return [
        Case("bomb_text_node.docx", "failed", "too_large",
             f"{what} {sizes.docx_text_node_mb:,} MB in one text node"),
        Case("bomb_paragraphs.docx", "failed", "too_large",
             f"{what} {sizes.docx_paragraphs_mb:,} MB of paragraphs"),
        Case("bomb_ratio.docx", "failed", "too_large",
             f"{what} {sizes.docx_ratio_mb} MB, compressed over 300 to 1"),
    ]  # fmt: skip


def make_links_and_special_files(folder: Path, *, reader_is_root: bool) -> list[Case]:
    """Links that loop or dangle, a FIFO, a link to /dev/zero, unreadable files.

    ``reader_is_root``: whether chc will read the set as root, which reads any file
    whatever its mode (then the file without read permission is just a damaged PDF).
    """
    os.symlink("self_link.pdf", folder / "self_link.pdf")
    os.symlink("loop_b.pdf", folder / "loop_a.pdf")
    os.symlink("loop_a.pdf", folder / "loop_b.pdf")
    os.symlink("no_such_target.pdf", folder / "dangling.pdf")
    os.mkfifo(folder / "fifo.pdf")
    os.symlink("/dev/zero", folder / "dev_zero.pdf")
    # A regular file whose every read fails with an I/O error (as a failing disk or an
    # offline network share does), for root too: the reading process's own memory at 0.
    os.symlink("/proc/self/mem", folder / "io_error.pdf")
    unreadable = folder / "no_permission.pdf"
    unreadable.write_bytes((BAD / "truncated.pdf").read_bytes()[:11_000])
    unreadable.chmod(0)
    cases = [
        Case("self_link.pdf", "failed", "symlink_loop", "a symbolic link to itself"),
        Case("loop_a.pdf", "failed", "symlink_loop", "two links pointing at each other"),
        Case("loop_b.pdf", "failed", "symlink_loop", "two links pointing at each other"),
        Case("dangling.pdf", "failed", "broken_link", "a link to a file that does not exist"),
        Case("fifo.pdf", "not_read", "not_a_file", "a named pipe (FIFO)"),
        Case("dev_zero.pdf", "not_read", "not_a_file", "a link to /dev/zero"),
        Case("io_error.pdf", "failed", "unreadable", "a file whose reads fail (EIO)"),
    ]
    if not reader_is_root:
        cases.append(
            Case("no_permission.pdf", "failed", "unreadable", "a file without read permission")
        )
    else:
        cases.append(
            Case("no_permission.pdf", "failed", "corrupt_file", "mode 000 (root reads it anyway)")
        )
    return cases


def make_markup_floods(folder: Path, sizes: Sizes) -> list[Case]:
    """Deeply nested HTML (with a real form after it), and text and tag floods."""
    page = (CORPUS / "001_tamworth_2024.html").read_text(encoding="utf-8")
    body = page.lower().index("<body")
    start = page.index(">", body) + 1
    n = sizes.nested_divs
    deep = page[:start] + "<div>" * n + "deep" + "</div>" * n + page[start:]
    (folder / "deep_divs.html").write_text(deep, encoding="utf-8")
    line = "1.2\tThe landlord must define a complaint.\tYes\tSee policy.\n"
    with (folder / "text_flood.txt").open("w", encoding="utf-8") as out:
        for _ in range(sizes.text_flood_mb * _MB // len(line) + 1):
            out.write(line)
    with (folder / "html_flood.html").open("w", encoding="utf-8") as out:
        out.write("<html><body><p>" + "word " * (sizes.text_flood_mb * _MB // 5 + 1) + "</p>")
    cells = "<tr>" + "<td>x</td>" * 100 + "</tr>"
    with (folder / "tag_flood.html").open("w", encoding="utf-8") as out:
        out.write("<html><body><table>")
        for _ in range(sizes.tag_flood_mb * _MB // len(cells)):
            out.write(cells)
        out.write("</table></body></html>")
    return [
        Case("deep_divs.html", "ok", None, f"{n:,} nested <div> before a real form"),
        Case("text_flood.txt", "failed", "too_large", f"{sizes.text_flood_mb} MB of text"),
        Case("html_flood.html", "failed", "too_large", f"{sizes.text_flood_mb} MB of HTML"),
        Case("tag_flood.html", "failed", "memory_limit",
             f"{sizes.tag_flood_mb} MB of table cells (millions of elements)"),
    ]  # fmt: skip


def make_pdf_floods(folder: Path, sizes: Sizes) -> list[Case]:
    """A PDF with too many pages, and one page with too many characters."""
    import pypdfium2 as pdfium
    from reportlab.pdfgen import canvas

    document = pdfium.PdfDocument.new()
    for _ in range(sizes.pages):
        document.new_page(200, 200)
    document.save(str(folder / "many_pages.pdf"))
    document.close()
    sheet = canvas.Canvas(str(folder / "dense_page.pdf"), pagesize=(600, 850))
    text = sheet.beginText(5, 845)
    text.setFont("Helvetica", 1)
    per_line = 500
    for _ in range(sizes.page_chars // per_line + 1):
        text.textLine("x" * per_line)
    sheet.drawText(text)
    sheet.save()
    return [
        Case("many_pages.pdf", "failed", "too_large", f"{sizes.pages:,} blank pages"),
        Case("dense_page.pdf", "failed", "too_large", f"{sizes.page_chars:,} characters on a page"),
    ]


def make_damaged_files(folder: Path) -> list[Case]:
    """Truncated, encrypted, scanned and empty files, an old Word file, a bad name."""
    for name in ("truncated.pdf", "encrypted.pdf", "scanned.pdf", "empty.pdf"):
        shutil.copy(BAD / name, folder / name)
    data = _DOCX_BASE.read_bytes()
    (folder / "truncated.docx").write_bytes(data[: len(data) // 2])
    (folder / "empty.docx").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b" \n\t\n")
    (folder / "legacy_word.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    # A file name that is not UTF-8 (Latin-1 "é"), holding a real self-assessment.
    name = os.fsdecode(b"caf\xe9_council_2024.txt")
    form = (CORPUS / "000_f51c28dd8c8290d7.txt").read_bytes()
    (folder / name).write_bytes(form + b"\nSaved from the council's website.\n")  # new content
    return [
        Case("truncated.pdf", "failed", "corrupt_file", "the first 12 kB of a PDF"),
        Case("encrypted.pdf", "failed", "encrypted", "a password-protected PDF"),
        Case("scanned.pdf", "failed", "no_text_layer", "a scan without a text layer"),
        Case("empty.pdf", "failed", "empty_file", "0 bytes"),
        Case("truncated.docx", "failed", "corrupt_file", "the first half of a DOCX"),
        Case("empty.docx", "failed", "empty_file", "0 bytes"),
        Case("blank.txt", "failed", "empty_file", "only whitespace"),
        Case("legacy_word.docx", "failed", "unsupported_format", "an old binary .doc named .docx"),
        Case(name, "ok", None, "a real form under a file name that is not UTF-8"),
    ]


def make_bad_inputs(
    folder: Path, sizes: Sizes = FULL, *, reader_is_root: bool | None = None
) -> tuple[Case, ...]:
    """Write the whole bad-input set into ``folder`` (created); returns its cases.

    ``reader_is_root`` defaults to whether this process runs as root.
    """
    folder.mkdir(parents=True, exist_ok=True)
    root = os.geteuid() == 0 if reader_is_root is None else reader_is_root
    cases = [
        *make_damaged_files(folder),
        *make_links_and_special_files(folder, reader_is_root=root),
        *make_markup_floods(folder, sizes),
        *make_pdf_floods(folder, sizes),
        *make_docx_bombs(folder, sizes),
    ]
    return tuple(cases)


def remove_bad_inputs(folder: Path) -> None:
    """Delete a generated set (the unreadable file needs its mode back first)."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and not stat.S_IMODE(path.lstat().st_mode):
            path.chmod(0o600)
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the set into")
    parser.add_argument("--small", action="store_true", help="the test-suite sizes")
    args = parser.parse_args(argv)
    sizes = SMALL if args.small else FULL
    for case in make_bad_inputs(args.out, sizes):
        print(f"{os.fsencode(case.name)!r:40} {case.status:9} {case.code or '-':18} {case.what}")
    if sizes.limit_args:
        print("limits:", " ".join(f"--limit {a}" for a in sizes.limit_args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
