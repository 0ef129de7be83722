"""Finding toponym spans in a parsed article: spaCy entities plus a gazetteer phrase matcher.

This module only says *where* names are and what surrounds them; places.py decides what they refer to.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from warmonitor.resolve.gazetteer import DATA_DIR, Gazetteer, fold

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# A place name found inside one of these longer entities is part of a name, not a place ("Syrian Observatory").
NAME_LABELS = frozenset({"ORG", "PERSON", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"})
# Lower-case words allowed inside a multi-word place name.
CONNECTORS = frozenset("al el ad ed ar er as es az ez ash esh at an adh ath of de du la le des the bin ibn bani "
                       "abu um umm wadi tal tell jabal jebel ras ain deir dayr kafr kfar bab".split())
# Lower-case words that may open a gazetteer name ("eastern Ghouta", "rural Damascus").
LEADING = frozenset("eastern western northern southern rural upper lower greater".split())
MAX_WORDS = 6

DATELINE_RE = re.compile(
    r"(?m)^[ \t]*([A-Z][A-Z'.\-]+(?: [A-Z][A-Z'.\-]+){0,3})(?:, [A-Z][A-Za-z.' ]{1,30}?)?[ ]*"
    r"(?:\([^)\n]{1,40}\)[ ]*)?[-\u2013\u2014:][ ]")


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


def load_stoplist(path: Path | None = None) -> frozenset[str]:
    path = path or DATA_DIR / "not_places.txt"
    return frozenset(fold(w) for w in path.read_text(encoding="utf-8").splitlines()
                     if w.strip() and not w.startswith("#"))


def _capitalised(text: str) -> bool:
    return text[:1].isupper()


class ToponymFinder:
    def __init__(self, gazetteer: Gazetteer, stoplist: frozenset[str] | None = None):
        self.gaz = gazetteer
        self.stoplist = load_stoplist() if stoplist is None else stoplist

    def find(self, doc: Doc, dateline: str | None) -> list[Span]:
        sent_of = _sentence_index(doc)
        spans: list[Span] = []
        taken = [False] * len(doc.text)

        def claim(start: int, end: int) -> bool:
            if any(taken[start:end]):
                return False
            for k in range(start, end):
                taken[k] = True
            return True

        dl = self._dateline(doc.text, dateline)
        if dl and claim(*dl):
            spans.append(Span(dl[0], dl[1], doc.text[dl[0]:dl[1]], sent_of(dl[0]), "dateline"))
        ent_at = {}
        for ent in doc.ents:
            for tok in ent:
                ent_at[tok.i] = ent
        for m in self._gazetteer_matches(doc, ent_at):
            if claim(m.start, m.end):
                m.sentence = sent_of(m.start)
                spans.append(m)
        for ent in doc.ents:  # places spaCy sees that the gazetteer does not know: kept, unresolved
            if ent.label_ in PLACE_LABELS:
                s, e = ent.start_char, ent.end_char
                if ent[0].lower_ == "the":
                    s = ent[1].idx if len(ent) > 1 else s
                if claim(s, e):
                    spans.append(Span(s, e, doc.text[s:e], sent_of(s), "name", ent.label_))
        spans.sort(key=lambda sp: sp.start)
        return spans

    def _dateline(self, text: str, dateline: str | None) -> tuple[int, int] | None:
        head = text[:3000]
        if dateline:
            m = re.search(r"(?m)^[ \t]*(" + re.escape(dateline.strip()) + r")\b", head, re.IGNORECASE)
            if m:
                return m.start(1), m.end(1)
        for m in DATELINE_RE.finditer(head):
            if self.gaz.has_key(fold(m.group(1))):
                return m.start(1), m.end(1)
        return None

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
        if not first.is_alpha:
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
            if any(t.is_punct and t.text not in "-'\u2019" for t in span) or any(t.is_space for t in span):
                continue
            key = fold(span.text)
            iso2 = self.gaz.demonym(span.text)
            if not (iso2 or self.gaz.has_key(key)):
                continue
            ent = ent_at.get(i) if ent_at.get(i) is ent_at.get(i + n - 1) else None
            inside = {ent_at.get(t.i) for t in span} - {None}
            # a name strictly inside a longer organisation/person name is part of that name
            if any(e.label_ in NAME_LABELS and (e.start < i or e.end > i + n) for e in inside):
                continue
            label = ent.label_ if ent is not None and ent.start == i and ent.end == i + n else None
            place_ent = any(e.label_ in PLACE_LABELS for e in inside)
            if key in self.stoplist or not place_ent and n == 1 and len(key) < 4 and not iso2 and not first.is_upper:
                continue
            # a short all-capitals word is an acronym ("SANA", "NNA"), unless it names a country ("UK")
            if (n == 1 and first.is_upper and len(first.text) <= 5 and not place_ent
                    and not any(self.gaz.record(j).feature == "country" for j in self.gaz.indices(key))):
                continue
            kind = "demonym" if iso2 else "name"  # "Syrian" is the country's adjective before any place
            sp = Span(span.start_char, span.end_char, span.text, 0, kind, label,
                      strong=place_ent or kind == "demonym" or label == "NORP", iso2=iso2)
            sp.extra["person"] = label == "PERSON"
            return sp, i + n
        return None


def _sentence_index(doc: Doc):
    starts = [s.start_char for s in doc.sents]

    def sent_of(char: int) -> int:
        return max(0, bisect.bisect_right(starts, char) - 1)

    return sent_of
