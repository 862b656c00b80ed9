"""The printable programme's data: cover facts, the agenda day by day in the viewer's zone, and a speakers index.

The HTML page and the PDF render the same `Programme`, so they never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from confman.models import Event
from confman.services.publication import PublicAgenda, PublicSession, PublicSpeaker, PublicTheme
from confman.timeutil import utc_offset_label


@dataclass(frozen=True)
class ProgrammeDay:
    day: date
    sessions: list[PublicSession]
    offsets: list[str]  # the UTC offsets in force during its sessions: two on the day daylight saving ends


@dataclass(frozen=True)
class IndexEntry:
    speaker: PublicSpeaker
    sessions: list[PublicSession]


@dataclass(frozen=True)
class Programme:
    event: Event
    agenda: PublicAgenda
    tz: ZoneInfo
    theme: PublicTheme | None
    day: date | None
    days: list[ProgrammeDay]
    speakers: list[IndexEntry]
    co_hosts: list[str]

    @property
    def published_at(self) -> datetime | None:
        return self.agenda.published_at


def programme_days(sessions: list[PublicSession], tz: ZoneInfo) -> list[ProgrammeDay]:
    """Sessions grouped by their local start date in `tz`, with their times converted to `tz`."""
    days: dict[date, list[PublicSession]] = {}
    for item in sessions:
        days.setdefault(item.starts_at.astimezone(tz).date(), []).append(item)
    return [ProgrammeDay(day, items, list(dict.fromkeys(utc_offset_label(s.starts_at, tz) for s in items)))
            for day, items in sorted(days.items())]


def build_programme(request) -> Programme:
    """The programme for an `ExportRequest`: its theme, day and zone options applied."""
    sessions = request.sessions
    by_speaker: dict[int, dict[int, PublicSession]] = {}
    for item in sessions:
        people = [p.speaker for p in item.participations]
        if item.video_message and item.video_message.speaker:
            people.append(item.video_message.speaker)
        for person in people:
            by_speaker.setdefault(person.id, {})[item.id] = item
    index = [IndexEntry(request.agenda.speakers[sid], list(items.values())) for sid, items in by_speaker.items()]
    index.sort(key=lambda e: (e.speaker.name.lower(), e.speaker.id))
    co_hosts = [h.organization.name for h in request.event.co_hosts]
    return Programme(event=request.event, agenda=request.agenda, tz=request.zone, theme=request.theme,
                     day=request.day, days=programme_days(sessions, request.zone), speakers=index, co_hosts=co_hosts)

