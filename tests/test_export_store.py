"""`warmonitor export`: the store's merged events, filtered, as ACLED-layout CSV, GeoJSON, Parquet or JSONL,
each read back with the library a user would read it with. Events are stored by hand: no language model."""
from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from warmonitor.cli import main
from warmonitor.model import ACLED_COLUMNS, Event
from warmonitor.store.db import Store, event_from_dict


def merged_clash() -> Event:
    """A clash two outlets reported, the later one with a higher toll."""
    return Event(event_id="", article_id="kafr-nabuda-first", event_date=date(2019, 5, 7),
                 event_date_start=date(2019, 5, 7), event_date_end=date(2019, 5, 7), time_precision=1,
                 disorder_type="Political violence", event_type="Battles", sub_event_type="Armed clash",
                 actor1="Military Forces of Syria", inter1=1, actor2="Hayat Tahrir al-Sham", inter2=2,
                 interaction=12, iso=760, region="Middle East", country="Syria", admin1="Hama",
                 location="Kafr Nabudah", latitude=35.4478, longitude=36.4897, geo_precision=1,
                 source="Levant Wire; Orontes Daily", sources=["Levant Wire", "Orontes Daily"],
                 article_ids=["kafr-nabuda-first", "kafr-nabuda-later"], notes="Troops and HTS fought in Kafr Nabuda.",
                 fatalities=12, fatalities_low=12, fatalities_best=24, fatalities_high=36)


def unlocated_arrests() -> Event:
    """Arrests in Iraq that only one outlet reported, with no coordinates."""
    return Event(event_id="", article_id="basra-arrests", event_date=date(2019, 7, 2),
                 disorder_type="Strategic developments", event_type="Strategic developments",
                 sub_event_type="Arrests", actor1="Police Forces of Iraq", country="Iraq", admin1="Basra",
                 source="Gulf Desk", sources=["Gulf Desk"], article_ids=["basra-arrests"], fatalities=0)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "events.db"
    with Store.open(path) as store, store.transaction():
        for event in (merged_clash(), unlocated_arrests()):
            rowid, event.event_id = store.new_event_id()
            store.add_event(rowid, event)
    return path


def export(db: Path, fmt: str, out: Path, *filters: str) -> int:
    return main(["export", "--db", str(db), "--format", fmt, "-o", str(out), *filters])


def test_csv_has_acleds_columns_and_joins_the_outlets(db, tmp_path, capsys):
    assert export(db, "csv", tmp_path / "e.csv") == 0
    assert capsys.readouterr().err == f"warmonitor: 2 event(s) written to {tmp_path / 'e.csv'}\n"
    with open(tmp_path / "e.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert tuple(reader.fieldnames[:len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    clash, arrests = rows
    assert clash["event_id_cnty"] == "WM000001"
    assert clash["source"] == "Levant Wire; Orontes Daily"
    assert (clash["fatalities"], clash["fatalities_low"], clash["fatalities_best"], clash["fatalities_high"]) == (
        "12", "12", "24", "36")
    assert clash["article_ids"] == "kafr-nabuda-first; kafr-nabuda-later"
    assert (arrests["country"], arrests["latitude"]) == ("Iraq", "")  # unknown is empty, never invented


def test_geojson_is_a_feature_collection_with_points_only_where_known(db, tmp_path):
    assert export(db, "geojson", tmp_path / "e.geojson") == 0
    collection = json.loads((tmp_path / "e.geojson").read_text())
    assert collection["type"] == "FeatureCollection"
    clash, arrests = collection["features"]
    assert clash["geometry"] == {"type": "Point", "coordinates": [36.4897, 35.4478]}
    assert clash["properties"]["sources"] == ["Levant Wire", "Orontes Daily"]
    assert arrests["geometry"] is None


def test_parquet_reads_back_typed(db, tmp_path):
    assert export(db, "parquet", tmp_path / "e.parquet") == 0
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == 2
    assert tuple(table.column_names[:len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert str(table.schema.field("event_date").type) == "date32[day]"
    assert str(table.schema.field("fatalities").type) == "int64"
    rows = table.to_pylist()
    assert rows[0]["event_date"] == date(2019, 5, 7) and rows[0]["latitude"] == pytest.approx(35.4478)
    assert rows[0]["source"] == "Levant Wire; Orontes Daily" and rows[1]["latitude"] is None


def test_jsonl_round_trips_the_stored_record(db, tmp_path):
    assert export(db, "jsonl", tmp_path / "e.jsonl") == 0
    lines = (tmp_path / "e.jsonl").read_text().splitlines()
    with Store.open(db) as store:
        assert [event_from_dict(json.loads(line)) for line in lines] == store.events()


@pytest.mark.parametrize("filters, locations", [
    (["--country", "syria"], ["Kafr Nabudah"]),
    (["--since", "2019-06-01"], [""]),
    (["--until", "2019-06-01"], ["Kafr Nabudah"]),
    (["--event-type", "Strategic developments"], [""]),
    (["--sub-event-type", "Armed clash"], ["Kafr Nabudah"]),
    (["--actor", "Hayat Tahrir al-Sham"], ["Kafr Nabudah"]),
    (["--actor", "Police Forces of Iraq", "--country", "Iraq"], [""]),
])
def test_filters_choose_the_events(db, tmp_path, filters, locations):
    assert export(db, "csv", tmp_path / "e.csv", *filters) == 0
    with open(tmp_path / "e.csv", newline="", encoding="utf-8") as f:
        assert [row["location"] for row in csv.DictReader(f)] == locations


@pytest.mark.parametrize("fmt", ["csv", "geojson", "parquet", "jsonl"])
def test_no_match_writes_a_valid_empty_file_and_says_so(db, tmp_path, capsys, fmt):
    out = tmp_path / f"none.{fmt}"
    assert export(db, fmt, out, "--country", "Yemen") == 0
    assert capsys.readouterr().err == (f"warmonitor: no stored event matches; wrote an empty {fmt} file to "
                                       f"{out}\n")
    if fmt == "csv":
        assert next(csv.reader(out.open()))[:2] == ["event_id_cnty", "event_date"]
        assert len(out.read_text().splitlines()) == 1
    elif fmt == "geojson":
        assert json.loads(out.read_text()) == {"type": "FeatureCollection", "features": []}
    elif fmt == "parquet":
        table = pq.read_table(out)
        assert table.num_rows == 0 and "event_date" in table.column_names
    else:
        assert out.read_text() == ""


@pytest.mark.parametrize("args, status, message", [
    (["--event-type", "Battle"], 2, "unknown event type 'Battle': choose one of Battles, "
                                    "Explosions/Remote violence, Protests, Riots, Strategic developments, "
                                    "Violence against civilians"),
    (["--since", "2019-06-01", "--until", "2019-05-01"], 2, "--since 2019-06-01 is after --until 2019-05-01"),
])
def test_bad_filter_values_are_one_line(db, tmp_path, capsys, args, status, message):
    assert export(db, "csv", tmp_path / "e.csv", *args) == status
    assert capsys.readouterr().err == f"warmonitor: error: {message}\n"


def test_a_malformed_date_is_one_line(db, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        export(db, "csv", tmp_path / "e.csv", "--since", "May 2019")
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "not a date in YYYY-MM-DD form: 'May 2019'" in err


def test_a_missing_database_or_output_folder_is_one_line(db, tmp_path, capsys):
    assert export(tmp_path / "nowhere.db", "csv", tmp_path / "e.csv") == 1
    assert capsys.readouterr().err == (f"warmonitor: error: no warmonitor database at {tmp_path / 'nowhere.db'} "
                                       "(run 'warmonitor ingest' first)\n")
    assert not (tmp_path / "nowhere.db").exists()  # export never creates a database
    assert export(db, "parquet", tmp_path / "no" / "e.parquet") == 1
    assert capsys.readouterr().err == (f"warmonitor: error: cannot write events to {tmp_path / 'no' / 'e.parquet'}: "
                                       f"directory {tmp_path / 'no'} does not exist\n")
