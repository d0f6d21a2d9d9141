"""What collect remembers in DIR between runs, and the files it keeps.

``DIR/.chc-collect/index.json`` holds, per URL, the validators it was served with
(ETag, Last-Modified) and the hash of its content; per content hash, the pipeline's
verdict; and the list of kept files (the manifest's rows). HTML pages and robots.txt
are also kept there by hash, because a 304 answer has no body and their links or rules
are needed again. ``chc ingest`` skips the folder (it is hidden).

Hand-written rather than an HTTP cache library: what must persist is provenance (which
URL gave which file, every version kept) and the pipeline's verdict, not responses.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from pipeline.collect.fetch import Fetched, Validators
from pipeline.collect.records import Verdict
from pipeline.errors import UsageError

CACHE_FOLDER = ".chc-collect"
INDEX_VERSION = 1
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"}
_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]+")
Kind = Literal["robots", "page", "file"]


@dataclass(frozen=True, slots=True, kw_only=True)
class KeptFile:
    """A self-assessment collect kept: one manifest row.

    Attributes:
        file: path relative to DIR (``<landlord-slug>/<name>``), with ``/``.
        url: the URL its content came from (after redirects).
    """

    file: str
    sha256: str
    url: str
    landlord: str
    landlord_type: str | None
    slug: str


def sha256_of(data: bytes) -> str:
    """Hex sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def file_name(url: str, fmt: str) -> str:
    """A file name for content from ``url``: its last path segment (with the query, if
    any), made safe, with the extension of the sniffed format.

    >>> file_name("https://x.gov.uk/docs/Self%20Assessment.aspx?id=7", "pdf")
    'Self-Assessment-id-7.pdf'
    """
    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).split("/") if s]
    stem = segments[-1] if segments else "index"
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    if parts.query:
        stem = f"{stem}-{unquote(parts.query)}"
    stem = _NOT_NAME.sub("-", stem).strip("-")[:80] or "index"
    return stem + EXTENSIONS.get(fmt, ".bin")


class CollectCache:
    """The index in ``DIR/.chc-collect``; call ``save`` to write it.

    Raises:
        UsageError: the index exists but cannot be read.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.folder = out / CACHE_FOLDER
        self._index = self.folder / "index.json"
        self._urls: dict[str, dict[str, Any]] = {}
        self._verdicts: dict[str, dict[str, Any]] = {}
        self._kept: list[KeptFile] = []
        if self._index.exists():
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self._index.read_text(encoding="utf-8"))
            if data.get("version") != INDEX_VERSION:
                raise ValueError(f"index version {data.get('version')}")
            self._urls = dict(data["urls"])
            self._verdicts = dict(data["verdicts"])
            self._kept = [KeptFile(**k) for k in data["kept"]]
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise UsageError(
                f"The collect cache {self._index} cannot be read ({err}).",
                f"Delete the folder {self.folder} to start afresh (kept files stay).",
            ) from err

    def save(self) -> None:
        """Write the index atomically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {
            "version": INDEX_VERSION,
            "urls": self._urls,
            "verdicts": self._verdicts,
            "kept": [asdict(k) for k in self._kept],
        }
        tmp = self._index.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self._index)

    def _body_path(self, sha: str) -> Path:
        return self.folder / "bodies" / sha

    def body(self, sha: str) -> bytes | None:
        """The cached content with this hash (HTML pages and robots.txt only)."""
        path = self._body_path(sha)
        return path.read_bytes() if path.exists() else None

    def store_body(self, sha: str, data: bytes) -> None:
        """Keep content whose body is needed again after a 304."""
        path = self._body_path(sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_bytes(data)

    def content_of(self, url: str) -> str | None:
        """The hash of the content ``url`` last answered with."""
        record = self._urls.get(url)
        return str(record["sha256"]) if record else None

    def remember(self, fetched: Fetched, sha: str, kind: Kind) -> None:
        """Record the validators and content hash of a 200 answer.

        Args:
            fetched: the answer.
            sha: its content hash.
            kind: robots (rules: body needed again), page (HTML: body and verdict
                needed again) or file (verdict needed again).
        """
        self._urls[fetched.final_url] = {
            "etag": fetched.etag,
            "last_modified": fetched.last_modified,
            "sha256": sha,
            "kind": kind,
        }

    def validators(self, url: str) -> Validators | None:
        """Validators to send for ``url``, only when a 304 could be fully served from
        the cache (verdict known, body kept where needed, kept file still on disk)."""
        record = self._urls.get(url)
        if record is None or not (record["etag"] or record["last_modified"]):
            return None
        sha = str(record["sha256"])
        if record["kind"] in ("robots", "page") and not self._body_path(sha).exists():
            return None
        if record["kind"] in ("page", "file"):
            verdict = self.verdict(sha)
            if verdict is None or (verdict.keep and not self._on_disk(sha)):
                return None
        return Validators(etag=record["etag"], last_modified=record["last_modified"])

    def verdict(self, sha: str) -> Verdict | None:
        """The pipeline's verdict on content with this hash, from an earlier fetch."""
        data = self._verdicts.get(sha)
        return Verdict(**data) if data else None

    def remember_verdict(self, sha: str, verdict: Verdict) -> None:
        """Record the pipeline's verdict on content with this hash."""
        self._verdicts[sha] = asdict(verdict)

    def staging(self, name: str) -> Path:
        """A temporary path for a download being judged."""
        folder = self.folder / "staging"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    def kept_copy(self, sha: str, slug: str | None = None) -> KeptFile | None:
        """The kept file with this content (for this landlord, if given), if on disk."""
        return self._on_disk(sha, slug)

    def _on_disk(self, sha: str, slug: str | None = None) -> KeptFile | None:
        for kept in self._kept:
            mine = slug is None or kept.slug == slug
            if kept.sha256 == sha and mine and (self.out / kept.file).exists():
                return kept
        return None

    def keep(
        self, staged: Path, *, sha: str, url: str, slug: str, landlord: str, kind: str | None
    ) -> tuple[KeptFile, bool]:
        """Move a recognised download into ``DIR/<slug>/``, unless this landlord already
        has the same content; a new version of a file gets its hash in the name.

        Returns:
            The kept file, and True when a new file was written.
        """
        existing = self._on_disk(sha, slug)
        if existing is not None:
            staged.unlink(missing_ok=True)
            return existing, False
        name = staged.name
        target = self.out / slug / name
        if target.exists() and sha256_of(target.read_bytes()) != sha:
            stem, dot, ext = name.rpartition(".")
            target = target.with_name(f"{stem}-{sha[:8]}{dot}{ext}")
        # An identical file already there (a run stopped before saving the index) is reused.
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)
        kept = KeptFile(
            file=target.relative_to(self.out).as_posix(),
            sha256=sha,
            url=url,
            landlord=landlord,
            landlord_type=kind,
            slug=slug,
        )
        self._kept = [k for k in self._kept if k.file != kept.file] + [kept]
        return kept, True

    def kept_files(self) -> tuple[KeptFile, ...]:
        """Every kept file still on disk, by folder and name."""
        present = [k for k in self._kept if (self.out / k.file).exists()]
        return tuple(sorted(present, key=lambda k: k.file))
