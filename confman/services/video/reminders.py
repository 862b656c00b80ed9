"""Reminders to speakers' offices before a video message is due, and flags for the ones that are overdue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from confman import catalogues, languages
from confman.extensions import db
from confman.models import AgendaSession, Event, EventStatus, OutboxMessage, SessionStatus, User, VideoMessage
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
        subject, body = _message(vm, overdue=kind == "video_overdue", now=now,
                                 language=_language(address, item.event))
        db.session.add(OutboxMessage(event_id=item.event_id, kind=kind, to_email=address, subject=subject, body=body,
                                     created_at=now))
        vm.last_reminded_at = now
        report.queued.append(f"{label} → {address} ({'overdue notice' if kind == 'video_overdue' else 'reminder'})")
    db.session.flush()
    return report


def _when(instant: datetime, event: Event, language: str = "en") -> str:
    """ "Monday 25 October 2021, 09:00 (Asia/Karachi, UTC+5)", with `language`'s weekday and month names."""
    offset = utc_offset_label(instant, event.tz)
    local = catalogues.format_instant(instant, event.tz, language, "EEEE d MMMM y, HH:mm")
    return f"{local} ({event.timezone}, {offset})"


def _language(address: str, event: Event) -> str:
    """The office's language: the account of its address, if it has one with a language, else the event's."""
    from confman.services.outbox import mail_language

    user = db.session.scalar(select(User).where(User.email == address.strip().lower()))
    return mail_language(user=user, event=event)


def _message(vm: VideoMessage, *, overdue: bool, now: datetime, language: str = "en") -> tuple[str, str]:
    """The reminder or overdue notice, in `language` (English without a catalogue)."""
    _ = catalogues.gettext_for(language)
    ngettext = catalogues.ngettext_for(language)
    item, event = vm.session, vm.session.event
    speaker = vm.speaker.full_name if vm.speaker else _("your principal")
    short = event.short_title or event.title
    if overdue:
        subject = _("Overdue: video message for %(event)s", event=short)
        opening = _("The deadline for the video message of %(speaker)s has passed, and we have not received it yet. "
                    "Please send it as soon as you can, or tell us if the statement will be given live instead.",
                    speaker=speaker)
    else:
        left = vm.deadline_at - now
        days = max(1, round(left / timedelta(days=1)))
        subject = ngettext("Reminder: video message for %(event)s due in %(num)d day",
                           "Reminder: video message for %(event)s due in %(num)d days", days, event=short)
        opening = _("This is a reminder that the video message of %(speaker)s is due soon.", speaker=speaker)
    lines = [
        opening, "",
        _("Event: %(event)s", event=event.title),
        _("Session: %(session)s, %(when)s", session=item.title, when=_when(item.starts_at, event, language)),
        _("Allowed length: %(length)s (minutes:seconds)", length=format_clock(vm.allowed_length)),
        _("Deadline: %(when)s", when=_when(vm.deadline_at, event, language)),
        _("Language: %(language)s", language=languages.name(vm.language, language) if vm.language else ""),
    ]
    if vm.subtitle_expectations:
        lines.append(_("Subtitles and transcript: %(expectations)s", expectations=vm.subtitle_expectations))
    if vm.rejection_reason:
        lines += ["", _("Why the previous video could not be used: %(reason)s", reason=vm.rejection_reason)]
    lines += ["", _("Use the private submission link the organizers sent you. If you cannot find it, reply to this "
                    "message and we will send a new one.")]
    return subject, "\n".join(lines)
