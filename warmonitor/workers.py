"""Coding articles in several processes (`--workers N`): each worker loads the pipeline once.

`PipelinePool.process_many` is a drop-in for `Pipeline.process_many`: the same results, in input order, so a
caller that writes them (the events file, the store) writes exactly what one process would, in the same order;
the caller's own process does every write. Articles go to the workers in small chunks, and only a few chunks
per worker are in flight at a time, so a long stream is never read far ahead of what has been written.

Workers are started with the "spawn" method: a fresh interpreter each, no copy of the parent's threads or
open files (the store's SQLite connection stays in the parent), the same on every platform."""
from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

from warmonitor.model import Article

CHUNK = 4  # articles per task: large enough to batch the parser, small enough to keep workers evenly busy
IN_FLIGHT_PER_WORKER = 3

_pipeline = None  # the worker process's own pipeline, loaded once by _load_pipeline


def _load_pipeline(actor_files: Sequence[Path], gate: bool, every_article: bool) -> None:
    """Runs once in each worker process, before its first task."""
    global _pipeline
    from warmonitor.pipeline import Pipeline

    _pipeline = Pipeline.load(actor_files=actor_files, gate=gate, every_article=every_article)


def _code_chunk(articles: list[Article]) -> list:
    from warmonitor.pipeline import ArticleResult

    try:
        return list(_pipeline.process_many(articles, batch_size=len(articles)))
    except Exception as exc:  # the parser itself failed on the chunk: each article is reported, none lost
        why = f"could not be coded ({type(exc).__name__}: {exc})"
        return [ArticleResult(a, skipped=why) for a in articles]


class PipelinePool:
    """N worker processes, each with its own pipeline. Use as a context manager, or call close()."""

    def __init__(self, workers: int, actor_files: Sequence[Path] = (), gate: bool = False,
                 every_article: bool = False):
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        context = multiprocessing.get_context("spawn")
        self._pool = context.Pool(workers, initializer=_load_pipeline, initargs=(list(actor_files), gate, every_article))

    def process_many(self, articles: Iterable[Article]) -> Iterator:
        """ArticleResults in input order."""
        articles = iter(articles)
        pending: deque = deque()
        limit = self.workers * IN_FLIGHT_PER_WORKER
        while True:
            while len(pending) < limit:
                chunk = list(islice(articles, CHUNK))
                if not chunk:
                    break
                pending.append(self._pool.apply_async(_code_chunk, (chunk,)))
            if not pending:
                return
            yield from pending.popleft().get()

    def close(self) -> None:
        self._pool.close()
        self._pool.join()

    def terminate(self) -> None:
        self._pool.terminate()
        self._pool.join()

    def __enter__(self) -> "PipelinePool":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        # on an error or Ctrl-C the workers' remaining work is of no use: stop them at once
        if exc_type is None:
            self.close()
        else:
            self.terminate()


def workers_option(value: str) -> int:
    """argparse type for `--workers N`: a whole number of at least 1."""
    import argparse

    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {n}")
    return n


def add_every_article_option(parser) -> None:
    """`--every-article`, shared by the commands that code articles."""
    parser.add_argument("--every-article", action="store_true",
                        help="code every article with conflict words, also those the relevance gate would skip "
                             "as ordinary news (slower; see `warmonitor eval relevance`)")
