"""warmonitor on Spark (`warmonitor spark-extract`, `warmonitor/scale/`).

The job runs for real, in local[2] mode: one SparkSession for this module, two Python workers that each
load the pipeline. What it writes is compared with what `warmonitor extract` writes for the same corpus,
and, with --dedup, with the in-process merge `warmonitor eval dedup` uses.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from warmonitor.cli import main
from warmonitor.evaluate_dedup import merge_in_order
from warmonitor.ingest import read_articles
from warmonitor.merge.coref import CorefSettings, default_settings
from warmonitor.model import Event
from warmonitor.scale.dedup import merge_block, week_reach, week_runs, week_span
from warmonitor.scale.schema import arrow_schema, row_record

ROOT = Path(__file__).resolve().parents[1]
DEDUP_DEV = ROOT / "evaluation" / "dedup_dev.jsonl"
EXAMPLES = ["01-mayadin-clash", "02-jobar-shelling", "03-saraqeb-airstrike", "07-raqqa-ied", "13-borno-abduction",
            "15-kharkiv-drones", "16-sake-m23", "21-geneva-statement"]
# four reports of one Saraqib air strike, one of a Djugu camp attack, and one in Nigerian Pidgin (skipped)
DEDUP_ARTICLES = ["dd-001-a", "dd-001-b", "dd-001-c", "dd-001-d", "dd-032-a", "dd-024-a"]
BAD_LINES = ['{"id": "broken", "text": "no closing quote}', '{"id": "no-text", "title": "Headline only"}']
SPARK_CONF = [("spark.ui.enabled", "false"), ("spark.ui.showConsoleProgress", "false"),
              ("spark.sql.shuffle.partitions", "2"), ("spark.default.parallelism", "2")]


# ---------------------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    from warmonitor.scale.spark_job import session

    spark = session("local[2]", SPARK_CONF)
    spark.sparkContext.setLogLevel("ERROR")
    yield spark
    spark.stop()


def _record(article) -> dict:
    return {"id": article.id, "text": article.text, "title": article.title,
            "date": article.published.isoformat() if article.published else None,
            "source": article.source, "url": article.url}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """14 articles (8 of examples/, 6 of the dedup set, one of them not English) and two bad lines."""
    examples = [a for a in read_articles([str(ROOT / "examples" / f"{name}.txt") for name in EXAMPLES])]
    dedup = {row["id"]: row for row in map(json.loads, DEDUP_DEV.read_text(encoding="utf-8").splitlines())}
    lines = [json.dumps(_record(a)) for a in examples]
    lines += [json.dumps({k: v for k, v in dedup[i].items() if k != "cluster"}) for i in DEDUP_ARTICLES]
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    path.write_text("\n".join(lines[:5] + BAD_LINES[:1] + lines[5:] + BAD_LINES[1:]) + "\n", encoding="utf-8")
    return path


def _summary_numbers(stderr: str, *labels: str) -> dict[str, int]:
    return {label: int(re.search(rf"(\d+) {re.escape(label)}", stderr).group(1)) for label in labels}


@pytest.fixture(scope="module")
def extracted(corpus, tmp_path_factory) -> tuple[dict[str, dict], str]:
    """`warmonitor extract` on the corpus: its records by event id, and its stderr."""
    out = tmp_path_factory.mktemp("extract") / "events.jsonl"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["extract", str(corpus), "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {r["event_id"]: r for r in records}, err.getvalue()


def _spark_extract(args: list[str], capsys) -> tuple[int, str]:
    status = main(["spark-extract", *args])
    return status, capsys.readouterr().err


def _parquet_records(path: Path) -> dict[str, dict]:
    import pyarrow.parquet as pq

    table = pq.ParquetDataset(str(path)).read()
    assert table.schema.equals(arrow_schema(), check_metadata=False)  # typed as `warmonitor.scale.schema` says
    return {row["event_id"]: row_record(row) for row in table.to_pylist()}


# ---------------------------------------------------------------------------------------------- extract

def test_spark_extract_writes_the_events_extract_writes(spark, corpus, extracted, tmp_path, capsys):
    expected, extract_err = extracted
    status, err = _spark_extract([str(corpus), str(tmp_path / "events")], capsys)
    assert status == 0
    events = _parquet_records(tmp_path / "events")

    # every field of every event: ids, types, actors, places, dates, fatalities, claims, evidence offsets
    assert events == expected
    assert len(events) >= 12
    assert all(r["evidence"] and all(ev["text"] for ev in r["evidence"]) for r in events.values())
    assert sum(r["fatalities"] > 0 for r in events.values()) >= 5
    assert sum(r["event_date"] is not None for r in events.values()) == len(events)

    # the same articles read and the same bad lines reported: one malformed, one without text, one not English
    assert _summary_numbers(err, "article(s) read", "input problem(s)") == \
        _summary_numbers(extract_err, "article(s) read", "input problem(s)") == \
        {"article(s) read": 13, "input problem(s)": 3}
    assert "malformed JSON" in err and "(id no-text): missing 'text'" in err and "(id dd-024-a): not English" in err


def test_a_parquet_corpus_gives_the_same_events(spark, corpus, extracted, tmp_path, capsys):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = []
    for line in corpus.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # a Parquet file holds no malformed lines
        row["date"] = date.fromisoformat(row["date"]) if row.get("date") else None  # a real date column
        rows.append({k: row.get(k) for k in ("id", "text", "title", "date", "source", "url")})
    table = pa.Table.from_pylist(rows, schema=pa.schema([("id", pa.string()), ("text", pa.string()),
                                                         ("title", pa.string()), ("date", pa.date32()),
                                                         ("source", pa.string()), ("url", pa.string())]))
    pq.write_table(table, tmp_path / "corpus.parquet")

    status, err = _spark_extract([str(tmp_path / "corpus.parquet"), str(tmp_path / "events")], capsys)
    assert status == 0
    assert _parquet_records(tmp_path / "events") == extracted[0]
    assert "(id no-text): missing 'text'" in err


# ---------------------------------------------------------------------------------------------- dedup

@pytest.fixture(scope="module")
def dev_items(pipeline) -> list:
    """(article, event, position) for every event the pipeline codes in the dedup set, read as `extract`
    reads it."""
    articles = [a for a in read_articles([str(DEDUP_DEV)]) if hasattr(a, "text")]
    return [(result.article, event, i) for result in pipeline.process_many(articles)
            for i, event in enumerate(result.events)]


def _blockable(event: Event) -> bool:
    """What blocking can place: a country, an admin1 and a date."""
    return bool(event.country and event.admin1 and week_span(event))


def test_a_block_is_merged_as_eval_dedup_merges(dev_items):
    mains = [(article, event) for article, event, position in dev_items if position == 0]
    by_eval = merge_in_order(mains)  # article id -> merged event id
    eval_clusters = {frozenset(a for a in by_eval if by_eval[a] == m) for m in by_eval.values()}
    block_clusters = {frozenset(m.article_ids) for m in merge_block([(a, e, 0) for a, e in mains])}
    assert block_clusters == eval_clusters
    assert any(len(c) >= 3 for c in block_clusters)  # the dev set's multi-report events are merged


def test_spark_dedup_gives_the_in_process_merge(spark, dev_items, tmp_path, capsys):
    status, err = _spark_extract([str(DEDUP_DEV), str(tmp_path / "merged"), "--dedup"], capsys)
    assert status == 0
    spark_merged = list(_parquet_records(tmp_path / "merged").values())
    in_process = {m.event_id: m.to_dict() for m in merge_block(dev_items)}  # one block: the whole set
    blockable = {a.id for a, e, _ in dev_items} - {a.id for a, e, _ in dev_items if not _blockable(e)}

    def clusters(records) -> list[tuple[str, ...]]:
        return sorted(t for t in (tuple(sorted(set(r["article_ids"]) & blockable)) for r in records) if t)

    # blocking by country, admin1 and runs of weeks changes no cluster of the events it can place ...
    assert clusters(spark_merged) == clusters(in_process.values())
    assert max(len(c) for c in clusters(spark_merged)) >= 3
    # ... and a merged record made of such events is the in-process record, field by field, unless the
    # in-process merge also folded into it an event that blocking set apart
    exact = 0
    for record in (r for r in spark_merged if set(r["article_ids"]) <= blockable):
        twin = in_process[record["event_id"]]
        extra = set(twin["article_ids"]) - set(record["article_ids"])
        if extra:
            assert not extra & blockable and set(record["article_ids"]) < set(twin["article_ids"])
        else:
            assert record == twin
            exact += 1
    assert exact >= 30
    # the events set apart are the few the gazetteer could not place in an admin1
    assert len({a.id for a, e, _ in dev_items} - blockable) <= 5
    assert _summary_numbers(err, "article(s) read", "event(s) coded", "merged event(s) written") == \
        {"article(s) read": 71, "event(s) coded": len(dev_items), "merged event(s) written": len(spark_merged)}


def _event(day: str, country="Syria", admin1="Idleb") -> Event:
    return Event(event_id=day, article_id=day, event_date=date.fromisoformat(day), country=country, admin1=admin1)


def test_runs_of_weeks_keep_together_what_could_be_one_event():
    reach = week_reach()
    sunday, monday = week_span(_event("2019-12-29")), week_span(_event("2019-12-30"))  # ISO week 52, then 1
    assert monday[0] == sunday[0] + 1
    # a day apart across a week (and year) boundary: one block; a week's gap: two
    assert week_runs([sunday, monday], reach) == [(sunday[0], monday[0])]
    later = week_span(_event("2020-01-13"))
    assert len(week_runs([sunday, later], reach)) == 2
    # a longer max_gap in coref.json widens the reach, so blocking never splits what compare could merge
    raw = json.loads(json.dumps(default_settings().raw))
    raw["days"]["max_gap"] = 9
    assert week_reach() == 1 and week_reach(CorefSettings.from_dict(raw)) == 2


# ---------------------------------------------------------------------------------------------- problems

def test_bad_paths_are_one_line_errors(spark, corpus, tmp_path, capsys):
    status, err = _spark_extract([str(tmp_path / "missing.jsonl"), str(tmp_path / "out")], capsys)
    assert status == 2 and err.count("\n") == 1
    assert err.startswith("warmonitor: error: spark: ") and "PATH_NOT_FOUND" in err

    (tmp_path / "taken").mkdir()
    status, err = _spark_extract([str(corpus), str(tmp_path / "taken")], capsys)
    assert status == 2 and err == f"warmonitor: error: output {tmp_path / 'taken'} already exists: remove it " \
                                  f"or choose another path\n"

    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a"], "body": ["Gunmen killed two."]}), tmp_path / "wrong.parquet")
    status, err = _spark_extract([str(tmp_path / "wrong.parquet"), str(tmp_path / "out")], capsys)
    assert status == 1 and err.strip().endswith("wrong.parquet: no column(s) text (articles need id and text)")


def test_the_job_runs_under_spark_submit(spark, corpus, extracted, tmp_path):
    """The entry point a cluster uses: `spark-submit warmonitor/scale/spark_job.py INPUT OUTPUT`."""
    small = tmp_path / "two.jsonl"
    small.write_text("\n".join(corpus.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8")
    spark_submit = Path(sys.executable).parent / "spark-submit"
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}
    done = subprocess.run([str(spark_submit), "--master", "local[1]", "--conf", "spark.ui.enabled=false",
                           str(ROOT / "warmonitor" / "scale" / "spark_job.py"), str(small), str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    # spark-submit passes its Python driver's stderr on to its own stdout
    assert "warmonitor: 2 article(s) read" in done.stdout + done.stderr
    events = _parquet_records(tmp_path / "out")
    ids = {json.loads(line)["id"] for line in small.read_text(encoding="utf-8").splitlines()}
    assert events == {k: v for k, v in extracted[0].items() if v["article_id"] in ids} and events
