"""Benchmark: `warmonitor extract` beside bare spaCy on the same texts.

Prints articles/second and peak memory (max RSS) for each. Every measurement runs in its own
process, so peak memory is that process's own; start-up (imports, model and index loading) is
measured separately on one article and reported apart from steady-state throughput.

    .venv/bin/python bench/bench_extract.py [--shared ../shared] [--limit N]
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

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

BARE_SPACY = """
import json, sys
from warmonitor.nlp import load_nlp
nlp = load_nlp()
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
for _ in nlp.pipe(texts, batch_size=32):
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N articles")
    args = ap.parse_args()
    source = args.shared / "data" / "dev" / "fakes_dev.csv"
    if not source.is_file():
        print(f"bench: {source} not found (the benchmark needs ../shared)", file=sys.stderr)
        return 2
    with source.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if args.limit:
        rows = rows[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        one = Path(tmp) / "one.jsonl"
        with batch.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({"id": r["unit_id"], "text": r["article_content"],
                                     "title": r["article_title"]}) + "\n")
        one.write_text(batch.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
        chars = sum(len(r["article_content"]) for r in rows)
        spacy_script = Path(tmp) / "bare_spacy.py"
        spacy_script.write_text(BARE_SPACY, encoding="utf-8")
        jobs = {
            "bare spaCy (en_core_web_sm, nlp.pipe)": [sys.executable, str(spacy_script)],
            "warmonitor extract": [str(BIN / "warmonitor"), "extract", "--format", "jsonl", "-o", os.devnull],
        }
        print(f"{len(rows)} articles, {chars / len(rows):.0f} characters on average, from {source}")
        print(f"{'':40} {'start-up s':>10} {'total s':>8} {'articles/s':>11} {'steady art/s':>13} {'peak MB':>8}")
        for name, cmd in jobs.items():
            start_wall, _ = timed(cmd + [str(one)])
            wall, peak = timed(cmd + [str(batch)])
            steady = (len(rows) - 1) / max(wall - start_wall, 1e-9)
            print(f"{name:40} {start_wall:10.2f} {wall:8.2f} {len(rows) / wall:11.1f} {steady:13.1f} {peak:8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
