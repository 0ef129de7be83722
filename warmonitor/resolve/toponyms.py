"""Finding toponym spans in a parsed article: spaCy entities plus a gazetteer phrase matcher.

This module only says *where* names are and what surrounds them; places.py decides what they refer to.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from warmonitor.nlp.docs import doc_text
from warmonitor.resolve.gazetteer import ABBREVIATED_WORDS, DATA_DIR, Gazetteer, fold, read_lines

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# A place name found inside one of these longer entities is part of a name, not a place ("Syrian Observatory").
NAME_LABELS = frozenset({"ORG", "PERSON", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"})
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


class ToponymFinder:
    def __init__(self, gazetteer: Gazetteer, stoplist: frozenset[str] | None = None):
        self.gaz = gazetteer
        self.stoplist = load_stoplist() if stoplist is None else stoplist
        self.abbreviations = {a.text: a for a in load_abbreviations()}
        self.abbreviation_re = abbreviation_pattern(list(self.abbreviations.values()))

    def find(self, doc: Doc, dateline: str | None) -> list[Span]:
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
            for tok in ent:
                ent_at[tok.i] = ent
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
        found: dict[tuple[int, int], str | None] = {}
        i = 0
        while i < len(doc):
            end = self._name_run(doc, i)
            if end == i:
                i += 1
                continue
            s, e = doc[i].idx, doc[end - 1].idx + len(doc[end - 1])
            before = text[max(0, s - 40):s]
            if (FRAME_BEFORE.search(before) or FRAME_AFTER.match(text[e:e + 20])) and not (
                    self.gaz.demonym(text[s:e]) or fold(text[s:e]) in self.stoplist):
                ents = {t.ent_type_ for t in doc[i:end]}
                # an organisation's camp or district office is not a place
                if not ents & {"ORG", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL"}:
                    label = doc[i].ent_type_ if doc[i].ent_iob_ == "B" and (
                        end == len(doc) or doc[end].ent_iob_ != "I") else None
                    found[(s, e)] = label or None
            i = end
        return found

    @staticmethod
    def _listed_names(doc: Doc) -> dict[tuple[int, int], str]:
        """The names of a list closed by a plural kind word -> that kind, singular."""
        found: dict[tuple[int, int], str] = {}
        for k, tok in enumerate(doc):
            kind = PLURAL_KINDS.get(tok.lower_)
            if kind is None:
                continue
            names, j = [], k  # walk back: name, joiner(s), name, ...
            while j > 0:
                start = j - 1
                while start >= 0 and doc[start].is_alpha and _capitalised(doc[start].text) and not doc[start].is_stop:
                    start -= 1
                start += 1
                if start == j:
                    break
                names.append((doc[start].idx, doc[j - 1].idx + len(doc[j - 1])))
                j = start
                joiners = 0
                while j > 0 and doc[j - 1].lower_ in LIST_JOINERS:
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
    def _name_run(doc: Doc, i: int) -> int:
        """End of the capitalised name starting at token i (i itself when none starts there): capitalised
        words joined by spaces, hyphens or Arabic articles ("Busra al-Harir", "Deir ez-Zor")."""
        first = doc[i]
        article = (first.lower_ in CONNECTORS and i + 2 < len(doc) and doc[i + 1].text == "-"
                   and _capitalised(doc[i + 2].text))  # "al-Waer"
        if not (first.is_alpha and (_capitalised(first.text) and not first.is_stop or article)):
            return i  # "The" opening a sentence is no name
        end = i + 1
        while end < len(doc) and end - i < MAX_WORDS * 2:
            t = doc[end]
            if t.is_alpha and _capitalised(t.text):
                end += 1
            elif t.text in "-'\u2019" and not doc[end - 1].whitespace_ and end + 1 < len(doc) and doc[end + 1].is_alpha:
                end += 1
            elif t.is_alpha and t.lower_ in CONNECTORS and end + 1 < len(doc) and (
                    doc[end + 1].text == "-" or _capitalised(doc[end + 1].text)):
                end += 1
            else:
                break
        while end > i + 1 and not _capitalised(doc[end - 1].text):  # a name ends on a capitalised word
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

    def _name_word_before(self, tok) -> bool:
        """A capitalised word that makes the name after it part of a longer name: not a direction ("North
        Texas"), nor a country's possessive without its apostrophe ("Syrias Hama")."""
        if not (tok.is_alpha and _capitalised(tok.text)) or tok.lower_ in DIRECTIONS:
            return False
        return not (tok.text.endswith("s") and self._country(fold(tok.text[:-1])))

    def _place_list(self, doc: Doc, ent) -> bool:
        """Whether an entity is two or more well-known places' names one after another (the last may run past
        it): countries, provinces and cities of 100,000, which people's names seldom string together."""
        if ent.label_ == "PERSON":
            return False
        # asked again for every candidate name inside the entity: answered once per doc
        cache = doc.user_data.setdefault("warmonitor.place_list", {})
        key = (ent.start, ent.end)
        if key not in cache:
            cache[key] = self._place_list_uncached(doc, ent)
        return cache[key]

    def _place_list_uncached(self, doc: Doc, ent) -> bool:
        i, pieces = ent.start, 0
        while i < ent.end:
            step = next((n for n in range(min(MAX_WORDS * 2, len(doc) - i), 0, -1)
                         if doc[i + n - 1].is_alpha and self._notable(fold(doc[i:i + n].text))), 0)
            if step == 0:
                return False
            i, pieces = i + step, pieces + 1
        return pieces >= 2

    def _country_possessive(self, toks) -> bool:
        """"Syria's" or, in copies without apostrophes, "Syrias"."""
        words = [t.text for t in toks if t.lower_ not in POSSESSIVE]
        if len(words) != 1 or not words[0][:1].isupper():
            return False
        word = words[0] if len(words) < len(toks) else words[0][:-1] if words[0].endswith("s") else ""
        return bool(word) and self._country(fold(word))

    def _notable(self, key: str) -> bool:
        return any(rec.feature in ("country", "admin1") or rec.population >= 100_000
                   for rec in map(self.gaz.record, self.gaz.indices(key)))

    def _country(self, key: str) -> bool:
        return any(self.gaz.record(j).feature == "country" for j in self.gaz.indices(key))

    def _gazetteer_matches(self, doc: Doc, ent_at: dict) -> list[Span]:
        found = []
        i = 0
        while i < len(doc):
            match = self._longest_at(doc, i, ent_at)
            if match is None:
                i += 1
                continue
            found.append(match[0])
            i = match[1]
        return found

    def _longest_at(self, doc: Doc, i: int, ent_at: dict) -> tuple[Span, int] | None:
        first = doc[i]
        if not (first.is_alpha or _abbreviated(doc, i)):
            return None
        lead = first.lower_ in LEADING or first.lower_ in CONNECTORS
        if not (_capitalised(first.text) or lead):
            return None
        for n in range(min(MAX_WORDS * 2, len(doc) - i), 0, -1):  # *2: hyphens and apostrophes are tokens
            span = doc[i:i + n]
            last = span[-1]
            if not (last.is_alpha and _capitalised(last.text)):
                continue
            if any(t.is_alpha and not _capitalised(t.text) and t.lower_ not in CONNECTORS
                   and not (t.i == i and t.lower_ in LEADING) for t in span):
                continue
            if any(t.is_punct and t.text not in "-'\u2019" and not (t.text == "." and _abbreviated(doc, t.i - 1))
                   for t in span) or any(t.is_space for t in span):
                continue
            key = fold(span.text)
            iso2 = self.gaz.demonym(span.text)
            if n == 1 and not (iso2 or self.gaz.has_key(key)) and span.text.endswith("s"):
                # copies stripped of apostrophes write "Syrias Raqqa": a country's possessive
                stem = fold(span.text[:-1])
                if any(self.gaz.record(j).feature == "country" for j in self.gaz.indices(stem)):
                    key = stem
            if not (iso2 or self.gaz.has_key(key)):
                continue
            ent = ent_at.get(i) if ent_at.get(i) is ent_at.get(i + n - 1) else None
            # an "entity" that is only place names in a row is spaCy misreading a list whose commas were lost
            # ("in Aleppo Deir ez-Zor Hasakeh Idlib"): it blocks none of them
            inside = {e for e in {ent_at.get(t.i) for t in span} - {None} if not self._place_list(doc, e)}
            if STREET_AFTER.match(doc_text(doc)[span.end_char:span.end_char + 14]):
                continue
            # the first words of a longer place name the gazetteer does not know ("Deir Ezour") are not a place
            # of their own: the whole name is kept, unresolved or matched by its spelling, further on
            if any(e.label_ in PLACE_LABELS and e.end > i + n and e.start <= i
                   and not all(t.lower_ in TRAILING_KIND or t.is_punct for t in doc[i + n:e.end]) for e in inside):
                continue
            # ...nor are its last words ("Zion National Park", "Aleutian Islands"), unless only a direction or
            # a possessive stands before them ("northern Idlib", "Syria's Idlib")
            if i > 0 and self._name_word_before(doc[i - 1]) \
                    and any(e.label_ in PLACE_LABELS and e.start < i for e in inside if ent_at.get(i - 1) is e):
                continue
            # a name strictly inside a longer name is part of that name: a person's is no place at all; an
            # organisation's ("Texas Department of Health", "Alexandria Police") says where it works, which
            # is context for the article's other places, never where an event happened
            # "Sri Lanka's" is no longer a name than "Sri Lanka", nor is "Syrias Hama" a man's
            longer = [e for e in inside if e.label_ in NAME_LABELS and (
                e.start < i and not self._country_possessive(doc[e.start:i])
                or e.end > i + n and not all(t.lower_ in POSSESSIVE for t in doc[i + n:e.end]))]
            if any(e.label_ != "ORG" for e in longer) and not self._country(key):
                continue  # (a country's name is not a person's: spaCy misread "Sri Lanka's former president")
            # ...but the last word of such a name says what kind of organisation it is ("Medical Center",
            # "Duke Energy"), whatever town shares it; after "of" it is a place again ("Bank of Georgia")
            if any(e.end == i + n and e.start < i and doc[i - 1].lower_ != "of" for e in longer) and not any(
                    self.gaz.record(j).feature in ("country", "admin1") or self.gaz.record(j).population >= 100_000
                    for j in self.gaz.indices(key)):  # unless it names a big place ("Syrias Raqqa", misread)
                continue
            label = ent.label_ if ent is not None and ent.start == i and ent.end == i + n else None
            place_ent = any(e.label_ in PLACE_LABELS for e in inside)
            if key in self.stoplist or not place_ent and n == 1 and len(first.text) < 4 and not iso2 and not first.is_upper:
                continue
            # a lone capitalised word spaCy reads as a common word ("Shelling", "Several") names no place
            if n == 1 and not place_ent and not iso2 and first.pos_ not in ("PROPN", "X") and not first.is_upper:
                continue
            # a short all-capitals word is an acronym ("SANA", "NNA"), unless it names a country ("UK")
            if n == 1 and first.is_upper and len(first.text) <= 5 and not place_ent and not self._country(key):
                continue
            kind = "demonym" if iso2 else "name"  # "Syrian" is the country's adjective before any place
            # an Arabic article written apart opens many English phrases too ("as Rival groups")
            loose_article = lead and first.lower_ in CONNECTORS and not (n > 1 and doc[i + 1].text == "-")
            sp = Span(span.start_char, span.end_char, span.text, 0, kind, label,
                      strong=(place_ent and not loose_article) or kind == "demonym" or label == "NORP", iso2=iso2)
            sp.extra["person"] = label == "PERSON"
            if longer:
                sp.strong, sp.extra["embedded"] = False, True
                # a big place ending an "organisation" is spaCy misreading a place phrase ("Syrias Raqqa")
                sp.extra["tail"] = any(e.end == i + n and e.start < i for e in longer)
            if key != fold(span.text):
                sp.extra["stem"] = span.text[:-1]
            return sp, i + n
        return None


def _abbreviated(doc: Doc, i: int) -> bool:
    """"St." or "Ft" "." opening a place name ("St. Paul", "Ft. Worth")."""
    if i < 0 or i + 1 >= len(doc):
        return False
    word = doc[i].text.rstrip(".").lower()
    dotted = doc[i].text.endswith(".") or doc[i + 1].text == "."
    return word in ABBREVIATED_WORDS and dotted and doc[i].text[:1].isupper()


def _sentence_index(doc: Doc):
    starts = [s.start_char for s in doc.sents]

    def sent_of(char: int) -> int:
        return max(0, bisect.bisect_right(starts, char) - 1)

    return sent_of
