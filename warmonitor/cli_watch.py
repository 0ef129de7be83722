"""`warmonitor watch FEEDS_FILE`: poll news feeds and store every new article's events, until stopped.

Ctrl-C (SIGINT) or SIGTERM lets the article being stored finish its transaction, prints a summary and
exits 0; a second Ctrl-C stops at once (the open transaction is rolled back). A restart re-reads nothing.
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from pathlib import Path

from warmonitor.errors import EXIT_NOTHING_READ, UserError

WATCH_EPILOG = """FEEDS_FILE holds one RSS or Atom feed URL per line; '#' starts a comment.

examples:
  warmonitor watch feeds.txt                       # poll every 5 minutes until Ctrl-C
  warmonitor watch feeds.txt --once --db news.db   # one poll, then exit (for cron)
"""


def add_commands(sub, ev_sub) -> None:
    from warmonitor.store.db import add_db_option

    w = sub.add_parser(
        "watch", help="poll RSS/Atom feeds and store new articles' events",
        description="Poll every feed in FEEDS_FILE, fetch each new entry's page (politely: robots.txt, "
                    "conditional GET, a pause between requests to one host), code it and store it in the "
                    "database. Runs until Ctrl-C; a restart re-reads nothing already stored.",
        epilog=WATCH_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    w.add_argument("feeds", type=Path, metavar="FEEDS_FILE", help="file with one feed URL per line")
    add_db_option(w)
    w.add_argument("--interval", type=_positive, default=300.0, metavar="SECONDS",
                   help="seconds between polls (default 300)")
    w.add_argument("--once", action="store_true", help="poll once, then exit")
    w.add_argument("--rate", type=_not_negative, default=1.0, metavar="SECONDS",
                   help="minimum seconds between two requests to one host (default 1)")
    w.add_argument("--timeout", type=_positive, default=20.0, metavar="SECONDS",
                   help="give up on a server that does not answer within this (default 20)")
    w.add_argument("--actors", action="append", type=Path, default=[], metavar="FILE",
                   help="extra actors file (same format as the bundled actors.json); may repeat")
    w.set_defaults(run=run_watch)


def _positive(value: str) -> float:
    number = _not_negative(value)
    if number == 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {value!r}")
    return number


def _not_negative(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if number < 0 or number != number:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}")
    return number


def _say(line: str) -> None:
    print(f"warmonitor: {line}", flush=True)


def _warn(line: str) -> None:
    print(f"warmonitor: {line}", file=sys.stderr, flush=True)


def run_watch(args: argparse.Namespace) -> int:
    from warmonitor.cli import _check_actor_files
    from warmonitor.ingest.feeds import PollStats, Watcher, read_feed_list
    from warmonitor.ingest.web import Fetcher
    from warmonitor.store.db import Store

    urls = read_feed_list(args.feeds)  # a bad feeds or actors file fails before anything is fetched
    actor_kb = _check_actor_files(args.actors)

    def load_pipeline():
        from warmonitor.pipeline import Pipeline

        return Pipeline.load(actor_kb=actor_kb)

    stop = threading.Event()
    totals, polls = PollStats(), 0
    with Store.open(args.db) as store, Fetcher(rate=args.rate, read_timeout=args.timeout) as fetcher, \
            _stopping_on_signals(stop):
        watcher = Watcher(store, fetcher, load_pipeline, say=_say, warn=_warn, stop=stop)
        while not stop.is_set():
            stats = watcher.poll(urls)
            polls += 1
            totals.add(stats)
            _say(f"poll {polls}: {stats.summary()}")
            if args.once:
                break
            _sleep_until(stop, args.interval)
    ending = "stopped" if stop.is_set() else "done"
    _say(f"{ending} after {polls} poll(s): {totals.articles} article(s) stored, {totals.events_new} event(s) new, "
         f"{totals.events_merged} merged, {totals.problems + totals.feed_problems} problem(s)")
    if args.once and totals.feeds and totals.feed_problems == totals.feeds:
        raise UserError("no feed could be read", EXIT_NOTHING_READ)
    return 0


def _sleep_until(stop: threading.Event, seconds: float, step: float = 0.2) -> None:
    """Wait out the interval in short sleeps, so a stop is seen within `step` seconds. Not `stop.wait()`: the
    signal handler sets `stop` in this same thread, and a signal landing while `wait()` holds the Event's lock
    would deadlock the handler's `set()`."""
    end = time.monotonic() + seconds
    while not stop.is_set() and (left := end - time.monotonic()) > 0:
        time.sleep(min(step, left))


class _stopping_on_signals:
    """SIGINT and SIGTERM set `stop`: work ends at the next safe point. A second signal interrupts at once."""

    def __init__(self, stop: threading.Event):
        self.stop = stop
        self.previous: dict[int, object] = {}

    def _handle(self, signum, frame) -> None:
        if self.stop.is_set():
            raise KeyboardInterrupt
        self.stop.set()
        _warn("stopping after the current article (Ctrl-C again to stop at once)")

    def __enter__(self) -> "_stopping_on_signals":
        if threading.current_thread() is threading.main_thread():  # signals reach only the main thread
            for signum in (signal.SIGINT, signal.SIGTERM):
                self.previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)

