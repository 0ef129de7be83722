"""`warmonitor ingest`: articles into the store, once each, one transaction per article, their events merged
across reports. A report is folded into the event another outlet already told, with a revision when it
raises the toll; a run killed with SIGKILL loses nothing it committed and a re-run finishes the job."""
from __future__ import annotations

import http.server
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest

from warmonitor.cli import main
from warmonitor.ingest import read_articles
from warmonitor.store.db import Store
from warmonitor.store.ingest import ingest_articles

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("articles", "sources", "events", "mentions", "claims", "control_statements", "revisions")

# Two reports of one clash, from two outlets; the later one gives a higher toll.
FIRST_REPORT = {
    "id": "kafr-nabuda-first", "source": "Levant Wire", "date": "2019-05-08",
    "title": "Fighting near Kafr Nabuda kills 12",
    "text": "BEIRUT - Syrian government troops and Hayat Tahrir al-Sham fighters clashed in the town of Kafr "
            "Nabuda in Hama province on Tuesday, killing 12 fighters, the Syrian Observatory for Human Rights "
            "said. The monitor said the fighting went on through the night."}
LATER_REPORT = {
    "id": "kafr-nabuda-later", "source": "Orontes Daily", "date": "2019-05-09",
    "title": "Toll from Kafr Nabuda battle rises to 36",
    "text": "BEIRUT - The death toll from Tuesday's clashes between Syrian government forces and Hayat Tahrir "
            "al-Sham in Kafr Nabuda, in northern Hama, has risen to 36 fighters, the Syrian Observatory for "
            "Human Rights said on Thursday."}

TOWNS = ["Saraqib", "Maarat al-Numan", "Khan Shaykhun", "Jisr al-Shughur", "Kafr Nabudah", "Al Bab", "Manbij",
         "Azaz", "Jarabulus", "Al Mayadin"]
TEMPLATES = [
    "Government forces and rebels fought in {town} on {weekday}, killing {toll} fighters, a war monitor said. "
    "Residents reported heavy gunfire overnight.",
    "Clashes between Syrian troops and rebel fighters in {town} on {weekday} left {toll} people dead, according "
    "to a monitoring group. The fighting lasted several hours.",
    "Rebels attacked army positions on the edge of {town} on {weekday}. At least {toll} soldiers were killed in "
    "the assault, a local official said.",
]


def write_jsonl(path: Path, *rows: dict) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def generated_corpus(folder: Path, n: int = 30) -> Path:
    """n short reports, one file each: ten towns, each told by three templates on its own day."""
    folder.mkdir()
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        day = date(2019, 3, 1) + timedelta(days=4 * (i % len(TOWNS)))
        text = TEMPLATES[i // len(TOWNS) % len(TEMPLATES)].format(town=town, weekday=f"{day:%A}", toll=3 + i)
        published = day + timedelta(days=1 + i // len(TOWNS))
        (folder / f"report-{i:02d}.txt").write_text(f"date {published.isoformat()}\nFighting in {town}\n\n{text}\n",
                                                 encoding="utf-8")
    return folder


def counts(db: Path) -> dict[str, int]:
    with Store.open(db) as store:
        return {t: store.count(t) for t in TABLES}


def ingest(db: Path, pipeline, paths, warnings: list[str] | None = None):
    with Store.open(db) as store:
        return ingest_articles(store, pipeline, read_articles([str(p) for p in paths]),
                               warn=(warnings.append if warnings is not None else None))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generated_corpus(tmp_path_factory.mktemp("corpus") / "reports")


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory, corpus, pipeline) -> Path:
    """The corpus ingested once, start to finish: what any interrupted-and-resumed run must end as."""
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    ingest(db, pipeline, [corpus])
    return db


def test_the_same_corpus_twice_adds_nothing(tmp_path, corpus, clean_run, pipeline):
    db = tmp_path / "twice.db"
    first = ingest(db, pipeline, [corpus])
    assert first.read == first.new_articles == 30 and first.duplicates == 0
    assert first.events_new > 0 and first.events_new + first.events_merged == counts(db)["mentions"]
    after_first = counts(db)
    second = ingest(db, pipeline, [corpus])
    assert (second.read, second.new_articles, second.duplicates, second.events_new) == (30, 0, 30, 0)
    assert counts(db) == after_first == counts(clean_run)


def test_a_copy_with_other_whitespace_in_the_same_batch_is_a_duplicate(tmp_path, pipeline):
    rewrapped = {**FIRST_REPORT, "id": "rewrapped", "text": FIRST_REPORT["text"].replace(" ", "\n", 3)}
    stats = ingest(tmp_path / "t.db", pipeline, [write_jsonl(tmp_path / "w.jsonl", FIRST_REPORT, rewrapped)])
    assert (stats.new_articles, stats.duplicates) == (1, 1)
    assert counts(tmp_path / "t.db")["articles"] == 1


def test_two_outlets_reports_of_one_clash_become_one_event_with_a_revision(tmp_path, pipeline):
    db = tmp_path / "t.db"
    stats = ingest(db, pipeline, [write_jsonl(tmp_path / "wire.jsonl", FIRST_REPORT, LATER_REPORT)])
    assert (stats.events_new, stats.events_merged) == (1, 1)
    with Store.open(db) as store:
        [event] = store.events()
        assert event.sources == ["Levant Wire", "Orontes Daily"]
        assert event.article_ids == ["kafr-nabuda-first", "kafr-nabuda-later"]
        assert event.source == "Levant Wire; Orontes Daily"
        assert event.location == "Kafr Nabudah" and event.event_date == date(2019, 5, 7)
        assert (event.fatalities_low, event.fatalities_high) == (12, 36)
        [raised] = [r for r in store.revisions(event.event_id) if r.field == "fatalities"]
        assert (raised.old, raised.new, raised.article_id, raised.source) == (12, 36, "kafr-nabuda-later",
                                                                              "Orontes Daily")
        assert [e.text for e in raised.evidence] == ["36"]
        # each report keeps its own record as a mention, and the later one says why it joined
        mentions = store.conn.execute("SELECT record, match FROM mentions ORDER BY id").fetchall()
        assert [json.loads(m["record"])["fatalities"] for m in mentions] == [12, 36]
        assert mentions[0]["match"] is None and json.loads(mentions[1]["match"])["reasons"]
        # the per-report claims are kept, each tied to its mention
        assert store.count("claims") >= 2


def test_an_article_without_events_is_still_stored(tmp_path, pipeline):
    calm = {"id": "harvest", "date": "2019-06-01",
            "text": "The city council in Hama approved a new budget for public libraries on Monday."}
    stats = ingest(tmp_path / "t.db", pipeline, [write_jsonl(tmp_path / "calm.jsonl", calm)])
    assert (stats.new_articles, stats.events_new, stats.problems) == (1, 0, 0)
    with Store.open(tmp_path / "t.db") as store:
        row = store.conn.execute("SELECT article_id, skipped, published FROM articles").fetchone()
    assert tuple(row) == ("harvest", "no conflict vocabulary", "2019-06-01")


def test_the_command_reports_bad_inputs_and_ingests_the_rest(tmp_path, capsys):
    good = write_jsonl(tmp_path / "wire.jsonl", FIRST_REPORT, LATER_REPORT)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    db = tmp_path / "t.db"
    status = main(["ingest", str(tmp_path / "empty.txt"), str(good), str(tmp_path / "image.txt"), "--db", str(db)])
    err = capsys.readouterr().err.splitlines()
    assert status == 0
    assert f"warmonitor: error: {tmp_path / 'empty.txt'}: empty file" in err
    assert f"warmonitor: error: {tmp_path / 'image.txt'}: not UTF-8 text (binary?)" in err
    assert err[-1] == ("warmonitor: 2 article(s) read, 2 new, 0 already stored, 1 event(s) new, "
                       "1 merged into stored events, 2 problem(s)")
    assert counts(db)["articles"] == 2


def test_the_command_with_nothing_readable_fails_without_loading_models(tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("")
    status = main(["ingest", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "t.db")])
    assert status == 1
    assert capsys.readouterr().err.splitlines()[-1] == "warmonitor: error: no article could be read"


@pytest.mark.parametrize("db, message", [
    ("missing-dir/t.db", "cannot create database {tmp}/missing-dir/t.db: directory {tmp}/missing-dir does not exist"),
    ("notes.db", "cannot open database {tmp}/notes.db: file is not a database"),
])
def test_a_bad_database_path_is_one_line(tmp_path, capsys, db, message):
    (tmp_path / "notes.db").write_text("not a database\n" * 200)
    status = main(["ingest", str(tmp_path / "x.txt"), "--db", str(tmp_path / db)])
    assert status == 1
    assert capsys.readouterr().err == f"warmonitor: error: {message.format(tmp=tmp_path)}\n"


class _OneArticleSite(http.server.BaseHTTPRequestHandler):
    PAGE = ("<html><head><title>Fighting near Kafr Nabuda kills 12</title></head><body><article><h1>Fighting "
            "near Kafr Nabuda kills 12</h1><p>" + FIRST_REPORT["text"] + "</p></article></body></html>")

    def do_GET(self):
        if self.path != "/news/kafr-nabuda.html":
            self.send_error(404)
            return
        body = self.PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_url_is_fetched_and_stored_with_its_address(tmp_path, capsys):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _OneArticleSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/news/kafr-nabuda.html"
    try:
        status = main(["ingest", url, f"http://127.0.0.1:{server.server_port}/gone.html", "--db",
                       str(tmp_path / "t.db"), "--date", "2019-05-08"])
    finally:
        server.shutdown()
    err = capsys.readouterr().err.splitlines()
    assert status == 0
    assert any("gone.html" in line and "404" in line for line in err)
    with Store.open(tmp_path / "t.db") as store:
        [row] = store.conn.execute("SELECT url, published FROM articles").fetchall()
        assert tuple(row) == (url, "2019-05-08")
        assert [e.location for e in store.events()] == ["Kafr Nabudah"]


def test_a_killed_run_keeps_whole_articles_and_a_rerun_completes_it(tmp_path, corpus, clean_run, pipeline):
    db = tmp_path / "killed.db"
    run = subprocess.Popen([sys.executable, "-m", "warmonitor", "ingest", str(corpus), "--db", str(db)],
                           cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    committed = _wait_for_articles(db, at_least=3, process=run)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=10)
    assert run.returncode == -signal.SIGKILL
    assert committed < 30, "the run finished before it could be killed; the test proved nothing"

    with Store.open(db) as store:  # opens cleanly: WAL recovery, nothing to repair
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = _mentions_per_article(store)
    with Store.open(clean_run) as store:
        expected = _mentions_per_article(store)
    assert 3 <= len(stored) < 30
    assert stored == {a: expected[a] for a in stored}  # every committed article has all its mentions

    resumed = ingest(db, pipeline, [corpus])
    assert resumed.duplicates == len(stored) and resumed.new_articles == 30 - len(stored)
    assert counts(db) == counts(clean_run)


def _wait_for_articles(db: Path, at_least: int, process: subprocess.Popen, timeout: float = 60) -> int:
    """Poll the database (as a second reader, as WAL allows) until the running ingest has committed some."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"ingest exited early: {process.stderr.read().decode()}")
        if db.exists():
            try:
                with closing(sqlite3.connect(db, timeout=0.1)) as conn:
                    n = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:  # the schema is still being created
                n = 0
            if n >= at_least:
                return n
        time.sleep(0.005)
    pytest.fail("ingest committed nothing within a minute")


def _mentions_per_article(store: Store) -> dict[str, int]:
    rows = store.conn.execute("SELECT a.article_id, COUNT(m.id) FROM articles a "
                              "LEFT JOIN mentions m ON m.article_rowid = a.id GROUP BY a.id")
    return dict(rows.fetchall())


def test_ordinary_news_with_conflict_words_is_stored_with_the_relevance_gates_reason(tmp_path, pipeline):
    fair = {"id": "fair", "date": "2019-06-01",  # "took" passes the trigger pre-filter; the gate knows better
            "text": "The county fair's pie contest was won by a retired teacher whose apple pie took first prize "
                    "for the third year running."}
    stats = ingest(tmp_path / "t.db", pipeline, [write_jsonl(tmp_path / "fair.jsonl", fair)])
    assert (stats.new_articles, stats.events_new, stats.problems) == (1, 0, 0)
    with Store.open(tmp_path / "t.db") as store:
        row = store.conn.execute("SELECT article_id, skipped FROM articles").fetchone()
    assert tuple(row) == ("fair", "not about political violence or protest (relevance gate)")


def test_every_article_codes_what_the_relevance_gate_would_skip(tmp_path, capsys):
    from warmonitor.cli import main

    fair = {"id": "fair", "text": "The county fair's pie contest was won by a retired teacher whose apple pie took "
                                  "first prize for the third year running."}
    path = write_jsonl(tmp_path / "fair.jsonl", fair)
    db = tmp_path / "every.db"
    assert main(["ingest", str(path), "--db", str(db), "--every-article"]) == 0
    with Store.open(db) as store:
        skipped = store.conn.execute("SELECT skipped FROM articles").fetchone()[0]
    assert skipped is None  # parsed, though it tells of no event
