"""Evaluation commands: precision, recall and F1 of the pipeline on labelled data."""
from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from warmonitor.evaluate_types import class_table
from warmonitor.extract.type_model import NONE
from warmonitor.model import Article, Event


@dataclass
class EventReport:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    type_tp: int = 0
    type_fp: int = 0
    type_fn: int = 0
    main_pairs: list[tuple[str, str]] = field(default_factory=list)  # (gold, predicted) main sub-event type
    field_hits: Counter = field(default_factory=Counter)
    field_totals: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    snippets: int = 0


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _match(gold: list[dict], pred: list[Event], key) -> tuple[int, int, int, list[tuple[dict, Event]]]:
    left = list(pred)
    pairs = []
    for g in gold:
        m = next((e for e in left if key(e) == g.get(key.__name__)), None)
        if m is not None:
            left.remove(m)
            pairs.append((g, m))
    tp = len(pairs)
    return tp, len(pred) - tp, len(gold) - tp, pairs


def sub_event_type(e):  # noqa: D401 - name doubles as the gold key
    return e.sub_event_type if isinstance(e, Event) else e.get("sub_event_type")


def event_type(e):
    return e.event_type if isinstance(e, Event) else e.get("event_type")


FIELDS = ("actor1", "actor2", "country", "admin1", "location", "fatalities", "event_date", "time_precision")


def _same(fieldname: str, gold, pred) -> bool:
    if fieldname == "event_date":
        return pred is not None and pred.isoformat() == gold
    if isinstance(gold, str) and isinstance(pred, str):
        return _fold(gold) == _fold(pred)
    return gold == pred


def _fold(s: str) -> str:
    # "Ḩajjah" and "Hajjah", "al-Bab" and "Bab" are one name
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"\b(al|el|ad|ar|as|az|ash)[- ]", "", s)
    return re.sub(r"[^a-z0-9]", "", s)


def evaluate_events(path: Path, pipeline=None) -> EventReport:
    from warmonitor.pipeline import Pipeline

    pipeline = pipeline or Pipeline.load()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = [Article(id=r["id"], text=r["text"], published=date.fromisoformat(r["date"]) if r.get("date") else None)
                for r in rows]
    report = EventReport()
    for row, result in zip(rows, pipeline.process_many(articles)):
        gold = row.get("events", [])
        pred = result.events
        report.snippets += 1
        tp, fp, fn, pairs = _match(gold, pred, sub_event_type)
        report.tp += tp
        report.fp += fp
        report.fn += fn
        ttp, tfp, tfn, _ = _match(gold, pred, event_type)
        report.type_tp += ttp
        report.type_fp += tfp
        report.type_fn += tfn
        g_main = gold[0]["sub_event_type"] if gold else NONE
        p_main = pred[0].sub_event_type if pred else NONE
        report.main_pairs.append((g_main, p_main))
        if gold and pred and g_main == p_main:
            for f in FIELDS:
                if f in gold[0]:
                    report.field_totals[f] += 1
                    report.field_hits[f] += _same(f, gold[0][f], getattr(pred[0], f))
                    if not _same(f, gold[0][f], getattr(pred[0], f)):
                        report.errors.append(f"{row['id']}: {f}: gold {gold[0][f]!r}, got {getattr(pred[0], f)!r}")
        if g_main != p_main:
            report.errors.append(f"{row['id']}: main event: gold {g_main}, got {p_main}")
    return report


def print_event_report(report: EventReport, errors: bool = False, out=sys.stdout) -> None:
    p, r, f = prf(report.tp, report.fp, report.fn)
    tp_, tr, tf = prf(report.type_tp, report.type_fp, report.type_fn)
    print(f"snippets: {report.snippets}", file=out)
    print(f"events (sub-event type must match): precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}  "
          f"(tp {report.tp}, fp {report.fp}, fn {report.fn})", file=out)
    print(f"events (event type must match):     precision {tp_:.3f}  recall {tr:.3f}  F1 {tf:.3f}", file=out)
    print("\nmain event, per sub-event type:", file=out)
    class_table(report.main_pairs, out)
    print("\nfields of correctly typed main events (accuracy):", file=out)
    for f in FIELDS:
        if report.field_totals[f]:
            print(f"  {f:15} {report.field_hits[f] / report.field_totals[f]:.3f}  "
                  f"({report.field_hits[f]}/{report.field_totals[f]})", file=out)
    if errors:
        print("\nerrors:", file=out)
        for line in report.errors:
            print("  " + line, file=out)


# FA-KES names governorates its own way; fold both sides onto one key.
_GOVERNORATE_KEYS = {
    "aleppo": "aleppo", "damascus": "damascus", "rural damascus": "damascus", "idleb": "idlib", "idlib": "idlib",
    "ar-raqqa": "raqqa", "raqqa": "raqqa", "deir-ez-zor": "deir ezzor", "deir ezzor": "deir ezzor",
    "al-hasakeh": "hasakeh", "hasakeh": "hasakeh", "homs": "homs", "hama": "hama", "dar'a": "daraa",
    "daraa": "daraa", "lattakia": "lattakia", "tartous": "tartous", "as-sweida": "sweida", "quneitra": "quneitra",
}


def evaluate_fakes(path: Path, pipeline=None, out=sys.stdout) -> dict:
    """Main-event governorate and date against FA-KES' crowd-sourced labels."""
    from warmonitor.ingest.dates import find_date
    from warmonitor.pipeline import Pipeline

    pipeline = pipeline or Pipeline.load()
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    articles = []
    for r in rows:
        text = r["article_content"]
        articles.append(Article(id=r["unit_id"], text=text, title=r.get("article_title"),
                                published=find_date(r.get("article_title", ""), text[:600])))
    counts = defaultdict(int)
    for row, result in zip(rows, pipeline.process_many(articles)):
        counts["articles"] += 1
        gold_gov = row["location"].strip().lower()
        gold_date = row["date"].strip()
        main = result.events[0] if result.events else None
        if main is None:
            counts["no_event"] += 1
            continue
        counts["with_event"] += 1
        got = _GOVERNORATE_KEYS.get((main.admin1 or "").lower())
        counts["gov_right"] += got == _GOVERNORATE_KEYS.get(gold_gov, gold_gov)
        counts["gov_given"] += got is not None
        try:
            gd = date.fromisoformat(gold_date[:10])
        except ValueError:
            continue
        counts["dated"] += main.event_date is not None
        if main.event_date is not None:
            delta = abs((main.event_date - gd).days)
            counts["date_exact"] += delta == 0
            counts["date_3d"] += delta <= 3
    n = counts["articles"]
    print(f"articles: {n}; with an event: {counts['with_event']}", file=out)
    p = counts["gov_right"] / counts["gov_given"] if counts["gov_given"] else 0.0
    r = counts["gov_right"] / n if n else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"main-event governorate: precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}  "
          f"(right {counts['gov_right']}, answered {counts['gov_given']})", file=out)
    if counts["dated"]:
        print(f"main-event date: exact {counts['date_exact'] / n:.3f}, within 3 days {counts['date_3d'] / n:.3f} "
              f"of all articles", file=out)
    return dict(counts)
