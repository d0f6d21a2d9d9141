"""SITES.csv -> Site records; the folder name (slug) of a landlord; URL safety rules."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path
from typing import get_args
from urllib.parse import urlsplit

from pipeline.collect.records import Site
from pipeline.errors import UnsafeUrlError, UsageError
from pipeline.records import LandlordType

_TYPES = frozenset(get_args(LandlordType))
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A folder name for a landlord: lower-case ASCII words joined by hyphens.

    >>> slugify("St Leger Homes (Doncaster)")
    'st-leger-homes-doncaster'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-") or "landlord"


def check_url(url: str) -> str:
    """Return ``url`` if chc may fetch it: http(s), a host, no user name or password.

    Raises:
        UnsafeUrlError: any other scheme, no host, or credentials in the URL.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrlError(
            f"{url}: only http and https URLs are fetched (not {parts.scheme or 'no'} scheme).",
            "Give the web address of the page, starting with https://.",
        )
    if not parts.hostname:
        raise UnsafeUrlError(f"{url}: the URL has no host name.", "Check the address.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrlError(
            f"{url}: the URL carries a user name or password; chc never sends credentials.",
            "Use the public address of the page.",
        )
    return url


def _start_url(text: str) -> str:
    # A bare "www.example.gov.uk/complaints" is meant as a web address.
    return text if "://" in text else f"https://{text}"


def _landlord_type(text: str, path: Path, line: int) -> str | None:
    if not text:
        return None
    kind = text.lower().replace("-", "_").replace(" ", "_")
    if kind not in _TYPES:
        raise UsageError(
            f"{path}, line {line}: landlord_type {text!r} is not known.",
            "Use council, housing_association, almo or other (or leave it blank).",
        )
    return kind


def load_sites(path: Path) -> tuple[Site, ...]:
    """Read SITES.csv (columns ``landlord,landlord_type,url``; landlord_type may be blank).

    Raises:
        UsageError: the file is missing or unreadable, a column is missing, or a line has
            no landlord, no URL, an unknown landlord_type or a URL chc will not fetch.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise UsageError(
            f"Cannot read the sites file {path}: {err.strerror}.", "Check the SITES.csv path."
        ) from err
    reader = csv.DictReader(text.splitlines())
    missing = {"landlord", "url"} - set(reader.fieldnames or [])
    if missing:
        raise UsageError(
            f"The sites file {path} has no {' or '.join(sorted(missing))} column.",
            "The first line must name the columns: landlord,landlord_type,url.",
        )
    sites: list[Site] = []
    for line, row in enumerate(reader, start=2):
        landlord = (row.get("landlord") or "").strip()
        url = (row.get("url") or "").strip()
        if not landlord and not url:
            continue
        if not landlord or not url:
            raise UsageError(
                f"{path}, line {line}: a site needs both a landlord and a url.",
                "Fill in the blank cell or delete the line.",
            )
        try:
            start = check_url(_start_url(url))
        except UnsafeUrlError as err:
            raise UsageError(f"{path}, line {line}: {err.message}", err.hint) from err
        kind = _landlord_type((row.get("landlord_type") or "").strip(), path, line)
        sites.append(Site(landlord=landlord, landlord_type=kind, url=start, line=line))
    if not sites:
        raise UsageError(f"The sites file {path} lists no site.", "Add one line per landlord.")
    return tuple(sites)
