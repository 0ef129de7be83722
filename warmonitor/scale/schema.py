"""The columns of an event record as a typed table, derived from `warmonitor.model.Event`.

One column per key of `Event.to_dict()` (the record `warmonitor extract` writes as JSONL), in the same order,
so a Parquet row and a JSONL line of one event hold the same values. Scalars keep their type (dates are
dates), lists of names are lists of strings, and the nested records (claims, evidence, mentions) are JSON
strings, as in the CSV export: every Parquet reader can load them, and `json.loads` gives back the dicts of
the JSONL record. A field added to `Event` becomes a column here without touching this module.
"""
from __future__ import annotations

import dataclasses
import json
import typing
from datetime import date
from typing import Any

from warmonitor.model import Event

# column kinds: "string", "int", "float", "date", "strings" (a list of str), "json" (nested records)
_SCALARS = {str: "string", int: "int", float: "float", date: "date"}


def _kind(annotation: Any) -> str:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is list:
        return "strings" if args == [str] else "json"
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    if len(args) == 1 and args[0] in _SCALARS:  # X | None
        return _SCALARS[args[0]]
    raise TypeError(f"Event field of type {annotation!r} has no column kind")  # a new kind of field: say so


def event_columns() -> list[tuple[str, str]]:
    """(column, kind) for every key of Event.to_dict(), in its order (the fields, then `year`)."""
    hints = typing.get_type_hints(Event)
    columns = [(f.name, _kind(hints[f.name])) for f in dataclasses.fields(Event)]
    return columns + [("year", "int")]


def arrow_schema():
    import pyarrow as pa

    types = {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32(),
             "strings": pa.list_(pa.string()), "json": pa.string()}
    return pa.schema([(name, types[kind]) for name, kind in event_columns()])


def spark_schema():
    from pyspark.sql import types as T

    types = {"string": T.StringType(), "int": T.LongType(), "float": T.DoubleType(), "date": T.DateType(),
             "strings": T.ArrayType(T.StringType()), "json": T.StringType()}
    return T.StructType([T.StructField(name, types[kind], nullable=True) for name, kind in event_columns()])


def event_row(event: Event) -> tuple:
    """The event as a row of `event_columns()`: the values of its JSONL record, with dates as dates and the
    nested records as JSON text."""
    record = event.to_dict()
    row = []
    for name, kind in event_columns():
        value = record[name]
        if kind == "date" and value is not None:
            value = date.fromisoformat(value)
        elif kind == "json":
            value = json.dumps(value, ensure_ascii=False)
        row.append(value)
    return tuple(row)


def row_record(row: dict[str, Any]) -> dict[str, Any]:
    """A table row back as the JSONL record of the event (ISO dates, nested records as lists of dicts)."""
    kinds = dict(event_columns())
    record = {}
    for name, value in row.items():
        kind = kinds.get(name)
        if kind == "date" and value is not None:
            value = value.isoformat()
        elif kind == "json" and value is not None:
            value = json.loads(value)
        elif kind == "strings" and value is None:
            value = []
        record[name] = value
    return record
