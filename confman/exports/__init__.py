"""Exports of the published agenda (iCalendar, frab/c3voc schedule, programme PDF): pure functions, no Flask.

Every renderer takes one `ExportRequest` and returns bytes. URLs come in as callables, never from `url_for`, so
the same code serves the web, the CLI and the tests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from confman.exports.programme_text import Wording
from confman.models import Event
from confman.services.publication import PublicAgenda, PublicSession, PublicSpeaker, PublicTag, PublicTheme


@dataclass(frozen=True)
class ExportRequest:
    """What an exporter renders: one event's published agenda, the viewer's options, and how to link to things."""

    event: Event
    agenda: PublicAgenda
    session_url: Callable[[int], str]  # session id -> absolute URL of its public page
    event_url: str  # absolute URL of the event's public page
    theme: PublicTheme | None = None
    day: date | None = None
    tz: ZoneInfo | None = None  # the viewer's zone; None is the event's own
    wording: Wording | None = None  # the viewer's language for the programme; None is English
    paper: str = "a4"  # the programme PDF's paper: a key of programme_pdf.PAPERS
    self_url: str = ""  # absolute URL of the export itself, where a format names it
    # session id -> its public room links (livestream, recording: never the meeting link), where it has any
    public_links: Mapping[int, object] = field(default_factory=dict)
    tag: PublicTag | None = None  # a topic, as the agenda's filter picks it
    speaker: PublicSpeaker | None = None  # sessions where this speaker speaks or sends the video message

    @property
    def zone(self) -> ZoneInfo:
        return self.tz or self.event.tz

    @property
    def sessions(self) -> list[PublicSession]:
        """The sessions the options select, in start order."""
        items = self.agenda.for_theme(self.theme)
        if self.day is not None:
            items = [s for s in items if s.starts_at.astimezone(self.zone).date() == self.day]
        if self.tag is not None or self.speaker is not None:
            items = self.agenda.search(items, tag=self.tag, speaker=self.speaker)
        return items


@dataclass(frozen=True)
class Exporter:
    """A public file name, its media type, and the function that renders it."""

    name: str  # "agenda.ics", the last part of its URL
    media_type: str
    render: Callable[[ExportRequest], bytes]
    disposition: str = "inline"  # or "attachment" for files a browser should save


def export_key(*parts: object) -> str:
    """A short stable digest of what an export depends on: its ETag and its cache file name."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:24]


from confman.exports import frab, ical, programme_pdf  # noqa: E402  (they use the types above)

EXPORTERS: dict[str, Exporter] = {e.name: e for e in (
    Exporter("agenda.ics", ical.MEDIA_TYPE, ical.agenda_ical, disposition="attachment"),
    Exporter("schedule.json", "application/json", frab.schedule_json),
    Exporter("schedule.xml", "application/xml; charset=utf-8", frab.schedule_xml),
    Exporter("programme.pdf", "application/pdf", programme_pdf.programme_pdf),
)}
