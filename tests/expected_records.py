"""Compare a coded article with its hand-written expected record (tests/expected/*.json)."""
from __future__ import annotations

import math
import re

from warmonitor.model import Event

EXACT_FIELDS = ("event_type", "sub_event_type", "disorder_type", "actor1", "actor2", "inter1", "inter2",
                "interaction", "civilian_targeting", "country", "iso", "admin1", "time_precision", "fatalities",
                "geo_precision")
MAX_KM = 25.0


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
        if f in ("actor1", "actor2") and got.sub_event_type == "Armed clash":
            # in a clash both sides fight; the order is the coder's call when the text is even
            pair = {expected.get("actor1"), expected.get("actor2")}
            if {got.actor1, got.actor2} == pair:
                continue
        if f in ("inter1", "inter2", "interaction") and got.sub_event_type == "Armed clash":
            if {got.inter1, got.inter2} == {expected.get("inter1"), expected.get("inter2")}:
                continue
        if want != have:
            out.append(f"{f}: expected {want!r}, got {have!r}")
    if expected.get("location") is not None and fold(expected["location"]) != fold(got.location):
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
