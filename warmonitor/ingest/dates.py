"""Dates: parsing given date strings and discovering a publication date near the top of a story."""
from __future__ import annotations

import re
from datetime import date

import dateparser

# Years outside this window are almost always misreads (page numbers, casualty counts).
_MIN_YEAR, _MAX_YEAR = 1900, 2100

# Only absolute dates: a relative one ("today", "3 days ago") would be read against the
# machine's clock, which says nothing about when the story was written.
_SETTINGS = {
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "DATE_ORDER": "DMY",  # wire copy outside the US writes 05.04.2017 as 5 April
    "RETURN_AS_TIMEZONE_AWARE": False,
}

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\b")
# A weekday in front ("Wed 05 Apr 2017") needs no pattern of its own: the date after it is found anyway.
_CANDIDATE = re.compile(
    rf"(?P<iso>\b\d{{4}}-\d{{1,2}}-\d{{1,2}}\b)"
    # Day first, as written in most of the world ("15.04.2017", "21-08-2014"); slashes are left out because
    # US sites write month first. No \b at the end: scraped pages glue words on ("07.07.2015Get").
    rf"|(?P<dotted>(?<!\d)\d{{1,2}}(?P<sep>[.\-])\d{{1,2}}(?P=sep)\d{{4}}(?!\d))"
    rf"|(?P<dmy>\b{_DAY}\s+{_MONTH},?\s+\d{{4}}\b)"
    rf"|(?P<mdy>\b{_MONTH}\s+{_DAY},?\s+\d{{4}}\b)",
    re.IGNORECASE,
)


def _plausible(d: date) -> date | None:
    return d if _MIN_YEAR <= d.year <= _MAX_YEAR else None


def _from_iso(value: str) -> date | None:
    m = _ISO.match(value)
    if not m:
        return None
    try:
        return _plausible(date(int(m[1]), int(m[2]), int(m[3])))
    except ValueError:
        return None


def parse_date(value: str | None) -> date | None:
    """Read one date string: YYYY-MM-DD, or anything dateparser reads as an absolute date; else None."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    if _ISO.match(value):
        return _from_iso(value)
    try:
        parsed = dateparser.parse(value, languages=["en"], settings=_SETTINGS)
    except (ValueError, OverflowError):
        return None
    return _plausible(parsed.date()) if parsed else None


def find_date(*texts: str | None) -> date | None:
    """The first full date written in `texts` (searched in order), or None.

    A date without a year ("DAMASCUS, March 5 (Reuters)") is not a candidate: guessing the
    year would be wrong every January.
    """
    for text in texts:
        if not text:
            continue
        for m in _CANDIDATE.finditer(text):
            found = _from_iso(m["iso"]) if m["iso"] else parse_date(m.group(0))
            if found:
                return found
    return None
