"""pipeline/collect/cache.py: file names, validators only when a 304 can be served,
versions of a changed file, the index on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.collect.cache import CACHE_FOLDER, CollectCache, KeptFile, file_name, sha256_of
from pipeline.collect.fetch import Fetched
from pipeline.collect.records import Verdict
from pipeline.errors import UsageError

URL = "https://x.example/docs/form.pdf"
KEEP = Verdict(keep=True, format="pdf", reason="a self-assessment.")


def fetched(url: str = URL, etag: str | None = '"1"') -> Fetched:
    return Fetched(url=url, final_url=url, status=200, body=b"", etag=etag)


def stage(cache: CollectCache, name: str, data: bytes) -> Path:
    path = cache.staging(name)
    path.write_bytes(data)
    return path


def keep(
    cache: CollectCache, name: str, data: bytes, kind: str | None = None
) -> tuple[KeptFile, bool]:
    """Stage ``data`` as ``name`` and keep it for landlord "X" (slug "x") from URL."""
    return cache.keep(
        stage(cache, name, data), sha=sha256_of(data), url=URL, slug="x", landlord="X", kind=kind
    )


@pytest.mark.parametrize(
    ("url", "fmt", "name"),
    [
        ("https://x.example/docs/Self%20Assessment%202024.pdf", "pdf", "Self-Assessment-2024.pdf"),
        ("https://x.example/complaints/section-1", "html", "section-1.html"),
        ("https://x.example/", "html", "index.html"),
        ("https://x.example/download.aspx?id=7&v=2", "docx", "download-id-7-v-2.docx"),
        ("https://x.example/../../etc/passwd", "text", "passwd.txt"),
    ],
)
def test_file_names_come_from_the_url_and_the_sniffed_format(url: str, fmt: str, name: str) -> None:
    assert file_name(url, fmt) == name


def test_validators_only_when_a_304_can_be_served_from_the_cache(tmp_path: Path) -> None:
    cache = CollectCache(tmp_path)
    data = b"%PDF form"
    sha = sha256_of(data)
    cache.remember(fetched(), sha, "file")
    assert cache.validators(URL) is None  # no verdict yet
    cache.remember_verdict(sha, KEEP)
    assert cache.validators(URL) is None  # kept, but the file is not on disk
    cache.keep(stage(cache, "form.pdf", data), sha=sha, url=URL, slug="x", landlord="X", kind=None)
    assert cache.validators(URL) is not None
    (tmp_path / "x" / "form.pdf").unlink()
    assert cache.validators(URL) is None  # the user deleted it: fetch it again in full
    cache.remember(fetched(etag=None), sha, "file")
    assert cache.validators(URL) is None  # the server gave no validators


def test_a_page_needs_its_body_for_a_304(tmp_path: Path) -> None:
    cache = CollectCache(tmp_path)
    sha = sha256_of(b"<html>")
    cache.remember(fetched("https://x.example/p"), sha, "page")
    cache.remember_verdict(sha, Verdict(keep=False, format="html", reason="no table."))
    assert cache.validators("https://x.example/p") is None
    cache.store_body(sha, b"<html>")
    assert cache.validators("https://x.example/p") is not None
    assert cache.body(sha) == b"<html>"


def test_a_changed_file_keeps_both_versions_and_same_content_is_not_copied(
    tmp_path: Path,
) -> None:
    cache = CollectCache(tmp_path)
    first, second = b"version one", b"version two"
    a, new_a = keep(cache, "form.pdf", first)
    b, new_b = keep(cache, "form.pdf", second)
    again, new_again = keep(cache, "form.pdf", first)
    assert (a.file, new_a) == ("x/form.pdf", True)
    assert (b.file, new_b) == (f"x/form-{sha256_of(second)[:8]}.pdf", True)
    assert (again, new_again) == (a, False)
    assert (tmp_path / a.file).read_bytes() == first
    assert (tmp_path / b.file).read_bytes() == second
    assert [k.file for k in cache.kept_files()] == [b.file, a.file]


def test_the_index_survives_a_reload_and_a_broken_one_is_a_usage_error(tmp_path: Path) -> None:
    cache = CollectCache(tmp_path)
    data = b"%PDF form"
    cache.remember(fetched(), sha256_of(data), "file")
    cache.remember_verdict(sha256_of(data), KEEP)
    keep(cache, "f.pdf", data, kind="council")
    cache.save()
    reloaded = CollectCache(tmp_path)
    assert reloaded.kept_files() == cache.kept_files()
    assert reloaded.validators(URL) == cache.validators(URL)
    (tmp_path / CACHE_FOLDER / "index.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot be read") as caught:
        CollectCache(tmp_path)
    assert "Delete the folder" in caught.value.hint


def test_a_file_left_by_an_interrupted_run_is_reused_not_copied(tmp_path: Path) -> None:
    data = b"%PDF form"
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "form.pdf").write_bytes(data)  # on disk, but not in any index
    cache = CollectCache(tmp_path)
    kept, new = keep(cache, "form.pdf", data)
    assert (kept.file, new) == ("x/form.pdf", True)
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["form.pdf"]
