"""Polling RSS and Atom feeds: every entry not seen before is fetched, coded and stored, once.

What each feed last said (ETag, Last-Modified) and every entry met live in the store's watch tables
(migration 0002), so a restarted watcher asks conditionally and re-reads nothing it already stored.
"""
from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

import feedparser

from warmonitor.errors import EXIT_USAGE, UserError
from warmonitor.ingest import finish_article
from warmonitor.ingest.html import parse_html
from warmonitor.ingest.problem import ReadProblem
from warmonitor.ingest.story import story_draft
from warmonitor.ingest.web import Fetcher, Response, Validators, article_id_for, fetch_article
from warmonitor.model import Article
from warmonitor.store.db import Store, now_utc

# An entry whose page and summary both fail is tried on this many polls, then given up.
MAX_ATTEMPTS = 3
DONE = ("ingested", "skipped", "gave_up")


def read_feed_list(path: str | Path) -> list[str]:
    """The feed URLs of FEEDS_FILE: one per line; blank lines and `#` comments are ignored."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"no such feeds file: {path}", EXIT_USAGE) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read feeds file {path}: {getattr(exc, 'strerror', None) or exc}", EXIT_USAGE) from None
    urls: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = re.split(r"\s#", line, maxsplit=1)[0].strip()  # a URL may hold "#", a comment follows a space
        if not line or line.startswith("#"):
            continue
        if not line.startswith(("http://", "https://")) or " " in line:
            raise UserError(f"{path}:{number}: not an http(s) feed URL: {line!r}", EXIT_USAGE)
        if line not in urls:
            urls.append(line)
    if not urls:
        raise UserError(f"{path}: no feed URLs (one per line expected)", EXIT_USAGE)
    return urls


@dataclass
class FeedEntry:
    key: str  # guid / Atom id, else the link: what makes an entry "seen"
    link: str | None
    title: str | None
    summary: str | None  # the entry's content, else its summary (may be HTML)
    published: date | None


@dataclass
class PollStats:
    feeds: int = 0
    unchanged: int = 0  # answered 304
    feed_problems: int = 0
    entries_new: int = 0  # entries not seen before (or retried)
    articles: int = 0  # stored as new articles
    duplicates: int = 0  # text already stored (the same story in two feeds)
    from_summary: int = 0  # page unavailable: the feed's own text was used
    events_new: int = 0
    events_merged: int = 0
    problems: int = 0  # entries that yielded no article this time

    def add(self, other: "PollStats") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def summary(self) -> str:
        line = (f"{self.feeds} feed(s) polled ({self.unchanged} unchanged), {self.entries_new} new item(s), "
                f"{self.articles} article(s) stored, {self.events_new} event(s) new, "
                f"{self.events_merged} merged")
        if self.duplicates:
            line += f", {self.duplicates} already stored"
        if self.from_summary:
            line += f", {self.from_summary} from the feed's summary"
        if self.problems or self.feed_problems:
            line += f", {self.problems + self.feed_problems} problem(s)"
        return line


@dataclass
class FeedRecord:
    id: int
    url: str
    title: str | None
    etag: str | None
    last_modified: str | None


class FeedState:
    """The store's watch tables: feeds with their validators, and every entry met with its fate."""

    def __init__(self, store: Store):
        self.store = store
        self.conn = store.conn

    def feed(self, url: str) -> FeedRecord:
        row = self.conn.execute("SELECT id, url, title, etag, last_modified FROM feeds WHERE url = ?",
                                (url,)).fetchone()
        if row is None:
            with self.store.transaction():
                self.conn.execute("INSERT INTO feeds (url) VALUES (?)", (url,))
            return self.feed(url)
        return FeedRecord(row["id"], row["url"], row["title"], row["etag"], row["last_modified"])

    def polled(self, feed: FeedRecord, status: str, title: str | None = None,
               validators: Validators | None = None) -> None:
        """Record a poll; validators are saved only after every entry of the answer was dealt with."""
        sets, params = ["last_polled = ?", "last_status = ?"], [now_utc(), status]
        if title:
            sets.append("title = ?")
            params.append(title)
        if validators is not None:
            sets += ["etag = ?", "last_modified = ?"]
            params += [validators.etag, validators.last_modified]
        with self.store.transaction():
            self.conn.execute(f"UPDATE feeds SET {', '.join(sets)} WHERE id = ?", (*params, feed.id))

    def done(self, feed: FeedRecord, key: str) -> bool:
        """Whether the entry was stored, skipped or given up on; a new or failed one is not done."""
        row = self.conn.execute("SELECT status FROM feed_items WHERE feed_id = ? AND item_key = ?",
                                (feed.id, key)).fetchone()
        return row is not None and row["status"] in DONE

    def has_retries(self, feed: FeedRecord) -> bool:
        return self.conn.execute("SELECT 1 FROM feed_items WHERE feed_id = ? AND status = 'failed' LIMIT 1",
                                 (feed.id,)).fetchone() is not None

    def mark(self, feed: FeedRecord, entry: FeedEntry, status: str, article_id: str | None = None,
             error: str | None = None) -> int:
        """Record what became of an entry; returns its number of failed attempts."""
        failed = 1 if status == "failed" else 0
        now = now_utc()
        with self.store.transaction():
            self.conn.execute(
                "INSERT INTO feed_items (feed_id, item_key, link, article_id, status, attempts, last_error, "
                "first_seen, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (feed_id, item_key) DO UPDATE SET link = excluded.link, "
                "article_id = excluded.article_id, status = excluded.status, "
                "attempts = attempts + excluded.attempts, last_error = excluded.last_error, "
                "updated_at = excluded.updated_at",
                (feed.id, entry.key, entry.link, article_id, status, failed, error, now, now))
            row = self.conn.execute("SELECT attempts FROM feed_items WHERE feed_id = ? AND item_key = ?",
                                    (feed.id, entry.key)).fetchone()
        return row["attempts"]


def parse_feed(response: Response) -> tuple[str | None, list[FeedEntry]] | ReadProblem:
    """The feed's title and its entries, oldest first (feeds usually list the newest first)."""
    parsed = feedparser.parse(response.body, response_headers={
        "content-type": response.content_type + (f"; charset={response.charset}" if response.charset else ""),
        "content-location": response.url})
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = str(parsed.get("bozo_exception") or "no RSS or Atom entries").splitlines()[0]
        return ReadProblem(response.url, f"not a readable feed ({reason})")
    entries = []
    for e in parsed.entries:
        link = e.get("link") or None
        content = e.get("content") or []
        summary = (content[0].get("value") if content else None) or e.get("summary") or None
        key = e.get("id") or link
        if not key:  # neither guid nor link: the text itself is the entry's identity
            key = "sha256:" + hashlib.sha256(f"{e.get('title')}\n{summary}".encode()).hexdigest()
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        entries.append(FeedEntry(key, link, e.get("title") or None, summary,
                                 date(*stamp[:3]) if stamp else None))
    entries.reverse()
    if all(e.published for e in entries):  # dated entries: by date, so later reports revise earlier ones
        entries.sort(key=lambda e: e.published)
    return parsed.feed.get("title") or None, entries


def article_from_summary(entry: FeedEntry, origin: str, source: str | None) -> Article | ReadProblem | None:
    """The entry's own text as an article, when the feed carries any (None when it carries none)."""
    if not entry.summary or not entry.summary.strip():
        return None
    if "<" in entry.summary:
        draft = parse_html(entry.summary)
        if draft is None:
            return None
        draft.title = entry.title
    else:
        draft = story_draft(entry.summary.strip().split("\n"), title=entry.title)
    result = finish_article(article_id_for(origin), origin, draft, entry.published)
    if isinstance(result, Article):
        result.url, result.source = entry.link, source
    return result


class Watcher:
    """Polls feeds and stores what is new. The pipeline is loaded on the first new entry, not before, so
    a poll that finds nothing new costs only the HTTP requests. Setting `stop` ends the work after the
    current article's transaction."""

    def __init__(self, store: Store, fetcher: Fetcher, load_pipeline: Callable[[], object],
                 say: Callable[[str], None], warn: Callable[[str], None], stop: threading.Event | None = None,
                 max_attempts: int = MAX_ATTEMPTS):
        self.store = store
        self.state = FeedState(store)
        self.fetcher = fetcher
        self._load_pipeline = load_pipeline
        self._pipeline = None
        self.say = say  # one line per new article and per poll
        self.warn = warn  # one line per problem
        self.stop = stop or threading.Event()
        self.max_attempts = max_attempts

    @property
    def pipeline(self):
        if self._pipeline is None:
            self._pipeline = self._load_pipeline()
        return self._pipeline

    def poll(self, urls: list[str]) -> PollStats:
        stats = PollStats()
        for url in urls:
            if self.stop.is_set():
                break
            stats.add(self.poll_feed(url))
        return stats

    def poll_feed(self, url: str) -> PollStats:
        stats = PollStats(feeds=1)
        feed = self.state.feed(url)
        # The stored validators, even none: they are saved only once a whole answer was dealt with.
        self.fetcher.remember(url, Validators(feed.etag, feed.last_modified))
        # An entry waiting for a retry is only in the full feed: do not let a 304 hide it.
        response = self.fetcher.get(url, conditional=not self.state.has_retries(feed))
        if isinstance(response, ReadProblem):
            stats.feed_problems += 1
            self.warn(f"error: feed {url}: {response.message}")
            self.state.polled(feed, response.message)
            return stats
        if response.not_modified:
            stats.unchanged += 1
            self.state.polled(feed, "304")
            return stats
        parsed = parse_feed(response)
        if isinstance(parsed, ReadProblem):
            stats.feed_problems += 1
            self.warn(f"error: feed {url}: {parsed.message}")
            self.state.polled(feed, parsed.message)
            return stats
        title, entries = parsed
        for entry in entries:
            if self.stop.is_set():
                # Validators not saved: the next poll reads the whole feed again and skips what is done.
                self.state.polled(feed, "interrupted", title)
                return stats
            self._take(feed, title or feed.title, entry, stats)
        self.state.polled(feed, str(response.status), title, Validators(response.etag, response.last_modified))
        return stats

    def _take(self, feed: FeedRecord, source: str | None, entry: FeedEntry, stats: PollStats) -> None:
        """Fetch, code and store one entry, unless it is done with."""
        if self.state.done(feed, entry.key):
            return
        stats.entries_new += 1
        origin = entry.link or f"{feed.url}#{entry.key}"
        article: Article | ReadProblem | None = None
        if entry.link:
            article = fetch_article(entry.link, self.fetcher, source=source, published=entry.published)
        if not isinstance(article, Article):
            why = article.message if article is not None else "the entry has no link"
            fallback = article_from_summary(entry, origin, source)
            if fallback is None:
                self._failed(feed, entry, origin, why, stats)
                return
            if isinstance(fallback, ReadProblem):
                stats.problems += 1
                self.warn(f"skipped: {origin}: {fallback.message}")
                self.state.mark(feed, entry, "skipped", error=fallback.message)
                return
            self.warn(f"note: {origin}: page not read ({why}); using the feed's summary")
            stats.from_summary += 1
            article = fallback
        self._ingest(feed, entry, article, stats)

    def _ingest(self, feed: FeedRecord, entry: FeedEntry, article: Article, stats: PollStats) -> None:
        from warmonitor.store.ingest import ingest_articles  # imports the pipeline's modules: not before needed

        problems: list[str] = []
        result = ingest_articles(self.store, self.pipeline, [article], warn=problems.append)
        for line in problems:
            self.warn(line)
        if result.new_articles == 0 and result.duplicates == 0:
            self._failed(feed, entry, article.url or article.id, "could not be stored", stats)
            return
        self.state.mark(feed, entry, "ingested", article_id=article.id)
        if result.duplicates:
            stats.duplicates += 1
            self.say(f"already stored: {article.id} {_quoted(article.title)}")
            return
        stats.articles += 1
        stats.events_new += result.events_new
        stats.events_merged += result.events_merged
        self.say(f"new: {article.id} {_quoted(article.title)} ({article.source or 'unknown source'}): "
                 f"{result.events_new} event(s) new, {result.events_merged} merged")

    def _failed(self, feed: FeedRecord, entry: FeedEntry, origin: str, why: str, stats: PollStats) -> None:
        stats.problems += 1
        attempts = self.state.mark(feed, entry, "failed", error=why)
        if attempts >= self.max_attempts:
            self.state.mark(feed, entry, "gave_up", error=why)
            self.warn(f"error: {origin}: {why} (given up after {attempts} attempts)")
        else:
            self.warn(f"error: {origin}: {why} (will retry: attempt {attempts} of {self.max_attempts})")


def _quoted(title: str | None) -> str:
    return f'"{title}"' if title else "(untitled)"
