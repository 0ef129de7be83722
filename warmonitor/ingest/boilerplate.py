"""Lines around a story that are not the story: bylines, timestamps, reading times, photo captions."""
from __future__ import annotations

import re

from warmonitor.ingest.dateline import normalise_agency

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?"
_BYLINE = re.compile(r"^By[ \t]+(?P<who>\S.{0,80})$", re.IGNORECASE)
_TIMESTAMP = re.compile(
    rf"^(?:(?:Updated|Published|Posted)[:\s]+)?(?:{_WEEKDAY}\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[.\-]\d{1,2}[.\-]\d{4})"
    r"(?:,?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)?(?:\s+[A-Z]{2,5})?$",
    re.IGNORECASE,
)
_READ_TIME = re.compile(r"^\d+\s+min(?:ute)?s?\.?\s+read\.?$", re.IGNORECASE)
_CREDIT = re.compile(r"\((?:photo(?:\s+credit)?|credit|image|picture|photograph)\s*:[^)]*\)\s*$", re.IGNORECASE)
_BYLINE_SPLIT = re.compile(r"\s+and\s+|\s*[,/;&]\s*", re.IGNORECASE)
_AGENCY_WORD = re.compile(r"^[A-Za-z][A-Za-z\-]+$")
# Where a copied page's list of other stories begins: what follows is their headlines, not this story.
_RELATED = re.compile(r"\b(?:Related|More) (?:News|Articles|Stories|Posts|Coverage)\b")
# Shorter lines could start a caption by accident ("A", "The army").
_MIN_CAPTION = 20


def is_byline(line: str) -> bool:
    return bool(_BYLINE.match(line.strip()))


def byline_agency(line: str) -> str | None:
    """The wire agency a byline names ("By REUTERS" -> "Reuters"); None for a person's name.

    An agency is a single word; a reporter has at least two ("By Anne Smith").
    """
    m = _BYLINE.match(line.strip())
    if not m:
        return None
    for part in _BYLINE_SPLIT.split(m["who"].strip()):
        words = part.split()
        if words and words[-1].lower() == "staff":
            words = words[:-1]
        if len(words) == 1 and _AGENCY_WORD.match(words[0]):
            return normalise_agency(words[0])
    return None


def is_timestamp(line: str) -> bool:
    return bool(_TIMESTAMP.match(line.strip()))


def is_read_time(line: str) -> bool:
    return bool(_READ_TIME.match(line.strip()))


def is_credited_caption(line: str) -> bool:
    """A photo caption ending in its credit: "... (photo credit: NAME/ REUTERS)"."""
    return bool(_CREDIT.search(line.strip()))


def is_boilerplate(line: str, captions: list[str] = ()) -> bool:
    """True for a byline, timestamp, reading time or caption line.

    Sites often print a caption twice, once without its credit: a line that starts a
    credited caption in `captions` counts as a caption too.
    """
    s = line.strip()
    if not s:
        return False
    if is_byline(s) or is_timestamp(s) or is_read_time(s) or is_credited_caption(s):
        return True
    return len(s) >= _MIN_CAPTION and any(c != s and c.startswith(s.rstrip(".")) for c in captions)


def story_end(text: str) -> int:
    """Where the story ends: before a "Related News" list of other headlines, or at the end of the text."""
    m = _RELATED.search(text)
    return m.start() if m else len(text)
