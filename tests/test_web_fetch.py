"""Fetching pages over HTTP: conditional GET, the per-host rate limit, robots.txt, timeouts, size cap, and
reading a fetched page into an Article. A real server on 127.0.0.1 serves tests/data/feeds."""
from __future__ import annotations

import socket
import time
from datetime import date

import pytest

from feed_server import FeedServer
from warmonitor.ingest.problem import ReadProblem
from warmonitor.ingest.web import USER_AGENT, Fetcher, Response, Validators, article_id_for, fetch_article
from warmonitor.model import Article


@pytest.fixture
def server():
    with FeedServer(slow_seconds=3.0) as running:
        yield running


@pytest.fixture
def fetcher():
    with Fetcher(rate=0.0) as client:
        yield client


def test_a_second_request_for_an_unchanged_feed_is_answered_304_with_no_body(server, fetcher):
    first = fetcher.get(server.url("/rss.xml"))
    second = fetcher.get(server.url("/rss.xml"))

    assert isinstance(first, Response) and first.status == 200 and b"<rss" in first.body
    assert isinstance(second, Response) and second.not_modified and second.body == b""
    asked = [h for h in server.hits if h.path == "/rss.xml"]
    assert asked[1].headers["If-None-Match"] == first.etag
    assert asked[1].headers["If-Modified-Since"] == first.last_modified


def test_validators_kept_from_an_earlier_run_make_the_first_request_conditional(server, fetcher):
    with Fetcher(rate=0.0) as earlier_run:
        seen = earlier_run.get(server.url("/atom.xml"))

    fetcher.remember(server.url("/atom.xml"), Validators(seen.etag, seen.last_modified))

    assert fetcher.get(server.url("/atom.xml")).not_modified
    assert server.count("/atom.xml", status=200) == 1 and server.count("/atom.xml", status=304) == 1


def test_a_changed_feed_is_sent_again_in_full(server, fetcher):
    fetcher.get(server.url("/rss.xml"))
    server.publish("/rss.xml", "A new report", "/pages/sake-clashes.html", "new-item")

    again = fetcher.get(server.url("/rss.xml"))

    assert again.status == 200 and b"A new report" in again.body


def test_requests_to_one_host_are_spaced_by_the_rate_limit(server):
    with Fetcher(rate=0.4) as polite:
        polite.get(server.url("/pages/afgooye-attack.html"))
        polite.get(server.url("/pages/konduga-ambush.html"))

    robots, = server.times("/robots.txt")
    first, = server.times("/pages/afgooye-attack.html")
    second, = server.times("/pages/konduga-ambush.html")
    assert first - robots >= 0.4 and second - first >= 0.4


def test_a_page_robots_txt_forbids_is_skipped_with_a_message_and_never_requested(server, fetcher):
    problem = fetch_article(server.url("/private/basra-briefing.html"), fetcher)
    fetch_article(server.url("/pages/afgooye-attack.html"), fetcher)

    assert isinstance(problem, ReadProblem) and problem.kind == "skipped"
    assert problem.message == "disallowed by robots.txt"
    assert server.count("/private/basra-briefing.html") == 0
    assert server.count("/robots.txt") == 1  # read once per host, then kept for the run


def test_robots_txt_is_read_with_our_user_agent(server, fetcher):
    fetcher.get(server.url("/pages/afgooye-attack.html"))

    assert {h.headers["User-Agent"] for h in server.hits} == {USER_AGENT}


def test_a_server_too_slow_to_answer_becomes_a_one_line_problem(server):
    with Fetcher(rate=0.0, read_timeout=0.3) as impatient:
        impatient.get(server.url("/robots.txt"))
        started = time.monotonic()
        problem = impatient.get(server.url("/slow/report.html"))

    assert time.monotonic() - started < 2.0
    assert isinstance(problem, ReadProblem)
    assert problem.message == "timed out (no answer)" and problem.origin == server.url("/slow/report.html")


def test_a_missing_page_and_a_closed_port_are_one_line_problems(server, fetcher):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/rss.xml"

    missing = fetcher.get(server.url("/pages/no-such-report.html"))
    refused = fetcher.get(closed)

    assert missing.message == "HTTP 404 Not Found"
    assert isinstance(refused, ReadProblem) and refused.message.startswith("cannot read robots.txt: cannot connect")
    assert "\n" not in refused.message


def test_a_page_over_the_size_cap_is_refused(server):
    with Fetcher(rate=0.0, max_bytes=500) as capped:
        problem = capped.get(server.url("/pages/afgooye-attack.html"))

    assert isinstance(problem, ReadProblem) and problem.message.startswith("too large")


def test_only_http_and_https_urls_are_fetched(fetcher):
    assert fetcher.get("ftp://example.org/feed.xml").message == "not an http(s) URL"
    assert fetch_article("file:///etc/passwd", fetcher).message == "not an http(s) URL"


def test_a_fetched_page_is_read_like_an_html_file(server, fetcher):
    url = server.url("/pages/afgooye-attack.html")

    article = fetch_article(url, fetcher, source="Frontline Wire")

    assert isinstance(article, Article)
    assert article.text.startswith("MOGADISHU, Somalia - Al Shabaab fighters attacked an army checkpoint")
    assert "About us" not in article.text and "All rights reserved" not in article.text
    assert article.title == "Al Shabaab fighters storm army post near Afgooye"
    assert article.dateline == "MOGADISHU, Somalia"
    assert (article.url, article.origin, article.source) == (url, url, "Frontline Wire")
    assert article.published == date(2024, 3, 12)  # from the page's metadata


def test_a_feed_entry_date_wins_and_the_host_names_an_unnamed_source(server, fetcher):
    article = fetch_article(server.url("/pages/ariha-shelling.html"), fetcher, published=date(2024, 3, 14))

    assert article.published == date(2024, 3, 14)
    assert article.source == "127.0.0.1"


def test_article_ids_are_stable_readable_and_distinct_per_url():
    a = article_id_for("https://news.example/2024/03/afgooye-attack.html")

    assert a == article_id_for("https://news.example/2024/03/afgooye-attack.html#comments")
    assert a.startswith("afgooye-attack-") and len(a) == len("afgooye-attack-") + 8
    assert a != article_id_for("https://other.example/2024/03/afgooye-attack.html")
