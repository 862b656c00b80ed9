"""Reading sessions from a frab `schedule.xml` or a c3voc `schedule.json` (confman's own export, pretalx, frab).

Naive times are read in the file's `time_zone_name`, else in the event's zone; a session's key is its `guid`,
else its `id`.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from confman import languages, plaintext
from confman.models import ParticipationRole, SessionKind
from confman.services.session_import.rows import (
    N_,
    Message,
    ProposedPerson,
    ProposedRow,
    ReadResult,
    check_text,
    hhmm_duration,
    kind_of,
    read_file,
)
from confman.timeutil import zone_or_none

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_FIELDS = ("title", "date", "start", "duration", "track", "type", "description", "abstract", "language")


def read_xml(data: bytes, tz: ZoneInfo) -> ReadResult:
    return read_file("frab schedule.xml", _read_xml, data, tz)


def _read_xml(data: bytes, tz: ZoneInfo, result: ReadResult) -> None:
    try:
        root = SafeET.fromstring(data)
    except (SafeET.ParseError, DefusedXmlException):
        result.error(None, N_("This is not well-formed XML."))
        return
    conf = root.find("conference")
    if root.tag != "schedule" or conf is None:
        result.error(None, N_("This XML is not a frab schedule (it needs <schedule> and <conference>)."))
        return
    tz = _file_zone(conf.findtext("time_zone_name"), tz, result)
    for track in conf.findall("track"):
        name = (track.get("name") or track.text or "").strip()
        if name and COLOUR.fullmatch(track.get("color") or ""):
            result.colours[name] = track.get("color").lower()
    for d_index, day in enumerate(root.findall("day"), start=1):
        day_date = _date(day.get("date"))
        for room in day.findall("room"):
            room_name = (room.get("name") or "").strip()
            for e_index, ev in enumerate(room.findall("event"), start=1):
                fields = {tag: (ev.findtext(tag) or "").strip() for tag in _FIELDS}
                persons = [ProposedPerson(" ".join((p.text or "").split())) for p in ev.findall("persons/person")]
                key = (ev.get("guid") or "").strip() or (f"id:{ev.get('id').strip()}" if ev.get("id") else None)
                _add(result, _where(d_index, room_name, e_index), key, fields, persons,
                     (ev.findtext("room") or room_name).strip(), day_date, tz)
    if not result.rows and not result.errors:
        result.error(None, N_("The schedule has no sessions."))



def read_json(data: bytes, tz: ZoneInfo) -> ReadResult:
    return read_file("c3voc schedule.json", _read_json, data, tz)


def _read_json(data: bytes, tz: ZoneInfo, result: ReadResult) -> None:
    try:
        document = json.loads(data)
        conf = document["schedule"]["conference"]
        days = conf["days"]
    except (ValueError, UnicodeDecodeError):
        result.error(None, N_("This is not valid JSON."))
        return
    except (KeyError, TypeError):
        result.error(None, N_("This JSON is not a c3voc schedule (schedule.conference.days is missing)."))
        return
    if not isinstance(conf, dict) or not isinstance(days, list):
        result.error(None, N_("This JSON is not a c3voc schedule (schedule.conference.days is missing)."))
        return
    tz = _file_zone(conf.get("time_zone_name"), tz, result)
    for track in conf.get("tracks") or []:
        if isinstance(track, dict) and COLOUR.fullmatch(str(track.get("color") or "")):
            result.colours[str(track.get("name") or "").strip()] = str(track["color"]).lower()
    for d_index, day in enumerate(days, start=1):
        if not isinstance(day, dict) or not isinstance(day.get("rooms"), dict):
            result.error(Message(N_("day %(day)s"), {"day": d_index}), N_("It has no rooms."))
            continue
        day_date = _date(day.get("date"))
        for room_name, events in day["rooms"].items():
            room_name = str(room_name).strip()
            for e_index, ev in enumerate(events if isinstance(events, list) else [], start=1):
                where = _where(d_index, room_name, e_index)
                if not isinstance(ev, dict):
                    result.error(where, N_("It is not a JSON object."))
                    continue
                fields = {k: _str(ev.get(k)) for k in _FIELDS}
                persons = []
                for p in ev.get("persons") or []:
                    p = p if isinstance(p, dict) else {}
                    role = _str(p.get("role")).lower()
                    persons.append(ProposedPerson(
                        " ".join(_str(p.get("name") or p.get("public_name")).split()),
                        ParticipationRole(role) if role in ParticipationRole._value2member_map_
                        else ParticipationRole.SPEAKER))
                key = _str(ev.get("guid")) or (f"id:{_str(ev.get('id'))}" if _str(ev.get("id")) else None)
                _add(result, where, key, fields, persons, _str(ev.get("room")) or room_name, day_date, tz)
    if not result.rows and not result.errors:
        result.error(None, N_("The schedule has no sessions."))



def _str(value: Any) -> str:
    return "" if value is None or isinstance(value, dict | list) else str(value).strip()


def _where(day: int, room: str, item: int) -> Message:
    return Message(N_("day %(day)s, room “%(room)s”, item %(item)s"), {"day": day, "room": room, "item": item})


def _add(result: ReadResult, where: Message, key: str | None, fields: dict[str, str], persons: list[ProposedPerson],
         room: str, day_date: date | None, tz: ZoneInfo) -> None:
    description = plaintext.normalize_newlines(fields["description"] or fields["abstract"])
    ok = check_text(result, where, title=fields["title"], names=[p.name for p in persons], channel=room,
                    theme=fields["track"], description=description)
    if key is not None and len(key) > 200:
        result.error(where, N_("Its guid is longer than 200 characters."))
        ok = False
    starts_at = _instant(fields["date"], fields["start"], day_date, tz, where, result)
    duration = hhmm_duration(fields["duration"])
    if duration is None or duration <= timedelta() or duration > timedelta(hours=24):
        result.error(where, N_("The duration “%(value)s” is not HH:MM (at least one minute, at most 24 hours)."),
                     value=fields["duration"])
        ok = False
    if not ok or starts_at is None:
        return
    language = fields["language"].lower()
    result.rows.append(ProposedRow(
        where=where, key=key, title=fields["title"], starts_at=starts_at, duration=duration,
        kind=kind_of(fields["type"]) or SessionKind.PLENARY if fields["type"] else SessionKind.PLENARY,
        channel=room, theme=fields["track"], description=description,
        language=language if languages.is_known(language) else "", persons=persons))


def _instant(value: str, start: str, day_date: date | None, tz: ZoneInfo, where: Message,
             result: ReadResult) -> datetime | None:
    try:
        if value:
            instant = datetime.fromisoformat(value)
        elif start and day_date is not None:
            instant = datetime.combine(day_date, datetime.strptime(start, "%H:%M").time())
        else:
            result.error(where, N_("It has no date."))
            return None
    except ValueError:
        result.error(where, N_("Its date “%(value)s” is not an ISO 8601 date and time."), value=value or start)
        return None
    return (instant if instant.tzinfo else instant.replace(tzinfo=tz)).astimezone(UTC)


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _file_zone(name: Any, default: ZoneInfo, result: ReadResult) -> ZoneInfo:
    name = _str(name)
    if not name:
        return default
    tz = zone_or_none(name)
    if tz is None:
        result.error(None, N_("“%(value)s” (time_zone_name) is not an IANA time zone."), value=name)
        return default
    return tz
