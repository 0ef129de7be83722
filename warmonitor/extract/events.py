"""Code each cluster of mentions as one ACLED record: type, actors, date, place, toll, claims, evidence."""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from typing import Callable

from warmonitor.extract.clusters import Cluster, MentionClusterer
from warmonitor.extract.lexicon import Lexicon
from warmonitor.extract.mentions import EventMention, rule_type
from warmonitor.extract.roles import Roles
from warmonitor.extract.syntax import sent_of, sentences, tokens
from warmonitor.resolve.gazetteer import fold, names_in
from warmonitor.resolve.victim_groups import VictimGroups
from warmonitor.model import Actor, ActorMention, Article, Claim, Event, Evidence, Mention, Place, PlaceMention

# How specific a place is: lower is finer. A neighbourhood beats its city, a city its province.
FEATURE_RANK = {"neighbourhood": 0, "village": 1, "town": 1, "city": 2, "camp": 1, "locality": 1,
                "admin3": 3, "admin2": 4, "region": 5, "admin1": 5, "country": 7}
VICINITY_WORDS = frozenset({"area", "vicinity", "nearby", "outskirts", "countryside", "surroundings", "around"})


FOCUS_SALIENCE = 1.0
CIVILIAN_INTER = 7
TITLE_PLACE_SALIENCE = 1.5


def _named_in(title: str, event: Event, title_units: dict[str, int] | None = None) -> bool:
    """Whether the headline names the event's place or its province: in any spelling the gazetteer folds alike,
    or as a place the article names in the headline's words (`title_units`: their names and provinces)."""
    names = [n for n in (event.location, event.admin1) if n and n != event.country]
    return any(names_in(n, title) for n in names) or any(n in (title_units or {}) for n in names)


def _title_units(title: str, places: list[PlaceMention]) -> dict[str, int]:
    """Names and provinces of the article's places that the headline names, as the text writes them or by the
    place's own name ("central Hama province" in the text, "Syria's Hama" in the headline), each with where the
    headline first names it: a headline names its main place first."""
    units: dict[str, int] = {}
    folded = f" {fold(title)} "
    for p in places:
        if p.place is None or p.place.feature == "country":
            continue
        # where each of the two spellings stands in the headline, as whole words (-1: not there)
        at = [i for i in (folded.find(f" {key} ") for key in {fold(p.text), fold(p.place.name)} - {""}) if i >= 0]
        if at:
            for n in (p.place.name, p.place.admin1):
                if n:
                    units[n] = min(units.get(n, len(folded)), min(at))
    return units


def _titled(places: list[PlaceMention], title_units: dict[str, int] | None) -> list[PlaceMention]:
    """The places the headline names, in the headline's order."""
    units = title_units or {}
    return sorted((p for p in places if p.place.name in units), key=lambda p: units[p.place.name])


# The headline and the lead: where a report says, once, where the story happens.
LEAD_SENTENCES = 1


def report_window(article: Article) -> tuple[date, date] | None:
    """What a report that names no date allows: the day before it and its own day."""
    if article.published is None:
        return None
    return article.published - timedelta(days=1), article.published


def feature_rank(place: Place) -> int:
    return FEATURE_RANK.get(place.feature or "", 2) + (place.geo_precision or 1) - 1


def _named_source(mention: ActorMention, actor_mentions: list[ActorMention]) -> ActorMention:
    """The mention that named the actor a descriptor or pronoun points back to, through a chain of them."""
    seen = set()
    while mention.antecedent is not None and mention.antecedent < len(actor_mentions) \
            and mention.antecedent not in seen:
        seen.add(mention.antecedent)
        mention = actor_mentions[mention.antecedent]
    return mention


def _localised(mention: ActorMention | None, actor: Actor | None, country: str | None, country_actor) -> Actor | None:
    """"Gunmen" in a Nigerian paper's report from Niger are Niger's: a generic actor whose country came only
    from the article's focus takes the event's country."""
    if (mention is None or actor is None or not country or mention.template is None
            or mention.country_from == "nationality" or actor.country == country):
        return actor
    return country_actor(mention.template, country) or actor


class EventCoder:
    """Turns clusters into events, most salient first."""

    def __init__(self, lexicon: Lexicon, clusterer: MentionClusterer,
                 region_of: Callable[[str | None], str | None] = lambda iso2: None,
                 admin1_of: Callable[[Place], Place | None] = lambda place: None,
                 victims: VictimGroups | None = None):
        self.lexicon = lexicon
        self.victims = victims
        self.clusterer = clusterer
        self.region_of = region_of
        self.admin1_of = admin1_of

    def _family(self, m: EventMention) -> str:
        return self.lexicon.family(m.sub_event_type)

    def _same_area(self, a: Place, b: Place) -> bool:
        return self.clusterer.same_area(a, b)

    def code(self, article: Article, clusters: list[Cluster], title_types: set[str],
             focus: Place | None, fallback_places: list[PlaceMention],
             country_actor: Callable[[str, str], Actor | None], claims: list[Claim] = (),
             actor_mentions: list[ActorMention] = ()) -> list[Event]:
        default = report_window(article)
        scored = []
        title_units = _title_units(article.title, fallback_places) if article.title else {}
        for c in clusters:
            event = self._code_one(article, c, default, focus, fallback_places, country_actor, list(claims),
                                   list(actor_mentions), title_units)
            salience = self._salience(c, event, title_types)
            if focus is not None and event.iso is not None and event.iso == focus.iso:
                salience += FOCUS_SALIENCE  # a report about Syria leads with what happened in Syria
            if article.title and _named_in(article.title, event, title_units):
                # the headline names where the main event happened, and names it first
                ranks = [title_units[n] for n in (event.location, event.admin1) if n in title_units]
                later = ranks and min(ranks) > min(title_units.values())
                salience += TITLE_PLACE_SALIENCE / 2 if later else TITLE_PLACE_SALIENCE
            scored.append((salience, event))
        scored.sort(key=lambda x: -x[0])
        events = []
        for n, (_, e) in enumerate(scored, 1):
            e.event_id = f"{article.id}-{n}"
            events.append(e)
        return events

    def retype(self, event: Event, sub_event_type: str) -> None:
        """Give an event the type the classifier read in the report; the columns that follow from the
        type follow it."""
        event.sub_event_type = sub_event_type
        event.event_type = self.lexicon.event_type(sub_event_type)
        event.disorder_type = self.lexicon.disorder_type(sub_event_type)
        event.civilian_targeting = "Civilian targeting" if event.inter2 in (6, 7) and \
            event.disorder_type.startswith("Political violence") else None

    def _salience(self, c: Cluster, e: Event, title_types: set[str]) -> float:
        """The headline and the lead sentence tell the main event; then how often it is told."""
        s = 0.0
        for m in c.mentions:
            position = 2.0 if m.sentence == 0 else 1.0 / (1.0 + 0.25 * m.sentence)  # the lead tells the news
            s += (0.5 if m.weak else 1.0) * m.clause_weight * position
        if e.sub_event_type in title_types:
            s += 2.0
        elif {self._family(m) for m in c.mentions} & {self.lexicon.family(t) for t in title_types}:
            s += 0.5
        return s + 0.3 * math.log1p(e.fatalities)

    def _code_one(self, article: Article, c: Cluster, default, focus: Place | None,
                  fallback_places: list[PlaceMention], country_actor, all_claims: list[Claim],
                  actor_mentions: list[ActorMention], title_units: dict[str, int] | None = None) -> Event:
        strong = [m for m in c.core if not m.weak] or c.core
        # a weak mention of the same family may sharpen the type ("killed seven protesters" makes a
        # demonstration one of excessive force), never change its family; nor may it overrule a strong
        # mention's choice within one event type (a generic "strike" does not make a "missile strike" aerial)
        families = {self.lexicon.family(m.sub_event_type) for m in strong}
        strong_kinds = {self.lexicon.event_type(m.sub_event_type) for m in strong if not m.weak}
        pool = strong + [m for m in c.core if m.weak and self.lexicon.family(m.sub_event_type) in families
                         and self.lexicon.event_type(m.sub_event_type) not in strong_kinds]
        top = max(pool, key=lambda m: (self.lexicon.priority(m.sub_event_type), not m.weak, -m.sentence))
        sub = top.sub_event_type
        evidence: list[Evidence] = []
        doc_text = article.text

        def ev(field_name: str, sentence: int, start: int, end: int) -> None:
            evidence.append(Evidence(field_name, sentence, start, end, doc_text[start:end]))

        hit = top.hit
        anchor_doc = hit.anchor.doc
        ev("event_type", top.sentence, anchor_doc[hit.start].idx, anchor_doc[hit.end - 1].idx + len(anchor_doc[hit.end - 1].text))

        # actors: the top mention's roles first, then the others'
        agent = top.roles.agent
        patient = top.roles.patient
        for m in sorted(c.mentions, key=lambda x: (-self.lexicon.priority(x.sub_event_type), x.sentence)):
            agent = agent or m.roles.agent
            if patient is None and m.roles.patient is not None and (
                    agent is None or m.roles.patient.actor != agent.actor):
                patient = m.roles.patient
        if agent is not None and patient is not None and agent.actor == patient.actor:
            patient = None
        claimed, claim = self._responsibility(c, all_claims, actor_mentions)
        if claimed is not None and (agent is None or agent.actor is None or agent.actor.inter == 3
                                    and agent.kind == "generic"):
            agent = claimed  # "Islamic State claimed responsibility": the claimant is the attacker
        if agent is None and patient is not None and self.lexicon.event_type(sub) == "Battles":
            agent, patient = patient, None
        if (agent is not None and agent.actor is not None and agent.actor.inter == CIVILIAN_INTER
                and self.lexicon.disorder_type(sub).startswith("Political violence")):
            # ACLED: in political violence civilians are the victims, never the side that acts
            agent, patient = (None, agent) if patient is None or patient.actor is None or \
                patient.actor.inter == CIVILIAN_INTER else (patient, agent)
        if top.hit.entry.rule in ("violence", "instrument"):
            # the type of "killed", "attacked", "struck" follows who did it to whom, now that the
            # whole event's participants are known
            sub = rule_type(top.hit, Roles(agent, patient), self.lexicon)
        event_type = self.lexicon.event_type(sub)
        a1 = agent.actor if agent is not None else None
        a2 = patient.actor if patient is not None else None
        allies = []
        for m in c.core:
            for ally in m.roles.allies:
                if ally.actor is not None and ally.actor not in (a1, a2) and ally.actor.name not in allies:
                    allies.append(ally.actor.name)
        place_for_country, _ = self._choose_place(c, fallback_places, title_units)
        country = (place_for_country or focus).country if (place_for_country or focus) else None
        a1, a2 = _localised(agent, a1, country, country_actor), _localised(patient, a2, country, country_actor)
        a1, a2, agent, patient = self._demonstration_sides(sub, c, a1, a2, agent, patient, country, country_actor)
        if a1 is None and country and self.lexicon.disorder_type(sub).startswith("Political violence"):
            # ACLED names an attacker nobody identified as an unidentified armed group
            a1 = country_actor("Unidentified Armed Group ({country})", country)

        for field_name, side in (("actor1", agent), ("actor2", patient)):
            if side is not None:
                ev(field_name, side.sentence, side.start, side.end)
                named = _named_source(side, actor_mentions)
                if named is not side:  # "the group" -> also the name it points back to ("ISIS")
                    ev(field_name, named.sentence, named.start, named.end)
        victims = []
        if a2 is not None and a2.inter == CIVILIAN_INTER and patient is not None and self.victims is not None:
            victims = self.victims.of(top.hit.anchor.doc, patient, country)  # "Kurdish civilians"
        inter1 = a1.inter if a1 else None
        inter2 = a2.inter if a2 else None
        interaction = None
        if inter1 and inter2:
            lo, hi = sorted((inter1, inter2))
            interaction = lo * 10 + hi
        elif inter1:
            interaction = inter1 * 10

        # date
        span = c.span(default)
        dated = next((m for m in c.mentions if m.time is not None and m.time.span is not None), None)
        event_date = start = end = None
        precision = None
        if dated is not None:
            ts = dated.time.span
            event_date, start, end, precision = ts.event_date, max(ts.start, span[0]), min(ts.end, span[1]), ts.precision
            if not start <= event_date <= end:
                event_date = end
            ev("event_date", dated.sentence, dated.time.start, dated.time.end)
        elif article.published is not None:
            # the report does not say when: its own date, known only to within the days before it
            event_date, start, end, precision = article.published, default[0], default[1], 2

        # place: the finest place the mentions name, if the others agree with it
        place, place_mention = place_for_country, self._choose_place(c, fallback_places, title_units)[1]
        if place is None and focus is not None:
            place = focus
        if place_mention is not None:
            ev("location", place_mention.sentence, place_mention.start, place_mention.end)

        # fatalities: lowest credible figure per report; the event keeps the largest total told
        counts = [d for m in c.mentions for d in m.deaths]
        fatalities = 0
        low = high = None
        if counts:
            best = max(counts, key=lambda d: d.low)
            fatalities = best.low
            low = min(d.low for d in counts if d.low) if any(d.low for d in counts) else 0
            high = max((d.high or d.low) for d in counts)
            owner = next(m for m in c.mentions if best in m.deaths)
            ev("fatalities", owner.sentence, best.start, best.end)

        claims: list[Claim] = []
        seen = set()
        for m in sorted(c.mentions, key=lambda x: x.sentence):
            for cl in m.claims + ([claim] if claim is not None else []):
                key = (cl.claimant, cl.evidence.start if cl.evidence else None)
                if key not in seen:
                    seen.add(key)
                    claims.append(cl)
        for cl in claims:
            if cl.evidence is not None:
                evidence.append(cl.evidence)

        sentence_texts = sentences(hit.anchor.doc)
        notes = sentence_texts[top.sentence].text.strip()
        # unarmed targets: civilians, and protesters met with lethal force
        civilian = "Civilian targeting" if a2 is not None and a2.inter in (6, 7) and \
            self.lexicon.disorder_type(sub).startswith("Political violence") else None
        confidence = 0.3 + 0.15 * bool(a1) + 0.1 * bool(a2) + 0.15 * (place is not None and (place.geo_precision or 3) <= 2) \
            + 0.1 * (dated is not None) + 0.1 * bool(c.strong) + 0.05 * (len(c.mentions) > 1)
        return Event(
            event_id="",
            article_id=article.id,
            event_date=event_date, event_date_start=start, event_date_end=end, time_precision=precision,
            disorder_type=self.lexicon.disorder_type(sub), event_type=event_type, sub_event_type=sub,
            actor1=a1.name if a1 else None, inter1=inter1, assoc_actor_1="; ".join(allies) or None,
            actor2=a2.name if a2 else None, assoc_actor_2="; ".join(victims) or None, inter2=inter2,
            interaction=interaction,
            civilian_targeting=civilian,
            iso=place.iso if place else None, country=place.country if place else None,
            region=self.region_of(place.iso2) if place else None,
            admin1=place.admin1 if place else None, admin2=place.admin2 if place else None,
            admin3=place.admin3 if place else None,
            location=place.name if place else None,
            latitude=place.latitude if place else None, longitude=place.longitude if place else None,
            geo_precision=place.geo_precision if place else None,
            source=article.source, notes=notes,
            fatalities=fatalities, fatalities_low=low, fatalities_high=high,
            claims=claims, evidence=evidence,
            mentions=[self._mention_record(m) for m in sorted(c.mentions, key=lambda x: x.anchor.i)],
            confidence=round(min(confidence, 0.99), 2),
        )

    def _responsibility(self, c: Cluster, claims: list[Claim], actor_mentions: list[ActorMention]):
        """A claim of responsibility by an armed group, made within two sentences after the event's
        mentions, and the group's mention."""
        last = max(m.sentence for m in c.mentions)
        first = min(m.sentence for m in c.mentions)
        for cl in claims:
            if cl.verb != "claimed responsibility" or cl.evidence is None:
                continue
            if not first <= cl.evidence.sentence <= last + 2:
                continue
            for am in actor_mentions:
                if cl.evidence.start <= am.start < cl.evidence.end and am.actor is not None \
                        and am.actor.inter in (2, 3, 4) and am.kind != "observer":
                    return am, cl
        return None, None

    def _mention_record(self, m: EventMention) -> Mention:
        """The shared record of one trigger that the event was read from, for explanation and merging."""
        doc = m.anchor.doc
        start, end = doc[m.hit.start].idx, doc[m.hit.end - 1].idx + len(doc[m.hit.end - 1].text)
        name = lambda am: am.actor.name if am is not None and am.actor is not None else None  # noqa: E731
        return Mention(
            trigger=doc[m.hit.start:m.hit.end].text,
            lemma=m.anchor.lemma_.lower(), event_type=self.lexicon.event_type(m.sub_event_type),
            sub_event_type=m.sub_event_type, sentence=m.sentence, start=start, end=end,
            salience=m.clause_weight,
            attrs={"weak": m.weak, "elaboration": m.elaboration, "agent": name(m.roles.agent),
                   "patient": name(m.roles.patient), "time": m.time.text if m.time is not None else None},
        )

    def _demonstration_sides(self, sub, c, a1, a2, agent, patient, country, country_actor):
        """ACLED's conventions for crowds: protesters (or rioters) are actor1 of their protest; in
        excessive force the state force is actor1 and the protesters actor2."""
        if self.lexicon.event_type(sub) not in ("Protests", "Riots"):
            return a1, a2, agent, patient
        people = [m for m in c.mentions for am in (m.roles.agent, m.roles.patient)
                  if am is not None and am.actor is not None for m in [am]]
        state = next((am for am in people if am.actor.inter == 1), None)
        crowd_inter = 5 if self.lexicon.event_type(sub) == "Riots" else 6
        crowd = next((am for am in people if am.actor.inter == crowd_inter), None) or \
            next((am for am in people if am.actor.inter in (5, 6)), None)
        template = "Rioters ({country})" if crowd_inter == 5 else "Protesters ({country})"
        crowd_actor = country_actor(template, country) if country else (crowd.actor if crowd else None)
        if crowd is not None and crowd.actor.inter == crowd_inter:
            crowd_actor = crowd.actor
        if sub == "Excessive force against protesters":
            return (state.actor if state else a1), crowd_actor, state, crowd
        if sub == "Mob violence":
            victim = next((am for am in people if am.actor.inter == 7), None)
            return crowd_actor, (victim.actor if victim else None), crowd, victim
        other = state.actor if state is not None and sub != "Peaceful protest" else None
        return crowd_actor, other, crowd, state if other else None

    def _named_within(self, c: Cluster) -> tuple[Place, PlaceMention] | None:
        """'the town of Moqokori in Hiiraan region', with Moqokori in no gazetteer: the event keeps the
        town's name and the region's admin units, and no coordinates (they are never invented)."""
        for m in c.mentions:
            for um in m.unresolved:
                if any(p.place is not None and p.place.feature != "country" and p.start < um.start for p in m.places):
                    break  # "the cities of Damascus and Aleppo and al-Fouaa town in Idleb": the first named leads
                container = next((p for p in m.places if p.place is not None and 0 < p.start - um.end <= 12
                                  and p.place.feature in ("admin1", "admin2", "admin3", "region")), None)
                if container is not None:
                    cp = container.place
                    admin1 = cp.admin1 or (cp.name if cp.feature == "admin1" else None)
                    place = Place(name=um.text, country=cp.country, iso=cp.iso, iso2=cp.iso2, admin1=admin1,
                                  admin2=cp.admin2, geo_precision=1, feature="town", source="text")
                    return place, um
        return None

    def _choose_place(self, c: Cluster, fallback: list[PlaceMention],
                      title_units: dict[str, int] | None = None) -> tuple[Place | None, PlaceMention | None]:
        named = self._named_within(c)
        if named is not None:
            return named
        own = list({(p.start, p.end): p for m in c.core for p in m.places if p.place is not None}.values())
        if not own and any(self.lexicon.family(m.sub_event_type) == "strategic" and
                           m.sub_event_type != "Non-violent transfer of territory" for m in c.mentions):
            return None, None  # an agreement made somewhere unsaid is not where the last battle was
        if not own:
            first = min(m.sentence for m in c.mentions)
            focus_iso = next((p.place.iso for p in fallback if p.place is not None and p.place.feature != "country"), None)
            fallback = [p for p in fallback if not (p.place is not None and p.place.feature == "country"
                                                    and focus_iso is not None and p.place.iso != focus_iso)]
            earlier = [p for p in fallback if p.place is not None and p.sentence <= first]
            # "air strikes on the town": the last town named, rather than the region around it
            local = [p for p in earlier if FEATURE_RANK.get(p.place.feature or "", 2) <= 2]
            # else the place the headline names first, or the first the report names
            titled = _titled([p for p in fallback if p.place is not None and p.place.feature != "country"],
                             title_units)
            first_named = [p for p in fallback if p.place is not None][:1]
            own = (local or earlier)[-1:] if earlier else titled[:1] or first_named
        if not own:
            return None, None

        def score(pm: PlaceMention):
            agree = sum(1 for q in own if q is not pm and self._same_area(pm.place, q.place))
            return (feature_rank(pm.place) - agree * 0.5 - (0.5 if pm.place.latitude is not None else 0), pm.sentence)

        best = min(own, key=score)
        first = min(m.sentence for m in c.mentions)
        if best.place.feature == "country":
            # "in Syria" where the headline said "in Syria's Raqqa": the headline's place, known less exactly
            inside = [p for p in fallback if p.place is not None and p.place.feature != "country"
                      and p.place.iso2 == best.place.iso2]
            # the headline's place first ("... kill 4 in Syria's Idlib"), then the lead's
            titled = _titled(inside, title_units)
            lead = titled or [p for p in inside if p.sentence <= LEAD_SENTENCES]
            if lead:
                chosen = lead[0]
                return replace(chosen.place, geo_precision=max(chosen.place.geo_precision or 1, 2)), chosen
            # else the province the report keeps coming back to, if one clearly dominates
            units = Counter(p.place.admin1 for p in fallback if p.place is not None and p.place.admin1
                            and p.place.iso2 == best.place.iso2)
            ranked = units.most_common(2)
            if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
                holder = next(p for p in fallback if p.place is not None and p.place.admin1 == ranked[0][0])
                unit = self.admin1_of(holder.place)
                if unit is not None:
                    return unit, None
            # else the one place the report names in that country, if it names just one
            if len({(p.place.name, p.place.admin1) for p in inside}) == 1:
                only = inside[0]
                return replace(only.place, geo_precision=max(only.place.geo_precision or 1, 2)), only
        if best.sentence < first and best.place.feature not in ("region", "country") and best.place.latitude is not None:
            # borrowed from an earlier sentence: "the outskirts of Kano" qualified that event; this one
            # is at the place itself unless its own words say "in the area"
            words = {t.lower_ for m in c.mentions for t in tokens(sent_of(m.anchor))}
            precision = 2 if words & VICINITY_WORDS else 1
            return replace(best.place, geo_precision=precision), best
        return best.place, best
