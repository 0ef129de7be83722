"""Articles into the store: one transaction per article, each event merged with the events already stored.

A killed run leaves whole articles or none, and a re-run skips every article whose text is stored, so it
resumes where it stopped. Articles are coded in spaCy batches, but committed one by one.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tqdm import tqdm

from warmonitor.ingest.problem import ReadProblem
from warmonitor.merge.coref import best_match, search_window
from warmonitor.merge.combine import absorb, start_merged
from warmonitor.model import Article
from warmonitor.store.db import Store, content_hash

if TYPE_CHECKING:  # the caller loads the pipeline (and spaCy with it), once
    from warmonitor.pipeline import ArticleResult, Pipeline


@dataclass
class IngestStats:
    read: int = 0  # articles read (new or not)
    new_articles: int = 0
    duplicates: int = 0  # already stored, or twice in this batch
    events_new: int = 0  # merged events started
    events_merged: int = 0  # reports folded into an event already stored
    control: int = 0  # control statements stored
    problems: int = 0  # inputs that could not be read, coded or stored

    def summary(self) -> str:
        line = (f"{self.read} article(s) read, {self.new_articles} new, {self.duplicates} already stored, "
                f"{self.events_new} event(s) new, {self.events_merged} merged into stored events")
        if self.problems:
            line += f", {self.problems} problem(s)"
        return line


def ingest_articles(store: Store, pipeline: Pipeline, items: Iterable[Article | ReadProblem],
                    progress: bool = False, warn: Callable[[str], None] | None = None) -> IngestStats:
    """Store every new article with its events, claims and control statements; `warn` gets one line per
    problem (an unreadable input, an article that could not be coded or stored) and the batch goes on."""
    stats = IngestStats()
    say = warn or (lambda _line: None)
    fresh = _fresh_articles(store, items, stats, say)
    results = tqdm(pipeline.process_many(fresh), unit=" articles", file=sys.stderr, leave=False,
                   disable=None if progress else True)  # None: shown only when stderr is a terminal
    for result in results:
        article = result.article
        if result.skipped and result.skipped.startswith("could not be coded"):
            stats.problems += 1  # still stored below, with the reason, so its text is not lost
            say(f"error: {article.origin or article.id}: {result.skipped}")
        try:
            with store.transaction():
                counts = _store_result(store, result, content_hash(article.text))
        except Exception as exc:  # rolled back; one article the store rejects must not stop the batch
            stats.problems += 1
            say(f"error: {article.origin or article.id}: could not be stored ({type(exc).__name__}: {exc})")
            continue
        if counts is None:  # another writer (a running `watch`) stored it meanwhile
            stats.duplicates += 1
            continue
        stats.new_articles += 1
        stats.events_new += counts[0]
        stats.events_merged += counts[1]
        stats.control += len(result.control)
    return stats


def _fresh_articles(store: Store, items: Iterable[Article | ReadProblem], stats: IngestStats,
                    say: Callable[[str], None]) -> Iterator[Article]:
    """The articles not stored yet; problems and duplicates are counted (and problems told) on the way."""
    queued: set[str] = set()  # the pipeline reads ahead, so a copy later in this batch is not stored yet
    for item in items:
        if isinstance(item, ReadProblem):
            stats.problems += 1
            say(problem_line(item))
            continue
        stats.read += 1
        digest = content_hash(item.text)
        if digest in queued or store.has_article(digest):
            stats.duplicates += 1
            continue
        queued.add(digest)
        yield item


def problem_line(problem: ReadProblem) -> str:
    label = "skipped" if problem.kind == "skipped" else "error"
    origin = "standard input" if problem.origin == "-" else problem.origin
    # "no such file or directory: x.txt" already names its input
    text = problem.message if origin and problem.message.endswith(origin) else f"{origin}: {problem.message}"
    return f"{label}: {text}"


def _store_result(store: Store, result: ArticleResult, digest: str) -> tuple[int, int] | None:
    """Write one coded article; (events started, events merged), or None when it is stored already."""
    if store.has_article(digest):
        return None
    article = result.article
    article_rowid = store.add_article(article, digest, skipped=result.skipped)
    joined: set[int] = set()  # an article's own events are distinct: two never join one stored event
    started = merged = 0
    for ordinal, mention in enumerate(result.events, start=1):
        first, last = search_window(mention)
        candidates = store.merge_candidates(mention.country, first, last, exclude=joined)
        found = best_match(mention, [event for _, event in candidates])
        if found is None:
            rowid, event_id = store.new_event_id()
            store.add_event(rowid, start_merged(mention, article, event_id))
            store.add_mention(article_rowid, ordinal, rowid, mention, match=None)
            started += 1
        else:
            stored, decision = found
            rowid = next(r for r, event in candidates if event.event_id == stored.event_id)
            revisions = absorb(stored, mention, article)
            store.update_event(rowid, stored)
            mention_id = store.add_mention(article_rowid, ordinal, rowid, mention, match=decision)
            store.add_revisions(rowid, mention_id, revisions)
            merged += 1
        joined.add(rowid)
    store.add_control(article_rowid, result.control)
    return started, merged
