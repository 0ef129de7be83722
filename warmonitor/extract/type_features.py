"""Features for the event-type classifier: the words of a report and what the rules read in it.

Names, places, dates and numbers are masked so that the model learns how events are told, not which
places they were told about: a model trained on invented snippets must carry over to real news.
"""
from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from warmonitor.extract.syntax import sentences, tokens

MASKED_ENTITIES = {
    "GPE": "_place_", "LOC": "_place_", "FAC": "_place_", "PERSON": "_person_", "DATE": "_date_",
    "TIME": "_date_", "CARDINAL": "_num_", "QUANTITY": "_num_", "PERCENT": "_num_", "ORDINAL": "_num_",
    "MONEY": "_money_",
}
LEAD_SENTENCES = 1  # the lead sentence's words also count apart: it usually tells the news


def word_sequence(sent) -> list[str]:
    """Lower-case lemmas of a sentence, one mask per masked entity, without punctuation."""
    seq = []
    for tok in tokens(sent):
        mask = MASKED_ENTITIES.get(tok.ent_type_)
        if mask:
            if tok.ent_iob_ == "B":
                seq.append(mask)
            continue
        if tok.is_punct or tok.is_space:
            continue
        seq.append("_num_" if tok.like_num else tok.lemma_.lower())
    return seq


ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "agent"})


def _word(tok) -> str:
    return MASKED_ENTITIES.get(tok.ent_type_) or ("_num_" if tok.like_num else tok.lemma_.lower())


def argument_features(sent) -> set[str]:
    """Verb-argument pairs ('seize>dobj:town', 'kill>nsubj:_gunman_'): who did what to whom, whatever
    words stand between them."""
    feats = set()
    for tok in tokens(sent):
        if tok.dep_ not in ARGUMENT_DEPS:
            continue
        head = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "prep" else tok.head
        if head.pos_ in ("VERB", "NOUN") and head.i != tok.i:
            via = tok.head.lower_ if tok.dep_ == "pobj" else tok.dep_
            feats.add(f"d={head.lemma_.lower()}>{via}:{_word(tok)}")
    return feats


def sentence_features(sent, lead: bool = False) -> set[str]:
    feats: set[str] = argument_features(sent)
    seq = word_sequence(sent)
    for j, w in enumerate(seq):
        feats.add("w=" + w)
        if j + 1 < len(seq):
            feats.add("b=" + w + "_" + seq[j + 1])
        if lead:
            feats.add("lead=" + w)
    return feats


def text_features(doc: Doc, background: Iterable[int] = ()) -> set[str]:
    """Features of the sentences; the words of `background` ones (sentences whose only triggers the rules
    read as background: 'drove the group out of the town last October') are kept apart, or they would
    teach the classifier the wrong event."""
    skip = set(background)
    feats: set[str] = set()
    for i, sent in enumerate(sentences(doc)):
        if i in skip:  # kept apart, so that they weigh as background
            feats |= {"bg=" + w for w in word_sequence(sent)}
        else:
            feats |= sentence_features(sent, lead=i < LEAD_SENTENCES)
    return feats


def rule_features(event_types: list[str], hit_types: Iterable[tuple[str, str | None, bool]],
                  rejected: Iterable[tuple[str, str]]) -> set[str]:
    """What the rule layer found: its events (main one first), every trigger it matched (type, rule, weak)
    and the triggers it set aside with the kind of reason ('background', 'negated', 'intention')."""
    feats = {"r_main=" + event_types[0]} if event_types else {"r_main=none"}
    feats |= {"r_event=" + t for t in event_types}
    for nominal, rule, weak in hit_types:
        feats.add(("t_weak=" if weak else "t=") + nominal)
        if rule:
            feats.add("t_rule=" + rule)
    for nominal, why in rejected:
        feats.add("x=" + why.split(" ")[0] + ":" + nominal)
    return feats


def text_vector(doc: Doc):
    """The mean of the parser's contextual token vectors: a dense summary of the whole report."""
    import numpy as np

    if doc.tensor is None or not len(doc) or doc.tensor.ndim != 2 or doc.tensor.shape[0] != len(doc):
        return None
    return np.asarray(doc.tensor, dtype=np.float32).mean(axis=0)
