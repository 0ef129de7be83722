"""Cross-article deduplication in blocks that can be merged independently (the Spark job runs one task
per block).

A block is the events of one (country, admin1) whose ISO weeks form an unbroken run: each event covers the
weeks of its date span, and a week joins the run of the week before it. Two events in different runs of the
same admin1 are then more than a week apart, beyond `max_gap` in `warmonitor/data/merge/coref.json`, so
`compare` would veto them anyway: inside an admin1, blocking loses no merge that the in-process order would
make. What it gives up: an undated event is merged only with the other undated events of its admin1, and
events in different admin1 units (including one placed only by country) are never merged, though the
in-process merge might join two towns on either side of a provincial border.

Inside a block the events are folded in publication order (`merge.fold.fold_reports`),
exactly as `warmonitor eval dedup` does, so a block gives the records the in-process merge gives.
"""
from __future__ import annotations

from collections.abc import Iterable

from warmonitor.merge.combine import first_published
from warmonitor.merge.coref import CorefSettings, date_span, default_settings
from warmonitor.merge.fold import fold_reports
from warmonitor.model import Article, Event

Place = tuple[str | None, str | None]  # (country, admin1)
WeekSpan = tuple[int, int] | None  # first and last week index of the event's dates; None: undated


def week_index(day) -> int:
    """Weeks since 0001-01-01, a Monday: consecutive ISO weeks get consecutive numbers, across years too."""
    return (day.toordinal() - 1) // 7


def week_span(event: Event) -> WeekSpan:
    span = date_span(event)
    return None if span is None else (week_index(span[0]), week_index(span[1]))


def block_place(event: Event) -> Place:
    return (event.country, event.admin1)


def week_reach(settings: CorefSettings | None = None) -> int:
    """How many weeks on a run reaches: two dates `reach + 1` weeks apart are at least 7 * reach + 1 days
    apart, which must be more than the largest gap `compare` lets through."""
    max_gap = (settings or default_settings())["days"]["max_gap"]
    return 1 + max(0, max_gap - 1) // 7


def week_runs(spans: Iterable[tuple[int, int]], reach: int) -> list[tuple[int, int]]:
    """The unbroken runs of weeks the spans cover, a span joining a run that reaches within `reach` weeks."""
    runs: list[list[int]] = []
    for first, last in sorted(set(spans)):
        if runs and first <= runs[-1][1] + reach:
            runs[-1][1] = max(runs[-1][1], last)
        else:
            runs.append([first, last])
    return [(first, last) for first, last in runs]


def run_of(span: WeekSpan, runs: list[tuple[int, int]]) -> int | None:
    """The first week of the run holding `span`; None for an undated event (its own block)."""
    if span is None:
        return None
    return next(first for first, last in runs if first <= span[0] <= last)


def publication_order(item: tuple[Article, Event, int]) -> tuple:
    """Reports in the order they came out; an article's own events in the order it told them."""
    article, _, position = item
    return (first_published(article), article.id, position)


def merge_block(items: Iterable[tuple[Article, Event, int]]) -> list[Event]:
    """Merged records of (article, event, position in the article) items, folded in publication order.
    A merged record keeps the id of its first report's event, so ids stay unique across blocks."""
    ordered = sorted(items, key=publication_order)
    merged, _ = fold_reports(((article, event) for article, event, _ in ordered), lambda event, _n: event.event_id)
    return merged
