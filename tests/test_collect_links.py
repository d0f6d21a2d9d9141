"""pipeline/collect/links.py: links on a page, which are worth following, same site."""

from __future__ import annotations

from pipeline.collect.links import Link, on_site, page_links, site_root

PAGE = b"""<html><head><base href="https://www.x.gov.uk/housing/"></head><body>
<header><nav><a href="/">Home</a> <a href="/complaints">Complaints</a></nav></header>
<main>
<h1>Complaints</h1>
<p><a href="policy.pdf">Our policy</a> <a href="mailto:c@x.gov.uk">Email complaints</a></p>
<h2>Self-assessment against the Code</h2>
<ul><li><a href="docs/section-2#top">Section 2: Exclusions</a></li>
<li><a href="https://docs.x.gov.uk/f?id=7" title="Word version"><img alt="Download"></a></li></ul>
<h2>Other services</h2>
<p><a href="/council-tax">Council tax</a> <a href="/ombudsman-info">More</a></p>
</main>
<footer><a href="/privacy">Privacy</a></footer></body></html>"""


def links() -> dict[str, Link]:
    return {link.url: link for link in page_links(PAGE, "https://www.x.gov.uk/housing/complaints")}


def test_links_are_absolute_against_base_href_without_fragments_or_mail() -> None:
    assert list(links()) == [
        "https://www.x.gov.uk/",
        "https://www.x.gov.uk/complaints",
        "https://www.x.gov.uk/housing/policy.pdf",
        "https://www.x.gov.uk/housing/docs/section-2",
        "https://docs.x.gov.uk/f?id=7",
        "https://www.x.gov.uk/council-tax",
        "https://www.x.gov.uk/ombudsman-info",
        "https://www.x.gov.uk/privacy",
    ]


def test_the_heading_above_a_link_gives_its_context_except_in_site_chrome() -> None:
    found = links()
    assert found["https://www.x.gov.uk/housing/docs/section-2"].heading == (
        "Self-assessment against the Code"
    )
    assert found["https://www.x.gov.uk/complaints"].heading == ""
    assert found["https://docs.x.gov.uk/f?id=7"].text == "Word version Download"


def test_relevance_from_text_heading_or_url() -> None:
    relevant = {url for url, link in links().items() if link.relevant}
    assert relevant == {
        "https://www.x.gov.uk/complaints",  # its text
        "https://www.x.gov.uk/housing/policy.pdf",  # the "Complaints" heading above it
        "https://www.x.gov.uk/housing/docs/section-2",  # the self-assessment heading
        "https://docs.x.gov.uk/f?id=7",
        "https://www.x.gov.uk/ombudsman-info",  # its URL
    }


def test_relevance_words() -> None:
    for text in ("Complaint Handling Code", "Self Assessment", "self-assessment 2024", "CHC"):
        assert Link(url="https://x/a", text=text).relevant, text
    for text in ("Annual accounts", "Council tax", "Housing"):
        assert not Link(url="https://x/a", text=text).relevant, text
    assert Link(url="https://x/docs/Self%20Assessment%202024.pdf", text="Download").relevant


def test_a_link_to_the_page_itself_is_dropped() -> None:
    html = b'<a href="#main">Skip</a><a href="complaints">Complaints</a>'
    assert page_links(html, "https://x.gov.uk/complaints") == ()


def test_same_site_means_the_host_or_its_sub_domains() -> None:
    root = site_root("https://www.x.gov.uk/complaints")
    assert root == "x.gov.uk"
    assert on_site("https://x.gov.uk/a", root)
    assert on_site("https://docs.x.gov.uk/a", root)
    assert not on_site("https://notx.gov.uk/a", root)
    assert not on_site("https://www.housing-ombudsman.org.uk/", root)
