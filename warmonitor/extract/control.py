"""Statements of territorial control ("It now controls only the small pocket in Qadam",
"the rebel-held town of X", "Qamishli is largely held by Kurdish forces").

They are kept as data for the territory timeline, never turned into events."""
from __future__ import annotations

from datetime import date

from spacy.tokens import Span, Token

from warmonitor.extract.lexicon import Lexicon
from warmonitor.extract.modality import non_event_reason
from warmonitor.extract.roles import ActorIndex, find_roles
from warmonitor.extract.syntax import tokens
from warmonitor.model import ActorMention, ControlStatement, Evidence, PlaceMention


def _places_in(tokens: list[Token], places: list[PlaceMention]) -> list[PlaceMention]:
    if not tokens:
        return []
    lo = min(t.idx for t in tokens)
    hi = max(t.idx + len(t.text) for t in tokens)
    return [p for p in places if lo <= p.start < hi and p.place is not None and p.role == "mention"]


def _held_places(verb: Token, places: list[PlaceMention]) -> list[PlaceMention]:
    """Where the held place is named: the object ("controls the pocket in Qadam"), the passive
    subject ("Qamishli is held by ..."), the noun a participle describes ("the area held by rebels"),
    or, through a copula, that noun's subject ("Idlib is the last area held by rebels")."""
    held = _places_in([t for c in verb.children if c.dep_ in ("dobj", "prep") for t in c.subtree], places)
    held += _places_in([t for c in verb.children if c.dep_ == "nsubjpass" for t in c.subtree], places)
    if not held and verb.dep_ in ("acl", "amod"):
        noun = verb.head
        held = _places_in(list(noun.subtree), places)
        if not held and noun.dep_ == "attr":
            held = _places_in([t for c in noun.head.children if c.dep_ == "nsubj" for t in c.subtree], places)
    return held


def control_statements(sent: Span, sentence_index: int, index: ActorIndex, places: list[PlaceMention],
                       published: date | None, lexicon: Lexicon, article_id: str) -> list[ControlStatement]:
    verbs = set(lexicon.modality["control_verbs"])
    out: list[ControlStatement] = []
    for tok in tokens(sent):
        if tok.lemma_.lower() not in verbs or tok.pos_ not in ("VERB", "ADJ"):
            continue
        if non_event_reason(tok, lexicon):
            continue
        hyphenated = tok.i >= 2 and tok.nbor(-1).text == "-"  # "rebel-held", "IS-controlled"
        if hyphenated:
            holder = index.of(tok.nbor(-2)) or index.modifier_of(tok.nbor(-2))
            held = _places_in(list(tok.head.subtree), places) if tok.head.i != tok.i else []
        else:
            holder = find_roles(tok, index).agent
            held = _held_places(tok, places)
        if holder is None or holder.actor is None or not held:
            continue
        past = any(c.lower_ in ("had", "was", "were") and c.dep_ in ("aux", "auxpass") for c in tok.children) \
            and not any(c.lower_ in ("is", "are", "has", "have") for c in tok.children)
        # "the rebel-held town" says who held it before whatever the sentence tells happened to it
        status = "besieges" if tok.lemma_ == "besiege" else ("held" if past or hyphenated else "controls")
        out.append(_statement(tok, sentence_index, holder, held[0], status, published, article_id))
    return out


def _statement(tok: Token, sentence_index: int, holder: ActorMention, held: PlaceMention, status: str,
               published: date | None, article_id: str) -> ControlStatement:
    return ControlStatement(
        actor=holder.actor.name,
        place=held.place,
        as_of=None if status == "held" else published,
        status=status,
        evidence=[
            Evidence("control", sentence_index, tok.idx, tok.idx + len(tok.text), tok.text),
            Evidence("actor", holder.sentence, holder.start, holder.end, holder.text),
            Evidence("place", held.sentence, held.start, held.end, held.text),
        ],
        article_id=article_id,
    )
