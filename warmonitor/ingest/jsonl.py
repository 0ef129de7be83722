"""JSON Lines: one article per line, `id` and `text` required."""
from __future__ import annotations

import json
from collections.abc import Iterator

from warmonitor.ingest.dateline import find_dateline
from warmonitor.ingest.dates import parse_date
from warmonitor.ingest.problem import Draft, ReadProblem


def looks_like_jsonl(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    return bool(lines) and all(line.lstrip().startswith("{") for line in lines)


def _optional_str(record: dict, key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def parse_jsonl(text: str, origin: str) -> Iterator[tuple[str, str, Draft] | ReadProblem]:
    """Yield (id, origin "file:LINE", draft) per good line and a ReadProblem per bad one."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadProblem(where, f"line {number}: malformed JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            yield ReadProblem(where, f"line {number}: not a JSON object")
            continue
        missing = [key for key in ("id", "text") if record.get(key) in (None, "")]
        if missing:
            yield ReadProblem(where, f"line {number}: missing {' and '.join(repr(k) for k in missing)}")
            continue
        if not isinstance(record["text"], str):
            yield ReadProblem(where, f"line {number}: 'text' is not a string")
            continue
        body = record["text"].replace("\r\n", "\n").replace("\r", "\n").strip()
        found = find_dateline(body)
        draft = Draft(
            text=body,
            title=_optional_str(record, "title"),
            published=parse_date(_optional_str(record, "date")),
            source=_optional_str(record, "source") or (found.agency if found else None),
            dateline=found.place if found else None,
            url=_optional_str(record, "url"),
        )
        yield str(record["id"]), where, draft
