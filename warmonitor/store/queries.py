"""Which merged events to show: the filters `export` and the web API share, as parameterised SQL.

Values from users only ever travel as SQL parameters. Each value is checked here, so a bad filter is one
clear line (a UserError) and never a silent empty result.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from warmonitor.errors import EXIT_USAGE, UserError
from warmonitor.extract.lexicon import load_json
from warmonitor.store.db import Store
from warmonitor.model import Event


@dataclass
class EventFilter:
    since: date | None = None  # event_date on or after
    until: date | None = None  # event_date on or before
    country: str | None = None  # case does not matter
    admin1: str | None = None
    event_type: str | None = None  # ACLED's names, e.g. "Battles"
    sub_event_type: str | None = None  # e.g. "Armed clash"
    actor: str | None = None  # actor1, actor2 or one of the associated actors
    min_fatalities: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    text: str | None = None  # words in the notes, the place or the actors
    limit: int | None = None
    offset: int = 0


def acled_types() -> tuple[set[str], set[str]]:
    """ACLED's event types and sub-event types, from the bundled taxonomy."""
    subs = load_json("taxonomy/acled.json")["sub_event_types"]
    return {v["event_type"] for v in subs.values()}, set(subs)


def check_filter(f: EventFilter) -> None:
    """Raise a one-line UserError for a filter that cannot match anything by construction."""
    if f.since and f.until and f.since > f.until:
        raise UserError(f"--since {f.since} is after --until {f.until}", EXIT_USAGE)
    event_types, sub_types = acled_types()
    for value, known, what in ((f.event_type, event_types, "event type"),
                               (f.sub_event_type, sub_types, "sub-event type")):
        if value is not None and value.casefold() not in {k.casefold() for k in known}:
            raise UserError(f"unknown {what} {value!r}: choose one of {', '.join(sorted(known))}", EXIT_USAGE)
    if f.min_fatalities is not None and f.min_fatalities < 0:
        raise UserError(f"minimum fatalities must be 0 or more, not {f.min_fatalities}", EXIT_USAGE)
    if f.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = f.bbox
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            raise UserError("bounding box must be min_lon,min_lat,max_lon,max_lat within -180..180 and -90..90, "
                            "smaller values first", EXIT_USAGE)
    if f.limit is not None and f.limit < 0 or f.offset < 0:
        raise UserError("limit and offset must be 0 or more", EXIT_USAGE)


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """'min_lon,min_lat,max_lon,max_lat' (GeoJSON's order) as four floats."""
    parts = text.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4:
        raise UserError(f"not a bounding box min_lon,min_lat,max_lon,max_lat: {text!r}", EXIT_USAGE)
    return values  # type: ignore[return-value]


def where_clause(f: EventFilter) -> tuple[str, tuple]:
    """The SQL condition over `events` (and its rtree) for a filter, and its parameters."""
    conds: list[str] = []
    params: list = []
    if f.since:
        conds.append("event_date >= ?")
        params.append(f.since.isoformat())
    if f.until:
        conds.append("event_date <= ?")
        params.append(f.until.isoformat())
    # the NOCASE columns compare without regard to case
    for column, value in (("country", f.country), ("admin1", f.admin1), ("event_type", f.event_type),
                          ("sub_event_type", f.sub_event_type)):
        if value:
            conds.append(f"{column} = ?")
            params.append(value)
    if f.actor:
        # associated actors are "A; B" lists, as in ACLED
        conds.append("(actor1 = ? OR actor2 = ? OR ('; ' || assoc_actor_1 || '; ') LIKE ? ESCAPE '\\' "
                     "OR ('; ' || assoc_actor_2 || '; ') LIKE ? ESCAPE '\\')")
        pattern = f"%; {_escape_like(f.actor)}; %"
        params += [f.actor, f.actor, pattern, pattern]
    if f.min_fatalities is not None:
        conds.append("fatalities >= ?")
        params.append(f.min_fatalities)
    if f.bbox is not None:
        # the rtree holds each event as a point, so "inside the box" is an overlap test it answers by index
        conds.append("id IN (SELECT id FROM events_bbox WHERE min_lon >= ? AND max_lon <= ? "
                     "AND min_lat >= ? AND max_lat <= ?)")
        min_lon, min_lat, max_lon, max_lat = f.bbox
        params += [min_lon, max_lon, min_lat, max_lat]
    if f.text:
        for word in f.text.split():  # every word somewhere in the notes, the place or the actors
            conds.append("(COALESCE(notes, '') || ' ' || COALESCE(location, '') || ' ' || COALESCE(admin1, '') "
                         "|| ' ' || COALESCE(actor1, '') || ' ' || COALESCE(actor2, '')) LIKE ? ESCAPE '\\'")
            params.append(f"%{_escape_like(word)}%")
    return " AND ".join(conds), tuple(params)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_events(store: Store, f: EventFilter) -> list[Event]:
    """The merged events the filter selects, by date then arrival; checked first (UserError when bad)."""
    check_filter(f)
    where, params = where_clause(f)
    return store.events(where, params, limit=f.limit, offset=f.offset)


def count_events(store: Store, f: EventFilter) -> int:
    check_filter(f)
    where, params = where_clause(f)
    sql = "SELECT COUNT(*) FROM events" + (f" WHERE {where}" if where else "")
    return store.conn.execute(sql, params).fetchone()[0]
