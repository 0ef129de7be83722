"""Finding toponym spans in a parsed article: spaCy entities plus a gazetteer phrase matcher.

This module only says *where* names are and what surrounds them; places.py decides what they refer to.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from warmonitor.nlp.docs import TokenTable, doc_text, sentences, token_table
from warmonitor.resolve.gazetteer import ABBREVIATED_WORDS, DATA_DIR, Gazetteer, fold, read_lines

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# A place name found inside one of these longer entities is part of a name, not a place ("Syrian Observatory").
NAME_LABELS = frozenset({"ORG", "PERSON", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"})
PLACE_OR_NAME_LABELS = PLACE_LABELS | NAME_LABELS
# Lower-case words allowed inside a multi-word place name.
CONNECTORS = frozenset("al el ad ed ar er as es az ez ash esh at an adh ath of de du la le des the bin ibn bani "
                       "abu um umm wadi tal tell jabal jebel ras ain deir dayr kafr kfar bab".split())
# Lower-case words that may open a gazetteer name ("eastern Ghouta", "rural Damascus").
LEADING = frozenset("eastern western northern southern rural upper lower greater".split())
# Words that may stand before a place name inside a longer place entity without making it another place's name
# ("North Texas", "Northeast Georgia", "South Los Angeles").
DIRECTIONS = LEADING | frozenset("north south east west northeast northwest southeast southwest central "
                                 "north-east north-west south-east south-west mid middle downtown".split())
MAX_WORDS = 6
POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019"})

# Kind words that make the capitalised name beside them a place, whatever spaCy thinks of it: "the town of
# Busra al-Harir" (spaCy: a person), "the Bab Touma district", "Yarmouk camp".
FRAME_BEFORE = re.compile(r"\b(?:town|city|village|district|neighbou?rhood|suburb|quarter|camp|province|governorate|"
                          r"region|state)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# A name followed by one of these is a street or a building, not the town it is named after ("Dublin Road").
STREET_AFTER = re.compile(r"^\s+(?:Road|Rd\.?|Street|St\.|Avenue|Ave\.?|Boulevard|Blvd\.?|Highway|Lane|Drive|Dr\.|"
                          r"Court|Ct\.|Parkway|Pkwy\.?|Place|Pl\.|Terrace|Way|Square|Hospital|School|College|"
                          r"University|Airport|Church|Mosque|Bridge|Hotel|Mall|Center|Centre|Stadium)\b")
# Words that may follow a place name inside a longer place entity without making it another place.
TRAILING_KIND = frozenset("province governorate city town village district county state region countryside "
                          "oblast suburb suburbs outskirts camp area neighbourhood neighborhood quarter parish valley metro".split())
# A plural kind word after a list of names makes each of them one of that kind ("Barrow, Jackson and Madison
# counties", "Idlib and Hama provinces").
PLURAL_KINDS = {"counties": "county", "provinces": "province", "governorates": "governorate", "states": "state",
                "districts": "district", "parishes": "parish", "regions": "region", "oblasts": "oblast"}
LIST_JOINERS = frozenset({",", "and", "or", "&"})
FRAME_AFTER = re.compile(r"^[\s-]+(?:district|neighbou?rhood|suburb|quarter|camp|town|village|area|province|"
                         r"governorate|region|state)\b", re.IGNORECASE)

DATELINE_RE = re.compile(
    r"(?m)^[ \t]*([A-Z][A-Z'.\-]+(?: [A-Z][A-Z'.\-]+){0,3})(?:, [A-Z][A-Za-z.' ]{1,30}?)?[ ]*"
    r"(?:\([^)\n]{1,40}\)[ ]*)?[-\u2013\u2014:][ ]")


# A city written in capitals before an agency's name in brackets or the story's first capitalised word.
LOOSE_DATELINE_RE = re.compile(r"(?<![\w-])([A-Z]{4,}(?: [A-Z]{3,})?)\s+(?:\([A-Z][\w .]{1,30}\)\s*[-\u2013\u2014:]?\s*|"
                               r"(?=(?:A|An|The|[A-Z][a-z]+)\s+[a-zA-Z]))")
DATELINE_CITY = 100_000  # only a city of this size is taken for a dateline written without punctuation


@dataclass
class Span:
    """A stretch of text that may name a place."""

    start: int
    end: int
    text: str
    sentence: int
    kind: str  # "name" (gazetteer/entity name), "demonym", "dateline"
    label: str | None = None  # the spaCy entity label it coincides with, if any
    strong: bool = True  # spaCy called it a place (or it is a dateline); weak spans need a convincing match
    iso2: str | None = None  # demonyms: the country
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Abbreviation:
    text: str  # with its dots: "Ala.", "U.S."
    iso2: str
    name: str  # the gazetteer's name of the place
    feature: str


def load_abbreviations(path: Path | None = None) -> list[Abbreviation]:
    path = path or DATA_DIR / "abbreviations.tsv"
    rows = [ln.split("\t") for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]
    return [Abbreviation(*row[:4]) for row in rows[1:]]


def abbreviation_pattern(abbreviations: list[Abbreviation]) -> re.Pattern:
    """Countries' abbreviations anywhere ("the U.S. Army"); states' only where an address puts them
    ("Huntsville, Ala.", "(Tenn.)"): elsewhere "Ind." or "Mass." may be other words cut short."""
    def alternatives(items):
        return "|".join(re.escape(a.text) for a in sorted(items, key=lambda a: -len(a.text)))
    countries = [a for a in abbreviations if a.feature == "country"]
    states = [a for a in abbreviations if a.feature != "country"]
    return re.compile(r"(?<![\w.])(?P<country>" + alternatives(countries) + r")(?!\w)"
                      r"|(?:(?<=, )|(?<=\()|(?<=the )|(?<=[DR]-))(?P<state>" + alternatives(states) + r")(?![\w.])")


def load_stoplist(path: Path | None = None) -> frozenset[str]:
    return frozenset(fold(w) for w in read_lines(path or DATA_DIR / "not_places.txt"))


def _capitalised(text: str) -> bool:
    return text[:1].isupper()


class _NameLookups:
    """The gazetteer's answers about one document's candidate names. The finder asks about the same stretches
    of text again and again (each entity's words, each run of capitalised words), and each question is a hash,
    a binary search and a few rows read; kept per document (in `doc.user_data`)."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        self._known: dict[str, bool] = {}
        self._notable: dict[str, bool] = {}
        self._country: dict[str, bool] = {}

    def has_key(self, key: str) -> bool:
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = self.gaz.has_key(key)
        return known

    def notable(self, key: str) -> bool:
        """Whether the name may mean a country, a province or a city of 100,000."""
        notable = self._notable.get(key)
        if notable is None:
            notable = self._notable[key] = any(
                rec.feature in ("country", "admin1") or rec.population >= 100_000
                for rec in map(self.gaz.record, self.gaz.indices(key)))
        return notable

    def country(self, key: str) -> bool:
        """Whether the name may mean a country."""
        country = self._country.get(key)
        if country is None:
            country = self._country[key] = any(self.gaz.record(j).feature == "country"
                                               for j in self.gaz.indices(key))
        return country


_LOOKUPS = "warmonitor.name_lookups"


class ToponymFinder:
    def __init__(self, gazetteer: Gazetteer, stoplist: frozenset[str] | None = None):
        self.gaz = gazetteer
        self.stoplist = load_stoplist() if stoplist is None else stoplist
        self.abbreviations = {a.text: a for a in load_abbreviations()}
        self.abbreviation_re = abbreviation_pattern(list(self.abbreviations.values()))

    def find(self, doc: Doc, dateline: str | None) -> list[Span]:
        token_table(doc)  # first: it reads the doc's text on the way
        sent_of = _sentence_index(doc)
        spans: list[Span] = []
        taken = [False] * len(doc_text(doc))

        def claim(start: int, end: int) -> bool:
            if any(taken[start:end]):
                return False
            for k in range(start, end):
                taken[k] = True
            return True

        dl = self._dateline(doc_text(doc), dateline)
        if dl and claim(*dl):
            spans.append(Span(dl[0], dl[1], doc_text(doc)[dl[0]:dl[1]], sent_of(dl[0]), "dateline"))
        for m in self.abbreviation_re.finditer(doc_text(doc)):
            if claim(m.start(), m.end()):
                sp = Span(m.start(), m.end(), m.group(), sent_of(m.start()), "abbreviation", None, True)
                sp.extra["abbreviation"] = self.abbreviations[m.group()]
                spans.append(sp)
        ent_at = {}
        for ent in doc.ents:
            for k in range(ent.start, ent.end):
                ent_at[k] = ent
        framed = self._framed_names(doc)
        kinds = self._listed_names(doc)
        framed.update((span, None) for span in kinds if span not in framed)
        for m in self._gazetteer_matches(doc, ent_at):
            if (m.start, m.end) in framed:  # the grammar says place: trust it over spaCy's "person"
                m.strong, m.extra["person"], m.extra["framed"] = True, False, True
                if (m.start, m.end) in kinds:
                    m.extra["kind"] = kinds[(m.start, m.end)]
            if claim(m.start, m.end):
                m.sentence = sent_of(m.start)
                spans.append(m)
        for (s, e), label in framed.items():  # framed names the gazetteer does not know: kept, unresolved
            if claim(s, e):
                sp = Span(s, e, doc_text(doc)[s:e], sent_of(s), "name", label)
                sp.extra["framed"] = True
                spans.append(sp)
        for ent in doc.ents:  # places spaCy sees that the gazetteer does not know: kept, unresolved
            if ent.label_ in PLACE_LABELS:
                s, e = ent.start_char, ent.end_char
                if ent[0].lower_ == "the":
                    s = ent[1].idx if len(ent) > 1 else s
                if claim(s, e):
                    spans.append(Span(s, e, doc_text(doc)[s:e], sent_of(s), "name", ent.label_))
        spans.sort(key=lambda sp: sp.start)
        return spans

    def _framed_names(self, doc: Doc) -> dict[tuple[int, int], str | None]:
        """Capitalised names that a kind word marks as places ("the town of X", "the X district"), as
        (start, end) character offsets -> the spaCy label of the name, if it is one entity."""
        text = doc_text(doc)
        tok = token_table(doc)
        size = len(tok.text)
        found: dict[tuple[int, int], str | None] = {}
        i = 0
        while i < size:
            end = self._name_run(tok, i)
            if end == i:
                i += 1
                continue
            s, e = tok.idx[i], tok.end[end - 1]
            before = text[max(0, s - 40):s]
            if (FRAME_BEFORE.search(before) or FRAME_AFTER.match(text[e:e + 20])) and not (
                    self.gaz.demonym(text[s:e]) or fold(text[s:e]) in self.stoplist):
                ents = set(tok.ent_type[i:end])
                # an organisation's camp or district office is not a place
                if not ents & {"ORG", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL"}:
                    label = tok.ent_type[i] if tok.ent_iob[i] == "B" and (
                        end == size or tok.ent_iob[end] != "I") else None
                    found[(s, e)] = label or None
            i = end
        return found

    @staticmethod
    def _listed_names(doc: Doc) -> dict[tuple[int, int], str]:
        """The names of a list closed by a plural kind word -> that kind, singular."""
        tok = token_table(doc)
        found: dict[tuple[int, int], str] = {}
        for k, lower in enumerate(tok.lower):
            kind = PLURAL_KINDS.get(lower)
            if kind is None:
                continue
            names, j = [], k  # walk back: name, joiner(s), name, ...
            while j > 0:
                start = j - 1
                while start >= 0 and tok.is_alpha[start] and _capitalised(tok.text[start]) and not tok.is_stop[start]:
                    start -= 1
                start += 1
                if start == j:
                    break
                names.append((tok.idx[start], tok.end[j - 1]))
                j = start
                joiners = 0
                while j > 0 and tok.lower[j - 1] in LIST_JOINERS:
                    j -= 1
                    joiners += 1
                if not joiners:
                    break
            if len(names) < 2:
                continue  # a single name before the kind word is "X county", which the name reading handles
            for span in names:
                found[span] = kind
        return found

    @staticmethod
    def _name_run(tok: TokenTable, i: int) -> int:
        """End of the capitalised name starting at token i (i itself when none starts there): capitalised
        words joined by spaces, hyphens or Arabic articles ("Busra al-Harir", "Deir ez-Zor")."""
        size = len(tok.text)
        article = (tok.lower[i] in CONNECTORS and i + 2 < size and tok.text[i + 1] == "-"
                   and _capitalised(tok.text[i + 2]))  # "al-Waer"
        if not (tok.is_alpha[i] and (_capitalised(tok.text[i]) and not tok.is_stop[i] or article)):
            return i  # "The" opening a sentence is no name
        end = i + 1
        while end < size and end - i < MAX_WORDS * 2:
            if tok.is_alpha[end] and _capitalised(tok.text[end]):
                end += 1
            elif tok.text[end] in "-'\u2019" and not tok.whitespace[end - 1] and end + 1 < size and tok.is_alpha[end + 1]:
                end += 1
            elif tok.is_alpha[end] and tok.lower[end] in CONNECTORS and end + 1 < size and (
                    tok.text[end + 1] == "-" or _capitalised(tok.text[end + 1])):
                end += 1
            else:
                break
        while end > i + 1 and not _capitalised(tok.text[end - 1]):  # a name ends on a capitalised word
            end -= 1
        return end

    def _dateline(self, text: str, dateline: str | None) -> tuple[int, int] | None:
        head = text[:3000]
        if dateline:
            m = re.search(r"(?m)^[ \t]*(" + re.escape(dateline.strip()) + r")\b", head, re.IGNORECASE)
            if m:
                return m.start(1), m.end(1)
        for m in DATELINE_RE.finditer(head):
            if self.gaz.has_key(fold(m.group(1))):
                return m.start(1), m.end(1)
        # copies that lost their line breaks and dashes: "... 2017 BEIRUT A US-led strike", "MOSCOW (Sputnik)"
        for m in LOOSE_DATELINE_RE.finditer(text[:600]):
            if any(rec.population >= DATELINE_CITY for rec in self.gaz.records_for(m.group(1))):
                return m.start(1), m.end(1)
        return None

    def _lookups(self, doc: Doc) -> _NameLookups:
        names = doc.user_data.get(_LOOKUPS)
        if names is None or names.gaz is not self.gaz:
            names = doc.user_data[_LOOKUPS] = _NameLookups(self.gaz)
        return names

    @staticmethod
    def _name_word_before(names: _NameLookups, tok: TokenTable, k: int) -> bool:
        """A capitalised word (token k) that makes the name after it part of a longer name: not a direction
        ("North Texas"), nor a country's possessive without its apostrophe ("Syrias Hama")."""
        text = tok.text[k]
        if not (tok.is_alpha[k] and _capitalised(text)) or tok.lower[k] in DIRECTIONS:
            return False
        return not (text.endswith("s") and names.country(fold(text[:-1])))

    def _place_list(self, doc: Doc, ent) -> bool:
        """Whether an entity is two or more well-known places' names one after another (the last may run past
        it): countries, provinces and cities of 100,000, which people's names seldom string together."""
        if ent.label_ == "PERSON" or len(ent) < 2:  # one token is one name at most
            return False
        # asked again for every candidate name inside the entity: answered once per doc
        cache = doc.user_data.setdefault("warmonitor.place_list", {})
        key = (ent.start, ent.end)
        if key not in cache:
            cache[key] = self._place_list_uncached(self._lookups(doc), token_table(doc), ent.start, ent.end)
        return cache[key]

    @staticmethod
    def _place_list_uncached(names: _NameLookups, tok: TokenTable, start: int, end: int) -> bool:
        i, pieces = start, 0
        while i < end:
            step = next((n for n in range(min(MAX_WORDS * 2, len(tok.text) - i), 0, -1)
                         if tok.is_alpha[i + n - 1] and names.notable(fold(tok.span_text(i, i + n)))), 0)
            if step == 0:
                return False
            i, pieces = i + step, pieces + 1
        return pieces >= 2

    @staticmethod
    def _country_possessive(names: _NameLookups, tok: TokenTable, start: int, end: int) -> bool:
        """"Syria's" or, in copies without apostrophes, "Syrias" (tokens start to end)."""
        words = [tok.text[k] for k in range(start, end) if tok.lower[k] not in POSSESSIVE]
        if len(words) != 1 or not words[0][:1].isupper():
            return False
        word = words[0] if len(words) < end - start else words[0][:-1] if words[0].endswith("s") else ""
        return bool(word) and names.country(fold(word))

    def _gazetteer_matches(self, doc: Doc, ent_at: dict) -> list[Span]:
        tok, names = token_table(doc), self._lookups(doc)
        found = []
        i = 0
        while i < len(tok.text):
            match = self._longest_at(doc, tok, names, i, ent_at)
            if match is None:
                i += 1
                continue
            found.append(match[0])
            i = match[1]
        return found

    def _longest_at(self, doc: Doc, tok: TokenTable, names: _NameLookups, i: int,
                    ent_at: dict) -> tuple[Span, int] | None:
        if not (tok.is_alpha[i] or _abbreviated(tok, i)):
            return None
        first, first_lower = tok.text[i], tok.lower[i]
        lead = first_lower in LEADING or first_lower in CONNECTORS
        if not (_capitalised(first) or lead):
            return None
        for n in range(_name_reach(tok, i), 0, -1):
            last = i + n - 1
            if not (tok.is_alpha[last] and _capitalised(tok.text[last])):
                continue
            text = tok.span_text(i, i + n)
            key = fold(text)
            iso2 = self.gaz.demonym(text)
            known = bool(iso2) or names.has_key(key)
            if n == 1 and not known and text.endswith("s"):
                # copies stripped of apostrophes write "Syrias Raqqa": a country's possessive
                stem = fold(text[:-1])
                if names.country(stem):
                    key, known = stem, True
            if not known:
                continue
            start_char, end_char = tok.idx[i], tok.end[last]
            if STREET_AFTER.match(tok.doc_text[end_char:end_char + 14]):
                continue
            ent = ent_at.get(i) if ent_at.get(i) is ent_at.get(last) else None
            # an "entity" that is only place names in a row is spaCy misreading a list whose commas were lost
            # ("in Aleppo Deir ez-Zor Hasakeh Idlib"): it blocks none of them
            # (only place and name entities count below, so only they are asked about)
            inside = {e for e in {ent_at.get(k) for k in range(i, i + n)} - {None}
                      if e.label_ in PLACE_OR_NAME_LABELS and not self._place_list(doc, e)}
            # the first words of a longer place name the gazetteer does not know ("Deir Ezour") are not a place
            # of their own: the whole name is kept, unresolved or matched by its spelling, further on
            if any(e.label_ in PLACE_LABELS and e.end > i + n and e.start <= i
                   and not all(tok.lower[k] in TRAILING_KIND or tok.is_punct[k] for k in range(i + n, e.end))
                   for e in inside):
                continue
            # ...nor are its last words ("Zion National Park", "Aleutian Islands"), unless only a direction or
            # a possessive stands before them ("northern Idlib", "Syria's Idlib")
            if i > 0 and self._name_word_before(names, tok, i - 1) \
                    and any(e.label_ in PLACE_LABELS and e.start < i for e in inside if ent_at.get(i - 1) is e):
                continue
            # a name strictly inside a longer name is part of that name: a person's is no place at all; an
            # organisation's ("Texas Department of Health", "Alexandria Police") says where it works, which
            # is context for the article's other places, never where an event happened
            # "Sri Lanka's" is no longer a name than "Sri Lanka", nor is "Syrias Hama" a man's
            longer = [e for e in inside if e.label_ in NAME_LABELS and (
                e.start < i and not self._country_possessive(names, tok, e.start, i)
                or e.end > i + n and not all(tok.lower[k] in POSSESSIVE for k in range(i + n, e.end)))]
            if any(e.label_ != "ORG" for e in longer) and not names.country(key):
                continue  # (a country's name is not a person's: spaCy misread "Sri Lanka's former president")
            # ...but the last word of such a name says what kind of organisation it is ("Medical Center",
            # "Duke Energy"), whatever town shares it; after "of" it is a place again ("Bank of Georgia")
            if any(e.end == i + n and e.start < i and tok.lower[i - 1] != "of" for e in longer) \
                    and not names.notable(key):  # unless it names a big place ("Syrias Raqqa", misread)
                continue
            label = ent.label_ if ent is not None and ent.start == i and ent.end == i + n else None
            place_ent = any(e.label_ in PLACE_LABELS for e in inside)
            upper = tok.is_upper[i]
            if key in self.stoplist or not place_ent and n == 1 and len(first) < 4 and not iso2 and not upper:
                continue
            # a lone capitalised word spaCy reads as a common word ("Shelling", "Several") names no place
            if n == 1 and not place_ent and not iso2 and tok.pos[i] not in ("PROPN", "X") and not upper:
                continue
            # a short all-capitals word is an acronym ("SANA", "NNA"), unless it names a country ("UK")
            if n == 1 and upper and len(first) <= 5 and not place_ent and not names.country(key):
                continue
            kind = "demonym" if iso2 else "name"  # "Syrian" is the country's adjective before any place
            # an Arabic article written apart opens many English phrases too ("as Rival groups")
            loose_article = lead and first_lower in CONNECTORS and not (n > 1 and tok.text[i + 1] == "-")
            sp = Span(start_char, end_char, text, 0, kind, label,
                      strong=(place_ent and not loose_article) or kind == "demonym" or label == "NORP", iso2=iso2)
            sp.extra["person"] = label == "PERSON"
            if longer:
                sp.strong, sp.extra["embedded"] = False, True
                # a big place ending an "organisation" is spaCy misreading a place phrase ("Syrias Raqqa")
                sp.extra["tail"] = any(e.end == i + n and e.start < i for e in longer)
            if key != fold(text):
                sp.extra["stem"] = text[:-1]
            return sp, i + n
        return None


def _name_reach(tok: TokenTable, i: int) -> int:
    """How many tokens from i a gazetteer name may span: up to the first token no place name holds (a
    lower-case word, punctuation, a line break), since a longer span would hold it too."""
    limit = min(MAX_WORDS * 2, len(tok.text) - i)  # *2: hyphens and apostrophes are tokens
    for n in range(limit):
        if _breaks_name(tok, i + n, i):
            return n
    return limit


def _breaks_name(tok: TokenTable, k: int, first: int) -> bool:
    """Whether token k rules out every gazetteer name starting at token `first` that reaches it."""
    text = tok.text[k]
    if tok.is_alpha[k] and not _capitalised(text) and tok.lower[k] not in CONNECTORS \
            and not (k == first and tok.lower[k] in LEADING):
        return True
    if tok.is_punct[k] and text not in "-'\u2019" and not (text == "." and _abbreviated(tok, k - 1)):
        return True
    return tok.is_space[k]


def _abbreviated(tok: TokenTable, i: int) -> bool:
    """"St." or "Ft" "." opening a place name ("St. Paul", "Ft. Worth")."""
    if i < 0 or i + 1 >= len(tok.text):
        return False
    text = tok.text[i]
    word = text.rstrip(".").lower()
    dotted = text.endswith(".") or tok.text[i + 1] == "."
    return word in ABBREVIATED_WORDS and dotted and text[:1].isupper()


def _sentence_index(doc: Doc):
    starts = [s.start_char for s in sentences(doc)]

    def sent_of(char: int) -> int:
        return max(0, bisect.bisect_right(starts, char) - 1)

    return sent_of
