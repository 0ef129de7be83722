"""`warmonitor eval relevance`: how well the relevance gate tells reports of events from other news."""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from warmonitor.labelled_jsonl import read_labelled


def add_commands(sub, ev_sub) -> None:
    ev = ev_sub.add_parser(
        "relevance", help="the pre-parse relevance gate: which texts it lets through (P/R/F1)",
        description="Score the relevance gate on labelled JSONL files. A row is relevant when it reports an "
                    "event (its 'sub_event_type' is not null, or its 'events' list is not empty) or states who "
                    "controls a place ('control': true). Passing the gate is read as 'relevant'; recall is the "
                    "share of relevant rows it lets through to the parser.")
    ev.add_argument("files", type=Path, nargs="+", help="labelled JSONL files (types, events or control layout)")
    ev.add_argument("--errors", action="store_true", help="list every report the gate would skip")
    ev.set_defaults(run=run_eval_relevance)


def is_relevant(row: dict) -> bool:
    """Whether a labelled row reports an event or states who controls a place; ValueError if it says neither."""
    if row.get("control") is True:
        return True
    if "sub_event_type" in row:
        return row["sub_event_type"] is not None
    if isinstance(row.get("events"), list):
        return bool(row["events"])
    raise ValueError("needs 'sub_event_type', an 'events' list or 'control'")


@dataclass
class Tally:
    tp: int = 0  # relevant rows let through
    fn: int = 0  # relevant rows skipped
    fp: int = 0  # other news let through
    tn: int = 0  # other news skipped

    def add(self, relevant: bool, passed: bool) -> None:
        if relevant:
            self.tp, self.fn = self.tp + passed, self.fn + (not passed)
        else:
            self.fp, self.tn = self.fp + passed, self.tn + (not passed)

    def line(self, name: str) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return (f"{name:34} {self.tp + self.fn:7} {self.fp + self.tn:7} {p:6.3f} {r:6.3f} {f:6.3f} "
                f"{self.tn / (self.fp + self.tn) if self.fp + self.tn else 0.0:8.3f}")


def run_eval_relevance(args: argparse.Namespace) -> int:
    from warmonitor.nlp.relevance import RelevanceModel

    sets = [(path, read_labelled(path, lambda row: (row, is_relevant(row)), "labelled rows"))
            for path in args.files]  # every file is checked before the model loads
    model = RelevanceModel.load()
    total = Tally()
    print(f"{'file':34} {'relevant':>7} {'others':>7} {'P':>6} {'R':>6} {'F1':>6} {'skipped':>8}")
    for path, rows in sets:
        tally = Tally()
        for _, (row, relevant) in rows:
            passed = model.relevant(row["text"], row.get("title"))
            tally.add(relevant, passed)
            total.add(relevant, passed)
            if args.errors and relevant and not passed:
                print(f"  skipped {row['id']}: {row['text'][:100]!r}", file=sys.stderr)
        print(tally.line(path.name))
    if len(sets) > 1:
        print(total.line("all"))
    print("P, R, F1: of passing the gate as 'relevant'; skipped: share of the other news it keeps from the parser")
    return 0
