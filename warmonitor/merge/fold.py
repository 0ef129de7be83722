"""Many reports' events folded into merged records, oldest report first: the in-memory twin of what
`warmonitor.store.ingest` does against SQLite. `eval dedup` and the Spark dedup step both use it."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from warmonitor.merge.combine import absorb, start_merged
from warmonitor.merge.coref import best_match
from warmonitor.model import Article, Event


def fold_reports(reports: Iterable[tuple[Article, Event]], new_id: Callable[[Event, int], str]
                 ) -> tuple[list[Event], list[Event]]:
    """The merged records, in the order they were started, and for each report (in the order given, which the
    caller sorts by publication) the record it joined or started. `new_id(event, n)` names the n-th record."""
    merged: list[Event] = []
    joined: list[Event] = []
    for article, event in reports:
        match = best_match(event, merged)
        if match is None:
            merged.append(start_merged(event, article, new_id(event, len(merged) + 1)))
            joined.append(merged[-1])
        else:
            absorb(match[0], event, article)
            joined.append(match[0])
    return merged, joined
