"""Words for the codes the domain returns: enum labels and locale-aware instants, in the request's language.

Models and services stay free of Flask, so their enums carry English `.label`s at most; pages word them here
(`{{ item.kind|label }}`), through gettext, so a French organizer reads « Table ronde » rather than "Panel".
"""

from __future__ import annotations

import enum
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import Flask
from flask_babel import get_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l

from confman.models import (
    CoHostRole,
    EventFormat,
    EventStatus,
    InscriptionStatus,
    JobStatus,
    OrganizationKind,
    OutboxStatus,
    OverQuotaPolicy,
    ParticipationRole,
    ProtocolRank,
    RegistrationCategory,
    RegistrationStatus,
    Role,
    SessionKind,
    SessionStatus,
    SubmissionOutcome,
    VideoStatus,
    WebhookDeliveryStatus,
)
from confman.services import conflicts

# Keyed by (enum, value): StrEnum members equal their value, so VideoStatus.RECEIVED == SubmissionOutcome.RECEIVED
# as dict keys, yet "received" is worded differently in each.
_PAIRS = (
    (SessionKind.OPENING, _l("Opening")),
    (SessionKind.STATEMENT, _l("Keynote / statement")),
    (SessionKind.PLENARY, _l("Plenary")),
    (SessionKind.PANEL, _l("Panel")),
    (SessionKind.VIDEO_MESSAGE, _l("Video message")),
    (SessionKind.BREAK, _l("Break")),
    (SessionKind.CLOSING, _l("Closing")),
    (SessionStatus.SCHEDULED, _l("Scheduled")),
    (SessionStatus.LIVE, _l("Live")),
    (SessionStatus.DONE, _l("Done")),
    (SessionStatus.CANCELLED, _l("Cancelled")),
    (ProtocolRank.HEAD_OF_STATE_OR_GOVERNMENT, _l("Head of State or Government")),
    (ProtocolRank.MINISTER, _l("Minister")),
    (ProtocolRank.VICE_MINISTER, _l("Vice-Minister")),
    (ProtocolRank.PERMANENT_REPRESENTATIVE, _l("Permanent Representative")),
    (ProtocolRank.OTHER, _l("Other")),
    (ParticipationRole.CHAIR, _l("Chair")),
    (ParticipationRole.MODERATOR, _l("Moderator")),
    (ParticipationRole.SPEAKER, _l("Speaker")),
    (ParticipationRole.PANELIST, _l("Panelist")),
    (EventFormat.VIRTUAL, _l("Virtual")),
    (EventFormat.HYBRID, _l("Hybrid")),
    (EventFormat.IN_PERSON, _l("In person")),
    (EventStatus.DRAFT, _l("Draft")),
    (EventStatus.PUBLISHED, _l("Published")),
    (EventStatus.ARCHIVED, _l("Archived")),
    (InscriptionStatus.PENDING, _l("Waiting")),
    (InscriptionStatus.CALLED, _l("Speaking now")),
    (InscriptionStatus.DELIVERED, _l("Delivered")),
    (InscriptionStatus.ABSENT, _l("Absent")),
    (InscriptionStatus.YIELDED, _l("Yielded")),
    (InscriptionStatus.WITHDRAWN, _l("Withdrawn")),
    (JobStatus.QUEUED, _l("Queued")),
    (JobStatus.RUNNING, _l("Running")),
    (JobStatus.DONE, _l("Done")),
    (JobStatus.FAILED, _l("Failed")),
    (WebhookDeliveryStatus.PENDING, _l("Pending")),
    (WebhookDeliveryStatus.SENT, _l("Sent")),
    (WebhookDeliveryStatus.FAILED, _l("Failed")),
    (OrganizationKind.MEMBER_STATE, _l("Member State")),
    (OrganizationKind.UN_ENTITY, _l("UN entity")),
    (OrganizationKind.OTHER, _l("Other")),
    (CoHostRole.HOST, _l("Host")),
    (CoHostRole.CO_HOST, _l("Co-host")),
    (CoHostRole.PARTNER, _l("Partner")),
    (OverQuotaPolicy.REFUSE, _l("Refuse")),
    (OverQuotaPolicy.WAITLIST, _l("Waitlist")),
    (RegistrationCategory.MEMBER_STATE, _l("Member State delegate")),
    (RegistrationCategory.UN_SECRETARIAT, _l("UN Secretariat")),
    (RegistrationCategory.OBSERVER, _l("Observer")),
    (RegistrationCategory.MEDIA, _l("Media")),
    (RegistrationCategory.OTHER, _l("Other")),
    (RegistrationStatus.PENDING, _l("Pending")),
    (RegistrationStatus.APPROVED, _l("Approved")),
    (RegistrationStatus.WAITLISTED, _l("Waitlisted")),
    (RegistrationStatus.DECLINED, _l("Declined")),
    (RegistrationStatus.CANCELLED, _l("Cancelled")),
    (OutboxStatus.QUEUED, _l("Queued")),
    (OutboxStatus.SENT, _l("Sent")),
    (OutboxStatus.STORED, _l("Stored")),
    (Role.ORGANIZER, _l("Organizer")),
    (Role.MODERATOR, _l("Moderator")),
    (Role.INTERPRETER, _l("Interpreter")),
    (VideoStatus.REQUESTED, _l("Requested")),
    (VideoStatus.RECEIVED, _l("Received, awaiting review")),
    (VideoStatus.APPROVED, _l("Approved")),
    (VideoStatus.REJECTED, _l("Rejected, awaiting a new video")),
    (VideoStatus.PLAYED, _l("Played")),
    (SubmissionOutcome.RECEIVED, _l("Received")),
    (SubmissionOutcome.REPLACED, _l("Replaced")),
    (SubmissionOutcome.APPROVED, _l("Approved")),
    (SubmissionOutcome.REJECTED, _l("Rejected")),
)
LABELS = {(type(member), member.value): text for member, text in _PAIRS}


def label(value) -> str:
    """The translated label of an enum member; anything else (a label already worded) as text."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum) and (type(value), value.value) in LABELS:
        return str(LABELS[type(value), value.value])
    return str(getattr(value, "label", value))


def choices(enum_type: type[enum.Enum]) -> list[tuple[str, object]]:
    """(value, lazy label) pairs for a SelectField: worded when the form renders, in the viewer's language."""
    return [(member.value, LABELS.get((enum_type, member.value), member.value)) for member in enum_type]


def _locale():
    return get_locale() or "en"


def when(instant: datetime | None, tz: ZoneInfo, fmt: str = "medium") -> str:
    """Date and time of an instant in `tz`, as the viewer's locale writes them ("25 Oct 2021, 09:00")."""
    if instant is None:
        return ""
    return babel_dates.format_datetime(instant.astimezone(tz), _skeleton(fmt, "datetime"), tzinfo=tz,
                                       locale=_locale())


def day(value, fmt: str = "full", tz: ZoneInfo | None = None) -> str:
    """A date ("Monday 25 October 2021" / « lundi 25 octobre 2021 »); an instant is read as its date in `tz` (or
    its own offset). None (an unscheduled session) is empty."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = (value.astimezone(tz) if tz is not None else value).date()
    return babel_dates.format_date(value, _skeleton(fmt, "date"), locale=_locale())


def time_of(instant: datetime | None, tz: ZoneInfo, seconds: bool = False) -> str:
    """Hours and minutes (and seconds) in `tz` (24-hour in both English and French, as UN meetings write them)."""
    if instant is None:
        return ""
    return babel_dates.format_time(instant.astimezone(tz), "HH:mm:ss" if seconds else "HH:mm", tzinfo=tz,
                                   locale=_locale())


def zone(tz: ZoneInfo | str) -> str:
    """A time zone as a viewer reads it: its IANA name in English (what ?tz= and calendar apps take), the
    locale's name for it with the IANA name otherwise (« heure du Pakistan (Asia/Karachi) »)."""
    key = getattr(tz, "key", None) or str(tz)
    if str(_locale()).split("_")[0] == "en" or key in ("UTC", "Etc/UTC"):
        return key
    try:
        name = babel_dates.get_timezone_name(ZoneInfo(key), locale=_locale())
    except (LookupError, ValueError):
        return key
    return f"{name} ({key})"


# Day before month, as UN documents write dates in English and as French always does; Babel supplies the
# month and weekday names of the viewer's locale. Named formats of Babel ("short", "long") also work.
_PATTERNS = {
    ("datetime", "medium"): "d MMM y, HH:mm",
    ("datetime", "full"): "EEEE d MMMM y, HH:mm",
    ("date", "medium"): "d MMM y",
    ("date", "full"): "EEEE d MMMM y",
}


def _skeleton(fmt: str, kind: str) -> str:
    return _PATTERNS.get((kind, fmt), fmt)


def register(app: Flask) -> None:
    app.add_template_filter(label, "label")
    app.add_template_filter(when, "when")
    app.add_template_filter(day, "day")
    app.add_template_filter(time_of, "time_of")
    app.add_template_filter(zone, "zone")
    app.add_template_filter(problem_text, "problem_text")
    app.add_template_filter(audit_summary, "audit_summary")


def error_text(error: Exception) -> str:
    """A domain error in the viewer's language. Services raise with English sentences (they know no Flask) that
    are catalogue entries: marked N_() where they are raised (a ConfmanError keeps the msgid and its values), or
    listed in _DOMAIN_MSGIDS. A sentence the catalogue does not know is shown as raised."""
    msgid = getattr(error, "msgid", None)
    values = getattr(error, "values", None)
    if isinstance(msgid, str) and isinstance(values, dict) and values:
        return gettext(msgid, **values)
    text = str(error)
    return gettext(text) if text in _DOMAIN_MSGIDS or text == msgid else text


def N_(text: str) -> str:  # noqa: N802 - Babel's marker for a msgid translated later (a default keyword)
    return text


# Fixed sentences raised by services and shown to organizers, moderators and video offices.
_DOMAIN_MSGIDS = frozenset({
    N_("A session needs a title."),
    N_("A session must last at least one minute."),
    N_("A session cannot last more than 24 hours."),
    N_("This session was changed by someone else while you were editing it. Nothing was saved."),
    N_("A name is needed."),
    N_("Another moderator changed the running order after this page was loaded, so your action was not applied. "
       "The console now shows the current state: check it and try again."),
    # services.webhooks.KINDS, the notifications an organizer picks
    N_("Agenda published (a release, or a live amendment)"),
    N_("Session started"),
    N_("Session ended"),
    N_("Delay announced"),
    N_("Session cancelled"),
})


def describe_change(change: dict, tz: ZoneInfo) -> str:
    """One changelog entry (services.changelog's dicts) in the viewer's language, times in `tz`."""
    title = change.get("title") or "?"

    def span(iso: str | None, seconds: int | None = None) -> str:
        if not iso:
            return ""
        start = datetime.fromisoformat(iso).astimezone(tz)
        text = babel_dates.format_datetime(start, "EEE d MMM HH:mm", tzinfo=tz, locale=_locale())
        if seconds is not None:
            text += "–" + time_of(start + timedelta(seconds=seconds), tz)
        return text

    match change.get("change"):
        case "added" if change.get("to"):
            return gettext("Added “%(title)s”, %(when)s", title=title,
                           when=span(change.get("to"), change.get("duration_to")))
        case "added":
            return gettext("Added “%(title)s”", title=title)
        case "moved":
            return gettext("Moved “%(title)s” from %(before)s to %(after)s", title=title,
                           before=span(change.get("from"), change.get("duration_from")),
                           after=span(change.get("to"), change.get("duration_to")))
        case "cancelled":
            return gettext("Cancelled “%(title)s”", title=title)
        case "reinstated":
            return gettext("Reinstated “%(title)s”", title=title)
        case "renamed":
            return gettext("Renamed “%(before)s” to “%(title)s”", before=change.get("from_title") or "?", title=title)
        case "channel" if change.get("to_channel"):
            return gettext("“%(title)s” now takes place in %(channel)s", title=title, channel=change["to_channel"])
        case "channel":
            return gettext("“%(title)s” changed channel", title=title)
        case "speakers":
            return gettext("Speakers of “%(title)s”: %(detail)s", title=title, detail=_speakers_detail(change))
        case "removed":
            return gettext("Removed “%(title)s”", title=title)
        case "translated" if change.get("detail"):
            return gettext("Translations of “%(title)s” changed (%(detail)s)", title=title, detail=change["detail"])
        case "translated":
            return gettext("Translations of “%(title)s” changed", title=title)
        case "interpretation":
            return gettext("Interpretation of “%(title)s”: %(detail)s", title=title,
                           detail=change.get("detail") or gettext("none"))
    return f"“{title}”: {change.get('change')}"


def _speakers_detail(change: dict) -> str:
    """Who joined and left a session's speakers; entries recorded before `added`/`removed` existed keep their
    English detail."""
    if "added" not in change and "removed" not in change:
        return change.get("detail") or gettext("changed")
    parts = []
    if change.get("added"):
        parts.append(gettext("added %(names)s", names=", ".join(change["added"])))
    if change.get("removed"):
        parts.append(gettext("removed %(names)s", names=", ".join(change["removed"])))
    return "; ".join(parts) or gettext("order or roles")


def clock(duration: timedelta | None) -> str:
    """'4:52' for video lengths: minutes and seconds read the same in English and French."""
    if duration is None:
        return ""
    seconds = int(duration.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d}"


def problem_text(problem: conflicts.Problem) -> str:
    """A conflicts.Problem as a sentence in the viewer's language."""
    p = problem.params
    match problem.kind:
        case conflicts.ProblemKind.SPEAKER_DOUBLE_BOOKED:
            name = p.get("speaker") or gettext("Speaker %(id)s", id=p.get("speaker_id"))
            return gettext("%(name)s is booked in two overlapping sessions: “%(first)s” and “%(second)s”.",
                           name=name, first=p["first"], second=p["second"])
        case conflicts.ProblemKind.CHANNEL_OVERLAP:
            if p.get("channel"):
                return gettext("“%(first)s” and “%(second)s” overlap in %(channel)s.", first=p["first"],
                               second=p["second"], channel=p["channel"])
            return gettext("“%(first)s” and “%(second)s” overlap in the same channel.", first=p["first"],
                           second=p["second"])
        case conflicts.ProblemKind.OUTSIDE_EVENT_DATES:
            return gettext("“%(title)s” is outside the event's dates (%(first)s to %(last)s in %(zone)s).",
                           title=p["title"], first=day(p["starts_on"], "medium"), last=day(p["ends_on"], "medium"),
                           zone=p["zone"])
        case conflicts.ProblemKind.CROSSES_MIDNIGHT:
            return gettext("“%(title)s” crosses midnight in %(zone)s: it starts on one day and ends on the next.",
                           title=p["title"], zone=p["zone"])
        case conflicts.ProblemKind.VIDEO_WITHOUT_SLOT:
            return gettext("“%(title)s” is a video-message session without a video-message slot.", title=p["title"])
        case conflicts.ProblemKind.VIDEO_LONGER_THAN_SLOT:
            return gettext("The video message of “%(title)s” (%(length)s) is longer than the session (%(duration)s).",
                           title=p["title"], length=clock(p["length"]), duration=clock(p["duration"]))
        case conflicts.ProblemKind.NO_SPEAKERS:
            return gettext("“%(title)s” (%(kind)s) has no speakers yet.", title=p["title"],
                           kind=label(p["session_kind"]).lower())
        case conflicts.ProblemKind.DST_CHANGE:
            return _dst_text(p)
    return str(problem.kind)


def _dst_text(p: dict) -> str:
    minutes = p["minutes"]
    on = day(p["day"], "EEEE d MMMM y")
    if minutes % 60:  # Lord Howe Island moves by half an hour
        amount = ngettext("%(num)d minute", "%(num)d minutes", minutes)
    else:
        amount = ngettext("%(num)d hour", "%(num)d hours", minutes // 60)
    words = dict(zone=p["zone"], amount=amount, day=on, before=p["before"], after=p["after"])
    if p["is_forward"]:
        return gettext("Clocks in %(zone)s go forward %(amount)s on %(day)s (UTC offset %(before)s → %(after)s). "
                       "Times entered for that day are read in the offset in force at that moment.", **words)
    return gettext("Clocks in %(zone)s go back %(amount)s on %(day)s (UTC offset %(before)s → %(after)s). "
                   "Times entered for that day are read in the offset in force at that moment.", **words)


# What each audited action did. The recorded summary is English history with the names of the day ("Moved
# “Opening”"); other languages read these words with the summary's quoted subject (a title, a name).
AUDIT_ACTIONS = {
    "agenda.published": _l("Agenda published"),
    "agenda.imported": _l("Sessions imported from a file"),
    "session.speakers_imported": _l("Speakers set by an import"),
    "co_host.added": _l("Co-host added"), "co_host.removed": _l("Co-host removed"),
    "co_host.reordered": _l("Co-hosts reordered"), "co_host.updated": _l("Co-host changed"),
    "delegation.created": _l("Delegation created"), "delegation.imported": _l("Delegation list imported"),
    "event.cloned": _l("Event cloned"), "event.created": _l("Event created"), "event.updated": _l("Event changed"),
    "floor.channel_room_set": _l("Channel room links set"), "floor.list_configured": _l("List of speakers set up"),
    "floor.move_undone": _l("Move on the list of speakers undone"),
    "floor.session_room_set": _l("Session room links set"), "floor.statement_filed": _l("Statement filed"),
    "floor.statement_withdrawn": _l("Statement withdrawn"), "floor.inscribed": _l("Delegation inscribed"),
    "floor.inscribed_from_floor": _l("Delegation inscribed from the floor"),
    "floor.inscription_changed": _l("Inscription changed"), "floor.inscription_withdrawn": _l("Inscription withdrawn"),
    "floor.inscription_moved": _l("Inscription moved"), "floor.called": _l("Floor given"),
    "floor.reopened": _l("Put back on the list of speakers"),
    "interpreter.granted": _l("Interpreter access given"), "interpreter.removed": _l("Interpreter access removed"),
    "live.started": _l("Session started"), "live.ended": _l("Session ended"), "live.next_speaker": _l("Next speaker"),
    "live.delay": _l("Delay announced"), "live.break": _l("Break inserted"), "live.moved": _l("Running order changed"),
    "live.skipped": _l("Session moved to the end of the day"), "live.cancelled": _l("Session cancelled live"),
    "live.rescheduled": _l("Agenda rescheduled to the expected times"), "live.undone": _l("Live change undone"),
    "organization.created": _l("Organization added"), "organization.logo": _l("Organization logo changed"),
    "participation.added": _l("Speaker added to a session"),
    "participation.order_overridden": _l("Speaking order set by hand"),
    "participation.protocol_order": _l("Protocol speaking order restored"),
    "participation.removed": _l("Speaker removed from a session"),
    "participation.updated": _l("Speaker's part changed"),
    "registration.approved": _l("Registration approved"), "registration.declined": _l("Registration declined"),
    "registration.waitlisted": _l("Registration waitlisted"), "registration.pending": _l("Registration pending"),
    "registration.cancelled": _l("Registration cancelled"),
    "registration.promoted": _l("Registration promoted from the waiting list"),
    "registration.settings": _l("Registration settings changed"),
    "session.cancelled": _l("Session cancelled"), "session.created": _l("Session created"),
    "session.moved": _l("Session moved"), "session.reinstated": _l("Session reinstated"),
    "session.updated": _l("Session changed"),
    "speaker.created": _l("Speaker added"), "speaker.deleted": _l("Speaker removed"),
    "speaker.updated": _l("Speaker changed"),
    "video.approved": _l("Video approved"), "video.link_made": _l("Submission link made"),
    "video.link_revoked": _l("Submission link withdrawn"), "video.played": _l("Video played"),
    "video.received": _l("Video received"), "video.rejected": _l("Video rejected"),
    "video.slot_created": _l("Video-message slot set up"), "video.slot_updated": _l("Video-message slot changed"),
    "webhook.added": _l("Webhook added"), "webhook.removed": _l("Webhook removed"),
    "webhook.secret_rotated": _l("Webhook secret replaced"),
}
_QUOTED = re.compile(r"“([^”]+)”")


def audit_summary(entry) -> str:
    """What an audit entry did, in the viewer's language. In English, the recorded summary itself; in another
    language, the action's words and the subject the summary names (a quoted title), since the summary is history
    recorded in English."""
    words = AUDIT_ACTIONS.get(entry.action)
    if words is None or str(_locale()).split("_")[0] == "en":
        return entry.summary
    subject = _QUOTED.search(entry.summary or "")
    return gettext("%(what)s: “%(subject)s”", what=words, subject=subject.group(1)) if subject else str(words)
