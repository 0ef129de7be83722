"""HTML pages: trafilatura strips navigation and footers and reads the page's metadata."""
from __future__ import annotations

import lxml.html
from lxml import etree

from warmonitor.ingest.dates import parse_date
from warmonitor.ingest.problem import Draft
from warmonitor.ingest.story import story_draft



def _parse(markup: str) -> lxml.html.HtmlElement | None:
    """A whole document tree, even from a bare fragment ("<p>...</p>"), or None when there is nothing to parse."""
    try:
        # Bytes with an explicit encoding: lxml refuses a str that carries an XML encoding declaration.
        return lxml.html.document_fromstring(markup.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return None


def parse_html(markup: str) -> Draft | None:
    """The main text of a page, with title, date and url from its metadata; None when it has no text."""
    # Imported here because trafilatura takes a third of a second to import and most runs read text.
    import trafilatura

    tree = _parse(markup)
    if tree is None:
        return None
    doc = trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, include_links=False,
    )
    title = url = published = None
    text = doc.text if doc is not None else None
    if doc is not None:
        title, url, published = doc.title, doc.url, parse_date(doc.date)
    if not text:
        # Pages too small for the main-content heuristics: fall back to all visible text.
        # Parsed afresh: the extraction above prunes the tree it is given.
        text = trafilatura.html2txt(_parse(markup))
    paragraphs = [line.strip() for line in (text or "").split("\n") if line.strip()]
    if title and paragraphs and paragraphs[0] == title.strip():
        paragraphs = paragraphs[1:]  # the page's <h1> repeats the title
    if not paragraphs:
        return None
    # trafilatura gives one paragraph per line; the project separates paragraphs by a blank line.
    lines = "\n\n".join(paragraphs).split("\n")
    draft = story_draft(lines, title=title.strip() if title else None)
    draft.url, draft.published = url, published or draft.published
    return draft
