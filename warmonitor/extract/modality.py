"""Is a trigger something that happened? Negated, denied, threatened, planned, conditional
and habitual triggers are not events."""
from __future__ import annotations

from spacy.tokens import Token

from warmonitor.extract.lexicon import Lexicon
from warmonitor.nlp.docs import children

# Dependency labels through which a trigger inherits the modality of its governor.
_CLAUSE_LINKS = {"xcomp", "ccomp", "advcl", "conj", "pcomp", "pobj", "prep", "dobj", "acomp", "attr", "nsubj",
                 "compound", "amod", "nmod", "appos", "oprd"}


def non_event_reason(anchor: Token, lexicon: Lexicon) -> str | None:
    """Why the trigger is not an event that happened, or None when it is asserted as fact."""
    mod = lexicon.modality
    negations = set(mod["negation_words"])
    heads = set(mod["non_event_heads"])
    modals = set(mod["modal_words"])
    marks = set(mod["conditional_marks"])
    habitual = set(mod["habitual_adverbs"])
    t = anchor
    for _ in range(4):  # "ended without a deal", "broke up without agreement on extending a truce"
        if t.lower_ == "without" or t.head.lower_ == "without":
            return "negated (without)"
        if t.head.i == t.i or (t.head.pos_ in ("VERB", "AUX") and t.head.tag_ != "VBG"):
            break  # a gerund ("without agreement on extending a truce") does not close the phrase
        t = t.head
    intent = _intention(anchor, set(mod["implicative_verbs"]))
    if intent:
        return intent
    tok = anchor
    depth = 0
    while True:
        for child in children(tok):
            low = child.lower_
            if child.dep_ == "neg" or (low in negations and child.dep_ in ("det", "advmod", "neg", "preconj")):
                return f"negated ({child.text})"
            if child.dep_ == "aux" and low in modals:
                return f"modal ({child.text})"
            if child.dep_ == "mark" and low in marks:
                return f"conditional ({child.text})"
            if depth == 0 and child.dep_ == "advmod" and low in habitual:
                return f"habitual ({child.text})"
        if tok.lemma_.lower() in heads and tok.i != anchor.i:
            return f"not asserted ({tok.text})"
        if tok.dep_ == "ROOT" or tok.head.i == tok.i or tok.dep_ not in _CLAUSE_LINKS:
            break
        # An attribution verb ("X said") above the trigger keeps it asserted: stop there -- unless
        # the verb denies it ("denied that its troops had entered")
        if tok.head.lemma_.lower() in lexicon.modality["attribution_verbs"] and tok.dep_ in ("ccomp", "conj"):
            if tok.head.lemma_.lower() in heads:
                return f"not asserted ({tok.head.text})"
            break
        tok = tok.head
        depth += 1
        if depth > 6:
            break
    return None


def _intention(anchor: Token, implicative: set[str]) -> str | None:
    """'to help fend off a Turkish offensive', 'launched an assault to take the area': an infinitive
    states a purpose, not an event, unless its verb implies it happened ('forced to withdraw')."""
    t = anchor
    for _ in range(3):
        head = t if t.pos_ in ("VERB", "AUX") else t.head
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        if head.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in children(head)):
            governor = head.head
            if governor.lemma_.lower() not in implicative:
                return f"intention (to {head.text})"
        if head.dep_ not in ("xcomp", "conj", "ccomp") or head.head.i == head.i:
            return None
        t = head.head
    return None
