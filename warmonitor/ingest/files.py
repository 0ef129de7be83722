"""Finding input files and turning their bytes into clean text, with a one-line reason when that fails."""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from warmonitor.ingest.problem import ReadProblem

ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".jsonl")
HTML_SUFFIXES = (".html", ".htm")
STDIN = "-"
_MB = 1024 * 1024


@dataclass
class Source:
    """One input to read: a file path, or "-" for standard input."""

    path: str
    single: bool = True  # holds one article (its id comes from the file name), unlike a JSONL file

    @property
    def suffix(self) -> str:
        return Path(self.path).suffix.lower()


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _directory_sources(directory: str) -> list[Source]:
    root = Path(directory)
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            path = Path(dirpath) / name
            if not _hidden(path.relative_to(root)) and path.suffix.lower() in ARTICLE_SUFFIXES:
                found.append(path)
    return [Source(str(p), single=p.suffix.lower() != ".jsonl") for p in sorted(found)]


def expand_inputs(paths: Sequence[str]) -> Iterator[Source | ReadProblem]:
    """Sources in input order: files as given, directories walked recursively in sorted order."""
    for path in paths:
        path = str(path)
        if path == STDIN:
            yield Source(STDIN)
        elif os.path.isdir(path):
            sources = _directory_sources(path)
            if not sources:
                yield ReadProblem(path, f"no articles found in {path}")
            yield from sources
        elif os.path.lexists(path):
            yield Source(path, single=Path(path).suffix.lower() != ".jsonl")
        else:
            yield ReadProblem(path, f"no such file or directory: {path}")


def _too_large(size: int, limit: int) -> str:
    return f"too large: {size / _MB:.1f} MB (limit {limit / _MB:g} MB)"


def decode(data: bytes | str) -> str:
    """Clean text from raw input, or raise ValueError with the reason."""
    if isinstance(data, bytes):
        # NUL bytes never occur in text; UTF-16 or a binary file would otherwise half-decode.
        if b"\x00" in data:
            raise ValueError("not UTF-8 text (binary?)")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError("not UTF-8 text (binary?)") from None
    text = data.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValueError("empty file")
    return text


def read_file(path: str, limit: int) -> str | ReadProblem:
    """The text of a file, or a ReadProblem naming why it cannot be read."""
    try:
        size = os.stat(path).st_size
        if size > limit:  # checked before reading: a huge file is never loaded into memory
            return ReadProblem(path, _too_large(size, limit))
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        return ReadProblem(path, f"no such file or directory: {path}")
    except PermissionError:
        return ReadProblem(path, f"permission denied: {path}")
    except OSError as exc:
        return ReadProblem(path, f"cannot read {path}: {exc.strerror or exc}")
    if len(data) > limit:  # the file grew between stat and read
        return ReadProblem(path, _too_large(len(data), limit))
    try:
        return decode(data)
    except ValueError as exc:
        return ReadProblem(path, str(exc))


def read_stream(stream: TextIO | BinaryIO, limit: int) -> str | ReadProblem:
    """The text of standard input (or any stream), or a ReadProblem with origin "-"."""
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        return ReadProblem(STDIN, f"cannot read standard input: {exc.strerror or exc}")
    except UnicodeDecodeError:
        return ReadProblem(STDIN, "not UTF-8 text (binary?)")
    if len(data) > limit:
        return ReadProblem(STDIN, f"too large: more than {limit / _MB:g} MB")
    try:
        return decode(data)
    except ValueError as exc:
        message = str(exc)
        return ReadProblem(STDIN, "empty input" if message == "empty file" else message)


def unique_ids(sources: list[Source]) -> dict[str, str]:
    """Article id per single-article file: its stem, or its relative path when stems collide."""
    stems: dict[str, int] = {}
    for source in sources:
        if source.single and source.path != STDIN:
            stem = Path(source.path).stem
            stems[stem] = stems.get(stem, 0) + 1
    ids = {}
    for source in sources:
        if source.single and source.path != STDIN:
            stem = Path(source.path).stem
            ids[source.path] = stem if stems[stem] == 1 else _relative(source.path)
    return ids


def _relative(path: str) -> str:
    rel = os.path.relpath(path)
    return Path(path if rel.startswith("..") else rel).as_posix()
