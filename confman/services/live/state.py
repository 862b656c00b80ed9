"""The machinery every live action shares: the optimistic lock, the before-state kept for undo, the audit
entry, the re-plan that calendars must see, the webhook; and undo itself."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from confman.extensions import db
from confman.models import AgendaSession, Event, LiveAction, LiveState, Participation, SessionStatus, User
from confman.models.live import channel_key
from confman.services import audit, publication, webhooks
from confman.services.live.rundown import NothingToUndo, Rundown, StaleState, rundown_of
from confman.services.live.timeline import Slot, compute_timeline


def claim(event: Event, channel_id: int | None, version: int, now: datetime) -> None:
    """Move the live state of one channel of `event` from `version` to `version + 1`, or raise StaleState: the
    optimistic lock. Only that channel's row is touched (and, on PostgreSQL, locked until commit)."""
    table = LiveState.__table__  # Core statements on the session's connection: their rowcount is reliable
    connection = db.session.connection()
    key = channel_key(channel_id)
    result = connection.execute(update(table).where(table.c.event_id == event.id, table.c.channel_key == key,
                                                    table.c.version == version)
                                .values(version=version + 1, updated_at=now))
    if result.rowcount == 1:
        return
    if version == 0:  # the first action on this channel: create its row, unless someone else just did
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        created = connection.execute(insert(table).values(event_id=event.id, channel_key=key, version=1,
                                                          updated_at=now)
                                     .on_conflict_do_nothing(index_elements=["event_id", "channel_key"])
                                     .returning(table.c.event_id)).first()
        if created is not None:
            return
    raise StaleState()


_FIELDS = ("status", "starts_at", "duration", "actual_started_at", "actual_ended_at", "announced_delay",
           "break_before")


def capture(items: Sequence[AgendaSession]) -> list[dict[str, Any]]:
    return [{"id": i.id, **{f: audit.jsonable(getattr(i, f)) for f in _FIELDS},
             "participations": [{"id": p.id, "actual_started_at": audit.jsonable(p.actual_started_at),
                                 "actual_ended_at": audit.jsonable(p.actual_ended_at)} for p in i.participations]}
            for i in items]


class Action:
    """One moderator action on a channel: claim its version, remember the before-state, apply, settle, log."""

    def __init__(self, rundown: Rundown, kind: str, item: AgendaSession | None, *, actor: User | None,
                 now: datetime, version: int, touches: Sequence[AgendaSession]):
        self.rundown, self.kind, self.item, self.actor, self.now = rundown, kind, item, actor, now
        claim(rundown.event, rundown.channel_id, version, now)
        self.before = capture(touches)

    def finish(self, summary: str, *, replanned: Sequence[AgendaSession] = (), hook: str | None = None,
               hook_data: dict[str, Any] | None = None) -> LiveAction:
        event = self.rundown.event
        settle(self.rundown, self.now)
        action = LiveAction(event_id=event.id, channel_key=channel_key(self.rundown.channel_id),
                            session_id=self.item.id if self.item else None,
                            actor_id=self.actor.id if self.actor else None, kind=self.kind, summary=summary[:300],
                            before=self.before, at=self.now)
        db.session.add(action)
        audit.record(event=event, actor=self.actor, action=f"live.{self.kind}", target_type="agenda_session",
                     target_id=self.item.id if self.item else None, now=self.now, summary=summary,
                     before={"sessions": self.before}, after={"sessions": capture(self.rundown.items)})
        if replanned:
            replan(event, replanned, actor=self.actor, now=self.now, comment=summary)
        if hook is not None:
            webhooks.enqueue(event, hook, {**hook_payload(self.rundown, self.item), **(hook_data or {})},
                             now=self.now)
        db.session.flush()
        return action


def settle(rundown: Rundown, now: datetime) -> None:
    """Recompute expected times and store them on the sessions that changed (the rest are left untouched)."""
    db.session.flush()
    rundown.items.sort(key=lambda i: (i.starts_at, i.id))
    rundown.timings = compute_timeline([Slot.of(i) for i in rundown.items], now)
    for item in rundown.items:
        timing = rundown.timings.get(item.id)
        expected = None
        if item.status == SessionStatus.SCHEDULED and timing is not None and timing.starts_at != item.starts_at:
            expected = timing.starts_at
        if item.expected_starts_at != expected:
            item.expected_starts_at = expected
    db.session.flush()


def replan(event: Event, items: Sequence[AgendaSession], *, actor: User | None, now: datetime,
            comment: str) -> None:
    """A real change of schedule: calendars must see it, and the public agenda carries it at once."""
    for item in items:
        item.sequence += 1
    db.session.flush()
    # The published agenda is one per event: amendments from two channels' consoles take turns on the event's
    # row (they wait, never refuse each other), so each one amends the other's version. Only plan changes
    # come here; starts, delays and breaks lock nothing but their channel's live state.
    db.session.refresh(event, ["version", "agenda_version"], with_for_update={"key_share": True})
    publication.amend_published(event, items, actor=actor, now=now, comment=comment)


def hook_payload(rundown: Rundown, item: AgendaSession | None) -> dict[str, Any]:
    data: dict[str, Any] = {"channel": rundown.channel.slug if rundown.channel else None,
                            "late_minutes": int(rundown.late_by.total_seconds() // 60)}
    if item is not None:
        timing = rundown.timings.get(item.id)
        data["session"] = {"id": item.id, "title": item.title, "status": item.status.value,
                           "planned_start": item.starts_at.isoformat(),
                           "expected_start": timing.starts_at.isoformat() if timing else None,
                           "actual_started_at": audit.jsonable(item.actual_started_at),
                           "actual_ended_at": audit.jsonable(item.actual_ended_at)}
    return data

def last_action(event: Event, channel_id: int | None) -> LiveAction | None:
    """The last live action on one channel of `event` that is not undone yet (what its console's undo undoes)."""
    return db.session.scalar(select(LiveAction).where(LiveAction.event_id == event.id,
                                                      LiveAction.channel_key == channel_key(channel_id),
                                                      LiveAction.undone_at.is_(None))
                             .order_by(LiveAction.id.desc()).limit(1))


def undo_last(event: Event, channel_id: int | None, *, actor: User | None, now: datetime,
              version: int) -> LiveAction:
    """Put back what the channel's last live action changed (never another channel's). `version` is the
    channel's. Raises NothingToUndo, StaleState."""
    claim(event, channel_id, version, now)  # first: once the row is ours, no one adds a later action meanwhile
    action = last_action(event, channel_id)
    if action is None:
        raise NothingToUndo("There is no live action left to undo.")
    ids = [s["id"] for s in action.before]
    items = {i.id: i for i in db.session.scalars(
        select(AgendaSession).where(AgendaSession.id.in_(ids)).options(selectinload(AgendaSession.participations)))}
    replanned = []
    for saved in action.before:
        item = items.get(saved["id"])
        if item is None:
            continue
        restored = {f: _restore(getattr(AgendaSession, f), saved[f]) for f in _FIELDS}
        if (restored["status"], restored["starts_at"], restored["duration"]) != (
                item.status, item.starts_at, item.duration):
            replanned.append(item)
        for f, value in restored.items():
            setattr(item, f, value)
        times = {p["id"]: p for p in saved["participations"]}
        for p in item.participations:
            if p.id in times:
                p.actual_started_at = _restore(Participation.actual_started_at, times[p.id]["actual_started_at"])
                p.actual_ended_at = _restore(Participation.actual_ended_at, times[p.id]["actual_ended_at"])
    action.undone_at = now
    summary = f"Undid: {action.summary}"
    audit.record(event=event, actor=actor, action="live.undone", target_type="live_action", target_id=action.id,
                 now=now, summary=summary)
    db.session.flush()
    for item in items.values():
        settle(rundown_of(item, now=now), now)
    if replanned:
        replan(event, replanned, actor=actor, now=now, comment=summary)
    return action


def _restore(column, value):
    """A value saved by `capture` (JSON) back to the column's Python type."""
    if value is None:
        return None
    if column.key == "status":
        return SessionStatus(value)
    if column.key in ("duration", "announced_delay", "break_before"):
        return timedelta(seconds=value)
    return datetime.fromisoformat(value)
