"""Reminders to speakers' offices before a video message is due, and flags for the ones that are overdue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from confman.extensions import db
from confman.models import AgendaSession, Event, EventStatus, OutboxMessage, SessionStatus, VideoMessage
from confman.services.video.slots import AWAITED_STATUSES, format_clock
from confman.timeutil import utc_offset_label

DEFAULT_LEAD_TIMES = (timedelta(days=7), timedelta(days=2), timedelta(days=1))


@dataclass
class ReminderReport:
    queued: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)


def queue_reminders(*, now: datetime, event: Event | None = None,
                    lead_times: tuple[timedelta, ...] = DEFAULT_LEAD_TIMES) -> ReminderReport:
    """Queue the reminders that are due in the outbox, and one notice when a slot becomes overdue.

    A reminder is due when a lead time before the deadline has passed since the last one was sent, so running this
    twice (or every few minutes from cron) queues each reminder once. Flushes; the caller commits.
    """
    query = (
        select(VideoMessage)
        .join(VideoMessage.session)
        .join(AgendaSession.event)
        .options(contains_eager(VideoMessage.session).contains_eager(AgendaSession.event),
                 selectinload(VideoMessage.speaker))
        .where(VideoMessage.status.in_(AWAITED_STATUSES), VideoMessage.deadline_at.is_not(None),
               AgendaSession.status != SessionStatus.CANCELLED, Event.status != EventStatus.ARCHIVED)
        .order_by(VideoMessage.deadline_at, VideoMessage.id)
        .with_for_update(of=VideoMessage)  # two cron runs at once must not both send
    )
    if event is not None:
        query = query.where(AgendaSession.event_id == event.id)
    report = ReminderReport()
    for vm in db.session.scalars(query).unique():
        item = vm.session
        label = f"{item.event.slug}: {item.title}"
        if now >= vm.deadline_at:
            report.overdue.append(f"{label} (deadline {_when(vm.deadline_at, item.event)})")
            milestone = vm.deadline_at
            kind = "video_overdue"
        else:
            passed = [vm.deadline_at - lead for lead in lead_times if vm.deadline_at - lead <= now]
            if not passed:
                continue
            milestone = max(passed)
            kind = "video_reminder"
        if vm.last_reminded_at is not None and vm.last_reminded_at >= milestone:
            continue
        address = vm.office_email or (vm.speaker.email if vm.speaker else "")
        if not address:
            report.no_address.append(label)
            continue
        subject, body = _message(vm, overdue=kind == "video_overdue", now=now)
        db.session.add(OutboxMessage(event_id=item.event_id, kind=kind, to_email=address, subject=subject, body=body,
                                     created_at=now))
        vm.last_reminded_at = now
        report.queued.append(f"{label} → {address} ({'overdue notice' if kind == 'video_overdue' else 'reminder'})")
    db.session.flush()
    return report


def _when(instant: datetime, event: Event) -> str:
    local = instant.astimezone(event.tz)
    offset = utc_offset_label(instant, event.tz)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} ({event.timezone}, {offset})"


def _message(vm: VideoMessage, *, overdue: bool, now: datetime) -> tuple[str, str]:
    item, event = vm.session, vm.session.event
    speaker = vm.speaker.full_name if vm.speaker else "your principal"
    if overdue:
        subject = f"Overdue: video message for {event.short_title or event.title}"
        opening = (f"The deadline for the video message of {speaker} has passed, and we have not received it yet. "
                   "Please send it as soon as you can, or tell us if the statement will be given live instead.")
    else:
        left = vm.deadline_at - now
        days = max(1, round(left / timedelta(days=1)))
        subject = f"Reminder: video message for {event.short_title or event.title} due in {days} day(s)"
        opening = f"This is a reminder that the video message of {speaker} is due soon."
    lines = [
        opening, "",
        f"Event: {event.title}",
        f"Session: {item.title}, {_when(item.starts_at, event)}",
        f"Allowed length: {format_clock(vm.allowed_length)} (minutes:seconds)",
        f"Deadline: {_when(vm.deadline_at, event)}",
        f"Language: {vm.language}",
    ]
    if vm.subtitle_expectations:
        lines.append(f"Subtitles and transcript: {vm.subtitle_expectations}")
    if vm.rejection_reason:
        lines += ["", f"Why the previous video could not be used: {vm.rejection_reason}"]
    lines += ["", "Use the private submission link the organizers sent you. If you cannot find it, reply to this "
              "message and we will send a new one."]
    return subject, "\n".join(lines)
