"""The embedded store: one SQLite file in WAL mode, its schema kept by numbered migrations.

Like datasette, one database file is the whole record, behind both the CLI and the web API. Every write
goes through `transaction()`, so a killed process leaves whole articles or none.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, fields
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path

from warmonitor.errors import UserError
from warmonitor.model import (Article, Claim, ControlStatement, Event, Evidence, MatchDecision, Mention, Place,
                              Revision)

DEFAULT_DB = "warmonitor.db"


def add_db_option(parser) -> None:
    """The `--db PATH` option every command over the store shares."""
    parser.add_argument("--db", default=DEFAULT_DB, metavar="PATH", help=f"database file (default ./{DEFAULT_DB})")


def _migrations() -> list[tuple[int, str]]:
    """(number, SQL) for every file in store/migrations, in order: 0001_initial.sql is number 1."""
    folder = resources.files("warmonitor.store") / "migrations"
    found = []
    for item in folder.iterdir():
        if item.name.endswith(".sql") and item.name[:4].isdigit():
            found.append((int(item.name[:4]), item.read_text(encoding="utf-8")))
    return sorted(found)


def content_hash(text: str) -> str:
    """sha256 of the text with its whitespace folded: a re-wrapped or re-indented copy is the same article."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """An open warmonitor database. Open it once, with `Store.open(path)`, and close it when done."""

    def __init__(self, conn: sqlite3.Connection, path: str):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path = DEFAULT_DB, create: bool = True) -> "Store":
        path = str(path)
        if not create and path != ":memory:" and not Path(path).is_file():
            raise UserError(f"no warmonitor database at {path} (run 'warmonitor ingest' first)")
        parent = Path(path).parent
        if path != ":memory:" and not parent.is_dir():
            raise UserError(f"cannot create database {path}: directory {parent} does not exist")
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=10000")  # a watcher and a reader may share the file
            store = cls(conn, path)
            store.migrate()
        except sqlite3.DatabaseError as exc:
            raise UserError(f"cannot open database {path}: {exc}") from None
        except UserError:
            conn.close()
            raise
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def latest_version(self) -> int:
        return max((n for n, _ in _migrations()), default=0)

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Apply every migration newer than the file's user_version, each in its own transaction."""
        if self.schema_version > self.latest_version:
            raise UserError(f"{self.path} was written by a newer warmonitor (schema {self.schema_version}, "
                            f"this one knows {self.latest_version})")
        for number, sql in _migrations():
            if number <= self.schema_version:
                continue
            with self.transaction():
                for statement in _statements(sql):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE .. COMMIT: a writer takes the lock up front, so two writers never deadlock."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- writing (call inside `transaction()`) ----------------------------------------------------------

    def has_article(self, digest: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE content_hash = ?", (digest,)).fetchone() is not None

    def source_rowid(self, name: str | None) -> int | None:
        if not name:
            return None
        self.conn.execute("INSERT OR IGNORE INTO sources (name) VALUES (?)", (name,))
        return self.conn.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()[0]

    def add_article(self, article: Article, digest: str, skipped: str | None = None) -> int:
        cur = self.conn.execute(
            "INSERT INTO articles (article_id, content_hash, source_id, title, published, url, origin, dateline, "
            "text, skipped, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, digest, self.source_rowid(article.source), article.title,
             article.published.isoformat() if article.published else None, article.url, article.origin,
             article.dateline, article.text, skipped, now_utc()))
        return cur.lastrowid

    def new_event_id(self) -> tuple[int, str]:
        """The row id and stable event id ("WM000042") the next merged event will get."""
        rowid = self.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM events").fetchone()[0]
        return rowid, f"WM{rowid:06d}"

    def add_event(self, rowid: int, event: Event) -> None:
        stamp = now_utc()
        self.conn.execute(
            f"INSERT INTO events (id, event_id, {', '.join(_EVENT_COLUMNS)}, record, created_at, updated_at) "
            f"VALUES (?, ?, {', '.join('?' * len(_EVENT_COLUMNS))}, ?, ?, ?)",
            (rowid, event.event_id, *_column_values(event), event_to_json(event), stamp, stamp))
        self._place_in_bbox(rowid, event)

    def update_event(self, rowid: int, event: Event) -> None:
        """Rewrite a merged event after a later report changed it; the map index follows its coordinates."""
        self.conn.execute(
            f"UPDATE events SET {', '.join(c + ' = ?' for c in _EVENT_COLUMNS)}, record = ?, updated_at = ? "
            "WHERE id = ?", (*_column_values(event), event_to_json(event), now_utc(), rowid))
        self._place_in_bbox(rowid, event)

    def _place_in_bbox(self, rowid: int, event: Event) -> None:
        self.conn.execute("DELETE FROM events_bbox WHERE id = ?", (rowid,))
        if event.latitude is not None and event.longitude is not None:
            self.conn.execute("INSERT INTO events_bbox (id, min_lon, max_lon, min_lat, max_lat) "
                              "VALUES (?, ?, ?, ?, ?)",
                              (rowid, event.longitude, event.longitude, event.latitude, event.latitude))

    def add_mention(self, article_rowid: int, ordinal: int, event_rowid: int, mention: Event,
                    match: MatchDecision | None) -> int:
        """The event as one article told it, tied to the merged event it joined (and why) or started."""
        why = json.dumps({"score": match.score, "reasons": match.reasons}) if match else None
        mention_id = self.conn.execute(
            "INSERT INTO mentions (article_rowid, ordinal, event_rowid, record, match) VALUES (?, ?, ?, ?, ?)",
            (article_rowid, ordinal, event_rowid, event_to_json(mention), why)).lastrowid
        self.conn.executemany(
            "INSERT INTO claims (mention_id, claimant, actor, verb, evidence) VALUES (?, ?, ?, ?, ?)",
            [(mention_id, c.claimant, c.actor, c.verb, json.dumps(asdict(c.evidence)) if c.evidence else None)
             for c in mention.claims])
        return mention_id

    def add_revisions(self, event_rowid: int, mention_id: int | None, revisions: list[Revision]) -> None:
        stamp = now_utc()
        self.conn.executemany(
            "INSERT INTO revisions (event_rowid, mention_id, field, old, new, article_id, source, published, "
            "reason, evidence, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(event_rowid, mention_id, r.field, json.dumps(_jsonable(r.old)), json.dumps(_jsonable(r.new)),
              r.article_id, r.source, r.published.isoformat() if r.published else None, r.reason,
              json.dumps([asdict(e) for e in r.evidence]), stamp) for r in revisions])

    def add_control(self, article_rowid: int, statements: list[ControlStatement]) -> None:
        self.conn.executemany(
            "INSERT INTO control_statements (article_rowid, actor, status, as_of, country, place_name, place, "
            "evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_rowid, c.actor, c.status, c.as_of.isoformat() if c.as_of else None,
              c.place.country if c.place else None, c.place.name if c.place else None,
              json.dumps(asdict(c.place), ensure_ascii=False) if c.place else None,
              json.dumps([asdict(e) for e in c.evidence], ensure_ascii=False)) for c in statements])

    def merge_candidates(self, country: str | None, first: date | None, last: date | None,
                         exclude: set[int] = frozenset()) -> list[tuple[int, Event]]:
        """(rowid, event) for stored events that may be the same real event: in the same country (or with
        no country known), and dated inside [first, last] (an open end is unbounded) or not dated at all."""
        conds, params = ["1"], []
        if country:
            conds.append("(country = ? OR country IS NULL)")
            params.append(country)
        dated = []
        if first is not None:
            dated.append("event_date >= ?")
            params.append(first.isoformat())
        if last is not None:
            dated.append("event_date <= ?")
            params.append(last.isoformat())
        if dated:
            conds.append(f"(event_date IS NULL OR ({' AND '.join(dated)}))")
        rows = self.conn.execute(f"SELECT id, record FROM events WHERE {' AND '.join(conds)} ORDER BY id",
                                 params)
        return [(r["id"], event_from_json(r["record"])) for r in rows if r["id"] not in exclude]

    # --- reading -------------------------------------------------------------------------------------------

    def count(self, table: str) -> int:
        if table not in ("articles", "events", "mentions", "claims", "control_statements", "revisions",
                         "sources"):
            raise ValueError(f"unknown table {table!r}")
        return self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def event(self, event_id: str) -> Event | None:
        row = self.conn.execute("SELECT record FROM events WHERE event_id = ?", (event_id,)).fetchone()
        return event_from_json(row["record"]) if row else None

    def events(self, where: str = "", params: tuple = (), order: str = "event_date, id",
               limit: int | None = None, offset: int = 0) -> list[Event]:
        """Merged events; `where` is a parameterised SQL condition over the events table's columns."""
        sql = "SELECT record FROM events" + (f" WHERE {where}" if where else "") + f" ORDER BY {order}"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params = (*params, -1 if limit is None else limit, offset)  # SQLite: LIMIT -1 is no limit
        return [event_from_json(r["record"]) for r in self.conn.execute(sql, params)]

    def revisions(self, event_id: str) -> list[Revision]:
        rows = self.conn.execute(
            "SELECT r.* FROM revisions r JOIN events e ON e.id = r.event_rowid WHERE e.event_id = ? "
            "ORDER BY r.id", (event_id,))
        return [Revision(event_id=event_id, field=r["field"], old=json.loads(r["old"]), new=json.loads(r["new"]),
                         article_id=r["article_id"], source=r["source"],
                         published=_date(r["published"]), reason=r["reason"] or "",
                         evidence=[Evidence(**e) for e in json.loads(r["evidence"] or "[]")])
                for r in rows]

    def control_statements(self, country: str | None = None) -> list[ControlStatement]:
        sql = ("SELECT c.*, a.article_id AS aid FROM control_statements c "
               "JOIN articles a ON a.id = c.article_rowid")
        params: tuple = ()
        if country:
            sql += " WHERE c.country = ?"
            params = (country,)
        out = []
        for r in self.conn.execute(sql + " ORDER BY c.id", params):
            place = json.loads(r["place"]) if r["place"] else None
            out.append(ControlStatement(actor=r["actor"], place=Place(**place) if place else None,
                                        as_of=_date(r["as_of"]), status=r["status"],
                                        evidence=[Evidence(**e) for e in json.loads(r["evidence"])],
                                        article_id=r["aid"]))
        return out


# the events table's filterable columns, copied from the record on every write
_EVENT_COLUMNS = ("event_date", "event_date_start", "event_date_end", "event_type", "sub_event_type", "actor1",
                  "assoc_actor_1", "actor2", "assoc_actor_2", "country", "admin1", "admin2", "location", "latitude",
                  "longitude", "fatalities", "notes")


def _column_values(event: Event) -> tuple:
    d = event.to_dict()
    return tuple(d[c] for c in _EVENT_COLUMNS)


def _jsonable(value):
    return value.isoformat() if isinstance(value, date) else value


def _statements(sql: str) -> list[str]:
    """A migration file's statements; sqlite3.complete_statement keeps CREATE TRIGGER bodies whole."""
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buf.strip():
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def event_to_json(event: Event) -> str:
    return json.dumps(event.to_dict(), ensure_ascii=False, sort_keys=True)


_EVENT_FIELDS = {f.name for f in fields(Event)}


def event_from_dict(d: dict) -> Event:
    """The inverse of Event.to_dict(): nested claims, evidence and mentions become data classes again."""
    kwargs = {k: v for k, v in d.items() if k in _EVENT_FIELDS}
    for k in ("event_date", "event_date_start", "event_date_end"):
        kwargs[k] = _date(kwargs.get(k))
    kwargs["claims"] = [Claim(**{**c, "evidence": Evidence(**c["evidence"]) if c.get("evidence") else None})
                        for c in d.get("claims") or []]
    kwargs["evidence"] = [Evidence(**e) for e in d.get("evidence") or []]
    kwargs["mentions"] = [Mention(**m) for m in d.get("mentions") or []]
    return Event(**kwargs)


def event_from_json(text: str) -> Event:
    return event_from_dict(json.loads(text))
