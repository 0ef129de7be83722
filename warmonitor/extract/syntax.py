"""Small helpers over spaCy's dependency parse, shared by the extractors."""
from __future__ import annotations

from spacy.tokens import Doc, Token

from warmonitor.nlp.docs import doc_text, sent_of, sentence_index, sentences, tokens

__all__ = ["ATTRIBUTION_LEMMAS", "CLAUSE_POS", "attached_to", "clause_head", "doc_text", "is_attribution",
           "is_relative_clause", "sent_of", "sentence_index", "sentences", "token_at", "tokens"]

CLAUSE_POS = ("VERB", "AUX")


def clause_head(tok: Token) -> Token:
    """The verb heading the clause a token sits in (the root when there is none)."""
    t = tok
    while t.pos_ not in CLAUSE_POS and t.head.i != t.i:
        t = t.head
    return t


ATTRIBUTION_LEMMAS = frozenset({"say", "report", "tell", "claim", "add", "announce", "state", "confirm"})


def is_attribution(tok: Token) -> bool:
    return tok.lemma_.lower() in ATTRIBUTION_LEMMAS


def attached_to(tok: Token, anchor: Token) -> bool:
    """Does `tok` modify the trigger `anchor`, rather than some other clause of its sentence?

    Walking up from `tok`, the first verb met decides: the anchor itself, a relative clause
    describing the anchor ("fighting that lasted 24 hours"), or the anchor's own clause.
    """
    t = tok
    while True:
        if t == anchor:
            return True
        if t.pos_ in CLAUSE_POS and t.dep_ != "acl":  # participles ("a vehicle carrying ...") are transparent
            if t.dep_ == "relcl" and t.head == anchor:
                return True
            return t == clause_head(anchor)
        if t.head.i == t.i:
            return t == clause_head(anchor)
        t = t.head


def token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def is_relative_clause(anchor: Token) -> bool:
    return clause_head(anchor).dep_ in ("relcl", "acl")
