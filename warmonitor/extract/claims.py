"""Attribution: who says so ("..., the Syrian Observatory for Human Rights said")."""
from __future__ import annotations

from spacy.tokens import Span

from warmonitor.extract.lexicon import Lexicon
from warmonitor.extract.syntax import doc_text, sent_of, tokens
from warmonitor.nlp.docs import TokenTable, token_table
from warmonitor.model import ActorMention, Claim, Evidence


def _np_span(tok) -> tuple[int, int]:
    sub = list(tok.subtree)
    # keep the noun phrase itself, not a trailing clause ("officials who ...")
    sub = [t for t in sub if not (t.dep_ in ("relcl", "punct") and t.i > tok.i)]
    return sub[0].idx, sub[-1].idx + len(sub[-1].text)


def claims_in(sent: Span, sentence_index: int, actor_mentions: list[ActorMention], lexicon: Lexicon,
              claims_so_far: list[Claim] = ()) -> list[Claim]:
    verbs = set(lexicon.modality["attribution_verbs"])
    deeds = set(lexicon.modality["responsibility_nouns"])  # "claimed responsibility", "claimed the attack"
    doc = sent.doc
    table = token_table(doc)
    claims: list[Claim] = []
    for k in range(sent.start, sent.end):
        if not _may_attribute(table, k, verbs):
            continue
        tok = doc[k]
        lemma = table.lemma_lower[k]
        claimant_tok = None
        verb = lemma
        if lemma in verbs and tok.pos_ in ("VERB", "AUX"):
            # the subject nearest the verb; a clause-sized "subject" is a misparse of "..., X said"
            subj = [c for c in tok.children if c.dep_ == "nsubj" and c.i < tok.i]
            subj = max(subj, key=lambda c: c.i) if subj else None
            if subj is None or len(list(subj.subtree)) > 12 or any(t.pos_ == "VERB" for t in subj.subtree):
                claimant_tok = _trailing_claimant(tok) or subj
            else:
                claimant_tok = subj
            if lemma == "claim" and any(c.lemma_.lower() in deeds and c.dep_ in ("dobj", "attr", "nsubjpass")
                                        for c in tok.children):
                verb = "claimed responsibility"
        elif tok.lower_ == "according" and tok.nbor(1).lower_ == "to" if tok.i + 1 < len(doc) else False:
            pobj = [c for c in tok.nbor(1).children if c.dep_ == "pobj"]
            if pobj:
                claimant_tok, verb = pobj[0], "according to"
        if claimant_tok is None:
            continue
        if isinstance(claimant_tok, tuple):
            start, end = claimant_tok
        elif claimant_tok.pos_ == "PRON" and claimant_tok.lower_ not in ("it", "they", "he", "she"):
            continue
        else:
            start, end = _np_span(claimant_tok)
        if end - start > 120:
            continue
        if end - start > 160:
            continue
        if doc_text(doc)[start:end].lower().split()[:1] in (["no"], ["nobody"], ["none"]):
            continue  # "No group claimed responsibility": a claim nobody made
        resolved = next((m for m in actor_mentions if m.start >= start and m.end <= end and m.actor), None)
        if resolved is None or resolved.kind == "generic":
            # "residents and a monitoring group": the monitor is the source worth naming
            resolved = _referent(doc_text(doc)[start:end], start, actor_mentions) or resolved
        if resolved is None and doc_text(doc)[start:end].lower() in ("he", "she", "they", "it") and claims_so_far:
            previous = claims_so_far[-1]  # "..., he said": the speaker quoted just before
            claims.append(Claim(claimant=previous.claimant, actor=previous.actor, verb=lemma,
                                evidence=Evidence("claim", sentence_index, min(start, tok.idx),
                                                  max(end, tok.idx + len(tok.text)),
                                                  doc_text(doc)[min(start, tok.idx):max(end, tok.idx + len(tok.text))])))
            continue
        ev_start, ev_end = min(start, tok.idx), max(end, tok.idx + len(tok.text))
        claims.append(Claim(
            claimant=doc_text(doc)[start:end],
            actor=resolved.actor.name if resolved else None,
            verb=verb if verb in ("according to", "claimed responsibility") else lemma,
            evidence=Evidence("claim", sentence_index, ev_start, ev_end, doc_text(doc)[ev_start:ev_end]),
        ))
    return claims


def _may_attribute(table: TokenTable, k: int, verbs: set[str]) -> bool:
    """Whether token k can open a claim (an attribution verb, "according"): the others are passed over without
    making their Token objects."""
    return table.lemma_lower[k] in verbs and table.pos[k] in ("VERB", "AUX") or table.lower[k] == "according"


def _trailing_claimant(verb) -> tuple[int, int] | None:
    """'..., the Observatory said.': the parser often hangs the source on the previous noun
    instead of making it the subject; take the words between the last comma and the verb."""
    sent = sent_of(verb)
    after = {t.i for c in verb.children if c.dep_ in ("prep", "npadvmod") and c.i > verb.i for t in c.subtree}
    rest = [t for t in tokens(sent) if t.i > verb.i and not (t.is_punct or t.is_space) and t.i not in after]
    if rest:
        return None  # "said on Wednesday." may follow; anything else means the verb is not at the end
    before = [t for t in tokens(sent) if t.i < verb.i]
    comma = max((t.i for t in before if t.text == ","), default=None)
    if comma is None:
        return None
    words = [t for t in before if t.i > comma]
    if not words or len(words) > 15 or not any(t.pos_ in ("PROPN", "NOUN") for t in words):
        return None
    return words[0].idx, words[-1].idx + len(words[-1].text)


# Head nouns by which a report refers back to an organisation it has named ("the alliance",
# "a spokesman for the group", "the observatory", "a monitoring group").
REFERRING_NOUNS = {
    "observatory": "observer", "monitor": "observer", "monitoring": "observer",
    "alliance": "armed", "group": "armed", "militia": "armed", "movement": "armed", "coalition": "armed",
    "organisation": "armed", "organization": "armed", "faction": "armed",
}


def _referent(text: str, start: int, mentions: list[ActorMention]) -> ActorMention | None:
    """The organisation a descriptive claimant refers to: the nearest named actor of the right kind,
    before the claim or, for monitors, anywhere in the report."""
    words = [w.strip(".,'\"").lower() for w in text.split()]
    if not words or words[0] not in ("the", "a", "an", "its", "their"):
        if not any(w in ("the", "a") for w in words):
            return None
    kinds = {REFERRING_NOUNS[w] for w in words if w in REFERRING_NOUNS}
    if not kinds:
        return None
    named = [m for m in mentions if m.actor is not None and m.kind in ("named", "observer", "descriptor")]
    if "observer" in kinds:
        observers = [m for m in named if m.kind == "observer" and any(
            k in m.actor.name.lower() for k in ("observ", "monitor"))]
        if observers:
            return min(observers, key=lambda m: abs(m.start - start))
    if "armed" in kinds:
        before = [m for m in named if m.start < start and m.kind != "observer" and m.actor.inter in (2, 3, 4, 8)]
        if before:
            return before[-1]
    return None
