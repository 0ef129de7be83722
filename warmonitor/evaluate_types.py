"""`warmonitor eval types`: the main event's sub-event type, one label per snippet, scored per class.

A labelled file is JSONL (one object per line) or CSV (a header row). Each row has the snippet's text
("text", or ACLED's "notes") and its label ("sub_event_type", or "label"): an ACLED sub-event type, or
empty / null / "none" when the snippet reports no event. "date" (publication date, YYYY-MM-DD) is optional.
Rows the bundled type model was trained on are never scored.
"""
from __future__ import annotations

import csv
import io
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from warmonitor.errors import EXIT_USAGE, UserError
from warmonitor.extract.lexicon import load_json
from warmonitor.extract.type_model import NONE
from warmonitor.labelled_jsonl import json_objects, read_text_lines
from warmonitor.model import Article

TEXT_KEYS = ("text", "notes", "snippet")
LABEL_KEYS = ("sub_event_type", "label")
NONE_WORDS = frozenset({"", "none", "null", "no event", "(no event)", "no_event", "0"})


@dataclass
class LabelledSnippet:
    id: str
    text: str
    label: str  # a sub-event type, or NONE
    published: date | None = None


@dataclass
class TypeReport:
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (gold, predicted) per scored snippet
    errors: list[str] = field(default_factory=list)
    trained_on: int = 0  # snippets left out because the model was trained on them


def _label(value, known: set[str], where: str) -> str:
    if value is None or (isinstance(value, str) and value.strip().lower() in NONE_WORDS):
        return NONE
    if not isinstance(value, str):
        raise UserError(f"{where}: the label must be a string or null, not {value!r}", EXIT_USAGE)
    folded = {k.lower(): k for k in known}
    if value.strip().lower() not in folded:
        raise UserError(f"{where}: unknown sub-event type {value!r} (ACLED's names, e.g. 'Armed clash', "
                        f"or null for no event)", EXIT_USAGE)
    return folded[value.strip().lower()]


def _snippet(row: dict, n: int, known: set[str], where: str) -> LabelledSnippet:
    text = next((row[k] for k in TEXT_KEYS if isinstance(row.get(k), str)), None)
    if text is None:
        raise UserError(f"{where}: no text (a 'text' or 'notes' field)", EXIT_USAGE)
    key = next((k for k in LABEL_KEYS if k in row), None)
    if key is None:
        raise UserError(f"{where}: no label (a 'sub_event_type' field; null for no event)", EXIT_USAGE)
    published = None
    raw_date = row.get("date") or row.get("published")
    if raw_date:
        try:
            published = date.fromisoformat(str(raw_date)[:10])
        except ValueError:
            raise UserError(f"{where}: 'date' is not YYYY-MM-DD: {raw_date!r}", EXIT_USAGE) from None
    return LabelledSnippet(str(row.get("id") or n), text, _label(row[key], known, where), published)


def read_snippets(path: Path) -> list[LabelledSnippet]:
    known = set(load_json("taxonomy/acled.json")["sub_event_types"])
    snippets = []
    if path.suffix.lower() == ".csv":
        try:
            rows = list(csv.DictReader(io.StringIO("\n".join(read_text_lines(path)))))
        except csv.Error as exc:
            raise UserError(f"{path}: not a readable CSV ({exc})", EXIT_USAGE) from None
        for n, row in enumerate(rows, start=2):
            snippets.append(_snippet(row, n, known, f"{path}:{n}"))
    else:
        snippets = [_snippet(row, n, known, f"{path}:{n}") for n, row in json_objects(path)]
    if not snippets:
        raise UserError(f"{path}: no labelled snippets in the file", EXIT_USAGE)
    return snippets


def evaluate_types(path: Path, pipeline) -> TypeReport:
    snippets = read_snippets(path)
    report = TypeReport()
    model = pipeline.type_model
    unseen = [s for s in snippets if model is None or not model.was_trained_on(s.text)]
    report.trained_on = len(snippets) - len(unseen)
    if not unseen:
        raise UserError(f"{path}: the type model was trained on every snippet in it; score it on data it "
                        f"was not trained on", EXIT_USAGE)
    articles = [Article(id=s.id, text=s.text, published=s.published) for s in unseen]
    for s, result in zip(unseen, pipeline.process_many(articles)):
        predicted = result.events[0].sub_event_type if result.events else NONE
        report.pairs.append((s.label, predicted))
        if predicted != s.label:
            report.errors.append(f"{s.id}: gold {s.label}, got {predicted}")
    return report


def class_table(pairs: list[tuple[str, str]], out=None) -> float:
    """Per-class precision, recall, F1 and support; returns (and prints) the support-weighted F1."""
    from warmonitor.evaluate import prf

    out = out or sys.stdout
    classes = sorted({g for g, _ in pairs} | {p for _, p in pairs}, key=lambda c: (c == NONE, c))
    print(f"  {'class':42} {'prec':>6} {'rec':>6} {'F1':>6} {'support':>8}", file=out)
    weighted = 0.0
    for c in classes:
        tp = sum(1 for g, q in pairs if g == c and q == c)
        fp = sum(1 for g, q in pairs if g != c and q == c)
        fn = sum(1 for g, q in pairs if g == c and q != c)
        cp, cr, cf = prf(tp, fp, fn)
        weighted += cf * (tp + fn)
        print(f"  {c:42} {cp:6.3f} {cr:6.3f} {cf:6.3f} {tp + fn:8d}", file=out)
    score = weighted / len(pairs) if pairs else 0.0
    print(f"  support-weighted F1: {score:.3f}", file=out)
    return score


def print_type_report(report: TypeReport, errors: bool = False, confusion: bool = False, out=None) -> None:
    from warmonitor.evaluate import prf

    out = out or sys.stdout

    n = len(report.pairs)
    print(f"snippets scored: {n}" + (f" ({report.trained_on} left out: the model was trained on them)"
                                     if report.trained_on else ""), file=out)
    print("main event, per sub-event type:", file=out)
    class_table(report.pairs, out)
    right = sum(g == p for g, p in report.pairs)
    print(f"  accuracy: {right / n:.3f} ({right}/{n})", file=out)
    tp = sum(g != NONE and p != NONE for g, p in report.pairs)
    fp = sum(g == NONE and p != NONE for g, p in report.pairs)
    fn = sum(g != NONE and p == NONE for g, p in report.pairs)
    p_, r_, f_ = prf(tp, fp, fn)
    print(f"event or no event: precision {p_:.3f}  recall {r_:.3f}  F1 {f_:.3f}", file=out)
    if confusion:
        print("\nmost frequent confusions (gold -> predicted):", file=out)
        for (g, p), k in Counter((g, p) for g, p in report.pairs if g != p).most_common(20):
            print(f"  {k:4d}  {g} -> {p}", file=out)
    if errors:
        print("\nerrors:", file=out)
        for line in report.errors:
            print("  " + line, file=out)
