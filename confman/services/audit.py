"""Writing audit entries: who changed what and when, with the values before and after."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from confman.extensions import db
from confman.models import AuditEntry, Event, User


def jsonable(value: Any) -> Any:
    """Turn model values into JSON the audit log can keep (instants as ISO 8601 UTC, lengths in seconds)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value


def record(
    *,
    event: Event | None,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | None,
    now: datetime,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        event_id=event.id if event is not None else None,
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        summary=summary[:300],
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        at=now,
    )
    db.session.add(entry)
    return entry
