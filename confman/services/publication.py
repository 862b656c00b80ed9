"""The public agenda is what was last published: snapshots of the agenda, reading them, and publishing anew.

Organizers edit the live tables; delegates, calendars and exports read the latest `AgendaVersion.snapshot`, so
drafts and unpublished edits stay invisible. A release (`publish_agenda`) snapshots everything; a live amendment
on the day (`amend_published`) replaces only the sessions a moderator touched, so it never publishes an
organizer's unfinished edits by accident.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import select

from confman.extensions import db
from confman.models import (
    AgendaSession,
    AgendaVersion,
    AgendaVersionKind,
    Event,
    ParticipationRole,
    ProtocolRank,
    SessionKind,
    SessionStatus,
    User,
)
from confman.models.agenda import SessionTiming
from confman.services import ConfmanError, agenda, audit, webhooks


class NothingToPublish(ConfmanError):
    pass


# --- writing snapshots ---------------------------------------------------------------------------------------

def build_snapshot(event: Event, sessions: Sequence[AgendaSession] | None = None) -> dict[str, Any]:
    """The agenda as the public will see it: plain JSON, complete enough to render every public page and export."""
    sessions = agenda.load_sessions(event) if sessions is None else sessions
    speakers = {p.speaker.id: p.speaker for item in sessions for p in item.participations}
    for item in sessions:
        if item.video_message is not None and item.video_message.speaker is not None:
            speakers[item.video_message.speaker.id] = item.video_message.speaker
    return {
        "themes": [{"id": t.id, "slug": t.slug, "name": t.name, "colour": t.colour, "pattern": t.pattern}
                   for t in event.themes],
        "channels": [{"id": c.id, "slug": c.slug, "name": c.name, "position": c.position} for c in event.channels],
        "tags": [{"id": t.id, "slug": t.slug, "name": t.name} for t in event.tags],
        "speakers": [_speaker_json(s) for s in sorted(speakers.values(), key=lambda s: s.id)],
        "sessions": [session_json(item) for item in sessions],
    }


def session_json(item: AgendaSession) -> dict[str, Any]:
    video = item.video_message
    return {
        "id": item.id,
        "kind": item.kind.value,
        "title": item.title,
        "description": item.description,
        "starts_at": item.starts_at.isoformat(),
        "duration": int(item.duration.total_seconds()),
        "status": item.status.value,
        "theme_id": item.theme_id,
        "channel_id": item.channel_id,
        "tag_ids": [t.id for t in item.tags],
        "sequence": item.sequence,
        "updated_at": item.updated_at.isoformat(),
        "is_fixed": item.is_fixed,
        "participants": [
            {"speaker_id": p.speaker_id, "role": p.role.value, "position": p.position,
             "time_limit": int(p.time_limit.total_seconds()) if p.time_limit else None}
            for p in agenda.speaking_order(item)
        ],
        # Only what the public may know of a video message: whose it is and how long. Never the file or link.
        "video_message": None if video is None else {
            "speaker_id": video.speaker_id, "allowed_length": int(video.allowed_length.total_seconds()),
        },
    }


def _speaker_json(speaker) -> dict[str, Any]:
    org = speaker.organization
    return {
        "id": speaker.id, "honorific": speaker.honorific, "name": speaker.name, "title": speaker.title,
        "protocol_rank": speaker.protocol_rank.value, "bio": speaker.bio, "has_photo": bool(speaker.photo_path),
        "photo": speaker.photo_path,  # a public image key (public/photos/...), served by the media route
        "organization": None if org is None else {"name": org.name, "short_name": org.short_name,
                                                  "country_code": org.country_code},
    }


def diff_snapshots(old: dict[str, Any] | None, new: dict[str, Any]) -> list[dict[str, Any]]:
    """What a delegate needs to know changed: added, removed, moved, cancelled, renamed, speakers changed."""
    before = {s["id"]: s for s in (old or {}).get("sessions", [])}
    after = {s["id"]: s for s in new["sessions"]}
    names = {p["id"]: " ".join(filter(None, [p["honorific"], p["name"]])) for p in new["speakers"]}
    names.update({p["id"]: " ".join(filter(None, [p["honorific"], p["name"]]))
                  for p in (old or {}).get("speakers", []) if p["id"] not in names})
    changes: list[dict[str, Any]] = []
    for sid, item in after.items():
        prior = before.get(sid)
        entry = {"session_id": sid, "title": item["title"]}
        if prior is None:
            changes.append({**entry, "change": "added", "detail": item["starts_at"], "to": item["starts_at"],
                            "duration_to": item["duration"]})
            continue
        if item["status"] == "cancelled" and prior["status"] != "cancelled":
            changes.append({**entry, "change": "cancelled", "detail": ""})
        elif prior["status"] == "cancelled" and item["status"] != "cancelled":
            changes.append({**entry, "change": "reinstated", "detail": ""})
        if (item["starts_at"], item["duration"]) != (prior["starts_at"], prior["duration"]):
            changes.append({**entry, "change": "moved", "detail": f"{prior['starts_at']} -> {item['starts_at']}",
                            "from": prior["starts_at"], "to": item["starts_at"],
                            "duration_from": prior["duration"], "duration_to": item["duration"]})
        if item["title"] != prior["title"]:
            changes.append({**entry, "change": "renamed", "detail": f"{prior['title']} -> {item['title']}",
                            "from_title": prior["title"]})
        if item["channel_id"] != prior["channel_id"]:
            channels = {c["id"]: c["name"] for c in (old or {}).get("channels", [])}
            channels.update({c["id"]: c["name"] for c in new.get("channels", [])})
            changes.append({**entry, "change": "channel", "detail": channels.get(item["channel_id"], ""),
                            "from_channel": channels.get(prior["channel_id"]),
                            "to_channel": channels.get(item["channel_id"])})
        people_before = [(p["speaker_id"], p["role"]) for p in prior["participants"]]
        people_after = [(p["speaker_id"], p["role"]) for p in item["participants"]]
        if people_before != people_after:
            added = [names.get(s, "?") for s, _ in people_after if s not in {x for x, _ in people_before}]
            removed = [names.get(s, "?") for s, _ in people_before if s not in {x for x, _ in people_after}]
            detail = "; ".join(filter(None, [f"added {', '.join(added)}" if added else "",
                                             f"removed {', '.join(removed)}" if removed else ""])) or "order or roles"
            changes.append({**entry, "change": "speakers", "detail": detail})
    for sid, prior in before.items():
        if sid not in after:
            changes.append({"session_id": sid, "title": prior["title"], "change": "removed", "detail": ""})
    return changes


def publish_agenda(event: Event, *, actor: User | None, now: datetime, comment: str = "",
                   allow_empty: bool = False) -> AgendaVersion:
    """Publish the current agenda as a new version with its changelog. Raises NothingToPublish. Flushes."""
    previous = latest_version(event)
    snapshot = build_snapshot(event)
    changelog = diff_snapshots(previous.snapshot if previous else None, snapshot)
    if previous is not None and not changelog and not allow_empty:
        raise NothingToPublish(f"Nothing changed since version {previous.number}.")
    version = _new_version(event, AgendaVersionKind.RELEASE, snapshot, changelog, actor=actor, now=now,
                           comment=comment)
    audit.record(event=event, actor=actor, action="agenda.published", target_type="agenda_version",
                 target_id=version.id, now=now, summary=f"Published version {version.number}",
                 after={"changes": len(changelog)})
    return version


def amend_published(event: Event, items: Iterable[AgendaSession], *, actor: User | None, now: datetime,
                    comment: str = "") -> AgendaVersion | None:
    """Carry live changes of `items` (already published sessions) into a new LIVE version, leaving the rest
    of the published agenda as it was. Returns None when nothing public changed. Flushes."""
    previous = latest_version(event)
    if previous is None:
        return None
    snapshot = {**previous.snapshot, "sessions": list(previous.snapshot["sessions"])}
    index = {s["id"]: n for n, s in enumerate(snapshot["sessions"])}
    for item in items:
        if item.id in index:
            snapshot["sessions"][index[item.id]] = session_json(item)
    snapshot["sessions"].sort(key=lambda s: (s["starts_at"], s["channel_id"] or 0, s["id"]))
    changelog = diff_snapshots(previous.snapshot, snapshot)
    if not changelog:
        return None
    return _new_version(event, AgendaVersionKind.LIVE, snapshot, changelog, actor=actor, now=now, comment=comment)


def _new_version(event, kind, snapshot, changelog, *, actor, now, comment) -> AgendaVersion:
    number = (db.session.scalar(select(db.func.max(AgendaVersion.number)).filter_by(event_id=event.id)) or 0) + 1
    version = AgendaVersion(event=event, number=number, kind=kind, published_at=now, published_by=actor,
                            comment=comment, changelog=changelog, snapshot=snapshot)
    db.session.add(version)
    event.agenda_version = number  # the public ETag of every export
    db.session.flush()
    webhooks.enqueue(event, "agenda.published", {"version": number, "kind": kind.value, "comment": comment,
                                                 "changes": changelog}, now=now)
    return version


def latest_version(event: Event) -> AgendaVersion | None:
    return db.session.scalar(
        select(AgendaVersion).filter_by(event_id=event.id).order_by(AgendaVersion.number.desc()).limit(1)
    )


# --- reading snapshots ---------------------------------------------------------------------------------------
# Plain objects with the attribute names of the models, so templates and exporters read either.

@dataclass(frozen=True)
class PublicTheme:
    id: int
    slug: str
    name: str
    colour: str
    pattern: str


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
            photo=s.get("photo"),
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
        )
        sessions.append(item)
        for p in item.participations:
            p.speaker.sessions.append(item)
    sessions.sort(key=lambda s: (s.starts_at, s.channel.position if s.channel else 0, s.id))
    return PublicAgenda(version=version, published_at=published_at, sessions=sessions, speakers=speakers,
                        themes=list(themes.values()), channels=list(channels.values()), tags=list(tags.values()))
