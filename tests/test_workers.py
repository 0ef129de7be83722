"""`--workers N`: articles coded in N processes, each loading the pipeline once, with the output of one process.

Results come back in input order, so `extract` writes the same file and `ingest` stores the same rows, in the
same order; every store write stays in the parent, one transaction per article, so a re-run adds nothing."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from warmonitor.cli import main
from warmonitor.ingest import read_articles
from warmonitor.workers import PipelinePool

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def stored_rows(db: Path) -> dict[str, list[tuple]]:
    """Every stored article and event, in insertion order, without the ingestion clock."""
    with closing(sqlite3.connect(db)) as conn:
        articles = conn.execute("SELECT id, article_id, content_hash, published, skipped FROM articles ORDER BY id").fetchall()
        cursor = conn.execute("SELECT * FROM events ORDER BY rowid")
        clock = [n for n, column in enumerate(cursor.description) if column[0].endswith("_at")]
        events = [tuple(v for n, v in enumerate(row) if n not in clock) for row in cursor.fetchall()]
    return {"articles": articles, "events": events}


def test_a_pool_gives_the_results_of_one_process_in_input_order(pipeline):
    articles = [a for a in read_articles([str(EXAMPLES)])]
    alone = list(pipeline.process_many(articles))
    with PipelinePool(2) as pool:
        pooled = list(pool.process_many(articles))
    assert [r.article.id for r in pooled] == [a.id for a in articles]
    assert [r.events for r in pooled] == [r.events for r in alone]
    assert [r.control for r in pooled] == [r.control for r in alone]
    assert [r.skipped for r in pooled] == [r.skipped for r in alone]


def test_extract_with_workers_writes_the_same_file(tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["extract", str(EXAMPLES), "-o", str(one)]) == 0
    assert main(["extract", str(EXAMPLES), "--workers", "2", "-o", str(two)]) == 0
    assert two.read_text(encoding="utf-8") == one.read_text(encoding="utf-8")
    assert one.read_text(encoding="utf-8").count("\n") > 20


def test_ingest_with_workers_stores_the_same_rows_and_a_rerun_adds_nothing(tmp_path, capsys):
    alone, pooled = tmp_path / "alone.db", tmp_path / "pooled.db"
    assert main(["ingest", str(EXAMPLES), "--db", str(alone)]) == 0
    assert main(["ingest", str(EXAMPLES), "--db", str(pooled), "--workers", "2"]) == 0
    assert stored_rows(pooled) == stored_rows(alone)
    capsys.readouterr()
    assert main(["ingest", str(EXAMPLES), "--db", str(pooled), "--workers", "2"]) == 0
    assert "0 new" in capsys.readouterr().err
    assert stored_rows(pooled) == stored_rows(alone)


@pytest.mark.parametrize("value", ["0", "-2", "two"])
def test_a_bad_worker_count_is_a_one_line_usage_error(value, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["extract", str(EXAMPLES), "--workers", value])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--workers" in err
