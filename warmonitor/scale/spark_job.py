"""The Spark job: a corpus of articles in, one Parquet table of events out, optionally deduplicated.

    spark-submit warmonitor/scale/spark_job.py hdfs:///corpus/2024/*.jsonl s3a://bucket/events --dedup

`main(argv)` takes the arguments of `warmonitor spark-extract` (it is that command), so the job runs the same
under `spark-submit` as from the command line. Steps:

1. read: JSONL lines (`spark.read.text`, parsed in Python so a bad line is reported, not dropped) or Parquet
   rows, from any path Hadoop can open (file:, hdfs://, s3a://, gs://, ...);
2. code: `mapPartitions` over the articles; each Python worker loads the pipeline once (`executor_pipeline`);
3. dedup (optional): events blocked by country, admin1 and unbroken runs of ISO weeks (`scale.dedup`), each
   block merged in publication order;
4. write: Parquet with the columns of `scale.schema` (the record `warmonitor extract` writes).
"""
from __future__ import annotations

import functools
import itertools
import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warmonitor.errors import EXIT_USAGE, UserError

SHOWN_PROBLEMS = 50  # problem lines printed by the driver; the rest are counted


@dataclass
class JobSummary:
    read: int = 0
    events: int = 0  # events coded from the articles
    written: int = 0  # rows written: the events, or the merged events with --dedup
    problems: int = 0
    problem_lines: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------ on the executors

@functools.lru_cache(maxsize=2)
def executor_pipeline(every_article: bool = False):
    """The pipeline of this Python worker process, loaded on first use.

    Spark ships functions to executors, not loaded objects: pickling a spaCy model and the gazetteer into
    every task would cost more than loading them. A Python worker serves many tasks in turn
    (spark.python.worker.reuse, on by default), so a cache in the worker's own copy of this module loads the
    models once per worker process; the driver, which never codes an article, never loads them."""
    from warmonitor.pipeline import Pipeline

    return Pipeline.load(every_article=every_article)


def code_partition(items: Iterable, every_article: bool = False) -> Iterator[tuple[str, object]]:
    """Articles and read problems in; ("problem", line) and ("coded", (article, [events])) out. The
    pipeline is only loaded once a partition holds an article."""
    from warmonitor.ingest.problem import ReadProblem

    problems: list[ReadProblem] = []

    def articles():
        for item in items:
            if isinstance(item, ReadProblem):
                problems.append(item)
            else:
                yield item

    stream = articles()
    first = next(stream, None)
    if first is not None:
        for result in executor_pipeline(every_article).process_many(itertools.chain([first], stream)):
            yield from (("problem", _problem_line(p)) for p in problems)
            problems.clear()
            if result.skipped and result.skipped.startswith("could not"):
                yield "problem", f"error: {result.article.origin or result.article.id}: {result.skipped}"
            yield "coded", (result.article, result.events)
    yield from (("problem", _problem_line(p)) for p in problems)


def _problem_line(problem) -> str:
    label = "skipped" if problem.kind == "skipped" else "error"
    return f"{label}: {problem.origin}: {problem.message}"


def merge_blocks(coded, reach: int):
    """The merged events of an RDD of (article, event, position) items: blocked by (country, admin1) and
    run of weeks, each block merged on one executor (see `warmonitor.scale.dedup`)."""
    from warmonitor.scale.dedup import block_place, merge_block, run_of, week_runs, week_span

    # per admin1, the runs of weeks its events cover: a few intervals per place, computed by Spark
    runs = (coded.map(lambda item: (block_place(item[1]), week_span(item[1])))
            .filter(lambda pair: pair[1] is not None).distinct().groupByKey()
            .mapValues(lambda spans: week_runs(spans, reach)))
    blocks = (coded.map(lambda item: (block_place(item[1]), item)).leftOuterJoin(runs)
              .map(lambda kv: ((kv[0], run_of(week_span(kv[1][0][1]), kv[1][1] or [])), kv[1][0]))
              .groupByKey())
    return blocks.flatMap(lambda block: merge_block(block[1]))


# ------------------------------------------------------------------------------------------ on the driver

def read_corpus(spark, path: str, fmt: str):
    """An RDD of Article | ReadProblem, spread over at least as many partitions as the job has cores."""
    from pyspark.sql import functions as F

    from warmonitor.scale.articles import ARTICLE_COLUMNS, article_from_line, article_from_record

    if fmt == "jsonl":
        lines = spark.read.text(path).select("value", F.input_file_name().alias("file"))
        items = lines.rdd.map(lambda row: article_from_line(row.value, row.file)).filter(lambda a: a is not None)
    else:
        table = spark.read.parquet(path)
        missing = [c for c in ("id", "text") if c not in table.columns]
        if missing:
            raise UserError(f"{path}: no column(s) {', '.join(missing)} (articles need id and text)")
        present = [c for c in ARTICLE_COLUMNS if c in table.columns]
        rows = table.select(*present, F.input_file_name().alias("file"))
        items = rows.rdd.map(lambda row: article_from_record(row.asDict(), row.file))
    cores = spark.sparkContext.defaultParallelism
    # a small file is one partition: spread it so that every core codes articles
    return items.repartition(cores) if items.getNumPartitions() < cores else items


def run(spark, source: str, output: str, fmt: str = "jsonl", dedup: bool = False,
        every_article: bool = False) -> JobSummary:
    from pyspark import StorageLevel

    from warmonitor.scale.dedup import week_reach
    from warmonitor.scale.schema import event_row, spark_schema

    _check_output_free(spark, output)
    coded = read_corpus(spark, source, fmt).mapPartitions(functools.partial(code_partition,
                                                                           every_article=every_article))
    coded.persist(StorageLevel.MEMORY_AND_DISK)  # the counts and the output share one pass of the pipeline
    summary = JobSummary()
    problems = coded.filter(lambda r: r[0] == "problem").map(lambda r: r[1])
    summary.problems = problems.count()
    summary.problem_lines = problems.take(SHOWN_PROBLEMS)
    results = coded.filter(lambda r: r[0] == "coded").map(lambda r: r[1])
    summary.read = results.count()
    events = results.flatMap(lambda result: [(result[0], e, i) for i, e in enumerate(result[1])])
    summary.events = events.count()
    records = merge_blocks(events, week_reach()) if dedup else events.map(lambda item: item[1])
    table = spark.createDataFrame(records.map(event_row), spark_schema())
    table.write.parquet(output)
    summary.written = spark.read.parquet(output).count()
    coded.unpersist()
    return summary


def _check_output_free(spark, output: str) -> None:
    """Before any article is coded: Spark would only refuse an existing output after the whole job."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(output)
    if path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(path):
        raise UserError(f"output {output} already exists: remove it or choose another path", EXIT_USAGE)


def _java_ready() -> None:
    """Spark runs on a JVM: find Java before Spark fails with a long log."""
    if os.environ.get("JAVA_HOME"):
        return
    java = shutil.which("java")
    if java is None:
        raise UserError("spark-extract needs Java 17 or newer: install it or set JAVA_HOME")
    os.environ["JAVA_HOME"] = str(Path(java).resolve().parents[1])  # .../jvm/java-17/bin/java


def session(master: str | None, conf: Iterable[tuple[str, str]] = ()):
    """The running SparkSession if there is one (spark-submit, a notebook, a test), else a new one."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UserError("spark-extract needs pyspark: pip install 'warmonitor[spark]'") from None
    _java_ready()
    if "PYSPARK_GATEWAY_PORT" not in os.environ:
        # started from Python, not by spark-submit: the workers run this interpreter, which has warmonitor
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if master and master.startswith("local"):
        # one machine: bind to loopback, not to whatever the host name resolves to (a slow lookup, offline)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.appName("warmonitor spark-extract")
    if master:
        builder = builder.master(master)
    for key, value in conf:
        builder = builder.config(key, value)
    return builder.getOrCreate()


def main(argv: list[str] | None = None) -> int:
    """The `spark-submit` entry point: the arguments of `warmonitor spark-extract`."""
    from warmonitor.cli import main as cli_main

    return cli_main(["spark-extract", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
