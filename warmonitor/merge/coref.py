"""Cross-article event coreference: do two coded records tell the same real event?

Each record comes from one report. Reports of one incident differ in how they date it ("on Tuesday", "last
week"), how finely they place it (a village, its district, the province), whom they name (a group, or
"gunmen"), how they type it (a clash, or the town's capture) and how many dead they count (the toll rises
over days). So no single cut-off ("50 km, 7 days") decides; every clue adds or removes points, and the sum
becomes a score. A few clues are decisive on their own: another country, dates days apart, two different
named armed groups doing the same thing. The weights live in `warmonitor/data/merge/coref.json`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from warmonitor.extract.lexicon import load_json
from warmonitor.model import Event, MatchDecision

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class CorefSettings:
    raw: dict[str, Any]
    confusable: frozenset[frozenset[str]]

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "CorefSettings":
        return cls(raw, frozenset(frozenset(pair) for pair in raw["confusable_types"]))

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]


@lru_cache(maxsize=1)
def default_settings() -> CorefSettings:
    """The bundled tunables, read once (they never change while the program runs)."""
    return CorefSettings.from_dict(load_json("merge/coref.json"))


# ----------------------------------------------------------------------------------------------- dates

def date_span(event: Event) -> tuple[date, date] | None:
    """The days the record allows: its start..end when the report gave a span, else its one day."""
    start = event.event_date_start or event.event_date
    end = event.event_date_end or event.event_date
    if start is None or end is None:
        return None
    return (min(start, end), max(start, end))


def search_window(event: Event, settings: CorefSettings | None = None) -> tuple[date | None, date | None]:
    """The event_date range in which stored events can be the same real event. Wide on purpose: a stored
    record dated only by its report ("last week") carries its report's date as event_date, days after the
    span it allows; `compare` then decides. (None, None) for an undated record: any date may be it."""
    span = date_span(event)
    if span is None:
        return (None, None)
    pad = timedelta(days=(settings or default_settings())["days"]["search_pad"])
    return (span[0] - pad, span[1] + pad)


def _days_apart(a: tuple[date, date], b: tuple[date, date]) -> int:
    """0 when the spans share a day, else the days between their nearest ends."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def _is_precise_day(event: Event, span: tuple[date, date]) -> bool:
    return span[0] == span[1] and (event.time_precision or 1) == 1


def _date_points(stored: Event, new: Event, w: dict, reasons: list[str]) -> float | None:
    """Points for the dates; None vetoes (too far apart to be one event)."""
    a, b = date_span(stored), date_span(new)
    if a is None or b is None:
        return 0.0
    gap = _days_apart(a, b)
    both_precise = _is_precise_day(stored, a) and _is_precise_day(new, b)
    if gap > w["max_gap"]:
        reasons.append(f"{gap} days apart")
        return None
    if gap == 0:
        if both_precise:
            reasons.append("same day")
            return w["same_day"]
        reasons.append("dates overlap")
        return w["spans_overlap"]
    if gap == 1:
        reasons.append("1 day apart")
        return w["one_day_apart"] if both_precise else w["vague_one_day_apart"]
    reasons.append(f"{gap} days apart")
    return w["two_or_three_days_apart"]


# ----------------------------------------------------------------------------------------------- places

def km_between(a: Event, b: Event) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def place_level(event: Event) -> str:
    """How finely the record is placed: "town" (a town, village or neighbourhood, or near one), "admin2",
    "admin1", "country", or "none"."""
    if not event.location and event.latitude is None:
        return "country" if event.country else "none"
    if event.location and event.location == event.country:
        return "country"
    if (event.geo_precision or 1) >= 3:  # a town named like its province (Kirkuk, Idlib) has precision 1 or 2
        return "admin1"
    if event.location and event.location == event.admin2 and (event.geo_precision or 1) >= 2:
        return "admin2"
    return "town"


def _place_points(stored: Event, new: Event, w: dict, km: dict, reasons: list[str]) -> float | None:
    if stored.country and new.country and stored.country != new.country:
        reasons.append(f"different countries ({stored.country}, {new.country})")
        return None if w["other_country_veto"] else -10.0
    levels = (place_level(stored), place_level(new))
    if "none" in levels:
        return 0.0
    if "country" in levels:
        reasons.append("one placed only by country")
        return w["country_only"]
    points = 0.0
    same_admin1 = bool(stored.admin1) and stored.admin1 == new.admin1
    same_admin2 = same_admin1 and bool(stored.admin2) and stored.admin2 == new.admin2
    if "admin1" in levels:
        # a province-level record is compatible with any place in the province, weakly
        if same_admin1:
            reasons.append(f"inside {stored.admin1}")
            return w["inside_admin"]
        distance = km_between(stored, new)
        reasons.append("other admin1")
        return w["far_vague"] if distance is not None and distance > km["far"] else w["other_admin1"]
    distance = km_between(stored, new)
    if "admin2" in levels and same_admin2:
        reasons.append(f"inside {stored.admin2}")
        return w["inside_admin"] + w["same_admin2"]
    if distance is not None:
        reasons.append(f"{distance:.0f} km apart")
        precise = levels == ("town", "town") and (stored.geo_precision or 1) == 1 and (new.geo_precision or 1) == 1
        if distance <= km["same_spot"]:
            points += w["same_spot"]
        elif distance <= km["nearby"]:
            points += w["nearby"] if precise else w["near_vague"]
        elif precise:
            points += w["close_precise"] if distance <= km["close"] else w["apart_precise"]
        elif distance <= km["close"]:
            points += w["close_vague"]
        elif distance <= km["region"]:
            points += w["apart_vague"]
        else:
            points += w["far_vague"]
    elif stored.location and stored.location == new.location:
        reasons.append(f"both in {stored.location}")
        points += w["same_spot"]
    if same_admin2:
        reasons.append(f"same admin2 ({stored.admin2})")
        points += w["same_admin2"]
    elif stored.admin1 and new.admin1 and not same_admin1:
        reasons.append("other admin1")
        points += w["other_admin1"]
    return points


# ----------------------------------------------------------------------------------------------- actors

def _is_generic(name: str, settings: CorefSettings) -> bool:
    return any(name.startswith(p) for p in settings["generic_actor_prefixes"])


def _state_of(name: str, settings: CorefSettings) -> str | None:
    for prefix in settings["state_force_prefixes"]:
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1:].split(" (")[0]
    return None


def _actor_fit(a: str, b: str, country: str | None, settings: CorefSettings) -> tuple[str, str]:
    """How two actors in the same role relate: (kind, phrase). Kinds: same, same_generic, generic_named,
    related, same_state, conflict, unrelated_generic."""
    if a == b:
        return ("same_generic", f"both {a}") if _is_generic(a, settings) else ("same", f"both {a}")
    ga, gb = _is_generic(a, settings), _is_generic(b, settings)
    if ga and gb:
        return ("unrelated_generic", "")
    if ga or gb:
        generic, named = (a, b) if ga else (b, a)
        # "Unidentified Armed Group (Nigeria)" may be any non-state group active in Nigeria; an unnamed
        # attacker is never another country's state forces or civilians
        if generic.startswith(("Unidentified Armed Group", "Rebel Groups")) and _state_of(named, settings) is None \
                and not named.startswith("Civilians"):
            inside = generic[generic.find("(") + 1:-1] if "(" in generic else None
            if inside is None or country is None or inside == country:
                return ("generic_named", f"{generic} may be {named}")
        if generic.startswith("Unidentified Military Forces") and _state_of(named, settings) is not None:
            return ("generic_named", f"{generic} may be {named}")
        return ("unrelated_generic", "")
    sa, sb = _state_of(a, settings), _state_of(b, settings)
    if sa is not None and sa == sb:
        return ("same_state", f"both forces of {sa}")
    base_a, base_b = a.split(" (")[0], b.split(" (")[0]
    if base_a == base_b or base_a.startswith(base_b + " ") or base_b.startswith(base_a + " "):
        return ("related", f"{a} and {b} related")  # a branch and its parent: "Islamic State" / "... Province"
    return ("conflict", f"conflicting actors: {a} vs {b}")


def _pair_points(pairs: list[tuple[str | None, str | None]], country: str | None, w: dict,
                 settings: CorefSettings) -> tuple[float, list[str]]:
    points, phrases = 0.0, []
    weight = {"same": w["same_named"], "same_generic": w["same_generic"], "generic_named": w["generic_fits_named"],
              "related": w["related_named"], "same_state": w["same_state"], "conflict": w["conflicting_named"],
              "unrelated_generic": 0.0}
    for a, b in pairs:
        if not a or not b:
            continue
        kind, phrase = _actor_fit(a, b, country, settings)
        points += weight[kind]
        if phrase:
            phrases.append(phrase)
    return points, phrases


def _actor_points(stored: Event, new: Event, settings: CorefSettings, reasons: list[str]) -> float:
    w = settings["actors"]
    country = new.country or stored.country
    straight = _pair_points([(stored.actor1, new.actor1), (stored.actor2, new.actor2)], country, w, settings)
    best = straight
    if "Battles" in (stored.event_type, new.event_type):
        # in a battle either side may be named first: "rebels clashed with troops" / "troops repelled rebels"
        crossed = _pair_points([(stored.actor1, new.actor2), (stored.actor2, new.actor1)], country, w, settings)
        if crossed[0] > best[0]:
            best = crossed
    points, phrases = best
    if points > 0 and not any(p.startswith("conflicting") for p in phrases):
        reasons.append("actors agree" + (f" ({'; '.join(phrases)})" if phrases else ""))
    else:
        reasons.extend(phrases)
    return points


# ----------------------------------------------------------------------------------------------- types and tolls

def _type_points(stored: Event, new: Event, settings: CorefSettings, reasons: list[str]) -> float:
    w = settings["types"]
    if not stored.sub_event_type or not new.sub_event_type:
        return 0.0
    if stored.sub_event_type == new.sub_event_type:
        reasons.append("same sub-event type")
        return w["same_sub_event_type"]
    if frozenset((stored.sub_event_type, new.sub_event_type)) in settings.confusable:
        reasons.append(f"confusable types ({stored.sub_event_type} / {new.sub_event_type})")
        return w["confusable"]
    if stored.event_type and stored.event_type == new.event_type:
        reasons.append(f"same event type ({stored.event_type})")
        return w["same_event_type"]
    reasons.append(f"different types ({stored.sub_event_type} / {new.sub_event_type})")
    return w["incompatible"]


def _toll_points(stored: Event, new: Event, same_day: bool, w: dict, reasons: list[str]) -> float:
    """A rising toll is normal; very different tolls for one day and place suggest two incidents."""
    a, b = stored.fatalities or 0, new.fatalities or 0
    if not same_day or a <= 0 or b <= 0:
        return 0.0
    lo, hi = sorted((a, b))
    if hi / lo >= w["ratio"] and hi - lo >= w["difference"]:
        reasons.append(f"tolls far apart ({a} / {b})")
        return w["far_apart"]
    return 0.0


# ----------------------------------------------------------------------------------------------- decision

def compare(stored: Event, new: Event, settings: CorefSettings | None = None) -> MatchDecision:
    """Whether `new` (one report's record) tells the same real event as `stored` (a record already kept)."""
    s = settings or default_settings()
    reasons: list[str] = []
    dates = _date_points(stored, new, s["days"], reasons)
    place = _place_points(stored, new, s["place"], s["km"], reasons)
    if dates is None or place is None:
        return MatchDecision(False, 0.0, reasons)
    total = s["bias"] + dates + place
    total += _actor_points(stored, new, s, reasons)
    total += _type_points(stored, new, s, reasons)
    total += _toll_points(stored, new, "same day" in reasons or "dates overlap" in reasons, s["tolls"], reasons)
    score = 1.0 / (1.0 + math.exp(-total))
    return MatchDecision(score > s["threshold"], round(score, 3), reasons)  # more likely than not


def best_match(new: Event, candidates: list[Event],
               settings: CorefSettings | None = None) -> tuple[Event, MatchDecision] | None:
    """The candidate most likely to be the same event as `new`, if any is; the earliest wins a tie."""
    best: tuple[Event, MatchDecision] | None = None
    for candidate in candidates:
        decision = compare(candidate, new, settings)
        if decision.same and (best is None or decision.score > best[1].score):
            best = (candidate, decision)
    return best
