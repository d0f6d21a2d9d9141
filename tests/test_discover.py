"""pipeline/discover.py: only regular files are read; everything else is accounted for."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pipeline.discover import discover, open_regular
from pipeline.errors import NotRegularFileError, UsageError


def codes(found: object) -> dict[str, tuple[str, bool]]:
    return {p.path.name: (p.error.code, p.skipped) for p in found.problems}  # type: ignore[attr-defined]


def test_special_files_in_a_folder_are_skipped_or_failed_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "good.pdf").write_bytes(b"%PDF-1.7")
    os.mkfifo(tmp_path / "pipe.pdf")
    os.symlink("/dev/zero", tmp_path / "zero.pdf")
    os.symlink("self.pdf", tmp_path / "self.pdf")
    os.symlink("b.docx", tmp_path / "a.docx")
    os.symlink("a.docx", tmp_path / "b.docx")
    os.symlink("missing.html", tmp_path / "dangling.html")
    os.symlink("good.pdf", tmp_path / "link_to_good.pdf")
    started = time.monotonic()
    found = discover([tmp_path])
    assert time.monotonic() - started < 5, "discovery must never open a FIFO"
    assert [p.name for p in found.files] == ["good.pdf"]  # the link is the same file
    assert codes(found) == {
        "pipe.pdf": ("not_a_file", True),
        "zero.pdf": ("not_a_file", True),
        "self.pdf": ("symlink_loop", False),
        "a.docx": ("symlink_loop", False),
        "b.docx": ("symlink_loop", False),
        "dangling.html": ("broken_link", False),
    }
    messages = {p.path.name: p.error.message for p in found.problems}
    assert "a named pipe (FIFO)" in messages["pipe.pdf"]
    assert "a character device" in messages["zero.pdf"]
    assert "missing.html, which does not exist" in messages["dangling.html"]


def test_a_named_path_that_is_not_a_regular_file_fails_and_is_counted(tmp_path: Path) -> None:
    fifo = tmp_path / "named.pdf"
    os.mkfifo(fifo)
    found = discover([fifo, Path("/dev/null")])
    assert found.files == ()
    assert [(p.path.name, p.error.code, p.skipped) for p in found.problems] == [
        ("named.pdf", "not_a_file", False),
        ("null", "not_a_file", False),
    ]
    with pytest.raises(UsageError, match="No such file or folder"):
        discover([tmp_path / "nothing"])


def test_undecodable_names_are_found_and_shown_escaped(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text("x", encoding="utf-8")
    os.symlink("gone", tmp_path / os.fsdecode(b"l\xffnk.txt"))
    found = discover([tmp_path])
    assert [p.name for p in found.files] == [name]
    (problem,) = found.problems
    assert "l\\xffnk.txt" in problem.error.message
    problem.error.message.encode("utf-8")


def test_unreadable_folder_is_reported_not_dropped(tmp_path: Path) -> None:
    inner = tmp_path / "locked"
    inner.mkdir()
    (inner / "a.pdf").write_bytes(b"%PDF")
    inner.chmod(0)
    try:
        found = discover([tmp_path])
    finally:
        inner.chmod(0o700)
    if os.geteuid() == 0:  # root lists any folder: the file is simply found
        assert [p.name for p in found.files] == ["a.pdf"]
    else:
        assert [(p.path.name, p.error.code) for p in found.problems] == [("locked", "unreadable")]


def test_open_regular_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "p.pdf"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFileError, match="named pipe"):
        open_regular(fifo)
    regular = tmp_path / "r.pdf"
    regular.write_bytes(b"abc")
    fd = open_regular(regular)
    try:
        assert os.read(fd, 10) == b"abc"
    finally:
        os.close(fd)
