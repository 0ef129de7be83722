"""Per-document caches over spaCy's Doc.

spaCy rebuilds `doc.text` and walks the whole document for `doc.sents` and sentence-span
iteration on every access; on a 2,000-character article that cost more than the parse itself.
These helpers compute each once and keep it in `doc.user_data`."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.attrs import (ENT_IOB, ENT_TYPE, IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, IS_STOP, IS_UPPER, LEMMA, LOWER,
                         ORTH, POS, SPACY)
from spacy.parts_of_speech import NAMES as POS_NAMES
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
    return _all_tokens(span.doc)[span.start:span.end]


_ALL_TOKENS = "warmonitor.all_tokens"


def _all_tokens(doc: Doc) -> list[Token]:
    """The doc's Token objects, made once: `doc[i]` makes a new one on every call."""
    toks = doc.user_data.get(_ALL_TOKENS)
    if toks is None:
        toks = doc.user_data[_ALL_TOKENS] = list(doc)
    return toks


_CHILDREN = "warmonitor.children"


def children(tok: Token) -> list[Token]:
    """`tok.children`, listed once per token: spaCy walks the token's whole stretch of the doc and makes new
    Token objects on every call, and the role and modality readers ask about the same verbs again and again."""
    cache = tok.doc.user_data.get(_CHILDREN)
    if cache is None:
        cache = tok.doc.user_data[_CHILDREN] = {}
    kids = cache.get(tok.i)
    if kids is None:
        kids = cache[tok.i] = list(tok.children)
    return kids


_NOUN_CHUNKS = "warmonitor.noun_chunks"


def noun_chunks(doc: Doc) -> list[Span]:
    """The doc's noun chunks, found once: spaCy walks the whole parse on every `doc.noun_chunks`."""
    chunks = doc.user_data.get(_NOUN_CHUNKS)
    if chunks is None:
        chunks = doc.user_data[_NOUN_CHUNKS] = list(doc.noun_chunks)
    return chunks


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


_TOKENS = "warmonitor.tokens"


@dataclass(frozen=True)
class TokenTable:
    """The token attributes the resolvers test over and over, read once into plain lists: every `doc[i]` makes
    a new Token object, and the place finder asks about each token dozens of times."""

    text: list[str]
    lower: list[str]
    idx: list[int]  # the token's first character
    end: list[int]  # one past its last character
    whitespace: list[str]
    is_alpha: list[bool]
    is_punct: list[bool]
    is_space: list[bool]
    is_stop: list[bool]
    is_upper: list[bool]
    pos: list[str]
    ent_type: list[str]
    ent_iob: list[str]
    doc_text: str
    lemma_lower: list[str]  # `tok.lemma_.lower()`: the extractors' lexicons list lower-case lemmas

    def span_text(self, start: int, end: int) -> str:
        """`doc[start:end].text` (start < end), cut from the document's text instead of joined from new Token
        objects."""
        return self.doc_text[self.idx[start]:self.end[end - 1]]


# The token attributes a TokenTable holds, as spaCy's to_array() reads them: numbers (string ids, flags, offsets)
# for the whole doc in one call, many times faster than asking each Token for each attribute.
_TABLE_ATTRS = (ORTH, LOWER, IDX, SPACY, IS_ALPHA, IS_PUNCT, IS_SPACE, IS_STOP, IS_UPPER, POS, ENT_TYPE, ENT_IOB,
                LEMMA)
_IOB = ("", "I", "O", "B")  # Token.ent_iob_ by ent_iob


def token_table(doc: Doc) -> TokenTable:
    """The doc's TokenTable, read once per document."""
    table = doc.user_data.get(_TOKENS)
    if table is None:
        table = doc.user_data[_TOKENS] = _read_token_table(doc)
    return table


def _read_token_table(doc: Doc) -> TokenTable:
    strings = doc.vocab.strings
    columns = doc.to_array(list(_TABLE_ATTRS)).T.tolist()
    orth, lower, idx, spacy, is_alpha, is_punct, is_space, is_stop, is_upper, pos, ent_type, ent_iob, lemma = columns
    text = [strings[h] for h in orth]
    whitespace = [" " if s else "" for s in spacy]
    if _TEXT not in doc.user_data:  # what spaCy's doc.text joins, without making every Token to get it
        doc.user_data[_TEXT] = "".join(map(str.__add__, text, whitespace))
    return TokenTable(
        text=text, lower=[strings[h] for h in lower], idx=idx, end=[i + len(t) for i, t in zip(idx, text)],
        whitespace=whitespace, is_alpha=list(map(bool, is_alpha)), is_punct=list(map(bool, is_punct)),
        is_space=list(map(bool, is_space)), is_stop=list(map(bool, is_stop)), is_upper=list(map(bool, is_upper)),
        pos=[POS_NAMES[p] for p in pos], ent_type=[strings[h] for h in ent_type], ent_iob=[_IOB[i] for i in ent_iob],
        doc_text=doc_text(doc), lemma_lower=[strings[h].lower() for h in lemma])


def forget_caches(doc: Doc) -> None:
    """Drop every per-doc cache above: a component run on the doc after they were built (NER on a headline)
    would leave them describing the doc as it was."""
    for key in [k for k in doc.user_data if isinstance(k, str) and k.startswith("warmonitor.") and k != _SOURCE]:
        del doc.user_data[key]
