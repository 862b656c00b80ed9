"""Virtual rooms: each channel's meeting and livestream links, a session's own overrides and its recording.

Meeting (join) links are private: only approved delegates, speakers, moderators, organizers and interpreters get
them, on their own pages, mail and personal feed. Livestream and recording links are public.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select

from confman.extensions import db
from confman.models import (
    AgendaSession,
    Channel,
    Event,
    Registration,
    RegistrationStatus,
    SessionRoom,
    Speaker,
    User,
)
from confman.services import N_, audit, permissions
from confman.services.floor.lists import FloorError


class BadLink(FloorError):
    pass


@dataclass(frozen=True)
class Links:
    meeting_url: str = ""  # private
    livestream_url: str = ""
    recording_url: str = ""

    @property
    def public(self) -> Links:
        return Links("", self.livestream_url, self.recording_url)


def check_url(value: str) -> str:
    """An http(s) address, or "" for none. Raises BadLink."""
    value = (value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > 500 or any(c.isspace() for c in value):
        raise BadLink(N_("“%(value)s” is not a web address (https://…)."), value=value[:80])
    return value


def rooms_by_session(session_ids: Iterable[int]) -> dict[int, SessionRoom]:
    ids = list(session_ids)
    if not ids:
        return {}
    return {r.session_id: r for r in db.session.scalars(select(SessionRoom).where(SessionRoom.session_id.in_(ids)))}


def resolve(event: Event, channel: Channel | None, room: SessionRoom | None) -> Links:
    """A session's links: its own, else its channel's; the meeting falls back to the event's joining link."""
    own = room or SessionRoom()
    return Links(
        meeting_url=own.meeting_url or (channel.meeting_url if channel else "") or event.joining_link or "",
        livestream_url=own.livestream_url or (channel.livestream_url if channel else ""),
        recording_url=own.recording_url or "",
    )


def links_for(item: AgendaSession) -> Links:
    return resolve(item.event, item.channel, db.session.get(SessionRoom, item.id))


def public_links(event: Event, sessions) -> dict[int, Links]:
    """Livestream and recording of each (published) session, keyed by id, in two queries."""
    sessions = list(sessions)
    rooms = rooms_by_session(s.id for s in sessions)
    channels = {c.id: c for c in event.channels}
    result = {}
    for s in sessions:
        channel = channels.get(s.channel.id) if getattr(s, "channel", None) is not None else None
        links = resolve(event, channel, rooms.get(s.id)).public
        if links.livestream_url or links.recording_url:
            result[s.id] = links
    return result


def meeting_links(event: Event, sessions) -> dict[int, str]:
    """The meeting link of each session that has one (its own, its channel's or the event's): private."""
    sessions = list(sessions)
    rooms = rooms_by_session(s.id for s in sessions)
    channels = {c.id: c for c in event.channels}
    links = {}
    for s in sessions:
        channel = channels.get(s.channel.id) if getattr(s, "channel", None) is not None else None
        if url := resolve(event, channel, rooms.get(s.id)).meeting_url:
            links[s.id] = url
    return links


@dataclass(frozen=True)
class JoinLink:
    label: str  # the channel's name, the session's title, or "" for the event-wide link
    url: str


def join_links(user: User, events: Iterable[Event], public_sessions) -> list[tuple[Event, list[JoinLink]]]:
    """For each event `user` may join, its meeting links: the event's, each channel's, and sessions' own.
    `public_sessions(event)` gives the published sessions (only their titles may be shown)."""
    result = []
    for event in events:
        if not may_join(user, event):
            continue
        links = [JoinLink("", event.joining_link)] if event.joining_link else []
        links += [JoinLink(c.name, c.meeting_url) for c in event.channels if c.meeting_url]
        sessions = list(public_sessions(event))
        rooms = rooms_by_session(s.id for s in sessions)
        links += [JoinLink(s.title, rooms[s.id].meeting_url) for s in sessions
                  if s.id in rooms and rooms[s.id].meeting_url]
        if links:
            result.append((event, links))
    return result


def may_join(user: User | None, event: Event) -> bool:
    """Approved delegates, the event's speakers (by their account's address), moderators, interpreters, organizers."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if permissions.can_interpret(user, event):
        return True
    if db.session.scalar(select(Registration.id).where(
            Registration.event_id == event.id, Registration.user_id == user.id,
            Registration.status == RegistrationStatus.APPROVED).limit(1)) is not None:
        return True
    return db.session.scalar(select(Speaker.id).where(
        Speaker.event_id == event.id, func.lower(Speaker.email) == user.email.lower()).limit(1)) is not None


def set_channel_links(channel: Channel, *, meeting_url: str, livestream_url: str, actor: User,
                      now: datetime) -> Channel:
    """Raises BadLink. Flushes; audit-logged (the meeting link itself is not written to the log)."""
    meeting_url, livestream_url = check_url(meeting_url), check_url(livestream_url)
    before = {"has_meeting": bool(channel.meeting_url), "livestream_url": channel.livestream_url}
    channel.meeting_url, channel.livestream_url = meeting_url, livestream_url
    channel.event.updated_at = now  # schedule.json and the feeds carry the links: their ETags must change
    db.session.flush()
    audit.record(event=channel.event, actor=actor, action="floor.channel_room_set", target_type="channel",
                 target_id=channel.id, now=now, summary=f"Room links of channel {channel.name}", before=before,
                 after={"has_meeting": bool(meeting_url), "livestream_url": livestream_url})
    return channel


def set_session_links(item: AgendaSession, *, meeting_url: str, livestream_url: str, recording_url: str,
                      actor: User, now: datetime) -> SessionRoom:
    """A session's own links (empty: its channel's) and its recording. Raises BadLink. Flushes; audit-logged."""
    values = {"meeting_url": check_url(meeting_url), "livestream_url": check_url(livestream_url),
              "recording_url": check_url(recording_url)}
    room = db.session.get(SessionRoom, item.id)
    if room is None:
        room = SessionRoom(session_id=item.id)
        db.session.add(room)
    before = {"has_meeting": bool(room.meeting_url), "livestream_url": room.livestream_url,
              "recording_url": room.recording_url}
    for name, value in values.items():
        setattr(room, name, value)
    room.updated_at = now
    item.event.updated_at = now  # schedule.json and the feeds carry the links: their ETags must change
    db.session.flush()
    audit.record(event=item.event, actor=actor, action="floor.session_room_set", target_type="agenda_session",
                 target_id=item.id, now=now, summary=f"Room links of “{item.title}”", before=before,
                 after={"has_meeting": bool(values["meeting_url"]), "livestream_url": values["livestream_url"],
                        "recording_url": values["recording_url"]})
    return room
