"""Benchmark: where the memory of `warmonitor extract` goes.

Each line is its own process, and each loads what the line before it loaded plus one more part, so the
growth from line to line is what that part costs. "peak MB" is the process's maximum resident memory (from
wait4's rusage, as in bench_extract.py), "end MB" what it still held when done. The last line is a whole
`warmonitor extract` of examples/. Another line, apart, shows what the first use on a machine costs, when the
gazetteer's cache is unpacked (see warmonitor/resolve/place_store.py).

    .venv/bin/python bench/bench_memory.py
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

# Each stage adds one part to the ones before it. The child prints its resident memory when done.
SPACY = "from warmonitor.nlp import load_nlp\nnlp = load_nlp()\n"
LANGUAGE = "from warmonitor.ingest.language import guess_language\nguess_language('The army said the town was shelled ' * 4)\n"
GAZETTEER = "from warmonitor.resolve.places import Gazetteer\ngaz = Gazetteer.load()\n"
ACTORS = "from warmonitor.resolve.actor_kb import ActorKB\nkb = ActorKB.load()\n"
TYPE_MODEL = "from warmonitor.extract.type_model import TypeModel\ntypes = TypeModel.load()\n"
REPORT = """
for line in open("/proc/self/status"):
    if line.startswith("VmRSS:"):
        print(int(line.split()[1]) / 1024)
"""

STAGES = [
    ("import spaCy, load en_core_web_sm", SPACY),
    ("+ gazetteer", SPACY + GAZETTEER),
    ("+ actor knowledge base", SPACY + GAZETTEER + ACTORS),
    ("+ event-type model", SPACY + GAZETTEER + ACTORS + TYPE_MODEL),
    ("+ language identifier (py3langid)", SPACY + GAZETTEER + ACTORS + TYPE_MODEL + LANGUAGE),
]


def measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float | None]:
    """Peak resident memory (MB) of one child process, and what it reported holding at its end."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.stdout.close()
    proc.stderr.close()
    if status != 0:
        sys.exit(f"benchmark command failed: {' '.join(cmd)}\n{err[-2000:]}")
    try:
        end = float(out.split()[-1])
    except (IndexError, ValueError):
        end = None
    return usage.ru_maxrss / 1024.0, end


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=Path, default=ROOT / "examples", help="what the extract line codes")
    args = ap.parse_args()
    python = [sys.executable, "-c"]
    measure(python + [GAZETTEER])  # the first use unpacks the gazetteer's cache: keep that out of the lines below
    print(f"{'':44} {'peak MB':>8} {'+ MB':>6} {'end MB':>7}")
    previous = None
    for name, code in STAGES:
        peak, end = measure(python + [code + REPORT])
        growth = f"{peak - previous:+6.0f}" if previous is not None else ""
        print(f"{name:44} {peak:8.0f} {growth:>6} {end:7.0f}")
        previous = peak
    peak, _ = measure([str(BIN / "warmonitor"), "extract", str(args.examples), "-o", os.devnull])
    print(f"{'warmonitor extract ' + args.examples.name + '/ (whole process)':44} {peak:8.0f}")
    with tempfile.TemporaryDirectory() as cache:
        peak, end = measure(python + [GAZETTEER + REPORT], env={**os.environ, "WARMONITOR_CACHE": cache})
        print(f"{'first use: gazetteer alone, unpacking cache':44} {peak:8.0f} {'':>6} {end:7.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
