"""Corpus rows (a JSONL line, or a Parquet row with the same columns) to `Article`s, exactly as
`warmonitor extract` reads a JSONL article, so both code the same text with the same date and source."""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from warmonitor.ingest import finish_article  # the checks every reader shares (language, date)
from warmonitor.ingest.jsonl import parse_jsonl
from warmonitor.ingest.problem import ReadProblem
from warmonitor.model import Article

ARTICLE_COLUMNS = ("id", "text", "title", "date", "source", "url")


def article_from_line(line: str, origin: str) -> Article | ReadProblem | None:
    """One JSONL line; None for a blank line. Spark splits files into lines without their numbers, so a
    problem names the file and, when it has one, the article's id."""
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return ReadProblem(origin, f"malformed JSON ({exc.msg})")
    if not isinstance(record, dict):
        return ReadProblem(origin, "not a JSON object")
    return article_from_record(record, origin)


def article_from_record(record: dict[str, Any], origin: str) -> Article | ReadProblem:
    """A row with the JSONL article columns; Parquet dates and timestamps count as the `date` string."""
    record = {key: record.get(key) for key in ARTICLE_COLUMNS if record.get(key) is not None}
    if isinstance(record.get("date"), (date, datetime)):
        record["date"] = record["date"].isoformat()[:10]
    where = f"{origin} (id {record['id']})" if record.get("id") not in (None, "") else origin
    # the JSONL reader's own checks and defaults, on this one record (json.dumps writes a single line)
    for entry in parse_jsonl(json.dumps(record, ensure_ascii=False, default=str), where):
        if isinstance(entry, ReadProblem):
            message = entry.message.removeprefix("line 1: ")
            return ReadProblem(where, message, entry.kind)
        article_id, _, draft = entry
        return finish_article(article_id, where, draft, None)
    return ReadProblem(where, "empty record")
