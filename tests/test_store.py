"""The embedded store on its own: one SQLite file in WAL mode, migrated by user_version; merged events with
an R*Tree map index that follows their coordinates; the shared event filters; clear errors for bad files.
No language model is needed: events are made by hand."""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from warmonitor.errors import UserError
from warmonitor.model import Article, Event, Revision
from warmonitor.store.db import Store, content_hash
from warmonitor.store.queries import EventFilter, count_events, find_events, parse_bbox


def clash(location: str, lat: float | None, lon: float | None, day: date, **fields) -> Event:
    defaults = dict(event_type="Battles", sub_event_type="Armed clash", country="Syria", admin1="Idleb",
                    actor1="Military Forces of Syria", actor2="Hayat Tahrir al-Sham", fatalities=3,
                    notes=f"Troops and rebels fought in {location}.")
    return Event(event_id="", article_id="hand", event_date=day, location=location, latitude=lat,
                 longitude=lon, **{**defaults, **fields})


def stored(store: Store, event: Event) -> int:
    with store.transaction():
        rowid, event.event_id = store.new_event_id()
        store.add_event(rowid, event)
    return rowid


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "test.db") as s:
        yield s


@pytest.fixture
def towns(store):
    """Four events: three in Idleb province, a week apart, and one in Aleppo with no coordinates."""
    stored(store, clash("Saraqeb", 35.8624, 36.8053, date(2019, 5, 1), fatalities=12))
    stored(store, clash("Ariha", 35.8131, 36.6086, date(2019, 5, 8), sub_event_type="Air/drone strike",
                        event_type="Explosions/Remote violence", actor2="Civilians (Syria)"))
    stored(store, clash("Jisr al-Shughur", 35.8126, 36.3195, date(2019, 5, 15),
                        assoc_actor_1="Liwa al-Quds; Russian Military Forces"))
    stored(store, clash("Aleppo countryside", None, None, date(2019, 5, 22), admin1="Aleppo",
                        notes="Shelling was reported around the countryside."))
    return store


def ids(events: list[Event]) -> list[str]:
    return [e.location for e in events]


def test_a_new_database_is_one_wal_file_at_the_latest_schema(tmp_path):
    path = tmp_path / "new.db"
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.schema_version == store.latest_version >= 1
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sources", "articles", "events", "events_bbox", "mentions", "claims", "control_statements",
            "revisions"} <= tables
    # opening it again applies nothing twice
    with Store.open(path) as again:
        assert again.schema_version == again.latest_version


def test_content_hash_folds_whitespace_only():
    text = "Gunmen attacked a checkpoint near Ariha.\nTwo soldiers were killed."
    assert content_hash(text) == content_hash("  Gunmen attacked a checkpoint   near Ariha. Two soldiers\twere "
                                              "killed.\n")
    assert content_hash(text) != content_hash(text.replace("Two", "Three"))


def test_an_article_is_stored_once_by_its_text(store):
    article = Article(id="a", text="Rebels shelled Saraqeb.", source="Levant Wire", published=date(2019, 5, 2))
    with store.transaction():
        store.add_article(article, content_hash(article.text))
    assert store.has_article(content_hash("Rebels  shelled\nSaraqeb."))
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.add_article(article, content_hash(article.text))
    assert store.count("articles") == 1 and store.count("sources") == 1


def test_event_ids_are_stable_and_the_record_round_trips(store):
    event = clash("Saraqeb", 35.8624, 36.8053, date(2019, 5, 1), sources=["Levant Wire", "Orontes Daily"],
                  article_ids=["a", "b"], fatalities_low=12, fatalities_best=20, fatalities_high=36)
    stored(store, event)
    assert event.event_id == "WM000001"
    assert store.event("WM000001") == event


def test_the_map_index_follows_an_event_that_moves(store):
    event = clash("Idleb province", None, None, date(2019, 5, 1))
    rowid = stored(store, event)
    assert store.conn.execute("SELECT COUNT(*) FROM events_bbox").fetchone()[0] == 0  # no point, no box
    event.location, event.latitude, event.longitude = "Saraqeb", 35.8624, 36.8053
    with store.transaction():
        store.update_event(rowid, event)
    box = store.conn.execute("SELECT min_lon, max_lon, min_lat, max_lat FROM events_bbox WHERE id = ?",
                             (rowid,)).fetchone()
    assert tuple(box) == pytest.approx((36.8053, 36.8053, 35.8624, 35.8624), abs=1e-4)  # rtree stores float32
    assert store.conn.execute("SELECT location FROM events WHERE id = ?", (rowid,)).fetchone()[0] == "Saraqeb"


def test_revisions_are_read_back_in_order(store):
    rowid = stored(store, clash("Saraqeb", 35.8624, 36.8053, date(2019, 5, 1)))
    revision = Revision(event_id="WM000001", field="fatalities", old=12, new=36, article_id="b",
                        source="Orontes Daily", published=date(2019, 5, 3), reason="toll raised")
    with store.transaction():
        store.add_revisions(rowid, None, [revision])
    assert store.revisions("WM000001") == [revision]


def test_a_failed_transaction_leaves_nothing(store):
    with pytest.raises(RuntimeError), store.transaction():
        store.add_article(Article(id="a", text="Rebels shelled Saraqeb."), content_hash("Rebels shelled Saraqeb."))
        raise RuntimeError("killed half way")
    assert store.count("articles") == 0


def test_filters_by_date_place_type_and_actor(towns):
    assert ids(find_events(towns, EventFilter(since=date(2019, 5, 8), until=date(2019, 5, 15)))) == [
        "Ariha", "Jisr al-Shughur"]
    assert ids(find_events(towns, EventFilter(country="syria", admin1="aleppo"))) == ["Aleppo countryside"]
    assert ids(find_events(towns, EventFilter(event_type="Explosions/Remote violence"))) == ["Ariha"]
    assert ids(find_events(towns, EventFilter(sub_event_type="armed clash", min_fatalities=10))) == ["Saraqeb"]
    # an actor on either side, or among the associated actors
    assert ids(find_events(towns, EventFilter(actor="Civilians (Syria)"))) == ["Ariha"]
    assert ids(find_events(towns, EventFilter(actor="Russian Military Forces"))) == ["Jisr al-Shughur"]
    assert find_events(towns, EventFilter(actor="Russian")) == []  # whole names, not parts
    assert count_events(towns, EventFilter(country="Iraq")) == 0


def test_free_text_and_paging(towns):
    assert ids(find_events(towns, EventFilter(text="shelling countryside"))) == ["Aleppo countryside"]
    assert ids(find_events(towns, EventFilter(text="100%"))) == []  # LIKE's wildcards are matched literally
    everything = ids(find_events(towns, EventFilter()))
    assert everything == ["Saraqeb", "Ariha", "Jisr al-Shughur", "Aleppo countryside"]  # by date
    assert ids(find_events(towns, EventFilter(limit=2, offset=1))) == everything[1:3]
    assert ids(find_events(towns, EventFilter(offset=3))) == everything[3:]


def test_a_bounding_box_returns_only_the_events_inside_it(towns):
    # a box around Saraqeb and Ariha (east of 36.5°E), leaving out Jisr al-Shughur (36.32°E)
    inside = find_events(towns, EventFilter(bbox=parse_bbox("36.5,35.7,37.0,36.0")))
    assert ids(inside) == ["Saraqeb", "Ariha"]
    assert all(36.5 <= e.longitude <= 37.0 and 35.7 <= e.latitude <= 36.0 for e in inside)
    # an event without coordinates is in no box, however large
    assert "Aleppo countryside" not in ids(find_events(towns, EventFilter(bbox=(-180, -90, 180, 90))))


@pytest.mark.parametrize("bad, message", [
    (EventFilter(event_type="Battle"), "unknown event type 'Battle'"),
    (EventFilter(sub_event_type="Airstrike"), "unknown sub-event type 'Airstrike'"),
    (EventFilter(since=date(2020, 1, 2), until=date(2020, 1, 1)), "is after --until"),
    (EventFilter(min_fatalities=-1), "0 or more"),
    (EventFilter(bbox=(37.0, 35.7, 36.5, 36.0)), "smaller values first"),
])
def test_a_filter_that_cannot_match_is_a_clear_error(towns, bad, message):
    with pytest.raises(UserError, match=message):
        find_events(towns, bad)


def test_a_malformed_bounding_box_is_a_clear_error():
    with pytest.raises(UserError, match="not a bounding box"):
        parse_bbox("36.5,35.7,37.0")


def test_bad_database_paths_are_clear_errors(tmp_path):
    with pytest.raises(UserError, match="directory .* does not exist"):
        Store.open(tmp_path / "missing" / "x.db")
    with pytest.raises(UserError, match="no warmonitor database"):
        Store.open(tmp_path / "absent.db", create=False)
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(UserError, match="file is not a database"):
        Store.open(not_a_db)
    with pytest.raises(UserError, match="cannot open database"):
        Store.open(tmp_path)  # a directory


def test_a_database_from_a_newer_warmonitor_is_refused(tmp_path):
    path = tmp_path / "future.db"
    with Store.open(path) as store:
        store.conn.execute(f"PRAGMA user_version = {store.latest_version + 1}")
    with pytest.raises(UserError, match="newer warmonitor"):
        Store.open(path)


def test_merge_candidates_are_in_the_window_and_country_or_undated(towns):
    stored(towns, clash("Somewhere in Idleb", None, None, None, admin1="Idleb"))
    stored(towns, clash("Mosul", 36.34, 43.13, date(2019, 5, 9), country="Iraq", admin1="Ninewa"))
    found = towns.merge_candidates("Syria", date(2019, 5, 6), date(2019, 5, 16))
    assert [e.location for _, e in found] == ["Ariha", "Jisr al-Shughur", "Somewhere in Idleb"]
    # an open end is unbounded, and the events an article already joined are left out
    found = towns.merge_candidates("Syria", date(2019, 5, 10), None, exclude={3})
    assert [e.location for _, e in found] == ["Aleppo countryside", "Somewhere in Idleb"]
