"""Point descriptors ("the ultra-hardline militant group") and subject pronouns ("It") back to actors.

Both rules are deliberately small so a reader can say why a mention resolved:
- a definite descriptor takes the most recent *specific* (named, descriptor or pronoun) mention
  of an armed non-state actor within a few sentences, whose tags fit the descriptor's words
  ("jihadists" needs an actor tagged jihadist);
- "it"/"they" as the subject of a sentence's main verb takes the main-clause subject of the
  previous sentence when that subject is an actor mention ("ISIS has lost ... . It now controls");
- "it"/"they" as the subject of a reported clause takes the reporting verb's subject ("The group said it had").
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from warmonitor.model import ActorMention
from warmonitor.resolve.actor_kb import ActorKB

SUBJECT_DEPS = ("nsubj", "nsubjpass")
SUBJECT_PRONOUNS = ("it", "they")
SPECIFIC_KINDS = ("named", "descriptor", "pronoun")


def descriptor_tags(kb: ActorKB, chunk: Span) -> set[str]:
    """Tags a descriptor demands of its antecedent, from its words ("hardline" -> jihadist)."""
    words = {t.lower_ for t in chunk} | {chunk.text.lower()}
    words |= {w for t in chunk for w in t.lower_.split("-")}
    return {tag for tag, tag_words in kb.coref.tag_words.items() if words & tag_words}


def _tags_with_implied(kb: ActorKB, tags: tuple[str, ...]) -> set[str]:
    out = set(tags)
    for tag in tags:
        out.update(kb.coref.tag_implies.get(tag, ()))
    return out


def descriptor_antecedent(kb: ActorKB, mentions: list[ActorMention], sentence: int,
                          required_tags: set[str]) -> int | None:
    """Index of the most recent compatible mention, or None."""
    for i in range(len(mentions) - 1, -1, -1):
        m = mentions[i]
        if sentence - m.sentence > kb.coref.max_sentences_back:
            break
        if m.kind not in SPECIFIC_KINDS or m.actor is None:
            continue
        rec = kb.record(m.actor.name)
        if rec is None or rec.kind != "armed":
            continue
        if required_tags <= _tags_with_implied(kb, rec.tags):
            return i
    return None


def is_subject_pronoun(token: Token) -> bool:
    return (token.lower_ in SUBJECT_PRONOUNS and token.dep_ in SUBJECT_DEPS
            and (token.head == token.sent.root or _reporting_subject(token) is not None))


def _reporting_subject(token: Token) -> Token | None:
    """"The group said it had captured three tanks": the subject of the verb that reports the clause."""
    clause = token.head
    if clause.dep_ != "ccomp" or clause.head.i > token.i:
        return None
    return next((c for c in clause.head.children if c.dep_ in SUBJECT_DEPS), None)


def pronoun_antecedent(token: Token, sents: list[Span], sentence: int,
                       mentions: list[ActorMention]) -> int | None:
    """Index of the actor mention that is the subject of the verb reporting the pronoun's clause ("The group
    said it ..."), else of the main clause of the previous sentence."""
    reporter = _reporting_subject(token)
    if reporter is not None:
        return next((i for i in range(len(mentions) - 1, -1, -1) if mentions[i].actor is not None
                     and mentions[i].kind != "observer" and mentions[i].start <= reporter.idx < mentions[i].end), None)
    if sentence == 0:
        return None
    prev = sents[sentence - 1]
    subjects = [c for c in prev.root.children if c.dep_ in SUBJECT_DEPS]
    if not subjects:
        return None
    subj = subjects[0]
    for i in range(len(mentions) - 1, -1, -1):
        m = mentions[i]
        if m.sentence < sentence - 1:
            break
        if m.actor is None or not (m.start <= subj.idx < m.end):
            continue
        if token.lower_ == "it" and _is_plural_head(prev, m):
            return None  # "it" cannot take up "rebels" or "ISIS fighters"
        return i
    return None  # the previous subject is not an actor ("The district ... . It is located")


def _is_plural_head(sent: Span, m: ActorMention) -> bool:
    head = next((t for t in sent if t.idx == m.head), None)
    return head is not None and "Plur" in head.morph.get("Number")
