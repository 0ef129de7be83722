"""Derive the actor knowledge base's lower tier, and review aids for curators, from the shared sources.

Sources (all under ../shared/data/):
  actors/ucdp-actor-221.csv            UCDP Actor Dataset v22.1, Uppsala Conflict Data Program, CC BY 4.0
  actors/petrarch2_phoenix/Phoenix.MilNonState.actors.txt, Phoenix.International.actors.txt
                                       PETRARCH2/Phoenix actor dictionaries, (c) 2014 Open Event Data, MIT:
                                       extra spellings of groups UCDP lists; Phoenix.Countries.actors.txt only
                                       to learn which names are people (rejected as aliases)
  dev/re3d/<folder>/entities.json, relations.json
                                       re3d (Dstl): IsSynonymOf pairs of Organisation names, from the folders in
                                       RE3D_FOLDERS (the BBC folder, CC BY-NC, is not read)
  dev/geoparse/lgl.jsonl, dev/fakes_dev.csv
                                       ordinary news English, read only to count which words are common
                                       lower-case words; no text is kept
  actors/ged_syria_actor_names.csv     UCDP GED Syria side names, for the coverage figures printed
Also scripts/ucdp_country_names.json (UCDP location names -> warmonitor country names).

Outputs (warmonitor/data/actors/):
  derived_actors.json         non-state armed groups from UCDP that the curated actors.json lacks, in the
                              format of actors.json; loaded by ActorKB as its lowest tier
  ucdp_alias_candidates.json  UCDP names of curated actors that actors.json does not list (review aid, not loaded)
  re3d_alias_candidates.json  re3d synonyms of curated actors that actors.json does not list (review aid, not loaded)

The UCDP actor list gives no years. "Active since 2000" is read from its ID series: a dyad, conflict or
non-state conflict ID of 10000 or more, a one-sided violence ID equal to the actor's own ID (both schemes
UCDP uses for what it coded in the 2000s and later), or an actor ID of 1100 or more. UCDP's name histories
carry no dates either, so former names become plain aliases (no years/successor).

Run: .venv/bin/python scripts/build_actors.py [--shared PATH]
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from warmonitor.resolve.actor_kb import DATA_DIR, DERIVED_FILE, ActorKB, alias_key
from warmonitor.resolve.gazetteer import Gazetteer, fold

NAME_COLUMNS = ("NameData", "NameOrig", "NameOrigFull", "NameOrigFullEng")
LIST_COLUMNS = ("NewName", "NewNameFullMotherTongue", "NewNameFullEng")  # comma-separated name history
COUNTRY_NAMES = Path(__file__).resolve().parent / "ucdp_country_names.json"
# re3d folders whose annotations we read, with their licences (see their LICENSE files).
RE3D_FOLDERS = {
    "Australian Department of Foreign Affairs": "CC BY 3.0 AU",
    "CENTCOM": "public domain",
    "Delegation of the European Union to Syria": "EEAS legal notice (reuse with attribution)",
    "UK Government": "Open Government Licence v3.0",
    "US State Department": "public domain",
    "Wikipedia": "CC BY-SA 3.0",
}
RECENT_ID = 10000  # UCDP's current ID series
RECENT_ACTOR_ID = 1100
PLACE_POPULATION = 5_000  # a town this big that bears a group's one-word name makes the name unsafe
# Words that carry no identity in a group name ("Army of the ...").
NUMBERED_UNIT = re.compile(r"^\d+(?:st|nd|rd|th)?\s+\w+(?:\s+\w+)?$", re.I)  # "23rd Division", "101st Infantry Division"
GLUE_WORDS = frozenset("the of and for in on at to a an al el de del la le les du des wa wal y e et".split())
# Names made from a generic head: the group is a person's faction, a crowd or a state side.
GENERIC_NAME = re.compile(
    r"^(?:the\s+)?(?:government|military\s+forces|police\s+forces|forces|supporters|opponents|"
    r"faction|followers|militia|militias)\s+of\b|^military\s+faction\b|\(forces of\b", re.I)


# -- reading the sources --------------------------------------------------------------------------
def clean(name: str) -> str:
    name = name.replace("\u2019", "'").replace("\u00b4", "'").strip().strip("'\"").strip()
    return " ".join(name.split())


def ucdp_names(row: dict[str, str]) -> list[str]:
    names = [row[c] for c in NAME_COLUMNS]
    for c in LIST_COLUMNS:
        names += row[c].split(", ")
    cleaned = [clean(n) for n in names]
    return list(dict.fromkeys(n for n in cleaned if n and n.lower() != "n/a"))


def read_ucdp(ucdp_csv: Path) -> list[dict[str, str]]:
    with ucdp_csv.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _ids(text: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", text)]


def is_recent(row: dict[str, str], seen_recently: set[str] = frozenset()) -> bool:
    """Evidence of activity since 2000: UCDP's current ID series, or a side in GED Syria 2016-2019."""
    actor_id = int(row["ActorId"])
    return (clean(row["NameData"]) in seen_recently or any(i >= RECENT_ID for c in ("ConflictId", "DyadId", "NSID", "OSID") for i in _ids(row[c]))
            or actor_id in _ids(row["OSID"]) or actor_id >= RECENT_ACTOR_ID)


def countries_of(row: dict[str, str], renames: dict[str, str]) -> list[str]:
    out = []
    for place in row["Location"].split(", "):
        place = re.sub(r"\s*\(.*?\)\s*", "", place).strip()
        if place:
            out.append(renames.get(place, place))
    return list(dict.fromkeys(out))


def phoenix_blocks(path: Path) -> list[tuple[list[str], list[str], bool]]:
    """Each actor entry: (phrases, codes, has_date_restrictions). Phrases keep Phoenix's upper case."""
    blocks: list[tuple[list[str], list[str], bool]] = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#")[0].split(";")[0].rstrip()
        if not line.strip():
            continue
        codes = re.findall(r"\[([^\]\s]+)", line)
        if raw[:1] in ("\t", " "):
            if blocks:
                blocks[-1][1].extend(codes)
                if re.search(r"\[\S+\s+[<>]?\d", line):
                    blocks[-1] = (blocks[-1][0], blocks[-1][1], True)
            continue
        phrase = re.sub(r"\[.*", "", line).strip()
        if phrase.startswith("+"):
            if blocks:
                blocks[-1][0].append(phrase[1:].strip())
        else:
            blocks.append(([phrase], codes, False))
    return blocks


def phoenix_display(phrase: str) -> list[str]:
    """"ISLAMIC_ARMY_OF_ADEN_(IAA)_" -> ["Islamic Army of Aden", "IAA"]."""
    phrase = phrase.replace("_", " ")
    inner = [a.strip() for a in re.findall(r"\(([^)]*)\)", phrase) if a.strip()]
    base = " ".join(re.sub(r"\([^)]*\)", " ", phrase).split()).strip(" -")
    base = re.sub(r"^the\s+", "", base, flags=re.I)

    def word(w: str) -> str:
        low = w.lower()
        if low in GLUE_WORDS:
            return low
        return re.sub(r"(^|[-/])([a-z])", lambda m: m.group(1) + m.group(2).upper(), low)

    def title(text: str) -> str:
        return " ".join(word(w) for w in text.split())

    # A bracketed single token is an abbreviation (kept in capitals); longer brackets are names.
    return ([title(base)] if base else []) + [a if " " not in a else title(a) for a in inner]


def re3d_pairs(re3d_dir: Path) -> list[tuple[str, str]]:
    pairs = []
    for folder in RE3D_FOLDERS:
        d = re3d_dir / folder
        if not (d / "relations.json").exists():
            continue
        types = {}
        for line in (d / "entities.json").read_text(encoding="utf-8").split("\n"):
            if line.strip():
                e = json.loads(line)
                types[(e["documentId"], e["begin"], e["end"])] = e["type"]
        for line in (d / "relations.json").read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                continue
            r = json.loads(line)
            if r["type"] != "IsSynonymOf":
                continue
            doc = r["documentId"]
            if (types.get((doc, r["sourceBegin"], r["sourceEnd"])) == "Organisation"
                    and types.get((doc, r["targetBegin"], r["targetEnd"])) == "Organisation"):
                pairs.append(tuple(re.sub(r"^the\s+", "", clean(r[k]), flags=re.I) for k in ("source", "target")))
    return sorted(set(pairs))


# -- which words are ordinary English --------------------------------------------------------------
@dataclass
class CommonWords:
    lower: Counter  # word -> times seen written in lower case
    capital_mid: Counter  # word (lower-cased) -> times seen capitalised inside a sentence
    dictionary: frozenset[str]  # English lemmas (spaCy's lemmatizer index, WordNet-derived)

    def is_common(self, word: str) -> bool:
        w = word.lower().strip("'")
        if not w or w in GLUE_WORDS or self.lower[w] >= 2:
            return True
        singular = re.sub(r"(?<=[a-z])(?:es|s)$", "", w)
        in_dict = w in self.dictionary or singular in self.dictionary or w.rstrip("s") in self.dictionary
        # A dictionary word that news never writes as a name ("Spiders") is a common word here.
        return in_dict and self.capital_mid[w] < 2


def common_words(shared: Path) -> tuple[CommonWords, object]:
    """Counts of ordinary news English, and the spaCy pipeline (None if it cannot load)."""
    texts: list[str] = []
    lgl = shared / "data" / "dev" / "geoparse" / "lgl.jsonl"
    if lgl.exists():
        texts += [json.loads(line)["text"] for line in lgl.read_text(encoding="utf-8").split("\n") if line.strip()]
    fakes = shared / "data" / "dev" / "fakes_dev.csv"
    if fakes.exists():
        with fakes.open(encoding="utf-8", newline="") as f:
            texts += [row["article_content"] for row in csv.DictReader(f)]
    lower: Counter = Counter()
    capital_mid: Counter = Counter()
    for text in texts:
        lower.update(w for w in re.findall(r"\b[a-z][a-z'\-]*", text))
        capital_mid.update(m.lower() for m in re.findall(r"(?<=[a-z,] )[A-Z][a-z'\-]+", text))
    try:
        from warmonitor.nlp import load_nlp
        nlp = load_nlp()
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        dictionary = frozenset(w for pos in ("noun", "verb", "adj", "adv") for w in table.get(pos, []))
    except Exception as e:  # the dictionary and NER only sharpen the corpus counts
        print(f"build_actors: spaCy unavailable ({e}); using corpus counts only", file=sys.stderr)
        nlp, dictionary = None, frozenset()
    return CommonWords(lower, capital_mid, dictionary), nlp


def person_names(phoenix_dir: Path, common: CommonWords) -> set[str]:
    """Alias keys of people in the Phoenix country/international dictionaries.

    People are entries with dated roles whose words are all names: "Hamid Karzai", not the dated
    "Islamic Front" of some country, whose "front" is an ordinary word.
    """
    out: set[str] = set()
    for name in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt"):
        path = phoenix_dir / name
        if not path.exists():
            continue
        for phrases, codes, dated in phoenix_blocks(path):
            if not (dated and codes and all(len(c) > 3 for c in codes)):
                continue
            for p in phrases:
                display = phoenix_display(p)[:1]
                words = display[0].split() if display else []
                if len(words) >= 2 and not any(common.is_common(w) for w in words):
                    out.add(alias_key(display[0]))
    return out


# -- the safety rules -----------------------------------------------------------------------------
@dataclass
class Rules:
    common: CommonWords
    people: set[str]
    agent_words: frozenset[str]
    curated_keys: dict[str, list[str]]  # alias key of every curated name and alias -> actors
    name_parts: frozenset[str] = frozenset()  # words found in several UCDP multi-word names
    entities: dict[str, str] = field(default_factory=dict)  # alias -> person/place/nationality ("" none)
    nlp: object = None  # spaCy English pipeline, for entity_type
    places: object = None  # the bundled Gazetteer: a group name that is also a town's ("Al-Khobar") is unsafe

    def problem(self, alias: str, check_entities: bool = True) -> str | None:
        """Why an alias would make false matches, or None if it is safe.

        ``check_entities`` asks spaCy whether the alias is a person, place or nationality; its small
        model reads many Arabic group names as people, so UCDP's multi-word group names skip it.
        """
        letters = re.sub(r"[^A-Za-z]", "", alias)
        words = alias.replace("-", " ").split()
        if not letters:
            return "no letters"
        if GENERIC_NAME.search(alias):
            return "generic phrase (Government/Forces/Supporters of ...)"
        if len(alias) <= 3 and not letters.isupper():
            return "3 characters or fewer, not all-caps"
        if alias_key(alias) in self.people:
            return "person name"
        last = words[-1].lower()
        if last in self.agent_words and re.search(r"(?:s|men)$", last) and len(words) <= 2:
            return "generic agent phrase (\"Syrian insurgents\")"
        if NUMBERED_UNIT.search(alias):
            return "numbered military unit (any army has one)"
        content = [w for w in words if w.lower() not in GLUE_WORDS]
        if len(content) <= 1 and (not content or (self.common.is_common(content[0]) and not letters.isupper())):
            return "common word"
        if len(content) == 2 and all(self.common.is_common(w) for w in content) and not letters.isupper():
            return "two ordinary words (\"Red Command\", \"Security Group\")"
        if len(content) == 1 and content[0].lower() in self.name_parts:
            return "word shared by several group names (\"Jama'at\")"
        if self.is_place_name(alias):
            return "names a town, region or country in the gazetteer"
        if check_entities and self.entity_type(alias):
            return f"names a {self.entity_type(alias)}, not a group (spaCy NER)"
        return None

    def is_place_name(self, alias: str) -> bool:
        """A one-word name (or two words with a hyphen or "al") that the gazetteer holds as a place of some size,
        under that very name: a story about the place would otherwise name the group."""
        if self.places is None or len(alias.replace("-", " ").split()) > 2 or _is_short_abbreviation(alias):
            return False
        folded = fold(alias)
        return any(fold(rec.name) == folded and (rec.feature in ("country", "admin1", "admin2")
                                                 or (rec.population or 0) >= PLACE_POPULATION)
                   for _, rec in self.places.candidates(alias))

    def entity_type(self, alias: str) -> str | None:
        """"person"/"place"/"nationality" when spaCy reads the whole alias as one such name."""
        letters = re.sub(r"[^A-Za-z]", "", alias)
        if self.nlp is None or letters.isupper() or len(alias.split()) > 4:
            return None
        if alias not in self.entities:
            ents = self.nlp(alias).ents
            label = ents[0].label_ if len(ents) == 1 and ents[0].text == alias else ""
            self.entities[alias] = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place",
                                    "NORP": "nationality", "LANGUAGE": "nationality"}.get(label, "")
        return self.entities[alias] or None

    def case_sensitive(self, alias: str) -> bool:
        """Derived aliases made only of ordinary words match only as written ("Popular Front")."""
        words = [w for w in alias.replace("-", " ").split() if w.lower() not in GLUE_WORDS]
        return len(words) <= 1 or all(self.common.is_common(w) for w in words)

    def curated_owner(self, alias: str) -> list[str]:
        """Curated actors with this name or alias, ignoring case: any such clash is the curated actor's."""
        return self.curated_keys.get(alias_key(alias), [])


# -- deriving -------------------------------------------------------------------------------------
@dataclass
class Draft:
    ucdp_id: int
    name: str
    inter: int
    countries: list[str]
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> source ("UCDP", "Phoenix", "re3d")
    parent_ids: list[int] = field(default_factory=list)
    parent: str | None = None
    _keys: set[str] = field(default_factory=set)

    def add(self, alias: str, source: str) -> None:
        """Keep the first spelling of each alias key ("PFLP-GC" before Phoenix's "Pflp-Gc")."""
        if alias_key(alias) not in self._keys:
            self._keys.add(alias_key(alias))
            self.aliases[alias] = source


def _is_short_abbreviation(name: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", name)
    return letters.isupper() and len(letters) <= 6 and " " not in name


def _is_abbreviation(name: str) -> bool:
    return not re.search(r"[a-z]", name)


def canonical_name(row: dict[str, str]) -> str:
    """UCDP's data name, unless it is an abbreviation: then its current full English name."""
    data = clean(row["NameData"])
    if not _is_abbreviation(data):
        return data
    history = [clean(n) for n in row["NewNameFullEng"].split(", ") if clean(n)] if row["NameChange"] == "1" else []
    english = history[-1] if history else clean(row["NameOrigFullEng"])
    return english if english and english.lower() != "n/a" and not _is_abbreviation(english) else data


def split_names(name: str) -> list[str]:
    """"Aaro Aaro (Abu Mansur)" -> ["Aaro Aaro", "Abu Mansur"]; drops a leading "The"."""
    # A bracketed single word is a qualifier ("(CAR)", "(Mali)", "(Zemio)"), not another name.
    parts = [name] if "(" not in name else [re.sub(r"\([^)]*\)", " ", name),
                                             *[p for p in re.findall(r"\(([^)]*)\)", name) if len(p.split()) > 1]]
    out = []
    for p in parts:
        p = clean(p)
        p = re.sub(r"^the\s+", "", p, flags=re.I)
        if p:
            out.append(p)
    return out


@dataclass
class Derivation:
    records: list[dict]  # in the format of actors.json, sorted by name
    skipped: Counter  # UCDP rows not derived, by reason
    dropped: Counter  # aliases dropped, by reason
    phoenix_matched: int  # Phoenix entries whose spellings went to a derived actor
    re3d_candidates: list[tuple[str, str]]  # (curated actor, re3d synonym it lacks)
    re3d_pairs: int = 0  # Organisation IsSynonymOf pairs read


def derive_actors(shared: Path, curated: ActorKB, rules: Rules) -> Derivation:
    """Derived records for the UCDP non-state groups active since 2000 that curated lacks."""
    src = shared / "data" / "actors"
    renames = json.loads(COUNTRY_NAMES.read_text(encoding="utf-8"))["names"]
    skipped: Counter = Counter()
    dropped: Counter = Counter()
    drafts: list[Draft] = []
    curated_of_ucdp: dict[int, str] = {}
    rows = read_ucdp(src / "ucdp-actor-221.csv")
    ged_names = set(ged_side_names(src / "ged_syria_actor_names.csv"))
    ns_groups = {int(r["ActorId"]) for r in rows if r["ConflictId"].strip()}  # fight states

    for row in rows:
        actor_id = int(row["ActorId"])
        if row["Org"] == "4":
            skipped["government (ACLED 'Military Forces of X' comes from the generic templates)"] += 1
            continue
        countries = countries_of(row, renames)
        names = [n for raw in ucdp_names(row) for n in split_names(raw)]
        bracketed = {n for raw in ucdp_names(row) for n in split_names(raw)[1:]}
        # A shared name means the curated actor, except a short abbreviation of a group elsewhere.
        same = sorted({o for n in names for o in rules.curated_owner(n)
                       if not _is_short_abbreviation(n) or not curated.record(o).countries
                       or set(curated.record(o).countries) & set(countries)})
        if same:
            curated_of_ucdp[actor_id] = sorted(same)[0]
            skipped["same group as a curated actor (curated wins)"] += 1
            continue
        if row["Org"] in ("2", "3"):
            skipped["informal or identity group (UCDP org 2/3: party supporters, ethnic groups, clans)"] += 1
            continue
        if not is_recent(row, ged_names):
            skipped["no sign of activity since 2000 in UCDP's ID series"] += 1
            continue
        name = canonical_name(row)
        why = rules.problem(name, check_entities=len(name.split()) == 1)
        if why:
            skipped[f"unsafe canonical name: {why}"] += 1
            continue
        alliance_ids = _ids(row["ActorIdAlliance"])
        fights_state = bool(row["ConflictId"].strip()) or any(i in ns_groups for i in alliance_ids)
        draft = Draft(actor_id, name, 2 if fights_state else 3, countries, parent_ids=alliance_ids)
        for n in names:
            draft.add(n, "UCDP bracket" if n in bracketed else "UCDP")
        drafts.append(draft)

    # Canonical names shared by several UCDP actors get their country, ACLED style.
    by_name = Counter(d.name for d in drafts)
    for d in drafts:
        if by_name[d.name] > 1 and d.countries:
            d.name = f"{d.name} ({d.countries[0]})"

    index: dict[str, set[int]] = defaultdict(set)  # alias key -> drafts (as UCDP ids)
    for d in drafts:
        for a in (d.name, *d.aliases):
            index[alias_key(a)].add(d.ucdp_id)
    by_id = {d.ucdp_id: d for d in drafts}

    # Phoenix: other spellings of a group that UCDP lists under one of the same names.
    phoenix_dir = src / "petrarch2_phoenix"
    phoenix_hits = 0
    for fname in ("Phoenix.MilNonState.actors.txt", "Phoenix.International.actors.txt"):
        path = phoenix_dir / fname
        if not path.exists():
            continue
        for phrases, codes, _ in phoenix_blocks(path):
            if fname.startswith("Phoenix.International") and not any("IMG" in c or "REB" in c for c in codes):
                continue  # governments' and NGOs' entries
            forms = [f for p in phrases for f in phoenix_display(p)]
            hits = {i for f in forms for i in index.get(alias_key(f), ())}
            if len(hits) == 1:
                phoenix_hits += 1
                target = by_id[hits.pop()]
                for f in forms:
                    target.add(f, "Phoenix")
            elif len(hits) > 1:
                dropped["Phoenix entry naming several UCDP actors (all its forms)"] += len(forms)

    # re3d: a synonym of a derived actor becomes its alias; of a curated actor, a review candidate.
    re3d_candidates = []
    pairs = re3d_pairs(shared / "data" / "dev" / "re3d")
    for a, b in pairs:
        for known, other in ((a, b), (b, a)):
            owners = rules.curated_owner(known)
            if owners and not rules.curated_owner(other):
                re3d_candidates.append((sorted(owners)[0], other))
            hits = index.get(alias_key(known), set())
            if len(hits) == 1:
                by_id[next(iter(hits))].add(other, "re3d")

    # Rebuild the index with everything added, then apply the safety rules alias by alias.
    index = defaultdict(set)
    for d in drafts:
        for a in (d.name, *d.aliases):
            index[alias_key(a)].add(d.ucdp_id)
    records = []
    for d in drafts:
        kept = []
        for alias, source in d.aliases.items():
            if alias_key(alias) == alias_key(d.name):
                continue
            why = rules.problem(alias, check_entities=source != "UCDP" or len(alias.split()) == 1)
            if why is None and rules.curated_owner(alias):
                why = "collides with a curated actor's name or alias (curated owns it)"
            if why is None and len(index[alias_key(alias)]) > 1:
                why = "shared by several UCDP actors"
            if why:
                dropped[why] += 1
            else:
                kept.append(alias)
        rec: dict = {"name": d.name, "kind": "armed", "inter": d.inter, "countries": d.countries,
                     "aliases": sorted(set(kept), key=lambda s: (s.casefold(), s))}
        parent = next((by_id[i].name if i in by_id else curated_of_ucdp[i] for i in d.parent_ids
                       if (i in by_id or i in curated_of_ucdp) and i != d.ucdp_id), None)
        if parent:
            rec["parent"] = parent
        sensitive = [a for a in (d.name, *rec["aliases"]) if rules.case_sensitive(a)]
        if sensitive:
            rec["case_sensitive"] = sensitive
        sources = sorted({"UCDP", *(d.aliases[a].split()[0] for a in kept)})
        rec["source"] = f"UCDP actor {d.ucdp_id}" + "".join(f"; {s}" for s in sources if s != "UCDP")
        records.append(rec)
    records.sort(key=lambda r: (r["name"].casefold(), r["name"]))
    return Derivation(records, skipped, dropped, phoenix_hits, sorted(set(re3d_candidates)), len(pairs))


def make_rules(shared: Path, curated: ActorKB) -> Rules:
    generic = json.loads((DATA_DIR / "generic_agents.json").read_text(encoding="utf-8"))
    agent_words = frozenset(w.lower() for t in generic["templates"] for w in t["words"] if " " not in w)
    folded: dict[str, list[str]] = {}
    for rec in curated.records():
        for alias in (rec.name, *rec.aliases):
            folded.setdefault(alias_key(alias), []).append(rec.name)
    rows = read_ucdp(shared / "data" / "actors" / "ucdp-actor-221.csv")
    rows_with: Counter = Counter()
    for row in rows:
        rows_with.update({w.lower() for n in ucdp_names(row) if len(n.split()) > 1 for w in n.split()})
    name_parts = frozenset(w for w, n in rows_with.items() if n >= 3 and w not in GLUE_WORDS)
    common, nlp = common_words(shared)
    return Rules(common, person_names(shared / "data" / "actors" / "petrarch2_phoenix", common),
                 agent_words, folded, name_parts, nlp=nlp, places=Gazetteer.load(extra=[]))


def write_derived(records: list[dict], target: Path) -> None:
    about = ("Non-state armed groups derived by scripts/build_actors.py from the UCDP Actor Dataset v22.1 "
             "(CC BY 4.0), with spellings from the PETRARCH2/Phoenix dictionaries (MIT) and re3d synonyms; "
             "groups the hand-curated actors.json already has are left out. Loaded as the lowest tier: "
             "actors.json and user files win. See PROVENANCE.md. Do not edit: rebuild.")
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    target.write_text(json.dumps({"about": about}, ensure_ascii=False)[:-1] + ', "actors": [\n'
                      + ",\n".join(lines) + "\n]}\n", encoding="utf-8")


# -- review aid and coverage (as before) ----------------------------------------------------------
def derive(kb: ActorKB, ucdp_csv: Path) -> dict[str, dict]:
    keys_of = {rec.name: {alias_key(a) for a in (rec.name, *rec.aliases)} for rec in kb.records()}
    out: dict[str, dict] = {}
    for row in read_ucdp(ucdp_csv):
        names = ucdp_names(row)
        row_keys = {alias_key(n) for n in names}
        for rec_name, keys in keys_of.items():
            if not keys & row_keys:
                continue
            new = [n for n in names if alias_key(n) not in keys]
            entry = out.setdefault(rec_name, {"ucdp_actor_ids": [], "candidates": []})
            entry["ucdp_actor_ids"].append(int(row["ActorId"]))
            entry["candidates"] = list(dict.fromkeys(entry["candidates"] + new))
    return dict(sorted(out.items()))


def ged_side_names(ged_csv: Path) -> dict[str, int]:
    """UCDP GED Syria (2016-2019) side names -> number of event sides."""
    if not ged_csv.exists():
        return {}
    with ged_csv.open(encoding="utf-8-sig", newline="") as f:
        return {clean(row["ged_actor_name"]): int(row["n_event_sides"]) for row in csv.DictReader(f)}


def ged_coverage(kb: ActorKB, ged_csv: Path) -> tuple[int, int, list[str]]:
    resolved = total = 0
    missing = []
    with ged_csv.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            n = int(row["n_event_sides"])
            total += n
            if kb.lookup(row["ged_actor_name"]) is not None:
                resolved += n
            else:
                missing.append(row["ged_actor_name"])
    return resolved, total, missing


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    args = ap.parse_args()
    src = args.shared / "data" / "actors"
    ucdp_csv = src / "ucdp-actor-221.csv"
    if not ucdp_csv.exists():
        print(f"build_actors: source not found: {ucdp_csv}", file=sys.stderr)
        return 1
    curated = ActorKB.load(derived_file=None)

    candidates = derive(curated, ucdp_csv)
    doc = {
        "about": "Alias candidates from the UCDP Actor Dataset v22.1 (CC BY 4.0) for curated actors; "
                 "not loaded by the resolver. Built by scripts/build_actors.py.",
        "actors": candidates,
    }
    target = DATA_DIR / "ucdp_alias_candidates.json"
    target.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target} ({len(candidates)} curated actors matched UCDP rows)")

    result = derive_actors(args.shared, curated, make_rules(args.shared, curated))
    records, skipped, dropped, re3d = result.records, result.skipped, result.dropped, result.re3d_candidates
    write_derived(records, DERIVED_FILE)
    n_aliases = sum(len(r["aliases"]) for r in records)
    print(f"wrote {DERIVED_FILE} ({len(records)} actors, {n_aliases} aliases, "
          f"{sum(len(r.get('case_sensitive', [])) for r in records)} names matched only as written)")
    print("UCDP rows not derived, by reason:")
    for why, n in sorted(skipped.items(), key=lambda x: -x[1]):
        print(f"  {n:5d}  {why}")
    print(f"Phoenix entries that added spellings to a derived actor: {result.phoenix_matched} "
          "(Phoenix-only groups are not added: its non-state dictionary carries no activity dates)")
    print("aliases dropped, by reason:")
    for why, n in sorted(dropped.items(), key=lambda x: -x[1]):
        print(f"  {n:5d}  {why}")

    re3d_doc = {
        "about": "Synonyms of curated actors found in re3d IsSynonymOf relations between Organisation names "
                 f"(folders: {', '.join(RE3D_FOLDERS)}; not the BBC folder) that actors.json does not list. "
                 "Not loaded by the resolver: a review aid. Built by scripts/build_actors.py.",
        "actors": {name: sorted({o for n, o in re3d if n == name}) for name in sorted({n for n, _ in re3d})},
    }
    re3d_target = DATA_DIR / "re3d_alias_candidates.json"
    re3d_target.write_text(json.dumps(re3d_doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {re3d_target} (from {result.re3d_pairs} re3d Organisation synonym pairs: {len(re3d)} candidate aliases for {len(re3d_doc['actors'])} curated actors)")

    ged_csv = src / "ged_syria_actor_names.csv"
    if ged_csv.exists():
        for label, kb in (("curated only", curated), ("curated + derived", ActorKB.load())):
            resolved, total, missing = ged_coverage(kb, ged_csv)
            print(f"GED Syria side names resolved ({label}): {resolved}/{total} event sides "
                  f"({100 * resolved / max(total, 1):.1f}%), {len(missing)} names unresolved: "
                  f"{', '.join(missing[:12])}, ...")
    return 0


if __name__ == "__main__":
    sys.exit(main())
