"""Benchmark: `warmonitor extract` beside bare spaCy on the same texts.

Prints articles/second, peak memory (max RSS) and the speed ratio to bare spaCy for each. Every
measurement runs in its own process, so peak memory is that process's own; start-up (imports, model and
index loading) is measured separately on one article and reported apart from steady-state throughput.
The ratio compares whole-process articles/second (start-up included).

Two kinds of stream: the FA-KES development articles (every one about the war in Syria), and with
`--mixed` a stream like a real feed, in which they are a minority (one in five):
- `--mixed news` (the default for `--mixed`): among the LGL corpus's 588 real local news articles (courts,
  fires, schools, councils, some crime), as a general news feed would carry them;
- `--mixed snippets`: among the project's own snippets that report no political violence (the null snippets
  of evaluation/types_*.jsonl). These are written to be hard: strikes by workers, crashes, disasters, told
  with violent words, so most pass the pre-filter. A worst case, not a feed.

    .venv/bin/python bench/bench_extract.py [--shared ../shared] [--limit N] [--mixed [news|snippets]] [--workers N]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warmonitor.pipeline import PARSE_BATCH

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

BARE_SPACY = """
import json, sys
from warmonitor.nlp import load_nlp
nlp = load_nlp(stock=True)  # en_core_web_sm as shipped, without warmonitor's faster rule components
texts = [json.loads(l)["text"] for l in open(sys.argv[-1], encoding="utf-8")]
for _ in nlp.pipe(texts, batch_size=int(sys.argv[1])):  # the batch warmonitor parses with
    pass
"""


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB, from wait4's rusage) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        err = proc.stderr.read().decode(errors="replace")[-2000:]
        sys.exit(f"benchmark command failed: {' '.join(cmd)}\n{err}")
    proc.stderr.close()
    return wall, usage.ru_maxrss / 1024.0


def null_snippets() -> list[dict]:
    """The project's snippets that report no political violence."""
    out = []
    for path in sorted((ROOT / "evaluation").glob("types_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            if row and row.get("sub_event_type") is None:
                out.append({"id": row["id"], "text": row["text"], "title": None})
    return out


def local_news(shared: Path) -> list[dict]:
    """LGL's real local news articles (read from ../shared, never copied into the project)."""
    path = shared / "data" / "dev" / "geoparse" / "lgl.jsonl"
    with path.open(encoding="utf-8") as fh:  # by "\n" only: the texts hold other line separators
        rows = [json.loads(line) for line in fh if line.strip()]
    return [{"id": r["id"], "text": r["text"], "title": None} for r in rows]


def mixed_stream(rows: list[dict], others: list[dict], conflict_share: float = 0.2) -> list[dict]:
    """FA-KES articles, each followed by enough `others` that they make `conflict_share` of the stream; the
    stream ends when the others run out."""
    per = round((1 - conflict_share) / conflict_share)
    out = []
    for n, r in enumerate(rows):
        if n * per >= len(others):
            break
        out.append({"id": r["unit_id"], "text": r["article_content"], "title": r["article_title"]})
        out += others[n * per:(n + 1) * per]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N articles")
    ap.add_argument("--mixed", nargs="?", const="news", choices=("news", "snippets"),
                    help="a feed-like stream: FA-KES articles are one in five among real local news (news, "
                         "the default) or among the project's hard non-event snippets (snippets)")
    ap.add_argument("--workers", type=int, default=0, help="also time `warmonitor extract --workers N`")
    args = ap.parse_args()
    source = args.shared / "data" / "dev" / "fakes_dev.csv"
    if not source.is_file():
        print(f"bench: {source} not found (the benchmark needs ../shared)", file=sys.stderr)
        return 2
    with source.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if args.limit:
        rows = rows[: args.limit]
    if args.mixed:
        stream = mixed_stream(rows, local_news(args.shared) if args.mixed == "news" else null_snippets())
    else:
        stream = [{"id": r["unit_id"], "text": r["article_content"], "title": r["article_title"]} for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        one = Path(tmp) / "one.jsonl"
        with batch.open("w", encoding="utf-8") as fh:
            for r in stream:
                fh.write(json.dumps(r) + "\n")
        one.write_text(batch.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
        chars = sum(len(r["text"]) for r in stream)
        spacy_script = Path(tmp) / "bare_spacy.py"
        spacy_script.write_text(BARE_SPACY, encoding="utf-8")
        jobs = {
            "bare spaCy (en_core_web_sm, nlp.pipe)": [sys.executable, str(spacy_script), str(PARSE_BATCH)],
            "warmonitor extract": [str(BIN / "warmonitor"), "extract", "--format", "jsonl", "-o", os.devnull],
        }
        jobs["warmonitor extract --sentence-gate"] = jobs["warmonitor extract"] + ["--sentence-gate"]
        if args.workers > 1:
            jobs[f"warmonitor extract --workers {args.workers}"] = jobs["warmonitor extract"] + [
                "--workers", str(args.workers)]
        kind = f"mixed stream: 1 in 5 from FA-KES, the rest {'LGL local news' if args.mixed == 'news' else 'null snippets'}" \
            if args.mixed else "FA-KES"
        print(f"{len(stream)} articles ({kind}), {chars / len(stream):.0f} characters on average, from {source}")
        print(f"{'':40} {'start-up s':>10} {'total s':>8} {'articles/s':>11} {'steady art/s':>13} {'peak MB':>8} "
              f"{'x spaCy':>8}")
        bare = None
        for name, cmd in jobs.items():
            start_wall, _ = timed(cmd + [str(one)])
            wall, peak = timed(cmd + [str(batch)])
            steady = (len(stream) - 1) / max(wall - start_wall, 1e-9)
            rate = len(stream) / wall
            bare = bare or rate
            print(f"{name:40} {start_wall:10.2f} {wall:8.2f} {rate:11.1f} {steady:13.1f} {peak:8.0f} "
                  f"{rate / bare:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
