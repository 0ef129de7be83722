"""Per-document caches over spaCy's Doc.

spaCy rebuilds `doc.text` and walks the whole document for `doc.sents` and sentence-span
iteration on every access; on a 2,000-character article that cost more than the parse itself.
These helpers compute each once and keep it in `doc.user_data`."""
from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span, Token

_SENTS = "warmonitor.sentences"


def sentences(doc: Doc) -> list[Span]:
    """The document's sentences, computed once: spaCy walks the whole document on every `doc.sents`."""
    cached = doc.user_data.get(_SENTS)
    if cached is None:
        sents = list(doc.sents)
        cached = doc.user_data[_SENTS] = (sents, [s.start for s in sents])
    return cached[0]


def sentence_index(tok: Token) -> int:
    sentences(tok.doc)
    return bisect_right(tok.doc.user_data[_SENTS][1], tok.i) - 1


def sent_of(tok: Token) -> Span:
    """The sentence holding a token (like `tok.sent`, without walking the document)."""
    return sentences(tok.doc)[sentence_index(tok)]


def tokens(span: Span) -> list[Token]:
    """The tokens of a span. Iterating a sentence span directly makes spaCy recompute the
    document's sentences each time, which dominated the run time."""
    doc = span.doc
    return [doc[i] for i in range(span.start, span.end)]


_TEXT = "warmonitor.text"


def doc_text(doc: Doc) -> str:
    """The document's text, built once: spaCy joins every token anew on each `doc.text`."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


_SOURCE = "warmonitor.source"


def mark_gated(doc: Doc, source: str) -> None:
    """Record that `doc` was parsed from `source` with some sentences blanked out (nlp/gate.py): same length,
    so every offset into the doc is an offset into `source`."""
    doc.user_data[_SOURCE] = source


def made_from(doc: Doc, text: str) -> bool:
    """Whether the doc's character offsets are offsets into `text`: it was parsed from it, whole or gated."""
    return doc.user_data.get(_SOURCE) == text or doc_text(doc) == text
