"""The `warmonitor` command line."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from warmonitor import __version__

DESCRIPTION = "warmonitor: news reports about armed conflict in, ACLED-grade events out."


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="warmonitor", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"warmonitor {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser("extract", help="code articles as events",
                        description="Read articles (text, HTML, JSONL, directories, or - for stdin) and write "
                                    "one record per event.")
    ex.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or - for stdin")
    ex.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    ex.add_argument("--format", choices=("jsonl", "csv", "geojson", "table"), default="jsonl",
                    help="output format (table: one readable line per event)")
    ex.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="publication date for every article")
    ex.add_argument("--actors", action="append", type=Path, default=[], metavar="FILE",
                    help="extra actors file (same format as the bundled one); may repeat")
    ex.set_defaults(run=run_extract)

    ev = sub.add_parser("eval", help="score warmonitor on a labelled set",
                        description="Print precision, recall and F1 on a labelled set.")
    ev_sub = ev.add_subparsers(dest="what", metavar="WHAT")
    ev_events = ev_sub.add_parser("events", help="event detection and coding on labelled snippets",
                                  description="Score events against a JSONL file of labelled snippets "
                                              "(see evaluation/README.md).")
    ev_events.add_argument("file", type=Path, help="labelled JSONL file")
    ev_events.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    ev_events.set_defaults(run=run_eval_events)
    ev_fakes = ev_sub.add_parser("fakes", help="main-event date and governorate on FA-KES-style CSV",
                                 description="Score the main event's date and governorate against a CSV with "
                                             "article_content, date and location columns (FA-KES layout).")
    ev_fakes.add_argument("file", type=Path, help="CSV file")
    ev_fakes.set_defaults(run=run_eval_fakes)
    return parser


def _warn(msg: str) -> None:
    print(f"warmonitor: {msg}", file=sys.stderr)


def run_extract(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from warmonitor.ingest import ReadProblem, read_articles
    from warmonitor.pipeline import Pipeline
    from warmonitor.store.export import EventWriter

    for f in args.actors:
        if not f.is_file():
            _warn(f"actors file not found: {f}")
            return 2
    pipeline = Pipeline.load(actor_files=args.actors)
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    writer = EventWriter(out, args.format)
    stats = {"read": 0, "problems": 0}

    def articles():
        for item in read_articles(args.paths, date=args.date):
            if isinstance(item, ReadProblem):
                stats["problems"] += 1
                label = "skipped" if item.kind == "skipped" else "warning"
                _warn(f"{label}: {item.origin}: {item.message}")
                continue
            stats["read"] += 1
            yield item

    try:
        progress = tqdm(pipeline.process_many(articles()), unit=" articles", disable=None, file=sys.stderr,
                        leave=False)
        for result in progress:
            if result.skipped and result.skipped.startswith("could not"):
                _warn(f"warning: {result.article.origin or result.article.id}: {result.skipped}")
            writer.write(result.events)
        writer.close()
    finally:
        if out is not sys.stdout:
            out.close()
    if stats["read"] == 0:
        _warn("error: no article could be read")
        return 1
    _warn(f"{stats['read']} article(s) read, {writer.count} event(s) written"
          + (f", {stats['problems']} input problem(s)" if stats["problems"] else ""))
    return 0


def run_eval_events(args: argparse.Namespace) -> int:
    from warmonitor.evaluate import evaluate_events, print_event_report

    if not args.file.is_file():
        _warn(f"error: no such file: {args.file}")
        return 2
    report = evaluate_events(args.file)
    print_event_report(report, errors=args.errors)
    return 0


def run_eval_fakes(args: argparse.Namespace) -> int:
    from warmonitor.evaluate import evaluate_fakes

    if not args.file.is_file():
        _warn(f"error: no such file: {args.file}")
        return 2
    evaluate_fakes(args.file)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 0 if args.command is None else 2
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        _warn(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return 1


if __name__ == "__main__":
    sys.exit(main())
