"""The writers, on hand-made events: ACLED's CSV layout, GeoJSON that never invents coordinates, JSONL that
round-trips, a table line a person can read, and control statements as JSONL. No language model needed."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from warmonitor.model import ACLED_COLUMNS, Claim, ControlStatement, Event, Evidence, Mention, Place
from warmonitor.store.export import EXTRA_COLUMNS, ControlWriter, EventWriter, summary_line

TEXT = "DIKWA - Gunmen killed four soldiers near Dikwa on Tuesday, an army officer said."


def located_event() -> Event:
    """A clash at a town with coordinates, a toll, a claimant and evidence spans into TEXT."""
    return Event(
        event_id="report-1", article_id="report",
        event_date=date(2022, 3, 8), event_date_start=date(2022, 3, 8), event_date_end=date(2022, 3, 8),
        time_precision=1, disorder_type="Political violence", event_type="Battles",
        sub_event_type="Armed clash", actor1="Unidentified Armed Group (Nigeria)", inter1=3,
        actor2="Military Forces of Nigeria", inter2=1, interaction=13, iso=566, region="Western Africa",
        country="Nigeria", admin1="Borno", location="Dikwa", latitude=12.036, longitude=13.918,
        geo_precision=2, source="Reuters", notes="Gunmen killed four soldiers near Dikwa.",
        fatalities=4, fatalities_low=4, fatalities_high=4,
        claims=[Claim("an army officer", verb="say", evidence=Evidence("claim", 0, 59, 79, TEXT[59:79]))],
        evidence=[Evidence("event_type", 0, 15, 21, TEXT[15:21]), Evidence("fatalities", 0, 22, 26, TEXT[22:26])],
        mentions=[Mention("killed", "kill", "Battles", "Armed clash", 0, 15, 21)],
        confidence=0.8,
    )


def unlocated_event() -> Event:
    """An agreement with only a country known: no coordinates, and no date either."""
    return Event(event_id="report-2", article_id="report", event_type="Strategic developments",
                 sub_event_type="Agreement", country="Nigeria", iso=566, geo_precision=3)


def written(fmt: str, *events: Event) -> str:
    out = io.StringIO()
    writer = EventWriter(out, fmt)
    writer.write(events)
    writer.close()
    assert writer.count == len(events)
    return out.getvalue()


def test_evidence_spans_of_the_hand_made_event_point_into_its_text():
    # guards the fixture itself: the writers are then checked on honest offsets
    for ev in located_event().evidence:
        assert TEXT[ev.start:ev.end] == ev.text


def test_csv_starts_with_acled_columns_in_acled_order_then_warmonitors_own():
    rows = list(csv.reader(io.StringIO(written("csv", located_event(), unlocated_event()))))
    header = rows[0]
    assert tuple(header[:len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert tuple(header[len(ACLED_COLUMNS):]) == EXTRA_COLUMNS
    assert len(rows) == 3 and all(len(r) == len(header) for r in rows)


def test_csv_row_fills_acled_columns_and_keeps_evidence_as_json():
    record = next(csv.DictReader(io.StringIO(written("csv", located_event()))))
    assert record["event_id_cnty"] == "report-1"
    assert record["event_date"] == "2022-03-08" and record["year"] == "2022"
    assert record["actor1"] == "Unidentified Armed Group (Nigeria)" and record["interaction"] == "13"
    assert record["latitude"] == "12.036" and record["longitude"] == "13.918"
    assert record["fatalities"] == "4"
    assert json.loads(record["claims"])[0]["claimant"] == "an army officer"
    assert [e["text"] for e in json.loads(record["evidence"])] == ["killed", "four"]


def test_csv_leaves_unknown_values_empty():
    record = next(csv.DictReader(io.StringIO(written("csv", unlocated_event()))))
    assert record["event_date"] == "" and record["latitude"] == "" and record["longitude"] == ""
    assert record["claims"] == ""


def test_geojson_point_is_longitude_then_latitude():
    doc = json.loads(written("geojson", located_event()))
    assert doc["type"] == "FeatureCollection"
    (feature,) = doc["features"]
    assert feature["type"] == "Feature" and feature["id"] == "report-1"
    assert feature["geometry"] == {"type": "Point", "coordinates": [13.918, 12.036]}
    assert feature["properties"]["location"] == "Dikwa"


def test_geojson_gives_null_geometry_when_there_are_no_coordinates():
    doc = json.loads(written("geojson", located_event(), unlocated_event()))
    second = doc["features"][1]
    assert second["geometry"] is None
    assert second["properties"]["latitude"] is None and second["properties"]["country"] == "Nigeria"


def test_geojson_with_no_events_is_still_a_valid_document():
    assert json.loads(written("geojson")) == {"type": "FeatureCollection", "features": []}


def test_jsonl_round_trips_every_field():
    event = located_event()
    (line,) = written("jsonl", event).splitlines()
    record = json.loads(line)
    assert record == event.to_dict()
    assert record["event_date_start"] == "2022-03-08"
    assert record["evidence"][1] == {"field": "fatalities", "sentence": 0, "start": 22, "end": 26, "text": "four"}


def test_table_line_says_what_who_where_how_many_and_per_whom():
    line = summary_line(located_event())
    assert line.startswith("report-1 ")
    for part in ("2022-03-08", "Battles / Armed clash",
                 "Unidentified Armed Group (Nigeria) vs Military Forces of Nigeria",
                 "Dikwa, Borno, Nigeria", "4 killed", "per an army officer"):
        assert part in line
    assert "\n" not in line


def test_table_line_shows_a_week_as_a_range_and_says_what_is_unknown():
    week = located_event()
    week.time_precision = 2
    week.event_date_start, week.event_date_end = date(2022, 3, 6), date(2022, 3, 12)
    assert "2022-03-06..2022-03-12" in summary_line(week)
    line = summary_line(unlocated_event())
    assert "date unknown" in line and "unknown actor" in line
    assert "| Nigeria |" in line  # a country-only place is named once


def test_table_format_writes_one_line_per_event():
    lines = written("table", located_event(), unlocated_event()).splitlines()
    assert lines == [summary_line(located_event()), summary_line(unlocated_event())]


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        EventWriter(io.StringIO(), "xml")


def test_control_statements_are_written_one_json_object_per_line():
    places = ("Saraqib", "Ariha")
    statements = [
        ControlStatement(actor="Hayat Tahrir al-Sham",
                         place=Place(name=name, country="Syria", iso=760, admin1="Idleb"),
                         as_of=date(2021, 5, 12), status="controls",
                         evidence=[Evidence("control", 1, 20, 28, "controls")], article_id="report")
        for name in places
    ]
    statements.append(ControlStatement(actor=None, place=None, as_of=None, status="held"))
    out = io.StringIO()
    writer = ControlWriter(out)
    writer.write(statements)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert writer.count == 3 and len(records) == 3
    assert [r["place"]["name"] for r in records[:2]] == list(places)
    assert records[0]["as_of"] == "2021-05-12" and records[0]["place"]["iso"] == 760
    assert records[0]["evidence"] == [{"field": "control", "sentence": 1, "start": 20, "end": 28, "text": "controls"}]
    assert records[2] == {"actor": None, "place": None, "as_of": None, "status": "held", "evidence": [],
                          "article_id": None}
