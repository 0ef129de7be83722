"""The `warmonitor` command line.

Every problem a user can cause (a bad file, a bad option, a bad actors file) ends as one line on stderr
and an exit status, never as a traceback. In a batch, an unreadable article is reported and skipped.
"""
from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn, TextIO

from warmonitor import __version__
from warmonitor.allocator import keep_big_blocks_apart
from warmonitor.errors import EXIT_NOTHING_READ, EXIT_USAGE, UserError
from warmonitor.workers import add_every_article_option, workers_option

DESCRIPTION = "warmonitor: news reports about armed conflict in, ACLED-grade events out."

EXTRACT_EPILOG = """examples:
  warmonitor extract examples/ --format table
  warmonitor extract report.txt --date 2018-03-20 -o events.csv --format csv
  cat report.txt | warmonitor extract - --control control.jsonl
  warmonitor extract articles.jsonl --actors my_actors.json --format geojson -o events.geojson
"""



class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error: the usage block would bury the reason."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="warmonitor", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"warmonitor {__version__}")
    parser.set_defaults(help_of=parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser("extract", help="code articles as events",
                        description="Read articles (text, HTML, JSONL, directories, or - for stdin) and write "
                                    "one record per event. Problems with single articles are reported on "
                                    "stderr and skipped.",
                        epilog=EXTRACT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ex.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or - for stdin")
    ex.add_argument("-o", "--output", metavar="FILE", help="write events here instead of standard output")
    ex.add_argument("--format", choices=("jsonl", "csv", "geojson", "table"), default="jsonl",
                    help="output format (default jsonl; csv: ACLED's columns first; table: one readable line "
                         "per event)")
    ex.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                    help="publication date for every article (relative dates are resolved against it)")
    ex.add_argument("--actors", action="append", type=Path, default=[], metavar="FILE",
                    help="extra actors file (same format as the bundled actors.json); may repeat")
    ex.add_argument("--control", metavar="FILE",
                    help="also write territorial-control statements (who holds which place) here, as JSONL")
    ex.add_argument("--workers", type=workers_option, default=1,
                    metavar="N", help="code articles in N processes (default 1); output order is kept")
    ex.add_argument("--sentence-gate", action="store_true",
                    help="parse only sentences with conflict vocabulary and their context: faster, at a small "
                         "cost in recall (see bench/gate_recall.py)")
    add_every_article_option(ex)
    ex.set_defaults(run=run_extract)

    ev = sub.add_parser("eval", help="score warmonitor on a labelled set",
                        description="Print precision, recall and F1 on a labelled set.")
    ev.set_defaults(help_of=ev)
    ev_sub = ev.add_subparsers(dest="what", metavar="WHAT")
    ev_events = ev_sub.add_parser("events", help="event detection and coding on labelled snippets",
                                  description="Score events against a JSONL file of labelled snippets "
                                              "(see evaluation/README.md).")
    ev_events.add_argument("file", type=Path, help="labelled JSONL file")
    ev_events.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    ev_events.set_defaults(run=run_eval_events)
    ev_fakes = ev_sub.add_parser("fakes", help="main-event date and governorate on FA-KES-style CSV",
                                 description="Score the main event's date and governorate against a CSV with "
                                             "unit_id, article_content, date and location columns (FA-KES "
                                             "layout).")
    ev_fakes.add_argument("file", type=Path, help="CSV file")
    ev_fakes.set_defaults(run=run_eval_fakes)
    # Commands that live in their own modules: each adds its parsers here.
    from warmonitor import (cli_actors, cli_control, cli_dedup, cli_gazetteer, cli_places, cli_relevance, cli_serve,
                            cli_spark, cli_store, cli_types, cli_watch)

    cli_places.add_commands(sub, ev_sub)
    cli_actors.add_commands(sub, ev_sub)
    cli_types.add_commands(sub, ev_sub)
    cli_gazetteer.add_commands(sub)
    for module in (cli_store, cli_watch, cli_control, cli_dedup, cli_serve, cli_spark, cli_relevance):
        module.add_commands(sub, ev_sub)
    return parser


def _warn(msg: str) -> None:
    print(f"warmonitor: {msg}", file=sys.stderr)


_UserError = UserError  # the name this module has always used


def _problem_line(origin: str, message: str) -> str:
    """'origin: message' without saying the same thing twice ("x.jsonl:2: line 2: ...", "f: ...: f")."""
    if origin == "-":
        origin = "standard input"
    elif origin and message.endswith(origin):
        return message
    path, _, line = origin.rpartition(":")
    if line.isdigit() and message.startswith(f"line {line}: "):
        message = message[len(f"line {line}: "):]
    return f"{origin}: {message}"


def _open_for_writing(path: str, what: str) -> TextIO:
    """Opened before the models load, so a bad path fails at once."""
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except FileNotFoundError:
        raise _UserError(f"cannot write {what} to {path}: directory {os.path.dirname(path) or '.'} "
                         f"does not exist") from None
    except IsADirectoryError:
        raise _UserError(f"cannot write {what} to {path}: it is a directory") from None
    except OSError as exc:
        raise _UserError(f"cannot write {what} to {path}: {exc.strerror or exc}") from None


def _check_actor_files(actor_files: list[Path]):
    """Read the user's actor files now (a few ms), so a bad one is reported before any work is done; returns
    the knowledge base they make, for the caller to use rather than load again."""
    from warmonitor.resolve.actor_kb import ActorDataError, ActorKB  # not .actors: that imports spaCy

    for f in actor_files:
        if not f.is_file():
            raise _UserError(f"actors file not found: {f}", EXIT_USAGE)
    try:
        return ActorKB.load(extra_files=actor_files)
    except ActorDataError as exc:
        raise _UserError(f"bad actors file: {exc}", EXIT_USAGE) from None


def _load_pipeline(actor_files: list[Path]):
    from warmonitor.pipeline import Pipeline

    return Pipeline.load(actor_kb=_check_actor_files(actor_files))


def run_extract(args: argparse.Namespace) -> int:
    from warmonitor.store.export import ControlWriter, EventWriter

    actor_kb = _check_actor_files(args.actors)
    outputs: list[TextIO] = []
    try:
        out = sys.stdout
        if args.output:
            out = _open_for_writing(args.output, "events")
            outputs.append(out)
        control = None
        if args.control:
            control_out = _open_for_writing(args.control, "control statements")
            outputs.append(control_out)
            control = ControlWriter(control_out)
        writer = EventWriter(out, args.format)
        stats = {"read": 0, "problems": 0}

        stream = readable_articles(args.paths, args.date, stats)
        first = next(stream, None)
        if first is not None:  # the language model is loaded only when there is something to code
            _code_articles(itertools.chain([first], stream), actor_kb, writer, control, stats,
                           workers=getattr(args, "workers", 1), actor_files=args.actors,
                           gate=getattr(args, "sentence_gate", False),
                           every_article=getattr(args, "every_article", False))
        writer.close()
    finally:
        for handle in outputs:
            handle.close()
    if stats["read"] == 0:
        _warn("error: no article could be read")
        return EXIT_NOTHING_READ
    summary = f"{stats['read']} article(s) read, {writer.count} event(s) written"
    if control is not None:
        summary += f", {control.count} control statement(s)"
    if stats["problems"]:
        summary += f", {stats['problems']} input problem(s)"
    _warn(summary)
    return 0


def readable_articles(paths, date, stats: dict):
    """The articles that could be read, in order; each unreadable input is one line on stderr and a count in
    stats["problems"], and every article read is counted in stats["read"]."""
    from warmonitor.ingest import ReadProblem, read_articles

    for item in read_articles(paths, date=date):
        if isinstance(item, ReadProblem):
            stats["problems"] += 1
            label = "skipped" if item.kind == "skipped" else "error"
            _warn(f"{label}: {_problem_line(item.origin, item.message)}")
            continue
        stats["read"] += 1
        yield item


def _code_articles(articles, actor_kb, writer, control, stats: dict, workers: int = 1, actor_files=(),
                   gate: bool = False, every_article: bool = False) -> None:
    import contextlib

    from warmonitor.pipeline import Pipeline
    from warmonitor.workers import PipelinePool

    with contextlib.ExitStack() as stack:
        if workers > 1:  # each worker loads its own pipeline; this process only writes, in input order
            pipeline = stack.enter_context(PipelinePool(workers, actor_files, gate=gate, every_article=every_article))
        else:
            pipeline = Pipeline.load(actor_kb=actor_kb, gate=gate, every_article=every_article)
        _write_results(pipeline.process_many(articles), writer, control, stats)


def _write_results(results, writer, control, stats: dict) -> None:
    from tqdm import tqdm

    progress = tqdm(results, unit=" articles", disable=None, file=sys.stderr, leave=False)
    for result in progress:
        if result.skipped and result.skipped.startswith("could not"):
            stats["problems"] += 1
            _warn(f"error: {result.article.origin or result.article.id}: {result.skipped}")
        writer.write(result.events)
        if control is not None:
            control.write(result.control)


def _check_input(path: Path) -> None:
    if not path.is_file():
        raise _UserError(f"no such file: {path}", EXIT_USAGE)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _UserError(f"{path}: not UTF-8 text (binary?)") from None


def _check_labelled_jsonl(path: Path) -> None:
    """The layout of evaluation/README.md, checked line by line before the models load."""
    _check_input(path)
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _UserError(f"{path}:{number}: malformed JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not isinstance(row.get("text"), str):
            raise _UserError(f"{path}:{number}: needs an object with string 'id' and 'text'")
        if row.get("date"):
            try:
                date.fromisoformat(str(row["date"]))
            except ValueError:
                raise _UserError(f"{path}:{number}: 'date' is not YYYY-MM-DD: {row['date']!r}") from None
        events = row.get("events", [])
        if not isinstance(events, list) or not all(isinstance(e, dict) and "sub_event_type" in e for e in events):
            raise _UserError(f"{path}:{number}: 'events' must be a list of objects with a sub_event_type")


FAKES_COLUMNS = ("unit_id", "article_content", "date", "location")


def _check_fakes_csv(path: Path) -> None:
    _check_input(path)
    try:
        header = next(csv.reader(io.StringIO(_read_text(path))), [])
    except csv.Error as exc:
        raise _UserError(f"{path}: not a readable CSV ({exc})") from None
    missing = [c for c in FAKES_COLUMNS if c not in header]
    if missing:
        raise _UserError(f"{path}: missing CSV column(s) {', '.join(missing)} (FA-KES layout needs "
                         f"{', '.join(FAKES_COLUMNS)})")


def run_eval_events(args: argparse.Namespace) -> int:
    from warmonitor.evaluate import evaluate_events, print_event_report

    _check_labelled_jsonl(args.file)
    report = evaluate_events(args.file, _load_pipeline([]))
    print_event_report(report, errors=args.errors)
    return 0


def run_eval_fakes(args: argparse.Namespace) -> int:
    from warmonitor.evaluate import evaluate_fakes

    _check_fakes_csv(args.file)
    try:
        evaluate_fakes(args.file, _load_pipeline([]))
    except csv.Error as exc:  # a quoting error further down the file
        raise _UserError(f"{args.file}: not a readable CSV ({exc})") from None
    return 0


def _silence_stdout() -> None:
    """After a closed pipe (`warmonitor extract ... | head`), stop Python's exit flush from complaining."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    keep_big_blocks_apart()  # lower peak memory: see allocator.py
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        # `warmonitor` or `warmonitor eval` alone: show what can follow.
        args.help_of.print_help()
        return 0
    try:
        return args.run(args)
    except _UserError as exc:
        _warn(f"error: {exc}")
        return exc.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as exc:
        _warn(f"error: {exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
        return 1


if __name__ == "__main__":
    sys.exit(main())
