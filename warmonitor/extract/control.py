"""Statements of territorial control ("It now controls only the small pocket in Qadam").

They are kept as data for the territory timeline, never turned into events."""
from __future__ import annotations

from datetime import date

from spacy.tokens import Span

from warmonitor.extract.lexicon import Lexicon
from warmonitor.extract.modality import non_event_reason
from warmonitor.extract.roles import ActorIndex, find_roles
from warmonitor.model import ControlStatement, Evidence, PlaceMention


def control_statements(sent: Span, sentence_index: int, index: ActorIndex, places: list[PlaceMention],
                       published: date | None, lexicon: Lexicon, article_id: str) -> list[ControlStatement]:
    verbs = set(lexicon.modality["control_verbs"])
    out: list[ControlStatement] = []
    for tok in sent:
        if tok.lemma_.lower() not in verbs or tok.pos_ != "VERB":
            continue
        if non_event_reason(tok, lexicon):
            continue
        roles = find_roles(tok, index)
        if roles.agent is None:
            continue
        subtree = list(tok.subtree) if tok.dep_ != "acl" else [t for t in tok.subtree]
        lo, hi = subtree[0].idx, subtree[-1].idx + len(subtree[-1].text)
        held = [p for p in places if lo <= p.start < hi and p.place is not None and p.role == "mention"]
        if not held:
            continue
        past = tok.tag_ in ("VBD", "VBN") and any(c.lower_ == "had" for c in tok.children)
        status = "held" if past else ("besieges" if tok.lemma_ == "besiege" else "controls")
        evidence = [
            Evidence("control", sentence_index, tok.idx, tok.idx + len(tok.text), tok.text),
            Evidence("actor", roles.agent.sentence, roles.agent.start, roles.agent.end, roles.agent.text),
            Evidence("place", held[0].sentence, held[0].start, held[0].end, held[0].text),
        ]
        out.append(ControlStatement(
            actor=roles.agent.actor.name if roles.agent.actor else None,
            place=held[0].place,
            as_of=None if past else published,
            status=status,
            evidence=evidence,
            article_id=article_id,
        ))
    return out
