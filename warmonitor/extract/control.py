"""Statements of territorial control ("It now controls only the small pocket in Qadam",
"the rebel-held town of X", "Qamishli is largely held by Kurdish forces", "Al-Bab is under government
control", "the contested town of Manbij").

They are kept as data for the territory timeline, never turned into events. Besides the verb, the holder and
the place, each statement's evidence keeps the whole sentence (field "sentence") and, when only a piece of the
place is held ("a small district in Damascus", "part of Qadam"), the word that says so (field "part"): a part
of a city is not the city."""
from __future__ import annotations

import json
from datetime import date
from importlib import resources

from spacy.tokens import Span, Token

from warmonitor.extract.lexicon import Lexicon
from warmonitor.extract.modality import non_event_reason
from warmonitor.extract.roles import ActorIndex, find_roles
from warmonitor.extract.syntax import tokens
from warmonitor.model import ActorMention, ControlStatement, Evidence, PlaceMention


def _load_words() -> dict:
    path = resources.files("warmonitor") / "data" / "territory" / "control_words.json"
    return json.loads(path.read_text(encoding="utf-8"))


# read once at import; immutable from then on
_WORDS = _load_words()
SHARE_NOUNS = frozenset(_WORDS["share_nouns"]["words"])
AREA_NOUNS = frozenset(_WORDS["area_nouns"]["words"])
SHARE_PREPOSITIONS = frozenset(_WORDS["share_prepositions"])
AREA_PREPOSITIONS = frozenset(_WORDS["area_prepositions"])
CONTROL_NOUNS = frozenset(_WORDS["control_nouns"]["words"])
CONTESTED_WORDS = frozenset(_WORDS["contested_words"]["words"])


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


def _part_word(held: PlaceMention, sent: Span, stop: Token) -> Token | None:
    """The noun that makes the held thing a piece of the place ("pocket" in "the small pocket in Qadam",
    "part" in "part of Qadam"), walking from the place up to the control word; None when the place is
    held whole ("the town of Hajin")."""
    tok = next((t for t in sent if t.idx == held.start), None)
    # the walk ends at the control word or the clause's verb: "captured part of the rebel-held town"
    # says nothing about how much of the town the rebels held
    while tok is not None and tok.i != stop.i and tok.head.i != tok.i and tok.pos_ not in ("VERB", "AUX"):
        if tok.dep_ == "prep":
            if _is_part(tok.head, tok):
                return tok.head
            if tok.head.i == stop.i:  # "controls the small pocket in Qadam": the parser hangs "in" on the verb
                return next((o for o in stop.children if o.dep_ == "dobj" and _is_part(o, tok)), None)
        tok = tok.head
    return None


def _no_longer(verb: Token) -> bool:
    """'Rebels no longer hold Manbij' says they lost it, not that they hold it."""
    return any(c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children) for c in verb.children)


def _is_part(noun: Token, prep: Token) -> bool:
    """'part of', 'most of', 'a district in', 'neighbourhoods of' name a piece; 'the district of' does not."""
    words = {noun.lower_, noun.lemma_.lower()}  # spaCy lemmatises "most" as "many"
    if words & SHARE_NOUNS:
        return prep.lower_ in SHARE_PREPOSITIONS
    if words & AREA_NOUNS:
        plural = noun.tag_ in ("NNS", "NNPS")
        return prep.lower_ in AREA_PREPOSITIONS or (plural and prep.lower_ == "of")
    return False


def control_statements(sent: Span, sentence_index: int, index: ActorIndex, places: list[PlaceMention],
                       published: date | None, lexicon: Lexicon, article_id: str) -> list[ControlStatement]:
    verbs = set(lexicon.modality["control_verbs"])
    out: list[ControlStatement] = []
    for tok in tokens(sent):
        if tok.lemma_.lower() not in verbs or tok.pos_ not in ("VERB", "ADJ"):
            continue
        if non_event_reason(tok, lexicon) or _no_longer(tok):
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
        out.append(_statement(tok.head if hyphenated else tok, sentence_index, holder, held[0], status, published,
                              article_id, sent, control_word=tok))
    out += _under_control(sent, sentence_index, index, places, published, lexicon, article_id)
    out += _contested(sent, sentence_index, places, published, lexicon, article_id)
    return out


def _under_control(sent: Span, sentence_index: int, index: ActorIndex, places: list[PlaceMention],
                   published: date | None, lexicon: Lexicon, article_id: str) -> list[ControlStatement]:
    """'Al-Bab is under government control', 'the town, now under the control of Islamic State'."""
    out = []
    for tok in tokens(sent):
        if tok.lemma_.lower() not in CONTROL_NOUNS or tok.pos_ != "NOUN" or tok.head.lower_ != "under":
            continue
        holder = None
        for child in tok.children:
            if child.dep_ in ("compound", "amod", "poss", "nmod"):
                holder = index.of(child) or index.modifier_of(child)
            elif child.dep_ == "prep" and child.lower_ == "of":
                holder = next((index.of(g) for g in child.children if g.dep_ == "pobj"), None)
            if holder is not None:
                break
        if holder is None or holder.actor is None:
            continue
        under = tok.head
        owner = under.head  # "is" (the place is its subject) or the noun "under" describes
        if owner.pos_ in ("AUX", "VERB"):
            region = [t for c in owner.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree]
        else:
            region = [t for t in owner.subtree if not (under.left_edge.i <= t.i <= under.right_edge.i)]
        held = _places_in(region, places)
        if not held or non_event_reason(owner if owner.pos_ in ("AUX", "VERB") else tok, lexicon):
            continue
        out.append(_statement(tok, sentence_index, holder, held[0], "controls", published, article_id, sent))
    return out


def _contested(sent: Span, sentence_index: int, places: list[PlaceMention], published: date | None,
               lexicon: Lexicon, article_id: str) -> list[ControlStatement]:
    """'the contested town of Manbij', 'Manbij remains contested': fought over, no one holder named."""
    out = []
    for tok in tokens(sent):
        if tok.lower_ not in CONTESTED_WORDS:
            continue
        if tok.dep_ == "amod":
            held = _places_in(list(tok.head.subtree), places)
        elif tok.dep_ in ("acomp", "oprd"):
            held = _places_in([t for c in tok.head.children if c.dep_ == "nsubj" for t in c.subtree], places)
        else:
            continue
        if not held or non_event_reason(tok, lexicon):
            continue
        out.append(_statement(tok, sentence_index, None, held[0], "contested", published, article_id, sent))
    return out


def _statement(scope: Token, sentence_index: int, holder: ActorMention | None, held: PlaceMention, status: str,
               published: date | None, article_id: str, sent: Span,
               control_word: Token | None = None) -> ControlStatement:
    """`scope`: the word whose phrase holds the place (the verb, or the noun "rebel-held" describes)."""
    tok = control_word or scope
    evidence = [Evidence("control", sentence_index, tok.idx, tok.idx + len(tok.text), tok.text)]
    if holder is not None:
        evidence.append(Evidence("actor", holder.sentence, holder.start, holder.end, holder.text))
    evidence.append(Evidence("place", held.sentence, held.start, held.end, held.text))
    part = _part_word(held, sent, scope)
    if part is not None:
        evidence.append(Evidence("part", sentence_index, part.idx, part.idx + len(part.text), part.text))
    evidence.append(Evidence("sentence", sentence_index, sent.start_char, sent.end_char, sent.text))
    return ControlStatement(
        actor=holder.actor.name if holder is not None else None,
        place=held.place,
        as_of=None if status == "held" else published,
        status=status,
        evidence=evidence,
        article_id=article_id,
    )
