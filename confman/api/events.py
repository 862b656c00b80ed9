"""Public reads: events, the published agenda (or a given version), its sessions and speakers, themes, channels,
tags, co-hosts and the changelog. Anyone may read what the public pages show; a draft only with its own token."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from threading import Lock
from typing import Any

from flask import current_app, url_for
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import defer

from confman.api import core, schemas
from confman.extensions import db
from confman.models import AgendaVersion, Event, EventStatus
from confman.services import publication
from confman.services.publication import PublicAgenda, PublicSession, PublicSpeaker

blp = Blueprint("api_events", __name__, url_prefix=core.PREFIX, description="Events and their published agenda")

EventPage = schemas.page_schema(schemas.EventSchema, "EventPage")
SessionPage = schemas.page_schema(schemas.PublicSessionSchema, "PublicSessionPage")
SpeakerPage = schemas.page_schema(schemas.PublicSpeakerSchema, "PublicSpeakerPage")
VersionPage = schemas.page_schema(schemas.VersionSchema, "VersionPage")


def event_json(event: Event) -> dict[str, Any]:
    tz = event.tz
    return {
        "slug": event.slug, "title": event.title, "short_title": event.short_title, "description": event.description,
        "starts_on": event.starts_on.isoformat(), "ends_on": event.ends_on.isoformat(), "timezone": event.timezone,
        "format": event.format.value, "venue": event.venue, "status": event.status.value,
        "parent": event.parent.slug if event.parent is not None else None,
        "agenda_version": event.agenda_version if publication.latest_version(event) else 0,
        "registration": {
            **core.instants("opens_at", event.registration_opens_at, tz),
            **core.instants("closes_at", event.registration_closes_at, tz),
            "capacity": event.capacity, "needs_approval": event.needs_approval,
        },
        "links": {"self": core.api_url(f"/events/{event.slug}"),
                  "html": url_for("public.event", slug=event.slug, _external=True)},
    }


def session_json(event: Event, item: PublicSession) -> dict[str, Any]:
    tz = event.tz
    video = item.video_message
    return {
        "id": item.id, "kind": item.kind.value, "title": item.title, "description": item.description,
        "status": item.status.value, **core.instants("starts_at", item.starts_at, tz),
        **core.instants("ends_at", item.ends_at, tz), "duration_minutes": core.minutes(item.duration),
        "theme": _label(item.theme), "channel": _label(item.channel), "tags": [_label(t) for t in item.tags],
        "speakers": [{"speaker_id": p.speaker.id, "name": p.speaker.full_name, "role": p.role.value,
                      "position": p.position, "time_limit_minutes": core.minutes(p.time_limit)}
                     for p in item.participations],
        "video_message": None if video is None else {
            "speaker_id": video.speaker.id if video.speaker else None,
            "allowed_length_seconds": int(video.allowed_length.total_seconds())},
        "sequence": item.sequence, "updated_at": core.utc(item.updated_at), "is_fixed": item.is_fixed,
        "links": {"self": core.api_url(f"/events/{event.slug}/agenda/sessions/{item.id}"),
                  "html": url_for("public.session_page", slug=event.slug, session_id=item.id, _external=True)},
    }


def speaker_json(event: Event, speaker: PublicSpeaker) -> dict[str, Any]:
    org = speaker.organization
    return {
        "id": speaker.id, "honorific": speaker.honorific, "name": speaker.name, "full_name": speaker.full_name,
        "title": speaker.title, "protocol_rank": speaker.protocol_rank.value,
        "organization": None if org is None else {"name": org.name, "short_name": org.short_name,
                                                  "country_code": org.country_code},
        "bio": speaker.bio, "has_photo": speaker.has_photo, "session_ids": [s.id for s in speaker.sessions],
        "links": {"self": core.api_url(f"/events/{event.slug}/agenda/speakers/{speaker.id}"),
                  "html": url_for("public.speaker", slug=event.slug, speaker_id=speaker.id, _external=True)},
    }


def _label(obj) -> dict | None:
    return None if obj is None else {"id": obj.id, "slug": obj.slug, "name": obj.name}


def agenda_of(event: Event, version: int | None) -> PublicAgenda:
    """The latest published agenda, or version `version` of it (404 when there is no such version)."""
    if version is None:
        return publication.public_agenda(event)
    row = db.session.scalar(select(AgendaVersion).filter_by(event_id=event.id, number=version))
    if row is None:
        raise core.not_found(f"{event.slug} has no published version {version}.")
    return publication.read_snapshot(row.snapshot, version=row.number, published_at=row.published_at)


# A published version never changes: its JSON is made once per process (and site address), like the exports.
_bodies: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
_bodies_lock = Lock()


def agenda_body(event: Event, version: int | None) -> tuple[bytes, str]:
    agenda = agenda_of(event, version)
    key = (id(db.engine), event.id, event.slug, event.timezone, agenda.version, agenda.published_at,
           current_app.config["BASE_URL"])
    with _bodies_lock:
        if (hit := _bodies.get(key)) is not None:
            _bodies.move_to_end(key)
            return hit
    body = core.json_bytes({
        "event": event.slug, "timezone": event.timezone, "version": agenda.version,
        "published_at": core.utc(agenda.published_at),
        "themes": [{"id": t.id, "slug": t.slug, "name": t.name, "colour": t.colour, "pattern": t.pattern}
                   for t in agenda.themes],
        "channels": [_label(c) for c in agenda.channels],
        "tags": [_label(t) for t in agenda.tags],
        "sessions": [session_json(event, s) for s in agenda.sessions],
        "speakers": [speaker_json(event, s) for s in sorted(agenda.speakers.values(), key=lambda s: s.id)],
    })
    entry = (body, hashlib.sha256(body).hexdigest()[:32])
    with _bodies_lock:
        _bodies[key] = entry
        while len(_bodies) > 64:
            _bodies.popitem(last=False)
    return entry


@blp.route("/events")
@blp.arguments(schemas.PageArgs, location="query")
@blp.response(200, EventPage)
def list_events(args):
    """Published and archived events, newest first (with a token, its draft event too)."""
    events = db.session.scalars(select(Event).where(Event.status != EventStatus.DRAFT)
                                .order_by(Event.starts_on.desc(), Event.id)).all()
    token = core.current_token()
    if token is not None and not token.event.is_public:
        events = [token.event, *events]
    return core.answer(core.page_of(list(events), args, event_json))


@blp.route("/events/<slug>")
@blp.response(200, schemas.EventSchema)
def get_event(slug: str):
    """One event: dates, zone, format, registration window, published agenda version."""
    return core.answer(event_json(core.readable_event(slug)))


@blp.route("/events/<slug>/agenda")
@blp.arguments(schemas.AgendaArgs, location="query")
@blp.response(200, schemas.AgendaSchema)
def get_agenda(args, slug: str):
    """The whole published agenda (or version `version`): sessions in start order, speakers, themes, channels."""
    event = core.readable_event(slug)
    body, etag = agenda_body(event, args.get("version"))
    return core.answer(body=body, etag=etag)


@blp.route("/events/<slug>/agenda/sessions")
@blp.arguments(schemas.SessionFilterArgs, location="query")
@blp.response(200, SessionPage)
def list_public_sessions(args, slug: str):
    """Published sessions in start order; `theme` (slug) and `day` (in the event's zone) narrow the list."""
    event = core.readable_event(slug)
    agenda = agenda_of(event, args.get("version"))
    items = agenda.sessions
    if theme := args.get("theme"):
        items = [s for s in items if s.theme is not None and s.theme.slug == theme]
    if day := args.get("day"):
        items = [s for s in items if s.starts_at.astimezone(event.tz).date() == day]
    return core.answer(core.page_of(items, args, lambda s: session_json(event, s)))


@blp.route("/events/<slug>/agenda/sessions/<int:session_id>")
@blp.arguments(schemas.AgendaArgs, location="query")
@blp.response(200, schemas.PublicSessionSchema)
def get_public_session(args, slug: str, session_id: int):
    event = core.readable_event(slug)
    item = agenda_of(event, args.get("version")).session(session_id)
    if item is None:
        raise core.not_found(f"The published agenda of {slug} has no session {session_id}.")
    return core.answer(session_json(event, item))


@blp.route("/events/<slug>/agenda/speakers")
@blp.arguments(schemas.PageArgs, location="query")
@blp.response(200, SpeakerPage)
def list_public_speakers(args, slug: str):
    """The speakers of the published agenda, by id."""
    event = core.readable_event(slug)
    speakers = sorted(publication.public_agenda(event).speakers.values(), key=lambda s: s.id)
    return core.answer(core.page_of(speakers, args, lambda s: speaker_json(event, s)))


@blp.route("/events/<slug>/agenda/speakers/<int:speaker_id>")
@blp.response(200, schemas.PublicSpeakerSchema)
def get_public_speaker(slug: str, speaker_id: int):
    event = core.readable_event(slug)
    speaker = publication.public_agenda(event).speakers.get(speaker_id)
    if speaker is None:
        raise core.not_found(f"The published agenda of {slug} has no speaker {speaker_id}.")
    return core.answer(speaker_json(event, speaker))


@blp.route("/events/<slug>/themes")
@blp.response(200, schemas.ThemeSchema(many=True))
def list_themes(slug: str):
    event = core.readable_event(slug)
    return core.answer([{"id": t.id, "slug": t.slug, "name": t.name, "colour": t.colour, "pattern": t.pattern}
                        for t in event.themes])


@blp.route("/events/<slug>/channels")
@blp.response(200, schemas.ChannelSchema(many=True))
def list_channels(slug: str):
    """Channels (virtual rooms, streams) with their public livestream address; meeting links are never here."""
    event = core.readable_event(slug)
    return core.answer([{"id": c.id, "slug": c.slug, "name": c.name, "position": c.position,
                         "livestream_url": c.livestream_url} for c in event.channels])


@blp.route("/events/<slug>/tags")
@blp.response(200, schemas.TagSchema(many=True))
def list_tags(slug: str):
    event = core.readable_event(slug)
    return core.answer([_label(t) for t in event.tags])


@blp.route("/events/<slug>/co-hosts")
@blp.response(200, schemas.CoHostSchema(many=True))
def list_co_hosts(slug: str):
    """The hosting organizations in protocol order."""
    event = core.readable_event(slug)
    return core.answer([{"position": n, "role": h.role.value, "organization": {
        "id": h.organization.id, "name": h.organization.name, "short_name": h.organization.short_name,
        "kind": h.organization.kind.value, "country_code": h.organization.country_code}}
        for n, h in enumerate(event.co_hosts)])


@blp.route("/events/<slug>/changelog")
@blp.arguments(schemas.PageArgs, location="query")
@blp.response(200, VersionPage)
def changelog(args, slug: str):
    """Published versions, newest first, each with what changed since the one before."""
    event = core.readable_event(slug)
    versions = db.session.scalars(select(AgendaVersion).filter_by(event_id=event.id)
                                  .order_by(AgendaVersion.number.desc()).options(defer(AgendaVersion.snapshot))).all()

    def shape(v: AgendaVersion) -> dict:
        return {"number": v.number, "kind": v.kind.value, "comment": v.comment,
                **core.instants("published_at", v.published_at, event.tz),
                "changes": [{k: c[k] for k in ("change", "session_id", "title", "detail") if k in c}
                            for c in v.changelog]}

    return core.answer(core.page_of(list(versions), args, shape))

