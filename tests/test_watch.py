"""`warmonitor watch`: feeds polled over real HTTP (tests/feed_server.py), new entries coded and stored in
a real SQLite file, nothing read twice, and a clean stop on Ctrl-C."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from feed_server import FeedServer
from warmonitor.cli import main
from warmonitor.ingest.feeds import Watcher, parse_feed, read_feed_list
from warmonitor.ingest.web import Fetcher
from warmonitor.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["/pages/afgooye-attack.html", "/pages/konduga-ambush.html", "/pages/ariha-shelling.html"]


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


@pytest.fixture
def feeds_file(server, tmp_path) -> Path:
    path = tmp_path / "feeds.txt"
    path.write_text(f"# conflict wires\n{server.url('/rss.xml')}\n\n{server.url('/atom.xml')}  # Idlib desk\n")
    return path


class Log:
    """Collects what the watcher tells the user."""

    def __init__(self):
        self.said: list[str] = []
        self.warned: list[str] = []


def make_watcher(store, fetcher, pipeline_loader, log: Log, **options) -> Watcher:
    return Watcher(store, fetcher, pipeline_loader, say=log.said.append, warn=log.warned.append, **options)


def nothing_to_code():
    pytest.fail("the language pipeline was loaded although there was nothing new to code")


# --- the feeds file and the feeds -------------------------------------------------------------------------

def test_the_feeds_file_lists_urls_one_a_line_with_comments(feeds_file, server):
    assert read_feed_list(feeds_file) == [server.url("/rss.xml"), server.url("/atom.xml")]


@pytest.mark.parametrize("content, message", [
    ("http://ok.example/rss\nnews.example/rss\n", "feeds.txt:2: not an http(s) feed URL: 'news.example/rss'"),
    ("# nothing yet\n", "feeds.txt: no feed URLs (one per line expected)"),
])
def test_a_bad_feeds_file_is_one_line_and_exit_status_2(tmp_path, capsys, content, message):
    (tmp_path / "feeds.txt").write_text(content)

    status = main(["watch", str(tmp_path / "feeds.txt"), "--once", "--db", str(tmp_path / "w.db")])

    assert status == 2
    assert capsys.readouterr().err == f"warmonitor: error: {tmp_path / message}\n"
    assert not (tmp_path / "w.db").exists()  # nothing is created for a run that cannot start


def test_rss_and_atom_entries_come_oldest_first_with_their_ids_and_dates(server):
    with Fetcher(rate=0.0) as fetcher:
        rss_title, rss = parse_feed(fetcher.get(server.url("/rss.xml")))
        atom_title, atom = parse_feed(fetcher.get(server.url("/atom.xml")))

    assert rss_title == "Frontline Wire" and atom_title == "Borderlands Monitor"
    assert [e.key for e in rss] == ["frontline-2024-0311-afgooye", "frontline-2024-0314-konduga",
                                    "frontline-2024-0315-basra"]
    assert [str(e.published) for e in rss] == ["2024-03-12", "2024-03-14", "2024-03-15"]
    assert atom[0].key == "urn:warmonitor-tests:borderlands:ariha-2024-03-13"
    assert atom[0].link == server.url("/pages/ariha-shelling.html")
    assert atom[0].summary.startswith("Three civilians died")


# --- polling ------------------------------------------------------------------------------------------------

def test_one_poll_stores_every_new_entry_and_a_second_poll_reads_nothing_again(server, feeds_file, tmp_path,
                                                                            pipeline):
    log = Log()
    with Store.open(tmp_path / "w.db") as store, Fetcher(rate=0.0) as fetcher:
        watcher = make_watcher(store, fetcher, lambda: pipeline, log)

        first = watcher.poll(read_feed_list(feeds_file))
        stored = store.count("articles"), store.count("events")
        second = watcher.poll(read_feed_list(feeds_file))

        assert (first.entries_new, first.articles, first.from_summary) == (4, 4, 1)
        assert stored == (4, first.events_new) and first.events_new >= 4
        places = {e.location for e in store.events()}
        assert {"Afgooye", "Konduga", "Ariha", "Basrah"} <= places
        rows = store.conn.execute("SELECT a.url, s.name FROM articles a JOIN sources s ON s.id = a.source_id")
        assert {(url, name) for url, name in rows} == {
            (server.url("/pages/afgooye-attack.html"), "Frontline Wire"),
            (server.url("/pages/konduga-ambush.html"), "Frontline Wire"),
            (server.url("/private/basra-briefing.html"), "Frontline Wire"),
            (server.url("/pages/ariha-shelling.html"), "Borderlands Monitor")}

        # The second poll: both feeds answer 304, no page is asked for again, the store is as it was.
        assert (second.unchanged, second.entries_new, second.articles) == (2, 0, 0)
        assert (store.count("articles"), store.count("events")) == stored
    assert server.count("/rss.xml", status=304) == 1 and server.count("/atom.xml", status=304) == 1
    assert all(server.count(page) == 1 for page in PAGES)
    assert len([line for line in log.said if line.startswith("new: ")]) == 4


def test_a_poll_stopped_midway_leaves_the_rest_of_the_feed_for_the_next_poll(server, feeds_file, tmp_path,
                                                                           pipeline):
    stop = threading.Event()
    said: list[str] = []

    def say_and_stop(line: str) -> None:  # as if Ctrl-C came while the very first article was being stored
        if not said:
            stop.set()
        said.append(line)

    with Store.open(tmp_path / "w.db") as store, Fetcher(rate=0.0) as fetcher:
        watcher = Watcher(store, fetcher, lambda: pipeline, say=say_and_stop, warn=lambda _: None, stop=stop)
        first = watcher.poll(read_feed_list(feeds_file))
        stop.clear()
        second = watcher.poll(read_feed_list(feeds_file))

        assert (first.articles, second.articles) == (1, 3)
        assert store.count("articles") == 4
    # The stopped feed's validators were not kept, so the next poll read it whole rather than getting a 304.
    assert [h.status for h in server.hits if h.path == "/rss.xml"] == [200, 200]
    assert all(server.count(page) == 1 for page in PAGES)


def test_a_page_robots_txt_forbids_is_never_fetched_and_the_feed_summary_is_coded_instead(server, feeds_file,
                                                                                         tmp_path, pipeline):
    log = Log()
    with Store.open(tmp_path / "w.db") as store, Fetcher(rate=0.0) as fetcher:
        make_watcher(store, fetcher, lambda: pipeline, log).poll(read_feed_list(feeds_file))
        basra, = store.events("location = ?", ("Basrah",))

    assert server.count("/private/basra-briefing.html") == 0
    assert log.warned == [f"note: {server.url('/private/basra-briefing.html')}: page not read "
                          f"(disallowed by robots.txt); using the feed's summary"]
    assert basra.event_type == "Protests" and basra.country == "Iraq"


def test_restarting_after_a_new_item_stores_only_that_item(server, feeds_file, tmp_path, capsys, pipeline):
    db = str(tmp_path / "w.db")
    with Store.open(db) as store, Fetcher(rate=0.0) as fetcher:
        make_watcher(store, fetcher, lambda: pipeline, Log()).poll(read_feed_list(feeds_file))
    server.publish("/rss.xml", "M23 rebels and army clash near Sake", "/pages/sake-clashes.html",
                   "frontline-2024-0316-sake", "Fighting near Sake in North Kivu.")
    capsys.readouterr()

    assert main(["watch", str(feeds_file), "--once", "--db", db, "--rate", "0"]) == 0

    out = capsys.readouterr().out.splitlines()
    new = [line for line in out if line.startswith("warmonitor: new: ")]
    assert len(new) == 1 and '"M23 rebels and army clash near Sake" (Frontline Wire)' in new[0]
    assert out[-2].startswith("warmonitor: poll 1: 2 feed(s) polled (1 unchanged), 1 new item(s), "
                              "1 article(s) stored")
    assert all(server.count(page) == 1 for page in PAGES)  # the restart asked for none of the old pages
    assert server.count("/atom.xml", status=304) == 1  # and asked for the unchanged feed conditionally
    with Store.open(db) as store:
        assert store.count("articles") == 5
        sake, = store.events("country = ?", ("Democratic Republic of Congo",))
        assert sake.sub_event_type == "Armed clash"


def test_an_entry_whose_page_and_summary_fail_is_retried_then_given_up(server, tmp_path):
    server.put("/lost.xml", """<?xml version="1.0"?><rss version="2.0"><channel><title>Lost Wire</title>
        <item><title>Report that was taken down</title><link>{base}/pages/taken-down.html</link>
        <guid>lost-1</guid></item></channel></rss>""", "application/rss+xml")
    feed = [server.url("/lost.xml")]
    log = Log()
    with Store.open(tmp_path / "w.db") as store, Fetcher(rate=0.0) as fetcher:
        watcher = make_watcher(store, fetcher, nothing_to_code, log, max_attempts=2)
        polls = [watcher.poll(feed) for _ in range(3)]

    assert [p.problems for p in polls] == [1, 1, 0]
    assert server.count("/pages/taken-down.html") == 2
    assert log.warned == [
        f"error: {server.url('/pages/taken-down.html')}: HTTP 404 Not Found (will retry: attempt 1 of 2)",
        f"error: {server.url('/pages/taken-down.html')}: HTTP 404 Not Found (given up after 2 attempts)"]
    # While the entry waited for a retry the feed was read in full; once given up, it is asked conditionally.
    assert [h.status for h in server.hits if h.path == "/lost.xml"] == [200, 200, 304]


def test_a_feed_that_cannot_be_read_is_one_line_and_the_other_feeds_go_on(server, tmp_path, pipeline):
    server.put("/broken.xml", "this is not a feed at all", "text/plain")
    log = Log()
    with Store.open(tmp_path / "w.db") as store, Fetcher(rate=0.0) as fetcher:
        stats = make_watcher(store, fetcher, lambda: pipeline, log).poll(
            [server.url("/missing.xml"), server.url("/broken.xml"), server.url("/atom.xml")])

    assert stats.feed_problems == 2 and stats.articles == 1
    assert log.warned[0] == f"error: feed {server.url('/missing.xml')}: HTTP 404 Not Found"
    assert log.warned[1].startswith(f"error: feed {server.url('/broken.xml')}: not a readable feed (")


def test_watch_once_exits_1_when_no_feed_can_be_read(server, tmp_path, capsys):
    (tmp_path / "feeds.txt").write_text(server.url("/gone.xml") + "\n")

    status = main(["watch", str(tmp_path / "feeds.txt"), "--once", "--db", str(tmp_path / "w.db")])

    assert status == 1
    assert capsys.readouterr().err.splitlines() == [
        f"warmonitor: error: feed {server.url('/gone.xml')}: HTTP 404 Not Found",
        "warmonitor: error: no feed could be read"]


# --- a real watcher process ------------------------------------------------------------------------------

def _start_watch(feeds_file: Path, db: Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "warmonitor", "watch", str(feeds_file), "--db", str(db), *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _read_until(process: subprocess.Popen, prefix: str) -> list[str]:
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith(prefix):
            return lines
    pytest.fail(f"watch ended before printing {prefix!r}: {lines} {process.stderr.read()}")


def test_ctrl_c_finishes_the_current_article_and_a_restart_resumes_without_rereading(server, feeds_file,
                                                                                   tmp_path, pipeline):
    db = tmp_path / "w.db"
    # A pause between requests to the host, so Ctrl-C lands between two articles' pages.
    first = _start_watch(feeds_file, db, "--interval", "1", "--rate", "0.5")
    _read_until(first, "warmonitor: new: ")
    first.send_signal(signal.SIGINT)
    out, err = first.communicate(timeout=30)

    assert first.returncode == 0
    assert "stopping after the current article" in err
    summary = out.splitlines()[-1]
    with Store.open(db) as store:
        stored_first = store.count("articles")
        # Whole articles only: every stored event has the mention it came from.
        assert store.conn.execute("SELECT COUNT(*) FROM events e WHERE NOT EXISTS "
                                  "(SELECT 1 FROM mentions m WHERE m.event_rowid = e.id)").fetchone()[0] == 0
    assert 1 <= stored_first < 4
    assert summary.startswith(f"warmonitor: stopped after 1 poll(s): {stored_first} article(s) stored")

    # The restart stores the rest and asks for no page it already stored.
    with Store.open(db) as store, Fetcher(rate=0.0) as fetcher:
        rest = make_watcher(store, fetcher, lambda: pipeline, Log()).poll(read_feed_list(feeds_file))
        assert rest.articles == 4 - stored_first and store.count("articles") == 4
    assert all(server.count(page) == 1 for page in PAGES)


def test_a_watcher_with_nothing_new_polls_every_interval_and_stops_on_ctrl_c(server, feeds_file, tmp_path):
    # Feeds with no entries: nothing to code, so the process never loads the language pipeline.
    server.put("/rss.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet Wire</title>'
                           '</channel></rss>', "application/rss+xml")
    server.put("/atom.xml", '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                            '<title>Quiet Monitor</title></feed>', "application/atom+xml")

    watch = _start_watch(feeds_file, tmp_path / "w.db", "--interval", "1", "--rate", "0")
    lines = _read_until(watch, "warmonitor: poll 2: ")
    watch.send_signal(signal.SIGINT)
    out, _ = watch.communicate(timeout=30)

    assert watch.returncode == 0
    assert lines[0] == ("warmonitor: poll 1: 2 feed(s) polled (0 unchanged), 0 new item(s), 0 article(s) stored, "
                        "0 event(s) new, 0 merged")
    assert lines[1].startswith("warmonitor: poll 2: 2 feed(s) polled (2 unchanged)")
    assert out.splitlines()[-1].startswith("warmonitor: stopped after 2 poll(s): 0 article(s) stored")
