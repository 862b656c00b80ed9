"""Reading a frab `schedule.xml` or c3voc `schedule.json`: the whole file is checked before anything is written."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from confman import languages, plaintext
from confman.models import (
    Event,
    ParticipationRole,
    SessionKind,
)
from confman.services import ConfmanError
from confman.timeutil import zone_or_none

_KINDS = {"talk": SessionKind.STATEMENT, "lecture": SessionKind.STATEMENT, "keynote": SessionKind.STATEMENT,
          "statement": SessionKind.STATEMENT, "panel": SessionKind.PANEL, "discussion": SessionKind.PANEL,
          "podium": SessionKind.PANEL, "break": SessionKind.BREAK, "pause": SessionKind.BREAK,
          "opening": SessionKind.OPENING, "closing": SessionKind.CLOSING, "video": SessionKind.VIDEO_MESSAGE}
HONORIFICS = re.compile(r"^((?:(?:H\.E\.|H\.R\.H\.|Mr\.|Ms\.|Mrs\.|Dr\.|Prof\.|Amb\.|Gen\.|Lt\. ?Gen\.|Maj\. ?Gen\.|"
                         r"Brig\. ?Gen\.|Col\.|Rev\.|Sir|Dame)\s+)+)(.+)$")
EVENT_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,79}")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_MAX_ERRORS = 20


class MalformedSchedule(ConfmanError):
    """The file is not a schedule we can read; the message lists what is wrong, and where."""


@dataclass(frozen=True)
class ImportedPerson:
    name: str
    role: ParticipationRole


@dataclass(frozen=True)
class ImportedSession:
    title: str
    starts_at: datetime  # aware UTC
    duration: timedelta
    room: str
    track: str
    kind: SessionKind
    description: str
    persons: list[ImportedPerson]
    language: str = ""  # the talk's language (ISO 639-1), "" when absent or not a code we know
    key: str = ""  # guid, else "id:<id>": the session's key for a later import (the organizers' import page too)


@dataclass
class ImportedSchedule:
    format: str  # "frab schedule.xml" or "c3voc schedule.json"
    title: str
    acronym: str
    starts_on: date | None
    ends_on: date | None
    timezone: str | None
    tracks: dict[str, str]  # name -> colour ("" when none)
    rooms: list[str]
    sessions: list[ImportedSession] = field(default_factory=list)

    @property
    def persons(self) -> set[str]:
        return {p.name for s in self.sessions for p in s.persons}


@dataclass
class ImportReport:
    lines: list[str] = field(default_factory=list)
    event: Event | None = None
    version: int | None = None




class _Errors(list):
    def add(self, where: str, message: str) -> None:
        self.append(f"{where}: {message}" if where else message)
        if len(self) >= _MAX_ERRORS:
            raise MalformedSchedule(_summary(self))


def _summary(errors: list[str]) -> str:
    more = " (and possibly more)" if len(errors) >= _MAX_ERRORS else ""
    return f"{len(errors)} problem(s){more}:\n" + "\n".join(f"  - {e}" for e in errors)


def parse_schedule(data: bytes) -> ImportedSchedule:
    """Read a frab schedule.xml or a c3voc schedule.json. Raises MalformedSchedule listing every problem found."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        try:
            document = json.loads(text)
        except (ValueError, UnicodeDecodeError) as exc:
            raise MalformedSchedule(f"this is not valid JSON ({exc})") from exc
        schedule = _parse_json(document)
    elif text.startswith(b"<"):
        try:
            root = SafeET.fromstring(text)
        except (SafeET.ParseError, DefusedXmlException) as exc:
            raise MalformedSchedule(f"this is not well-formed XML ({exc})") from exc
        schedule = _parse_xml(root)
    else:
        raise MalformedSchedule("this is neither a schedule.xml nor a schedule.json file")
    if not schedule.sessions:
        raise MalformedSchedule("the schedule has no sessions")
    return schedule


def _parse_xml(root) -> ImportedSchedule:
    if root.tag != "schedule":
        raise MalformedSchedule(f"the root element is <{root.tag}>, not <schedule>")
    errors = _Errors()
    conf = root.find("conference")
    if conf is None:
        raise MalformedSchedule("there is no <conference> element")
    tz_name = (conf.findtext("time_zone_name") or "").strip() or None
    tz = _zone(tz_name, errors)
    schedule = ImportedSchedule(
        format="frab schedule.xml", title=(conf.findtext("title") or "").strip(),
        acronym=(conf.findtext("acronym") or "").strip(), starts_on=_date(conf.findtext("start"), "start", errors),
        ends_on=_date(conf.findtext("end"), "end", errors), timezone=tz_name,
        tracks={(t.get("name") or t.text or "").strip(): t.get("color", "") for t in conf.findall("track")},
        rooms=[],
    )
    for d_index, day in enumerate(root.findall("day"), start=1):
        day_date = _date(day.get("date"), f"day {d_index} date", errors)
        for room in day.findall("room"):
            room_name = (room.get("name") or "").strip()
            if not room_name:
                errors.add(f"day {d_index}", "a <room> has no name")
                continue
            if room_name not in schedule.rooms:
                schedule.rooms.append(room_name)
            for e_index, ev in enumerate(room.findall("event"), start=1):
                where = f"day {d_index}, room {room_name!r}, event {e_index}"
                persons = [ImportedPerson((p.text or "").strip(), ParticipationRole.SPEAKER)
                           for p in ev.findall("persons/person")]
                fields = {tag: (ev.findtext(tag) or "").strip() for tag in
                          ("title", "date", "start", "duration", "track", "type", "description", "abstract",
                           "language")}
                fields["key"] = _key(ev.get("guid"), ev.get("id"))
                item = _session(fields, persons, room_name, day_date, tz, where, errors)
                if item is not None:
                    schedule.sessions.append(item)
    if errors:
        raise MalformedSchedule(_summary(errors))
    return _check_conference(schedule)


def _parse_json(document: Any) -> ImportedSchedule:
    try:
        conf = document["schedule"]["conference"]
        days = conf["days"]
    except (KeyError, TypeError) as exc:
        raise MalformedSchedule("this JSON is not a c3voc schedule (schedule.conference.days is missing)") from exc
    errors = _Errors()
    tz_name = str(conf.get("time_zone_name") or "").strip() or None
    tz = _zone(tz_name, errors)
    tracks = {}
    for track in conf.get("tracks") or []:
        if isinstance(track, dict) and str(track.get("name") or "").strip():
            tracks[str(track["name"]).strip()] = str(track.get("color") or "")
    rooms = [str(r.get("name")).strip() for r in conf.get("rooms") or [] if isinstance(r, dict) and r.get("name")]
    schedule = ImportedSchedule(
        format="c3voc schedule.json", title=str(conf.get("title") or "").strip(),
        acronym=str(conf.get("acronym") or "").strip(), starts_on=_date(conf.get("start"), "start", errors),
        ends_on=_date(conf.get("end"), "end", errors), timezone=tz_name, tracks=tracks, rooms=rooms,
    )
    if not isinstance(days, list):
        raise MalformedSchedule("conference.days is not a list")
    for d_index, day in enumerate(days, start=1):
        if not isinstance(day, dict) or not isinstance(day.get("rooms"), dict):
            errors.add(f"day {d_index}", "has no rooms")
            continue
        day_date = _date(day.get("date"), f"day {d_index} date", errors)
        for room_name, events in day["rooms"].items():
            room_name = str(room_name).strip()
            if room_name and room_name not in schedule.rooms:
                schedule.rooms.append(room_name)
            for e_index, ev in enumerate(events if isinstance(events, list) else [], start=1):
                where = f"day {d_index}, room {room_name!r}, event {e_index}"
                if not isinstance(ev, dict):
                    errors.add(where, "is not an object")
                    continue
                persons = []
                for p in ev.get("persons") or []:
                    name = str((p or {}).get("name") or (p or {}).get("public_name") or "").strip()
                    role = str((p or {}).get("role") or "speaker")
                    known = role in ParticipationRole._value2member_map_
                    persons.append(ImportedPerson(name, ParticipationRole(role) if known
                                                  else ParticipationRole.SPEAKER))
                fields = {k: str(ev.get(k) or "").strip() for k in
                          ("title", "date", "start", "duration", "track", "type", "description", "abstract",
                           "language")}
                fields["key"] = _key(ev.get("guid"), ev.get("id"))
                item = _session(fields, persons, str(ev.get("room") or room_name).strip(), day_date, tz, where,
                                errors)
                if item is not None:
                    schedule.sessions.append(item)
    if errors:
        raise MalformedSchedule(_summary(errors))
    return _check_conference(schedule)


def _session(fields: dict[str, str], persons: list[ImportedPerson], room: str, day_date: date | None,
             tz: ZoneInfo | None, where: str, errors: _Errors) -> ImportedSession | None:
    ok = True
    title = fields["title"]
    if not title:
        errors.add(where, "has no title")
        ok = False
    elif len(title) > 200:
        errors.add(where, f"title is longer than 200 characters ({title[:40]}…)")
        ok = False
    where = f"{where} ({title[:40]!r})" if title else where
    starts_at = _instant(fields["date"], fields["start"], day_date, tz, where, errors)
    duration = _duration(fields["duration"], where, errors)
    if any(not p.name for p in persons):
        errors.add(where, "a person has no name")
        ok = False
    if any(len(p.name) > 200 for p in persons):
        errors.add(where, "a person's name is longer than 200 characters")
        ok = False
    if len(room) > 120 or len(fields["track"]) > 120:
        errors.add(where, "a room or track name is longer than 120 characters")
        ok = False
    single_line = [title, room, fields["track"], *(p.name for p in persons)]
    if not all(plaintext.is_clean(text) for text in single_line) or not all(
            plaintext.is_clean(fields[key], multiline=True) for key in ("description", "abstract")):
        errors.add(where, "holds control characters (or line breaks in a title or name)")
        ok = False
    if not ok or starts_at is None or duration is None:
        return None
    kind_name = fields["type"].lower()
    kind = SessionKind(kind_name) if kind_name in SessionKind._value2member_map_ else _KINDS.get(
        kind_name, SessionKind.PLENARY)
    return ImportedSession(title=title, starts_at=starts_at, duration=duration, room=room, track=fields["track"],
                           kind=kind, description=fields["description"] or fields["abstract"], persons=persons,
                           language=language if languages.is_known(language := fields["language"].lower()) else "",
                           key=fields["key"][:200])


def _key(guid: Any, ident: Any) -> str:
    """The key services.session_import gives a schedule's session, so both doors match it again later."""
    guid, ident = str(guid or "").strip(), str(ident or "").strip()
    return guid or (f"id:{ident}" if ident else "")


def _instant(value: str, start: str, day_date: date | None, tz: ZoneInfo | None, where: str,
             errors: _Errors) -> datetime | None:
    if value:
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            errors.add(where, f"date {value!r} is not an ISO 8601 date and time")
            return None
    elif start and day_date is not None:
        try:
            instant = datetime.combine(day_date, datetime.strptime(start, "%H:%M").time())
        except ValueError:
            errors.add(where, f"start {start!r} is not HH:MM")
            return None
    else:
        errors.add(where, "has no date")
        return None
    if instant.tzinfo is None:
        if tz is None:
            errors.add(where, f"date {value or start!r} has no UTC offset and the schedule names no time zone")
            return None
        instant = instant.replace(tzinfo=tz)
    return instant.astimezone(UTC)


def _duration(value: str, where: str, errors: _Errors) -> timedelta | None:
    match = re.fullmatch(r"(\d{1,3}):([0-5]\d)(?::([0-5]\d))?", value)
    if match is None:
        errors.add(where, f"duration {value!r} is not HH:MM")
        return None
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    duration = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if duration <= timedelta(0):
        errors.add(where, "duration is zero")
        return None
    return duration


def _date(value: Any, where: str, errors: _Errors) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        errors.add(where, f"{value!r} is not a date")
        return None


def _zone(name: str | None, errors: _Errors) -> ZoneInfo | None:
    if name is None:
        return None
    tz = zone_or_none(name)
    if tz is None:
        errors.add("time_zone_name", f"{name!r} is not an IANA time zone")
    return tz


def _check_conference(schedule: ImportedSchedule) -> ImportedSchedule:
    if not schedule.title:
        raise MalformedSchedule("the conference has no title")
    if not (plaintext.is_clean(schedule.title) and plaintext.is_clean(schedule.acronym)):
        raise MalformedSchedule("the conference title holds line breaks or control characters")
    return schedule
