"""The JSON API and `warmonitor serve`, against a real uvicorn server on a free local port.

The database is the project's own: `warmonitor ingest` over examples/ (22 invented reports) and two more reports
of one clash, from two outlets, the later raising the toll, so one event has a revision history.
"""
from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from datetime import date
from pathlib import Path

import httpx
import pytest
import uvicorn

from warmonitor.cli import main
from warmonitor.store.db import Store
from warmonitor.web.api import sentence_bounds
from warmonitor.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]

# Two reports of one clash, written for these tests; the second outlet gives a higher toll.
TOLL_REPORTS = [
    {"id": "tal-rifaat-first", "source": "Northern Dispatch", "date": "2021-07-06",
     "title": "Clashes near Tal Rifaat kill 7",
     "text": "BEIRUT - Turkish-backed Syrian National Army fighters and the Syrian Democratic Forces fought on the "
             "edge of Tal Rifaat in Aleppo province on Monday, killing 7 fighters, the Syrian Observatory for Human "
             "Rights said. Artillery fire was heard well into the evening."},
    {"id": "tal-rifaat-later", "source": "Aleppo Courier", "date": "2021-07-07",
     "title": "Toll from Tal Rifaat fighting rises to 19",
     "text": "BEIRUT - The death toll from Monday's fighting between the Syrian National Army and the Syrian "
             "Democratic Forces near Tal Rifaat, north of Aleppo, has risen to 19 fighters, the Syrian Observatory "
             "for Human Rights said on Wednesday. Both sides sent reinforcements overnight."},
]


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("api")
    reports = folder / "toll.jsonl"
    reports.write_text("".join(json.dumps(r) + "\n" for r in TOLL_REPORTS), encoding="utf-8")
    db = folder / "events.db"
    assert main(["ingest", str(ROOT / "examples"), str(reports), "--db", str(db)]) == 0
    return db


@pytest.fixture(scope="module")
def app(database):
    return create_app(database)


@pytest.fixture(scope="module")
def api(app) -> httpx.Client:
    """A client of the app served by uvicorn in a thread, on a port the system picked."""
    listener = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            pytest.fail("the test server did not start")
        threading.Event().wait(0.01)
    port = listener.getsockname()[1]
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        yield client
    server.should_exit = True
    thread.join(timeout=10)
    listener.close()


@pytest.fixture(scope="module")
def everything(api) -> list[dict]:
    """Every stored event, as the API lists it unfiltered."""
    body = api.get("/api/events", params={"limit": 500}).json()
    assert body["total"] == len(body["events"])
    return body["events"]


def ids(events: list[dict]) -> list[str]:
    return [e["event_id"] for e in events]


def fetch(api, path: str, **params) -> dict:
    response = api.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


# --- /api/events ---------------------------------------------------------------------------------------------

def test_events_are_the_stored_merged_records(api, database, everything):
    with Store.open(database, create=False) as store:
        assert len(everything) == store.count("events") == 34  # 33 from examples/, 1 from the two toll reports
        stored = {e.event_id: e.to_dict() for e in store.events()}
    assert {e["event_id"]: e for e in everything} == stored
    dates = [e["event_date"] or "" for e in everything]
    assert dates == sorted(dates)  # by date, then arrival, so pages never overlap


def test_the_default_page_is_100_and_pages_follow_each_other(api, everything):
    assert fetch(api, "/api/events")["limit"] == 100
    first = fetch(api, "/api/events", limit=10, offset=0)
    second = fetch(api, "/api/events", limit=10, offset=10)
    assert first["total"] == second["total"] == len(everything)
    assert ids(first["events"]) + ids(second["events"]) == ids(everything[:20])
    assert fetch(api, "/api/events", limit=10, offset=len(everything))["events"] == []


def _in_box(e: dict, box: tuple[float, float, float, float]) -> bool:
    return (e["longitude"] is not None and box[0] <= e["longitude"] <= box[2]
            and box[1] <= e["latitude"] <= box[3])


SYRIA_BOX = (35.5, 32.3, 42.4, 37.4)

# each filter, and which events it must select: worked out here from the unfiltered list
FILTERS = {
    "country": ({"country": "syria"}, lambda e: e["country"] == "Syria"),
    "admin1": ({"admin1": "Deir-ez-Zor"}, lambda e: e["admin1"] == "Deir-ez-Zor"),
    "event_type": ({"event_type": "Battles"}, lambda e: e["event_type"] == "Battles"),
    "sub_event_type": ({"sub_event_type": "armed clash"}, lambda e: e["sub_event_type"] == "Armed clash"),
    "actor": ({"actor": "Islamic State"}, lambda e: "Islamic State" in (e["actor1"], e["actor2"])
              or "Islamic State" in (e["assoc_actor_1"] or "").split("; ")
              or "Islamic State" in (e["assoc_actor_2"] or "").split("; ")),
    "min_fatalities": ({"min_fatalities": 10}, lambda e: e["fatalities"] >= 10),
    "date range": ({"since": "2018-01-01", "until": "2019-12-31"},
                   lambda e: e["event_date"] is not None and "2018-01-01" <= e["event_date"] <= "2019-12-31"),
    "bbox": ({"bbox": ",".join(map(str, SYRIA_BOX))}, lambda e: _in_box(e, SYRIA_BOX)),
    "q": ({"q": "ARMY said"}, lambda e: all(
        w in " ".join(e[k] or "" for k in ("notes", "location", "admin1", "actor1", "actor2")).casefold()
        for w in ("army", "said"))),
}


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_narrows_the_list_to_the_events_it_describes(api, everything, name):
    params, wanted = FILTERS[name]
    expected = [e for e in everything if wanted(e)]
    assert 0 < len(expected) < len(everything), "the examples should give this filter something to do"
    body = fetch(api, "/api/events", **params)
    assert ids(body["events"]) == ids(expected)
    assert body["total"] == len(expected)


def test_filters_combine(api, everything):
    body = fetch(api, "/api/events", country="Syria", event_type="Battles", min_fatalities=1)
    assert ids(body["events"]) == ids([e for e in everything if e["country"] == "Syria"
                                       and e["event_type"] == "Battles" and e["fatalities"] >= 1])


@pytest.mark.parametrize("params, says", [
    ({"since": "2018-02-30"}, "since: "),
    ({"until": "yesterday"}, "until: "),
    ({"since": "2019-01-01", "until": "2018-01-01"}, "since 2019-01-01 is after until 2018-01-01"),
    ({"bbox": "35,32,42"}, "not a bounding box"),
    ({"bbox": "42,32,35,37"}, "smaller values first"),
    ({"bbox": "35,-95,42,37"}, "within -180..180 and -90..90"),
    ({"limit": "501"}, "limit: Input should be less than or equal to 500"),
    ({"limit": "-1"}, "limit: "),
    ({"offset": "ten"}, "offset: "),
    ({"min_fatalities": "-3"}, "min_fatalities: "),
    ({"event_type": "Skirmish"}, "unknown event type 'Skirmish'"),
    ({"sub_event_type": "Dogfight"}, "unknown sub-event type 'Dogfight'"),
])
def test_a_bad_parameter_is_a_422_with_a_one_line_reason(api, params, says):
    response = api.get("/api/events", params=params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail
    assert says in detail


@pytest.mark.parametrize("params", [
    {"q": "' OR 1=1 --"},
    {"q": "%"},
    {"q": "_"},
    {"actor": "x' OR '1'='1"},
    {"actor": "%"},
    {"country": "Syria' OR 'a'='a"},
    {"admin1": "'; DROP TABLE events; --"},
])
def test_sql_in_a_value_is_just_text_that_matches_nothing(api, database, params):
    body = fetch(api, "/api/events", **params)
    assert body == {"total": 0, "limit": 100, "offset": 0, "events": []}
    with Store.open(database, create=False) as store:
        assert store.count("events") == 34


def test_the_api_refuses_over_long_values(api):
    response = api.get("/api/events", params={"q": "x" * 201})
    assert response.status_code == 422
    assert "q: String should have at most 200 characters" in response.json()["detail"]


# --- /api/events/{event_id} ---------------------------------------------------------------------------------

def test_an_event_comes_with_its_reports_claims_and_evidence_sentences(api, database, everything):
    mayadin = next(e for e in everything if e["location"] == "Al Mayadin")
    body = fetch(api, f"/api/events/{mayadin['event_id']}")
    assert body["event"] == mayadin
    assert [a["article_id"] for a in body["articles"]] == ["01-mayadin-clash"]
    assert body["articles"][0]["source"] == "Reuters" and body["articles"][0]["title"]
    assert {c["claimant"] for c in body["claims"]} == {c["claimant"] for c in mayadin["claims"]}
    assert body["revisions"] == []

    with Store.open(database, create=False) as store:
        article_text = store.conn.execute("SELECT text FROM articles WHERE article_id = '01-mayadin-clash'"
                                          ).fetchone()[0]
    cited_fields = set()
    for sentence in body["sentences"]:
        # the sentence is the article's own text, and every cited span lies inside it
        assert article_text[sentence["start"]:sentence["end"]] == sentence["text"]
        for cited in sentence["cited"]:
            assert sentence["text"][cited["start"]:cited["end"]] == cited["text"]
            cited_fields.add(cited["field"])
    assert {"event_type", "actor1", "actor2", "location", "fatalities", "event_date"} <= cited_fields
    trigger = next(s for s in body["sentences"] if any(c["field"] == "event_type" for c in s["cited"]))
    assert trigger["text"] == mayadin["notes"]  # read back from the text, it is the sentence the notes quote


def test_every_event_finds_its_trigger_sentence(api, everything):
    for event in everything:
        sentences = fetch(api, f"/api/events/{event['event_id']}")["sentences"]
        trigger = [s for s in sentences if any(c["field"] == "event_type" for c in s["cited"])]
        assert trigger and trigger[0]["text"] == event["notes"], event["event_id"]


def test_a_raised_toll_shows_in_the_revision_history(api, everything):
    clash = next(e for e in everything if e["article_ids"] == ["tal-rifaat-first", "tal-rifaat-later"])
    body = fetch(api, f"/api/events/{clash['event_id']}")
    assert body["event"]["fatalities"] == 19
    assert body["sources"] == ["Northern Dispatch", "Aleppo Courier"]
    assert [a["article_id"] for a in body["articles"]] == ["tal-rifaat-first", "tal-rifaat-later"]
    [revision] = body["revisions"]
    assert (revision["field"], revision["old"], revision["new"]) == ("fatalities", 7, 19)
    assert revision["source"] == "Aleppo Courier" and revision["published"] == "2021-07-07"
    [sentence] = revision["sentences"]
    assert sentence["text"].startswith("BEIRUT - The death toll from Monday's fighting")
    assert [c["text"] for c in sentence["cited"]] == ["19"]
    # evidence from both reports, each sentence read from its own article
    assert {s["article_id"] for s in body["sentences"]} == {"tal-rifaat-first", "tal-rifaat-later"}


def test_an_unknown_event_is_a_404(api):
    response = api.get("/api/events/WM999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "no event 'WM999999'"}


def test_sentence_bounds_skip_abbreviations_and_stop_at_line_breaks():
    text = "Headline of the day\nU.S. forces struck a depot at 4 a.m. on Friday. Nobody was hurt."
    start = text.index("depot")
    assert text[slice(*sentence_bounds(text, start, start + 5))] == \
        "U.S. forces struck a depot at 4 a.m. on Friday."
    start = text.index("Nobody")
    assert text[slice(*sentence_bounds(text, start, start + 6))] == "Nobody was hurt."


# --- /api/events.geojson ------------------------------------------------------------------------------------

def test_geojson_has_a_point_per_placed_event_and_the_same_filters(api, everything):
    collection = fetch(api, "/api/events.geojson", country="Syria")
    syrian = [e for e in everything if e["country"] == "Syria"]
    assert collection["type"] == "FeatureCollection" and collection["total"] == len(syrian)
    assert [f["id"] for f in collection["features"]] == ids(syrian)
    for feature, event in zip(collection["features"], syrian):
        if event["latitude"] is None:
            assert feature["geometry"] is None  # coordinates are never invented
        else:
            assert feature["geometry"] == {"type": "Point", "coordinates": [event["longitude"], event["latitude"]]}
        assert feature["properties"]["event_type"] == event["event_type"]
        assert feature["properties"]["fatalities"] == event["fatalities"]
    assert api.get("/api/events.geojson").headers["content-type"] == "application/geo+json"
    assert api.get("/api/events.geojson", params={"limit": 5001}).status_code == 422


# --- /api/stats ---------------------------------------------------------------------------------------------

def test_stats_count_events_and_fatalities_by_day_type_and_admin1(api, everything):
    stats = fetch(api, "/api/stats")
    assert stats["total"] == {"events": len(everything), "fatalities": sum(e["fatalities"] for e in everything)}
    by_day = Counter(e["event_date"] for e in everything)
    assert {d["date"]: d["events"] for d in stats["by_day"]} == by_day
    assert {t["event_type"]: t["events"] for t in stats["by_type"]} == Counter(e["event_type"] for e in everything)
    per_admin1 = Counter((e["country"], e["admin1"]) for e in everything)
    assert {(a["country"], a["admin1"]): a["events"] for a in stats["by_admin1"]} == per_admin1
    killed_by_type = Counter()
    for e in everything:
        killed_by_type[e["event_type"]] += e["fatalities"]
    assert {t["event_type"]: t["fatalities"] for t in stats["by_type"]} == killed_by_type


def test_stats_take_the_same_filters(api, everything):
    syrian = [e for e in everything if e["country"] == "Syria"]
    stats = fetch(api, "/api/stats", country="Syria")
    assert stats["total"]["events"] == len(syrian)
    assert {a["country"] for a in stats["by_admin1"]} == {"Syria"}
    assert api.get("/api/stats", params={"since": "not-a-day"}).status_code == 422


# --- /api/control -------------------------------------------------------------------------------------------

def holders(body: dict, place: str) -> list[str]:
    return [p["actor"] for p in body["periods"] if p["place"]["name"] == place]


def test_control_tells_who_held_a_place_before_and_after_a_handover(api):
    # examples/17: the Syrian Democratic Forces handed Manbij to government troops on 2019-10-15
    before = fetch(api, "/api/control", date="2019-10-14")
    after = fetch(api, "/api/control", date="2019-10-16")
    assert holders(before, "Manbij") == ["Syrian Democratic Forces"]
    assert holders(after, "Manbij") == ["Military Forces of Syria"]
    assert after["date"] == "2019-10-16"


@pytest.mark.parametrize("day", ["2017-01-01", "2019-10-16", "2023-01-15", "2024-06-01"])
def test_control_is_the_stored_timeline_on_that_day(api, database, day):
    from warmonitor.territory import build_timeline, control_on

    with Store.open(database, create=False) as store:
        expected = control_on(build_timeline(store.control_statements(), store.events()), date.fromisoformat(day))
    assert expected
    assert fetch(api, "/api/control", date=day)["periods"] == [p.to_dict() for p in expected]


def test_control_can_be_limited_to_a_country(api):
    everywhere = fetch(api, "/api/control", date="2019-10-16")["periods"]
    somalia = fetch(api, "/api/control", date="2019-10-16", country="somalia")["periods"]
    assert somalia and len(somalia) < len(everywhere)
    assert {p["place"]["country"] for p in somalia} == {"Somalia"}


def test_control_needs_a_real_date(api):
    assert api.get("/api/control").json()["detail"] == "date: Field required"
    response = api.get("/api/control", params={"date": "2019-02-30"})
    assert response.status_code == 422 and response.json()["detail"].startswith("date: ")


# --- the OpenAPI page and the map's hooks -------------------------------------------------------------------

def test_the_openapi_page_documents_every_endpoint(api):
    schema = fetch(api, "/api/openapi.json")
    assert {"/api/events", "/api/events/{event_id}", "/api/events.geojson", "/api/stats", "/api/control",
            "/api/config"} <= set(schema["paths"])
    names = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert names == {"bbox", "since", "until", "country", "admin1", "event_type", "sub_event_type", "actor",
                     "min_fatalities", "q", "limit", "offset"}
    page = api.get("/api/docs")
    assert page.status_code == 200 and "/api/openapi.json" in page.text


def test_the_map_reads_its_tile_setting_and_files_from_the_app(api, app, tmp_path):
    assert fetch(api, "/api/config") == {"tiles": None}
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "index.html").write_text("<title>a stand-in page</title>", encoding="utf-8")
    (tmp_path / "static" / "app.js").write_text("/* a stand-in script */", encoding="utf-8")
    (tmp_path / "leaflet").mkdir()
    (tmp_path / "leaflet" / "leaflet.js").write_text("/* a stand-in library */", encoding="utf-8")
    (tmp_path / "outline.geojson").write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    folders = ("static_dir", "vendor_dir", "world_outline")
    saved = {name: getattr(app.state, name) for name in folders}
    try:
        # the folders are looked up when a request comes, so they may be set (or filled) after start
        app.state.static_dir = tmp_path / "static"
        app.state.vendor_dir = tmp_path
        app.state.world_outline = tmp_path / "outline.geojson"
        assert "a stand-in page" in api.get("/").text
        assert api.get("/static/app.js").text == "/* a stand-in script */"
        assert api.get("/vendor/leaflet/leaflet.js").text == "/* a stand-in library */"
        assert api.get("/vendor/../outline.geojson").status_code == 404  # nothing outside the folder
        world = api.get("/world.geojson")
        assert world.headers["content-type"] == "application/geo+json" and world.json()["features"] == []

        app.state.vendor_dir = tmp_path / "not-installed"
        app.state.world_outline = tmp_path / "not-built.geojson"
        missing = api.get("/vendor/leaflet/leaflet.js")
        assert missing.status_code == 404 and missing.json() == {"detail": "not-installed/ is not installed"}
        assert api.get("/world.geojson").json() == {"detail": "no world outline has been built"}
    finally:
        for name, value in saved.items():
            setattr(app.state, name, value)


# --- warmonitor serve ---------------------------------------------------------------------------------------

def test_serve_prints_its_url_and_serves_the_database_until_stopped(database):
    process = subprocess.Popen(
        [sys.executable, "-m", "warmonitor", "serve", "--db", str(database), "--port", "0",
         "--tiles", "https://tile.example.org/{z}/{x}/{y}.png"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith(f"warmonitor: serving {database} at http://127.0.0.1:")
        url = line.split(" at ")[1].split()[0]
        assert httpx.get(url + "api/events", params={"limit": 1}).json()["total"] == 34
        assert httpx.get(url + "api/config").json() == {"tiles": "https://tile.example.org/{z}/{x}/{y}.png"}
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=15)
    # uvicorn answers the requests in flight, then ends by the signal it was sent, as a parent expects
    assert process.returncode == -signal.SIGTERM
    # nothing on stderr but, on a machine without the map's npm files, one warning line
    assert all(line.startswith("warmonitor: warning: the map page lacks") for line in stderr.splitlines())


def test_serve_refuses_a_missing_database_in_one_line(tmp_path, capsys):
    missing = tmp_path / "nothing.db"
    assert main(["serve", "--db", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err == f"warmonitor: error: no warmonitor database at {missing} (run 'warmonitor ingest' first)\n"
    assert not missing.exists()


def test_serve_refuses_a_port_in_use_in_one_line(database, capsys):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["serve", "--db", str(database), "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"warmonitor: error: cannot listen on 127.0.0.1:{port}: ") and err.count("\n") == 1
