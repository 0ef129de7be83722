"""Plain-text articles, with or without the dated header ("date 2018-03-20 March 20 2018")."""
from __future__ import annotations

import re

from warmonitor.ingest.boilerplate import byline_agency, is_boilerplate, is_credited_caption
from warmonitor.ingest.dateline import find_dateline
from warmonitor.ingest.dates import parse_date
from warmonitor.ingest.problem import Draft
from warmonitor.ingest.story import story_draft, tidy

_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{1,2}-\d{1,2})\b", re.IGNORECASE)
# A headline is one short line; longer first lines are already story.
_MAX_TITLE = 150
_FINAL_PUNCTUATION = ".!?;:,"
# How far below the headline a dateline paragraph is looked for (subtitle, byline, captions...).
_DATELINE_SCAN_LINES = 20


def parse_text(text: str) -> Draft:
    """Read a text article: the dated header format when its first line says `date YYYY-MM-DD`, else plain."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    header = _HEADER.match(lines[first]) if first < len(lines) else None
    if header:
        return _parse_dated(lines[first + 1:], header.group(1))
    return _parse_plain(lines[first:])


def _parse_dated(lines: list[str], iso_date: str) -> Draft:
    """Headline, then subtitle/byline/timestamp/captions, then the story from its dateline paragraph on."""
    body_start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    title = lines[body_start].strip() if body_start < len(lines) else None
    rest = lines[body_start + 1:]

    byline = next((a for a in map(byline_agency, rest[:_DATELINE_SCAN_LINES]) if a), None)
    story_at = None
    seen = 0
    for i, line in enumerate(rest):
        if not line.strip():
            continue
        if find_dateline(line):
            story_at = i
            break
        seen += 1
        if seen >= _DATELINE_SCAN_LINES:
            break

    if story_at is not None:
        text = tidy(rest[story_at:])
    else:
        captions = [line.strip() for line in rest if is_credited_caption(line)]
        text = tidy([line for line in rest if not is_boilerplate(line, captions)])
    found = find_dateline(text)
    return Draft(
        text=text,
        title=title or None,
        published=parse_date(iso_date),
        source=(found.agency if found else None) or byline,
        dateline=found.place if found else None,
    )


def _looks_like_title(lines: list[str]) -> bool:
    """A first line that is short, unpunctuated at its end, not a dateline, and set apart from the story.

    Set apart means a blank line, a byline/timestamp or a dateline follows: otherwise the line may be
    the first of a hard-wrapped paragraph ("... in the town of Ariha on\nSunday morning ...").
    """
    first = lines[0].strip()
    if len(first) > _MAX_TITLE or first[-1] in _FINAL_PUNCTUATION or find_dateline(first) or is_boilerplate(first):
        return False
    after = [line.strip() for line in lines[1:]]
    if not any(after):
        return False  # a lone line is the story, not a headline
    return not after[0] or is_boilerplate(after[0]) or find_dateline(after[0]) is not None


def _parse_plain(lines: list[str]) -> Draft:
    if lines and _looks_like_title(lines):
        return story_draft(lines[1:], title=lines[0].strip())
    return story_draft(lines)
