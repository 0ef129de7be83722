"""Write events as JSONL, ACLED-layout CSV, GeoJSON or a readable table; control statements as JSONL."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import TextIO

from warmonitor.model import ACLED_COLUMNS, ControlStatement, Event

FORMATS = ("jsonl", "csv", "geojson", "table")
# warmonitor's own columns, after ACLED's
EXTRA_COLUMNS = ("event_id", "article_id", "plover_type", "plover_mode", "cameo_code", "ucdp_type_of_violence",
                 "event_date_start", "event_date_end", "fatalities_low", "fatalities_high", "confidence", "claims",
                 "evidence")


def _acled_row(e: Event) -> dict:
    d = e.to_dict()
    row = {col: d.get(col) for col in ACLED_COLUMNS}
    row["event_id_cnty"] = e.event_id
    row["source_scale"] = None
    for col in EXTRA_COLUMNS:
        row[col] = d.get(col)
    row["claims"] = json.dumps(d["claims"], ensure_ascii=False) if d["claims"] else ""
    row["evidence"] = json.dumps(d["evidence"], ensure_ascii=False)
    return row


class EventWriter:
    """Streams events to `out` in one format; `close()` finishes the document (GeoJSON)."""

    def __init__(self, out: TextIO, fmt: str = "jsonl"):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
        self.out = out
        self.fmt = fmt
        self.count = 0
        self._csv: csv.DictWriter | None = None
        if fmt == "csv":
            self._csv = csv.DictWriter(out, fieldnames=[*ACLED_COLUMNS, *EXTRA_COLUMNS], extrasaction="ignore")
            self._csv.writeheader()
        elif fmt == "geojson":
            out.write('{"type": "FeatureCollection", "features": [\n')

    def write(self, events: Iterable[Event]) -> None:
        for e in events:
            if self.fmt == "jsonl":
                self.out.write(json.dumps(_json_ready(e), ensure_ascii=False) + "\n")
            elif self.fmt == "csv":
                self._csv.writerow(_acled_row(e))
            elif self.fmt == "table":
                self.out.write(summary_line(e) + "\n")
            else:
                self.out.write((",\n" if self.count else "") + json.dumps(_feature(e), ensure_ascii=False))
            self.count += 1
        self.out.flush()

    def close(self) -> None:
        if self.fmt == "geojson":
            self.out.write("\n]}\n")
        self.out.flush()


def _json_ready(e: Event) -> dict:
    return e.to_dict()


def _feature(e: Event) -> dict:
    props = _json_ready(e)
    props.pop("mentions", None)  # the map needs the record, not every trigger it was read from
    geometry = None  # never invent coordinates: a place without them has no geometry
    if e.latitude is not None and e.longitude is not None:
        geometry = {"type": "Point", "coordinates": [e.longitude, e.latitude]}
    return {"type": "Feature", "id": e.event_id, "geometry": geometry, "properties": props}


def summary_line(e: Event) -> str:
    """One readable line per event, for people at a terminal."""
    when = e.event_date.isoformat() if e.event_date else "date unknown"
    if e.time_precision and e.time_precision > 1 and e.event_date_start and e.event_date_end:
        when = f"{e.event_date_start.isoformat()}..{e.event_date_end.isoformat()}"
    who = e.actor1 or "unknown actor"
    if e.actor2:
        who += f" vs {e.actor2}"
    # "Damascus, Damascus, Syria" or "Syria, Syria" says nothing more than its first part
    where = ", ".join(dict.fromkeys(x for x in (e.location, e.admin1, e.country) if x)) or "place unknown"
    said = f"; per {e.claims[0].claimant}" if e.claims else ""
    what = f"{e.event_type or 'type unknown'} / {e.sub_event_type or 'sub-type unknown'}"
    return (f"{e.event_id:28} {when:22} {what} | {who} | {where} "
            f"| {e.fatalities} killed{said}")


def control_to_dict(c: ControlStatement) -> dict:
    """JSON-ready dict of a control statement: as_of as an ISO string, place and evidence as dicts."""
    d = asdict(c)
    d["as_of"] = c.as_of.isoformat() if c.as_of else None
    return d


class ControlWriter:
    """Streams territorial-control statements to `out`, one JSON object per line."""

    def __init__(self, out: TextIO):
        self.out = out
        self.count = 0

    def write(self, statements: Iterable[ControlStatement]) -> None:
        for c in statements:
            self.out.write(json.dumps(control_to_dict(c), ensure_ascii=False) + "\n")
            self.count += 1
        self.out.flush()
