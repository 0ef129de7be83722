"""Is a trigger something that happened? Negated, denied, threatened, planned, conditional
and habitual triggers are not events."""
from __future__ import annotations

from spacy.tokens import Token

from warmonitor.extract.lexicon import Lexicon

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
    if anchor.head.lower_ == "without" or any(c.lower_ == "without" for c in anchor.children if c.dep_ == "prep"):
        if anchor.head.lower_ == "without":
            return "negated (without)"  # "ended talks without agreeing"
    tok = anchor
    depth = 0
    while True:
        for child in tok.children:
            low = child.lower_
            if child.dep_ == "neg" or (low in negations and child.dep_ in ("det", "advmod", "neg", "preconj")):
                return f"negated ({child.text})"
            if child.dep_ == "aux" and low in modals:
                return f"modal ({child.text})"
            if child.dep_ == "mark" and low in marks:
                return f"conditional ({child.text})"
            if depth == 0 and child.dep_ == "advmod" and low in habitual:
                return f"habitual ({child.text})"
        if tok.lemma_.lower() in heads and tok is not anchor:
            return f"not asserted ({tok.text})"
        if tok.dep_ == "ROOT" or tok.head is tok or tok.dep_ not in _CLAUSE_LINKS:
            break
        # An attribution verb ("X said") above the trigger keeps it asserted: stop there.
        if tok.head.lemma_.lower() in lexicon.modality["attribution_verbs"] and tok.dep_ in ("ccomp", "conj"):
            break
        tok = tok.head
        depth += 1
        if depth > 6:
            break
    return None
