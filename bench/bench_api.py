"""Benchmark: the JSON API of `warmonitor serve` over a store of 10,000 events.

The store is made from the project's examples/: they are ingested once, then every stored event is cloned
with its article, mention and claims, each clone moved in time (up to three years either way), set in
another example's place (with its point jittered) and given another example's type and a new toll, and written
straight through the Store. Every tenth clone gets a toll revision. The real server is then started
(`warmonitor serve --port 0`, its own process) and each endpoint is asked N times with varied parameters,
over one kept-alive connection; p50 and p95 latencies (ms) and the mean response size are printed.

    .venv/bin/python bench/bench_api.py [--events 10000] [--requests 200] [--seed 7]
"""
from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]

from warmonitor.model import Article, Event, Revision  # noqa: E402
from warmonitor.store.db import Store, content_hash, event_from_dict  # noqa: E402


def seed_store(db: Path) -> None:
    subprocess.run([sys.executable, "-m", "warmonitor", "ingest", str(ROOT / "examples"), "--db", str(db)],
                   check=True, stderr=subprocess.DEVNULL)


def originals(store: Store) -> list[tuple[Event, dict]]:
    """Each stored event with the article that told it (its text, outlet and date)."""
    out = []
    for row in store.conn.execute(
            "SELECT e.record, a.article_id, a.text, a.title, a.published, s.name AS source FROM events e "
            "JOIN mentions m ON m.event_rowid = e.id AND m.ordinal = (SELECT MIN(ordinal) FROM mentions "
            "WHERE event_rowid = e.id) JOIN articles a ON a.id = m.article_rowid "
            "LEFT JOIN sources s ON s.id = a.source_id ORDER BY e.id"):
        out.append((event_from_dict(__import__("json").loads(row["record"])), dict(row)))
    return out


def clone(event: Event, place: Event, kind: Event, rng: random.Random, n: int) -> Event:
    """A copy of `event` told by a new article, moved in time and space and given another type."""
    shift = timedelta(days=rng.randint(-1095, 1095))
    moved = lambda d: d + shift if d else None  # noqa: E731
    copy = event_from_dict(event.to_dict())
    article_id = f"bench-{n:05d}"
    lat = lon = None
    if place.latitude is not None:
        lat = max(-90.0, min(90.0, place.latitude + rng.uniform(-0.5, 0.5)))
        lon = max(-180.0, min(180.0, place.longitude + rng.uniform(-0.5, 0.5)))
    copy = replace(copy, article_id=article_id, article_ids=[article_id], event_date=moved(event.event_date),
                   event_date_start=moved(event.event_date_start), event_date_end=moved(event.event_date_end),
                   country=place.country, iso=place.iso, region=place.region, admin1=place.admin1,
                   admin2=place.admin2, admin3=place.admin3, location=place.location, latitude=lat, longitude=lon,
                   geo_precision=place.geo_precision, event_type=kind.event_type,
                   sub_event_type=kind.sub_event_type, disorder_type=kind.disorder_type,
                   fatalities=rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 20, 35]))
    for item in [*copy.evidence, *copy.mentions, *(c.evidence for c in copy.claims if c.evidence)]:
        item.article_id = article_id
    return copy


def build(db: Path, total: int, rng: random.Random) -> int:
    with Store.open(db) as store:
        seeds = originals(store)
        have = store.count("events")
        with store.transaction():
            for n in range(total - have):
                event, article = rng.choice(seeds)
                merged = clone(event, rng.choice(seeds)[0], rng.choice(seeds)[0], rng, n)
                # the same text with a line of its own after it: a new article, and the offsets still hold
                text = f"{article['text']}\n[benchmark copy {n}]"
                published = date.fromisoformat(article["published"]) if article["published"] else None
                report = Article(id=merged.article_id, text=text, title=article["title"], published=published,
                                 source=article["source"])
                article_rowid = store.add_article(report, content_hash(text))
                rowid, merged.event_id = store.new_event_id()
                store.add_event(rowid, merged)
                mention_id = store.add_mention(article_rowid, 1, rowid, merged, match=None)
                if n % 10 == 0:
                    store.add_revisions(rowid, mention_id, [Revision(
                        event_id=merged.event_id, field="fatalities", old=merged.fatalities,
                        new=merged.fatalities + 3, article_id=merged.article_id, source=report.source,
                        published=published, reason="benchmark revision", evidence=merged.evidence[:1])])
        return store.count("events")


def requests_for(store_db: Path, rng: random.Random, n: int) -> dict[str, list[tuple[str, dict]]]:
    """(path, params) for each benchmarked endpoint, n of each, varied."""
    with Store.open(store_db, create=False) as store:
        ids = [r[0] for r in store.conn.execute("SELECT event_id FROM events")]
        countries = [r[0] for r in store.conn.execute("SELECT DISTINCT country FROM events WHERE country IS NOT NULL")]
        days = [r[0] for r in store.conn.execute("SELECT DISTINCT event_date FROM events WHERE event_date IS NOT NULL")]
    types = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
             "Strategic developments"]

    def since_until() -> dict:
        start = date.fromisoformat(rng.choice(days))
        return {"since": start.isoformat(), "until": (start + timedelta(days=rng.randint(7, 180))).isoformat()}

    def box() -> str:
        lon, lat = rng.uniform(-20, 60), rng.uniform(-10, 45)
        return f"{lon:.2f},{lat:.2f},{lon + rng.uniform(2, 15):.2f},{lat + rng.uniform(2, 10):.2f}"

    kinds = {
        "GET /api/events (page of 100)": lambda: ("/api/events", {"offset": rng.randint(0, 2000)}),
        "GET /api/events (country+dates)": lambda: ("/api/events", {"country": rng.choice(countries),
                                                                    **since_until()}),
        "GET /api/events (bbox+type)": lambda: ("/api/events", {"bbox": box(), "event_type": rng.choice(types)}),
        "GET /api/events (q text)": lambda: ("/api/events", {"q": rng.choice(["army", "killed", "monitor said",
                                                                               "protesters", "drone"])}),
        "GET /api/events/{id}": lambda: (f"/api/events/{rng.choice(ids)}", {}),
        "GET /api/events.geojson (1000)": lambda: ("/api/events.geojson", {"offset": rng.randint(0, 5000)}),
        "GET /api/events.geojson (bbox)": lambda: ("/api/events.geojson", {"bbox": box()}),
        "GET /api/stats (all)": lambda: ("/api/stats", {}),
        "GET /api/stats (country)": lambda: ("/api/stats", {"country": rng.choice(countries)}),
        "GET /api/control?date": lambda: ("/api/control", {"date": rng.choice(days)}),
    }
    return {name: [make() for _ in range(n)] for name, make in kinds.items()}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=10_000, help="events in the store (default 10,000)")
    ap.add_argument("--requests", type=int, default=200, help="requests per endpoint (default 200)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        seed_store(db)
        count = build(db, args.events, rng)
        print(f"store: {count} events in {time.perf_counter() - t0:.1f} s, {db.stat().st_size / 1e6:.1f} MB")
        server = subprocess.Popen([sys.executable, "-m", "warmonitor", "serve", "--db", str(db), "--port", "0"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            url = server.stdout.readline().split(" at ")[1].split()[0]
            plan = requests_for(db, rng, args.requests)
            print(f"{'endpoint':34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'mean KB':>8}")
            with httpx.Client(base_url=url, timeout=60) as client:
                for name, calls in plan.items():
                    client.get(calls[0][0], params=calls[0][1])  # one warm-up request
                    times, sizes = [], []
                    for path, params in calls:
                        start = time.perf_counter()
                        response = client.get(path, params=params)
                        times.append((time.perf_counter() - start) * 1000)
                        if response.status_code != 200:
                            sys.exit(f"bench: {path} {params} answered {response.status_code}: {response.text}")
                        sizes.append(len(response.content))
                    print(f"{name:34} {len(times):5d} {percentile(times, 0.5):8.1f} {percentile(times, 0.95):8.1f} "
                          f"{statistics.mean(sizes) / 1024:8.1f}")
        finally:
            server.terminate()
            server.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
