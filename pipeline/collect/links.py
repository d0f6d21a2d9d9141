"""Links on a web page (BeautifulSoup with lxml, as the HTML reader) and which to follow.

A link is worth following when its text, title, URL or the heading above it speaks of
complaints, the Complaint Handling Code, a self-assessment or the Ombudsman. Links in
site chrome (nav, header, footer) are judged on their own text and URL only, since
the page heading above them says nothing about where they lead.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_CHROME = ("nav", "header", "footer")
_NOT_DOCUMENTS = ("mailto:", "tel:", "javascript:", "data:", "sms:")
_RELEVANT = re.compile(
    r"complain|self[\s_-]*assess|ombudsman|handling[\s_-]*code|\bchc\b", re.IGNORECASE
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """A link found on a page.

    Attributes:
        url: absolute, without fragment.
        text: the link's text (or title / aria-label / image alt).
        heading: the nearest heading above it in the page content ("" in site chrome).
    """

    url: str
    text: str
    heading: str = ""

    @property
    def relevant(self) -> bool:
        """The link's words or URL suggest complaints, the Code or a self-assessment."""
        where = unquote(urlsplit(self.url).path + "?" + urlsplit(self.url).query)
        return any(_RELEVANT.search(t) for t in (self.text, self.heading, where))


def _words(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _label(anchor: Tag) -> str:
    parts = [anchor.get_text(" ")]
    for attribute in ("title", "aria-label"):
        value = anchor.get(attribute)
        if isinstance(value, str):
            parts.append(value)
    parts.extend(str(img.get("alt") or "") for img in anchor.find_all("img"))
    return _words(" ".join(parts))


def _heading(anchor: Tag) -> str:
    if anchor.find_parent(_CHROME) is not None:
        return ""
    above = anchor.find_previous(_HEADINGS)
    return _words(above.get_text(" ")) if isinstance(above, Tag) else ""


def page_links(html: bytes, page_url: str) -> tuple[Link, ...]:
    """Every link on an HTML page, in page order, made absolute (``<base href>`` honoured).

    Links to e-mail, telephone or script (``mailto:``, ``tel:``, ``javascript:``) and
    links to the same page are left out: they never lead to a document.
    """
    with warnings.catch_warnings():
        # BeautifulSoup warns about markup that looks like a file name or URL.
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(html, "lxml")
    base = page_url
    base_tag = soup.find("base", href=True)
    if isinstance(base_tag, Tag) and isinstance(base_tag.get("href"), str):
        base = urljoin(page_url, str(base_tag["href"]))
    page = urldefrag(page_url).url
    found: list[Link] = []
    for anchor in soup.find_all(["a", "area"], href=True):
        href = str(anchor.get("href") or "").strip()
        if not href or href.lower().startswith(_NOT_DOCUMENTS):
            continue
        url = urldefrag(urljoin(base, href)).url
        if url == page:
            continue
        found.append(Link(url=url, text=_label(anchor), heading=_heading(anchor)))
    return tuple(found)


def site_root(url: str) -> str:
    """The host a site's links must stay under: the start page's host without ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def on_site(url: str, root: str) -> bool:
    """True when ``url``'s host is ``root`` or one of its sub-domains."""
    host = (urlsplit(url).hostname or "").lower()
    return host == root or host.endswith("." + root)
