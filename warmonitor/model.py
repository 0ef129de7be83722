"""The shared vocabulary of warmonitor, as plain data classes.

Every stage reads and writes these and nothing else, so a stage can be replaced
without touching its neighbours. Offsets are always character offsets into
``Article.text``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass
class Article:
    """One news report, as a reader produced it."""

    id: str
    text: str
    title: str | None = None
    published: date | None = None
    source: str | None = None  # outlet or wire agency ("Reuters")
    dateline: str | None = None  # place the report was filed from ("BEIRUT")
    url: str | None = None
    origin: str | None = None  # where it was read from (path, path:line, "-")


@dataclass
class Evidence:
    """Where a field's value came from: a sentence and a span inside the article text."""

    field: str
    sentence: int  # index of the sentence in the article
    start: int
    end: int
    text: str  # article.text[start:end]
    article_id: str | None = None  # in a merged event, the report this came from


@dataclass
class Place:
    name: str
    country: str | None = None
    iso: int | None = None  # ISO 3166-1 numeric, as ACLED's `iso` column
    iso2: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None  # ACLED: 1 exact town/district, 2 near/part of region, 3 larger region
    feature: str | None = None  # neighbourhood, town, admin1, admin2, admin3, country, region
    geonameid: int | None = None
    source_id: str | None = None  # e.g. an OCHA P-code
    source: str | None = None  # gazetteer the record came from


@dataclass
class Actor:
    name: str  # canonical, ACLED-style name
    inter: int | None = None  # ACLED inter code 1-8
    country: str | None = None
    id: str | None = None
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class PlaceMention:
    """A toponym (or relative place phrase) found in the text, with what it resolved to."""

    start: int
    end: int
    text: str
    sentence: int
    place: Place | None  # None when nothing in the gazetteer fits: never invent coordinates
    role: str = "mention"  # mention, dateline, observer ("British-based"), context
    score: float = 0.0


@dataclass
class ActorMention:
    """A span naming or describing an actor, resolved against the actor knowledge base."""

    start: int
    end: int
    text: str
    sentence: int
    actor: Actor | None
    kind: str = "named"  # named, generic ("gunmen"), descriptor ("the militant group"), pronoun
    head: int | None = None  # character offset of the span's syntactic head token, for role finding
    antecedent: int | None = None  # index of the mention a descriptor/pronoun resolved to
    # generic actors: the template they were made from ("Civilians ({country})") and where the country came
    # from: "nationality" ("Syrian soldiers": fixed) or "focus" (the article's country: the event's place may
    # name a better one)
    template: str | None = None
    country_from: str | None = None


@dataclass
class Claim:
    """Who said or claimed something, e.g. a monitor giving a toll."""

    claimant: str  # as written ("the British-based Syrian Observatory for Human Rights")
    actor: str | None = None  # resolved canonical name, when known
    verb: str = "said"  # said, claimed, reported, denied, ...
    evidence: Evidence | None = None


@dataclass
class Mention:
    """One textual occurrence of an event: a trigger in a sentence, with what was read around it."""

    trigger: str
    lemma: str
    event_type: str
    sub_event_type: str
    sentence: int
    start: int
    end: int
    salience: float = 0.0
    attrs: dict[str, Any] = field(default_factory=dict)
    article_id: str | None = None  # in a merged event, the report this came from


@dataclass
class ControlStatement:
    """A statement of who holds a place ("It now controls only the small pocket in Qadam")."""

    actor: str | None
    place: Place | None
    as_of: date | None
    status: str  # controls, lost, besieged, ...
    evidence: list[Evidence] = field(default_factory=list)
    article_id: str | None = None


# ACLED's own columns, in ACLED's order; CSV export writes these first.
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)


@dataclass
class Event:
    """One coded event, ACLED's columns plus warmonitor's provenance."""

    event_id: str
    article_id: str
    event_date: date | None = None
    event_date_start: date | None = None  # the span the report allows ("last week": Sun..Sat)
    event_date_end: date | None = None
    time_precision: int | None = None  # 1 day, 2 week, 3 month
    disorder_type: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor1: str | None = None
    assoc_actor_1: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: int | None = None
    interaction: int | None = None
    civilian_targeting: str | None = None  # "Civilian targeting" or None, as ACLED
    # the same event in the other ontologies users work in (data/taxonomy/ontologies.json)
    plover_type: str | None = None  # e.g. ASSAULT
    plover_mode: str | None = None  # e.g. aerial
    cameo_code: str | None = None  # CAMEO root code, "01".."20"
    ucdp_type_of_violence: int | None = None  # 1 state-based, 2 non-state, 3 one-sided
    iso: int | None = None
    region: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    source: str | None = None
    notes: str | None = None
    fatalities: int = 0
    fatalities_low: int | None = None
    fatalities_best: int | None = None  # UCDP-style low/best/high, beside ACLED's conservative `fatalities`
    fatalities_high: int | None = None
    # a merged event (the monitor's record) lists every outlet and article that reported it; `source` joins
    # the outlets with "; " as ACLED does
    sources: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    confidence: float = 0.0

    @property
    def year(self) -> int | None:
        return self.event_date.year if self.event_date else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: dates as ISO strings, nested records as dicts."""
        d = asdict(self)
        d["year"] = self.year
        for k in ("event_date", "event_date_start", "event_date_end"):
            d[k] = d[k].isoformat() if d[k] else None
        # a single report's record says nothing about origins: only merged events carry article_id tags
        for item in d["evidence"] + d["mentions"] + [c["evidence"] for c in d["claims"] if c["evidence"]]:
            if item.get("article_id") is None:
                item.pop("article_id", None)
        return d


@dataclass
class Revision:
    """One change to a merged event's record, and the report that made it ("AFP raised the toll to 36")."""

    event_id: str
    field: str  # fatalities, location, event_date, sub_event_type, ...
    old: Any
    new: Any
    article_id: str
    source: str | None = None
    published: date | None = None
    reason: str = ""  # one line, for people
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d


@dataclass
class MatchDecision:
    """Whether two event records tell the same real event, how sure, and the clues that decided it."""

    same: bool
    score: float  # 0..1
    reasons: list[str] = field(default_factory=list)  # "same day", "3 km apart", "actors agree", ...


@dataclass
class ControlPeriod:
    """Who held a place over a stretch of time, as far as the reports tell, and on what evidence."""

    place: Place
    actor: str | None  # None: fought over, no one holder named
    status: str  # controls, partial (a part of the place), contested, besieged (actor: the besieger)
    start: date | None  # None: held since before any report says
    end: date | None  # the first day it no longer held; None = still holds, as far as we know
    # [{"article_id", "kind": "event"|"statement", "text", "sub_event_type"?, "date"?}]
    evidence: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["start"] = self.start.isoformat() if self.start else None
        d["end"] = self.end.isoformat() if self.end else None
        return d
