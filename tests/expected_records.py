"""Compare a coded article with its hand-written expected record (tests/expected/*.json)."""
from __future__ import annotations

import math
import re

from warmonitor.model import Event

EXACT_FIELDS = ("event_type", "sub_event_type", "disorder_type", "actor1", "actor2", "inter1", "inter2",
                "interaction", "civilian_targeting", "country", "iso", "admin1", "time_precision", "fatalities",
                "geo_precision")
MAX_KM = 25.0
# Both sides act alike in these: which one is actor1 is the coder's call when the text is even.
SYMMETRIC = ("Armed clash", "Agreement")


def fold(name: str | None) -> str:
    s = (name or "").lower()
    s = re.sub(r"\b(al|el|ad|ar|as|az|ash|an)[- ]", "", s)
    return re.sub(r"[^a-z0-9]", "", s)


def km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def differences(expected: dict, got: Event) -> list[str]:
    """Every field where the coded event departs from the expected one, in words."""
    out = []
    for f in EXACT_FIELDS:
        if f not in expected:
            continue
        want, have = expected[f], getattr(got, f)
        if f in ("actor1", "actor2") and got.sub_event_type in SYMMETRIC:
            pair = {expected.get("actor1"), expected.get("actor2")}
            if {got.actor1, got.actor2} == pair:
                continue
        if f in ("inter1", "inter2", "interaction") and got.sub_event_type in SYMMETRIC:
            if {got.inter1, got.inter2} == {expected.get("inter1"), expected.get("inter2")}:
                continue
        if want != have:
            out.append(f"{f}: expected {want!r}, got {have!r}")
    if expected.get("location") is not None and fold(expected["location"]) != fold(got.location):
        # gazetteers spell places differently (Saraqeb / Saraqib): the same name or the same spot
        same_spot = (expected.get("latitude") is not None and got.latitude is not None
                     and km(expected["latitude"], expected["longitude"], got.latitude, got.longitude) <= MAX_KM / 5)
        if not same_spot:
            out.append(f"location: expected {expected['location']!r}, got {got.location!r}")
    if expected.get("event_date") and (got.event_date is None or got.event_date.isoformat() != expected["event_date"]):
        out.append(f"event_date: expected {expected['event_date']}, got {got.event_date}")
    if expected.get("latitude") is not None:
        if got.latitude is None:
            out.append("coordinates: expected some, got none")
        elif km(expected["latitude"], expected["longitude"], got.latitude, got.longitude) > MAX_KM:
            out.append(f"coordinates: {got.latitude},{got.longitude} is more than {MAX_KM} km from expected")
    if expected.get("claimant"):
        names = [fold(c.actor) for c in got.claims] + [fold(c.claimant) for c in got.claims]
        if not any(fold(expected["claimant"]) in n for n in names if n):
            out.append(f"claimant: expected {expected['claimant']!r}, got {[c.claimant for c in got.claims]}")
    return out


def pair_events(expected: list[dict], got: list[Event]) -> list[tuple[dict, Event | None]]:
    """The main event is compared with the first one coded; the others with the coded event of
    the same sub-event type and date, whatever their order."""
    pairs: list[tuple[dict, Event | None]] = []
    left = list(got[1:])
    for i, exp in enumerate(expected):
        if i == 0:
            pairs.append((exp, got[0] if got else None))
            continue
        match = min(left, key=lambda e: len(differences(exp, e)), default=None)
        if match is not None:
            left.remove(match)
        pairs.append((exp, match))
    return pairs
