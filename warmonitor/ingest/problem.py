"""What readers hand over: a problem report, or a draft that still needs an id and an origin."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass
class ReadProblem:
    """An input that yielded no article, with a one-line reason."""

    origin: str  # file path, "path:LINE" for JSONL lines, or "-" for stdin
    message: str  # one line, human readable, no traceback
    kind: str = "error"  # "error" (could not read) or "skipped" (read but not usable, e.g. not English)


@dataclass
class Draft:
    """An article as one format reader understood it, before the shared finishing steps."""

    text: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    dateline: str | None = None
    url: str | None = None
