"""Reading the project's labelled JSONL files: one object per line with a string "id" and "text".

Shared by the scorers (`evaluate_places`, `evaluate_actors`) so a bad file reads the same way everywhere:
one UserError naming file and line, never a traceback.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, TypeVar

from warmonitor.errors import EXIT_USAGE, UserError

T = TypeVar("T")


def read_text_lines(path: Path) -> list[str]:
    """The file's lines; a missing or binary file is a UserError."""
    if not path.is_file():
        raise UserError(f"no such file: {path}", EXIT_USAGE)
    try:
        # newlines only: str.splitlines() also breaks at U+2028, which a JSON string may hold
        return path.read_text(encoding="utf-8-sig").split("\n")
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text (binary?)", EXIT_USAGE) from None


def read_labelled(path: Path, parse: Callable[[dict], T], what: str) -> list[tuple[int, T]]:
    """(line number, parse(object)) for each non-blank line. `parse` raises ValueError for a bad object;
    that, malformed JSON, or an object without string "id" and "text" is a UserError naming file:line."""
    out = []
    for number, line in enumerate(read_text_lines(path), start=1):
        if not line.strip():
            continue
        try:
            out.append((number, parse(_labelled_object(line))))
        except ValueError as exc:
            raise UserError(f"{path}:{number}: {exc}", EXIT_USAGE) from None
    if not out:
        raise UserError(f"{path}: no {what} in the file", EXIT_USAGE)
    return out


def json_objects(path: Path, skip_other: bool = False) -> list[tuple[int, dict]]:
    """(line number, object) for each non-blank line; malformed JSON is a UserError naming file:line, and so
    is a value that is no object unless `skip_other` (exports that mix in other values)."""
    out = []
    for number, line in enumerate(read_text_lines(path), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UserError(f"{path}:{number}: malformed JSON ({exc.msg})", EXIT_USAGE) from None
        if isinstance(row, dict):
            out.append((number, row))
        elif not skip_other:
            raise UserError(f"{path}:{number}: needs a JSON object", EXIT_USAGE)
    return out


def _labelled_object(line: str) -> dict:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed JSON ({exc.msg})") from None
    if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not isinstance(row.get("text"), str):
        raise ValueError("needs an object with string 'id' and 'text'")
    return row
