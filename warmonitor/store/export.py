"""Write events as JSONL, ACLED-layout CSV, GeoJSON or a readable table; control statements as JSONL."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from typing import TextIO

from warmonitor.model import ACLED_COLUMNS, ControlStatement, Event

FORMATS = ("jsonl", "csv", "geojson", "table")
# warmonitor's own columns, after ACLED's
EXTRA_COLUMNS = ("event_id", "article_id", "plover_type", "plover_mode", "cameo_code", "ucdp_type_of_violence",
                 "event_date_start", "event_date_end", "fatalities_low", "fatalities_high", "confidence", "claims",
                 "evidence")


# a merged event's columns, after those: the UCDP-style best estimate and every article that told it
MERGED_COLUMNS = ("fatalities_best", "article_ids")


def _acled_row(e: Event) -> dict:
    d = e.to_dict()
    row = {col: d.get(col) for col in ACLED_COLUMNS}
    row["event_id_cnty"] = e.event_id
    row["source_scale"] = None
    if e.sources:  # a merged event: every outlet that reported it, as ACLED joins them
        row["source"] = "; ".join(e.sources)
    for col in EXTRA_COLUMNS:
        row[col] = d.get(col)
    row["claims"] = json.dumps(d["claims"], ensure_ascii=False) if d["claims"] else ""
    row["evidence"] = json.dumps(d["evidence"], ensure_ascii=False)
    row["fatalities_best"] = e.fatalities_best
    row["article_ids"] = "; ".join(e.article_ids)
    return row


class EventWriter:
    """Streams events to `out` in one format; `close()` finishes the document (GeoJSON)."""

    def __init__(self, out: TextIO, fmt: str = "jsonl", merged: bool = False):
        """`merged`: the events are the store's merged records, so CSV adds MERGED_COLUMNS."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
        self.out = out
        self.fmt = fmt
        self.count = 0
        self._csv: csv.DictWriter | None = None
        if fmt == "csv":
            columns = [*ACLED_COLUMNS, *EXTRA_COLUMNS, *(MERGED_COLUMNS if merged else ())]
            self._csv = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
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


def write_parquet(events: Iterable[Event], path: str) -> int:
    """The CSV's columns (ACLED's, warmonitor's, a merged event's) as a typed Parquet table; returns the count.
    Dates are Parquet dates and numbers numbers; claims and evidence stay JSON strings, as in the CSV."""
    import pyarrow as pa  # only this format needs it
    import pyarrow.parquet as pq

    rows = [_acled_row(e) for e in events]
    columns = [*ACLED_COLUMNS, *EXTRA_COLUMNS, *MERGED_COLUMNS]
    types = _parquet_types()
    schema = pa.schema([(c, types.get(c, pa.string())) for c in columns])
    for row in rows:
        for c in ("event_date", "event_date_start", "event_date_end"):
            row[c] = date.fromisoformat(row[c]) if row[c] else None
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path)
    return len(rows)


def _parquet_types() -> dict:
    import pyarrow as pa

    ints = ("year", "time_precision", "iso", "inter1", "inter2", "interaction", "geo_precision", "fatalities",
            "ucdp_type_of_violence", "fatalities_low", "fatalities_high", "fatalities_best")
    types = {c: pa.int64() for c in ints}
    types.update({c: pa.float64() for c in ("latitude", "longitude", "confidence")})
    types.update({c: pa.date32() for c in ("event_date", "event_date_start", "event_date_end")})
    return types


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
    for ev in d["evidence"]:  # the statement's own article_id says where its evidence came from
        if ev.get("article_id") is None:
            ev.pop("article_id", None)
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
