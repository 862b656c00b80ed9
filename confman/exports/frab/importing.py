"""Writing a parsed schedule into an event: the event (when its slug is new), channels from rooms, themes from tracks,
speakers from persons and the sessions. Flushes; the caller commits once or rolls back (all or nothing)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from confman.exports.frab.parsing import COLOUR, EVENT_SLUG, HONORIFICS, ImportedSchedule, ImportReport
from confman.extensions import db
from confman.models import (
    AgendaSession,
    Channel,
    Event,
    EventStatus,
    Participation,
    Speaker,
    Theme,
)
from confman.services import ConfmanError, agenda, audit, publication


class EventHasSessions(ConfmanError):
    pass


class InvalidEventSlug(ConfmanError):
    pass




def import_schedule(schedule: ImportedSchedule, *, slug: str, now: datetime, replace: bool = False,
                    publish: bool = False, source: str = "") -> ImportReport:
    """Put `schedule` into the event `slug`, creating the event if it does not exist. Flushes; never commits.

    Raises EventHasSessions when the event already has sessions and `replace` is false, InvalidEventSlug for a
    new slug that is not lower-case letters, digits and hyphens.
    """
    report = ImportReport()
    event = db.session.scalar(select(Event).filter_by(slug=slug))
    if event is None:
        event = _new_event(schedule, slug, now, report)
    else:
        existing = db.session.scalar(select(func.count(AgendaSession.id)).filter_by(event_id=event.id))
        if existing and not replace:
            raise EventHasSessions(f"The event {slug!r} already has {existing} sessions. Give --replace to replace "
                                   "them with the file's.")
        if existing:
            for item in db.session.scalars(select(AgendaSession).filter_by(event_id=event.id)):
                db.session.delete(item)
            report.lines.append(f"removed  {existing} sessions of {slug}")
        report.lines.append(f"exists   event {slug} ({event.title})")
    report.event = event
    channels = _channels(event, schedule, report)
    themes = _themes(event, schedule, report)
    speakers = _speakers(event, schedule, now, report)
    for item in schedule.sessions:
        session = AgendaSession(event=event, kind=item.kind, title=item.title, description=item.description,
                                starts_at=item.starts_at, duration=item.duration, channel=channels[item.room],
                                theme=themes.get(item.track), created_at=now, updated_at=now,
                                import_key=item.key or None,
                                # "" is the event's own language, as the import page and the session form store it
                                floor_language="" if item.language == event.default_language else item.language)
        for position, person in enumerate(item.persons):
            session.participations.append(Participation(speaker=speakers[person.name], role=person.role,
                                                        position=position, is_order_overridden=True,
                                                        created_at=now))
        db.session.add(session)
    db.session.flush()
    report.lines.append(f"created  {len(schedule.sessions)} sessions")
    audit.record(event=event, actor=None, action="agenda.imported", target_type="event", target_id=event.id,
                 now=now, summary=f"Imported {len(schedule.sessions)} sessions from {source or schedule.format}")
    if publish:
        if event.status == EventStatus.DRAFT:
            event.status = EventStatus.PUBLISHED
            report.lines.append(f"published event {slug}")
        version = publication.publish_agenda(event, actor=None, now=now, allow_empty=True,
                                             comment=f"Imported from {source or schedule.format}")
        report.version = version.number
        report.lines.append(f"published agenda version {version.number}")
    db.session.flush()
    return report


def _new_event(schedule: ImportedSchedule, slug: str, now: datetime, report: ImportReport) -> Event:
    if not EVENT_SLUG.fullmatch(slug):
        raise InvalidEventSlug(f"{slug!r} cannot be an event's slug: use 2-80 lower-case letters, digits and hyphens.")
    timezone = schedule.timezone or "UTC"
    tz = ZoneInfo(timezone)
    local_days = sorted({s.starts_at.astimezone(tz).date() for s in schedule.sessions})
    starts_on = schedule.starts_on or local_days[0]
    ends_on = max(schedule.ends_on or local_days[-1], starts_on)
    event = Event(slug=slug, title=schedule.title[:300], short_title=schedule.acronym[:80], starts_on=starts_on,
                  ends_on=ends_on, timezone=timezone, status=EventStatus.DRAFT, created_at=now, updated_at=now)
    db.session.add(event)
    db.session.flush()
    note = "" if schedule.timezone else "; the file names no time zone"
    report.lines.append(f"created  event {slug} ({event.title}, {starts_on} – {ends_on}, {timezone}{note})")
    return event


def _channels(event: Event, schedule: ImportedSchedule, report: ImportReport) -> dict[str, Channel]:
    by_name = {c.name: c for c in event.channels}
    taken = {c.slug for c in event.channels}
    created = []
    for name in schedule.rooms + [s.room for s in schedule.sessions]:
        if name not in by_name:
            channel = Channel(event=event, name=name, slug=agenda.unique_slug(name, taken), position=len(by_name))
            db.session.add(channel)
            by_name[name] = channel
            created.append(name)
    if created:
        report.lines.append(f"created  {len(created)} channels: {', '.join(created)}")
    return by_name


def _themes(event: Event, schedule: ImportedSchedule, report: ImportReport) -> dict[str, Theme]:
    by_name = {t.name: t for t in event.themes}
    taken = {t.slug for t in event.themes}
    created = []
    wanted = dict(schedule.tracks)
    wanted.update({s.track: "" for s in schedule.sessions if s.track and s.track not in wanted})
    for name, colour in wanted.items():
        if name and name not in by_name:
            theme = Theme(event=event, name=name, slug=agenda.unique_slug(name, taken), position=len(by_name))
            db.session.add(theme)
            if COLOUR.fullmatch(colour):
                theme.colour = colour.lower()
            by_name[name] = theme
            created.append(name)
    if created:
        report.lines.append(f"created  {len(created)} themes: {', '.join(created)}")
    return by_name


def _speakers(event: Event, schedule: ImportedSchedule, now: datetime, report: ImportReport) -> dict[str, Speaker]:
    existing = {s.full_name: s for s in db.session.scalars(select(Speaker).filter_by(event_id=event.id))}
    found = {}
    created = 0
    for name in sorted(schedule.persons):
        if name in existing:
            found[name] = existing[name]
            continue
        match = HONORIFICS.match(name)
        honorific, plain = (match.group(1).strip(), match.group(2).strip()) if match else ("", name)
        found[name] = Speaker(event=event, honorific=honorific[:40], name=plain, created_at=now)
        db.session.add(found[name])
        created += 1
    reused = len(found) - created
    report.lines.append(f"created  {created} speakers" + (f" (and found {reused} already there)" if reused else ""))
    return found
