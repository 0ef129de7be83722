"""`warmonitor eval dedup`: does event merging put the reports of one real event together, and only them?

The labelled file is JSONL, one article per line:
``{"id": "dd-001-a", "cluster": "dd-001", "date": "YYYY-MM-DD", "source": "Reuters", "title": "...",
"text": "..."}``. Articles with the same ``cluster`` report the same real event.

Every article goes through the real pipeline; its main event (the first one) is merged, in publication
order, against the events merged so far (`merge.fold.fold_reports`), as the store does.
Scores are pairwise over articles: a pair is predicted together when both articles ended in the same merged
event, and is gold together when they share a cluster. An article with no event is a singleton. A naive
rule ("same sub-event type, at most 50 km and 7 days apart") is scored the same way, for comparison.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from warmonitor.errors import EXIT_USAGE, UserError
from warmonitor.labelled_jsonl import json_objects
from warmonitor.merge.combine import first_published
from warmonitor.merge.coref import km_between
from warmonitor.merge.fold import fold_reports
from warmonitor.model import Article, Event

NAIVE_KM = 50
NAIVE_DAYS = 7


@dataclass
class LabelledArticle:
    article: Article
    cluster: str


@dataclass
class PairScore:
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0

    @property
    def precision(self) -> float:
        return self.true_pos / (self.true_pos + self.false_pos) if self.true_pos + self.false_pos else 0.0

    @property
    def recall(self) -> float:
        return self.true_pos / (self.true_pos + self.false_neg) if self.true_pos + self.false_neg else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DedupReport:
    articles: int = 0
    gold_clusters: int = 0
    merged: dict[str, str] = field(default_factory=dict)  # article id -> merged event id (or its own id)
    naive: dict[str, str] = field(default_factory=dict)
    score: PairScore = field(default_factory=PairScore)
    naive_score: PairScore = field(default_factory=PairScore)
    no_event: list[str] = field(default_factory=list)
    wrong_pairs: list[tuple[str, str, str]] = field(default_factory=list)  # (a, b, "merged apart"/"merged wrongly")
    main_events: dict[str, Event] = field(default_factory=dict)

    @property
    def predicted_clusters(self) -> int:
        return len(set(self.merged.values()))


def read_labelled(path: Path) -> list[LabelledArticle]:
    """The labelled articles; a bad line is a one-line error naming file:line."""
    items, seen = [], set()
    for number, row in json_objects(path):
        where = f"{path}:{number}"
        for key in ("id", "cluster", "text"):
            if not isinstance(row.get(key), str) or not row[key].strip():
                raise UserError(f"{where}: needs a non-empty string '{key}'", EXIT_USAGE)
        if row["id"] in seen:
            raise UserError(f"{where}: duplicate id {row['id']!r}", EXIT_USAGE)
        seen.add(row["id"])
        published = None
        if row.get("date"):
            try:
                published = date.fromisoformat(str(row["date"]))
            except ValueError:
                raise UserError(f"{where}: 'date' is not YYYY-MM-DD: {row['date']!r}", EXIT_USAGE) from None
        article = Article(id=row["id"], text=row["text"], title=row.get("title"), published=published,
                          source=row.get("source"), origin=where)
        items.append(LabelledArticle(article, row["cluster"]))
    if not items:
        raise UserError(f"{path}: no labelled articles", EXIT_USAGE)
    return items


def merge_in_order(mains: list[tuple[Article, Event]]) -> dict[str, str]:
    """Article id -> merged event id, merging each main event against those merged so far."""
    ordered = sorted(mains, key=lambda pair: (first_published(pair[0]), pair[0].id))
    _, joined = fold_reports(ordered, lambda _event, n: f"M{n}")
    return {article.id: record.event_id for (article, _), record in zip(ordered, joined)}


def naive_same(a: Event, b: Event) -> bool:
    """The baseline: same sub-event type, at most 50 km and 7 days apart (unknown distance or date: no)."""
    distance = km_between(a, b)
    return (a.sub_event_type == b.sub_event_type and distance is not None and distance <= NAIVE_KM
            and a.event_date is not None and b.event_date is not None
            and abs((a.event_date - b.event_date).days) <= NAIVE_DAYS)


def naive_in_order(mains: list[tuple[Article, Event]]) -> dict[str, str]:
    """The baseline, clustering the same way: join the first cluster whose first event passes the rule."""
    clusters: list[tuple[str, Event]] = []
    assignment: dict[str, str] = {}
    for article, event in sorted(mains, key=lambda pair: (first_published(pair[0]), pair[0].id)):
        home = next((cid for cid, first in clusters if naive_same(first, event)), None)
        if home is None:
            home = f"N{len(clusters) + 1}"
            clusters.append((home, event))
        assignment[article.id] = home
    return assignment


def pair_score(gold: dict[str, str], predicted: dict[str, str]) -> tuple[PairScore, list[tuple[str, str, str]]]:
    score, wrong = PairScore(), []
    for a, b in itertools.combinations(sorted(gold), 2):
        same_gold, same_pred = gold[a] == gold[b], predicted[a] == predicted[b]
        if same_gold and same_pred:
            score.true_pos += 1
        elif same_pred:
            score.false_pos += 1
            wrong.append((a, b, "merged wrongly"))
        elif same_gold:
            score.false_neg += 1
            wrong.append((a, b, "kept apart"))
    return score, wrong


def evaluate_dedup(path: Path, pipeline) -> DedupReport:
    items = read_labelled(path)
    gold = {it.article.id: it.cluster for it in items}
    report = DedupReport(articles=len(items), gold_clusters=len(set(gold.values())))
    mains: list[tuple[Article, Event]] = []
    for result in pipeline.process_many([it.article for it in items]):
        if result.events:
            mains.append((result.article, result.events[0]))
            report.main_events[result.article.id] = result.events[0]
        else:
            report.no_event.append(result.article.id)
    report.merged = merge_in_order(mains)
    report.naive = naive_in_order(mains)
    for article_id in report.no_event:  # nothing to merge: each stays on its own
        report.merged[article_id] = report.naive[article_id] = f"alone:{article_id}"
    report.score, report.wrong_pairs = pair_score(gold, report.merged)
    report.naive_score, _ = pair_score(gold, report.naive)
    return report


def _line(label: str, s: PairScore) -> str:
    return (f"{label:<28} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}   "
            f"(tp {s.true_pos}, fp {s.false_pos}, fn {s.false_neg})")


def print_dedup_report(report: DedupReport, errors: bool = False) -> None:
    print(f"articles: {report.articles}  gold clusters: {report.gold_clusters}  "
          f"predicted clusters: {report.predicted_clusters}  articles with no event: {len(report.no_event)}")
    print("pairwise over article pairs:")
    print(_line("  warmonitor merge", report.score))
    print(_line(f"  naive ({NAIVE_KM} km, {NAIVE_DAYS} days, type)", report.naive_score))
    if not errors:
        return
    for article_id in report.no_event:
        print(f"no event: {article_id}")
    for a, b, what in report.wrong_pairs:
        print(f"{what}: {a} ~ {b}   [{_describe(report.main_events.get(a))}] / [{_describe(report.main_events.get(b))}]")


def _describe(e: Event | None) -> str:
    if e is None:
        return "no event"
    return (f"{e.event_date} {e.sub_event_type} | {e.actor1} vs {e.actor2} | {e.location}, {e.admin1} | "
            f"{e.fatalities} killed")
