"""Who did what to whom: the actors in a trigger's syntactic roles."""
from __future__ import annotations

from dataclasses import dataclass, field

from typing import Callable

from spacy.tokens import Token

from warmonitor.extract.syntax import clause_head, is_attribution, sent_of, sentence_index, sentences, tokens
from warmonitor.model import Actor, ActorMention
from warmonitor.nlp.docs import children

CIVILIANS = "Civilians ({country})"  # the generic template for unnamed victims
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
    allies: list[ActorMention] = field(default_factory=list)  # fight beside the agent: ACLED's assoc_actor_1


class ActorIndex:
    """Maps tokens to the actor mention covering them (observers left out: they report, they don't fight).

    `modifier` names the actor behind a modifier word of an event noun ("government air strikes",
    "Russian shelling"), which the actor layer does not report as a mention of its own."""

    def __init__(self, doc, mentions: list[ActorMention], modifier: Callable[[Token], Actor | None] | None = None,
                 civilians: Actor | None = None, person_nouns: frozenset[str] = frozenset(),
                 military_assets: frozenset[str] = frozenset(), symmetric_lemmas: frozenset[str] = frozenset()):
        self.modifier = modifier
        self.symmetric_lemmas = symmetric_lemmas
        self.military_assets = military_assets
        self.person_nouns = person_nouns
        self.civilians = civilians  # the article country's civilians, for unnamed victims
        self.sentence_of = {s.start: i for i, s in enumerate(sentences(doc))}
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
            if m.kind in ("generic", "descriptor"):
                # "jihadists from the rival Islamic State West Africa Province": the name wins
                named = self._named_in_prep(tok, depth)
                if named is not None:
                    return named
            return m
        for c in children(tok):
            if c.dep_ in ("compound", "amod", "poss", "nmod", "nummod") and c.i in self.by_token:
                return self.by_token[c.i]
        if tok.lower_ in self.military_assets or tok.lemma_.lower() in self.military_assets:
            for c in children(tok):
                if c.dep_ in ("compound", "amod"):  # "army positions", "rebel checkpoints"
                    m = self.modifier_of(c)
                    if m is not None:
                        return m
        for c in children(tok):
            if c.dep_ == "prep" and c.lower_ in ("of", "from", "loyal"):
                for p in children(c):
                    if p.dep_ == "pobj":
                        found = self.of(p, depth + 1)
                        if found is not None:
                            return found
        return None

    def _named_in_prep(self, tok: Token, depth: int) -> ActorMention | None:
        for c in children(tok):
            if c.dep_ == "prep" and c.lower_ in ("of", "from"):
                for p in children(c):
                    m = self.by_token.get(p.i) if p.dep_ == "pobj" else None
                    if m is None and p.dep_ == "pobj":
                        m = next((self.by_token[x.i] for x in p.subtree if x.i in self.by_token), None)
                    if m is not None and m.kind == "named":
                        return m
        return None

    def modifier_of(self, tok: Token) -> ActorMention | None:
        if self.modifier is None:
            return None
        actor = self.modifier(tok)
        if actor is None:
            return None
        m = ActorMention(tok.idx, tok.idx + len(tok.text), tok.text, sentence_index(tok), actor,
                         kind="modifier", head=tok.idx)
        self.by_token[tok.i] = m
        return m

    def unnamed_person(self, noun: Token) -> ActorMention | None:
        """'a shepherd', 'a council member and his son', '40 young men': people who belong to no
        armed group are civilians."""
        if self.civilians is None or noun.lower_ not in self.person_nouns:
            return None
        return ActorMention(noun.idx, noun.idx + len(noun.text), noun.text, sentence_index(noun),
                            self.civilians, kind="generic", head=noun.idx, template=CIVILIANS,
                            country_from="focus")

    def in_sentence(self, sent) -> list[ActorMention]:
        seen: list[ActorMention] = []
        for t in tokens(sent):
            m = self.by_token.get(t.i)
            if m is not None and m not in seen:
                seen.append(m)
        return seen


def _children(tok: Token, deps: tuple[str, ...]) -> list[Token]:
    return [c for c in children(tok) if c.dep_ in deps]


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
    if roles.agent is not None:
        # "Houthi forces and government troops fought": with a symmetric verb the second subject is
        # the other side; "troops and allied militiamen recaptured": otherwise it is an ally
        for s in _children(verb, ("nsubj",)):
            for conj in s.conjuncts:
                other = index.of(conj)
                if other is None or other.actor == roles.agent.actor:
                    continue
                if verb.lemma_.lower() in index.symmetric_lemmas and roles.patient is None:
                    roles.patient = other
                elif other not in roles.allies:
                    roles.allies.append(other)
    if roles.agent is None and verb.dep_ == "relcl":
        # "units that moved in": the relative pronoun is the subject
        if any(c.dep_ == "nsubj" and c.lower_ in ("that", "who", "which") for c in children(verb)):
            roles.agent = index.of(verb.head)
    if roles.agent is None and verb.dep_ == "acl" and (
            verb.tag_ == "VBG" or any(c.dep_ == "dobj" for c in children(verb))):
        # "fighters holding the town"; and "forces arrested 40 men", a main verb the parser took for a participle
        roles.agent = index.of(verb.head)
    if roles.patient is None:
        for o in _children(verb, ("dobj", "nsubjpass")):
            roles.patient = index.unnamed_person(o)
            if roles.patient is not None:
                break
    return roles


def _noun_roles(noun: Token, index: ActorIndex) -> Roles:
    roles = Roles()
    # "shells fired by rebels", "a bomb planted by the group": a participle describing the weapon
    owner = noun.head if noun.dep_ == "compound" else noun
    for acl in (c for c in children(owner) if c.dep_ == "acl"):
        up = _verb_roles(acl, index)
        roles.agent = roles.agent or up.agent
    modifiers = [c for c in children(noun) if c.dep_ in ("poss", "compound", "amod", "nmod")]
    modifiers += [g for c in modifiers for g in children(c) if g.dep_ in ("compound", "amod")]  # "government air strikes"
    for c in modifiers:
        m = index.by_token.get(c.i) or index.modifier_of(c)
        if m is not None:
            roles.agent = roles.agent or m
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
    while (roles.agent is None or roles.patient is None) and tok.head.i != tok.i and hops < 4:
        link = tok.dep_
        head = tok.head
        hops += 1
        if link in ("relcl",):
            break
        if head.pos_ in ("VERB", "AUX"):
            if is_attribution(head) and link in ("ccomp", "conj", "parataxis"):
                break  # "X said the army shelled ...": the speaker is not a participant
            up = _verb_roles(head, index)
            if link in ("dobj", "nsubj", "nsubjpass") and anchor.pos_ not in ("VERB", "AUX"):
                # "launched an assault": the light verb's subject is the attacker
                if link == "dobj":
                    roles.agent = roles.agent or up.agent
                elif link in ("nsubj",):
                    roles.patient = roles.patient or up.patient  # "an airstrike hit the market"
                    if roles.agent is None and up.agent is not roles.patient:
                        roles.agent = up.agent
                break
            roles.agent = roles.agent or up.agent
            if link in ("prep", "pobj", "pcomp") or anchor.pos_ not in ("VERB", "AUX"):
                roles.patient = roles.patient or up.patient
            if link not in ("xcomp", "advcl", "conj", "prep", "pobj", "pcomp", "ccomp"):
                break
        tok = head
    if roles.patient is not None and roles.agent is not None and roles.patient.actor == roles.agent.actor:
        roles.patient = None
    if roles.agent is None:
        roles.agent = _left_modifier(anchor, index)
    if roles.agent is None:
        roles.agent, object_actor = _nearest_armed(anchor, index, exclude=roles.patient)
        if roles.patient is None and object_actor is not None and object_actor is not roles.agent:
            roles.patient = object_actor
    return roles


ARMED = {1, 2, 3, 4, 8}


def _left_modifier(anchor: Token, index: ActorIndex) -> ActorMention | None:
    """'government shelling', 'Russian air strikes': the word just before an event noun names its
    author, even where the small parser takes the gerund for a verb."""
    for offset in (1, 2, 3):
        i = anchor.i - offset
        if i < sent_of(anchor).start:
            break
        tok = anchor.doc[i]
        if tok.is_punct or tok.pos_ in ("VERB", "AUX", "ADP", "DET", "PRON", "NUM"):
            break
        m = index.by_token.get(tok.i) if tok.i in index.by_token else index.modifier_of(tok)
        if m is not None:
            return m
    return None


def _nearest_armed(anchor: Token, index: ActorIndex, exclude: ActorMention | None
                   ) -> tuple[ActorMention | None, ActorMention | None]:
    """When the parse gives no subject, the armed actor named closest before the trigger in its
    sentence is the likeliest attacker (wire style puts the attacker first) -- unless it sits inside
    the object of the trigger's clause ("struck a vehicle carrying SDF members"): then it is the
    likeliest target. Returns (agent, target)."""
    head = clause_head(anchor)
    heads = [head]
    while head.dep_ in ("advcl", "xcomp", "conj") and head.head.i != head.i:
        head = clause_head(head.head)
        heads.append(head)
    objects = set()
    for c in (c for h in heads for c in children(h)):
        if c.dep_ in ("dobj", "attr", "dative") or (c.dep_ == "prep" and c.lower_ not in ("by",)):
            objects |= {t.i for t in c.subtree}
    best = target = None
    for m in index.in_sentence(sent_of(anchor)):
        if m is exclude or m.actor is None or m.actor.inter not in ARMED:
            continue
        if exclude is not None and exclude.actor == m.actor:
            continue
        tok = anchor.doc.char_span(m.start, m.end, alignment_mode="expand")
        inside = tok is not None and any(t.i in objects for t in tok)
        if inside:
            target = target or m
        elif m.start < anchor.idx:
            best = m
    return best, target
