"""pipeline/errors.py: one catalogue, every code stable, documented and in use."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline import errors
from pipeline.errors import ChcError, all_error_classes

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
BASES = {ChcError, errors.ReadError, errors.CollectError}


def test_every_code_is_unique_and_documented() -> None:
    codes = [cls.code for cls in all_error_classes()]
    assert len(codes) == len(set(codes)), "two classes share a code"
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", DOC, flags=re.MULTILINE))
    assert set(codes) <= documented, sorted(set(codes) - documented)
    limits = {"file_mb", "text_mb", "docx_member_mb", "docx_total_mb", "docx_ratio", "pages",
              "page_chars", "html_depth", "rows", "memory_mb"}  # fmt: skip
    assert documented - limits == set(codes), "docs/errors.md lists a code no class has"


def test_every_error_class_is_exported_and_raised_somewhere() -> None:
    source = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (ROOT / "pipeline").rglob("*.py")
        if p.name != "errors.py"
    )
    for cls in all_error_classes():
        assert getattr(errors, cls.__name__) is cls
        assert cls.__doc__, f"{cls.__name__} says when it is raised"
        if cls not in BASES:
            assert re.search(rf"\b{cls.__name__}\(", source), f"{cls.__name__} is never raised"


def test_the_failure_codes_of_the_batch_are_in_the_catalogue() -> None:
    codes = {cls.code for cls in all_error_classes()}
    assert {"timeout", "worker_died", "internal_error", "unreadable", "memory_limit",
            "too_large", "not_a_file", "broken_link", "symlink_loop"} <= codes  # fmt: skip


def test_str_is_message_then_hint() -> None:
    err = errors.TooLargeError("x.pdf: too big.", "Raise the limit.")
    assert str(err) == "x.pdf: too big. Raise the limit." and err.code == "too_large"
    assert str(errors.UsageError("bad")) == "bad"
