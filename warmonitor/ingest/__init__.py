"""Readers: text, dated-header text, HTML and JSONL files, directories and stdin, in; `Article`s out.

`read_articles` never raises for a bad input: it yields a `ReadProblem` for it and carries on.
"""
from __future__ import annotations

import datetime
import sys
from collections.abc import Iterator, Sequence
from typing import BinaryIO, TextIO

from warmonitor.ingest.dates import find_date
from warmonitor.ingest.files import HTML_SUFFIXES, STDIN, Source, expand_inputs, read_file, read_stream, unique_ids
from warmonitor.ingest.html import parse_html
from warmonitor.ingest.jsonl import looks_like_jsonl, parse_jsonl
from warmonitor.ingest.language import guess_language
from warmonitor.ingest.problem import Draft, ReadProblem
from warmonitor.ingest.text import parse_text
from warmonitor.model import Article

__all__ = ["MAX_BYTES", "ReadProblem", "finish_article", "read_articles"]

MAX_BYTES = 20 * 1024 * 1024

# Publication dates are looked for in the title and this much of the story's opening.
DATE_SEARCH_CHARS = 600


def read_articles(paths: Sequence[str], date: datetime.date | None = None,
                  stdin: TextIO | BinaryIO | None = None) -> Iterator[Article | ReadProblem]:
    """Yield an Article per readable article and a ReadProblem per unreadable one, in input order.

    Never raises for per-input problems. `date` (the CLI's --date) overrides every article's
    published date. "-" reads stdin (sys.stdin.buffer when stdin is None).
    """
    items = list(expand_inputs(paths))
    ids = unique_ids([item for item in items if isinstance(item, Source)])
    for item in items:
        if isinstance(item, ReadProblem):
            yield item
        elif item.path == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_source(item, read_stream(stream, MAX_BYTES), "stdin", date)
        else:
            yield from _read_source(item, read_file(item.path, MAX_BYTES), ids.get(item.path), date)


def _read_source(source: Source, text: str | ReadProblem, article_id: str | None,
                 date: datetime.date | None) -> Iterator[Article | ReadProblem]:
    if isinstance(text, ReadProblem):
        yield text
        return
    if source.suffix == ".jsonl" or (source.suffix not in (".txt", ".text", *HTML_SUFFIXES)
                                      and looks_like_jsonl(text)):
        for entry in parse_jsonl(text, source.path):
            yield entry if isinstance(entry, ReadProblem) else finish_article(*entry, date)
        return
    if source.suffix in HTML_SUFFIXES or (source.suffix not in (".txt", ".text")
                                          and text.lstrip().startswith("<")):
        draft = parse_html(text)
    else:
        draft = parse_text(text)
    if draft is None or not draft.text:
        yield ReadProblem(source.path, "no article text found")
        return
    yield finish_article(article_id or source.path, source.path, draft, date)


def finish_article(article_id: str, origin: str, draft: Draft, date: datetime.date | None) -> Article | ReadProblem:
    """Checks and defaults every reader shares: language, then the published date."""
    language = guess_language(draft.text)
    if language is not None and language != "en":
        return ReadProblem(origin, f"not English (looks like {language})", kind="skipped")
    published = date or draft.published or find_date(draft.title, draft.text[:DATE_SEARCH_CHARS])
    return Article(
        id=article_id, text=draft.text, title=draft.title, published=published, source=draft.source,
        dateline=draft.dateline, url=draft.url, origin=origin,
    )
