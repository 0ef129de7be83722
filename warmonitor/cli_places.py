"""`warmonitor geoparse` (every toponym of each article, as JSONL) and `warmonitor eval places` (scoring it)."""
from __future__ import annotations

import argparse
import itertools
from collections import deque
import json
import sys
from pathlib import Path

GEOPARSE_EPILOG = """examples:
  warmonitor geoparse examples/ -o places.jsonl
  cat report.txt | warmonitor geoparse -
  warmonitor eval places evaluation/places_sample.jsonl --errors
"""


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {value!r}")
    return n


def _load_geoparser():
    """The models, or one line saying why they cannot be loaded (e.g. gazetteer data not built)."""
    from warmonitor.errors import UserError
    from warmonitor.resolve.geoparse import Geoparser
    from warmonitor.resolve.places import GazetteerError

    try:
        return Geoparser.load()
    except (GazetteerError, RuntimeError) as exc:  # RuntimeError: no spaCy model installed
        raise UserError(str(exc)) from None


def add_commands(sub, ev_sub) -> None:
    from warmonitor.cli import _date

    geo = sub.add_parser("geoparse", help="find and locate every place an article names",
                         description="Read articles (text, HTML, JSONL, directories, or - for stdin) and write "
                                     "one JSON line per article: each toponym's character offsets, the "
                                     "gazetteer place it resolved to (null when none fits) and its role "
                                     "(mention, dateline, observer, context). Problems with single articles "
                                     "are reported on stderr and skipped.",
                         epilog=GEOPARSE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    geo.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or - for stdin")
    geo.add_argument("-o", "--output", metavar="FILE", help="write JSONL here instead of standard output")
    geo.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="publication date for every article")
    geo.set_defaults(run=run_geoparse)

    ev = ev_sub.add_parser("places", help="toponym recognition and resolution on gold toponyms",
                           description="Score the geoparser against a JSONL file of texts with gold toponyms "
                                       "(id, text, toponyms: [{start, end, lat, lon, country?, admin1?}]): "
                                       "recognition precision/recall/F1, Acc@161km, country and admin1 "
                                       "accuracy, error in km.")
    ev.add_argument("file", type=Path, help="gold JSONL file")
    ev.add_argument("--errors", action="store_true",
                    help="list every miss, false alarm, unresolved and far (> 161 km) resolution")
    ev.add_argument("--limit", type=_positive, metavar="N", help="score only the first N articles")
    ev.add_argument("--json", action="store_true", help="also print the metrics as one JSON object")
    ev.set_defaults(run=run_eval_places)


def run_geoparse(args: argparse.Namespace) -> int:
    from warmonitor.cli import _open_for_writing, _warn, readable_articles
    from warmonitor.errors import EXIT_NOTHING_READ

    out = _open_for_writing(args.output, "places") if args.output else sys.stdout
    stats = {"read": 0, "problems": 0, "places": 0, "resolved": 0}

    try:
        stream = readable_articles(args.paths, args.date, stats)
        first = next(stream, None)
        if first is not None:  # the models are loaded only when there is something to parse
            _geoparse(itertools.chain([first], stream), out, stats)
    finally:
        if out is not sys.stdout:
            out.close()
    if stats["read"] == 0:
        _warn("error: no article could be read")
        return EXIT_NOTHING_READ
    summary = (f"{stats['read']} article(s) read, {stats['places']} place(s) found, "
               f"{stats['resolved']} resolved")
    if stats["problems"]:
        summary += f", {stats['problems']} problem(s)"
    _warn(summary)
    return 0


def _geoparse(articles, out, stats: dict) -> None:
    from tqdm import tqdm

    from warmonitor.cli import _warn

    geoparser = _load_geoparser()
    origins: deque[str] = deque()  # results come in input order: the oldest origin is the result's

    def remember(items):
        for a in items:
            origins.append(a.origin or a.id)
            yield a

    for result in tqdm(geoparser.parse_many(remember(articles)), unit=" articles", disable=None,
                       file=sys.stderr, leave=False):
        origin = origins.popleft()
        if "error" in result:
            stats["problems"] += 1
            _warn(f"error: {origin}: could not be geoparsed ({result['error']})")
        stats["places"] += len(result["places"])
        stats["resolved"] += sum(1 for p in result["places"] if p["name"] is not None)
        out.write(json.dumps(result, ensure_ascii=False) + "\n")


def run_eval_places(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from warmonitor.cli import _warn
    from warmonitor.evaluate_places import PlacesReport, gazetteer_admin1_id, print_places_report, read_gold
    from warmonitor.model import Article

    gold = read_gold(args.file)[:args.limit]  # checked before the models load
    geoparser = _load_geoparser()
    gazetteer = geoparser.resolver.gaz
    report = PlacesReport(iso2_of=gazetteer.iso2_of, admin1_id=gazetteer_admin1_id(gazetteer))
    results = geoparser.parse_many(Article(id=g.id, text=g.text) for g in gold)
    for g, result in tqdm(zip(gold, results), total=len(gold), unit=" articles", disable=None,
                          file=sys.stderr, leave=False):
        if "error" in result:
            _warn(f"error: {args.file}: {g.id}: could not be geoparsed ({result['error']}); "
                  f"its toponyms count as misses")
            report.add_failure(g.id, g.toponyms, result["error"])
        else:
            report.add(g.id, g.toponyms, result["places"])
    print_places_report(report, errors=args.errors)
    if args.json:
        print(json.dumps(report.metrics()))
    return 0
