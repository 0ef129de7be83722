"""Steps every reader shares once it has the story's lines: tidy them, drop a top byline, find the dateline."""
from __future__ import annotations

from warmonitor.ingest.boilerplate import byline_agency, is_boilerplate, is_credited_caption
from warmonitor.ingest.dateline import find_dateline
from warmonitor.ingest.dates import find_date
from warmonitor.ingest.problem import Draft


def tidy(lines: list[str]) -> str:
    """Lines joined back, each stripped of surrounding spaces, runs of blank lines cut to one blank line."""
    out: list[str] = []
    for line in lines:
        line = line.strip()
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def drop_leading_boilerplate(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split off the blank and boilerplate lines above the first story line: (story lines, dropped lines)."""
    captions = [line.strip() for line in lines if is_credited_caption(line)]
    i = 0
    while i < len(lines) and (not lines[i].strip() or is_boilerplate(lines[i], captions)):
        i += 1
    return lines[i:], lines[:i]


def story_draft(lines: list[str], title: str | None = None) -> Draft:
    """A draft from story lines whose first paragraph may open with a dateline."""
    lines, dropped = drop_leading_boilerplate(lines)
    byline = next((agency for agency in map(byline_agency, dropped) if agency), None)
    text = tidy(lines)
    found = find_dateline(text)
    return Draft(
        text=text,
        title=title,
        # A timestamp line above the story is the likeliest publication date, and it is no longer in text.
        published=find_date("\n".join(dropped)),
        source=(found.agency if found else None) or byline,
        dateline=found.place if found else None,
    )
