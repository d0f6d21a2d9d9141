"""pipeline/pathnames.py: names that are not UTF-8 are stored escaped, bytes recoverable."""

from __future__ import annotations

import os

from hypothesis import given
from hypothesis import strategies as st

from pipeline.pathnames import display_path, original_path, safe_text


def test_plain_names_are_unchanged() -> None:
    assert display_path("corpus/001 tamworth é.pdf") == "corpus/001 tamworth é.pdf"


def test_undecodable_bytes_and_backslashes_are_escaped() -> None:
    name = os.fsdecode(b"dir/caf\xe9\\x41.txt")
    shown = display_path(name)
    assert shown == "dir/caf\\xe9\\\\x41.txt"
    shown.encode("utf-8")  # storable
    assert original_path(shown) == b"dir/caf\xe9\\x41.txt"


@given(st.binary(min_size=1, max_size=60).filter(lambda b: b"\0" not in b))
def test_any_name_round_trips_to_its_bytes(raw: bytes) -> None:
    shown = display_path(os.fsdecode(raw))
    shown.encode("utf-8")
    assert original_path(shown) == raw


@given(st.text(max_size=40))
def test_safe_text_always_encodes(text: str) -> None:
    safe_text(text).encode("utf-8")
    assert safe_text(safe_text(text)) == safe_text(text)
