"""Scoring a geoparser against gold toponyms: recognition, distance (Acc@161km), country and admin1.

The functions here are pure: gold toponyms and predicted places (the dicts `warmonitor geoparse` writes) in,
numbers out, so the arithmetic can be checked without running spaCy. The conventions are the usual ones of the
geoparsing literature (LGL, Mordecai, Gritta et al.): a predicted span counts when it overlaps a gold span, and a
resolution is good when it lies within 161 km (100 miles) of the gold point.
"""
from __future__ import annotations

import math
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from warmonitor.labelled_jsonl import read_labelled
from warmonitor.resolve.gazetteer import fold, km

ACC_KM = 161.0
# Half the Earth's circumference: the largest possible error, which scales the error curve's area to 0..1.
MAX_KM = 20039.0

Prediction = dict[str, Any]  # a place as `warmonitor geoparse` writes it: start, end, latitude, iso2, ...


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None

    @property
    def has_coords(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass
class GoldArticle:
    id: str
    text: str
    toponyms: list[GoldToponym]


# -- reading the gold file -------------------------------------------------------------------------
def read_gold(path: Path) -> list[GoldArticle]:
    """The gold JSONL file, checked line by line; a bad line is a UserError naming file:line."""
    return [article for _, article in read_labelled(path, _gold_article, "gold articles")]


def _gold_article(row: dict) -> GoldArticle:
    toponyms = row.get("toponyms")
    if not isinstance(toponyms, list):
        raise ValueError("'toponyms' must be a list")
    text = row["text"]
    return GoldArticle(row["id"], text, [_gold_toponym(t, i, text) for i, t in enumerate(toponyms, start=1)])


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _gold_toponym(t, i: int, text: str) -> GoldToponym:
    if not isinstance(t, dict):
        raise ValueError(f"toponym {i} is not an object")
    start, end = t.get("start"), t.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)
            and not isinstance(end, bool) and 0 <= start < end <= len(text)):
        raise ValueError(f"toponym {i}: 'start' and 'end' must be offsets into the text with start < end "
                         f"(got {start!r}, {end!r}; the text has {len(text)} characters)")
    lat, lon = t.get("lat"), t.get("lon")
    if (lat is None) != (lon is None):
        raise ValueError(f"toponym {i}: 'lat' and 'lon' must both be numbers or both be null")
    if lat is not None and not (_number(lat) and _number(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"toponym {i}: 'lat'/'lon' are not coordinates (got {lat!r}, {lon!r})")
    for key in ("country", "admin1"):
        if t.get(key) is not None and not isinstance(t[key], str):
            raise ValueError(f"toponym {i}: '{key}' must be a string or null")
    admin1 = t.get("admin1") or None
    if str(t.get("fcode") or "").startswith("PCL"):
        admin1 = None  # a country has no admin1; GeoNames names the one its point falls in (LGL keeps it)
    return GoldToponym(start, end, text[start:end], lat, lon, t.get("country") or None, admin1)


# -- matching --------------------------------------------------------------------------------------
def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters two ranges share; 0 when they only touch or are apart."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def best_match(gold: GoldToponym, predicted: Sequence[Prediction]) -> Prediction | None:
    """The prediction sharing the most characters with the gold span, or None. Of equals, the tightest wins:
    for gold "Turkey", the mention "Turkey" rather than the phrase "near the border with Turkey"."""
    best, best_key = None, (0, 0)
    for p in predicted:
        key = (overlap(gold.start, gold.end, p["start"], p["end"]), -(p["end"] - p["start"]))
        if key[0] > 0 and (best is None or key > best_key):
            best, best_key = p, key
    return best


def _has_coords(p: Prediction) -> bool:
    return p.get("latitude") is not None and p.get("longitude") is not None


def same_country(gold: str, pred: Prediction, iso2_of: Callable[[str], str | None] | None) -> bool:
    """Countries compared by ISO2 code: GeoNames says "Palestinian Territory" where we may say "Palestine"."""
    if pred.get("country") is None and pred.get("iso2") is None:
        return False
    gold_code = iso2_of(gold) if iso2_of else None
    pred_code = pred.get("iso2") or (iso2_of(pred["country"]) if iso2_of and pred.get("country") else None)
    if gold_code and pred_code:
        return gold_code.upper() == pred_code.upper()
    return pred.get("country") is not None and fold(gold) == fold(pred["country"])


def pred_admin1(pred: Prediction) -> str | None:
    """The first-level unit a prediction lies in; a province is its own admin1."""
    return pred.get("admin1") or (pred.get("name") if pred.get("feature") == "admin1" else None)


Admin1Id = Callable[[str, str | None], str | None]  # (admin1 name, country ISO2) -> the unit's identity


def same_admin1(gold: GoldToponym, pred: Prediction, iso2_of: Callable[[str], str | None] | None = None,
                admin1_id: Admin1Id | None = None) -> bool:
    """Same first-level unit, in the same country: by folded name ("Rif Dimashq" = "Rīf Dimashq"), else by
    identity when `admin1_id` can tell (GeoNames' "Dimashq" is OCHA's "Damascus" governorate)."""
    admin1 = pred_admin1(pred)
    if admin1 is None or gold.admin1 is None:
        return False
    if gold.country is not None and not same_country(gold.country, pred, iso2_of):
        return False
    if fold(admin1) == fold(gold.admin1):
        return True
    if admin1_id is None:
        return False
    iso2 = (iso2_of(gold.country) if iso2_of and gold.country else None) or pred.get("iso2")
    unit = admin1_id(gold.admin1, iso2)
    return unit is not None and unit == admin1_id(admin1, iso2)


def gazetteer_admin1_id(gazetteer) -> Admin1Id:
    """`admin1_id` from the gazetteer: the first-level unit a name means in a country, by its record id."""
    def admin1_id(name: str, iso2: str | None) -> str | None:
        found = [rec for _, rec in gazetteer.candidates(name, iso2, frozenset({"admin1"}))
                 if iso2 is None or rec.iso2 == iso2]
        return found[0].id if found else None
    return admin1_id


# -- the report ------------------------------------------------------------------------------------
@dataclass
class Problem:
    kind: str  # miss, false alarm, far, unresolved, failed
    article_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.article_id}: {self.kind}: {self.message}"


@dataclass
class PlacesReport:
    """Counts over all articles scored so far. `iso2_of` (a country name's ISO2 code) and `admin1_id` say when
    two differently written names mean the same country or province; without them names are compared folded."""

    iso2_of: Callable[[str], str | None] | None = field(default=None, repr=False, compare=False)
    admin1_id: Admin1Id | None = field(default=None, repr=False, compare=False)
    articles: int = 0
    failed: int = 0
    gold: int = 0
    gold_with_coords: int = 0
    predicted: int = 0
    predicted_matched: int = 0  # predicted spans overlapping some gold span
    gold_recognised: int = 0  # gold spans overlapped by some prediction
    resolved: int = 0  # gold spans with coordinates whose best prediction has coordinates too
    within: int = 0  # ... and lies within ACC_KM of the gold point
    errors_km: list[float] = field(default_factory=list)
    country_total: int = 0
    country_hits: int = 0
    admin1_total: int = 0
    admin1_hits: int = 0
    problems: list[Problem] = field(default_factory=list)

    def add(self, article_id: str, gold: Sequence[GoldToponym], predicted: Sequence[Prediction]) -> None:
        """Score one article's predictions against its gold toponyms."""
        self.articles += 1
        self.gold += len(gold)
        self.predicted += len(predicted)
        for p in predicted:
            if any(overlap(g.start, g.end, p["start"], p["end"]) for g in gold):
                self.predicted_matched += 1
            else:
                where = p.get("name") or "unresolved"
                self.problems.append(Problem("false alarm", article_id,
                                             f"{p.get('text')!r} at {p['start']}-{p['end']} ({where})"))
        for g in gold:
            self._score_toponym(article_id, g, best_match(g, predicted))

    def add_failure(self, article_id: str, gold: Sequence[GoldToponym], why: str) -> None:
        """An article the geoparser could not parse: all its toponyms are misses."""
        self.failed += 1
        self.problems.append(Problem("failed", article_id, why))
        self.add(article_id, gold, [])

    def _score_toponym(self, article_id: str, g: GoldToponym, m: Prediction | None) -> None:
        if m is not None:
            self.gold_recognised += 1
        else:
            self.problems.append(Problem("miss", article_id, f"{g.text!r} at {g.start}-{g.end}"))
        if g.has_coords:
            self.gold_with_coords += 1
            if m is not None and _has_coords(m):
                distance = km(g.lat, g.lon, m["latitude"], m["longitude"])
                self.resolved += 1
                self.errors_km.append(distance)
                if distance <= ACC_KM:
                    self.within += 1
                else:
                    self.problems.append(Problem(
                        "far", article_id, f"{g.text!r} at {g.start}-{g.end}: gold ({g.lat:.4f}, {g.lon:.4f}), "
                        f"got {m.get('name')} ({m['latitude']:.4f}, {m['longitude']:.4f}): {distance:.0f} km"))
            elif m is not None:
                self.problems.append(Problem("unresolved", article_id, f"{g.text!r} at {g.start}-{g.end}: "
                                             f"recognised as {m.get('text')!r}, no coordinates"))
        if g.country:
            self.country_total += 1
            self.country_hits += m is not None and same_country(g.country, m, self.iso2_of)
        if g.admin1:
            self.admin1_total += 1
            self.admin1_hits += m is not None and same_admin1(g, m, self.iso2_of, self.admin1_id)

    def metrics(self) -> dict[str, Any]:
        """Every figure as a JSON-ready dict; a ratio with nothing to divide by is None."""
        precision = _ratio(self.predicted_matched, self.predicted)
        recall = _ratio(self.gold_recognised, self.gold)
        f1 = 2 * precision * recall / (precision + recall) if precision and recall else (
            0.0 if precision is not None and recall is not None else None)
        return {
            "articles": self.articles, "failed_articles": self.failed, "gold_toponyms": self.gold,
            "gold_with_coordinates": self.gold_with_coords, "predicted": self.predicted,
            "precision": precision, "recall": recall, "f1": f1,
            "acc161": _ratio(self.within, self.gold_with_coords),
            "acc161_resolution_only": _ratio(self.within, self.resolved),
            "within_161km": self.within, "resolved": self.resolved,
            "country_accuracy": _ratio(self.country_hits, self.country_total),
            "country_hits": self.country_hits, "country_total": self.country_total,
            "admin1_accuracy": _ratio(self.admin1_hits, self.admin1_total),
            "admin1_hits": self.admin1_hits, "admin1_total": self.admin1_total,
            "mean_error_km": statistics.fmean(self.errors_km) if self.errors_km else None,
            "median_error_km": statistics.median(self.errors_km) if self.errors_km else None,
            "auc": error_curve_auc(self.errors_km),
        }


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def error_curve_auc(errors_km: Sequence[float]) -> float | None:
    """Area under the curve of sorted log errors, scaled to 0..1 (0: every point exact): Gritta et al.'s AUC.
    None for fewer than two errors (no curve to measure)."""
    if len(errors_km) < 2:
        return None
    ys = sorted(math.log(1 + e) for e in errors_km)
    area = sum((a + b) / 2 for a, b in zip(ys, ys[1:]))
    return area / ((len(ys) - 1) * math.log(1 + MAX_KM))


# -- printing --------------------------------------------------------------------------------------
def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_places_report(report: PlacesReport, errors: bool = False, out: TextIO = sys.stdout) -> None:
    m = report.metrics()
    rows = [
        ("recognition precision", _fmt(m["precision"]), f"{report.predicted_matched}/{report.predicted}"),
        ("recognition recall", _fmt(m["recall"]), f"{report.gold_recognised}/{report.gold}"),
        ("recognition F1", _fmt(m["f1"]), ""),
        ("Acc@161km end to end", _fmt(m["acc161"]), f"{report.within}/{report.gold_with_coords}"),
        ("Acc@161km resolution only", _fmt(m["acc161_resolution_only"]), f"{report.within}/{report.resolved}"),
        ("country accuracy", _fmt(m["country_accuracy"]), f"{report.country_hits}/{report.country_total}"),
        ("admin1 accuracy", _fmt(m["admin1_accuracy"]), f"{report.admin1_hits}/{report.admin1_total}"),
        ("mean error km", _fmt(m["mean_error_km"], 1), f"{report.resolved} pairs"),
        ("median error km", _fmt(m["median_error_km"], 1), ""),
        ("AUC of error curve", _fmt(m["auc"]), "lower is better"),
    ]
    print(f"articles {report.articles} ({report.failed} failed), gold toponyms {report.gold} "
          f"({report.gold_with_coords} with coordinates), predicted places {report.predicted}", file=out)
    width = max(len(name) for name, _, _ in rows)
    for name, value, count in rows:
        print(f"  {name:<{width}}  {value:>8}  {count}".rstrip(), file=out)
    if errors:
        print("\nerrors:", file=out)
        for problem in report.problems:
            print(f"  {problem}", file=out)
