"""Folding several reports of one event into one merged record, with a history of what each report changed.

Fatalities follow two conventions side by side:

- ``fatalities`` (ACLED): the lowest credible figure of the *latest* information. A later report with a
  higher toll replaces an earlier lower one ("the toll rose from 12 to 36" gives 36), while reports that
  disagree at the same moment give the lower of their figures. Concretely: among the reports that give a
  toll, take those published on the latest such publication date, and keep the lowest of their figures.
- ``fatalities_low`` / ``fatalities_best`` / ``fatalities_high`` (UCDP GED style): the lowest figure any report
  gave, the median of each outlet's latest figure (the lower middle one when there is an even number of
  outlets), and the highest figure any report gave.

Each report's own figures are kept on the first mention it contributed (``Mention.attrs["report"]``), so the
rule can be applied again whenever a report arrives, also after the record went through the store.
"""
from __future__ import annotations

import copy
import statistics
from datetime import date
from functools import lru_cache

from warmonitor.extract.lexicon import load_json
from warmonitor.merge.coref import place_level
from warmonitor.model import Article, Event, Evidence, Revision

REPORT_KEY = "report"  # Mention.attrs key holding one report's own toll
PLACE_FIELDS = ("location", "latitude", "longitude", "geo_precision", "admin1", "admin2", "admin3")
LEVEL_RANK = {"town": 0, "admin2": 1, "admin1": 2, "country": 3, "none": 4}


@lru_cache(maxsize=1)
def _type_priority() -> dict[str, int]:
    return {name: spec["priority"] for name, spec in load_json("taxonomy/acled.json")["sub_event_types"].items()}


def _outlet(article: Article) -> str:
    return article.source or article.id


def _tag(evidence: list[Evidence], article_id: str) -> list[Evidence]:
    for ev in evidence:
        if ev.article_id is None:
            ev.article_id = article_id
    return evidence


def _report_record(mention: Event, article: Article) -> dict:
    """What this one report says about the toll; `fatalities` None when it gives none."""
    gives_toll = mention.fatalities_high is not None or mention.fatalities_low is not None or mention.fatalities > 0
    return {"article_id": article.id, "source": _outlet(article),
            "published": article.published.isoformat() if article.published else None,
            "fatalities": mention.fatalities if gives_toll else None,
            "low": mention.fatalities_low if gives_toll else None,
            "high": mention.fatalities_high if gives_toll else None}


def _take_reports(merged: Event, mention: Event, article: Article) -> None:
    """Move the report's mentions (tagged with its article, the first one carrying its toll) into merged."""
    mentions = copy.deepcopy(mention.mentions)
    for m in mentions:
        m.article_id = m.article_id or article.id
    if mentions:
        mentions[0].attrs = {**mentions[0].attrs, REPORT_KEY: _report_record(mention, article)}
    merged.mentions.extend(mentions)


def reports(merged: Event) -> list[dict]:
    """Each report's own toll record, in the order the reports were folded in."""
    return [m.attrs[REPORT_KEY] for m in merged.mentions if REPORT_KEY in m.attrs]


def merged_tolls(records: list[dict]) -> tuple[int, int | None, int | None, int | None]:
    """(fatalities, low, best, high) from the reports' own figures, by the rules in this module's docstring."""
    tolled = [r for r in records if r["fatalities"] is not None]
    if not tolled:
        return 0, None, None, None
    latest = max(r["published"] or "" for r in tolled)
    fatalities = min(r["fatalities"] for r in tolled if (r["published"] or "") == latest)
    low = min(r["low"] if r["low"] is not None else r["fatalities"] for r in tolled)
    high = max(r["high"] if r["high"] is not None else r["fatalities"] for r in tolled)
    per_outlet: dict[str, dict] = {}
    for r in tolled:  # later (or equally dated, later folded) reports of an outlet replace its earlier ones
        if r["source"] not in per_outlet or (r["published"] or "") >= (per_outlet[r["source"]]["published"] or ""):
            per_outlet[r["source"]] = r
    best = statistics.median_low([r["fatalities"] for r in per_outlet.values()])
    return fatalities, low, best, high


def _set_tolls(merged: Event) -> None:
    merged.fatalities, merged.fatalities_low, merged.fatalities_best, merged.fatalities_high = \
        merged_tolls(reports(merged))


def start_merged(mention: Event, article: Article, event_id: str) -> Event:
    """The merged record of an event from its first report: a copy of the report's record, with the report
    as its first source and its evidence tagged with the article."""
    merged = copy.deepcopy(mention)
    merged.event_id = event_id
    merged.article_id = article.id
    merged.sources = [_outlet(article)]
    merged.article_ids = [article.id]
    merged.source = "; ".join(merged.sources)
    _tag(merged.evidence, article.id)
    for claim in merged.claims:
        if claim.evidence is not None:
            _tag([claim.evidence], article.id)
    merged.mentions = []
    _take_reports(merged, mention, article)
    _set_tolls(merged)
    return merged


def _evidence_of(mention: Event, article: Article, *fields: str) -> list[Evidence]:
    return [copy.deepcopy(ev) for ev in _tag(copy.deepcopy(mention.evidence), article.id) if ev.field in fields]


def _more_precise_place(merged: Event, mention: Event) -> bool:
    """A finer level (a town inside the district the record names), or the same level more exactly placed."""
    old, new = LEVEL_RANK[place_level(merged)], LEVEL_RANK[place_level(mention)]
    if new != old:
        return new < old
    return old == 0 and (mention.geo_precision or 1) < (merged.geo_precision or 1)


def _more_precise_date(merged: Event, mention: Event) -> bool:
    if mention.event_date is None:
        return False
    if merged.event_date is None:
        return True
    old_p, new_p = merged.time_precision or 1, mention.time_precision or 1
    if new_p != old_p:
        return new_p < old_p
    old_start, old_end = merged.event_date_start or merged.event_date, merged.event_date_end or merged.event_date
    new_start, new_end = mention.event_date_start or mention.event_date, mention.event_date_end or mention.event_date
    # the same precision, but a narrower span inside the old one
    return old_start <= new_start and new_end <= old_end and (new_end - new_start) < (old_end - old_start)


def _date_text(e: Event) -> str:
    start, end = e.event_date_start or e.event_date, e.event_date_end or e.event_date
    if start and end and start != end:
        return f"{start.isoformat()}..{end.isoformat()}"
    return e.event_date.isoformat() if e.event_date else "no date"


def absorb(merged: Event, mention: Event, article: Article) -> list[Revision]:
    """Fold a later report (`mention`, its record of the event) into `merged`, in place. Returns the
    revisions it made (toll, place, date, type, actors), each with the new report's evidence."""
    outlet = _outlet(article)
    revisions: list[Revision] = []

    def revise(field_name: str, old, new, reason: str, evidence: list[Evidence]) -> None:
        revisions.append(Revision(merged.event_id, field_name, old, new, article.id, outlet, article.published,
                                  reason, evidence))

    if article.id not in merged.article_ids:
        merged.article_ids.append(article.id)
    if outlet not in merged.sources:
        merged.sources.append(outlet)
    merged.source = "; ".join(merged.sources)

    # tolls: recomputed from every report's own figures
    old_toll, had_toll = merged.fatalities, any(r["fatalities"] is not None for r in reports(merged))
    _take_reports(merged, mention, article)
    _set_tolls(merged)
    if merged.fatalities != old_toll:
        verb = "raised" if merged.fatalities > old_toll else "lowered"
        reason = f"{outlet} {verb} the toll from {old_toll} to {merged.fatalities}" if had_toll \
            else f"{outlet} gave the first toll: {merged.fatalities}"
        revise("fatalities", old_toll, merged.fatalities, reason, _evidence_of(mention, article, "fatalities"))

    if _more_precise_place(merged, mention):
        old_place, old_precision = merged.location or merged.country, merged.geo_precision
        for name in PLACE_FIELDS:
            setattr(merged, name, getattr(mention, name))
        told = f"{old_place} -> {merged.location}" if old_place != merged.location else \
            f"{merged.location}, geo_precision {old_precision} -> {merged.geo_precision}"
        revise("location", old_place, merged.location, f"{outlet} placed it more precisely: {told}",
               _evidence_of(mention, article, "location"))

    if _more_precise_date(merged, mention):
        old_date = _date_text(merged)
        merged.event_date, merged.event_date_start = mention.event_date, mention.event_date_start
        merged.event_date_end, merged.time_precision = mention.event_date_end, mention.time_precision
        revise("event_date", old_date, _date_text(merged),
               f"{outlet} dated it more precisely: {old_date} -> {_date_text(merged)}",
               _evidence_of(mention, article, "event_date"))

    priority = _type_priority()
    if mention.sub_event_type and mention.sub_event_type != merged.sub_event_type and \
            priority.get(mention.sub_event_type, 0) > priority.get(merged.sub_event_type or "", 0):
        # the more specific telling wins: a clash that a later report says took the town is its capture
        old_type = merged.sub_event_type
        merged.sub_event_type, merged.event_type = mention.sub_event_type, mention.event_type
        merged.disorder_type = mention.disorder_type
        revise("sub_event_type", old_type, merged.sub_event_type,
               f"{outlet} told it as {merged.sub_event_type} (was {old_type})",
               _evidence_of(mention, article, "event_type"))

    told = {"actor1": (mention.actor1, mention.inter1), "actor2": (mention.actor2, mention.inter2)}
    if merged.event_type == "Battles" and (mention.actor1 and mention.actor1 == merged.actor2
                                           or mention.actor2 and mention.actor2 == merged.actor1):
        told = {"actor1": told["actor2"], "actor2": told["actor1"]}  # the report named the sides the other way
    for side, other in (("actor1", "actor2"), ("actor2", "actor1")):
        old_actor, (new_actor, new_inter) = getattr(merged, side), told[side]
        # a named actor fills a blank or replaces "Unidentified Armed Group (X)"; never the other side's actor
        if new_actor and new_actor != old_actor and new_actor != getattr(merged, other) \
                and (old_actor is None or old_actor.startswith("Unidentified")) \
                and not new_actor.startswith("Unidentified"):
            setattr(merged, side, new_actor)
            setattr(merged, f"inter{side[-1]}", new_inter)
            revise(side, old_actor, new_actor, f"{outlet} named {side}: {new_actor}" +
                   (f" (was {old_actor})" if old_actor else ""), _evidence_of(mention, article, side))
    if merged.inter1 and merged.inter2:
        lo, hi = sorted((merged.inter1, merged.inter2))
        merged.interaction = lo * 10 + hi

    # what the report read and who it quoted accumulate, each piece traceable to its article
    merged.evidence.extend(_tag(copy.deepcopy(mention.evidence), article.id))
    seen = {(c.claimant, c.evidence.article_id if c.evidence else None, c.evidence.start if c.evidence else None)
            for c in merged.claims}
    for claim in copy.deepcopy(mention.claims):
        if claim.evidence is not None:
            _tag([claim.evidence], article.id)
        key = (claim.claimant, claim.evidence.article_id if claim.evidence else None,
               claim.evidence.start if claim.evidence else None)
        if key not in seen:
            seen.add(key)
            merged.claims.append(claim)
    merged.confidence = max(merged.confidence, mention.confidence)
    return revisions


def first_published(article: Article) -> date:
    """Sort key for folding reports in publication order (undated reports last)."""
    return article.published or date.max
