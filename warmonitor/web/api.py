"""The JSON API under /api: merged events, one event's evidence and history, statistics, territorial control.

Every filter goes through `warmonitor.store.queries` (values only ever travel as SQL parameters) and every
list is bounded: events are paged (at most 500 a page, 5,000 features a GeoJSON page).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse

from warmonitor.errors import UserError
from warmonitor.model import Event, Evidence
from warmonitor.store.db import Store
from warmonitor.store.queries import EventFilter, check_filter, count_events, find_events, parse_bbox, where_clause

router = APIRouter(prefix="/api")

MAX_PAGE = 500
MAX_FEATURES = 5000
MAX_ADMIN1_ROWS = 1000
MMAP_BYTES = 256 * 1024 * 1024
SENTENCE_WINDOW = 2000  # characters searched either side of a cited span for its sentence's ends


def open_store(request: Request) -> Iterator[Store]:
    """The request's own connection to the app's database, closed when the response is sent."""
    try:
        store = Store.open(request.app.state.db_path, create=False)
    except UserError as exc:  # the file went away (or was never there) while serving
        raise HTTPException(503, str(exc)) from None
    # a fresh connection starts with a cold page cache; mapped reads come straight from the OS's file cache
    store.conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    try:
        yield store
    finally:
        store.close()


StoreDep = Annotated[Store, Depends(open_store)]


def event_filter(
    bbox: Annotated[str | None, Query(max_length=200, description="min_lon,min_lat,max_lon,max_lat (GeoJSON's "
                                      "order)", examples=["35.5,32.3,42.4,37.4"])] = None,
    since: Annotated[date | None, Query(description="events on or after this day (YYYY-MM-DD)")] = None,
    until: Annotated[date | None, Query(description="events on or before this day (YYYY-MM-DD)")] = None,
    country: Annotated[str | None, Query(max_length=200, description="country name, any case")] = None,
    admin1: Annotated[str | None, Query(max_length=200, description="first-level division (province)")] = None,
    event_type: Annotated[str | None, Query(max_length=200, description="ACLED event type, e.g. Battles")] = None,
    sub_event_type: Annotated[str | None, Query(max_length=200,
                                                description="ACLED sub-event type, e.g. Armed clash")] = None,
    actor: Annotated[str | None, Query(max_length=200,
                                       description="an actor on either side, or an associated actor")] = None,
    min_fatalities: Annotated[int | None, Query(ge=0, description="at least this many killed")] = None,
    q: Annotated[str | None, Query(max_length=200, description="words that must all appear in the notes, "
                                   "the place or the actors")] = None,
) -> EventFilter:
    """The filter every list shares; a value that cannot match by construction is a 422, not an empty list."""
    if since and until and since > until:
        raise HTTPException(422, f"since {since} is after until {until}")
    wanted = EventFilter(since=since, until=until, country=country, admin1=admin1, event_type=event_type,
                         sub_event_type=sub_event_type, actor=actor, min_fatalities=min_fatalities, text=q)
    try:
        if bbox is not None:
            wanted.bbox = parse_bbox(bbox)
        check_filter(wanted)
    except UserError as exc:
        raise HTTPException(422, str(exc)) from None
    return wanted


FilterDep = Annotated[EventFilter, Depends(event_filter)]
Offset = Annotated[int, Query(ge=0, description="events to skip (paging)")]


@router.get("/events", tags=["events"], summary="Merged events matching the filters, a page at a time")
def list_events(store: StoreDep, wanted: FilterDep,
                limit: Annotated[int, Query(ge=0, le=MAX_PAGE, description="page size")] = 100,
                offset: Offset = 0) -> JSONResponse:
    """`{"total": N, "limit", "offset", "events": [...]}`: `total` counts every match, `events` holds this page
    by date, each the stored merged record as `warmonitor extract` writes it (with sources and article_ids)."""
    total = count_events(store, wanted)
    page = find_events(store, replace(wanted, limit=limit, offset=offset))
    return JSONResponse({"total": total, "limit": limit, "offset": offset, "events": [e.to_dict() for e in page]})


@router.get("/events.geojson", tags=["events"], summary="Merged events as a GeoJSON FeatureCollection")
def events_geojson(store: StoreDep, wanted: FilterDep,
                   limit: Annotated[int, Query(ge=0, le=MAX_FEATURES, description="features per page")] = 1000,
                   offset: Offset = 0) -> JSONResponse:
    """One Point feature per event, with the fields a map shows (the full record is at /api/events/{id}).
    An event whose place has no coordinates has a null geometry: coordinates are never invented. `total`
    counts every match, so a client can tell a page from the whole."""
    total = count_events(store, wanted)
    where, params = where_clause(wanted)
    # the columns, not the records: a page of 5,000 whole records would be parsed only to be thrown away
    rows = store.conn.execute(
        f"SELECT {_FEATURE_SELECT} FROM events{f' WHERE {where}' if where else ''} "
        "ORDER BY event_date, id LIMIT ? OFFSET ?", (*params, limit, offset))
    body = {"type": "FeatureCollection", "total": total, "limit": limit, "offset": offset,
            "features": [_feature(row) for row in rows]}
    return JSONResponse(body, media_type="application/geo+json")


# what a marker, its tooltip and the filters need (the rest is one request away): the events table's own
# columns, and a few read from the stored record
FEATURE_COLUMNS = ("event_id", "event_date", "event_date_start", "event_date_end", "event_type", "sub_event_type",
                   "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country", "admin1", "admin2", "location",
                   "fatalities", "notes")
FEATURE_FROM_RECORD = ("geo_precision", "fatalities_low", "fatalities_high", "source", "sources", "confidence")
_FEATURE_SELECT = ", ".join([*FEATURE_COLUMNS, "latitude", "longitude",
                             *(f"json_extract(record, '$.{k}') AS {k}" for k in FEATURE_FROM_RECORD)])


def _feature(row) -> dict:
    geometry = None
    if row["latitude"] is not None and row["longitude"] is not None:
        geometry = {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]}
    properties = {k: row[k] for k in (*FEATURE_COLUMNS, *FEATURE_FROM_RECORD)}
    properties["sources"] = json.loads(properties["sources"] or "[]")  # json_extract gives a list as JSON text
    return {"type": "Feature", "id": row["event_id"], "geometry": geometry, "properties": properties}


@router.get("/events/{event_id}", tags=["events"], summary="One event with its evidence, sources and history")
def event_detail(store: StoreDep, event_id: Annotated[str, Path(max_length=100)]) -> JSONResponse:
    """The stored merged record (`event`), the reports that told it (`articles`: title, outlet, date, url), what
    each report credited (`claims`), the evidence sentences with the cited spans (`sentences`; `cited` offsets
    count from the sentence's start) and every change later reports made (`revisions`, oldest first)."""
    row = store.conn.execute("SELECT id, record FROM events WHERE event_id = ?", (event_id,)).fetchone()
    if row is None:
        raise HTTPException(404, f"no event {event_id!r}")
    record = json.loads(row["record"])
    articles = store.conn.execute(
        "SELECT DISTINCT a.id, a.article_id, a.title, a.published, a.url, a.text, s.name AS source "
        "FROM mentions m JOIN articles a ON a.id = m.article_rowid LEFT JOIN sources s ON s.id = a.source_id "
        "WHERE m.event_rowid = ? ORDER BY a.id", (row["id"],)).fetchall()
    texts: dict[str, str] = {}
    for a in articles:
        texts.setdefault(a["article_id"], a["text"])
    claims = [{"claimant": c["claimant"], "actor": c["actor"], "verb": c["verb"], "article_id": c["article_id"],
               "evidence": _claim_evidence(c["evidence"], c["article_id"])}
              for c in store.conn.execute(
                  "SELECT c.claimant, c.actor, c.verb, c.evidence, a.article_id FROM claims c "
                  "JOIN mentions m ON m.id = c.mention_id JOIN articles a ON a.id = m.article_rowid "
                  "WHERE m.event_rowid = ? ORDER BY c.id", (row["id"],))]
    revisions = []
    for revision in store.revisions(event_id):
        d = revision.to_dict()
        d["sentences"] = evidence_sentences(d["evidence"], texts, revision.article_id)
        revisions.append(d)
    return JSONResponse({
        "event": record,
        "articles": [{"article_id": a["article_id"], "title": a["title"], "source": a["source"],
                      "published": a["published"], "url": a["url"]} for a in articles],
        "sources": record.get("sources") or ([record["source"]] if record.get("source") else []),
        "claims": claims,
        "sentences": evidence_sentences(record.get("evidence") or [], texts, record.get("article_id")),
        "revisions": revisions,
    })


def _claim_evidence(stored: str | None, article_id: str) -> dict | None:
    """A stored claim's evidence, saying which report it points into (the claims table keeps that apart)."""
    if not stored:
        return None
    evidence = json.loads(stored)
    evidence["article_id"] = evidence.get("article_id") or article_id
    return evidence


def evidence_sentences(evidence: list[dict], texts: dict[str, str], default_article: str | None) -> list[dict]:
    """Evidence grouped by the sentence it lies in: the sentence's text, and each cited span within it (`start`
    and `end` count from the sentence's start; `sentence` is the parser's index of the sentence it was read in).

    The store keeps character offsets, not sentence bounds, so a sentence is read back from the article text
    around its span (see `sentence_bounds`). Spans are grouped by where they lie, not by the index they carry:
    a date read in the lead but coded for an event in the second sentence is shown in the lead. A span whose
    article is not stored is left out."""
    groups: dict[tuple, dict] = {}
    for ev in evidence:
        article_id = ev.get("article_id") or default_article
        text = texts.get(article_id)
        start, end = ev.get("start"), ev.get("end")
        if text is None or not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
            continue
        bounds = sentence_bounds(text, start, end)
        group = groups.setdefault((article_id, *bounds), {
            "article_id": article_id, "start": bounds[0], "end": bounds[1], "text": text[bounds[0]:bounds[1]],
            "cited": []})
        group["cited"].append({"field": ev.get("field"), "sentence": ev.get("sentence"),
                               "start": start - bounds[0], "end": end - bounds[0], "text": text[start:end]})
    for group in groups.values():
        group["cited"].sort(key=lambda c: (c["start"], c["end"]))
    return [groups[key] for key in sorted(groups, key=lambda k: (k[0] or "", k[1]))]


# a sentence ends at a line break, or at . ! ? (and closing quotes) before a space; not after a lone letter
# ("J. Smith") or inside a dotted abbreviation ("U.S.", "a.m.")
_SENTENCE_END = re.compile(r"\n|(?<!\b[A-Za-z])(?<!\.[A-Za-z])[.!?]+[\"'\u201d\u2019)\]]*(?=\s|$)")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """[begin, stop) of the sentence holding text[start:end], whitespace trimmed, looked for within
    SENTENCE_WINDOW characters either side."""
    lo = max(0, start - SENTENCE_WINDOW)
    begin = lo
    for match in _SENTENCE_END.finditer(text, lo, start):
        begin = match.end()
    hi = min(len(text), end + SENTENCE_WINDOW)
    match = _SENTENCE_END.search(text, end, hi)
    stop = match.end() if match else hi
    while begin < start and text[begin].isspace():
        begin += 1
    while stop > end and text[stop - 1].isspace():
        stop -= 1
    return begin, stop


@router.get("/stats", tags=["statistics"], summary="Events and fatalities by day, by type and by admin1")
def stats(store: StoreDep, wanted: FilterDep) -> JSONResponse:
    """Counts and fatalities of the matching events: in all, per day (undated events under `null`), per event
    and sub-event type, and per first-level division (the 1,000 with most events)."""
    where, params = where_clause(wanted)
    # one pass over the table, grouped as finely as any answer needs; the answers are sums of these groups
    groups = store.conn.execute(
        "SELECT event_date, event_type, sub_event_type, country, admin1, COUNT(*), COALESCE(SUM(fatalities), 0) "
        f"FROM events{f' WHERE {where}' if where else ''} "
        "GROUP BY event_date, event_type, sub_event_type, country, admin1", params).fetchall()
    by_day, by_type, by_sub, by_admin1 = Counter(), Counter(), Counter(), Counter()
    killed_day, killed_type, killed_sub, killed_admin1 = Counter(), Counter(), Counter(), Counter()
    for day, event_type, sub_type, country, admin1, events, killed in groups:
        for counts, killed_in, key in ((by_day, killed_day, day), (by_type, killed_type, event_type),
                                       (by_sub, killed_sub, (event_type, sub_type)),
                                       (by_admin1, killed_admin1, (country, admin1))):
            counts[key] += events
            killed_in[key] += killed
    busiest_admin1 = sorted(by_admin1, key=lambda k: (-by_admin1[k], k[0] or "", k[1] or ""))[:MAX_ADMIN1_ROWS]
    return JSONResponse({
        "total": {"events": sum(by_day.values()), "fatalities": sum(killed_day.values())},
        "by_day": [{"date": d, "events": by_day[d], "fatalities": killed_day[d]}
                   for d in sorted(by_day, key=lambda d: d or "")],
        "by_type": [{"event_type": t, "events": by_type[t], "fatalities": killed_type[t]}
                    for t in sorted(by_type, key=lambda t: (-by_type[t], t or ""))],
        "by_sub_event_type": [{"event_type": k[0], "sub_event_type": k[1], "events": by_sub[k],
                               "fatalities": killed_sub[k]}
                              for k in sorted(by_sub, key=lambda k: (-by_sub[k], k[1] or ""))],
        "by_admin1": [{"country": k[0], "admin1": k[1], "events": by_admin1[k], "fatalities": killed_admin1[k]}
                      for k in busiest_admin1],
    })


@router.get("/control", tags=["territory"], summary="Who controlled which place on a day")
def control(store: StoreDep,
            day: Annotated[date, Query(alias="date", description="the day to answer for (YYYY-MM-DD)")],
            country: Annotated[str | None, Query(max_length=200, description="only places in this country")] = None,
            ) -> JSONResponse:
    """The periods of control in force on `date`, built from the stored transfer events and control statements
    (`warmonitor control --date`): each with its place (name, admin1, country, coordinates when known), actor,
    status (controls, partial, contested, besieged), start, end and evidence."""
    from warmonitor.territory import build_timeline, control_on

    periods = build_timeline(store.control_statements(), transfer_events(store, country))
    in_force = control_on(periods, day, country)
    return JSONResponse({"date": day.isoformat(), "country": country, "periods": [p.to_dict() for p in in_force]})


def transfer_events(store: Store, country: str | None) -> list[Event]:
    """The stored transfers of territory, with only what the timeline reads (who, where, when, the sentence):
    built from the table's columns, far quicker than parsing every whole record."""
    from warmonitor.territory import TRANSFER_TYPES

    where = f"sub_event_type IN ({', '.join('?' * len(TRANSFER_TYPES))})"
    params: tuple = tuple(sorted(TRANSFER_TYPES))
    if country:
        where += " AND country = ?"  # the column compares without regard to case
        params += (country,)
    extra = ("article_id", "iso", "admin3", "geo_precision")
    rows = store.conn.execute(
        "SELECT event_id, event_date, event_date_start, sub_event_type, actor1, actor2, country, admin1, admin2, "
        "location, latitude, longitude, notes, "
        + ", ".join(f"json_extract(record, '$.{k}') AS {k}" for k in extra)
        + ", CASE WHEN COALESCE(notes, '') = '' THEN json_extract(record, '$.evidence') END AS evidence "
        f"FROM events WHERE {where} ORDER BY event_date, id", params)
    return [Event(event_id=r["event_id"], article_id=r["article_id"], event_date=_day(r["event_date"]),
                  event_date_start=_day(r["event_date_start"]), sub_event_type=r["sub_event_type"],
                  actor1=r["actor1"], actor2=r["actor2"], country=r["country"], iso=r["iso"], admin1=r["admin1"],
                  admin2=r["admin2"], admin3=r["admin3"], location=r["location"], latitude=r["latitude"],
                  longitude=r["longitude"], geo_precision=r["geo_precision"], notes=r["notes"],
                  evidence=[Evidence(**e) for e in json.loads(r["evidence"] or "[]")])
            for r in rows]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
