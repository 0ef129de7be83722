"""Who did what to whom: the actors in a trigger's syntactic roles."""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from warmonitor.model import ActorMention

AGENT_PREPS = {"by"}
PATIENT_PREPS = {"against", "on", "with", "targeting", "at", "upon"}
BOTH_PREPS = {"between"}
LIGHT_VERBS = {"launch", "carry", "conduct", "stage", "mount", "wage", "lead", "begin", "start", "claim", "fight",
               "continue", "intensify", "escalate", "step", "make"}


@dataclass
class Roles:
    agent: ActorMention | None = None
    patient: ActorMention | None = None
    others: list[ActorMention] = field(default_factory=list)


class ActorIndex:
    """Maps tokens to the actor mention covering them (observers left out: they report, they don't fight)."""

    def __init__(self, doc, mentions: list[ActorMention]):
        self.by_token: dict[int, ActorMention] = {}
        for m in mentions:
            if m.actor is None or m.kind == "observer":
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self.by_token.setdefault(t.i, m)

    def of(self, tok: Token | None, depth: int = 0) -> ActorMention | None:
        """The actor a noun phrase refers to: the noun itself, a compound or modifier inside it
        ("ISIS fighters", "Syrian army units"), or what it is "of"/"from" ("fighters of the group")."""
        if tok is None or depth > 3:
            return None
        m = self.by_token.get(tok.i)
        if m is not None:
            return m
        for c in tok.children:
            if c.dep_ in ("compound", "amod", "poss", "nmod", "nummod") and c.i in self.by_token:
                return self.by_token[c.i]
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "from", "loyal"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        found = self.of(p, depth + 1)
                        if found is not None:
                            return found
        return None

    def in_sentence(self, sent) -> list[ActorMention]:
        seen: list[ActorMention] = []
        for t in sent:
            m = self.by_token.get(t.i)
            if m is not None and m not in seen:
                seen.append(m)
        return seen


def _children(tok: Token, deps: tuple[str, ...]) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _verb_roles(verb: Token, index: ActorIndex) -> Roles:
    roles = Roles()
    for s in _children(verb, ("nsubj",)):
        roles.agent = index.of(s)
        if roles.agent is None and s.dep_ == "nsubj" and s.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
            roles.agent = index.of(verb.head)
    for s in _children(verb, ("nsubjpass",)):
        roles.patient = index.of(s)
        if roles.patient is None and s.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
            roles.patient = index.of(verb.head)
    for a in _children(verb, ("agent",)):
        for p in _children(a, ("pobj",)):
            roles.agent = roles.agent or index.of(p)
    for o in _children(verb, ("dobj",)):
        roles.patient = roles.patient or index.of(o)
        for c in _children(o, ("prep",)):  # "drove ISIS out of ...", "killed dozens of soldiers"
            for p in _children(c, ("pobj",)):
                roles.patient = roles.patient or index.of(p)
    for prep in _children(verb, ("prep", "dative")):
        for p in _children(prep, ("pobj",)):
            m = index.of(p)
            if m is None:
                continue
            if prep.lower_ in AGENT_PREPS and roles.agent is None:
                roles.agent = m
            elif prep.lower_ in PATIENT_PREPS and roles.patient is None:
                roles.patient = m
            else:
                roles.others.append(m)
    if roles.agent is None and verb.dep_ == "relcl":
        # "units that moved in": the relative pronoun is the subject
        if any(c.dep_ == "nsubj" and c.lower_ in ("that", "who", "which") for c in verb.children):
            roles.agent = index.of(verb.head)
    if roles.agent is None and verb.dep_ in ("acl",) and verb.tag_ == "VBG":
        roles.agent = index.of(verb.head)  # "fighters holding the town"
    return roles


def _noun_roles(noun: Token, index: ActorIndex) -> Roles:
    roles = Roles()
    for c in noun.children:
        if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i in index.by_token:
            roles.agent = roles.agent or index.by_token[c.i]
    for prep in _children(noun, ("prep",)):
        pobjs = _children(prep, ("pobj",))
        for p in pobjs:
            m = index.of(p)
            if m is None:
                continue
            if prep.lower_ in BOTH_PREPS:
                if roles.agent is None:
                    roles.agent = m
                    for conj in p.conjuncts:
                        roles.patient = roles.patient or index.of(conj)
                else:
                    roles.patient = roles.patient or m
            elif prep.lower_ in AGENT_PREPS or (prep.lower_ == "from" and roles.agent is None):
                roles.agent = roles.agent or m
            elif prep.lower_ in PATIENT_PREPS:
                roles.patient = roles.patient or m
            else:
                roles.others.append(m)
    return roles


def find_roles(anchor: Token, index: ActorIndex) -> Roles:
    """Agent and patient of a trigger. Missing roles are borrowed from the clause that governs
    the trigger: "after driving out X" shares its subject with the main verb, "In fighting ...,
    the group killed 36 soldiers" shares both roles with "killed"."""
    roles = _verb_roles(anchor, index) if anchor.pos_ in ("VERB", "AUX") else _noun_roles(anchor, index)
    tok = anchor
    hops = 0
    while (roles.agent is None or roles.patient is None) and tok.head is not tok and hops < 4:
        link = tok.dep_
        head = tok.head
        hops += 1
        if link in ("relcl",):
            break
        if head.pos_ in ("VERB", "AUX"):
            up = _verb_roles(head, index)
            if link in ("dobj", "nsubj", "nsubjpass") and anchor.pos_ not in ("VERB", "AUX"):
                # "launched an assault": the light verb's subject is the attacker
                if link == "dobj":
                    roles.agent = roles.agent or up.agent
                elif link in ("nsubj",):
                    roles.patient = roles.patient or up.patient  # "an airstrike hit the market"
                    roles.agent = roles.agent or up.agent if up.agent is not roles.patient else roles.agent
                break
            roles.agent = roles.agent or up.agent
            if link in ("prep", "pobj", "pcomp") or anchor.pos_ not in ("VERB", "AUX"):
                roles.patient = roles.patient or up.patient
            if link not in ("xcomp", "advcl", "conj", "prep", "pobj", "pcomp", "ccomp"):
                break
        tok = head
    if roles.patient is not None and roles.agent is not None and roles.patient.actor == roles.agent.actor:
        roles.patient = None
    return roles
