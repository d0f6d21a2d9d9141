"""pipeline/collect/sites.py: SITES.csv, landlord slugs, the URLs chc will fetch."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.collect.sites import check_url, load_sites, slugify
from pipeline.errors import UnsafeUrlError, UsageError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_sites_are_read_with_blank_types_and_bare_hosts(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "landlord,landlord_type,url\n"
        "Rotherham Council,council,https://www.rotherham.gov.uk/complaints\n"
        "St Leger Homes (Doncaster),,www.stlegerhomes.co.uk/complaints\n"
        ",,\n"
        "Some Homes,Housing Association,http://somehomes.example/\n",
    )
    sites = load_sites(path)
    assert [(s.landlord, s.landlord_type, s.url, s.line) for s in sites] == [
        ("Rotherham Council", "council", "https://www.rotherham.gov.uk/complaints", 2),
        ("St Leger Homes (Doncaster)", None, "https://www.stlegerhomes.co.uk/complaints", 3),
        ("Some Homes", "housing_association", "http://somehomes.example/", 5),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("landlord,url\nA,\n", "line 2: a site needs both a landlord and a url"),
        ("name,url\nA,https://a.example\n", "has no landlord column"),
        ("landlord,landlord_type,url\nA,charity,https://a.example\n", "'charity' is not known"),
        ("landlord,url\nA,ftp://a.example/x\n", "line 2: ftp://a.example/x: only http and https"),
        ("landlord,url\nA,https://me:pw@a.example/\n", "line 2: .* never sends credentials"),
        ("landlord,url\n", "lists no site"),
    ],
)
def test_bad_sites_files_are_usage_errors_naming_the_line(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        load_sites(write(tmp_path, text))


def test_a_missing_sites_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="Cannot read the sites file"):
        load_sites(tmp_path / "nope.csv")


def test_check_url() -> None:
    assert check_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    for bad in ("file:///etc/passwd", "javascript:alert(1)", "https:///x", "http://u@a.example/"):
        with pytest.raises(UnsafeUrlError):
            check_url(bad)


def test_slugs() -> None:
    assert slugify("St Leger Homes (Doncaster)") == "st-leger-homes-doncaster"
    assert slugify("Étoile Homes & Co.") == "etoile-homes-co"
    assert slugify("!!!") == "landlord"


@given(st.text())
def test_a_slug_is_a_safe_folder_name_and_stable(text: str) -> None:
    slug = slugify(text)
    assert slug and all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert slugify(slug) == slug
