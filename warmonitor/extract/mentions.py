"""From trigger hits to event mentions: roles, modality, time, place and tolls read for each."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Token

from warmonitor.extract.claims import claims_in
from warmonitor.extract.lexicon import Lexicon, TriggerEntry
from warmonitor.extract.modality import non_event_reason
from warmonitor.extract.numbers import Count, deaths_in_sentence
from warmonitor.extract.roles import ActorIndex, Roles, find_roles
from warmonitor.extract.syntax import (attached_to, clause_head, is_attribution, is_relative_clause, sent_of,
                                      sentence_index, sentences, token_at, tokens)
from warmonitor.extract.temporal import TimeExpression, find_time_expressions
from warmonitor.extract.triggers import TriggerHit
from warmonitor.model import ActorMention, Claim, PlaceMention
from warmonitor.nlp.docs import children

ARMED_INTERS = {1, 2, 3, 4, 8}
DETENTION = TriggerEntry(pattern="seize", rule="detention")
TAKING = TriggerEntry(pattern="enter", rule="territory_gain")
WEAPON_OBJECTS = frozenset({"drone", "missile", "rocket", "shell", "projectile", "munition", "bomb", "aircraft", "jet"})
PROTEST_LEMMAS = frozenset({"protest", "demonstrate", "demonstration", "rally", "march", "protester", "demonstrator",
                            "gathering", "sit-in", "marcher"})
TERRITORY_GAINS = frozenset({"Government regains territory", "Non-state actor overtakes territory"})
LEAVING = frozenset({"flee", "withdraw", "retreat", "pull", "abandon", "leave", "evacuate", "quit"})


@dataclass
class EventMention:
    """One trigger read in context. `rule` triggers get their sub-event type once roles are known."""

    hit: TriggerHit
    sentence: int
    roles: Roles
    sub_event_type: str
    weak: bool
    time: TimeExpression | None
    places: list[PlaceMention]
    deaths: list[Count] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    clause_weight: float = 1.0
    unresolved: list[PlaceMention] = field(default_factory=list)  # names in the trigger's phrase no gazetteer knows
    elaboration: bool = False  # joined an event told just before, as more detail of it

    @property
    def anchor(self) -> Token:
        return self.hit.anchor


@dataclass
class SentenceContext:
    index: int
    times: list[TimeExpression]
    places: list[PlaceMention]
    claims: list[Claim]
    deaths: list[tuple[Token, Count]]
    actors: list[ActorMention]
    carried: TimeExpression | None = None  # the last exact day an earlier sentence named


def sentence_contexts(doc: Doc, published: date | None, places: list[PlaceMention], actors: list[ActorMention],
                      index: ActorIndex, lexicon: Lexicon) -> list[SentenceContext]:
    out = []
    last_day = None  # the last exact day named so far, for "two days later"
    last_expr = None
    earlier_claims: list[Claim] = []  # the claims of the sentences before, kept as they come
    for i, sent in enumerate(sentences(doc)):
        carried = last_expr
        times = find_time_expressions(sent.text, published, offset=sent.start_char, anchor=last_day)
        for t in times:
            if t.span is not None and t.span.precision == 1 and t.kind not in ("duration", "offset") \
                    and not _dates_a_statement(doc, t):
                last_day = t.span.event_date
                last_expr = replace(t, kind="carried")
        out.append(SentenceContext(
            index=i,
            times=times,
            places=[p for p in places if sent.start_char <= p.start < sent.end_char],
            claims=claims_in(sent, i, actors, lexicon, list(earlier_claims)),
            deaths=deaths_in_sentence(sent, lexicon),
            actors=index.in_sentence(sent),
            carried=carried,
        ))
        earlier_claims += out[-1].claims
    return out


def _dates_a_statement(doc: Doc, t: TimeExpression) -> bool:
    """'..., officials said on Thursday': the date of the report, not of the event."""
    tok = token_at(doc, t.start)
    return tok is not None and is_attribution(clause_head(tok))


def _time_for(anchor: Token, ctx: SentenceContext, doc: Doc, anchors: set[int]) -> TimeExpression | None:
    """The time expression that dates this trigger: its own, else its governing clause's
    (but never across a relative clause or into the reporting verb)."""
    for t in ctx.times:
        if t.kind == "offset" and t.span is not None:
            # "a day after government air strikes ...": dates what follows "after"
            pivot = token_at(doc, t.end - 1)
            scope = pivot.head if pivot is not None and pivot.dep_ == "mark" else pivot  # "after [clause]"
            if scope is not None and anchor in scope.subtree:
                return t

    def own(target: Token) -> TimeExpression | None:
        # coordinated verbs share their adjuncts: "beat two men ... and set them on fire on Sunday"
        targets = [target] + [c for c in target.conjuncts if c.pos_ in ("VERB", "AUX")]
        attached = []
        for t in ctx.times:
            if t.kind == "offset":
                continue
            tok = token_at(doc, t.start)
            if tok is not None and any(attached_to(tok, x) for x in targets):
                attached.append((t, tok))
        # a time inside a noun trigger's own phrase ("after Tuesday's air strike", "the raid on Sunday") dates it
        # before one of the clause it sits in ("buried their dead on Thursday after ...")
        if target.pos_ in ("NOUN", "PROPN"):
            for t, tok in attached:
                if tok.i != target.i and tok in target.subtree:
                    return t
        return attached[0][0] if attached else None

    found = own(anchor)
    if found is not None:
        return found
    head = clause_head(anchor)
    hops = 0
    while head.dep_ in ("advcl", "xcomp", "conj", "ccomp") and head.head.i != head.i and hops < 4:
        hops += 1
        up = clause_head(head.head)
        if up.lemma_.lower() in ("say", "report", "tell", "claim", "add"):
            break
        found = own(up)
        if found is not None:
            return found
        head = up
    # a sentence that names one time for its events: it dates them all, unless the trigger sits in
    # a relative clause or the time dates only the statement
    event_times = [t for t in ctx.times if t.kind not in ("background", "offset") and not _dates_a_statement(doc, t)
                   and not _dates_another_trigger(doc, t, anchor, anchors)]
    if len(event_times) == 1 and not is_relative_clause(anchor):
        return event_times[0]
    if not ctx.times and not is_relative_clause(anchor):
        # a sentence with no time of its own goes on with the last day the report named
        return ctx.carried
    return None


def _dates_another_trigger(doc: Doc, t: TimeExpression, anchor: Token, anchors: set[int]) -> bool:
    tok = token_at(doc, t.start)
    return tok is not None and any(i != anchor.i and attached_to(tok, doc[i]) for i in anchors)


def _needs_met(hit: TriggerHit, roles: Roles, ctx: SentenceContext, lexicon: Lexicon) -> bool:
    anchor = hit.anchor
    needs = hit.entry.needs
    if "object" in needs and not any(c.dep_ in ("dobj", "nsubjpass") for c in children(anchor)):
        if not (anchor.dep_ in ("amod", "acl", "compound") or hit.length > 1):
            return False
    if "territory" in needs and not _has_territory(hit, ctx, lexicon):
        return False
    if "armed" in needs:
        inters = {m.actor.inter for m in ctx.actors if m.actor is not None}
        if not inters & ARMED_INTERS:
            return False
    if "violent" in needs:
        inters = {m.actor.inter for m in ctx.actors if m.actor is not None}
        weapons = set(lexicon.modality["weapon_words"])
        if not (inters & ARMED_INTERS or any(t.lower_ in weapons for t in tokens(sent_of(anchor)))):
            return False
    if "not_accident" in needs and _accident(anchor, lexicon):
        return False
    if "political" in needs:
        crime = set(lexicon.modality["ordinary_crime_words"])
        if any(t.lemma_.lower() in crime or t.lower_ in crime for t in tokens(sent_of(anchor))):
            return False
    if "property" in needs and not any(
            t.lower_ in lexicon.property_nouns for c in children(anchor)
            if c.dep_ in ("dobj", "nsubjpass", "dative") or (c.dep_ == "prep" and c.lower_ == "to")
            for t in c.subtree):  # "burned houses", "set fire to homes"; not "set bodies on fire at a market"
        return False
    if "used" in needs:
        unused = set(lexicon.modality["non_use_words"])
        t = anchor
        for _ in range(4):  # "took delivery of the first batteries of cruise missiles"
            if t.lemma_.lower() in unused or t.lower_ in unused:
                return False
            if t.head.i == t.i:
                break
            t = t.head
    objects = [c for c in children(anchor) if c.dep_ in ("dobj", "nsubjpass")]
    if "weapon_object" in needs and not any(o.lemma_.lower() in WEAPON_OBJECTS for o in objects):
        return False
    if "people_object" in needs and not any(o.lower_ in lexicon.person_nouns or o.lower_ in lexicon.crowd_words
                                            for o in objects):
        return False
    if "pact" in needs and not any(c.lemma_.lower() in lexicon.pact_nouns for c in children(anchor)
                                   if c.dep_ in ("dobj", "nsubjpass")):
        return False
    if "conflict" in needs:  # 'agreed a prisoner swap', not 'agreed a free-trade pact'
        inters = {m.actor.inter for m in ctx.actors if m.actor is not None}
        words = set(lexicon.modality["conflict_words"])
        if not (inters & ARMED_INTERS or any(t.lemma_.lower() in words or t.lower_ in words
                                             for t in tokens(sent_of(anchor)))):
            return False
    if "not_labour_strike" in needs and _labour_strike(anchor, ctx, lexicon):
        return False
    if "crowd" in needs:
        crowd = any(m.actor is not None and m.actor.inter in (5, 6) for m in ctx.actors)
        if not crowd and not any(t.lower_ in lexicon.crowd_words for t in tokens(sent_of(anchor))):
            return False
    if "protesters" in needs:
        if not any(m.actor is not None and m.actor.inter in (5, 6) for m in ctx.actors):
            return False
    return True


def _labour_strike(anchor: Token, ctx: SentenceContext, lexicon: Lexicon) -> bool:
    """'a hunger strike', 'staged a general strike': a strike that is a protest. A strike a state or armed
    group 'launched' or 'carried out' stays a strike from the air."""
    modifiers = set(lexicon.modality["labour_strike_words"])
    if any(c.dep_ in ("compound", "amod", "nmod", "poss", "nummod") and c.lower_ in modifiers for c in children(anchor)):
        return True
    if anchor.dep_ == "pobj" and anchor.head.lower_ == "on" and anchor.head.head.lemma_.lower() in ("go", "be", "remain"):
        return True
    verbs = set(lexicon.modality["labour_strike_verbs"])
    if anchor.dep_ in ("dobj", "nsubj") and anchor.head.lemma_.lower() in verbs:
        inters = {m.actor.inter for m in ctx.actors if m.actor is not None}
        weapons = set(lexicon.modality["weapon_words"])
        return not (inters & ARMED_INTERS or any(t.lower_ in weapons for t in tokens(sent_of(anchor))))
    return False


def _accident(anchor: Token, lexicon: Lexicon) -> bool:
    """Deaths caused by an accident or a disaster: the governing clauses, their subjects, and what
    the deaths came 'after', 'in' or 'from' name the cause."""
    causes = set(lexicon.modality["non_violent_causes"])
    seen = [anchor]
    t = anchor
    for _ in range(4):
        head = clause_head(t)
        seen.append(head)
        seen += [c for c in children(head) if c.dep_ in ("nsubj", "nsubjpass")]
        seen += [p for c in children(head) if c.dep_ == "prep" for p in children(c) if p.dep_ == "pobj"]
        if head.dep_ not in ("advcl", "conj", "xcomp") or head.head.i == head.i:
            break
        t = head.head
    verbs = set(lexicon.modality["non_violent_verbs"])
    for tok in seen:
        if tok.pos_ in ("VERB", "AUX"):
            if tok.lemma_.lower() in verbs:  # "overturned", "collapsed"; not "fired"
                return True
            continue
        words = {tok.lemma_.lower(), tok.lower_} | {c.lower_ for c in children(tok) if c.dep_ in ("compound", "amod")}
        if words & (causes | verbs):
            return True
    return False


def _has_territory(hit: TriggerHit, ctx: SentenceContext, lexicon: Lexicon) -> bool:
    anchor = hit.anchor
    objects = [c for c in children(anchor) if c.dep_ in ("dobj", "nsubjpass", "attr")]
    if hit.length > 1 or not objects:
        # "took over two fields", "gained ground in X", "moved into the town": the ground may sit
        # in a prepositional phrase; a one-word verb with an object ("took a jab at the US",
        # "took place at the airbase") must name the ground as its object
        for prep in (c for c in children(anchor) if c.dep_ in ("prep", "prt")):
            objects += [p for p in children(prep) if p.dep_ == "pobj"]
    objects += [anchor.doc[i] for i in range(hit.start, hit.end) if i != anchor.i]
    if anchor.dep_ == "relcl":
        objects.append(anchor.head)  # "the area that rebels abandoned": the object is the noun described
    for obj in objects:
        if obj.lemma_.lower() in lexicon.territory_nouns or obj.lower_ in lexicon.territory_nouns:
            if obj.lower_ == "part" and not any(c.lower_ == "of" for c in children(obj)):
                continue  # "took part in the talks"
            return True
        # the object names a place itself ("captured Kandahar", "took the town of X"), not something
        # that merely came from one ("took delivery of missiles from India")
        if any(p.start <= obj.idx < p.end and p.role == "mention" for p in ctx.places):
            return True
    return False


def _instrument(hit: TriggerHit, roles: Roles, lexicon: Lexicon) -> str | None:
    """'Warplanes struck', 'mortar rounds hit': the weapon named by the subject decides the type."""
    words = {t.lower_ for c in children(hit.anchor) if c.dep_ in ("nsubj", "nsubjpass", "agent") for t in c.subtree}
    if roles.agent is not None:
        words |= set(roles.agent.text.lower().split())
    for sub_type, vocabulary in lexicon.instrument_words.items():
        if words & vocabulary:
            return sub_type
    return None


def rule_type(hit: TriggerHit, roles: Roles, lexicon: Lexicon) -> str:
    entry = hit.entry
    if entry.sub_event_type:
        return entry.sub_event_type
    if entry.rule == "instrument":
        found = _instrument(hit, roles, lexicon)
        if found is not None:
            return found
        if entry.default and lexicon.event_type(entry.default) == "Explosions/Remote violence":
            # ACLED: the weapon decides the type, whoever it hit ("a bombing killed 15 shoppers")
            state = roles.agent is not None and roles.agent.actor is not None and roles.agent.actor.inter == 1
            return entry.state_default if state and entry.state_default else entry.default
    agent = roles.agent.actor if roles.agent else None
    patient = roles.patient.actor if roles.patient else None
    if entry.rule in ("violence", "instrument"):
        if patient is not None and patient.inter == 6 and (agent is None or agent.inter == 1):
            return "Excessive force against protesters"
        if agent is not None and agent.inter == 1 and (patient is None or patient.inter == 7) and \
                any(t.lemma_.lower() in PROTEST_LEMMAS for t in tokens(sent_of(hit.anchor))):
            return "Excessive force against protesters"  # "fired on crowds marching toward the centre"
        if agent is not None and agent.inter in (5, 6):
            return "Mob violence" if patient is not None and patient.inter == 7 else "Violent demonstration"
        if patient is not None and patient.inter == 7:
            return "Attack"
        return entry.default or "Armed clash"
    if entry.rule == "territory_gain":
        if agent is not None and agent.inter == 1:
            return "Government regains territory"
        return "Non-state actor overtakes territory"
    if entry.rule in ("territory_leave", "territory_enter"):
        return "Non-violent transfer of territory"
    if entry.rule == "destruction":
        # a crowd burning property riots -- as a demonstration when it protests, as a mob otherwise;
        # armed men burning it destroy property
        crowd = agent is None and any(
            t.lower_ in lexicon.crowd_words for c in children(hit.anchor) if c.dep_ == "nsubj" for t in c.subtree)
        if crowd or (agent is not None and agent.inter in (5, 6, 7)):
            protest = (agent is not None and agent.inter == 6) or any(t.lemma_.lower() in PROTEST_LEMMAS for t in tokens(sent_of(hit.anchor)))
            return "Violent demonstration" if protest else "Mob violence"
        return "Looting/property destruction"
    if entry.rule == "detention":
        # only states arrest; armed groups that seize people abduct them
        return "Arrests" if agent is None or agent.inter == 1 else "Abduction/forced disappearance"
    return entry.default or "Armed clash"


def read_mentions(doc: Doc, hits: list[TriggerHit], contexts: list[SentenceContext], index: ActorIndex,
                  lexicon: Lexicon, focus_iso: int | None = None
                  ) -> tuple[list[EventMention], list[tuple[TriggerHit, str]]]:
    """Mentions that pass the modality, background and argument checks; and the rejected ones with why."""
    sent_of = {}
    for i, sent in enumerate(sentences(doc)):
        for k in range(sent.start, sent.end):
            sent_of[k] = i
    kept: list[EventMention] = []
    rejected: list[tuple[TriggerHit, str]] = []
    anchors = {h.anchor.i for h in hits}
    read: set[int] = set()  # anchors already read as a mention: alternatives for them are skipped
    for hit in hits:
        anchor = hit.anchor
        if anchor.i in read:
            continue
        ctx = contexts[sent_of[anchor.i]]
        reason = non_event_reason(anchor, lexicon) or _idiom_or_cumulative(anchor, lexicon) or _sport(anchor, ctx, lexicon)
        if reason and reason.startswith("intention") and hit.entry.nominal_type == "Agreement":
            reason = None  # "agreed to leave under a deal": the deal is made, whatever it is for
        if reason is None and any(c.dep_ == "advmod" and c.lower_ == "since" for c in children(clause_head(anchor))):
            reason = "background (since)"  # "has since seized large parts of the province"
        if reason:
            rejected.append((hit, reason))
            continue
        roles = find_roles(anchor, index)
        if hit.entry.rule == "territory_enter" and any(
                h.entry.nominal_type == "Armed clash" and sentence_index(h.anchor) == sentence_index(anchor)
                and non_event_reason(h.anchor, lexicon) is None for h in hits):
            # "moved into the town after overnight fighting": ground taken by force
            hit = TriggerHit(TAKING, hit.start, hit.end, anchor)
        if hit.entry.rule == "territory_gain" and _seizes_people(anchor, lexicon):
            # "RSF fighters seized three doctors": people taken, not ground
            hit = TriggerHit(DETENTION, hit.start, hit.end, anchor)
            roles = find_roles(anchor, index)
        if hit.entry.rule == "territory_gain" and roles.patient is None:
            # "recaptured the town from Al Shabaab": the loser is named after "from"
            for prep in (c for c in children(anchor) if c.dep_ == "prep" and c.lower_ == "from"):
                for pobj in (c for c in children(prep) if c.dep_ == "pobj"):
                    roles.patient = roles.patient or index.of(pobj)
        if hit.entry.rule == "territory_gain" and roles.patient is None:
            # "captured the town after Congolese troops fled": who fled lost it
            for clause in (c for c in children(anchor) if c.dep_ == "advcl" and c.lemma_.lower() in LEAVING):
                for subj in (c for c in children(clause) if c.dep_ == "nsubj"):
                    roles.patient = roles.patient or index.of(subj)
        if hit.entry.rule == "territory_leave" and roles.agent is not None:
            # the subject of "withdrew"/"quit" gives the ground up: it is the second actor
            roles = Roles(agent=None, patient=roles.agent, others=roles.others)
        if not _needs_met(hit, roles, ctx, lexicon):
            rejected.append((hit, "arguments missing"))
            continue
        time = _time_for(anchor, ctx, doc, anchors)
        if time is not None and time.kind == "background":
            rejected.append((hit, f"background ({time.text})"))
            continue
        if time is None and any(t.kind == "background" and attached_to(token_at(doc, t.start), anchor)
                                for t in ctx.times):
            rejected.append((hit, "background"))
            continue
        if _past_perfect(anchor) and (time is None or time.span is None or time.span.precision > 1):
            rejected.append((hit, "background (past perfect)"))
            continue
        if anchor.dep_ == "pobj" and anchor.head.dep_ == "agent" and anchor.head.head.dep_ == "acl" and time is None:
            rejected.append((hit, "descriptive (displaced by fighting)"))
            continue
        relative = is_relative_clause(anchor) and not _consequence(anchor)
        describes_trigger = clause_head(anchor).head.i in anchors  # "clashes that killed 18 soldiers"
        if relative and time is None and not describes_trigger:
            rejected.append((hit, "descriptive relative clause"))
            continue
        places = _places_for(hit, ctx, focus_iso)
        read.add(anchor.i)
        mention = EventMention(
            hit=hit, sentence=ctx.index, roles=roles, sub_event_type=rule_type(hit, roles, lexicon),
            weak=hit.entry.weak, time=time, places=places,
            claims=ctx.claims,
            unresolved=_unresolved_places(hit, ctx),
            clause_weight=_clause_weight(anchor, relative),
        )
        kept.append(mention)
    _assign_deaths(kept, contexts, index, lexicon)
    for m in kept:
        if m.sub_event_type in TERRITORY_GAINS and _held_briefly(m, doc, lexicon):
            m.sub_event_type = "Armed clash"
    return kept, rejected


def _held_briefly(mention: EventMention, doc: Doc, lexicon: Lexicon) -> bool:
    """'seized the town but were driven out hours later': its sentence or the next tells the ground was
    lost again within the day."""
    sents = sentences(doc)
    told = " ".join(s.text.lower() for s in sents[mention.sentence:mention.sentence + 2])
    return any(re.search(r"\b" + re.escape(cue) + r"\b", told) for cue in lexicon.brief_hold_cues)


def _sport(anchor: Token, ctx: SentenceContext, lexicon: Lexicon) -> str | None:
    """'stormed the opposition defence', 'launched a late offensive and captured a 2-1 win'."""
    if any(m.actor is not None and m.actor.inter in ARMED_INTERS for m in ctx.actors):
        return None
    words = set(lexicon.modality["sports_words"])
    found = {t.lower_ for t in tokens(sent_of(anchor)) if t.lower_ in words}
    return "sport" if len(found) >= 2 else None


def _idiom_or_cumulative(anchor: Token, lexicon: Lexicon) -> str | None:
    """'killing off their hopes' is no killing; 'the war has killed hundreds of thousands' sums a
    whole war."""
    if any(c.dep_ == "prt" and c.lower_ == "off" for c in children(anchor)):
        return "idiom (off)"
    cumulative = set(lexicon.modality["cumulative_subjects"])
    subjects = [c for c in children(anchor) if c.dep_ in ("nsubj",)]
    if anchor.lemma_.lower() in ("kill", "displace", "claim") and any(s.lemma_.lower() in cumulative for s in subjects):
        return "background (cumulative toll)"
    return None


def _unresolved_places(hit: TriggerHit, ctx: SentenceContext) -> list[PlaceMention]:
    sub = list(hit.anchor.subtree)
    lo, hi = sub[0].idx, sub[-1].idx + len(sub[-1].text)
    return [p for p in ctx.places if p.place is None and p.role == "mention" and lo <= p.start < hi]


def _clause_weight(anchor: Token, relative: bool) -> float:
    """The main clause tells the main event; a coordinated clause a little less; the rest less still."""
    dep = clause_head(anchor).dep_
    if relative:
        return 0.5
    return {"ROOT": 1.0, "ccomp": 1.0, "conj": 0.8}.get(dep, 0.5)


def _seizes_people(anchor: Token, lexicon: Lexicon) -> bool:
    return any(c.dep_ in ("dobj", "nsubjpass") and c.lower_ in lexicon.person_nouns for c in children(anchor))


def _consequence(anchor: Token) -> bool:
    head = clause_head(anchor)
    return head.tag_ == "VBG" and head.i > 0 and head.doc[head.i - 1].text == ","


def _past_perfect(anchor: Token) -> bool:
    """'A truce ... had already collapsed', 'rebels had held the town': told as background --
    unless reported speech shifted the tense ("the minister said troops had liberated the village")."""
    head = clause_head(anchor)
    if head.dep_ == "ccomp" and is_attribution(head.head):
        return False
    if anchor.pos_ not in ("VERB", "AUX") and anchor.dep_ not in ("nsubj", "nsubjpass", "dobj"):
        return False
    return any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in children(head)) and head.tag_ == "VBN"


def _places_for(hit: TriggerHit, ctx: SentenceContext, focus_iso: int | None) -> list[PlaceMention]:
    """Places of the trigger's own phrase first, then the rest of its sentence. A foreign country
    named beside the event ("a deal brokered by Russia") is a party, not the place."""
    candidates = [p for p in ctx.places if p.place is not None and p.role == "mention"
                  and not (p.place.feature == "country" and focus_iso is not None and p.place.iso != focus_iso)]
    sub = list(hit.anchor.subtree)
    lo, hi = sub[0].idx, sub[-1].idx + len(sub[-1].text)
    own = [p for p in candidates if lo <= p.start < hi]
    rest = [p for p in candidates if p not in own]
    return own + rest


def _assign_deaths(mentions: list[EventMention], contexts: list[SentenceContext], index: ActorIndex,
                   lexicon: Lexicon) -> None:
    """Each toll goes to the nearest mention of its sentence; a victim noun fills a missing patient."""
    by_sentence: dict[int, list[EventMention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    for ctx in contexts:
        ms = by_sentence.get(ctx.index)
        if not ms:
            continue
        for death_word, count in ctx.deaths:
            nearest = min(ms, key=lambda m: (m.anchor != death_word, abs(m.anchor.i - death_word.i)))
            nearest.deaths.append(count)
            if count.victim is not None and nearest.roles.patient is None:
                victim = index.of(count.victim) or index.unnamed_person(count.victim)
                if victim is not None and (nearest.roles.agent is None or victim.actor != nearest.roles.agent.actor):
                    nearest.roles.patient = victim
                    nearest.sub_event_type = rule_type(nearest.hit, nearest.roles, lexicon)


def model_mention(doc: Doc, anchor: Token, sub_event_type: str, contexts: list[SentenceContext],
                  index: ActorIndex, lexicon: Lexicon, focus_iso: int | None = None) -> EventMention:
    """A mention the type classifier vouches for where the rules kept none: read at `anchor` (the trigger
    the rules set aside, or the head of the sentence that tells the event) with its type fixed."""
    ctx = contexts[sentence_index(anchor)]
    hit = TriggerHit(TriggerEntry(pattern=anchor.lemma_.lower(), sub_event_type=sub_event_type), anchor.i,
                     anchor.i + 1, anchor)
    mention = EventMention(
        hit=hit, sentence=ctx.index, roles=find_roles(anchor, index), sub_event_type=sub_event_type, weak=False,
        time=_time_for(anchor, ctx, doc, {anchor.i}), places=_places_for(hit, ctx, focus_iso), claims=ctx.claims,
        unresolved=_unresolved_places(hit, ctx), clause_weight=_clause_weight(anchor, is_relative_clause(anchor)),
    )
    _assign_deaths([mention], contexts, index, lexicon)
    mention.sub_event_type = sub_event_type  # the classifier's type stands, whatever the victims suggest
    return mention
