"""The actor knowledge base: named actors, generic agent templates, nationality words.

Everything curated lives in ``warmonitor/data/actors/*.json``; this module only loads and
indexes it. Three tiers of named actors, in the same file format:
- user files (``extra_files``): replace bundled actors of the same name, win on shared aliases;
- ``actors.json``: hand-curated;
- ``derived_actors.json``: built by scripts/build_actors.py from UCDP/Phoenix/re3d. It only fills
  gaps: an alias that also names a user or curated actor never resolves to a derived one.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from warmonitor.model import Actor

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "actors"
DERIVED_FILE = DATA_DIR / "derived_actors.json"
CURATED, DERIVED = "curated", "derived"
KINDS = ("armed", "state", "observer", "political", "civilian")
_COUNTRY_SLOT = "{country}"


class ActorDataError(ValueError):
    """An actors data file is missing, not JSON, or has a malformed entry (one-line message)."""


@dataclass(frozen=True)
class ActorRecord:
    """One actor as the knowledge base knows it (richer than ``model.Actor``)."""

    name: str
    kind: str = "armed"
    inter: int | None = None
    countries: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    years: tuple[int | None, int | None] | None = None
    successor: str | None = None  # the name the group took after `years` ended
    descriptors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # e.g. "jihadist": lets "the jihadists" point back to it
    case_sensitive: tuple[str, ...] = ()  # aliases matched only as written ("Observatory")

    def active_in(self, year: int | None) -> bool:
        if year is None or self.years is None:
            return True
        start, end = self.years
        return (start is None or year >= start) and (end is None or year <= end)

    def to_actor(self, country: str | None = None) -> Actor:
        home = country or (self.countries[0] if len(self.countries) == 1 else None)
        return Actor(name=self.name, inter=self.inter, country=home, id=slug(self.name),
                     parent=self.parent, aliases=list(self.aliases))


@dataclass(frozen=True)
class GenericTemplate:
    """Agent words ("soldiers", "gunmen") standing for a country-bound actor template."""

    template: str  # "Military Forces of {country}"
    inter: int
    kind: str
    words: tuple[str, ...]
    needs_nationality: frozenset[str] = frozenset()  # words that count only after "Syrian", "US", ...

    def name_for(self, country: str | None) -> str:
        if country:
            return self.template.replace(_COUNTRY_SLOT, country)
        # No country known: drop the slot and its glue ("Rebel Groups", "Military Forces").
        return re.sub(r"\s*(?:of\s+)?\(?\{country\}\)?", "", self.template).strip()

    def country_of(self, name: str) -> str | None | bool:
        """The country if `name` was made from this template, None for the country-less form, else False."""
        if name == self.name_for(None):
            return None
        head, _, tail = self.template.partition(_COUNTRY_SLOT)
        if name.startswith(head) and name.endswith(tail) and len(name) > len(head) + len(tail):
            return name[len(head):len(name) - len(tail)]
        return False


@dataclass(frozen=True)
class CorefRules:
    determiners: frozenset[str]
    heads: frozenset[str]
    tag_words: dict[str, frozenset[str]]
    tag_implies: dict[str, tuple[str, ...]]
    max_sentences_back: int = 5


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def alias_key(text: str) -> str:
    """Case- and punctuation-insensitive key: "Hay’at Tahrir al-Sham" == "hay'at tahrir al sham"."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"[\s\-\u2013\u2014]+", " ", text.casefold())
    return text.strip()


def is_case_sensitive(alias: str, record: ActorRecord) -> bool:
    """Short all-caps abbreviations ("IS", "SDF", "AP") only match as written, as do listed aliases."""
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return alias in record.case_sensitive or (letters.isupper() and len(letters) <= 6 and " " not in alias)


class ActorKB:
    """Named actors indexed by alias, plus the generic templates and nationality words."""

    def __init__(self, records: Sequence[ActorRecord], templates: Sequence[GenericTemplate],
                 demonyms: dict[str, str], coref: CorefRules, member_nouns: frozenset[str],
                 user_records: Sequence[ActorRecord] = (), derived_records: Sequence[ActorRecord] = (),
                 user_origins: Sequence[str] = ()):
        self.templates = tuple(templates)
        self.demonyms = dict(demonyms)
        self.coref = coref
        self.member_nouns = member_nouns
        # A user record replaces a bundled one of the same name; a curated one replaces a derived one.
        self._records: dict[str, ActorRecord] = {r.name: r for r in (*derived_records, *records, *user_records)}
        # Where each record came from; user records name their file when load() knows it.
        user_paths = [*user_origins, *[""] * (len(user_records) - len(user_origins))]
        self._origin: dict[str, str] = {r.name: DERIVED for r in derived_records}
        self._origin.update({r.name: CURATED for r in records})
        self._origin.update({r.name: f"user:{p}" if p else "user" for r, p in zip(user_records, user_paths)})
        # Countries a template name may carry ("Government of Atlantis" is no actor).
        self.countries = frozenset(self.demonyms.values()) | {
            c for r in self._records.values() for c in r.countries}
        self._folded: dict[str, list[str]] = {}  # alias_key -> names, preferred first
        self._exact: dict[str, list[str]] = {}  # case-sensitive alias -> names
        self._descriptors: dict[str, list[str]] = {}
        # User records are indexed first so they win ties on a shared alias; then curated, then
        # derived, each in file order.
        for rec in (*user_records, *records, *derived_records):
            if self._records[rec.name] is not rec:
                continue
            for alias in (rec.name, *rec.aliases):
                sensitive = is_case_sensitive(alias, rec)
                index = self._exact if sensitive else self._folded
                names = index.setdefault(alias if sensitive else alias_key(alias), [])
                if rec.name not in names:
                    names.append(rec.name)
            for phrase in rec.descriptors:
                self._descriptors.setdefault(alias_key(phrase), []).append(rec.name)

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def load(cls, extra_files: Sequence[Path] = (), derived_file: Path | None = DERIVED_FILE) -> "ActorKB":
        """The bundled knowledge base, plus user actor files in the format of ``actors.json``.

        ``derived_file`` is the lowest tier (skipped when None or absent: curated actors only).
        """
        records = _read_actor_file(DATA_DIR / "actors.json")
        derived = _read_actor_file(Path(derived_file)) if derived_file and Path(derived_file).exists() else []
        user_files = [(Path(path), _read_actor_file(Path(path))) for path in extra_files]
        user_records = [r for _, recs in user_files for r in recs]
        user_origins = [str(path) for path, recs in user_files for _ in recs]
        generic = _read_json(DATA_DIR / "generic_agents.json")
        templates = [
            GenericTemplate(
                template=t["template"], inter=int(t["inter"]), kind=t["kind"],
                words=tuple(dict.fromkeys([*t["words"], *t.get("needs_nationality", [])])),
                needs_nationality=frozenset(t.get("needs_nationality", [])),
            )
            for t in generic["templates"]
        ]
        demonyms = _read_json(DATA_DIR / "demonyms.json")["demonyms"]
        c = _read_json(DATA_DIR / "coreference.json")
        coref = CorefRules(
            determiners=frozenset(c["determiners"]), heads=frozenset(c["heads"]),
            tag_words={tag: frozenset(w.lower() for w in words) for tag, words in c["tag_words"].items()},
            tag_implies={tag: tuple(v) for tag, v in c.get("tag_implies", {}).items()},
            max_sentences_back=int(c.get("max_sentences_back", 5)),
        )
        return cls(records, templates, demonyms, coref, frozenset(generic.get("member_nouns", [])),
                   user_records=user_records, derived_records=derived, user_origins=user_origins)

    # -- queries -------------------------------------------------------------------------------
    def record(self, name: str) -> ActorRecord | None:
        """The full record of a canonical name, including names made from generic templates."""
        if name in self._records:
            return self._records[name]
        for t in self.templates:
            country = t.country_of(name)
            if country is not False and (country is None or country in self.countries):
                return ActorRecord(name=name, kind=t.kind, inter=t.inter,
                                   countries=(country,) if country else ())
        return None

    def get(self, name: str) -> Actor | None:
        rec = self.record(name)
        return rec.to_actor() if rec else None

    def records(self) -> list[ActorRecord]:
        return list(self._records.values())

    def origin(self, name: str) -> str | None:
        """Which tier a named actor came from: "user:PATH", "curated" or "derived" (None if unknown)."""
        return self._origin.get(name)

    def lookup(self, text: str, year: int | None = None, country: str | None = None) -> Actor | None:
        """The actor a name, alias or descriptor phrase stands for, or None (never a guess)."""
        rec = self.lookup_record(text, year, country)
        return rec.to_actor() if rec else None

    def lookup_record(self, text: str, year: int | None = None,
                      country: str | None = None) -> ActorRecord | None:
        text = " ".join(str(text).split())
        if text.lower().startswith("the "):
            text = text[4:]
        names = self._exact.get(text) or self._folded.get(alias_key(text)) \
            or self._descriptors.get(alias_key(text))
        if not names:
            return self.record(text)  # a canonical name made from a template ("Government of Turkey")
        return self.choose(names, year, country)

    def candidates(self, alias: str, case_sensitive: bool) -> list[str]:
        return (self._exact if case_sensitive else self._folded).get(
            alias if case_sensitive else alias_key(alias), [])

    def descriptor_candidates(self, phrase: str) -> list[str]:
        return self._descriptors.get(alias_key(phrase), [])

    def choose(self, names: Sequence[str], year: int | None, country: str | None) -> ActorRecord | None:
        """Pick among actors sharing an alias: active that year, then present in the focus country.

        A name whose years are over is followed to its successor ("Nusra Front" in 2018 is
        Hayat Tahrir al-Sham). Ties keep the index order (user files first, then file order).
        """
        best: tuple[int, int] | None = None
        chosen: ActorRecord | None = None
        for name in names:
            rec = self._follow_successors(self._records[name], year)
            score = (int(rec.active_in(year)), int(country is not None and country in rec.countries))
            if best is None or score > best:
                best, chosen = score, rec
        return chosen

    def _follow_successors(self, rec: ActorRecord, year: int | None) -> ActorRecord:
        seen = {rec.name}
        while (year is not None and rec.years and rec.years[1] is not None and year > rec.years[1]
               and rec.successor in self._records and rec.successor not in seen):
            rec = self._records[rec.successor]
            seen.add(rec.name)
        return rec

    def country_actor(self, template: str, country: str | None) -> Actor:
        """"Military Forces of {country}" + "Syria" -> Military Forces of Syria (inter from the template)."""
        for t in self.templates:
            if t.template == template:
                name = t.name_for(country)
                return Actor(name=name, inter=t.inter, country=country, id=slug(name))
        raise KeyError(f"unknown generic actor template: {template!r}")

    def template(self, template: str) -> GenericTemplate | None:
        return next((t for t in self.templates if t.template == template), None)


# -- file reading --------------------------------------------------------------------------------
def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ActorDataError(f"actors file not found: {path}") from None
    except json.JSONDecodeError as e:
        raise ActorDataError(f"{path}: not valid JSON (line {e.lineno}: {e.msg})") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ActorDataError(f"{path}: cannot read ({e})") from None


def _read_actor_file(path: Path) -> list[ActorRecord]:
    data = _read_json(path)
    entries = data.get("actors") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ActorDataError(f"{path}: expected a list of actors or an object with an 'actors' list")
    return [_parse_entry(e, path, i) for i, e in enumerate(entries, start=1)]


def _parse_entry(e: Any, path: Path, i: int) -> ActorRecord:
    where = f"{path}: actor #{i}"
    if not isinstance(e, dict) or not isinstance(e.get("name"), str) or not e["name"].strip():
        raise ActorDataError(f"{where}: needs a non-empty string 'name'")
    where += f" ({e['name']})"

    def strings(key: str) -> tuple[str, ...]:
        v = e.get(key, [])
        if not isinstance(v, list) or not all(isinstance(s, str) and s.strip() for s in v):
            raise ActorDataError(f"{where}: '{key}' must be a list of non-empty strings")
        return tuple(v)

    kind = e.get("kind", "armed")
    if kind not in KINDS:
        raise ActorDataError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    inter = e.get("inter")
    if inter is not None and (not isinstance(inter, int) or not 1 <= inter <= 8):
        raise ActorDataError(f"{where}: 'inter' must be an ACLED inter code 1-8")
    years = e.get("years")
    if years is not None:
        if (not isinstance(years, list) or len(years) != 2
                or not all(y is None or isinstance(y, int) for y in years)):
            raise ActorDataError(f"{where}: 'years' must be [from, to] (years or null)")
        years = (years[0], years[1])
    for key in ("parent", "successor"):
        if e.get(key) is not None and not isinstance(e[key], str):
            raise ActorDataError(f"{where}: '{key}' must be a string")
    return ActorRecord(
        name=e["name"].strip(), kind=kind, inter=inter, countries=strings("countries"),
        aliases=strings("aliases"), parent=e.get("parent"), years=years, successor=e.get("successor"),
        descriptors=strings("descriptors"), tags=strings("tags"), case_sensitive=strings("case_sensitive"),
    )
