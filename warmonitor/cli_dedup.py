"""`warmonitor eval dedup`: pairwise precision, recall and F1 of cross-article event merging."""
from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "evaluation" / "dedup_dev.jsonl"


def add_commands(sub, ev_sub) -> None:
    ev = ev_sub.add_parser(
        "dedup", help="merging of reports of one event across articles (pairwise P/R/F1)",
        description="Run the pipeline on labelled articles (JSONL: id, cluster, date, source, title, text), "
                    "merge each article's main event with those seen before, in publication order, and score "
                    "the merged events pairwise against the gold clusters. A naive rule (same sub-event type, "
                    "50 km, 7 days) is scored beside it.")
    ev.add_argument("file", type=Path, nargs="?", default=DEFAULT_FILE,
                    help="labelled JSONL file (default: evaluation/dedup_dev.jsonl)")
    ev.add_argument("--errors", action="store_true",
                    help="list every wrongly merged or wrongly separated pair, and articles with no event")
    ev.set_defaults(run=run_eval_dedup)


def run_eval_dedup(args: argparse.Namespace) -> int:
    from warmonitor.evaluate_dedup import evaluate_dedup, print_dedup_report, read_labelled
    from warmonitor.pipeline import Pipeline

    read_labelled(args.file)  # a bad file fails before the models load
    report = evaluate_dedup(args.file, Pipeline.load())
    print_dedup_report(report, errors=args.errors)
    return 0
