"""Property tests: on arbitrary input the readers and the answer normaliser raise
nothing but ChcError (a sentence for the user), never a bare exception or a hang.

PDF bytes are covered in test_extract_failures.py; here DOCX (a real document with
random damage to its ZIP and XML), HTML and text (arbitrary markup and bytes, any
extension), and the answer normaliser on any text, lone surrogates included.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.answers import (
    answer_in_evidence,
    combine_members,
    compliance_from_columns,
    compliance_from_text,
    is_recognised_answer,
    member_answers,
)
from pipeline.errors import ChcError
from pipeline.extract import read_document
from pipeline.records import COMPLIANCE_VALUES

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "documents"
_DOCX = (CORPUS / "002_redditch_2021.docx").read_bytes()
_FILES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def read_only_chc_errors(path: Path) -> None:
    try:
        read_document(path)
    except ChcError as err:
        assert str(path) in err.message and err.hint, err


def _docx_with_document_xml(xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_DOCX)) as base, zipfile.ZipFile(out, "w") as new:
        for info in base.infolist():
            data = xml if info.filename == "word/document.xml" else base.read(info)
            new.writestr(info, data)
    return out.getvalue()


with zipfile.ZipFile(io.BytesIO(_DOCX)) as _archive:
    _XML = _archive.read("word/document.xml")


@_FILES
@given(
    data=st.one_of(
        # the package damaged anywhere
        st.tuples(
            st.integers(min_value=0, max_value=len(_DOCX) - 1), st.binary(min_size=1, max_size=64)
        ).map(lambda p: _DOCX[: p[0]] + p[1] + _DOCX[p[0] + len(p[1]) :]),
        st.integers(min_value=4, max_value=len(_DOCX)).map(lambda n: _DOCX[:n]),
        # a valid package whose document.xml is damaged or cut
        st.tuples(
            st.integers(min_value=0, max_value=len(_XML) - 1), st.binary(min_size=1, max_size=32)
        ).map(lambda p: _docx_with_document_xml(_XML[: p[0]] + p[1] + _XML[p[0] + len(p[1]) :])),
        st.integers(min_value=0, max_value=len(_XML)).map(
            lambda n: _docx_with_document_xml(_XML[:n])
        ),
    )
)
def test_damaged_docx_raises_only_chc_errors(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.docx"
    path.write_bytes(data)
    read_only_chc_errors(path)


_TAGS = [
    "html", "body", "table", "tr", "td", "th", "div", "p", "h2", "dl", "dt", "dd", "b", "br",
    "input type=checkbox checked", "select", "option selected", "caption", "ul", "li", "thead",
    "td rowspan=999999", "td colspan=-4", "button aria-expanded=true", "img alt=Yes",
]  # fmt: skip
_MARKUP = st.lists(
    st.one_of(
        st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
        st.sampled_from(_TAGS).map(lambda t: f"</{t.split()[0]}>"),
        st.sampled_from(["1.2", "Yes", "No", "Partially", "☒", "Comply:", "Section 6", "&amp;"]),
        st.text(max_size=20),
    ),
    max_size=80,
).map("".join)


@_FILES
@given(markup=_MARKUP, name=st.sampled_from(["x.html", "x.htm", "x.txt", "x.md"]))
def test_arbitrary_markup_and_text_raise_only_chc_errors(
    tmp_path: Path, markup: str, name: str
) -> None:
    path = tmp_path / name
    path.write_text(markup, encoding="utf-8", errors="surrogateescape")
    read_only_chc_errors(path)


@_FILES
@given(data=st.binary(max_size=3000), name=st.sampled_from(["x.html", "x.txt", "x.md", "x.docx"]))
def test_arbitrary_bytes_raise_only_chc_errors(tmp_path: Path, data: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    read_only_chc_errors(path)


_ANY_TEXT = st.text(alphabet=st.characters(codec=None), max_size=120)


@given(raw=_ANY_TEXT, other=_ANY_TEXT)
def test_the_answer_normaliser_takes_any_text(raw: str, other: str) -> None:
    assert compliance_from_text(raw) in COMPLIANCE_VALUES
    assert compliance_from_columns(raw, other) in COMPLIANCE_VALUES
    assert isinstance(is_recognised_answer(raw), bool)
    members = member_answers(raw)
    assert combine_members(members) in COMPLIANCE_VALUES
    assert answer_in_evidence(raw) in (None, *COMPLIANCE_VALUES)
