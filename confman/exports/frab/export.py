"""The published agenda as a frab/c3voc schedule (`schedule.json` and `schedule.xml`), read by conference apps.

Both follow the c3voc schemas (schema.json and schedule.xml.xsd). Days are the event's local days; rooms are
channels; tracks are themes; persons are speakers in speaking order. A cancelled session is left out, as frab and
pretalx do: apps such as EventFahrplan mark a session that disappears from the schedule as cancelled.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from importlib import metadata
from typing import Any

from confman import languages
from confman.exports.programme_text import Wording
from confman.models import Event, SessionKind
from confman.services.publication import PublicSession
from confman.timeutil import local_day_bounds

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
# Fixed, so every confman installation gives a session the same guid: uuid5(NAMESPACE, "<event slug>/<kind>/<id>").
NAMESPACE = uuid.UUID("6f1e9d52-3c1a-5b8e-9a57-0c0f6d3e2b41")


def N_(message: str) -> str:  # noqa: N802 - Babel's marker for a msgid translated later (a default keyword)
    return message


DEFAULT_ROOM = N_("Main room")  # for sessions without a channel: frab needs a room for every session
_TRACK_SLUG = re.compile(r"[a-z][a-z0-9-]+")
_ROOM_SLUG = re.compile(r"[a-z0-9_-]+[a-z0-9]")
_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")  # what schema.json accepts as time_zone_name
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class ScheduleDay:
    index: int
    day: date
    starts_at: datetime  # local midnight, in the event's zone
    ends_at: datetime
    rooms: dict[str, list[PublicSession]]


def schedule_json(request) -> bytes:
    """The c3voc `schedule.json` of the published agenda."""
    event = request.event
    words = request.wording or Wording()
    days = schedule_days(request)
    conference: dict[str, Any] = {
        "acronym": acronym(event), "title": event.title,
        "start": event.starts_on.isoformat(), "end": event.ends_on.isoformat(), "daysCount": len(days),
        "timeslot_duration": "00:05", "url": request.event_url,
    }
    if _ZONE_NAME.search(event.timezone):
        conference["time_zone_name"] = event.timezone
    conference["tracks"] = [_track_json(t) for t in request.agenda.themes]
    conference["rooms"] = [_room_json(event, name, channel) for name, channel in _rooms(request)]
    conference["days"] = [
        {"index": d.index, "date": d.day.isoformat(), "day_start": d.starts_at.isoformat(),
         "day_end": d.ends_at.isoformat(),
         "rooms": {room: [_event_json(event, item, room, request.session_url(item.id),
                                      request.public_links.get(item.id), words) for item in items]
                   for room, items in d.rooms.items()}}
        for d in days
    ]
    document = {
        "$schema": SCHEMA_URL,
        "generator": {"name": "confman", "version": _version()},
        "schedule": {"version": str(request.agenda.version), "base_url": request.event_url,
                     "conference": conference},
    }
    # Compact: with an indent, json falls back from its C encoder to Python (five times slower on a large agenda).
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def schedule_xml(request) -> bytes:
    """The frab `schedule.xml` of the published agenda.

    Written as text rather than through ElementTree, which took four times as long on a large agenda.
    """
    event = request.event
    words = request.wording or Wording()
    days = schedule_days(request)
    out = ["<?xml version='1.0' encoding='utf-8'?>", "<schedule>",
           f' <generator name="confman" version="{_version()}" />',
           _el(1, "url", request.self_url or request.event_url), _el(1, "version", str(request.agenda.version)),
           " <conference>"]
    for tag, value in (("acronym", acronym(event)), ("title", event.title), ("start", event.starts_on.isoformat()),
                       ("end", event.ends_on.isoformat()), ("days", str(len(days))), ("timeslot_duration", "00:05"),
                       ("base_url", request.event_url), ("url", request.event_url),
                       ("time_zone_name", event.timezone)):
        out.append(_el(2, tag, value))
    for theme in request.agenda.themes:
        attrs = {"name": theme.name}
        if _COLOUR.fullmatch(theme.colour or ""):
            attrs["color"] = theme.colour
        if _TRACK_SLUG.fullmatch(theme.slug):
            attrs["slug"] = theme.slug
        out.append(_el(2, "track", theme.name, **attrs))
    out.append(" </conference>")
    room_guids = {name: _guid(event, "channel", channel.id if channel else 0) for name, channel in _rooms(request)}
    for d in days:
        out.append(f' <day index="{d.index}" date="{d.day.isoformat()}" start="{d.starts_at.isoformat()}" '
                   f'end="{d.ends_at.isoformat()}">')
        for room, items in d.rooms.items():
            out.append(f'  <room name="{_attr(room)}" guid="{room_guids[room]}">')
            for item in items:
                out += _event_xml(event, item, room, request.session_url(item.id),
                                  request.public_links.get(item.id), words)
            out.append("  </room>")
        out.append(" </day>")
    out.append("</schedule>\n")
    return "\n".join(out).encode()


def schedule_days(request) -> list[ScheduleDay]:
    """The event's days (and any other day a session falls on) with their sessions by room, in the event's zone."""
    event = request.event
    tz = event.tz
    items = [s for s in request.sessions if not s.is_cancelled]
    room_names = [name for name, _ in _rooms(request)]
    by_day: dict[date, list[PublicSession]] = {d: [] for d in event.days} if request.day is None else {}
    for item in items:
        by_day.setdefault(item.starts_at.astimezone(tz).date(), []).append(item)
    default_room = _default_room(request)
    days = []
    for index, day in enumerate(sorted(by_day), start=1):
        rooms: dict[str, list[PublicSession]] = {name: [] for name in room_names}
        for item in by_day[day]:
            rooms.setdefault(item.channel.name if item.channel else default_room, []).append(item)
        start, end = local_day_bounds(day, tz)
        days.append(ScheduleDay(index, day, start.astimezone(tz), end.astimezone(tz), rooms))
    return days


def room_name(item: PublicSession, words: Wording | None = None) -> str:
    return item.channel.name if item.channel else (words or Wording()).gettext(DEFAULT_ROOM)


def _default_room(request) -> str:
    """The room of the sessions without a channel, in the reader's language (its guid is the same in every one)."""
    return (request.wording or Wording()).gettext(DEFAULT_ROOM)


def acronym(event: Event) -> str:
    """The event's slug in the shape both schemas accept: lower-case letters, digits and underscores."""
    return re.sub(r"[^a-z0-9_]", "_", event.slug.lower()).ljust(4, "_")


def session_slug(event: Event, item: PublicSession) -> str:
    # From the default language's title, so a session's slug is the same in every language's schedule.
    title = getattr(item.title, "default", item.title)
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50].strip("-")
    return f"{acronym(event)}-{item.id}-{words or 'session'}"


def _rooms(request):
    """(name, channel) of every room, channels in their order, then the default room when a session needs it."""
    rooms = [(c.name, c) for c in sorted(request.agenda.channels, key=lambda c: (c.position, c.id))]
    if any(s.channel is None for s in request.sessions if not s.is_cancelled):
        rooms.append((_default_room(request), None))
    return rooms


def _guid(event: Event, kind: str, ident: int) -> str:
    return _uuid(f"{event.slug}/{kind}/{ident}")


@lru_cache(maxsize=4096)
def _uuid(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, name))


def _track_json(theme) -> dict[str, str]:
    track = {"name": theme.name}
    if _ROOM_SLUG.fullmatch(theme.slug):
        track["slug"] = theme.slug
    if _COLOUR.fullmatch(theme.colour or ""):
        track["color"] = theme.colour
    return track


def _room_json(event: Event, name: str, channel) -> dict[str, Any]:
    room = {"name": name, "guid": _guid(event, "channel", channel.id if channel else 0), "type": "online"}
    if channel is not None and _ROOM_SLUG.fullmatch(channel.slug):
        room["slug"] = channel.slug
    return room


def _hhmm(duration: timedelta) -> str:
    minutes = int(duration.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _links(links, item: PublicSession | None = None, words: Wording | None = None) -> list[tuple[str, str]]:
    """(title, url) of a session's public room links: the livestream, the recording once there is one, and the
    interpretation channels that are web addresses (the format has no field for interpretation itself); titles
    in the reader's language."""
    words = words or Wording()
    _ = words.gettext
    found = [] if links is None else [(title, url) for title, url in (
        (_("Livestream"), links.livestream_url), (_("Recording"), links.recording_url)) if url]
    if item is not None:
        found += [(_("Interpretation: %(languages)s", languages=languages.name(code, words.reader)), where)
                  for code, where in item.interpretation_channels.items() if where.startswith(("https://", "http://"))]
    return found


def _subtitle(item: PublicSession, words: Wording) -> str:
    """What the format's `subtitle` says: for a video message, that it is one and from whom (`type` stays the
    kind's code, which apps match on)."""
    if item.kind != SessionKind.VIDEO_MESSAGE:
        return ""
    who = item.video_message.speaker if item.video_message else None
    if who is None:
        return words.gettext("Video message")
    return words.gettext("Pre-recorded video message from %(speaker)s", speaker=who.full_name)


def floor_language(event: Event, item: PublicSession) -> str:
    """frab's `language` of a talk: what is spoken on the floor."""
    return item.floor_language or event.default_language


def _event_json(event: Event, item: PublicSession, room: str, url: str, links=None,
                words: Wording | None = None) -> dict[str, Any]:
    words = words or Wording()
    local = item.starts_at.astimezone(event.tz)
    return {
        "id": item.id, "guid": _guid(event, "session", item.id),
        "date": local.isoformat(), "start": local.strftime("%H:%M"),
        "end": item.ends_at.astimezone(event.tz).isoformat(), "duration": _hhmm(item.duration),
        "room": room, "slug": session_slug(event, item), "url": url, "title": item.title,
        "subtitle": _subtitle(item, words),
        "track": item.theme.name if item.theme else None, "type": item.kind.value,
        "language": floor_language(event, item),
        "abstract": "", "description": item.description,
        # Pretalx-style persons (name, not public_name), with each speaker's role in this session.
        "persons": [{"id": p.speaker.id, "guid": _guid(event, "speaker", p.speaker.id), "name": p.speaker.full_name,
                     "role": p.role.value} for p in item.participations],
        "links": [{"type": "media", "url": href, "title": title} for title, href in _links(links, item, words)],
    }


def _event_xml(event: Event, item: PublicSession, room: str, url: str, links=None,
               words: Wording | None = None) -> list[str]:
    words = words or Wording()
    local = item.starts_at.astimezone(event.tz)
    lines = [f'   <event id="{item.id}" guid="{_guid(event, "session", item.id)}">']
    for tag, value in (("room", room), ("title", item.title), ("subtitle", _subtitle(item, words)),
                       ("type", item.kind.value),
                       ("date", local.isoformat()), ("start", local.strftime("%H:%M")),
                       ("duration", _hhmm(item.duration)), ("abstract", ""), ("slug", session_slug(event, item)),
                       ("track", item.theme.name if item.theme else ""), ("language", floor_language(event, item)),
                       ("description", item.description), ("url", url)):
        lines.append(_el(4, tag, value))
    lines.append("    <persons>")
    for p in item.participations:
        lines.append(_el(5, "person", p.speaker.full_name, id=str(p.speaker.id),
                         guid=_guid(event, "speaker", p.speaker.id)))
    lines.append("    </persons>")
    if links := _links(links, item, words):
        lines += ["    <links>", *(_el(5, "link", title, href=href) for title, href in links), "    </links>"]
    else:
        lines.append("    <links />")
    lines.append("   </event>")
    return lines


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot carry


def _text(value: str) -> str:
    return _NOT_XML.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def _el(depth: int, tag: str, text: str, **attrs: str) -> str:
    attributes = "".join(f' {k}="{_attr(v)}"' for k, v in attrs.items())
    if not text:
        return f"{' ' * depth}<{tag}{attributes} />"
    return f"{' ' * depth}<{tag}{attributes}>{_text(text)}</{tag}>"


@cache
def _version() -> str:
    try:
        return metadata.version("confman")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source checkout without installing
        return "0"
