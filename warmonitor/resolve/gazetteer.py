"""The bundled gazetteer: name folding, loading, candidate ranking and containment.

The data (warmonitor/data/gazetteer/places.npz) is built by scripts/build_gazetteer.py: the place rows and an
index of their folded names, packed (see place_store.py), so loading re-folds nothing; rows are parsed only
when asked for. Files that `warmonitor gazetteer import` wrote are added after it.
"""
from __future__ import annotations

import bisect
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from warmonitor.model import Place
from warmonitor.resolve.place_store import GazetteerError, PackedPlaces, TextPlaces

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "gazetteer"
DEFAULT_PATH = DATA_DIR / "places.npz"
# Bump when fold() changes: keys stored in the data file are only valid for the fold that made them.
FOLD_VERSION = "4"
COLUMNS = ("id", "source", "feature", "name", "iso2", "iso", "admin1", "admin2", "admin3", "lat", "lon",
           "population", "geonameid", "parent", "prec")
# The line between the place rows and the name index in the data file.
INDEX_MARK = "#index"
# The first line of every gazetteer file.
HEADER = "\t".join(COLUMNS) + f"\tfold={FOLD_VERSION}"

# Arabic definite-article spellings, dropped anywhere in a name so "Deir ez-Zor" meets "Deir al-Zor".
ARTICLES = frozenset("al el ad ed ar er as es az ez ash esh at et an en adh ath dh l".split())
_QUOTES = re.compile(r"[\u2018\u2019\u02bc\u02bb\u02be\u02bf`'\u00b4]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Spelling rules applied to each word, in order: common English renderings of the same Arabic sounds.
_SPELLING = ((re.compile(r"(.)\1+"), r"\1"),  # Lattakia/Latakia, Raqqa/Raqa
             (re.compile(r"ou"), "u"),  # Yarmouk/Yarmuk, Tartous/Tartus
             (re.compile(r"gh"), "g"),  # Ghouta/Gouta, Ghazni/Gazni
             (re.compile(r"ay"), "ei"),  # Dayr/Deir
             (re.compile(r"aw"), "o"),  # Zawr/Zor
             (re.compile(r"(?<=.)[ae]h$"), "a"),  # Hasakah/Hasakeh, Raqqah
             (re.compile(r"e"), "i"),  # Idleb/Idlib
             (re.compile(r"(.)\1+"), r"\1"))


def read_lines(path: Path) -> list[str]:
    """The entries of a hand-written list, one a line; '#' lines are comments."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def load_transliterated(path: Path | None = None) -> frozenset[str]:
    """ISO2 codes of the countries whose names come to English news in many transliterations."""
    return frozenset(code for line in read_lines(path or DATA_DIR / "transliterated_countries.txt")
                     for code in line.split())


def names_in(name: str, text: str) -> bool:
    """Whether `text` writes `name` as whole words, in any spelling fold() takes alike ("Deir Ezzor" and
    "Deir ez-Zor" in a headline)."""
    key = fold(name)
    return bool(key) and f" {key} " in f" {fold(text)} "


# Abbreviated words of place names, written out: "St. Paul" is "Saint Paul".
ABBREVIATED_WORDS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "point"}
# Whole Arabic words that English renders in ways the letter rules below cannot bring together: the vowel moves
# ("Kfar Zeita", "Kafr Zayta") or is doubled away ("Tell", "Tal").
TRANSLITERATED_WORDS = {"kfar": "kafr", "kefr": "kafr", "kafar": "kafr", "tell": "tal", "tel": "tal",
                        "jebel": "jabal", "jabel": "jabal", "djebel": "jabal", "jbel": "jabal",
                        "ayn": "ain", "ein": "ain", "shaykh": "sheikh", "shaikh": "sheikh", "cheikh": "sheikh"}


@lru_cache(maxsize=1 << 15)  # the resolver folds the same few names of an article thousands of times
def fold(text: str) -> str:
    """A spelling-insensitive key for a place name: case, diacritics, articles, hyphens, doubled letters."""
    text = _QUOTES.sub("", _lower_unaccented(text))
    words = _NON_ALNUM.sub(" ", text).split()
    if len(words) > 1:
        words = [w for w in words if w not in ARTICLES] or words
    return " ".join(map(_fold_word, words))


# The finder folds every stretch of capitalised words it meets, but the words themselves are few: their spelling
# rules (eight regular expressions each) are worked out once per word.
@lru_cache(maxsize=1 << 14)
def _fold_word(word: str) -> str:
    word = ABBREVIATED_WORDS.get(word, word)
    word = TRANSLITERATED_WORDS.get(word, word)
    for pattern, repl in _SPELLING:
        word = pattern.sub(repl, word)
    return word


def _lower_unaccented(text: str) -> str:
    """The text in lower case without diacritics (its NFKD form without combining marks)."""
    if text.isascii():  # the usual case: NFKD leaves ASCII as it is, and it holds no combining marks
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def light_fold(text: str) -> str:
    """fold() without its spelling rules: what tells "Deir al-Zor" from "Deir ez-Zor" apart is gone, what tells
    "Kill" from "Kiel" is kept."""
    text = _QUOTES.sub("", _lower_unaccented(text))
    words = [ABBREVIATED_WORDS.get(w, w) for w in _NON_ALNUM.sub(" ", text).split()]
    return " ".join([w for w in words if w not in ARTICLES] or words)


# How likely a bare name refers to each kind of record, before any context is known.
# A neighbourhood starts low: it should win over a namesake town only when the article names its city.
FEATURE_PRIOR = {"country": 6.0, "admin1": 1.6, "town": 0.6, "neighbourhood": 0.5, "admin2": 0.5,
                 "admin3": 0.5, "region": 1.4, "suburb": 1.0, "village": 0.8}
# Admin units whose population is known (GeoNames' world units: the sum of their towns) start here instead.
PEOPLED_ADMIN_PRIOR = 0.5
CAPITAL_BONUS = 1.0
SEAT_BONUS = 0.5
# A town found only under one of its alternate names (often another language's: Tallinn's "Reval") is a
# weaker reading than a place that bears the name itself.
ALTERNATE_NAME_PENALTY = 1.5
# A place whose own name is only fold()'s cousin of the text's ("Kiel" for "Kill", "Siena" for "Sinaah") is a
# weaker reading than one written the same way: fold() exists for transliterations, not for English words.
VARIANT_SPELLING_PENALTY = 0.75
COUNTRY_BONUS = 3.0
POPULATED = frozenset({"town", "village", "suburb", "locality", "place", "camp"})
ADMIN_FEATURES = frozenset({"admin1", "admin2", "admin3"})


@dataclass(frozen=True)
class Record:
    """One gazetteer row."""

    id: str
    source: str
    feature: str
    name: str
    iso2: str
    iso: int | None
    admin1: str
    admin2: str
    admin3: str
    lat: float | None
    lon: float | None
    population: int
    geonameid: int | None
    parent: str  # neighbourhood: its city; country: its capital
    prec: int | None  # UCDP's location precision, for GED rows

    @property
    def is_populated(self) -> bool:
        return self.feature in POPULATED

    def prior(self) -> float:
        base = FEATURE_PRIOR.get(self.feature, 0.7)
        if self.population > 0 and self.feature != "country":
            if self.feature in ADMIN_FEATURES:
                # a unit's people are its towns' people: a province named after its capital ranks below it
                base = PEOPLED_ADMIN_PRIOR
            base += math.log10(self.population) / 2.5  # 10k people: +1.6, 1M: +2.4, 10M: +2.8
        return base


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(a))


def _int(s: str) -> int | None:
    return int(s) if s else None


def _float(s: str) -> float | None:
    return float(s) if s else None


def read_table(path: Path) -> list[list[str]]:
    """Rows of a hand-written TSV (comment lines start with '#', first other line is the header)."""
    rows = [ln.split("\t") for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]
    return rows[1:]


def user_data_dir() -> Path:
    """Where a user's own data lives (imported gazetteers): $WARMONITOR_DATA, else the XDG data directory."""
    if os.environ.get("WARMONITOR_DATA"):
        return Path(os.environ["WARMONITOR_DATA"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "warmonitor"


def imported_gazetteers(data_dir: Path | None = None) -> list[Path]:
    """Gazetteer files made by `warmonitor gazetteer import`, in a stable order."""
    folder = (data_dir or user_data_dir()) / "gazetteer"
    return sorted(folder.glob("*.tsv.gz")) if folder.is_dir() else []


class Gazetteer:
    """Places by folded name, with countries, demonyms and ACLED regions.

    Rows are numbered across the bundled store and any imported ones, in that order."""

    def __init__(self, stores: list[PackedPlaces | TextPlaces], demonyms: dict[str, str], regions: dict[str, str],
                 transliterated: frozenset[str] = frozenset()):
        self._stores = stores
        # countries whose place names reach English in many romanisations: there a place's other names are
        # mostly other spellings, not other languages
        self.transliterated = transliterated
        self._starts = []  # the global number of each store's first row
        total = 0
        for store in stores:
            self._starts.append(total)
            total += len(store)
        self._demonyms = demonyms  # folded demonym -> iso2
        self._regions = regions  # iso2 -> ACLED region
        self._records: dict[int, Record] = {}
        self.max_words = max((s.max_words for s in stores), default=1)
        self.countries: dict[str, Record] = {}
        i = 0
        while i < len(stores[0]) and stores[0].row(i).startswith("iso:"):  # the build writes countries first
            rec = self.record(i)
            self.countries[rec.iso2] = rec
            i += 1

    @classmethod
    def load(cls, path: Path | None = None, extra: list[Path] | None = None) -> "Gazetteer":
        """The bundled gazetteer, plus the files `warmonitor gazetteer import` wrote (`extra`; by default those
        in the user's data directory). A place an imported file repeats (same GeoNames id) is one place with
        more names."""
        path = Path(path) if path else DEFAULT_PATH
        base = PackedPlaces.load(path) if path.suffix == ".npz" else TextPlaces.load(path, INDEX_MARK)
        stores = [base]
        for more in imported_gazetteers() if extra is None else extra:
            stores.append(TextPlaces.load(Path(more), INDEX_MARK))
        for store, where in zip(stores, [path, *(extra if extra is not None else imported_gazetteers())]):
            if store.header != HEADER:
                raise GazetteerError(f"gazetteer {where} was built by another version: rerun "
                                     "scripts/build_gazetteer.py (or re-import it)")
        demonyms = {}
        for iso2, names in read_table(DATA_DIR / "demonyms.tsv"):
            for n in names.split(";"):
                demonyms[fold(n)] = iso2
        regions = {r[0]: r[2] for r in read_table(DATA_DIR / "acled_regions.tsv")}
        return cls(stores, demonyms, regions, load_transliterated())

    # -- records -----------------------------------------------------------------------------
    def _locate(self, i: int) -> tuple[PackedPlaces | TextPlaces, int]:
        k = bisect.bisect_right(self._starts, i) - 1
        return self._stores[k], i - self._starts[k]

    def record(self, i: int) -> Record:
        rec = self._records.get(i)
        if rec is None:
            store, j = self._locate(i)
            r = store.row(j).split("\t")
            rec = Record(r[0], r[1], r[2], r[3], r[4], _int(r[5]), r[6], r[7], r[8], _float(r[9]), _float(r[10]),
                         int(r[11] or 0), _int(r[12]), r[13], _int(r[14]))
            self._records[i] = rec
        return rec

    @cached_property
    def _capital_ids(self) -> frozenset[str]:
        """National capitals: a bare "Damascus" is the Syrian one, whatever Maryland has."""
        return frozenset(c.id for c in map(self.capital_of, self.countries) if c is not None)

    def by_id(self, record_id: str | None) -> Record | None:
        if not record_id:
            return None
        for store, start in zip(self._stores, self._starts):
            j = store.row_of_id(record_id)
            if j is not None:
                return self.record(start + j)
        return None

    def has_key(self, key: str) -> bool:
        return any(store.has(key) for store in self._stores)

    def indices(self, key: str) -> list[int]:
        return [i for i, _ in self.matches(key)]

    def matches(self, key: str) -> list[tuple[int, bool]]:
        """(row number, only by an alternate name) for each place a folded name may mean."""
        out = []
        for store, start in zip(self._stores, self._starts):
            out += [(start + j, alt) for j, alt in store.rows_for(key)]
        return out

    def records_for(self, name: str) -> list[Record]:
        """Records a name may mean; an imported copy of a place (same GeoNames id) counts once."""
        return [rec for rec, _ in self.named(name)]

    def named(self, name: str) -> list[tuple[Record, bool]]:
        """(record, only by an alternate name) for each place a name may mean, each place once."""
        out, seen = [], set()
        for i, alt in self.matches(fold(name)):
            rec = self.record(i)
            if rec.geonameid is not None:
                if rec.geonameid in seen:
                    continue
                seen.add(rec.geonameid)
            out.append((rec, alt))
        return out

    # -- countries ---------------------------------------------------------------------------
    def demonym(self, word: str) -> str | None:
        """ISO2 of a country adjective or demonym ("Syrian" -> "SY")."""
        return self._demonyms.get(fold(word))

    def country_record(self, iso2: str | None) -> Record | None:
        return self.countries.get(iso2 or "")

    def country_name(self, iso2: str | None) -> str | None:
        rec = self.country_record(iso2)
        return rec.name if rec else None

    def region_of(self, iso2: str | None) -> str | None:
        """ACLED's region for a country ("SY" -> "Middle East")."""
        return self._regions.get((iso2 or "").upper())

    def capital_of(self, iso2: str) -> Record | None:
        country = self.country_record(iso2)
        if not country or not country.parent:
            return None
        towns = [r for r in self.records_for(country.parent) if r.iso2 == iso2 and r.is_populated]
        return max(towns, key=lambda r: r.population, default=None)

    # -- ranking -----------------------------------------------------------------------------
    def candidates(self, name: str, country: str | None = None,
                   features: frozenset[str] | None = None) -> list[tuple[float, Record]]:
        """Records matching a name, best first, scored by feature/population priors and country."""
        scored = []
        for rec, alt in self.named(name):
            if features and rec.feature not in features:
                continue
            score = rec.prior() + (CAPITAL_BONUS if rec.id in self._capital_ids else 0.0)
            if alt:
                score -= ALTERNATE_NAME_PENALTY
            elif not self.spelled_alike(name, rec):
                score -= VARIANT_SPELLING_PENALTY
            score += COUNTRY_BONUS if country and rec.iso2 == country else 0.0
            scored.append((score, rec))
        # a town of unknown size that gives its name to the district around it is that district's seat, and
        # seats are what news names ("Ras al-Ain" in Hasakeh, not a namesake hamlet in Idlib); where the size
        # is known, the population prior already says it
        seats = {(rec.iso2, rec.admin1) for _, rec in scored if rec.feature in ADMIN_FEATURES}
        scored = [(sc + SEAT_BONUS if rec.is_populated and not rec.population and (rec.iso2, rec.admin1) in seats
                   else sc, rec)
                  for sc, rec in scored]
        # a province or district named after its seat: the bare name is the town ("Basra", "Aleppo"), unless
        # the text said "province"
        towns = {(rec.iso2, rec.admin1): sc for sc, rec in scored if rec.is_populated}
        scored = [(min(sc, towns[(rec.iso2, rec.admin1)] - 0.5) if rec.feature in ADMIN_FEATURES
                   and (rec.iso2, rec.admin1) in towns else sc, rec) for sc, rec in scored]
        scored.sort(key=lambda sr: -sr[0])
        return scored

    def near_spelling_candidates(self, name: str,
                                 features: frozenset[str] | None = None) -> list[tuple[float, Record]]:
        """Candidates for a name the gazetteer lacks under any spelling fold() knows, found one vowel away
        ("Jobar" ~ "Joubar", "Busra al-Harir" ~ "Busra al Hariri"): transliterations of Arabic differ in just
        this way. Scored one point lower than an exact match; the caller decides whether to believe them."""
        key = fold(name)
        if len(key.replace(" ", "")) < 5:  # short names have too many neighbours to guess between
            return []
        seen: set[int] = set()
        scored = []
        for variant in spelling_neighbours(key):
            for i in self.indices(variant):
                if i in seen:
                    continue
                seen.add(i)
                rec = self.record(i)
                if not features or rec.feature in features:
                    scored.append((rec.prior() - NEAR_SPELLING_PENALTY, rec))
        scored.sort(key=lambda sr: -sr[0])
        return scored

    @staticmethod
    def spelled_alike(name: str, rec: Record) -> bool:
        """The text writes the record's own name, up to case, accents, punctuation and Arabic articles, with or
        without its kind word ("Barrow" for Barrow County)."""
        written = light_fold(name)
        return written in (light_fold(rec.name), light_fold(split_feature_word(rec.name)[0]))

    def lookup(self, name: str, country: str | None = None) -> list[Place]:
        """Ranked places for a name; `country` (ISO2 or a country name) favours that country's places.

        A trailing admin word narrows the kind: "Idlib province" -> governorate, "Borno state" -> admin1.
        """
        core, features = split_feature_word(name)
        iso2 = self.iso2_of(country) if country else None
        return [self.place(rec) for _, rec in self.candidates(core, iso2, features)]

    def admin1_place(self, place: Place) -> Place | None:
        """The first-level unit a place lies in, as a place of its own (precision 3)."""
        if not place.admin1 or not place.iso2:
            return None
        units = [rec for _, rec in self.candidates(place.admin1, place.iso2, frozenset({"admin1"}))
                 if rec.iso2 == place.iso2 and rec.admin1 == place.admin1]
        return self.place(units[0], 3) if units else None

    def iso2_of(self, country: str) -> str | None:
        if country.upper() in self.countries:
            return country.upper()
        for rec in self.records_for(country):
            if rec.feature == "country":
                return rec.iso2
        return self.demonym(country)

    def place(self, rec: Record, geo_precision: int | None = None) -> Place:
        country = self.country_record(rec.iso2)
        has_coords = rec.feature != "country"
        if geo_precision is None:
            geo_precision = default_precision(rec)
        return Place(
            name=rec.name, country=country.name if country else None, iso=country.iso if country else None,
            iso2=rec.iso2 or None, admin1=rec.admin1 or None, admin2=rec.admin2 or None,
            admin3=rec.admin3 or None, latitude=rec.lat if has_coords else None,
            longitude=rec.lon if has_coords else None, geo_precision=geo_precision, feature=rec.feature,
            geonameid=rec.geonameid, source_id=rec.id, source=rec.source)

    # -- containment -------------------------------------------------------------------------
    def contains(self, parent: Record, child: Record) -> bool:
        """True when `child` lies inside `parent` (admin units by name, towns by distance/parent city)."""
        if parent.id == child.id or not parent.iso2 or parent.iso2 != child.iso2:
            return False
        if parent.feature == "country":
            return True
        if parent.feature == "admin1":
            return child.admin1 == parent.admin1 and child.feature != "admin1"
        if parent.feature == "admin2":
            return child.admin2 == parent.admin2 and child.feature not in ("admin1", "admin2")
        if parent.feature == "admin3":
            return child.admin3 == parent.admin3 and child.feature not in ADMIN_FEATURES
        if child.feature in ADMIN_FEATURES or child.feature == "country":
            return False
        if child.feature == "neighbourhood" and fold(child.parent) == fold(parent.name):
            return True
        if None in (parent.lat, parent.lon, child.lat, child.lon):
            return False
        return km(parent.lat, parent.lon, child.lat, child.lon) <= reach_km(parent)

    def within(self, child: Place, parent: Place) -> bool:
        c, p = self.by_id(child.source_id), self.by_id(parent.source_id)
        if c is None or p is None:
            return False
        return self.contains(p, c)


NEAR_SPELLING_PENALTY = 1.0
_VOWELS = "aiou"  # fold() has already turned e into i


def spelling_neighbours(key: str) -> list[str]:
    """Folded keys one vowel away from `key`: a vowel swapped, dropped or added (inside words of 4+ letters)."""
    out = []
    pos = 0
    for word in key.split(" "):
        if len(word) >= 4:
            for j in range(len(word) + 1):
                at = pos + j
                for v in _VOWELS:
                    out.append(key[:at] + v + key[at:])  # added
                if j < len(word) and word[j] in _VOWELS:
                    out.append(key[:at] + key[at + 1:])  # dropped
                    out.extend(key[:at] + v + key[at + 1:] for v in _VOWELS if v != word[j])  # swapped
        pos += len(word) + 1
    return [v for v in dict.fromkeys(out) if v != key]


def reach_km(rec: Record) -> float:
    """How far from its point a town or region still counts as itself (bigger towns reach further)."""
    if rec.feature in ("region", "area", "plain", "desert"):
        return 20.0
    return 4.0 + 3.0 * max(0.0, math.log10(max(rec.population, 1) / 10_000))


def default_precision(rec: Record) -> int:
    if rec.feature in ("country", "admin1", "admin2"):
        return 3
    if rec.feature in ("admin3", "region", "area", "plain", "desert", "mountain", "border"):
        return 2
    if rec.prec and rec.prec >= 3:  # UCDP itself only knew the place roughly
        return 2
    return 1


_FEATURE_WORDS = {
    "province": frozenset({"admin1"}), "governorate": frozenset({"admin1"}),
    "state": frozenset({"admin1"}), "oblast": frozenset({"admin1"}), "region": frozenset({"admin1", "region"}),
    "prefecture": frozenset({"admin1"}), "district": frozenset({"admin2", "admin3", "neighbourhood", "district"}),
    "sub district": frozenset({"admin3"}), "subdistrict": frozenset({"admin3"}), "county": frozenset({"admin2"}),
    "parish": frozenset({"admin2"}),
    "city": frozenset({"town", "admin1"}), "town": frozenset({"town"}),
    "village": frozenset({"village", "town"}),
    "neighbourhood": frozenset({"neighbourhood", "suburb"}), "neighborhood": frozenset({"neighbourhood", "suburb"}),
    "quarter": frozenset({"neighbourhood", "suburb"}),
}
_FEATURE_WORD_RE = re.compile(r"^(.*?\S)[\s-]+(" + "|".join(sorted(_FEATURE_WORDS, key=len, reverse=True))
                              + r")$", re.IGNORECASE)


def split_feature_word(name: str) -> tuple[str, frozenset[str] | None]:
    """'Borno state' -> ('Borno', {'admin1'}); names without such a word come back unchanged."""
    m = _FEATURE_WORD_RE.match(name.strip())
    if not m:
        return name, None
    return m.group(1), _FEATURE_WORDS[m.group(2).lower().replace("-", " ")]
