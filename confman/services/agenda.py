"""Reading the agenda: sessions with everything a page or export shows, in a constant number of queries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from confman import languages
from confman.extensions import db
from confman.models import (
    AgendaSession,
    AgendaVersion,
    AuditEntry,
    Channel,
    Event,
    Participation,
    ParticipationRole,
    SessionKind,
    SessionStatus,
    Speaker,
    Tag,
    Theme,
    User,
)
from confman.models.agenda import SessionTiming
from confman.models.video import VideoMessage
from confman.services import ConfmanError, audit


def load_sessions(event: Event, *, theme: Theme | None = None) -> Sequence[AgendaSession]:
    """Every scheduled session of `event` in start order, with theme, channel, tags, speakers and video message
    loaded. Unscheduled sessions (no start yet) are left out: they are never published, exported or live."""
    query = (
        select(AgendaSession)
        .where(AgendaSession.event_id == event.id, AgendaSession.starts_at.is_not(None))
        .options(
            # Many-to-one and one-to-one ride along in the main query; collections take one query each.
            joinedload(AgendaSession.theme),
            joinedload(AgendaSession.channel),
            joinedload(AgendaSession.video_message).joinedload(VideoMessage.speaker).joinedload(Speaker.organization),
            selectinload(AgendaSession.tags),
            selectinload(AgendaSession.participations)
            .joinedload(Participation.speaker)
            .joinedload(Speaker.organization),
        )
        .order_by(AgendaSession.starts_at, AgendaSession.channel_id, AgendaSession.id)
    )
    if theme is not None:
        query = query.where(AgendaSession.theme_id == theme.id)
    return db.session.scalars(query).all()


@dataclass(frozen=True)
class AgendaDay:
    day: date
    sessions: list[AgendaSession]


def group_by_day(sessions: Sequence[AgendaSession], tz: ZoneInfo) -> list[AgendaDay]:
    """Sessions grouped by their local start date in `tz` (the viewer's zone may move a session to another day)."""
    days: dict[date, list[AgendaSession]] = {}
    for item in sessions:
        days.setdefault(item.starts_at.astimezone(tz).date(), []).append(item)
    return [AgendaDay(day, items) for day, items in sorted(days.items())]


def speaking_order(item: AgendaSession) -> list[Participation]:
    return sorted(item.participations, key=lambda p: (p.position, getattr(p, "id", 0) or 0))


# --- the schedule at a glance ----------------------------------------------------------------------------------
# The organizer's timetable, sessions list and problems need times, channels and who speaks, for every session at
# once. Plain rows read with two queries are several times cheaper than ORM objects with their collections, and
# they carry the attribute names of the models, so conflicts.check_agenda and the templates read either.

@dataclass(frozen=True)
class SpeakerName:
    id: int
    full_name: str


@dataclass(frozen=True)
class ScheduledPerson:
    speaker_id: int
    speaker: SpeakerName
    role: ParticipationRole
    position: int


@dataclass(frozen=True)
class ScheduledVideo:
    allowed_length: timedelta
    measured_length: timedelta | None


@dataclass(eq=False)
class ScheduleItem(SessionTiming):
    id: int
    title: str
    kind: SessionKind
    status: SessionStatus
    starts_at: datetime
    duration: timedelta
    channel_id: int | None
    channel: Channel | None
    theme: Theme | None
    video_message: ScheduledVideo | None
    participations: list[ScheduledPerson] = field(default_factory=list)
    version: int = 0
    is_fixed: bool = False


def load_schedule(event: Event, *, unscheduled: bool = False) -> list[ScheduleItem]:
    """Every scheduled session of `event` in start order with its channel, theme, video slot and speakers (in
    speaking order), as plain rows: two queries, plus the event's themes and channels if not loaded yet.
    With `unscheduled`, also the sessions without a start (last), for the timetable editor."""
    themes = {t.id: t for t in event.themes}
    channels = {c.id: c for c in event.channels}
    rows = db.session.execute(
        select(AgendaSession.id, AgendaSession.title, AgendaSession.kind, AgendaSession.status,
               AgendaSession.starts_at, AgendaSession.duration, AgendaSession.theme_id, AgendaSession.channel_id,
               AgendaSession.version, AgendaSession.is_fixed,
               VideoMessage.id.label("video_id"), VideoMessage.allowed_length, VideoMessage.measured_length)
        .outerjoin(VideoMessage, VideoMessage.session_id == AgendaSession.id)
        .where(AgendaSession.event_id == event.id,
               *(() if unscheduled else (AgendaSession.starts_at.is_not(None),)))
        .order_by(AgendaSession.starts_at.is_(None), AgendaSession.starts_at, AgendaSession.channel_id,
                  AgendaSession.id)
    )
    items = {}
    for r in rows:
        video = ScheduledVideo(r.allowed_length, r.measured_length) if r.video_id is not None else None
        items[r.id] = ScheduleItem(r.id, r.title, r.kind, r.status, r.starts_at, r.duration, r.channel_id,
                                   channels.get(r.channel_id), themes.get(r.theme_id), video,
                                   version=r.version, is_fixed=r.is_fixed)
    people = db.session.execute(
        select(Participation.session_id, Participation.speaker_id, Participation.role, Participation.position,
               Speaker.honorific, Speaker.name)
        .join(Speaker, Speaker.id == Participation.speaker_id)
        .join(AgendaSession, AgendaSession.id == Participation.session_id)
        .where(AgendaSession.event_id == event.id)
        .order_by(Participation.session_id, Participation.position, Participation.id)
    )
    names: dict[int, SpeakerName] = {}
    for r in people:
        name = names.get(r.speaker_id) or names.setdefault(
            r.speaker_id, SpeakerName(r.speaker_id, f"{r.honorific} {r.name}".strip()))
        if r.session_id in items:
            items[r.session_id].participations.append(ScheduledPerson(r.speaker_id, name, r.role, r.position))
    return list(items.values())


# --- editing sessions --------------------------------------------------------------------------------------------
# Every edit is audit-logged with the fields it changed; calendar-visible edits raise `sequence`; a save carries the
# version the organizer saw, and a save over someone else's newer edit is refused (EditConflict), never merged.

EDITABLE_FIELDS = ("kind", "theme_id", "channel_id", "title", "description", "starts_at", "duration", "notes",
                   "is_fixed", "translations", "floor_language", "interpretation_languages", "interpretation_channels")
# A translated title is a title too: feeds in that language must update.
CALENDAR_FIELDS = frozenset({"starts_at", "duration", "title", "status", "channel_id", "translations"})


class EditConflict(ConfmanError):
    """Someone saved the session after the version the organizer started from."""

    def __init__(self, item_id: int, expected_version: int):
        super().__init__("This session was changed by someone else while you were editing it. Nothing was saved.")
        self.item_id = item_id
        self.expected_version = expected_version


class InvalidSession(ConfmanError):
    pass


def session_values(item: AgendaSession) -> dict[str, Any]:
    """The editable state of a session, as the audit log keeps it."""
    values = {name: getattr(item, name) for name in EDITABLE_FIELDS}
    values["status"] = item.status
    values["tag_ids"] = sorted(t.id for t in item.tags)
    return values


def create_session(event: Event, *, actor: User | None, now: datetime, tags: Sequence[Tag] = (),
                   **values: Any) -> AgendaSession:
    """A new scheduled session of `event`. Raises InvalidSession. Flushes."""
    _validate(values)
    item = AgendaSession(event=event, created_at=now, updated_at=now, **values)
    item.tags = list(tags)
    db.session.add(item)
    db.session.flush()
    audit.record(event=event, actor=actor, action="session.created", target_type="session", target_id=item.id,
                 now=now, summary=f"Created “{item.title}”", after={**session_values(item), "version": item.version})
    return item


def update_session(item: AgendaSession, *, actor: User | None, now: datetime, expected_version: int,
                   tags: Sequence[Tag] | None = None, action: str = "session.updated", **values: Any) -> dict:
    """Apply `values` (a subset of EDITABLE_FIELDS and `status`) and `tags`. Returns {field: (before, after)} of
    what changed. Raises EditConflict when the session moved past `expected_version`, InvalidSession. Flushes."""
    check_version(item, expected_version)
    _validate({**session_values(item), **values})
    before = session_values(item)
    for name, value in values.items():
        setattr(item, name, value)
    if tags is not None:
        item.tags = sorted(tags, key=lambda t: t.name)
    after = session_values(item)
    changed = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    if not changed:
        return {}
    if CALENDAR_FIELDS & changed.keys():
        item.sequence += 1
    item.updated_at = now  # also makes a tags-only edit an UPDATE, so the version rises
    item_id = item.id
    try:
        db.session.flush()
    except StaleDataError as error:  # another transaction saved between our read and our write
        raise EditConflict(item_id, expected_version) from error
    audit.record(event=item.event, actor=actor, action=action, target_type="session", target_id=item.id, now=now,
                 summary=f"{action.removeprefix('session.').capitalize()} “{item.title}”",
                 before={k: v[0] for k, v in changed.items()},
                 after={**{k: v[1] for k, v in changed.items()}, "version": item.version})
    return changed


def cancel_session(item: AgendaSession, *, actor: User | None, now: datetime, expected_version: int) -> dict:
    """Cancelled sessions stay on the agenda, marked, so calendars and delegates learn of it."""
    return update_session(item, actor=actor, now=now, expected_version=expected_version, action="session.cancelled",
                          status=SessionStatus.CANCELLED)


def reinstate_session(item: AgendaSession, *, actor: User | None, now: datetime, expected_version: int) -> dict:
    return update_session(item, actor=actor, now=now, expected_version=expected_version,
                          action="session.reinstated", status=SessionStatus.SCHEDULED)


def move_session(item: AgendaSession, *, starts_at: datetime, channel_id: int | None, actor: User | None,
                 now: datetime, expected_version: int) -> dict:
    return update_session(item, actor=actor, now=now, expected_version=expected_version, action="session.moved",
                          starts_at=starts_at, channel_id=channel_id)


def duplicate_session(item: AgendaSession, *, actor: User | None, now: datetime) -> AgendaSession:
    """A scheduled copy with the same slot, tags and speakers (not the video message). Flushes."""
    copy = create_session(
        item.event, actor=actor, now=now, tags=item.tags, title=f"{item.title} (copy)"[:200],
        **{k: getattr(item, k) for k in EDITABLE_FIELDS if k != "title"},
    )
    for p in speaking_order(item):
        copy.participations.append(Participation(
            speaker_id=p.speaker_id, role=p.role, position=p.position, is_order_overridden=p.is_order_overridden,
            time_limit=p.time_limit, created_at=now,
        ))
    db.session.flush()
    return copy


class SessionWasPublished(ConfmanError):
    """Delegates or calendars may have seen it: it can be cancelled (and stays, marked), never deleted."""


def was_published(item: AgendaSession) -> bool:
    snapshots = db.session.scalars(select(AgendaVersion.snapshot).filter_by(event_id=item.event_id))
    return any(s.get("id") == item.id for snapshot in snapshots for s in (snapshot or {}).get("sessions", []))


def delete_session(item: AgendaSession, *, actor: User | None, now: datetime, expected_version: int) -> None:
    """Remove a session no published version ever held. Raises SessionWasPublished, EditConflict. Flushes."""
    check_version(item, expected_version)
    if was_published(item):
        raise SessionWasPublished(item.title)
    audit.record(event=item.event, actor=actor, action="session.deleted", target_type="session", target_id=item.id,
                 now=now, summary=f"Deleted “{item.title}” (never published)", before=session_values(item))
    db.session.delete(item)
    db.session.flush()


def check_version(item: AgendaSession, expected_version: int) -> None:
    if item.version != expected_version:
        raise EditConflict(item.id, expected_version)


def changes_since(item: AgendaSession, version: int) -> list[AuditEntry]:
    """The audit entries of `item` that made versions after `version`: what the other organizer changed."""
    entries = db.session.scalars(
        select(AuditEntry).filter_by(target_type="session", target_id=item.id).order_by(AuditEntry.id)
        .options(selectinload(AuditEntry.actor))
    ).all()
    return [e for e in entries if (e.after or {}).get("version", 0) > version]


def _validate(values: dict[str, Any]) -> None:
    if not (values.get("title") or "").strip():
        raise InvalidSession("A session needs a title.")
    codes = [values.get("floor_language") or "en", *(values.get("interpretation_languages") or ()),
             *(values.get("interpretation_channels") or {})]
    if unknown := [c for c in codes if not languages.is_known(c)]:
        raise InvalidSession(f"Not an ISO 639-1 language code: {', '.join(unknown)}.")
    duration = values.get("duration")
    if duration is None or duration <= timedelta():
        raise InvalidSession("A session must last at least one minute.")
    if duration > timedelta(hours=24):
        raise InvalidSession("A session cannot last more than 24 hours.")


def unique_slug(name: str, taken: set[str]) -> str:
    """A channel's or theme's slug from its name, not in `taken` (which it joins), for both schedule imports."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:70] or "item"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug
