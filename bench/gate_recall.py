"""What the sentence gate costs: events found with and without it, per labelled set.

The gate (warmonitor/nlp/gate.py) keeps sentences without trigger or control vocabulary from the parser.
This runs every article of each set twice through one loaded pipeline, gated and whole, and prints per set:
articles, articles the article-level pre-filter skips, sentences parsed of all sentences, events found by
each run, and how many events of the whole run the gated run lost or changed (an event is its id,
sub-event type, date and admin1). Where a set has gold labels, the gold sub-event types each run finds
are counted too (recall of the labelled type).

    .venv/bin/python bench/gate_recall.py [--shared ../shared]
"""
from __future__ import annotations

import argparse
import csv
import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warmonitor.ingest import ReadProblem, read_articles  # noqa: E402
from warmonitor.model import Article  # noqa: E402
from warmonitor.pipeline import Pipeline  # noqa: E402


def labelled_set(path: Path) -> list[tuple[Article, set[str]]]:
    """Articles of an evaluation JSONL file with the gold sub-event types of each ("" for none)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        day = datetime.date.fromisoformat(row["date"]) if row.get("date") else None
        gold = {e["sub_event_type"] for e in row.get("events", [])}
        if row.get("sub_event_type"):
            gold.add(row["sub_event_type"])
        out.append((Article(id=row["id"], text=row["text"], title=row.get("title"), published=day), gold))
    return out


def examples_set(folder: Path) -> list[tuple[Article, set[str]]]:
    return [(a, set()) for a in read_articles([str(folder)]) if not isinstance(a, ReadProblem)]


def fakes_set(path: Path) -> list[tuple[Article, set[str]]]:
    with path.open(encoding="utf-8") as fh:
        return [(Article(id=r["unit_id"], text=r["article_content"], title=r.get("article_title")), set())
                for r in csv.DictReader(fh)]


def event_keys(results) -> dict[str, set[tuple]]:
    return {r.article.id: {(e.event_id, e.sub_event_type, str(e.event_date), e.admin1) for e in r.events}
            for r in results}


def measure(pipeline: Pipeline, name: str, items: list[tuple[Article, set[str]]]) -> dict:
    articles = [a for a, _ in items]
    gold = {a.id: g for a, g in items}
    gate = pipeline.gate
    gated = list(pipeline.process_many(articles))
    pipeline.gate = None  # the same pipeline, every sentence parsed
    try:
        whole = list(pipeline.process_many(articles))
    finally:
        pipeline.gate = gate
    decisions = [gate.decide(a.text) for a in articles]
    prefiltered = sum(r.skipped == "no conflict vocabulary" for r in gated)
    parsed = sum(len(d.parsed) - d.skipped for d, r in zip(decisions, gated) if r.skipped is None)
    sentences = sum(len(d.parsed) for d, r in zip(decisions, gated) if r.skipped is None)
    g, w = event_keys(gated), event_keys(whole)
    lost = sum(len(w[i] - g[i]) for i in w)
    new = sum(len(g[i] - w[i]) for i in g)

    def gold_found(results) -> int:
        return sum(len(gold[r.article.id] & {e.sub_event_type for e in r.events}) for r in results)

    gold_total = sum(len(v) for v in gold.values())
    return {"set": name, "articles": len(articles), "prefiltered": prefiltered,
            "sentences": f"{parsed}/{sentences}", "events whole": sum(map(len, w.values())),
            "events gated": sum(map(len, g.values())), "lost/changed": lost, "new": new,
            "gold types whole": f"{gold_found(whole)}/{gold_total}" if gold_total else "-",
            "gold types gated": f"{gold_found(gated)}/{gold_total}" if gold_total else "-"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    sets = [(p.name, labelled_set(p)) for p in sorted((ROOT / "evaluation").glob("events_*.jsonl"))]
    sets += [(p.name, labelled_set(p)) for p in sorted((ROOT / "evaluation").glob("types_*.jsonl"))]
    sets.append(("examples/", examples_set(ROOT / "examples")))
    fakes = args.shared / "data" / "dev" / "fakes_dev.csv"
    if fakes.is_file():
        sets.append((fakes.name, fakes_set(fakes)))
    pipeline = Pipeline.load(gate=True)
    rows = [measure(pipeline, name, items) for name, items in sets]
    columns = list(rows[0])
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    print("  ".join(c.rjust(widths[c]) for c in columns))
    for r in rows:
        print("  ".join(str(r[c]).rjust(widths[c]) for c in columns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
