"""`warmonitor gazetteer import`: extend the bundled gazetteer with GeoNames dump files.

Two kinds of input, told apart by their column count (not their file name):
- a place file (`XX.zip`, `allCountries.zip`, `cities500.zip` or the `.txt` inside): 19 columns per place;
- alternate names (`alternateNamesV2.zip`, 10 columns, or the older `alternateNames.zip`, 8 columns).

The output is one gazetteer file per input under `<data dir>/gazetteer/`, in the bundled layout, which
`Gazetteer.load()` reads after the bundled one. A place the gazetteer already has is not repeated; when the dump
knows it under a new spelling, a copy of the known row is written and indexed under the new names only, so
every name still leads to one record.

Inputs are streamed line by line (allCountries is 1.5 GB unzipped); each line is decoded on its own so a bad one
is reported by number and skipped.
"""
from __future__ import annotations

import gzip
import os
import re
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator, Protocol

from warmonitor.errors import EXIT_NOTHING_READ, EXIT_USAGE, UserError
from warmonitor.resolve.gazetteer import (ADMIN_FEATURES, COLUMNS, HEADER, INDEX_MARK, POPULATED, Gazetteer,
                                          GazetteerError, Record, fold, imported_gazetteers, km)

SOURCE = "geonames-import"
PLACE_COLUMNS = 19
ALT_COLUMNS = (10, 8)  # alternateNamesV2, the older alternateNames

# GeoNames feature class/code -> our feature; None: not imported.
# P and A are what news names; a few L/T/S features are named in war reports (camps, bases, mountains,
# airbases, prisons, dams, border crossings). Everything else -- class H (streams, wadis, wells), R (roads),
# U (undersea), V (forests), most S (buildings), hills and tells -- is left out: there are many thousands of
# them per country, rarely reported, and they share names with the villages beside them.
FEATURES_BY_CODE = {
    ("P", "PPLX"): "neighbourhood", ("P", "PPLH"): None, ("P", "PPLCH"): None,  # historical: gone
    ("A", "ADM1"): "admin1", ("A", "ADM2"): "admin2", ("A", "ADM3"): "admin3",
    ("L", "RGN"): "region", ("L", "RGNE"): "region", ("L", "AREA"): "region",
    ("L", "CMPRF"): "camp", ("L", "CMP"): "camp", ("L", "MILB"): "base", ("L", "OILF"): "oilfield",
    ("T", "MT"): "mountain", ("T", "MTS"): "mountain", ("T", "PK"): "mountain",
    ("T", "PLN"): "plain", ("T", "DSRT"): "desert", ("T", "ISL"): "island",
    ("S", "AIRB"): "airbase", ("S", "AIRP"): "airport", ("S", "PRN"): "prison", ("S", "DAM"): "dam",
    ("S", "PSTB"): "crossing",
}
FEATURES_BY_CLASS = {"P": "town"}  # any other populated-place code (PPL, PPLA, PPLW destroyed, PPLQ abandoned)

# alternateNames: languages whose Latin-script names English news uses. '' is GeoNames' "unknown", mostly
# transliterations; other languages' spellings read as English words too often ("Several", "Guta").
ALT_LANGUAGES = frozenset({"", "en"})
SMALL_PLACE = 5000  # people: below this the place file's unlabelled alternate names are not used
MAX_ALT_NAMES = 8
SAME_PLACE_KM = 3.0  # a known place of the same name this close is the same place
PARENT_CITY_KM = 15.0  # a neighbourhood belongs to the nearest city this close...
PARENT_CITY_POPULATION = 10_000  # ...of at least this many people
NEIGHBOUR_KM = 10.0  # a village shares the sub-district of a known place this close
ADMIN_WORDS = re.compile(r"\b(?:governorate|province|muhafazat|state|region|oblast|prefecture)\b", re.I)
_MARKS = re.compile("[\u2018\u2019\u02bb\u02bc\u02be\u02bf`\u00b4]")
_NOT_NAME = re.compile(r"[\d/@:;=?&_\\|]")


class Progress(Protocol):
    total: float | None

    def update(self, n: int) -> object: ...


@dataclass
class ImportSummary:
    """What an import did, for the one-line report."""

    kind: str  # "places" or "names"
    output: Path | None = None
    read: int = 0  # valid lines
    added: int = 0  # new places
    known: int = 0  # places the gazetteer already had
    enriched: int = 0  # known places that got new names
    names: int = 0  # new names written
    malformed: int = 0
    first_problem: str = ""

    def line(self) -> str:
        if self.kind == "places":
            text = (f"imported {self.added:,} place(s) ({self.known:,} already known, {self.enriched:,} "
                    f"with new names)")
        else:
            text = f"imported {self.names:,} new name(s) for {self.enriched:,} known place(s)"
        text += f" into {self.output}" if self.output else "; nothing new, nothing written"
        if self.malformed:
            text += f"; {self.malformed:,} malformed line(s) skipped (first: {self.first_problem})"
        return text


@dataclass
class _Place:
    """One kept line of a place file."""

    geonameid: int
    name: str
    asciiname: str
    alternates: list[str]
    lat: float
    lon: float
    fclass: str
    feature: str
    iso2: str
    codes: tuple[str, str, str]  # admin1, admin2, admin3 codes
    population: int
    known: Record | None = None
    names: list[str] = field(default_factory=list)


# -- reading the dump ---------------------------------------------------------------------------

@contextmanager
def _open_dump(path: Path) -> Iterator[tuple[BinaryIO, int]]:
    """The dump's text as a binary stream (a zip's main .txt member, streamed) and its size in bytes."""
    if not path.is_file():
        raise UserError(f"no such file: {path}", EXIT_USAGE)
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as zf:
                member = _main_member(zf, path)
                with zf.open(member) as stream:
                    yield stream, member.file_size
        except zipfile.BadZipFile as exc:
            raise UserError(f"{path}: damaged zip archive ({exc})", EXIT_USAGE) from None
        return
    if path.suffix.lower() == ".zip":
        raise UserError(f"{path}: not a zip archive", EXIT_USAGE)
    with path.open("rb") as stream:
        yield stream, path.stat().st_size


def _main_member(zf: zipfile.ZipFile, path: Path) -> zipfile.ZipInfo:
    """`SY.txt` in `SY.zip`; else the biggest .txt that is not GeoNames' readme or language list."""
    texts = [m for m in zf.infolist() if m.filename.lower().endswith(".txt")
             and Path(m.filename).name.lower() not in ("readme.txt", "iso-languagecodes.txt")]
    if not texts:
        raise UserError(f"{path}: no GeoNames .txt file inside the zip archive", EXIT_USAGE)
    same = [m for m in texts if Path(m.filename).stem == path.stem]
    return same[0] if same else max(texts, key=lambda m: m.file_size)


def _lines(stream: BinaryIO, label: str, summary: ImportSummary,
           progress: Progress | None) -> Iterator[tuple[int, list[str]]]:
    """(line number, tab-separated cells) of each line that decodes; undecodable ones are counted."""
    pending = 0
    for number, raw in enumerate(stream, start=1):
        pending += len(raw)
        if progress is not None and pending >= 1 << 20:
            progress.update(pending)
            pending = 0
        try:
            line = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            _problem(summary, f"{label}:{number}: not UTF-8")
            continue
        if line:
            yield number, line.split("\t")
    if progress is not None and pending:
        progress.update(pending)


def _problem(summary: ImportSummary, where: str) -> None:
    summary.malformed += 1
    summary.first_problem = summary.first_problem or where


def detect_layout(path: Path) -> str:
    """'places' or 'names', from the column count of the file's first lines."""
    counts = []
    with _open_dump(path) as (stream, _):
        for number, raw in enumerate(stream, start=1):
            if number > 20:
                break
            try:
                cells = raw.decode("utf-8").rstrip("\r\n").split("\t")
            except UnicodeDecodeError:
                counts.append((number, "not UTF-8"))
                continue
            if len(cells) == PLACE_COLUMNS:
                return "places"
            if len(cells) in ALT_COLUMNS:
                return "names"
            counts.append((number, f"{len(cells)} tab-separated column(s)"))
    if not counts:
        raise UserError(f"{path}: empty file", EXIT_NOTHING_READ)
    number, what = counts[0]
    if what == "not UTF-8":
        raise UserError(f"{path}:{number}: not UTF-8 text (GeoNames dumps are UTF-8)", EXIT_USAGE)
    raise UserError(f"{path}:{number}: not a GeoNames dump: {what} (a place file has {PLACE_COLUMNS}, "
                    f"alternate names {ALT_COLUMNS[0]} or {ALT_COLUMNS[1]})", EXIT_USAGE)


# -- names ---------------------------------------------------------------------------------------

def plain_name(name: str) -> str:
    """GeoNames' name as English news writes it: no diacritics, ayn/hamza marks as "'" ("Dar‘ā" -> "Dar'a")."""
    name = _MARKS.sub("'", name)
    name = unicodedata.normalize("NFKD", name)
    return " ".join("".join(ch for ch in name if not unicodedata.combining(ch)).split())


def is_news_spelling(name: str) -> bool:
    """A name an English report could print: Latin script, capitalised, not a code, abbreviation or link."""
    if len(name) < 3 or not name[0].isupper() or name.isupper() or _NOT_NAME.search(name):
        return False
    return all(ch.isascii() or (ch.isalpha() and ord(ch) < 0x250) for ch in name)


# -- places --------------------------------------------------------------------------------------

def feature_of(fclass: str, fcode: str) -> str | None:
    if (fclass, fcode) in FEATURES_BY_CODE:
        return FEATURES_BY_CODE[(fclass, fcode)]
    return FEATURES_BY_CLASS.get(fclass)


def _parse_place(cells: list[str], countries: frozenset[str], min_population: int) -> _Place | None:
    """The place on a line, or None when the filters leave it out. Raises ValueError on a malformed line."""
    feature = feature_of(cells[6], cells[7])
    if feature is None or (countries and cells[8] not in countries):
        return None
    population = int(cells[14] or 0)
    if cells[6] == "P" and population < min_population:
        return None
    lat, lon = float(cells[4]), float(cells[5])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not cells[1].strip():
        raise ValueError("bad coordinates or empty name")
    return _Place(int(cells[0]), cells[1], cells[2], cells[3].split(",") if cells[3] else [], lat, lon,
                  cells[6], feature, cells[8], (cells[10], cells[11], cells[12]), population)


def _read_places(path: Path, countries: frozenset[str], min_population: int, summary: ImportSummary,
                 progress: Progress | None) -> list[_Place]:
    kept = []
    with _open_dump(path) as (stream, size):
        if progress is not None:
            progress.total = size
        for number, cells in _lines(stream, str(path), summary, progress):
            if len(cells) != PLACE_COLUMNS:
                _problem(summary, f"{path}:{number}: {len(cells)} columns, expected {PLACE_COLUMNS}")
                continue
            try:
                place = _parse_place(cells, countries, min_population)
            except ValueError:
                _problem(summary, f"{path}:{number}: malformed place (number or coordinates)")
                continue
            summary.read += 1
            if place is not None:
                kept.append(place)
    return kept


def _names_of(p: _Place) -> list[str]:
    """The place's display name first, then GeoNames' name and ASCII name, then usable alternate names
    (only for bigger places and admin units: a village's list mixes every language without saying which)."""
    names = [plain_name(p.name), " ".join(p.name.split()), " ".join(p.asciiname.split())]
    if p.population >= SMALL_PLACE or p.feature in ADMIN_FEATURES:
        names += [n for n in (" ".join(a.split()) for a in p.alternates) if is_news_spelling(n)]
    out, seen = [], set()
    for n in names:
        key = fold(n)
        if n and key and key not in seen:
            seen.add(key)
            out.append(n)
    return out[:MAX_ALT_NAMES + 1]


def _same_kind(a: str, b: str) -> bool:
    populated = POPULATED | {"neighbourhood"}
    return a == b or (a in populated and b in populated)


def _known_record(gaz: Gazetteer, p: _Place) -> Record | None:
    """The gazetteer's record for this place: same GeoNames id, or same name, country and kind close by
    (an OCHA unit, a UCDP GED village). Admin units match by name alone, also without a word such as
    "Governorate" (GeoNames' "Rif Dimashq Governorate" is OCHA's "Rural Damascus")."""
    names = p.names[:3]
    if p.feature in ADMIN_FEATURES:
        names += [ADMIN_WORDS.sub(" ", n).strip() for n in p.names]
    near = None
    for name in dict.fromkeys(n for n in names if n):
        for rec in gaz.records_for(name):
            if rec.geonameid == p.geonameid:
                return rec
            if near or rec.iso2 != p.iso2 or not _same_kind(rec.feature, p.feature):
                continue
            if rec.feature in ADMIN_FEATURES or (
                    rec.lat is not None and km(rec.lat, rec.lon, p.lat, p.lon) <= SAME_PLACE_KM):
                near = rec
    return near


def _has_name(gaz: Gazetteer, rec: Record, name: str) -> bool:
    return any(r.id == rec.id for r in gaz.records_for(name))


def _admin1_names(places: list[_Place]) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> the gazetteer's admin1 name: the file's own ADM1 row (the
    gazetteer's name for it when known), else a vote of the file's places the gazetteer already knows."""
    table: dict[tuple[str, str], str] = {}
    for p in places:
        if p.feature == "admin1":
            table[(p.iso2, p.codes[0])] = (p.known.admin1 or p.known.name) if p.known else p.names[0]
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for p in places:
        if p.known and p.known.admin1 and p.feature != "admin1":
            votes[(p.iso2, p.codes[0])][p.known.admin1] += 1
    for key, counter in votes.items():
        table.setdefault(key, counter.most_common(1)[0][0])
    return table


def _curated_admin_countries(gaz: Gazetteer, admin1: dict[tuple[str, str], str]) -> set[str]:
    """Countries whose admin units in the gazetteer do not come from GeoNames (Syria: OCHA's). There GeoNames'
    ADM2/ADM3 would duplicate them under other names, so they are not imported nor used."""
    out = set()
    for (iso2, _), name in admin1.items():
        recs = [r for r in gaz.records_for(name) if r.feature == "admin1" and r.iso2 == iso2]
        if recs and all(r.geonameid is None for r in recs):
            out.add(iso2)
    return out


def _admin_names(places: list[_Place], level: int) -> dict[tuple, str]:
    """(country, codes down to `level`) -> the name of the file's ADM`level` unit."""
    feature = f"admin{level}"
    return {(p.iso2, *p.codes[:level]): p.names[0] for p in places if p.feature == feature}


class _Grid:
    """Places bucketed by quarter-degree cell, for "the nearest one within a few km"."""

    def __init__(self, places: list[_Place]):
        self._cells: dict[tuple[int, int], list[_Place]] = defaultdict(list)
        for p in places:
            self._cells[(int(p.lat * 4), int(p.lon * 4))].append(p)

    def near(self, p: _Place, within_km: float) -> list[_Place]:
        y, x = int(p.lat * 4), int(p.lon * 4)
        return [c for dy in (-1, 0, 1) for dx in (-1, 0, 1) for c in self._cells.get((y + dy, x + dx), [])
                if c is not p and c.iso2 == p.iso2 and km(p.lat, p.lon, c.lat, c.lon) <= within_km]


def _parent_city(p: _Place, cities: _Grid) -> str:
    best = max(cities.near(p, PARENT_CITY_KM), key=lambda c: c.population, default=None)
    if best is None:
        return ""
    return best.known.name if best.known else best.names[0]


def _units_from_neighbour(p: _Place, admin1: str, known: _Grid) -> tuple[str, str]:
    """Admin2/admin3 of the nearest place of the file the gazetteer knows, in the same admin1: where the
    gazetteer's units are not GeoNames' (Syria's OCHA sub-districts), a village takes its neighbour's."""
    near = [c for c in known.near(p, NEIGHBOUR_KM) if c.known.admin1 == admin1 and c.known.admin3]
    best = min(near, key=lambda c: km(p.lat, p.lon, c.lat, c.lon), default=None)
    return (best.known.admin2, best.known.admin3) if best else ("", "")


def _cell(value: object) -> str:
    if isinstance(value, float):
        value = f"{value:.5f}".rstrip("0").rstrip(".")
    return "" if value is None else " ".join(str(value).replace("\t", " ").split())


def _record_cells(rec: Record) -> list[str]:
    return [_cell(getattr(rec, col)) for col in COLUMNS]


def build_place_rows(gaz: Gazetteer, places: list[_Place],
                     summary: ImportSummary) -> list[tuple[list[str], list[str]]]:
    """Gazetteer rows (cells, names to index) for the places of a place file."""
    for p in places:
        p.names = _names_of(p)
        p.known = _known_record(gaz, p)
    admin1 = _admin1_names(places)
    curated = _curated_admin_countries(gaz, admin1)
    admin2, admin3 = _admin_names(places, 2), _admin_names(places, 3)
    cities = _Grid([p for p in places if p.feature == "town" and p.population >= PARENT_CITY_POPULATION])
    known = _Grid([p for p in places if p.known and p.known.feature in POPULATED])
    rows: list[tuple[list[str], list[str]]] = []
    copies: dict[str, tuple[Record, list[str]]] = {}  # known record id -> (record, its new names)
    for p in places:
        if p.known:
            summary.known += 1
            rec, new = copies.setdefault(p.known.id, (p.known, []))
            new.extend(n for n in p.names if not _has_name(gaz, rec, n) and fold(n) not in map(fold, new))
            continue
        if p.iso2 in curated and p.feature in ADMIN_FEATURES:
            continue  # the gazetteer's own units stand for these
        a1 = admin1.get((p.iso2, p.codes[0]), "")
        if p.iso2 in curated:
            a2, a3 = _units_from_neighbour(p, a1, known)
        else:
            a2, a3 = admin2.get((p.iso2, *p.codes[:2]), ""), admin3.get((p.iso2, *p.codes[:3]), "")
        country = gaz.country_record(p.iso2)
        cells = {"id": p.geonameid, "source": SOURCE, "feature": p.feature, "name": p.names[0], "iso2": p.iso2,
                 "iso": country.iso if country else None, "admin1": a1, "admin2": a2, "admin3": a3,
                 "lat": p.lat, "lon": p.lon, "population": p.population, "geonameid": p.geonameid,
                 "parent": _parent_city(p, cities) if p.feature == "neighbourhood" else "", "prec": None}
        rows.append(([_cell(cells[c]) for c in COLUMNS], p.names))
        summary.added += 1
    for rec, new in copies.values():
        if new:
            rows.append((_record_cells(rec), new[:MAX_ALT_NAMES]))
            summary.enriched += 1
            summary.names += len(new[:MAX_ALT_NAMES])
    return rows


# -- alternate names -----------------------------------------------------------------------------

def build_name_rows(gaz: Gazetteer, path: Path, countries: frozenset[str], summary: ImportSummary,
                    progress: Progress | None) -> list[tuple[list[str], list[str]]]:
    """Copy rows for known places that an alternate-names file spells in new ways.

    A GeoNames place in the gazetteer has its GeoNames id as record id, so each name line costs one id
    lookup and only the new names are kept in memory."""
    new: dict[int, list[str]] = {}
    records: dict[int, Record] = {}
    with _open_dump(path) as (stream, size):
        if progress is not None:
            progress.total = size
        for number, cells in _lines(stream, str(path), summary, progress):
            if len(cells) not in ALT_COLUMNS:
                _problem(summary, f"{path}:{number}: {len(cells)} columns, expected {ALT_COLUMNS[0]} or "
                                  f"{ALT_COLUMNS[1]}")
                continue
            if not cells[1].isdigit():
                _problem(summary, f"{path}:{number}: geonameid is not a number")
                continue
            summary.read += 1
            if cells[2] not in ALT_LANGUAGES or cells[7] == "1":  # historic names are not news
                continue
            name = plain_name(cells[3])
            if not is_news_spelling(name) or not fold(name):
                continue
            gid = int(cells[1])
            rec = records.get(gid) or gaz.by_id(cells[1])
            if rec is None or rec.geonameid != gid or rec.feature == "country" or (
                    countries and rec.iso2 not in countries):
                continue
            records[gid] = rec
            have = new.setdefault(gid, [])
            if len(have) < MAX_ALT_NAMES and fold(name) not in map(fold, have) and not _has_name(gaz, rec, name):
                have.append(name)
    rows = []
    for gid, names in new.items():
        if names:
            rows.append((_record_cells(records[gid]), names))
            summary.enriched += 1
            summary.names += len(names)
    summary.known = len(new)
    return rows


# -- writing -------------------------------------------------------------------------------------

def write_gazetteer(path: Path, rows: list[tuple[list[str], list[str]]]) -> None:
    """The bundled layout (header, rows, index mark, `folded<TAB>row,row`), written to a temporary file and
    renamed, so a reader never sees half a file."""
    index: dict[str, list[int]] = {}
    for i, (_, names) in enumerate(rows):
        for key in dict.fromkeys(k for k in map(fold, names) if k):
            index.setdefault(key, []).append(i)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8", newline="") as f:
            f.write(HEADER + "\n")
            for cells, _ in rows:
                f.write("\t".join(cells) + "\n")
            f.write(INDEX_MARK + "\n")
            for key in sorted(index):
                f.write(f"{key}\t{','.join(map(str, index[key]))}\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def output_name(path: Path, layout: str, countries: frozenset[str]) -> str:
    """SY.zip -> SY; allCountries.zip --country SY -> allCountries-SY; an alternate-names file for a country
    (alternatenames/SY.zip) -> SY-names, so it does not replace the place file's import."""
    stem = path.name.split(".")[0]
    if countries and stem.upper() != "-".join(sorted(countries)):
        stem += "-" + "-".join(sorted(countries))
    if layout == "names" and not stem.lower().startswith("alternatenames"):
        stem += "-names"
    return stem


def gazetteer_dir(data_dir: Path) -> Path:
    return data_dir / "gazetteer"


def import_dump(path: Path, data_dir: Path, countries: list[str] | None = None, min_population: int = 0,
                progress: Progress | None = None) -> ImportSummary:
    """Import one GeoNames dump into `data_dir`/gazetteer/<name>.tsv.gz (replacing an earlier import of it).

    `progress` (a tqdm bar, say) gets the input's size in bytes as `.total`, then `.update(bytes read)`."""
    path = Path(path)
    layout = detect_layout(path)
    wanted = frozenset(c.upper() for c in countries or [])
    out = gazetteer_dir(data_dir) / f"{output_name(path, layout, wanted)}.tsv.gz"
    # Compare against the bundled gazetteer and every other import, not the output this run replaces.
    try:
        gaz = Gazetteer.load(extra=[p for p in imported_gazetteers(data_dir) if p.resolve() != out.resolve()])
    except GazetteerError as exc:
        raise UserError(f"{exc} (remove it with 'warmonitor gazetteer remove')") from None
    unknown = sorted(c for c in wanted if c not in gaz.countries)
    if unknown:
        raise UserError(f"unknown country code(s): {', '.join(unknown)} (use ISO 3166 two-letter codes)",
                        EXIT_USAGE)
    summary = ImportSummary(kind=layout)
    if layout == "places":
        places = _read_places(path, wanted, min_population, summary, progress)
        _check_read(path, summary)
        if not places:
            raise UserError(f"{path}: no place passes the filters"
                            + (f" (--country {' '.join(sorted(wanted))})" if wanted else "")
                            + (f" (--min-population {min_population})" if min_population else ""))
        rows = build_place_rows(gaz, places, summary)
    else:
        rows = build_name_rows(gaz, path, wanted, summary, progress)
        _check_read(path, summary)
    if rows:
        write_gazetteer(out, rows)
        summary.output = out
    else:
        out.unlink(missing_ok=True)  # nothing new any more: an older import of this file is stale
    return summary


def _check_read(path: Path, summary: ImportSummary) -> None:
    if summary.read == 0:
        raise UserError(f"{path}: no valid GeoNames line (first problem: {summary.first_problem or 'empty'})",
                        EXIT_USAGE)


# -- managing imports ----------------------------------------------------------------------------

def count_rows(path: Path) -> tuple[int, int]:
    """(places, copies of known places with new names) in an imported gazetteer file: a copy is the row
    that is not indexed under its own name."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        text = f.read()
    _, _, text = text.partition("\n")
    body, _, index_text = text.partition(f"\n{INDEX_MARK}\n")
    names = [line.split("\t")[3] for line in body.split("\n") if line]
    index = dict(line.split("\t", 1) for line in index_text.split("\n") if line)
    full = sum(1 for i, name in enumerate(names) if str(i) in index.get(fold(name), "").split(","))
    return full, len(names) - full


def find_import(data_dir: Path, name: str) -> Path:
    """The imported file a user names: 'SY', 'SY.tsv.gz' or 'SY.zip' all mean SY.tsv.gz."""
    stem = Path(name).name.split(".")[0]
    path = gazetteer_dir(data_dir) / f"{stem}.tsv.gz"
    if not path.is_file():
        have = ", ".join(p.name.split(".")[0] for p in imported_gazetteers(data_dir)) or "none"
        raise UserError(f"no imported gazetteer named {stem!r} in {gazetteer_dir(data_dir)} (imported: {have})")
    return path
