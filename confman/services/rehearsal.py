"""Rehearsals: the console's same screen and actions on a sandbox copy of one day's running order.

A rehearsal is a draft event of its own (`Event.rehearsal_of`), holding copies of the chosen day's sessions in
each channel, moved to today at the same local times so the clock behaves as on the day, with their speakers and
video slots. The console acts on the copies only: the real sessions, their SEQUENCE, the public agenda and feeds
never change, and no webhook or mail can fire (the sandbox has no receivers, registrations or published agenda).
Its moderators are the real event's organizers and moderators. Starting again resets it; ending deletes it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select

from confman.extensions import db
from confman.models import (
    AgendaSession,
    AgendaVersion,
    AuditEntry,
    Channel,
    Event,
    EventRole,
    EventStatus,
    LiveAction,
    LiveState,
    Participation,
    Role,
    SessionStatus,
    Speaker,
    User,
    VideoMessage,
)
from confman.services import ConfmanError, audit
from confman.timeutil import from_local, local_day_bounds


class NotAnEventDay(ConfmanError):
    pass


def rehearsal_of(event: Event) -> Event | None:
    """The sandbox of `event`, if one is running."""
    return db.session.scalar(select(Event).filter_by(rehearsal_of_id=event.id))


def start(event: Event, day: date, *, actor: User | None, now: datetime) -> Event:
    """A fresh sandbox of `day` (replacing any running one: that is the reset). Raises NotAnEventDay. Flushes."""
    if not event.starts_on <= day <= event.ends_on:
        raise NotAnEventDay(f"{day.isoformat()} is not a day of {event.title}.")
    end(event)
    today = now.astimezone(event.tz).date()
    sandbox = Event(slug=f"rehearsal-{event.id}", title=f"Rehearsal: {event.title}",
                    short_title=f"Rehearsal: {event.short_title or event.title}"[:80], starts_on=today,
                    ends_on=today, timezone=event.timezone, format=event.format, status=EventStatus.DRAFT,
                    rehearsal_of=event, description=f"A rehearsal of {day.isoformat()}: nothing here is public.",
                    created_at=now, updated_at=now)
    db.session.add(sandbox)
    channels = {}
    for channel in event.channels:
        channels[channel.id] = Channel(event=sandbox, slug=channel.slug, name=channel.name, position=channel.position)
    db.session.add_all(channels.values())
    for role in db.session.scalars(select(EventRole).filter_by(event_id=event.id)):
        if role.role in (Role.ORGANIZER, Role.MODERATOR):
            db.session.add(EventRole(user_id=role.user_id, event=sandbox, role=role.role))
    db.session.flush()
    _copy_day(event, sandbox, day, today, channels, now)
    audit.record(event=event, actor=actor, action="rehearsal.started", target_type="event", target_id=sandbox.id,
                 now=now, summary=f"Started a rehearsal of {day.isoformat()}")
    db.session.flush()
    return sandbox


def _copy_day(event: Event, sandbox: Event, day: date, today: date, channels: dict[int, Channel],
              now: datetime) -> None:
    start_at, end_at = local_day_bounds(day, event.tz)
    items = db.session.scalars(select(AgendaSession).where(
        AgendaSession.event_id == event.id, AgendaSession.starts_at >= start_at, AgendaSession.starts_at < end_at,
        AgendaSession.status != SessionStatus.CANCELLED).order_by(AgendaSession.starts_at, AgendaSession.id)).all()
    speakers: dict[int, Speaker] = {}

    def speaker(original: Speaker | None) -> Speaker | None:
        if original is None:
            return None
        if original.id not in speakers:
            speakers[original.id] = Speaker(event=sandbox, honorific=original.honorific, name=original.name,
                                            title=original.title, protocol_rank=original.protocol_rank,
                                            organization_id=original.organization_id, created_at=now)
        return speakers[original.id]

    for item in items:
        local = item.starts_at.astimezone(event.tz)
        moved = datetime.combine(today, local.time().replace(tzinfo=None))
        copy = AgendaSession(event=sandbox, kind=item.kind, title=item.title, starts_at=from_local(moved, event.tz),
                             duration=item.duration, is_fixed=item.is_fixed, notes=item.notes,
                             channel=channels.get(item.channel_id), created_at=now, updated_at=now)
        db.session.add(copy)  # before reading the original's speakers, which may flush
        for p in item.participations:
            copy.participations.append(Participation(speaker=speaker(p.speaker), role=p.role, position=p.position,
                                                     time_limit=p.time_limit, created_at=now))
        if (vm := item.video_message) is not None:
            copy.video_message = VideoMessage(
                speaker=speaker(vm.speaker), introducer=speaker(vm.introducer), allowed_length=vm.allowed_length,
                language=vm.language, status=vm.status, link_url=vm.link_url, measured_length=vm.measured_length,
                fallback=vm.fallback, created_at=now, updated_at=now)


def end(event: Event) -> bool:
    """Delete the running sandbox, if any. Flushes."""
    sandbox = rehearsal_of(event)
    if sandbox is None:
        return False
    # Bulk deletes, children first: SQLite enforces no ON DELETE CASCADE, and nothing else may be left behind.
    sessions = select(AgendaSession.id).where(AgendaSession.event_id == sandbox.id).scalar_subquery()
    db.session.execute(delete(Participation).where(Participation.session_id.in_(sessions)))
    db.session.execute(delete(VideoMessage).where(VideoMessage.session_id.in_(sessions)))
    for model in (LiveAction, LiveState, AuditEntry, EventRole, AgendaSession, Speaker, Channel, AgendaVersion):
        db.session.execute(delete(model).where(model.event_id == sandbox.id))
    db.session.execute(delete(Event).where(Event.id == sandbox.id))
    db.session.expire_all()  # accounts' role lists and the event's collections still name what is gone
    return True

