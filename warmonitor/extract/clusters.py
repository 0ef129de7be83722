"""Group an article's mentions into events: one cluster per happening, told once or many times."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from warmonitor.extract.lexicon import Lexicon
from warmonitor.extract.mentions import EventMention
from warmonitor.extract.syntax import sent_of
from warmonitor.model import Actor, Place
from warmonitor.nlp.docs import doc_text

VIOLENT = "violent"
# Words that open a sentence about another event than the one before.
# A preposition of direction up to three words before a name: "the main road to", "fleeing from the city of".
HEADING_BEFORE = re.compile(r"\b(?:to|towards?|from|via)\b(?:\s+\S+){0,3}\s*$", re.I)
NEW_EVENT_MARKERS = frozenset({"separately", "elsewhere", "meanwhile", "also", "earlier", "later", "in", "on", "last"})


def side(actor: Actor) -> str:
    """The side an actor fights on: a state's army, police and government are one side."""
    if actor.inter == 1 and actor.country:
        return f"state:{actor.country}"
    return actor.name


# Sides that a report may name differently from one sentence to the next: armed groups of no
# state ("militants", "jihadists", "gunmen"), and crowds ("people", "protesters", "residents").
KINDS = ({2, 3, 4}, {5, 6, 7})


def same_kind(a: Actor, b: Actor) -> bool:
    return side(a) == side(b) or any(a.inter in k and b.inter in k for k in KINDS)


@dataclass
class Cluster:
    mentions: list[EventMention] = field(default_factory=list)

    @property
    def strong(self) -> list[EventMention]:
        return [m for m in self.mentions if not m.weak]

    @property
    def core(self) -> list[EventMention]:
        """The mentions that define the event; elaborations only add detail."""
        return [m for m in self.mentions if not m.elaboration] or self.mentions

    def actors(self) -> set[str]:
        return {side(am.actor) for m in self.mentions for am in (m.roles.agent, m.roles.patient)
                if am is not None and am.actor is not None}

    def span(self, default: tuple[date, date] | None) -> tuple[date, date] | None:
        explicit = [m.time.span for m in self.mentions if m.time is not None and m.time.span is not None]
        if explicit:
            return max(s.start for s in explicit), min(s.end for s in explicit)
        return default

    def places(self) -> list[Place]:
        return [p.place for m in self.mentions for p in m.places[:1] if p.place is not None]


class MentionClusterer:
    """Clusters the mentions of one article. `within(child, parent)` is the place layer's containment test."""

    def __init__(self, lexicon: Lexicon, within: Callable[[Place, Place], bool]):
        self.lexicon = lexicon
        self.within = within

    def _family(self, m: EventMention) -> str:
        return self.lexicon.family(m.sub_event_type)

    def _compatible(self, c: Cluster, m: EventMention, default: tuple[date, date] | None) -> bool:
        fam = self._family(m)
        fams = {self._family(x) for x in c.mentions}
        same_sentence = m.sentence in {x.sentence for x in c.mentions}
        if self._elaborates(c, m):
            m.elaboration = True  # tells more of the event; it neither retypes nor relocates it
            return True
        if fam not in fams:
            # a toll told beside any event, or a withdrawal beside a battle, is part of that event
            joins = m.weak and (m.hit.entry.rule == "violence" or (
                m.hit.entry.rule == "territory_leave" and VIOLENT in fams))
            if not joins or not same_sentence:
                return False
        if any(self.lexicon.separate(m.sub_event_type, x.sub_event_type) for x in c.mentions):
            return False
        span_c = c.span(default)
        span_m = (m.time.span.start, m.time.span.end) if m.time and m.time.span else default
        if span_c and span_m and (span_m[0] > span_c[1] or span_c[0] > span_m[1]):
            return False
        names = {side(am.actor) for am in (m.roles.agent, m.roles.patient) if am is not None and am.actor is not None}
        cnames = c.actors()
        # two different pairs of sides are two events; a single side may be a misread role
        if len(names) >= 2 and len(cnames) >= 2 and not names & cnames:
            return False
        mp = [p.place for p in m.places[:1] if p.place is not None]
        cp = c.places()
        if mp and mp[0].feature != "country":
            # "air strikes in Syria" holds any Syrian town, but once the event has a town, another town
            # elsewhere is another event
            cp = [q for q in cp if q.feature != "country"] or cp
        if mp and cp and not any(self.same_area(mp[0], q) for q in cp):
            return False
        return True

    def _elsewhere(self, c: Cluster, m: EventMention) -> bool:
        """The mention puts itself in a town ("the road to Damascus" goes elsewhere, it is not there), and the
        event already has towns, none of them in the same area."""
        text = doc_text(m.anchor.doc)  # built once per doc: spaCy joins every token on each .text
        mp = [p.place for p in m.places[:1] if p.place is not None and p.place.feature != "country"
              and not HEADING_BEFORE.search(text[max(0, p.start - 40):p.start])]
        cp = [q for q in c.places() if q.feature != "country"]
        return bool(mp and cp) and not any(self.same_area(mp[0], q) for q in cp)

    def _elaborates(self, c: Cluster, m: EventMention) -> bool:
        """'Suspected jihadists killed dozens last week in an attack near Djibo. Gunmen on motorbikes
        rounded up men at the market and shot them.' An undated sentence right after an event, by the
        same kind of attacker, tells more of that event, unless it opens with a new-event marker."""
        if (m.time is not None and m.time.kind != "carried") or m.sentence - max(x.sentence for x in c.mentions) != 1:
            return False
        if not any(x.time is not None for x in c.mentions):
            return False
        first_word = sent_of(m.anchor)[0].lower_
        if first_word in NEW_EVENT_MARKERS:
            return False
        if self._family(m) not in ({self._family(x) for x in c.mentions} | {"abduction"}):
            return False
        if self._elsewhere(c, m):
            return False  # "... In the same context, a civilian was killed in al-Fouaa": the next town's event
        a = m.roles.agent.actor if m.roles.agent is not None and m.roles.agent.actor is not None else None
        agents = [x.roles.agent.actor for x in c.mentions if x.roles.agent is not None and x.roles.agent.actor]
        if a is None:
            # "the men were taken from their homes": no new author, the same kind of event
            return self._family(m) in {self._family(x) for x in c.mentions}
        return not agents or any(same_kind(a, b) for b in agents)

    def same_area(self, a: Place, b: Place) -> bool:
        if a.name == b.name and a.country == b.country:
            return True
        return self.within(a, b) or self.within(b, a)

    def cluster(self, mentions: list[EventMention], default: tuple[date, date] | None) -> list[Cluster]:
        clusters: list[Cluster] = []
        for m in mentions:
            for c in reversed(clusters):
                if self._compatible(c, m, default):
                    c.mentions.append(m)
                    break
            else:
                clusters.append(Cluster([m]))
        # weak-only clusters are kept when they are told more than once, dated, or the only news
        has_strong = any(c.strong for c in clusters)
        return [c for c in clusters
                if c.strong or not has_strong or len(c.mentions) >= 2
                or any(m.time is not None and m.time.kind != "carried" for m in c.mentions)
                or any(m.deaths for m in c.mentions)]

