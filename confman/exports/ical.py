"""iCalendar (RFC 5545) feeds of the published agenda: the whole agenda, a theme, a speaker, a session, a delegate's.

What calendar apps need to get it right: every time carries the `TZID` of the event's zone and the calendar has a
matching `VTIMEZONE` with the real daylight-saving transitions of the event's years; a session's `UID` never
changes; `DTSTAMP` and `LAST-MODIFIED` are the session's last change (never the request time, so an unchanged feed
is byte-identical); `SEQUENCE` rises with each change a calendar must see; a cancelled session stays in the feed
with `STATUS:CANCELLED` so subscribed calendars remove it.

The `icalendar` library makes the VTIMEZONE (from the tz database, cached per zone and years). The VEVENT lines are
written here, escaped and folded as RFC 5545 says: building them through `icalendar` took ~300 ms for a 324-session
agenda, this takes ~20. The tests read every feed back with `icalendar` and with Thunderbird's ical.js.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar

from confman import languages
from confman.exports.programme_text import Wording, interpretation_line
from confman.models import Event, SessionKind
from confman.services.publication import PublicSession, PublicSpeaker

MEDIA_TYPE = "text/calendar; charset=utf-8"
# How often subscribed calendars should fetch again: live changes on the day must reach delegates soon.
REFRESH = timedelta(hours=1)


def agenda_ical(request) -> bytes:
    """The whole published agenda (or one theme's, or one day's) as a calendar to subscribe to."""
    event = request.event
    name = event.title if request.theme is None else f"{event.title}: {request.theme.name}"
    return calendar(event, request.sessions, name=name, session_url=request.session_url, words=request.wording)


def speaker_ical(event: Event, speaker: PublicSpeaker, *, session_url: Callable[[int], str],
                 words: Wording | None = None) -> bytes:
    words = words or Wording()
    sessions = sorted(speaker.sessions, key=lambda s: (s.starts_at, s.id))
    return calendar(event, sessions, name=words.gettext("%(speaker)s at %(event)s", speaker=speaker.full_name,
                                                        event=event.title), session_url=session_url, words=words)


def session_ical(event: Event, item: PublicSession, *, session_url: Callable[[int], str],
                 words: Wording | None = None) -> bytes:
    return calendar(event, [item], name=f"{item.title} ({event.title})", session_url=session_url, words=words)


def personal_ical(event: Event, sessions: Sequence[PublicSession], *, session_url: Callable[[int], str],
                  join_link: Callable[[int], str | None] | None, words: Wording | None = None) -> bytes:
    """A delegate's own sessions. `join_link` (session id -> its meeting link) only for those allowed to join:
    it is never public. The link goes in RFC 7986 CONFERENCE, and in LOCATION and DESCRIPTION for the calendar
    apps that ignore CONFERENCE."""
    words = words or Wording()
    return calendar(event, sessions, name=words.gettext("My sessions: %(event)s", event=event.title),
                    session_url=session_url, join_link=join_link, words=words)


def calendar(event: Event, sessions: Sequence[PublicSession], *, name: str, session_url: Callable[[int], str],
             join_link: Callable[[int], str | None] | None = None, words: Wording | None = None) -> bytes:
    """A VCALENDAR with one VEVENT per session, times in the event's zone. Deterministic: same input, same bytes.

    `words` is the reader's interface language (English by default): the descriptions' own words ("Cancelled",
    "Video message", "Join", language names) are in it, and carry its LANGUAGE parameter when it is not English.
    """
    words = words or Wording()
    tz = event.tz
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//confman//{event.slug}//EN", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME{_interface_language(words)}:{escape_text(name)}",  # RFC 7986, a TEXT value
        # What Apple, Google and Outlook show. Written as is: parsers (ical.js, icalendar) read X- values raw.
        f"X-WR-CALNAME:{_one_line(name)}",
        f"X-WR-TIMEZONE:{event.timezone}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{_duration(REFRESH)}",  # RFC 7986
        f"X-PUBLISHED-TTL:{_duration(REFRESH)}",  # the same hint for Outlook and Apple
    ]
    body = []
    uses_zone = False
    for item in sessions:
        event_lines, local = _vevent(event, tz, item, session_url(item.id), join_link(item.id) if join_link else None,
                                     words)
        body += event_lines
        uses_zone = uses_zone or local
    out = bytearray()
    for line in lines:
        out += fold(line)
    if uses_zone and event.timezone != "UTC":
        first, last = _zone_window(event, sessions)
        out += _vtimezone(event.timezone, first, last)
    for line in body:
        out += fold(line)
    out += b"END:VCALENDAR\r\n"
    return bytes(out)


def session_uid(event: Event, session_id: int) -> str:
    return f"session-{session_id}@{event.slug}.confman"


def _vevent(event: Event, tz: ZoneInfo, item: PublicSession, url: str, joining_link: str | None,
            words: Wording) -> tuple[list[str], bool]:
    """The lines of one VEVENT, and whether it names the event's TZID."""
    _ = words.gettext
    start, start_local = _date_time("DTSTART", item.starts_at, tz, event.timezone)
    end, end_local = _date_time("DTEND", item.ends_at, tz, event.timezone)
    location = item.channel.name if item.channel else (event.venue or _("Online"))
    if joining_link:
        location = f"{location}: {joining_link}"
    categories = ([item.theme.name] if item.theme else []) + [tag.name for tag in item.tags]
    lines = [
        "BEGIN:VEVENT",
        f"UID:{session_uid(event, item.id)}",
        f"DTSTAMP:{_utc(item.updated_at)}",
        f"LAST-MODIFIED:{_utc(item.updated_at)}",
        f"SEQUENCE:{item.sequence}",
        f"SUMMARY{_language(item.title)}:{escape_text(item.title)}",
        start,
        end,
        f"STATUS:{'CANCELLED' if item.is_cancelled else 'CONFIRMED'}",
        f"URL:{_one_line(url)}",
        f"LOCATION:{escape_text(location)}",
    ]
    if categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in categories))
    if joining_link:
        label = _param(_("Join the meeting"))
        lines.append(f"CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL={label}{_interface_language(words)}:"
                     f"{_one_line(joining_link)}")
    text = describe(item, url=url, joining_link=joining_link, words=words)
    lines += [f"DESCRIPTION{_interface_language(words)}:{escape_text(text)}", "TRANSP:OPAQUE", "END:VEVENT"]
    return lines, start_local or end_local


def _date_time(name: str, instant: datetime, tz: ZoneInfo, tzid: str) -> tuple[str, bool]:
    value = wall_clock(instant, tz)
    if value.utcoffset() == timedelta(0) and (value.tzinfo is UTC or tzid == "UTC"):
        return f"{name}:{_utc(instant)}", False
    return f"{name};TZID={tzid}:{value:%Y%m%dT%H%M%S}", True


def _utc(instant: datetime) -> str:
    return f"{instant.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _duration(length: timedelta) -> str:
    seconds = int(length.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + (
        f"{seconds}S" if seconds or not (hours or minutes) else "")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks as \\n."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))


def _one_line(value: str) -> str:
    return " ".join(value.splitlines())


def fold(line: str) -> bytes:
    """One content line, folded at 75 octets (RFC 5545 3.1) without splitting a UTF-8 character, with CRLF."""
    data = line.encode()
    if len(data) <= 75:
        return data + b"\r\n"
    parts = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # a continuation byte: step back to the character
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74  # a continuation line starts with a space
    return b"\r\n ".join(parts) + b"\r\n"


@lru_cache(maxsize=64)
def _vtimezone(timezone: str, first: date, last: date) -> bytes:
    """The zone's VTIMEZONE with every transition between `first` and `last`, from the tz database."""
    return icalendar.Timezone.from_tzinfo(ZoneInfo(timezone), tzid=timezone, first_date=first,
                                          last_date=last).to_ical()


def wall_clock(instant: datetime, tz: ZoneInfo) -> datetime:
    """`instant` in `tz`, or in UTC when that wall-clock time happens twice (the hour repeated when daylight saving
    ends). RFC 5545 says an ambiguous local time means its first occurrence, but calendar apps disagree (ical.js,
    Thunderbird's parser, takes the second), so an exact instant is the only form every app reads the same way."""
    local = instant.astimezone(tz)
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        return instant.astimezone(UTC)
    return local


def _language(text: str) -> str:
    """;LANGUAGE=<code> for a text of an agenda read in another language than the event's default (RFC 5545
    3.2.10): the calendar then knows a French title from an English fallback. Nothing in the default language."""
    lang = getattr(text, "lang", None)
    return f";LANGUAGE={lang}" if lang else ""


def _interface_language(words: Wording) -> str:
    """;LANGUAGE=<code> on the texts worded in the reader's interface language, when that is not English."""
    return "" if words.reader == "en" else f";LANGUAGE={words.lang}"


def _param(value: str) -> str:
    """A parameter value (RFC 5545 3.2): quoted when it holds a colon, semicolon or comma; no quotes inside."""
    value = _one_line(value).replace('"', "'")
    return f'"{value}"' if any(c in value for c in ":;,") else value


def describe(item: PublicSession, *, url: str, joining_link: str | None = None,
             words: Wording | None = None) -> str:
    """The plain text a calendar shows under the title: status, kind, theme, speakers with roles, the page; in the
    reader's interface language (`words`, English by default)."""
    words = words or Wording()
    _ = words.gettext
    reader = words.reader
    lines = []
    if item.is_cancelled:
        lines += [_("This session is cancelled."), ""]
    kind = _(item.kind.label)
    lines.append(kind + (" · " + _("Theme: %(theme)s", theme=item.theme.name) if item.theme else ""))
    if item.kind == SessionKind.VIDEO_MESSAGE and item.video_message and item.video_message.speaker:
        lines.append(_("Pre-recorded video message from %(speaker)s", speaker=speaker_line(item.video_message.speaker)))
    if item.participations:
        lines.append("")
        lines += [_("%(role)s: %(speaker)s", role=_(p.role.value.capitalize()), speaker=speaker_line(p.speaker))
                  for p in item.participations]
    if item.description.strip():
        lines += ["", item.description.strip()]
    if item.interpretation_languages:
        lines += ["", interpretation_line(item, _, reader)]
        lines += [f"{languages.name(code, reader)}: {where}" for code, where in item.interpretation_channels.items()]
    if joining_link:
        lines += ["", _("Join: %(url)s", url=joining_link)]
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
