"""Whole-event backups: every row that belongs to an event, and every row it refers to, in one JSON document.

Which rows belong to an event is read from the schema, so new tables are covered without changes here: a
foreign key with ON DELETE CASCADE means "owned by" (a session is owned by its event, a participation by its
session); any other foreign key means "refers to" (a registration refers to a user account, a co-host to an
organization). The export holds the event, the closure of what it owns, and the closure of what those rows
refer to (an organizer's account, by its event role). Importing restores those rows with their primary keys
into a database that has none of them.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    Integer,
    Interval,
    MetaData,
    Numeric,
    String,
    Table,
    func,
    inspect,
    select,
    text,
    tuple_,
)
from sqlalchemy.types import TypeDecorator

from confman.extensions import db
from confman.models import Base, Event
from confman.services import ConfmanError

FORMAT = "confman-event-backup"
FORMAT_VERSION = 1


class BackupInvalid(ConfmanError):
    pass


class BackupConflicts(ConfmanError):
    pass


def export_event(event: Event) -> dict[str, Any]:
    metadata = Base.metadata
    keys = _collect(metadata, event.id)
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in metadata.sorted_tables:
        wanted = keys.get(table.name)
        if not wanted:
            continue
        pk = list(table.primary_key.columns)
        rows = []
        for chunk in _chunks(sorted(wanted), 500):
            query = select(table).where(tuple_(*pk).in_(chunk)) if len(pk) > 1 else \
                select(table).where(pk[0].in_([k[0] for k in chunk]))
            rows.extend(db.session.execute(query).mappings().all())
        rows.sort(key=lambda r: tuple(r[c.name] for c in pk))
        tables[table.name] = [{c.name: _dump(c, row[c.name]) for c in table.columns} for row in rows]
    revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar() \
        if _has_table("alembic_version") else None
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "schema_revision": revision,
            "event": event.slug, "tables": tables}


def import_event(document: dict[str, Any]) -> dict[str, int]:
    """Restore an export. All-or-nothing: raises BackupInvalid or BackupConflicts before writing anything
    that could clash; the caller commits. Returns rows restored per table."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupInvalid("This file is not a confman event backup.")
    if document.get("format_version") != FORMAT_VERSION:
        raise BackupInvalid(f"Unsupported backup format version {document.get('format_version')!r}.")
    data = document.get("tables")
    if not isinstance(data, dict):
        raise BackupInvalid("The backup has no tables.")
    metadata = Base.metadata
    unknown = set(data) - set(metadata.tables)
    if unknown:
        raise BackupInvalid(f"The backup has tables this version of confman does not know: {sorted(unknown)}.")
    parsed: dict[str, list[dict[str, Any]]] = {}
    for name, rows in data.items():
        table = metadata.tables[name]
        required = [c.name for c in table.primary_key.columns]
        if not isinstance(rows, list) or not all(isinstance(row, dict) and all(row.get(k) is not None
                                                                              for k in required) for row in rows):
            raise BackupInvalid(f"The rows of {name} are malformed: each must be an object with its {required}.")
        try:
            parsed[name] = [{c.name: _load(c, row[c.name]) for c in table.columns if c.name in row} for row in rows]
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            raise BackupInvalid(f"A row of {name} is malformed: {exc}.") from exc
    _refuse_conflicts(metadata, parsed)
    counts = {}
    deferred: list[tuple[Table, list[str], list[dict[str, Any]]]] = []
    for table in metadata.sorted_tables:
        rows = parsed.get(table.name)
        if not rows:
            continue
        # Self-references (an event's parent event, a rehearsal's event) are set after every row of the table exists.
        self_refs = sorted(fk.parent.name for fk in table.foreign_keys if fk.column.table is table)
        if self_refs:
            deferred.append((table, self_refs, rows))
            rows = [{**row, **{col: None for col in self_refs}} for row in rows]
        db.session.execute(table.insert(), rows)
        counts[table.name] = len(rows)
    for table, columns, rows in deferred:
        pk = list(table.primary_key.columns)[0]
        for row in rows:
            if any(row.get(column) is not None for column in columns):
                # Every column given, so Python-side onupdate defaults (updated_at) cannot rewrite history.
                db.session.execute(table.update().where(pk == row[pk.name]).values(row))
    _advance_sequences(metadata, parsed)
    db.session.flush()
    return counts


def _collect(metadata: MetaData, event_id: int) -> dict[str, set[tuple]]:
    """Primary keys per table: what the event owns (CASCADE closure), then what all of that refers to."""
    keys: dict[str, set[tuple]] = {"event": {(event_id,)}}
    owned_changed = True
    while owned_changed:
        owned_changed = False
        for table in metadata.sorted_tables:
            for fk in table.foreign_keys:
                if fk.ondelete != "CASCADE" or fk.column.table.name not in keys:
                    continue
                parents = sorted(k[0] for k in keys[fk.column.table.name])
                found = set()
                for chunk in _chunks(parents, 500):
                    found |= _keys_where(table, fk.parent.in_(chunk))
                before = len(keys.setdefault(table.name, set()))
                keys[table.name] |= found
                owned_changed |= len(keys[table.name]) != before
    frontier = {name: set(rows) for name, rows in keys.items()}
    while frontier:
        next_frontier: dict[str, set[tuple]] = {}
        for name, rows in frontier.items():
            table = metadata.tables[name]
            for fk in table.foreign_keys:  # every parent a row points to must exist on import
                target = fk.column.table
                pk = list(table.primary_key.columns)
                values = set()
                for chunk in _chunks(sorted(rows), 500):
                    cond = tuple_(*pk).in_(chunk) if len(pk) > 1 else pk[0].in_([k[0] for k in chunk])
                    values |= {v for (v,) in db.session.execute(select(fk.parent).where(cond)) if v is not None}
                new = {(v,) for v in values} - keys.get(target.name, set())
                if new:
                    keys.setdefault(target.name, set()).update(new)
                    next_frontier.setdefault(target.name, set()).update(new)
        frontier = next_frontier
    return keys


def _keys_where(table: Table, condition) -> set[tuple]:
    pk = list(table.primary_key.columns)
    return {tuple(row) for row in db.session.execute(select(*pk).where(condition))}


def _refuse_conflicts(metadata: MetaData, parsed: dict[str, list[dict[str, Any]]]) -> None:
    clashes = []
    for name, rows in parsed.items():
        table = metadata.tables[name]
        pk = list(table.primary_key.columns)
        for chunk in _chunks([tuple(r[c.name] for c in pk) for r in rows], 500):
            cond = tuple_(*pk).in_(chunk) if len(pk) > 1 else pk[0].in_([k[0] for k in chunk])
            if db.session.scalar(select(func.count()).select_from(table).where(cond)):
                clashes.append(name)
                break
        for constraint in table.constraints:
            columns = [c.name for c in getattr(constraint, "columns", [])]
            if constraint.__class__.__name__ != "UniqueConstraint" and not (
                    len(columns) == 1 and table.columns[columns[0]].unique):
                continue
            values = [tuple(r.get(c) for c in columns) for r in rows if all(r.get(c) is not None for c in columns)]
            for chunk in _chunks(values, 500):
                cols = [table.columns[c] for c in columns]
                cond = tuple_(*cols).in_(chunk) if len(cols) > 1 else cols[0].in_([v[0] for v in chunk])
                if db.session.scalar(select(func.count()).select_from(table).where(cond)):
                    clashes.append(f"{name} ({', '.join(columns)})")
                    break
    if clashes:
        raise BackupConflicts(
            "The database already holds rows this backup would restore, in: " + ", ".join(sorted(set(clashes)))
            + ". Restore into an empty database."
        )


def _advance_sequences(metadata: MetaData, parsed: dict[str, list[dict[str, Any]]]) -> None:
    """PostgreSQL's id sequences must move past restored ids, or the next insert would collide."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for name in parsed:
        table = metadata.tables[name]
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].name == "id":
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM \"{name}\"))"))


def _has_table(name: str) -> bool:
    return inspect(db.session.get_bind()).has_table(name)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _dump(column, value):
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


def _load(column, value):
    """A JSON value as the column's Python value; TypeError/ValueError when it cannot be one."""
    if value is None:
        return None
    if isinstance(column.type, Interval):  # a TypeDecorator itself: test before unwrapping
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{column.name} must be a number of seconds")
        return timedelta(seconds=float(value))
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, DateTime | Date) and not isinstance(value, str):
        raise TypeError(f"{column.name} must be an ISO date")
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Enum) and kind.enum_class is not None:
        return kind.enum_class(value)
    expected = next((python for sql, python in _PLAIN_TYPES.items() if isinstance(kind, sql)), None)
    if expected is not None and (not isinstance(value, expected) or isinstance(value, bool) and expected is not bool):
        raise TypeError(f"{column.name} must be {expected.__name__ if isinstance(expected, type) else 'a number'}")
    if isinstance(kind, String) and getattr(kind, "length", None) and len(value) > kind.length:
        raise ValueError(f"{column.name} is longer than {kind.length} characters")
    return value


_PLAIN_TYPES = {Integer: int, String: str, Boolean: bool, Numeric: (int, float)}
