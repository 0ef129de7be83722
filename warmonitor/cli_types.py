"""`warmonitor eval types`: scoring the main event's sub-event type on labelled snippets."""
from __future__ import annotations

import argparse
from pathlib import Path


def add_commands(sub, ev_sub) -> None:
    ev = ev_sub.add_parser(
        "types", help="the main event's sub-event type (or no event), per class",
        description="Score the sub-event type of each snippet's main event (or no event) against a labelled "
                    "JSONL or CSV file: per-class precision, recall and F1, and the support-weighted F1. "
                    "Snippets the type model was trained on are left out.")
    ev.add_argument("file", type=Path, help="labelled JSONL or CSV (text, sub_event_type[, date])")
    ev.add_argument("--errors", action="store_true", help="list every wrongly typed snippet")
    ev.add_argument("--confusion", action="store_true", help="print the most frequent confusions")
    ev.add_argument("--rules-only", action="store_true", help="score the rules without the type model")
    ev.set_defaults(run=run_eval_types)


def run_eval_types(args: argparse.Namespace) -> int:
    from warmonitor.evaluate_types import evaluate_types, print_type_report, read_snippets
    from warmonitor.pipeline import Pipeline

    read_snippets(args.file)  # a bad file fails before the models load
    pipeline = Pipeline.load(type_model=None) if args.rules_only else Pipeline.load()
    report = evaluate_types(args.file, pipeline)
    print_type_report(report, errors=args.errors, confusion=args.confusion)
    return 0
