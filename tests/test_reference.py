"""The reference data in reference/ against the counts its README documents."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.reference import REFERENCE_DIR, load_reference

README = (REFERENCE_DIR / "README.md").read_text(encoding="utf-8")


def documented_rows(file_name: str) -> int:
    found = re.search(rf"\| `{re.escape(file_name)}` \| (\d+) \|", README)
    assert found, f"{file_name} not in the README's file table"
    return int(found.group(1))


@pytest.mark.parametrize("version", ["2020", "2022", "2024"])
def test_counts_per_version_match_readme(version: str) -> None:
    ref = load_reference()
    assert len(ref.version(version)) == documented_rows(f"provisions_{version}.csv")


def test_counts_are_the_known_form_sizes() -> None:
    ref = load_reference()
    assert Counter(p.code_version for p in ref.provisions) == {"2020": 36, "2022": 72, "2024": 72}


def test_2022_must_should_split_matches_readme() -> None:
    ref = load_reference()
    split = Counter(p.obligation for p in ref.version("2022"))
    documented = re.search(r"\((\d+) `must`, (\d+) `should`\)", README)
    assert documented
    assert split == {"must": int(documented.group(1)), "should": int(documented.group(2))}


def test_provision_ids_unique_per_version() -> None:
    ref = load_reference()
    keys = [(p.code_version, p.provision_id) for p in ref.provisions]
    assert len(keys) == len(set(keys))


def test_provisions_in_code_order_with_section_from_id() -> None:
    ref = load_reference()
    for version in ("2020", "2022", "2024"):
        provisions = ref.version(version)
        assert [p.order for p in provisions] == list(range(len(provisions)))
        for p in provisions:
            section = p.provision_id.split(".")[0] if "." in p.provision_id else p.provision_id[0]
            assert int(section) == p.section_number, p.provision_id


def test_crosswalk_row_count_matches_readme() -> None:
    assert len(load_reference().crosswalk) == documented_rows("crosswalk.csv")


def test_every_crosswalk_id_exists_in_its_version() -> None:
    ref = load_reference()
    for link in ref.crosswalk:
        if link.from_id:
            assert ref.get(link.from_version, link.from_id), link
        if link.to_id:
            assert ref.get(link.to_version, link.to_id), link
        if not link.from_id and not link.to_id:
            assert ref.get(link.to_version, link.new_id), link


def test_every_provision_appears_in_the_crosswalk() -> None:
    ref = load_reference()
    mentioned: set[tuple[str, str]] = set()
    for link in ref.crosswalk:
        if link.from_id:
            mentioned.add((link.from_version, link.from_id))
        if link.to_id:
            mentioned.add((link.to_version, link.to_id))
        if not link.from_id and not link.to_id:
            mentioned.add((link.to_version, link.new_id))
    for p in ref.provisions:
        assert (p.code_version, p.provision_id) in mentioned, p.provision_id


def test_counterparts_follow_the_crosswalk_both_ways() -> None:
    ref = load_reference()
    forward = {(c.code_version, c.provision_id) for c in ref.counterparts("2022", "4.1")}
    direct = {
        (link.to_version, link.to_id)
        for link in ref.crosswalk
        if (link.from_version, link.from_id) == ("2022", "4.1") and link.to_id
    }
    assert direct and direct <= forward
    # and back: each 2024 counterpart leads back to 2022 4.1
    for version, pid in direct:
        assert ("2022", "4.1") in {
            (c.code_version, c.provision_id) for c in ref.counterparts(version, pid)
        }


def test_counterparts_exclude_own_version() -> None:
    ref = load_reference()
    assert all(c.code_version != "2024" for c in ref.counterparts("2024", "6.3"))


def test_reference_dir_has_no_link_to_shared() -> None:
    # Run-time data must live in the project, not in ../shared.
    assert "shared" not in Path(REFERENCE_DIR).resolve().parts[-2:]


def test_answer_kind_marks_the_2020_open_questions() -> None:
    ref = load_reference()
    text = {p.provision_id for p in ref.provisions if p.answer_kind == "text"}
    assert text == {"3h", "4e", "4f", "4g", "4j", "6c", "8a", "8b", "8d"}
    assert all(p.code_version == "2020" for p in ref.provisions if p.answer_kind == "text")
    assert "`answer_kind`" in README


def test_crosswalk_direct_links_both_ways_and_similar_not_chained() -> None:
    ref = load_reference()
    # 2024 6.3 (stage 1 response time) has one direct predecessor, 2022 5.1 ('split');
    # 2022 5.1 -> 2020 4g is 'split' and 2020 4g -> 2022 5.13 (stage 2) would be a hop
    # further: not followed.
    found = [(c.code_version, c.provision_id, c.relation) for c in ref.counterparts("2024", "6.3")]
    assert found == [("2022", "5.1", "split")]
    for p in ref.provisions:
        for c in ref.counterparts(p.code_version, p.provision_id):
            assert c.code_version != p.code_version
            assert c.steps in (1, 2)
            if c.steps == 2:
                assert c.path[1].startswith("2022:") and c.relation != "similar"


def test_crosswalk_chains_through_2022_along_same() -> None:
    ref = load_reference()
    found = {(c.code_version, c.provision_id): c for c in ref.counterparts("2020", "1a")}
    assert found[("2024", "1.2")].path == ("2020:1a", "2022:1.2", "2024:1.2")
    assert found[("2024", "1.2")].relation == "same"
    back = {(c.code_version, c.provision_id) for c in ref.counterparts("2024", "1.2")}
    assert ("2020", "1a") in back  # symmetric
