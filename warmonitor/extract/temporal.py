"""Time expressions in a sentence, resolved against the article's date.

The result is a span of days plus ACLED's time_precision (1 day, 2 week, 3 month).
Weeks run Sunday to Saturday, so "last week" in a report of Tuesday 20 March 2018 is
11-17 March, coded on its middle day. dateparser reads absolute dates ("March 18",
"18 March 2017"); the spans, weeks and background cues are warmonitor's own rules,
because no library returns a period with a precision.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

import dateparser

MONTHS = ("january february march april may june july august september october november december").split()
WEEKDAYS = ("monday tuesday wednesday thursday friday saturday sunday").split()
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty-four|forty-eight)"
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "twenty-four": 24, "forty-eight": 48}


@dataclass(frozen=True)
class TimeSpan:
    event_date: date
    start: date
    end: date
    precision: int


@dataclass(frozen=True)
class TimeExpression:
    start: int  # offsets into the text that was searched
    end: int
    text: str
    kind: str  # day, weekday, week, month, absolute, duration, background
    span: TimeSpan | None  # None for background or when no article date is known


# A month name's first three letters: every _MONTH holds one.
_MONTH_CUE = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Order matters: longer, more specific forms first. Each pattern comes with its cue: lower-case words one of which
# every match of it holds (none: no such words, always tried). Most sentences hold no cue of most patterns, and
# looking for a word is far cheaper than trying a pattern full of alternatives at every position.
_PATTERNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("background", r"\b(?:early|earlier|late|later) in the (?:[\w-]+ )*?(?:war|conflict|uprising|crisis|revolution)\b",
     ("in the",)),
    ("background", r"\b(?:last|past|previous) (?:year|decade)\b|\bin recent years\b|\bfor (?:years|decades|months)\b",
     ("year", "decade", "month")),
    ("background", r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|many) (?:years|decades) ago\b",
     ("ago",)),
    ("background", r"\b(?:since|in|during) (?:19|20)\d\d\b", ("19", "20")),
    ("background", r"\bbetween (?:\w+ )?(?:19|20)\d\d and (?:\w+ )?(?:19|20)\d\d\b|\b\w+ (?:years|decades) since\b",
     ("between", "since")),
    ("background", r"\b(?:in|since|during) (?:the )?(?:\d{4}s|early days|beginning of the (?:war|conflict))\b", ()),
    ("relative",
     rf"\b{_NUM} days? (?:later|earlier)\b|\bthe (?:next|following|previous) (?:day|morning|evening|night)\b",
     ("later", "earlier", "next", "following", "previous")),
    ("offset", rf"\b{_NUM} days? (?:after|before)\b|\bthe day (?:after|before)\b", ("after", "before")),
    ("relative", r"\blater (?:in the|that) (?:day|evening|night|morning|afternoon)\b|\bhours later\b", ("later",)),
    ("duration", rf"\b(?:that |which )?lasted (?:about |nearly |more than )?{_NUM} (?:hours?|days?)\b", ("lasted",)),
    ("duration", rf"\b(?:over|in|during) the (?:past|last) {_NUM} (?:hours?|days?)\b", ("past", "last")),
    ("duration", r"\b(?:24|48|72)-hour\b", ("-hour",)),
    ("absolute", rf"\b(?:on )?{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?(?:,? (?:19|20)\d\d)?\b", _MONTH_CUE),
    ("absolute", rf"\b(?:on )?\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH}(?:,? (?:19|20)\d\d)?\b", _MONTH_CUE),
    ("month", rf"\b(?:in|during|since|early|late|mid-?|last) ?{_MONTH}(?: (?:19|20)\d\d)?\b", _MONTH_CUE),
    ("week", r"\b(?:earlier|late|early) (?:this|last) (?:week|month)\b", ("week", "month")),
    ("week", r"\b(?:last|this|past|previous) (?:week|weekend|month)\b", ("week", "month")),
    ("week", r"\b(?:in )?the (?:past|last) (?:few|several|couple of) days\b", ("days",)),
    ("day", rf"\b{_NUM} days? ago\b", ("ago",)),
    ("weekday", rf"\b(?:on |late |early |last )?{_WEEKDAY}(?: (?:morning|afternoon|evening|night))?\b", ("day",)),
    ("day", r"\b(?:yesterday|today|tonight|this (?:morning|afternoon|evening)|last night|overnight|on the day)\b",
     ("day", "night", "morning", "afternoon", "evening")),
]
_COMPILED = [(kind, re.compile(rx, re.IGNORECASE), cue) for kind, rx, cue in _PATTERNS]
# Characters re.IGNORECASE takes for an ASCII letter that str.lower() does not turn into that letter (the long s
# is an "s", the Kelvin sign a "k"): in a text holding one, a cue could be missed, so every pattern is tried.
_CASE_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")


def _cue_text(text: str) -> str | None:
    """The text as the cues are looked for in it; None when a cue could be missed in it."""
    return None if _CASE_TRAPS.search(text) else text.lower()


def _may_match(cue: tuple[str, ...], cue_text: str | None) -> bool:
    return not cue or cue_text is None or any(word in cue_text for word in cue)


def find_time_expressions(text: str, published: date | None, offset: int = 0,
                          anchor: date | None = None) -> list[TimeExpression]:
    """All time expressions in `text`, non-overlapping, earliest first; offsets shifted by `offset`.
    `anchor` is the last day the report has named before `text`: "two days later" counts from it."""
    taken: list[tuple[int, int]] = []
    found: list[TimeExpression] = []
    cue_text = _cue_text(text)
    for kind, rx, cue in _COMPILED:
        if not _may_match(cue, cue_text):
            continue
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            expr_text = m.group(0)
            if kind == "month" and not _looks_like_month(expr_text):
                continue
            year = re.search(r"(?:19|20)\d\d", expr_text)
            if kind == "background" and year and published and int(year.group(0)) >= published.year:
                continue  # "in 2018" in a 2018 report says nothing about the past
            taken.append((m.start(), m.end()))
            if kind in ("relative", "offset"):
                span = _relative(expr_text, anchor, published) if anchor is not None else None
                if span is None:
                    continue
            else:
                span = None if kind == "background" or published is None else _resolve(kind, expr_text, published)
            if kind != "background" and published is not None and span is None:
                continue  # unreadable, or a date in the future: not evidence of when the event was
            if span is not None and (published - span.start).days > 62 and kind in ("absolute", "month"):
                kind = "background"  # an exact date months before the report is history, not news
            found.append(TimeExpression(m.start() + offset, m.end() + offset, expr_text, kind, span))
    return sorted(found, key=lambda t: t.start)


def _looks_like_month(text: str) -> bool:
    # "may" and "march" are also common words; accept them only with a cue before ("in May").
    word = re.sub(r"[^a-z]", " ", text.lower()).split()
    return bool(word) and (word[-1] not in ("may", "march") or word[0] in ("in", "during", "since", "early", "late", "mid", "last"))


def _relative(text: str, anchor: date, published: date | None) -> TimeSpan | None:
    t = text.lower()
    m = re.search(rf"({_NUM}|the) days? (later|earlier|after|before)", t)
    if m:
        n = 1 if m.group(1) == "the" else _number(m.group(1))
        # "two days later" counts forward from the anchor; "came a day after the strikes" dates
        # the strikes, which are the earlier event
        d = anchor + timedelta(days=n if m.group(2) in ("later", "before") else -n)
    elif "next" in t or "following" in t:
        d = anchor + timedelta(days=1)
    elif "previous" in t:
        d = anchor - timedelta(days=1)
    else:  # later that day, hours later
        d = anchor
    if published is not None and d > published:
        return None
    return TimeSpan(d, d, d, 1)


def week_of(day: date) -> tuple[date, date]:
    """The Sunday-to-Saturday week holding `day`."""
    start = day - timedelta(days=(day.weekday() + 1) % 7)
    return start, start + timedelta(days=6)


def _resolve(kind: str, text: str, pub: date) -> TimeSpan | None:
    t = text.lower()
    if kind == "day":
        if "yesterday" in t or "last night" in t or "overnight" in t:
            d = pub - timedelta(days=1)
            return TimeSpan(d, d, d if "yesterday" in t else pub, 1)
        m = re.search(rf"({_NUM}) days? ago", t)
        if m:
            d = pub - timedelta(days=_number(m.group(1)))
            return TimeSpan(d, d, d, 1)
        return TimeSpan(pub, pub, pub, 1)
    if kind == "weekday":
        wd = next(i for i, name in enumerate(WEEKDAYS) if name in t)
        back = (pub.weekday() - wd) % 7
        if t.startswith("last ") and back == 0:
            back = 7
        d = pub - timedelta(days=back)
        return TimeSpan(d, d, d, 1)
    if kind == "week":
        if "month" in t:
            first = pub.replace(day=1)
            if "last" in t or "previous" in t:
                end = first - timedelta(days=1)
                start = end.replace(day=1)
                return TimeSpan(start, start, end, 3)
            return TimeSpan(first, first, pub, 3)
        if "days" in t:
            start = pub - timedelta(days=3)
            return TimeSpan(pub - timedelta(days=1), start, pub, 2)
        this_start, _ = week_of(pub)
        if "last" in t or "previous" in t or ("past" in t and "week" in t):
            start = this_start - timedelta(days=7)
            if "weekend" in t:
                return TimeSpan(start + timedelta(days=6), start + timedelta(days=6), this_start, 2)
            return TimeSpan(start + timedelta(days=3), start, start + timedelta(days=6), 2)
        start = this_start
        mid = min(start + timedelta(days=3), pub)
        return TimeSpan(mid, start, pub, 2)
    if kind == "duration":
        m = re.search(rf"({_NUM})[ -](hours?|days?)", t)
        if not m:
            return None
        n = _number(m.group(1))
        days = math.ceil(n / 24) if m.group(2).startswith("hour") else n
        return TimeSpan(pub, pub - timedelta(days=days), pub, 1)
    if kind in ("absolute", "month"):
        return _absolute(kind, t, pub)
    return None


def _absolute(kind: str, t: str, pub: date) -> TimeSpan | None:
    last = t.startswith("last ")
    t = re.sub(r"^(on|in|during|since|early|late|mid-?|last)\s*", "", t).strip()
    settings = {"RELATIVE_BASE": _midnight(pub), "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["month"],
                "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    parsed = dateparser.parse(t, languages=["en"], settings=settings)
    if parsed is None:
        return None
    d = parsed.date()
    has_year = re.search(r"(19|20)\d\d", t) is not None
    if not has_year and (d > pub or (last and (d.year, d.month) == (pub.year, pub.month))):
        d = d.replace(year=d.year - 1)
    if d > pub:
        return None
    if kind == "month":
        nxt = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        return TimeSpan(d, d, min(nxt - timedelta(days=1), pub), 3)
    return TimeSpan(d, d, d, 1)


def _midnight(d: date):
    from datetime import datetime

    return datetime(d.year, d.month, d.day, 12)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word, 1)
