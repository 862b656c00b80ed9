"""Reading snapshots: the public agenda as delegates, calendars and exports see it.

Plain objects with the attribute names of the models, so templates and exporters read either.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import select

from confman.extensions import db
from confman.models import (
    AgendaVersion,
    Event,
    ParticipationRole,
    ProtocolRank,
    SessionKind,
    SessionStatus,
)
from confman.models.agenda import SessionTiming


@dataclass(frozen=True)
class PublicTheme:
    id: int
    slug: str
    name: str
    colour: str
    pattern: str
    translations: dict = field(default_factory=dict, hash=False, compare=False, repr=False)


@dataclass(frozen=True)
class PublicChannel:
    id: int
    slug: str
    name: str
    position: int


@dataclass(frozen=True)
class PublicTag:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class PublicOrganization:
    name: str
    short_name: str
    country_code: str | None


@dataclass(eq=False)
class PublicSpeaker:
    id: int
    honorific: str
    name: str
    title: str
    protocol_rank: ProtocolRank
    organization: PublicOrganization | None
    bio: str
    has_photo: bool
    sessions: list[PublicSession] = field(default_factory=list)
    photo: str | None = None  # key of the published photo
    translations: dict = field(default_factory=dict, repr=False)

    @property
    def full_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()


@dataclass(frozen=True)
class PublicParticipation:
    speaker: PublicSpeaker
    role: ParticipationRole
    position: int
    time_limit: timedelta | None


@dataclass(frozen=True)
class PublicVideoMessage:
    speaker: PublicSpeaker | None
    allowed_length: timedelta


@dataclass(eq=False)
class PublicSession(SessionTiming):
    id: int
    kind: SessionKind
    title: str
    description: str
    starts_at: datetime
    duration: timedelta
    status: SessionStatus
    theme: PublicTheme | None
    channel: PublicChannel | None
    tags: list[PublicTag]
    participations: list[PublicParticipation]
    video_message: PublicVideoMessage | None
    sequence: int
    updated_at: datetime
    is_fixed: bool
    translations: dict = field(default_factory=dict, repr=False)
    # Interpretation: the floor's language ("" = the event's default), what it is interpreted into, where to listen.
    floor_language: str = ""
    interpretation_languages: list[str] = field(default_factory=list)
    interpretation_channels: dict[str, str] = field(default_factory=dict)

    @property
    def speakers(self) -> list[PublicSpeaker]:
        return [p.speaker for p in self.participations]


@dataclass
class PublicAgenda:
    """One published version of an event's agenda."""

    version: int
    published_at: datetime | None
    sessions: list[PublicSession]
    speakers: dict[int, PublicSpeaker]
    themes: list[PublicTheme]
    channels: list[PublicChannel]
    tags: list[PublicTag]
    # This version read in other languages (see publication/localized.py), made once per language and process.
    by_language: dict[str, PublicAgenda] = field(default_factory=dict, repr=False, compare=False)

    @property
    def last_modified(self) -> datetime | None:
        """The latest change of any session: what DTSTAMP and Last-Modified report."""
        return max((s.updated_at for s in self.sessions), default=self.published_at)

    def session(self, session_id: int) -> PublicSession | None:
        return next((s for s in self.sessions if s.id == session_id), None)

    def theme(self, slug: str) -> PublicTheme | None:
        return next((t for t in self.themes if t.slug == slug), None)

    def for_theme(self, theme: PublicTheme | None) -> list[PublicSession]:
        return self.sessions if theme is None else [s for s in self.sessions if s.theme and s.theme.id == theme.id]

    def tag(self, slug: str) -> PublicTag | None:
        return next((t for t in self.tags if t.slug == slug), None)

    def search(self, sessions: list[PublicSession], *, text: str = "", tag: PublicTag | None = None,
               speaker: PublicSpeaker | None = None) -> list[PublicSession]:
        """The `sessions` whose title, description or speakers' names contain every word of `text` (any case),
        carrying `tag` and with `speaker` speaking (or sending the video message), when given."""
        words = text.casefold().split()
        chosen = []
        for s in sessions:
            people = [p.speaker for p in s.participations]
            if s.video_message and s.video_message.speaker:
                people.append(s.video_message.speaker)
            if tag is not None and all(t.id != tag.id for t in s.tags):
                continue
            if speaker is not None and all(p.id != speaker.id for p in people):
                continue
            if words:
                haystack = " ".join([s.title, s.description, *(p.full_name for p in people)]).casefold()
                if not all(w in haystack for w in words):
                    continue
            chosen.append(s)
        return chosen


EMPTY_AGENDA = PublicAgenda(version=0, published_at=None, sessions=[], speakers={}, themes=[], channels=[], tags=[])


def public_agenda(event: Event) -> PublicAgenda:
    """The latest published agenda of `event` (empty before the first publication). One query when this process
    has read that version before, two the first time.

    A published version never changes, so its parsed form is kept per database (engine) and version: reading and
    parsing a large snapshot's JSON on every request was most of the agenda page's time. The result is shared
    between requests: read it, never change it.
    """
    row = db.session.execute(
        select(AgendaVersion.id, AgendaVersion.number, AgendaVersion.published_at).filter_by(event_id=event.id)
        .order_by(AgendaVersion.number.desc()).limit(1)
    ).first()
    if row is None:
        return EMPTY_AGENDA
    cache = _parsed.setdefault(db.engine, OrderedDict())
    key = (event.id, *row)
    if (hit := cache.get(key)) is not None:
        cache.move_to_end(key)
        return hit
    snapshot = db.session.scalar(select(AgendaVersion.snapshot).where(AgendaVersion.id == row.id))
    parsed = read_snapshot(snapshot, version=row.number, published_at=row.published_at)
    cache[key] = parsed
    while len(cache) > _PARSED_PER_DATABASE:
        cache.popitem(last=False)
    return parsed


_PARSED_PER_DATABASE = 32
_parsed: WeakKeyDictionary[Any, OrderedDict[tuple, PublicAgenda]] = WeakKeyDictionary()


def read_snapshot(snapshot: dict[str, Any], *, version: int, published_at: datetime | None) -> PublicAgenda:
    themes = {t["id"]: PublicTheme(**t) for t in snapshot["themes"]}
    channels = {c["id"]: PublicChannel(**c) for c in snapshot["channels"]}
    tags = {t["id"]: PublicTag(**t) for t in snapshot["tags"]}
    speakers = {}
    for s in snapshot["speakers"]:
        org = PublicOrganization(**s["organization"]) if s["organization"] else None
        speakers[s["id"]] = PublicSpeaker(
            id=s["id"], honorific=s["honorific"], name=s["name"], title=s["title"],
            protocol_rank=ProtocolRank(s["protocol_rank"]), organization=org, bio=s["bio"], has_photo=s["has_photo"],
            photo=s.get("photo"), translations=s.get("translations") or {},
        )
    sessions = []
    for s in snapshot["sessions"]:
        video = s["video_message"]
        item = PublicSession(
            id=s["id"], kind=SessionKind(s["kind"]), title=s["title"], description=s["description"],
            starts_at=datetime.fromisoformat(s["starts_at"]), duration=timedelta(seconds=s["duration"]),
            status=SessionStatus(s["status"]), theme=themes.get(s["theme_id"]), channel=channels.get(s["channel_id"]),
            tags=[tags[t] for t in s["tag_ids"] if t in tags],
            participations=[
                PublicParticipation(speaker=speakers[p["speaker_id"]], role=ParticipationRole(p["role"]),
                                    position=p["position"],
                                    time_limit=timedelta(seconds=p["time_limit"]) if p["time_limit"] else None)
                for p in s["participants"] if p["speaker_id"] in speakers
            ],
            video_message=None if video is None else PublicVideoMessage(
                speaker=speakers.get(video["speaker_id"]), allowed_length=timedelta(seconds=video["allowed_length"])),
            sequence=s["sequence"], updated_at=datetime.fromisoformat(s["updated_at"]), is_fixed=s["is_fixed"],
            translations=s.get("translations") or {}, floor_language=s.get("floor_language") or "",
            interpretation_languages=s.get("interpretation_languages") or [],
            interpretation_channels=s.get("interpretation_channels") or {},
        )
        sessions.append(item)
        for p in item.participations:
            p.speaker.sessions.append(item)
    sessions.sort(key=lambda s: (s.starts_at, s.channel.position if s.channel else 0, s.id))
    return PublicAgenda(version=version, published_at=published_at, sessions=sessions, speakers=speakers,
                        themes=list(themes.values()), channels=list(channels.values()), tags=list(tags.values()))
