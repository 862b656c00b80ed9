"""The day's reminder to an approved delegate: the sessions they picked for that day, each with its meeting link.

One mail per delegate and event day (in the event's zone), queued once the first of those sessions is less than
the lead time away, so cron may run it every few minutes. Meeting links are private: only approved delegates get
this mail, as only they get the links in their personal feed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from confman import catalogues
from confman.extensions import db
from confman.models import Event, EventStatus, OutboxMessage, Registration, RegistrationStatus, SessionStatus
from confman.services.floor.rooms import meeting_links
from confman.services.publication import public_agenda
from confman.timeutil import utc_offset_label

DEFAULT_LEAD = timedelta(hours=2)
KIND = "day_reminder"


@dataclass
class DayReminders:
    queued: list[str] = field(default_factory=list)


def _english(message: str, **values) -> str:
    return message % values if values else message


def queue_day_reminders(*, now: datetime, event: Event | None = None, lead: timedelta = DEFAULT_LEAD,
                        words: Callable[[str], Callable[..., str]] = lambda language: _english) -> DayReminders:
    """Queue the reminders due at `now`. `words(language)` gives the `gettext(message, **values)` of a language:
    each reminder is in its delegate's language, else the event's default (the CLI passes the interface's
    catalogues). Flushes; the caller commits."""
    events = [event] if event is not None else db.session.scalars(
        select(Event).where(Event.status == EventStatus.PUBLISHED)).all()
    report = DayReminders()
    for current in events:
        if current.status != EventStatus.PUBLISHED:
            continue
        report.queued += _queue_for_event(current, now=now, lead=lead, words=words)
    db.session.flush()
    return report


def _queue_for_event(event: Event, *, now: datetime, lead: timedelta, words) -> list[str]:
    sessions = {s.id: s for s in public_agenda(event).sessions
                if s.status != SessionStatus.CANCELLED and now < s.starts_at + s.duration}
    if not sessions:
        return []
    links = meeting_links(event, sessions.values())
    sent = {(registration_id, kind) for registration_id, kind in db.session.execute(
        select(OutboxMessage.registration_id, OutboxMessage.kind).where(
            OutboxMessage.event_id == event.id, OutboxMessage.kind.startswith(f"{KIND}:")))}
    registrations = db.session.scalars(
        select(Registration).options(selectinload(Registration.sessions))
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.APPROVED)
        .order_by(Registration.id)).all()
    queued = []
    for registration in registrations:
        picked = sorted((sessions[s.id] for s in registration.sessions if s.id in sessions),
                        key=lambda s: (s.starts_at, s.id))
        for day, day_sessions in groupby(picked, key=lambda s: s.starts_at.astimezone(event.tz).date()):
            day_sessions = list(day_sessions)
            if now < day_sessions[0].starts_at - lead:
                continue
            kind = f"{KIND}:{day.isoformat()}"  # marks that day's reminder as sent, whatever its language
            if (registration.id, kind) in sent:
                continue
            language = registration.language or event.default_language
            gettext = words(language)
            db.session.add(OutboxMessage(
                event_id=event.id, registration_id=registration.id, kind=kind, to_email=registration.email,
                subject=_subject(event, day, gettext, language),
                body=_body(event, registration, day_sessions, links, gettext),
                created_at=now))
            queued.append(f"{event.slug}: {registration.email} ({day.isoformat()}, {len(day_sessions)})")
    return queued


def _subject(event: Event, day: date, gettext, language: str) -> str:
    """ "Your sessions on Monday 25 October 2021: PrepCon", the day as the delegate's language writes it."""
    return gettext("Your sessions on %(day)s: %(event)s", day=catalogues.format_date(day, language),
                   event=event.short_title or event.title)


def _body(event: Event, registration: Registration, day_sessions, links: dict[int, str], gettext) -> str:
    lines = [gettext("Dear %(name)s,", name=registration.name), "",
             gettext("These are the sessions of %(event)s you chose for today.", event=event.title), ""]
    for item in day_sessions:
        local = item.starts_at.astimezone(event.tz)
        end = (item.starts_at + item.duration).astimezone(event.tz)
        lines.append(f"{local:%H:%M}–{end:%H:%M} ({event.timezone}, {utc_offset_label(item.starts_at, event.tz)})"
                     f"  {item.title}")
        if url := links.get(item.id):
            lines.append("  " + gettext("Join: %(url)s", url=url))
        lines.append("")
    lines.append(gettext("The meeting links are yours: please do not forward them. Times may change on the day; "
                         "your personal calendar follows every change."))
    return "\n".join(lines)
