"""iCalendar (RFC 5545) feeds of the published agenda: the whole agenda, a theme, a speaker, a session, a delegate's.

What calendar apps need to get it right: every time carries the `TZID` of the event's zone and the calendar has a
matching `VTIMEZONE` with the real daylight-saving transitions of the event's years; a session's `UID` never
changes; `DTSTAMP` and `LAST-MODIFIED` are the session's last change (never the request time, so an unchanged feed
is byte-identical); `SEQUENCE` rises with each change a calendar must see; a cancelled session stays in the feed
with `STATUS:CANCELLED` so subscribed calendars remove it. The `icalendar` library escapes text and folds lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from confman.models import Event, SessionKind
from confman.services.publication import PublicSession, PublicSpeaker

MEDIA_TYPE = "text/calendar; charset=utf-8"
# How often subscribed calendars should fetch again: live changes on the day must reach delegates soon.
REFRESH = timedelta(hours=1)


def agenda_ical(request) -> bytes:
    """The whole published agenda (or one theme's, or one day's) as a calendar to subscribe to."""
    event = request.event
    name = event.title if request.theme is None else f"{event.title}: {request.theme.name}"
    return calendar(event, request.sessions, name=name, session_url=request.session_url)


def speaker_ical(event: Event, speaker: PublicSpeaker, *, session_url: Callable[[int], str]) -> bytes:
    sessions = sorted(speaker.sessions, key=lambda s: (s.starts_at, s.id))
    return calendar(event, sessions, name=f"{speaker.full_name} at {event.title}", session_url=session_url)


def session_ical(event: Event, item: PublicSession, *, session_url: Callable[[int], str]) -> bytes:
    return calendar(event, [item], name=f"{item.title} ({event.title})", session_url=session_url)


def personal_ical(event: Event, sessions: Sequence[PublicSession], *, session_url: Callable[[int], str],
                  joining_link: str | None) -> bytes:
    """A delegate's own sessions. `joining_link` only for an approved registration: it is never public."""
    return calendar(event, sessions, name=f"My sessions: {event.title}", session_url=session_url,
                    joining_link=joining_link)


def calendar(event: Event, sessions: Sequence[PublicSession], *, name: str, session_url: Callable[[int], str],
             joining_link: str | None = None) -> bytes:
    """A VCALENDAR with one VEVENT per session, times in the event's zone. Deterministic: same input, same bytes."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//confman//{event.slug}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", icalendar.vText(name))  # RFC 7986 (TEXT: escaped, which icalendar only does when told)
    # What Apple, Google and Outlook show. Written as is: parsers (ical.js, icalendar) read X- values raw.
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", event.timezone)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})  # RFC 7986
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH))  # the same hint for Outlook and Apple
    for item in sessions:
        cal.add_component(_vevent(event, item, session_url(item.id), joining_link))
    first, last = _zone_window(event, sessions)
    cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()


def session_uid(event: Event, session_id: int) -> str:
    return f"session-{session_id}@{event.slug}.confman"


def _vevent(event: Event, item: PublicSession, url: str, joining_link: str | None) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", session_uid(event, item.id))
    vevent.add("dtstamp", item.updated_at)
    vevent.add("last-modified", item.updated_at)
    vevent.add("sequence", item.sequence)
    vevent.add("summary", item.title)
    vevent.add("dtstart", wall_clock(item.starts_at, event.tz))
    vevent.add("dtend", wall_clock(item.ends_at, event.tz))
    vevent.add("status", "CANCELLED" if item.is_cancelled else "CONFIRMED")
    vevent.add("url", url)
    location = item.channel.name if item.channel else (event.venue or "Online")
    if joining_link:
        location = f"{location}: {joining_link}"
    vevent.add("location", location)
    categories = [item.theme.name] if item.theme else []
    categories += [tag.name for tag in item.tags]
    if categories:
        vevent.add("categories", categories)
    vevent.add("description", describe(item, url=url, joining_link=joining_link))
    vevent.add("transp", "OPAQUE")
    return vevent


def wall_clock(instant: datetime, tz: ZoneInfo) -> datetime:
    """`instant` in `tz`, or in UTC when that wall-clock time happens twice (the hour repeated when daylight saving
    ends). RFC 5545 says an ambiguous local time means its first occurrence, but calendar apps disagree (ical.js,
    Thunderbird's parser, takes the second), so an exact instant is the only form every app reads the same way."""
    local = instant.astimezone(tz)
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        return instant.astimezone(UTC)
    return local


def describe(item: PublicSession, *, url: str, joining_link: str | None = None) -> str:
    """The plain text a calendar shows under the title: status, kind, theme, speakers with roles, the page."""
    lines = []
    if item.is_cancelled:
        lines += ["This session is cancelled.", ""]
    lines.append(item.kind.label + (f" · Theme: {item.theme.name}" if item.theme else ""))
    if item.kind == SessionKind.VIDEO_MESSAGE and item.video_message and item.video_message.speaker:
        lines.append(f"Pre-recorded video message from {speaker_line(item.video_message.speaker)}")
    if item.participations:
        lines.append("")
        lines += [f"{p.role.value.capitalize()}: {speaker_line(p.speaker)}" for p in item.participations]
    if item.description.strip():
        lines += ["", item.description.strip()]
    if joining_link:
        lines += ["", f"Join: {joining_link}"]
    lines += ["", url]
    return "\n".join(lines)


def speaker_line(speaker: PublicSpeaker) -> str:
    parts = [speaker.full_name, speaker.title]
    if speaker.organization:
        parts.append(speaker.organization.name)
    return ", ".join(p for p in parts if p)


def _zone_window(event: Event, sessions: Sequence[PublicSession]) -> tuple[date, date]:
    """Whole years around the event, so the VTIMEZONE carries every transition a calendar may meet."""
    years = [event.starts_on.year, event.ends_on.year]
    years += [s.starts_at.astimezone(event.tz).year for s in sessions]
    years += [s.ends_at.astimezone(event.tz).year for s in sessions]
    return date(min(years), 1, 1), date(max(years) + 1, 1, 1)
