"""`warmonitor control`: who controlled which place on a day, or a place's whole timeline, from the store."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from warmonitor.errors import EXIT_USAGE, UserError
from warmonitor.model import ControlPeriod

CONTROL_EPILOG = """examples:
  warmonitor control --date 2018-03-18 --country Syria
  warmonitor control --date 2018-03-20 --place Qadam --format jsonl
  warmonitor control --history --place Qadam

A period runs from its start (or "?": held since before any report says) to the day before its end.
"""


def add_commands(sub, ev_sub) -> None:
    from warmonitor.store.db import add_db_option

    ctl = sub.add_parser(
        "control", help="who controlled which place on a day, from the stored reports",
        description="Build the territorial-control timeline from the stored transfer events (Government "
                    "regains territory, Non-state actor overtakes territory, Non-violent transfer of territory) "
                    "and control statements, and print who held each place on --date, or with --history "
                    "every period of each place.",
        epilog=CONTROL_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ctl.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="the day to answer for")
    ctl.add_argument("--history", action="store_true", help="print every period of each place instead")
    ctl.add_argument("--country", metavar="C", help="only places in this country (e.g. Syria)")
    ctl.add_argument("--place", metavar="NAME", help="only places of this name (spelling-insensitive)")
    add_db_option(ctl)
    ctl.add_argument("--format", choices=("table", "jsonl"), default="table", help="output format (default table)")
    ctl.set_defaults(run=run_control)


def _date(value: str) -> date:
    from warmonitor.cli import _date as parse_date  # one definition of what a date option accepts

    return parse_date(value)


def run_control(args: argparse.Namespace) -> int:
    from warmonitor.store.db import Store
    from warmonitor.territory import TRANSFER_TYPES, build_timeline, control_on

    if args.date is None and not args.history:
        raise UserError("give --date YYYY-MM-DD, or --history for the whole timeline", status=EXIT_USAGE)
    store = Store.open(args.db, create=False)
    try:
        where = f"sub_event_type IN ({', '.join('?' * len(TRANSFER_TYPES))})"
        params: tuple = tuple(sorted(TRANSFER_TYPES))
        if args.country:
            where += " AND country = ? COLLATE NOCASE"
            params += (args.country,)
        # every statement, whatever its country: the store's country filter is exact, and ours forgives case
        periods = build_timeline(store.control_statements(), store.events(where, params))
    finally:
        store.close()
    if args.place:
        periods = [p for p in periods if _same_name(p.place.name, args.place)]
    if args.country:
        periods = [p for p in periods if (p.place.country or "").casefold() == args.country.casefold()]
    if args.date is not None and not args.history:
        periods = control_on(periods, args.date)
    if args.format == "jsonl":
        for p in periods:
            sys.stdout.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
    else:
        for p in periods:
            sys.stdout.write(table_line(p, history=args.history) + "\n")
    what = "period(s)" if args.history else f"place holding(s) on {args.date.isoformat()}"
    print(f"warmonitor: {len(periods)} {what}", file=sys.stderr)
    return 0


def table_line(period: ControlPeriod, history: bool = False) -> str:
    """place | admin1 | country | actor | status | since [| until] | evidence count"""
    cells = [period.place.name, period.place.admin1 or "-", period.place.country or "-",
             period.actor or "(no one holder)", period.status,
             "since " + (period.start.isoformat() if period.start else "?")]
    if history:
        cells.append("until " + (period.end.isoformat() if period.end else "now"))
    cells.append(f"{len(period.evidence)} evidence")
    return " | ".join(cells)


def _same_name(name: str, wanted: str) -> bool:
    from warmonitor.resolve.gazetteer import fold

    return fold(name) == fold(wanted)
