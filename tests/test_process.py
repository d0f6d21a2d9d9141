"""pipeline/process.py: one file through the stages -> a DocumentResult."""

from __future__ import annotations

import pickle
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.process import ManifestEntry, file_sha256, process_file, with_identity
from pipeline.reference import load_reference

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "batch"))
from chc_batch_fakes import FAKE_STAGES, fake_document

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "documents"


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ok_document_has_everything_to_store(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", fake_document("Testshire Council", 2024, ["1.2", "1.3"]))
    result = process_file(path, stages=FAKE_STAGES)
    assert result.status == "ok" and result.error is None
    assert result.sha256 == file_sha256(path) and result.document_id == result.sha256[:16]
    assert result.code_version == "2024" and result.rows_aligned == 2
    assert result.landlord == "Testshire Council" and result.landlord_inferred
    assert result.assessment_year == 2024 and result.year_inferred
    assert result.seconds >= 0 and result.peak_memory_mb is not None
    assert result.peak_memory_mb > 10
    assert pickle.loads(pickle.dumps(result)) == result  # workers return it


def test_manifest_values_win_and_are_not_inferred(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", fake_document("Testshire Council", 2024, ["1.2"]))
    entry = ManifestEntry(
        file="t.txt", landlord="Other Homes", landlord_type="housing_association",
        assessment_year=2022, url="https://example.org/t",
    )  # fmt: skip
    result = process_file(path, manifest=entry, stages=FAKE_STAGES)
    assert (result.landlord, result.landlord_type, result.landlord_inferred) == (
        "Other Homes",
        "housing_association",
        False,
    )
    assert (result.assessment_year, result.year_inferred) == (2022, False)
    assert result.url == "https://example.org/t"
    assert "a 2024-Code form dated 2022" in result.version_note  # implausible: flagged


def test_unsupported_extension_fails_with_reason(tmp_path: Path) -> None:
    path = write(tmp_path, "form.xlsx", "whatever")
    result = process_file(path, stages=FAKE_STAGES)
    assert result.status == "failed" and result.error_code == "unsupported_format"
    assert ".xlsx is not supported" in (result.error or "")


def test_empty_file_fails_with_its_own_reason(tmp_path: Path) -> None:
    result = process_file(write(tmp_path, "e.txt", ""), stages=FAKE_STAGES)
    assert (result.status, result.error_code) == ("failed", "empty_file")


def test_no_table_is_no_assessment_found_not_failed(tmp_path: Path) -> None:
    result = process_file(write(tmp_path, "n.txt", "Just a letter.\n"), stages=FAKE_STAGES)
    assert result.status == "no_assessment_found" and result.error is None
    assert "no self-assessment table" in result.notes[0]


def test_rows_matching_no_provision_are_no_assessment_found(tmp_path: Path) -> None:
    text = "Landlord: X Council\nA|not a provision|Yes\nB|nor this|No\n"
    result = process_file(write(tmp_path, "s.txt", text), stages=FAKE_STAGES)
    assert result.status == "no_assessment_found"
    assert len(result.rows) == 2 and result.rows_aligned == 0  # kept, unaligned


def test_a_bug_fails_the_document_with_its_traceback(tmp_path: Path) -> None:
    result = process_file(write(tmp_path, "b.txt", "BUG\n1.2|x|Yes\n"), stages=FAKE_STAGES)
    assert result.status == "failed" and result.error_code == "internal_error"
    assert "RuntimeError: fake bug" in (result.error or "")
    assert "Traceback" in result.notes[0]


def test_identity_is_recomputed_against_known_names(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", fake_document("Testshire Council", 2024, ["1.2"]))
    result = process_file(path, stages=FAKE_STAGES)
    again = with_identity(replace(result, landlord=None), None, ("Testshire Council",), FAKE_STAGES)
    assert again.landlord == "Testshire Council"


@pytest.mark.parametrize("name", ["000_f51c28dd8c8290d7.txt", "002_a1441b5497633c56.txt"])
def test_real_stages_on_a_seed(name: str) -> None:
    result = process_file(SEEDS / name)
    assert result.status == "ok", result.error
    assert result.code_version == ("2024" if name.startswith("000") else "2020")
    assert result.rows_aligned >= 30 and result.landlord_inferred


def test_a_policy_quoting_the_code_is_not_a_self_assessment(tmp_path: Path) -> None:
    # Real stages: prose that quotes three requirements word for word, answers nothing.
    ref = load_reference()
    quotes = [ref.get("2024", pid) for pid in ("1.2", "5.1", "5.3")]
    text = "Our complaints policy\n\n" + "\n\n".join(
        f"The Code says: {p.requirement_text} We follow this." for p in quotes if p
    )
    result = process_file(write(tmp_path, "policy.txt", text))
    assert result.status == "no_assessment_found"
    assert "not a self-assessment" in result.notes[-1]


def test_a_page_holding_one_answered_provision_is_a_self_assessment(tmp_path: Path) -> None:
    provision = load_reference().get("2024", "5.3")
    assert provision is not None
    text = f"Toggle menu\n\n5.3{provision.requirement_text}YesThe policy has two stages.\n"
    result = process_file(write(tmp_path, "page.txt", text))
    assert result.status == "ok" and result.code_version == "2024"
    assert [(r.provision_id, r.compliance) for r in result.rows if r.provision_id] == [
        ("5.3", "yes")
    ]
