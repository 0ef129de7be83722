"""`warmonitor spark-extract`: the Spark job (`warmonitor.scale.spark_job`) from the command line."""
from __future__ import annotations

import argparse
import sys

from warmonitor.errors import EXIT_NOTHING_READ, EXIT_USAGE, UserError
from warmonitor.workers import add_every_article_option

EPILOG = """examples:
  warmonitor spark-extract corpus.jsonl events.parquet --master local[4]
  warmonitor spark-extract hdfs:///news/2024/ hdfs:///events/2024 --format jsonl --dedup
  spark-submit --master yarn warmonitor/scale/spark_job.py s3a://news/corpus.parquet s3a://news/events --format parquet
"""


def _conf(value: str) -> tuple[str, str]:
    key, sep, setting = value.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"not KEY=VALUE: {value!r}")
    return key, setting


def add_commands(sub, ev_sub) -> None:
    sp = sub.add_parser(
        "spark-extract", help="code a corpus as events with Spark, into Parquet",
        description="Read a JSONL or Parquet article corpus (columns id, text, and optionally title, date, "
                    "source, url) from any Hadoop-compatible path, code it on Spark and write the events as "
                    "Parquet with the columns of the records 'warmonitor extract' writes. Needs pyspark "
                    "(pip install 'warmonitor[spark]') and Java 17+.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sp.add_argument("input", metavar="INPUT", help="corpus file or directory (file:, hdfs://, s3a://, ...)")
    sp.add_argument("output", metavar="OUTPUT", help="Parquet directory to create; must not exist")
    sp.add_argument("--master", metavar="URL",
                    help="Spark master, e.g. local[2] or yarn (default: spark-submit's, else local[*])")
    sp.add_argument("--format", choices=("jsonl", "parquet"),
                    help="corpus format (default: parquet for a .parquet path, else jsonl)")
    sp.add_argument("--dedup", action="store_true",
                    help="merge the reports of one event across articles, blocked by country, admin1 and week")
    sp.add_argument("--conf", action="append", type=_conf, default=[], metavar="KEY=VALUE",
                    help="a Spark setting for a new session, e.g. spark.sql.shuffle.partitions=8; may repeat")
    add_every_article_option(sp)
    sp.set_defaults(run=run_spark_extract)


def _warn(message: str) -> None:
    print(f"warmonitor: {message}", file=sys.stderr)


def run_spark_extract(args: argparse.Namespace) -> int:
    from warmonitor.scale import spark_job

    fmt = args.format or ("parquet" if args.input.rstrip("/").endswith((".parquet", ".pq")) else "jsonl")
    active = _active_session()
    spark = spark_job.session(args.master, args.conf)
    try:
        summary = spark_job.run(spark, args.input, args.output, fmt=fmt, dedup=args.dedup,
                                every_article=args.every_article)
    except Exception as exc:  # Spark's own errors (a path it cannot read) as one line, not a JVM trace
        if isinstance(exc, UserError) or type(exc).__name__ not in ("AnalysisException", "Py4JJavaError"):
            raise
        raise UserError(f"spark: {_first_line(exc)}", EXIT_USAGE) from None
    finally:
        if active is None:  # a session this command started; one it was given (spark-submit, tests) stays
            spark.stop()
    for line in summary.problem_lines:
        _warn(line)
    if summary.problems > len(summary.problem_lines):
        _warn(f"... and {summary.problems - len(summary.problem_lines)} more input problem(s)")
    if summary.read == 0:
        _warn("error: no article could be read")
        return EXIT_NOTHING_READ
    written = f"{summary.written} merged event(s) written" if args.dedup else f"{summary.written} event(s) written"
    line = f"{summary.read} article(s) read, {summary.events} event(s) coded, {written} to {args.output}"
    if summary.problems:
        line += f", {summary.problems} input problem(s)"
    _warn(line)
    return 0


def _active_session():
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return None
    return SparkSession.getActiveSession()


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]
