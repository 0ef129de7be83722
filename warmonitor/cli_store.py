"""`warmonitor ingest` (articles into the store, merged into events) and `warmonitor export` (events out)."""
from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from warmonitor.errors import EXIT_NOTHING_READ
from warmonitor.workers import add_every_article_option, workers_option

INGEST_EPILOG = """examples:
  warmonitor ingest examples/                       # into ./warmonitor.db
  warmonitor ingest wire.jsonl --db conflict.db --date 2018-03-20
  warmonitor ingest https://example.org/news/clash.html
Ingesting the same articles again adds nothing; a killed run resumes where it stopped.
"""

EXPORT_EPILOG = """examples:
  warmonitor export --format csv -o events.csv --country Syria --since 2018-01-01
  warmonitor export --format geojson -o map.geojson --event-type Battles
  warmonitor export --format parquet -o events.parquet --actor "Islamic State"
"""

EXPORT_FORMATS = ("csv", "geojson", "parquet", "jsonl")


def _date(value: str):
    from warmonitor.cli import _date as parse_date  # one definition of what a date option accepts

    return parse_date(value)


def add_commands(sub, ev_sub) -> None:
    from warmonitor.store.db import add_db_option

    ing = sub.add_parser(
        "ingest", help="store articles and merge their events with those already stored",
        description="Read articles (files, directories, http(s) URLs) and store them with their events in a "
                    "SQLite database. Each article is committed on its own; an article already stored (same "
                    "text) is skipped. Events told by several reports become one merged event.",
        epilog=INGEST_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ing.add_argument("inputs", nargs="+", metavar="PATH|URL", help="files, directories or http(s) URLs")
    add_db_option(ing)
    ing.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                     help="publication date for every article (relative dates are resolved against it)")
    ing.add_argument("--actors", action="append", type=Path, default=[], metavar="FILE",
                     help="extra actors file (same format as the bundled actors.json); may repeat")
    ing.add_argument("--workers", type=workers_option, default=1,
                     metavar="N", help="code articles in N processes (default 1); every write stays in this "
                                       "process, in input order, one transaction per article")
    add_every_article_option(ing)
    ing.set_defaults(run=run_ingest)

    ex = sub.add_parser(
        "export", help="write the stored (merged) events as CSV, GeoJSON, Parquet or JSONL",
        description="Write the merged events of a database, filtered, in ACLED's CSV layout, as GeoJSON, "
                    "Parquet or JSONL.",
        epilog=EXPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ex.add_argument("--format", choices=EXPORT_FORMATS, required=True, help="output format")
    ex.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
    add_db_option(ex)
    ex.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="events on or after this day")
    ex.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="events on or before this day")
    ex.add_argument("--country", metavar="C", help="events in this country (e.g. Syria)")
    ex.add_argument("--event-type", metavar="T", help="ACLED event type (e.g. Battles)")
    ex.add_argument("--sub-event-type", metavar="T", help="ACLED sub-event type (e.g. 'Armed clash')")
    ex.add_argument("--actor", metavar="A", help="events with this actor on either side")
    ex.set_defaults(run=run_export)


def _warn(message: str) -> None:
    print(f"warmonitor: {message}", file=sys.stderr)


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def _read_inputs(inputs: list[str], day) -> Iterator:
    """Articles and ReadProblems in the order the inputs were given; URLs are fetched one by one."""
    from warmonitor.ingest import read_articles

    fetcher = None
    try:
        for is_url, group in itertools.groupby(inputs, key=_is_url):
            if not is_url:
                yield from read_articles(list(group), date=day)
                continue
            from warmonitor.ingest.web import Fetcher, fetch_article  # only URLs need the HTTP client

            fetcher = fetcher or Fetcher()
            for url in group:
                yield fetch_article(url, fetcher, published=day)
    finally:
        if fetcher is not None:
            fetcher.close()


class _PipelineOnDemand:
    """The pipeline, loaded when the first new article needs coding: a re-run over stored articles, or a
    batch of unreadable files, never waits for the language model."""

    def __init__(self, actor_kb, workers: int = 1, actor_files=(), every_article: bool = False):
        self.actor_kb = actor_kb
        self.workers, self.actor_files, self.every_article = workers, actor_files, every_article
        self._pipeline = None

    def process_many(self, articles: Iterable) -> Iterator:
        articles = iter(articles)
        first = next(articles, None)
        if first is None:
            return
        if self._pipeline is None and self.workers > 1:
            from warmonitor.workers import PipelinePool  # parsing in workers; the store's writes stay here

            self._pipeline = PipelinePool(self.workers, self.actor_files, every_article=self.every_article)
        elif self._pipeline is None:
            from warmonitor.pipeline import Pipeline

            self._pipeline = Pipeline.load(actor_kb=self.actor_kb, every_article=self.every_article)
        yield from self._pipeline.process_many(itertools.chain([first], articles))

    def close(self, failed: bool = False) -> None:
        if hasattr(self._pipeline, "terminate"):  # a worker pool: stopped at once after a failure
            self._pipeline.terminate() if failed else self._pipeline.close()


def run_ingest(args: argparse.Namespace) -> int:
    from warmonitor.cli import _check_actor_files
    from warmonitor.store.db import Store
    from warmonitor.store.ingest import ingest_articles

    actor_kb = _check_actor_files(args.actors)
    pipeline = _PipelineOnDemand(actor_kb, getattr(args, "workers", 1), args.actors,
                                 getattr(args, "every_article", False))
    failed = True
    try:
        with Store.open(args.db) as store:  # a bad --db fails before anything is read
            stats = ingest_articles(store, pipeline, _read_inputs(args.inputs, args.date), progress=True, warn=_warn)
        failed = False
    finally:
        pipeline.close(failed)
    if stats.read == 0:
        _warn("error: no article could be read")
        return EXIT_NOTHING_READ
    _warn(stats.summary())
    return 0


def _filter_from(args: argparse.Namespace):
    from warmonitor.store.queries import EventFilter

    return EventFilter(since=args.since, until=args.until, country=args.country, event_type=args.event_type,
                       sub_event_type=args.sub_event_type, actor=args.actor)


def run_export(args: argparse.Namespace) -> int:
    from warmonitor.cli import _open_for_writing
    from warmonitor.store.db import Store
    from warmonitor.store.export import EventWriter, write_parquet
    from warmonitor.store.queries import check_filter, find_events

    wanted = _filter_from(args)
    check_filter(wanted)  # before the database is opened: a typo in a type name is the likelier mistake
    with Store.open(args.db, create=False) as store:
        events = find_events(store, wanted)
    if args.format == "parquet":
        _open_for_writing(args.output, "events").close()  # the same one-line errors for a bad path
        count = write_parquet(events, args.output)
    else:
        with _open_for_writing(args.output, "events") as out:
            writer = EventWriter(out, args.format, merged=True)
            writer.write(events)
            writer.close()
            count = writer.count
    if count == 0:
        _warn(f"no stored event matches; wrote an empty {args.format} file to {args.output}")
    else:
        _warn(f"{count} event(s) written to {args.output}")
    return 0
