"""Resolving an article's toponyms to gazetteer places, with roles and relative-place precision.

Pipeline: find spans (toponyms.py) -> a first, context-free reading of each -> the article's focus country
(country names, demonyms, unambiguous places; the dateline only as a weak hint) -> a second reading that prefers
the focus country and places lying inside other places the article names -> roles (dateline, observer, context)
and relative phrases ("the southern suburbs of Damascus", "Idlib countryside", "northern Syria").
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from pathlib import Path
from dataclasses import dataclass, field
from typing import Sequence

from spacy.tokens import Doc, Token

from warmonitor.model import Article, Place, PlaceMention
from warmonitor.nlp.docs import sentences, token_table
from warmonitor.resolve.gazetteer import (DATA_DIR, Gazetteer, GazetteerError, Record, fold, km, names_in, read_lines,
                                          split_feature_word)
from warmonitor.resolve.toponyms import Span, ToponymFinder

__all__ = ["ArticleGeography", "Gazetteer", "GazetteerError", "PlaceResolver", "region_of"]

_DIR = r"(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
# Words before a name that make it a relative place (group "rel": how; group "dir": a compass side).
PRE_RELATIVE = re.compile(
    r"(?:\b(?:the\s+)?(?:(?P<sdir>" + _DIR + r")\s+)?(?P<rel>suburbs|outskirts|countryside|environs|vicinity|"
    r"outskirt|edges?|periphery)\s+of\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?"
    r"|\b(?P<near>near|outside|around|close\s+to|nearby|north\s+of|south\s+of|east\s+of|west\s+of)\s+"
    r"(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?"
    r"|\b(?P<rural>rural)\s+"
    r"|\b(?P<dir>" + _DIR + r")\s+(?:part\s+of\s+(?:the\s+)?)?)$", re.IGNORECASE)
# A kind word before a name ("the district of Qadam", "Idlib province" is handled after the name).
PRE_FEATURE = re.compile(r"\b(?P<word>province|governorate|state|region|district|sub-district|neighbou?rhood|"
                         r"town|city|village|suburb|area)\s+of\s+$", re.IGNORECASE)
POST_RELATIVE = re.compile(r"^(?:'s|\u2019s)?(?:\s+(?P<dir>" + _DIR + r"))?\s+(?P<word>countryside|suburbs|outskirts|"
                           r"province|governorate|state|region|oblast|district|neighbou?rhood|quarter|city|town|"
                           r"village|camp)\b",
                           re.IGNORECASE)
# Nouns that keep a country name before them a place ("the Turkey border", "the Syria side").
PLACE_NOUNS = frozenset("border borders side frontier coast territory soil region province city capital".split())
# "the defence ministry in Moscow said": where the speaker sits, not where things happened.
SPEAKER_BEFORE = re.compile(r"\b(?:ministry|ministries|officials?|spokes(?:man|woman|person)|"
                            r"correspondents?|reporters?|diplomats?|envoys?|sources?)\s+(?:based\s+)?in\s+"
                            r"(?:the\s+)?$", re.IGNORECASE)
OBSERVER_AFTER = re.compile(r"^\s*-\s*based\b|^\s+based\b", re.IGNORECASE)
# "backed by Russia and Iran": the backer list follows at once; a few words on, or after a preposition of place
# ("troops backed by clan fighters recaptured the town of X"), the name is where things happened again.
BACKER_BEFORE = re.compile(r"\b(?:backed|supported|funded|armed|sponsored|allied)\s+(?:by|with)\s+"
                           r"(?:(?!(?:in|at|near|of|from|on|into|to|outside|around)\b)[\w'.-]+[\s,]+){0,3}$",
                           re.IGNORECASE)
BORDER_RE = re.compile(r"\b(?:near|along|on|at|close\s+to|across)\s+(?:the\s+)?(?:[\w'’]+\s+)?borders?\s+with\s+",
                       re.IGNORECASE)
# A country named as the far side of a border: "the Lebanese border", "the Turkey border" (not "the Syrian border
# town of", which puts a town in that country, nor "Syria's border with Turkey", which names its own side).
NEIGHBOUR_AFTER = re.compile(r"\s+borders?\b(?!\s+(?:town|city|village|crossing|post|area|region)s?\b|\s+with\b)",
                             re.I)
CAPITAL_RE = re.compile(r"\b(?:the\s+(?P<who>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)|(?P<owner>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
                        r"(?:'s|\u2019s|(?<=[a-z])s))\s+(?P<cap>capital)\b")
# Gap between a place and the next one when the next one says where the first lies ("X, in Y province").
PARENT_GAP = re.compile(r"^\s*,?\s*(?:in|of|near|outside)?\s*(?:the\s+)?(?:(?:province|governorate|city|region|"
                        r"district)\s+of\s+)?$", re.IGNORECASE)
# Gap after a place when it is the parent of the next ("the Damascus suburb of Y", "Aleppo's X district").
CHILD_GAP = re.compile(r"^(?:'s|\u2019s)?\s+(?:suburb|district|neighbou?rhood|town|village|area)\s+of\s+$"
                       r"|^(?:'s|\u2019s)\s+$", re.IGNORECASE)

# Gap between a place and a place it is said to lie near ("the Mallah farms near the northwestern city of").
NEAR_GAP = re.compile(r"^\s+(?:[a-z]+\s+)?(?:near|outside|close\s+to)\s+(?:the\s+)?(?:[a-z-]+\s+)?"
                      r"(?:(?:city|town|village|province|capital)\s+of\s+)?$")
ANCHOR_KM = 50.0
# The lower-case words between a name and a relative phrase that has taken in its own "near" ("the Shaar gas
# field | east of Homs").
FEATURE_GAP = re.compile(r"^\s+(?:[a-z]+\s+){0,2}$")
# "the Syrian border town of", "Iraq's city of": the country holds the place named next.
NATIONAL_FRAME = re.compile(r"\b(?P<adj>[A-Z][a-z]+)(?:'s|\u2019s)?\s+(?:[a-z]+\s+){0,2}(?:town|city|village|province|"
                            r"governorate|region|district|capital|port)\s+of\s+(?:the\s+)?$")
# A copy's opening date, just before a place name: "Feb 022015 Beirut", "17-05-2016 Moscow".
DATE_BEFORE = re.compile(r"\d{4}\s+$")
DATELINE_REACH = 80
FOCUS_BONUS = 2.0
# When only adjectives ("the Iranian consulate") point to the country, its small towns do not outrank a
# foreign city of the same name.
WEAK_FOCUS_BONUS = 0.5
NEAR_BONUS = 1.5
NAMED_COUNTRY_BONUS = 1.0
SIDE_BONUS = 1.5
TITLE_VOTE = 1.0
# Kind words that only favour the places of their kind: "district", "town", "village", "neighbourhood".
LOOSE_KINDS = frozenset({"town", "village", "neighbourhood", "suburb", "district", "admin3"})
KIND_BONUS = 1.0
# Kinds of place that are parts of a town: "X district of Y" names a part of Y.
PART_KINDS = frozenset({"neighbourhood", "suburb", "district"})
NEAR_KM = 150.0
HOLDER_BONUS = 2.0
# Readings whose places are evidence for the others: the dateline says where the story is written, and a
# name inside an organisation's ("Texas Department of Health") where it works.
CONTEXT_ROLES = frozenset({"mention", "dateline", "context"})
CONTEXT_BONUS = 2.5
PARENT_BONUS = 4.0
NOTABLE_POPULATION = 100_000
GREAT_CITY = 1_000_000
SAME_PLACE_KM = 10.0
SMALL_PLACE = 5_000
HAMLET = 1_000
COMPASS_SIDES = frozenset("north south east west northeast northwest southeast southwest".split())
LOCATIVE_BEFORE = re.compile(r"\b(?:in|near|at|from|to|into|around|outside|of|toward|towards)\s+$", re.I)


def on_side(rec: Record, whole: Record, side: str) -> bool:
    """True when `rec` lies inside `whole` on its `side` of the centre ("northeast" of Syria's centre)."""
    if rec.lat is None or side not in COMPASS_SIDES or whole.iso2 != rec.iso2 or rec.feature == whole.feature:
        return False
    if whole.feature == "admin1" and rec.admin1 != whole.admin1:
        return False
    dlat, dlon = rec.lat - whole.lat, rec.lon - whole.lon
    return (("north" not in side or dlat > 0) and ("south" not in side or dlat < 0)
            and ("east" not in side or dlon > 0) and ("west" not in side or dlon < 0))


def _by_country(records: list[Record]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {}
    for rec in records:
        out.setdefault(rec.iso2, []).append(rec)
    return out


# Kilometres per degree of latitude, a little under the true 111.19, so that the bound below never rules out a
# pair km() would put within reach.
_KM_PER_DEGREE_BELOW = 111.0


def _within_km(a: Record, b: Record, limit: float) -> bool:
    """km(a, b) <= limit; places further apart in latitude alone are ruled out without the trigonometry."""
    if abs(a.lat - b.lat) * _KM_PER_DEGREE_BELOW > limit + 1.0:
        return False
    return km(a.lat, a.lon, b.lat, b.lon) <= limit


def _token_at(doc: Doc, char: int) -> Token | None:
    """The token that starts at a character offset, if any."""
    starts = token_table(doc).idx
    k = bisect_left(starts, char)
    return doc[k] if k < len(starts) and starts[k] == char else None


def _is_country(r: "_Reading") -> bool:
    return bool(r.candidates) and r.candidates[0][1].feature == "country"


@dataclass
class ArticleGeography:
    mentions: list[PlaceMention]
    focus: Place | None
    gazetteer: Gazetteer | None = field(default=None, repr=False, compare=False)

    def event_places(self) -> list[PlaceMention]:
        """Resolved mentions that can be where an event happened: not the dateline, an observer's base, or a
        country named only as someone's backer or as a border."""
        return [m for m in self.mentions if m.role == "mention" and m.place is not None]

    def within(self, child: Place, parent: Place) -> bool:
        """True when `child` lies inside `parent` (admin units, a city's neighbourhoods, towns nearby)."""
        return self.gazetteer is not None and self.gazetteer.within(child, parent)


def region_of(gazetteer: Gazetteer, iso2: str | None) -> str | None:
    """ACLED's region name for a country."""
    return gazetteer.region_of(iso2)


@dataclass
class _Reading:
    """One span's interpretation while resolving."""

    span: Span
    role: str = "mention"
    candidates: list[tuple[float, Record]] = field(default_factory=list)
    features: frozenset[str] | None = None
    precision: int | None = None  # forced by a relative phrase
    upgrade: str | None = None  # "admin1": resolve to the admin1 containing the match (countryside)
    direction: bool = False  # "northern Syria": a part of the place
    side: str = ""  # that part's compass side, folded: "northeast", "south"
    beside: bool = False  # "near", "outside", "north of" it: beside the place, perhaps not inside it
    before: str = ""  # the text just before the name, in its line
    near_spelling: bool = False  # candidates come from a one-vowel-off spelling: only local places may win
    alternate: frozenset[str] = frozenset()  # ids of candidates that bear the name only as an alternate name
    spelled: frozenset[str] = frozenset()  # ids of candidates found one vowel away (believed only in the focus)
    parent: "_Reading | None" = None
    anchor: "_Reading | None" = None  # "X farms near the city of Y": X lies near Y
    name: str = ""  # the name looked up
    national: str | None = None  # the country a phrase like "the Syrian town of" puts the place in
    # the article names the one country that has a place of this name ("Tel Abyad" beside "Syria" in a story
    # told from Turkey): the name is believed there as if it were the focus
    home: str | None = None
    loose: bool = False  # the best place's own name is only fold()'s cousin of the text's, and nothing frames it
    best: Record | None = None
    score: float = 0.0


def load_openers(path: Path | None = None) -> frozenset[str]:
    """Folded words that open place names and seldom people's names ("Tel", "Deir", "Kafr")."""
    return frozenset(fold(w) for w in read_lines(path or DATA_DIR / "place_name_openers.txt"))


class PlaceResolver:
    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        self.finder = ToponymFinder(gazetteer)
        self.openers = load_openers()

    def resolve(self, doc: Doc, article: Article,
                actor_names: Sequence[tuple[int, int]] = ()) -> ArticleGeography:
        """`actor_names`: character spans of armed groups' names ("Islamic State in the Greater Sahara"). A place
        word inside one names where the group works, not where anything happened."""
        text = article.text
        spans = self.finder.find(doc, article.dateline)
        spans += self._capital_spans(text, spans, doc)
        spans.sort(key=lambda s: s.start)
        readings = [self._read(s, text, doc) for s in spans]
        readings = [r for r in readings if not self._inside_actor_name(r, actor_names)]
        self._link_parents(readings, text)
        for r in readings:
            r.best = r.candidates[0][1] if r.candidates else None
            self._note_spelling(r)
            self._upgrade(r)  # "the Aleppo countryside" is context for the province, not the city
        focus = self._focus(readings, article)
        # two rounds: each name is read in the light of the others' first readings ("Athens" beside "Clarke
        # County" and "Georgia" is the Georgian town, and that makes "Georgia" the state)
        for _ in range(2):
            named = any(o.role in ("mention", "dateline") and o.best is not None and o.best.iso2 == focus
                        for o in readings)
            for r in readings:
                self._choose(r, readings, focus, named)
            focus = self._focus(readings, article)
        self._name_homes(readings, focus)
        self._short_forms(readings, focus)
        self._dated_dateline(readings, text, focus)
        borders = self._border_mentions(text, doc, readings, focus)  # also demotes the neighbours' roles
        mentions = [self._mention(r, focus) for r in readings if self._keep(r, focus)] + borders
        mentions.sort(key=lambda m: m.start)
        focus_place = self.gaz.place(self.gaz.country_record(focus), 3) if focus else None
        return ArticleGeography(mentions, focus_place, self.gaz)

    @staticmethod
    def _inside_actor_name(r: _Reading, actor_names: Sequence[tuple[int, int]]) -> bool:
        """True (drop it) for a place inside a group's name; a country there ("Syrian Democratic Forces") is
        kept as context: it still says which country the story is about."""
        if not any(a <= r.span.start and r.span.end <= b for a, b in actor_names):
            return False
        if _is_country(r):
            r.role = "context"
            return False
        return True

    # -- reading each span -------------------------------------------------------------------
    def _country_as_modifier(self, span: Span, doc: Doc) -> bool:
        """A country's name used as an adjective ("US-led coalition", "Turkey border guards") tells whose
        forces, not where: only a name after a preposition of place or standing alone is a place."""
        if not any(rec.feature == "country" for rec in self.gaz.records_for(span.text)):
            return False
        tok = _token_at(doc, span.start)
        if tok is None or tok.idx + len(tok.text) != span.end:
            return False
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.text == "-" and tok.i + 2 < len(doc) and doc[tok.i + 2].pos_ in ("VERB", "ADJ"):
            return True  # "US-led", "Turkey-backed"
        return (tok.dep_ in ("compound", "amod") and tok.head.pos_ == "NOUN" and tok.head.i == tok.i + 1
                and tok.head.lower_ not in PLACE_NOUNS)  # "the Syria border" is a place, "a US airstrike" is not

    def _read(self, span: Span, text: str, doc: Doc) -> _Reading:
        sent_start = text.rfind("\n", 0, span.start) + 1
        before = text[max(sent_start, span.start - 80):span.start]
        r = _Reading(span, before=before)
        after = text[span.end:span.end + 60]
        if span.kind == "dateline":
            r.role = "dateline"
        elif OBSERVER_AFTER.match(after) or SPEAKER_BEFORE.search(before):
            r.role = "observer"
        elif span.kind == "demonym" or span.extra.get("embedded") and not span.extra.get("tail"):
            r.role = "context"
        name = span.extra.get("stem", span.text)  # "Syrias" in copies without apostrophes
        country = None
        if span.kind == "dateline" and "," in name:  # "AL-BAB, Syria"
            name, _, country = (part.strip() for part in name.partition(","))
        if span.kind == "demonym":
            country = self.gaz.country_record(span.iso2)
            r.candidates = [(10.0, country)] if country else []
            return r
        if span.kind == "abbreviation":
            abbr = span.extra["abbreviation"]
            r.candidates = [(10.0, rec) for _, rec in self.gaz.candidates(abbr.name, abbr.iso2, frozenset({abbr.feature}))
                            if rec.iso2 == abbr.iso2][:1]
            return r
        core, r.features = split_feature_word(name)
        if m := PRE_FEATURE.search(before):
            _, r.features = split_feature_word("x " + m.group("word"))
        if "kind" in span.extra:  # "Jackson" in "Barrow, Jackson and Madison counties"
            _, r.features = split_feature_word("x " + span.extra["kind"])
        if r.role == "mention" and (m := POST_RELATIVE.match(after)):
            word = m.group("word").lower()
            if word == "countryside":
                r.precision, r.upgrade = 2, "admin1"
            elif word in ("suburbs", "outskirts"):
                r.precision = 2
            else:
                _, r.features = split_feature_word("x " + word)
            r.span = Span(span.start, span.end + m.end(), text[span.start:span.end + m.end()], span.sentence,
                          span.kind, span.label, span.strong, span.iso2, span.extra)
        if r.role == "mention" and (m := PRE_RELATIVE.search(before)):
            start = span.start - (len(before) - m.start())
            if m.group("rel"):
                r.precision = 2
                if m.group("rel").lower() == "countryside":
                    r.upgrade = "admin1"
            elif m.group("near"):
                r.precision, r.beside = 2, True
            elif m.group("rural"):
                r.precision, r.upgrade = 2, "admin1"
            elif m.group("dir"):
                r.direction = True
                r.side = re.sub(r"ern$|[\s-]", "", m.group("dir").lower())
            r.span = Span(start, r.span.end, text[start:r.span.end], span.sentence, span.kind, span.label,
                          span.strong, span.iso2, span.extra)
        if NEIGHBOUR_AFTER.match(after) or re.search(r"\bborders?\s+with\s+$", before, re.I):
            r.beside = True  # "on the Turkish border", "the border with Turkey": the other side of it
        if r.role == "mention" and span.kind == "name" and BACKER_BEFORE.search(before):
            r.role = "backer"
        if r.role == "mention" and span.kind == "name" and self._country_as_modifier(span, doc):
            r.role = "context"  # "US-led", "a US air strike": whose, not where
        if span.kind == "dateline":
            core = name
        iso2 = self.gaz.iso2_of(country) if country else None
        if iso2 is None and (m := NATIONAL_FRAME.search(before)):
            iso2 = self.gaz.demonym(m.group("adj")) or self.gaz.iso2_of(m.group("adj"))  # "the Syrian town of X"
            r.national = iso2
        # a name the gazetteer holds whole is that place ("New York City", "Falls Village"), before any
        # reading of its last word as a kind of place
        whole = core != name and self.gaz.has_key(fold(name))
        r.name = name if whole else core
        if whole:
            r.candidates = self.gaz.candidates(name, iso2, None)
        elif r.features and r.features & LOOSE_KINDS:
            # sources disagree on what a "district" or "village" is (a GED village may be a city quarter): the
            # kind word favours, it does not exclude
            r.candidates = sorted(((sc + KIND_BONUS if rec.feature in r.features else sc, rec)
                                   for sc, rec in self.gaz.candidates(core, iso2, None)), key=lambda sr: -sr[0])
        else:
            r.candidates = self.gaz.candidates(core, iso2, r.features) or (
                # "a district of Kharkiv": the kind word names a part of the place, which is what we know
                self.gaz.candidates(core, iso2, None) if r.features else [])
        named = self.gaz.named(core) + (self.gaz.named(name) if name != core else [])
        # "Barrow" for Barrow County is the unit's own name without its kind word, not another language's
        r.alternate = frozenset(rec.id for rec, alt in named if alt and not self.gaz.spelled_alike(r.name, rec)) - {
            rec.id for rec, alt in named if not alt}
        only_foreign = bool(r.candidates) and all(rec.id in r.alternate for _, rec in r.candidates)
        if (not r.candidates or only_foreign) and span.kind == "name" and r.role == "mention" and (
                span.strong or span.extra.get("framed")):
            near = self.gaz.near_spelling_candidates(core, r.features)
            if near and only_foreign:  # "Efrin": Afrin by its spelling, or a Libyan town by another language's name
                r.candidates = sorted(r.candidates + near, key=lambda sr: -sr[0])
                r.spelled = frozenset(rec.id for _, rec in near)
            elif near:
                r.candidates, r.near_spelling = near, True
        return r

    @staticmethod
    def _dated_dateline(readings: list[_Reading], text: str, focus: str | None) -> None:
        """"Last updated at Feb 02 2015 Beirut Syrian government air strikes...": a big city abroad right after
        the date that opens a copy is where the report was filed, not where the strikes were."""
        first = next((r for r in readings if r.role == "mention"), None)
        if (first is not None and first.best is not None and focus and first.best.iso2 != focus
                and first.best.population >= NOTABLE_POPULATION and first.span.start < DATELINE_REACH
                and DATE_BEFORE.search(text[:first.span.start]) and re.match(r"\s+[A-Z]", text[first.span.end:])):
            first.role = "dateline"

    def _capital_spans(self, text: str, spans: list[Span], doc: Doc) -> list[Span]:
        """"the Syrian capital" names a city without naming it."""
        out = []
        for m in CAPITAL_RE.finditer(text):
            # "the Syrian capital", "Syria's capital", and in copies without apostrophes "Syrias capital"
            iso2 = self.gaz.iso2_of(m.group("who") or m.group("owner"))
            capital = self.gaz.capital_of(iso2) if iso2 else None
            if capital is None:
                continue
            start, end = m.start(), m.end("cap")
            for s in list(spans):  # the demonym inside is now part of the capital phrase
                if start <= s.start < end:
                    spans.remove(s)
            sent = next((i for i, s in enumerate(sentences(doc)) if s.start_char <= start < s.end_char), 0)
            sp = Span(start, end, text[start:end], sent, "capital", None, True, iso2)
            sp.extra["capital"] = capital
            out.append(sp)
        return out

    def _link_parents(self, readings: list[_Reading], text: str) -> None:
        """Explicit containment: "X, in Y province" and "the Damascus suburb of X"."""
        for a, b in zip(readings, readings[1:]):
            if a.span.sentence != b.span.sentence or "mention" not in (a.role, b.role):
                continue
            gap = text[a.span.end:b.span.start]
            if PARENT_GAP.match(gap):
                a.parent = b
                # "Al Qousour district of Syria's eastern city of Deir ez-Zor": the city, past the country
                c = readings[readings.index(b) + 1] if b is not readings[-1] else None
                if (b.candidates and b.candidates[0][1].feature == "country" and c is not None
                        and c.span.sentence == b.span.sentence and PARENT_GAP.match(text[b.span.end:c.span.start])):
                    a.parent = c
            elif CHILD_GAP.match(gap):
                b.parent = a
            elif NEAR_GAP.match(gap) or b.beside and FEATURE_GAP.match(gap) and not _is_country(b):
                # ("Syria's border with Turkey" is no place by Turkey: a country beside a name is its border)
                a.anchor = b  # "the Mallah farms near the city of Aleppo", "the Shaar gas field east of Homs"

    # -- focus country -----------------------------------------------------------------------
    def _focus(self, readings: list[_Reading], article: Article) -> str | None:
        votes: Counter[str] = Counter()
        voters = [r for r in readings if self._may_vote(r)]
        for r in voters:
            if r.span.kind == "capital" or r.national and r.best.iso2 == r.national:
                votes[r.best.iso2] += 1.0  # the text says which country holds it
                continue
            # country names and demonyms often name backers and envoys; the places fought over say more
            # a country named outright is a little less telling than a place inside it ("a deal with Russia
            # to evacuate Arbin")
            weight = {"dateline": 0.3, "context": 0.5}.get(r.role, 0.8 if r.best.feature == "country" else 0.0)
            if r.best.feature != "country" and r.role == "mention":
                # a name found in one country only is a vote; a big city that dwarfs its namesakes half a vote;
                # hamlets abroad that share the name do not count against it
                countries = {rec.iso2 for _, rec in r.candidates
                             if rec.source != "geonames" or rec.population >= HAMLET or rec.feature != "town"}
                big = r.best.population >= NOTABLE_POPULATION and r.candidates[0][0] - max(
                    (s for s, rec in r.candidates if rec.iso2 != r.best.iso2), default=0) > 0.5
                weight = 1.0 if len(countries) == 1 else 0.5 if big else 0.0
                if not r.span.strong and r.best.source == "geonames" and r.best.population < SMALL_PLACE:
                    weight = 0.0  # a capitalised word that happens to name some village abroad
                if len(countries) == 1:
                    votes[next(iter(countries))] += weight
                    continue
            votes[r.best.iso2] += weight
        # the headline names what the story is about: each country it names, or names a place of, gets a vote
        title = article.title or ""
        for iso2 in {r.best.iso2 for r in voters if r.role in ("mention", "context") and names_in(r.span.text, title)}:
            votes[iso2] += TITLE_VOTE
        if article.dateline and not any(r.role == "dateline" for r in readings):
            top = self.gaz.candidates(article.dateline)
            if top:
                votes[top[0][1].iso2] += 0.3
        if not votes or votes.most_common(1)[0][1] <= 0:
            return None
        best = max(votes.values())
        for r in readings:  # ties: the country the article names first
            if r.best and votes.get(r.best.iso2) == best:
                return r.best.iso2
        return votes.most_common(1)[0][0]

    def _may_vote(self, r: _Reading) -> bool:
        if r.role in ("observer", "backer") or r.best is None or r.near_spelling or self._foreign_name(r, None):
            return False
        if r.beside and r.best.feature == "country":
            return False  # "clashes near Lebanon" are seldom in Lebanon
        # "Kills" in a headline, folded like Kells, says nothing of Ireland
        return r.span.strong or not r.loose

    # -- choosing a candidate ----------------------------------------------------------------
    def _choose(self, r: _Reading, readings: list[_Reading], focus: str | None, focus_named: bool = True) -> None:
        if r.span.kind == "capital":
            r.best, r.score = r.span.extra["capital"], 10.0
            return
        candidates = r.candidates
        if r.near_spelling:  # a guessed spelling is only believable for a place in the article's country
            candidates = [(s, rec) for s, rec in candidates if focus and rec.iso2 == focus
                          and rec.feature != "country"]
            r.best = None
        candidates = [(sc, rec) for sc, rec in candidates if rec.id not in r.spelled or focus and rec.iso2 == focus]
        if not candidates:
            r.best = None
            return
        # other places the article names; another mention of the same name is no evidence for itself
        own = {rec.id for _, rec in r.candidates}
        context = [o.best for o in readings if o is not r and o.best is not None and o.role in CONTEXT_ROLES
                   and o.best.feature != "country" and o.best.id not in own]
        nearby = [c for c in context if c.lat is not None and c.feature not in ("admin1", "continent")]
        # a place holds or lies in places of its own country only: each candidate is tested against those
        context_in = _by_country(context)
        # countries the article names as places: "Damascus" beside "Syria" is the Syrian capital even in a
        # story told from Washington
        named_countries = {o.best.iso2 for o in readings if o.best is not None and o.best.feature == "country"
                           and o.role in ("mention", "dateline")}
        # "northeastern Syria": the article's places lie in that part of the country
        sides = [o for o in readings if o is not r and o.side and o.best is not None
                 and o.best.feature in ("country", "admin1") and o.best.lat is not None]
        scored = []
        for base, rec in candidates:
            score = base
            if focus and rec.iso2 == focus and r.role != "dateline":
                score += FOCUS_BONUS if focus_named else WEAK_FOCUS_BONUS
            if rec.iso2 != focus and rec.iso2 in named_countries and rec.feature != "country":
                score += NAMED_COUNTRY_BONUS
            if any(self.gaz.contains(parent, rec) for parent in context_in.get(rec.iso2, ())):
                score += CONTEXT_BONUS
            elif rec.lat is not None and rec.feature not in ("country", "admin1", "continent") and any(
                    _within_km(rec, c, NEAR_KM) for c in nearby):
                score += NEAR_BONUS  # the article's places cluster: a namesake far from the rest is less likely
            if rec.feature in ("country", "admin1", "admin2") and any(
                    self.gaz.contains(rec, c) for c in context_in.get(rec.iso2, ())):
                score += HOLDER_BONUS  # "Georgia" beside Georgian towns is the state that holds them
            if r.parent is not None and r.parent.best is not None and self.gaz.contains(r.parent.best, rec):
                score += PARENT_BONUS
            if any(on_side(rec, o.best, o.side) for o in sides):
                score += SIDE_BONUS
            scored.append((score, rec))
        scored.sort(key=lambda sr: -sr[0])
        r.score, r.best = scored[0]
        stand_in = self._stand_in(r, [rec for _, rec in scored], focus)
        if stand_in is not None:  # the place the text puts it in or near, less exactly
            r.score, r.best, r.precision, r.loose = stand_in.score, stand_in.best, 2, False
            return
        if self._foreign_name(r, focus):  # then the best place that bears the name itself, if any
            r.score, r.best = next(((sc, rec) for sc, rec in scored if rec.id not in r.alternate), (0.0, None))
        self._note_spelling(r)
        self._upgrade(r)

    def _stand_in(self, r: _Reading, candidates: list[Record], focus: str | None) -> _Reading | None:
        """The reading that stands in for a name the gazetteer knows only elsewhere: "the Mallah farms near
        Aleppo" with no Mallah near Aleppo, "Al Qousour district of Deir ez-Zor" with no such district there."""
        if r.role != "mention":
            return None
        anchor = r.anchor.best if r.anchor is not None else None
        if anchor is not None and anchor.lat is not None and anchor.iso2 == focus and not any(
                rec.lat is not None and km(rec.lat, rec.lon, anchor.lat, anchor.lon) <= ANCHOR_KM
                for rec in candidates):
            return r.anchor
        parent = r.parent.best if r.parent is not None else None
        if (parent is not None and parent.feature != "country" and parent.iso2 == focus and r.features
                and r.features & PART_KINDS and not any(self.gaz.contains(parent, rec) for rec in candidates)):
            return r.parent
        return None

    def _name_homes(self, readings: list[_Reading], focus: str | None) -> None:
        named = {r.best.iso2 for r in readings if r.role == "mention" and r.best is not None
                 and r.best.feature == "country"}
        for r in readings:
            countries = {rec.iso2 for _, rec in r.candidates}
            # only for names that look like places: "English" and "Congress" have one namesake too
            if (r.role == "mention" and r.best is not None and len(countries) == 1
                    and r.best.iso2 in named - {focus} and (r.span.strong or self._opens_place_name(r))):
                r.home = r.best.iso2

    def _opens_place_name(self, r: _Reading) -> bool:
        """"Tel Abyad", "Deir Hafer": a name of two words or more whose first word opens place names."""
        return " " in r.span.text.strip() and fold(r.span.text).split()[0] in self.openers

    def _short_forms(self, readings: list[_Reading], focus: str | None) -> None:
        """"al-Malaah Farms" resolved near Aleppo makes "al-Malaah" in the same report that area, not a namesake
        hamlet 300 km away: a report uses one name for one place."""
        longer = [(fold(o.name), o) for o in readings if o.role == "mention" and o.best is not None
                  and o.best.iso2 == focus and o.best.lat is not None
                  and o.best.feature not in ("country", "admin1", "admin2", "admin3")]
        for r in readings:
            if r.role not in ("mention", "context") or r.best is None or r.best.lat is None or not r.name or (
                    r.best.population >= NOTABLE_POPULATION):
                continue
            key = fold(r.name) + " "
            full = next((o for folded, o in longer if o is not r and folded.startswith(key)), None)
            if full is not None and km(r.best.lat, r.best.lon, full.best.lat, full.best.lon) > ANCHOR_KM:
                r.best, r.score, r.precision, r.loose = full.best, full.score, 2, False

    def _note_spelling(self, r: _Reading) -> None:
        """"Kill" read as Kiel: a weak guess unless a kind word or phrase frames the name ("Daraa province")."""
        framed = r.features is not None or r.precision is not None or r.span.extra.get("framed") or r.national
        best = r.best
        if best is None or not r.name or framed or best.iso2 in self.gaz.transliterated:
            r.loose = False
            return
        # the same place under the text's spelling in another source also counts ("Douma" in GED, "Duma" in
        # GeoNames)
        same_place = [rec for _, rec in r.candidates if rec is best or rec.lat is not None and best.lat is not None
                      and km(rec.lat, rec.lon, best.lat, best.lon) <= SAME_PLACE_KM]
        r.loose = not any(self.gaz.spelled_alike(r.name, rec) for rec in [best] + same_place)

    def _upgrade(self, r: _Reading) -> None:
        """"the Idlib countryside": the province around the named town."""
        if r.upgrade == "admin1" and r.best is not None and r.best.feature != "admin1" and r.best.admin1:
            admin = [rec for _, rec in self.gaz.candidates(r.best.admin1, r.best.iso2, frozenset({"admin1"}))
                     if rec.iso2 == r.best.iso2]
            if admin:
                r.best = admin[0]

    def _keep(self, r: _Reading, focus: str | None) -> bool:
        """Spans spaCy did not call places must earn their place: a country, a province, a big city, or a
        place in the article's own country (and for a PERSON-tagged span, a preposition before it)."""
        embedded = r.span.extra.get("embedded", False)
        if r.span.strong or r.role != "mention" and not embedded or (
                r.best is None and r.span.label in ("GPE", "LOC", "FAC")):
            return True
        if r.best is None:
            return False
        if r.loose and r.best.iso2 != focus:
            return False  # "Kill" in a headline is not Kiel: fold()'s spellings are believed of local places
        notable = r.best.feature in ("country", "admin1") or r.best.population >= NOTABLE_POPULATION
        if r.span.extra.get("person"):  # "Mustafa" is a Damascus neighbourhood and a man's name
            opener = self._opens_place_name(r)
            return bool(LOCATIVE_BEFORE.search(r.before)) or (notable or opener) and r.best.iso2 in (focus, r.home)
        return notable or r.best.iso2 in (focus, r.home)

    def _mention(self, r: _Reading, focus: str | None) -> PlaceMention:
        role = "context" if r.role == "backer" else r.role
        if r.beside and r.best is not None and r.best.feature == "country" and focus and r.best.iso2 != focus:
            role = "context"  # "jihadists killed near Lebanon" in a Syrian story: a neighbour, not the place
        place = None
        # a small foreign namesake of a local place we do not know is worse than no answer
        abroad = (r.best is not None and r.role == "mention" and r.best.iso2 not in (focus, r.national, r.home)
                  and r.best.feature not in ("country", "admin1"))
        obscure_abroad = abroad and (focus is not None and r.best.population < NOTABLE_POPULATION or (
            # "al-Sinaah district" in a Syrian story is not Siena, nor "Kills" Kells: only a great city is
            # believed under a spelling that merely folds like its own
            r.loose and r.best.population < GREAT_CITY and (focus is not None or not r.span.strong)))
        # a name a place bears only in some other language ("Reval" for Tallinn) is believed of a big city
        # spaCy also calls a place, or of a place in the article's own country
        if r.best is not None and not obscure_abroad:
            precision = r.precision
            if r.direction:
                precision = 3 if r.best.feature in ("country", "admin1") else 2
            place = self.gaz.place(r.best, precision)
        s = r.span
        return PlaceMention(s.start, s.end, s.text, s.sentence, place, role, round(r.score, 2))

    @staticmethod
    def _foreign_name(r: _Reading, focus: str | None) -> bool:
        """A name the place bears only in some other language ("Reval" for Tallinn) is believed of a big city
        spaCy also calls a place, or of a place in the article's own country."""
        return r.best is not None and r.best.id in r.alternate and not (
            r.span.strong and r.best.population >= NOTABLE_POPULATION or focus is not None and r.best.iso2 == focus
            # ...or of the one place anywhere that bears it, when spaCy too calls it a place ("Kobani")
            or r.span.strong and len(r.candidates) == 1
            # ...or of a place the text itself puts in its country ("the Syrian border town of Kobani")
            or r.national is not None and r.best.iso2 == r.national)

    def _border_mentions(self, text: str, doc: Doc, readings: list[_Reading],
                         focus: str | None) -> list[PlaceMention]:
        """"near the borders with Jordan and Israel": the neighbours become context; the phrase itself is a
        relative place in the nearer region when the sentence names one, else in the focus country."""
        out = []
        for m in BORDER_RE.finditer(text):
            tail = [r for r in readings if r.span.start >= m.end() and r.span.start - m.end() < 60
                    and r.best is not None and r.best.feature == "country"]
            end = m.end()
            for r in tail:
                if re.fullmatch(r"\s*(?:,|and|, and)?\s*", text[end:r.span.start]):
                    r.role = "context"
                    end = r.span.end
                else:
                    break
            if end == m.end():
                continue
            sentence = next((i for i, s in enumerate(sentences(doc)) if s.start_char <= m.start() < s.end_char), 0)
            region = [r for r in readings if r.span.sentence == sentence and r.span.end <= m.start()
                      and r.best is not None and r.best.feature in ("admin1", "admin2", "region")
                      and r.role == "mention"]
            # "on Syria's border with Turkey": the border of the country the phrase names
            owner = next((r for r in readings if m.start() <= r.span.start < m.end() and r.best is not None
                          and r.best.feature == "country"), None)
            if region:
                place = self.gaz.place(region[-1].best, 2)
            elif owner is not None:
                place = self.gaz.place(owner.best, 3)
            elif focus:
                place = self.gaz.place(self.gaz.country_record(focus), 3)
            else:
                place = None
            out.append(PlaceMention(m.start(), end, text[m.start():end], sentence, place, "mention", 1.0))
        return out
