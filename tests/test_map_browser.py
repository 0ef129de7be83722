"""The map page in a real browser: Debian's headless Chromium, driven by Playwright, against `warmonitor serve`.

The server is the real command, started as a subprocess on a free port over a database seeded with the
project's examples/ (22 invented reports) and two more reports, written for these tests, of one shelling
whose toll a later outlet raised, so one event has a revision history. Every expected figure is read from
that database, never written down here.

Without /usr/bin/chromium, the playwright package or the npm libraries (warmonitor/web/node_modules) these
tests skip, saying what is missing; under CI (the CI variable set) they fail instead, since CI installs them.
"""
from __future__ import annotations

import json
import os
import re
import selectors
import subprocess
import sys
import threading
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from warmonitor.store.db import Store
from warmonitor.store.queries import EventFilter, count_events, find_events
from warmonitor.web.assets import INSTALL_HINT, VENDOR_DIR, WORLD_OUTLINE, missing_assets

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 850}

# Two reports of one shelling, written for these tests: the second outlet, a day later, gives a higher toll.
TOLL_REPORTS = [
    {"id": "deir-hafer-first", "source": "Valley Wire", "date": "2020-02-11",
     "title": "Shelling of Deir Hafer kills 3",
     "text": "BEIRUT - Syrian government artillery shelled the town of Deir Hafer in Aleppo province on Monday, "
             "killing 3 civilians, the Syrian Observatory for Human Rights said. Residents fled towards nearby "
             "villages."},
    {"id": "deir-hafer-later", "source": "Euphrates Post", "date": "2020-02-12",
     "title": "Deir Hafer shelling toll rises to 11",
     "text": "BEIRUT - Syrian government guns shelled the town of Deir Hafer in Aleppo province on Monday, killing "
             "11 civilians, the Syrian Observatory for Human Rights said on Tuesday, raising its earlier count. "
             "Several homes were destroyed."},
]


def _missing_tools() -> list[str]:
    missing = []
    if not CHROMIUM.is_file():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -e '.[test]')")
    if missing_assets():
        missing.append(f"{', '.join(missing_assets())} ({INSTALL_HINT})")
    return missing


@pytest.fixture(scope="module")
def browser():
    missing = _missing_tools()
    if missing:
        message = "the browser tests need " + "; ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message + " (CI installs them: see the Makefile)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def database(browser, tmp_path_factory, pipeline) -> Path:
    """examples/ and the two toll reports, ingested with the session's pipeline (loaded once)."""
    from warmonitor.ingest import read_articles
    from warmonitor.store.ingest import ingest_articles

    folder = tmp_path_factory.mktemp("map")
    reports = folder / "toll.jsonl"
    reports.write_text("".join(json.dumps(r) + "\n" for r in TOLL_REPORTS), encoding="utf-8")
    db = folder / "events.db"
    with Store.open(db) as store:
        stats = ingest_articles(store, pipeline, read_articles([str(ROOT / "examples"), str(reports)]))
    assert stats.new_articles == 24
    return db


@pytest.fixture(scope="module")
def store(database):
    with Store.open(database, create=False) as opened:
        yield opened


@contextmanager
def serve(database: Path, *options: str):
    """`warmonitor serve` on a port the system picks, yielding its URL, read from the line it prints."""
    env = {k: v for k, v in os.environ.items() if k != "WARMONITOR_TILES"}  # only what the options say
    proc = subprocess.Popen([sys.executable, "-m", "warmonitor", "serve", "--db", str(database), "--port", "0",
                             *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    watch = selectors.DefaultSelector()
    watch.register(proc.stdout, selectors.EVENT_READ)
    line = proc.stdout.readline() if watch.select(timeout=60) else ""
    match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
    if not match:
        proc.kill()
        pytest.fail(f"warmonitor serve did not print its URL: {line!r} {proc.stderr.read()!r}")
    url = match.group(1)
    try:
        httpx.get(url + "api/config", timeout=30).raise_for_status()  # answering, not just listening
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@pytest.fixture(scope="module")
def server(database) -> str:
    """The map with its offline world outline."""
    with serve(database) as url:
        yield url


@pytest.fixture(scope="module")
def tile_server() -> str:
    """A real tile server on 127.0.0.1 answering every tile with the same small PNG (one of Leaflet's images)."""
    tile = (VENDOR_DIR / "leaflet" / "dist" / "images" / "layers.png").read_bytes()

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args):  # quiet
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def page(browser, server):
    """A fresh tab on the map, its first data drawn; console errors and every URL it asked for are kept."""
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    tab.console_errors = []
    tab.requested = []
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    tab.on("request", lambda request: tab.requested.append(request.url))
    yield tab
    context.close()


def expect(locator):
    from playwright.sync_api import expect as playwright_expect  # imported once the browser fixture checked it

    return playwright_expect(locator)


def open_map(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=20000)


def events_on_map(page) -> int:
    """Events the map draws: single circles plus the counts written on the clusters."""
    singles = page.locator("path.wm-event").count()
    clustered = sum(int(text) for text in page.locator(".wm-cluster-count").all_text_contents())
    return singles + clustered


def placed(events) -> int:
    return sum(1 for e in events if e.latitude is not None and e.longitude is not None)


def wait_for_total(page, total: int) -> None:
    """Until the counter shows the answer to the latest filter (the markers are drawn before it changes)."""
    expect(counter(page)).to_have_attribute("data-total", str(total))


def counter(page):
    return page.locator("#event-count")


def plural(n: int) -> str:
    return f"{n} event{'' if n == 1 else 's'}"


def test_the_page_loads_every_stored_event_from_our_own_server_without_errors(page, server, store):
    open_map(page, server)
    everything = find_events(store, EventFilter())

    assert counter(page).get_attribute("data-total") == str(len(everything))
    assert counter(page).inner_text().startswith(plural(len(everything)))
    assert page.locator("path.wm-event").count() + page.locator(".wm-cluster").count() > 0
    assert events_on_map(page) == placed(everything)
    # the offline outline is drawn, and no request left the machine (no CDN, no tiles)
    outline = json.loads(WORLD_OUTLINE.read_text(encoding="utf-8"))
    assert page.locator("path.wm-world").count() == len(outline["features"])
    assert [u for u in page.requested if not u.startswith(server) and not u.startswith("data:")] == []
    assert page.console_errors == []


def test_the_legend_and_the_type_filter_offer_the_stored_types(page, server, store):
    open_map(page, server)
    stored_types = {row[0] for row in store.conn.execute("SELECT DISTINCT event_type FROM events")}
    offered = set(page.locator("#filter-type option").evaluate_all("options => options.map(o => o.value)"))
    assert offered - {""} == stored_types
    for event_type in stored_types:
        assert event_type in page.locator("#legend").inner_text()


def test_choosing_a_type_narrows_the_counter_and_the_map(page, server, store):
    open_map(page, server)
    protests = find_events(store, EventFilter(event_type="Protests"))
    assert 0 < len(protests) < count_events(store, EventFilter())

    page.select_option("#filter-type", "Protests")

    counter_text = counter(page)
    wait_for_total(page, len(protests))
    assert counter_text.inner_text().startswith(plural(len(protests)))
    assert events_on_map(page) == placed(protests)
    assert page.console_errors == []


def test_choosing_a_country_and_an_actor_narrows_the_counter(page, server, store):
    open_map(page, server)
    nigeria = count_events(store, EventFilter(country="Nigeria"))
    page.select_option("#filter-country", "Nigeria")
    wait_for_total(page, nigeria)

    page.select_option("#filter-country", "")
    islamic_state = count_events(store, EventFilter(actor="Islamic State"))
    page.fill("#filter-actor", "Islamic State")
    page.press("#filter-actor", "Enter")
    wait_for_total(page, islamic_state)
    assert 0 < islamic_state < count_events(store, EventFilter())
    assert page.console_errors == []


def test_clicking_a_marker_shows_its_record_and_evidence_with_the_cited_words_marked(page, server, store):
    open_map(page, server)
    page.locator("path.wm-event").first.click()

    panel = page.locator("#panel")
    panel.locator("mark").first.wait_for()
    event = store.event(panel.get_attribute("data-event-id"))
    assert event is not None
    cited = {e.text for e in event.evidence}
    marks = panel.locator("blockquote.evidence mark").all_text_contents()
    assert marks and set(marks) <= cited
    text = panel.inner_text()
    assert event.event_type in text and event.actor1 in text and event.location in text
    for source in event.sources:
        assert source in text
    assert f"#event={event.event_id}" in page.url

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "map.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.console_errors == []


def test_an_event_linked_by_its_id_shows_the_history_of_its_toll(page, server, store):
    revised = [e for e in find_events(store, EventFilter()) if store.revisions(e.event_id)]
    assert len(revised) == 1  # the shelling both toll reports told
    event = revised[0]
    change = next(r for r in store.revisions(event.event_id) if r.field == "fatalities")

    open_map(page, f"{server}#event={event.event_id}")

    history = page.locator("#panel table.revisions tr.toll")
    history.first.wait_for()
    row = history.first.inner_text()
    assert f"{change.old} → {change.new}" in row and change.source in row
    assert page.locator("#panel").inner_text().count("deir-hafer-") >= 2  # evidence from both reports
    assert page.console_errors == []


def test_brushing_the_timeline_shows_only_the_chosen_dates(page, server, store):
    open_map(page, server)
    box = page.locator("#timeline").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.05, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=5)
    page.mouse.up()

    chosen = re.fullmatch(r"(\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)", page.locator("#brush-range").inner_text())
    assert chosen
    wanted = EventFilter(since=date.fromisoformat(chosen[1]), until=date.fromisoformat(chosen[2]))
    expected = find_events(store, wanted)
    assert 0 < len(expected) < count_events(store, EventFilter())
    wait_for_total(page, len(expected))
    assert events_on_map(page) == placed(expected)

    page.click("#brush-clear")
    wait_for_total(page, count_events(store, EventFilter()))
    assert page.console_errors == []


def test_the_control_layer_lists_who_held_what_on_the_chosen_date(page, server):
    open_map(page, server)
    day = "2019-10-20"
    answer = httpx.get(server + "api/control", params={"date": day}).json()
    assert answer["periods"]

    page.check("#control-toggle")
    page.fill("#control-date", day)
    page.dispatch_event("#control-date", "change")

    expect(page.locator("#control-list strong")).to_have_text(f"Control on {day}")
    listing = page.locator("#control-list li")
    assert listing.count() == len(answer["periods"])
    shown = "\n".join(listing.all_inner_texts())
    for period in answer["periods"]:
        assert period["place"]["name"] in shown and (period["actor"] or "no single holder") in shown
    with_point = [p for p in answer["periods"] if p["place"]["latitude"] is not None]
    assert page.locator(".wm-control-badge").count() == len(with_point)
    assert page.console_errors == []


def test_with_a_tile_url_the_map_draws_tiles_instead_of_the_outline(browser, database, tile_server):
    template = tile_server + "/{z}/{x}/{y}.png"
    with serve(database, "--tiles", template) as url:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        open_map(page, url)
        page.locator("img.leaflet-tile-loaded").first.wait_for()

        assert any(u.startswith(tile_server + "/") and u.endswith(".png") for u in requested)
        assert not any(u.endswith("/world.geojson") for u in requested)
        assert page.locator("path.wm-world").count() == 0
        context.close()
