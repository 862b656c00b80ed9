"""Organizers' working copy of the agenda: sessions and who speaks in them, through the services of the organizer
pages (validation, optimistic locking on `version`, the audit log). Nothing here is public until published."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from confman.api import core, problems, schemas
from confman.api.idempotency import idempotent
from confman.extensions import db
from confman.models import AgendaSession, Event, Participation, ParticipationRole, SessionKind, Speaker
from confman.services import agenda, speakers
from confman.timeutil import utcnow

blp = Blueprint("api_sessions", __name__, url_prefix=core.PREFIX,
                description="Organizers: the working agenda (sessions and their speakers)")
BEARER = [{"bearer": []}]
TEXT = {"validate": validate.Length(max=20000)}


class Participant(Schema):
    participation_id = fields.Integer(required=True)
    speaker_id = fields.Integer(required=True)
    name = fields.String(required=True)
    role = schemas.enum(ParticipationRole, required=True)
    position = fields.Integer(required=True)
    time_limit_minutes = schemas.nullable(fields.Integer, required=True)


class WorkingSession(Schema):
    id = fields.Integer(required=True)
    kind = schemas.enum(SessionKind, required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    notes = fields.String(required=True, metadata={"description": "for organizers and moderators only"})
    status = fields.String(required=True)
    starts_at = schemas.instant(required=True)
    starts_at_local = fields.String(required=True)
    ends_at = schemas.instant(required=True)
    ends_at_local = fields.String(required=True)
    duration_minutes = fields.Integer(required=True)
    theme_id = schemas.nullable(fields.Integer, required=True)
    channel_id = schemas.nullable(fields.Integer, required=True)
    tag_ids = fields.List(fields.Integer(), required=True)
    is_fixed = fields.Boolean(required=True)
    sequence = fields.Integer(required=True)
    version = fields.Integer(required=True, metadata={"description": "send it back with a change"})
    updated_at = schemas.instant(required=True)
    speakers = fields.List(fields.Nested(Participant), required=True)
    links = fields.Nested(schemas.Links, required=True)


WorkingSessionPage = schemas.page_schema(WorkingSession, "WorkingSessionPage")


class SessionFields(schemas.Strict):
    kind = schemas.enum(SessionKind)
    title = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String(**TEXT)
    notes = fields.String(**TEXT)
    starts_at = fields.AwareDateTime(metadata={"description": "an instant with its offset (Z or +05:00)"})
    duration_minutes = fields.Integer(validate=validate.Range(min=1, max=24 * 60))
    theme_id = schemas.nullable(fields.Integer, **schemas.ID)
    channel_id = schemas.nullable(fields.Integer, **schemas.ID)
    tag_ids = fields.List(fields.Integer(**schemas.ID), validate=validate.Length(max=100))


class SessionCreate(SessionFields):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    is_fixed = fields.Boolean(metadata={"description": "a hard start that live delays never move"})
    starts_at = fields.AwareDateTime(required=True)
    duration_minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=24 * 60))


class SessionChange(SessionFields):
    version = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1),
                             metadata={"description": "the version you read: a newer one answers 409"})


class VersionOnly(schemas.Strict):
    version = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))


class ParticipationCreate(schemas.Strict):
    speaker_id = fields.Integer(required=True, **schemas.ID)
    role = schemas.enum(ParticipationRole, load_default="speaker")
    time_limit_minutes = schemas.nullable(fields.Integer, validate=validate.Range(min=1, max=600))


class ParticipationChange(schemas.Strict):
    role = schemas.enum(ParticipationRole)
    time_limit_minutes = schemas.nullable(fields.Integer, validate=validate.Range(min=1, max=600))


def working_json(event: Event, item: AgendaSession) -> dict[str, Any]:
    tz = event.tz
    return {
        "id": item.id, "kind": item.kind.value, "title": item.title, "description": item.description,
        "notes": item.notes, "status": item.status.value, **core.instants("starts_at", item.starts_at, tz),
        **core.instants("ends_at", item.ends_at, tz), "duration_minutes": core.minutes(item.duration),
        "theme_id": item.theme_id, "channel_id": item.channel_id, "tag_ids": sorted(t.id for t in item.tags),
        "is_fixed": item.is_fixed, "sequence": item.sequence, "version": item.version,
        "updated_at": core.utc(item.updated_at),
        "speakers": [{"participation_id": p.id, "speaker_id": p.speaker_id, "name": p.speaker.full_name,
                      "role": p.role.value, "position": p.position, "time_limit_minutes": core.minutes(p.time_limit)}
                     for p in agenda.speaking_order(item)],
        "links": {"self": core.api_url(f"/events/{event.slug}/sessions/{item.id}"),
                  "html": url_for("manage.session_edit", slug=event.slug, session_id=item.id, _external=True)},
    }


def _values(event: Event, args: dict) -> tuple[dict, list | None]:
    """Request fields as the agenda services take them; ids of another event's themes, channels or tags are 422."""
    values: dict[str, Any] = {}
    for name in ("title", "description", "notes", "starts_at", "theme_id", "channel_id", "is_fixed"):
        if name in args:
            values[name] = args[name]
    if "kind" in args:
        values["kind"] = SessionKind(args["kind"])
    if "duration_minutes" in args:
        values["duration"] = timedelta(minutes=args["duration_minutes"])
    errors = []
    for name, options in (("theme_id", event.themes), ("channel_id", event.channels)):
        if values.get(name) is not None and values[name] not in {o.id for o in options}:
            errors.append((name, f"This event has no {name.removesuffix('_id')} {values[name]}."))
    tags = None
    if "tag_ids" in args:
        known = {t.id: t for t in event.tags}
        errors += [("tag_ids", f"This event has no tag {t}.") for t in args["tag_ids"] if t not in known]
        tags = [known[t] for t in dict.fromkeys(args["tag_ids"]) if t in known]
    if errors:
        raise problems.validation(errors)
    return values, tags


def stale(event: Event, error: agenda.EditConflict) -> core.Problem:
    """409 after a refused save: the version now stored and what the others changed since the one sent."""
    db.session.rollback()
    item = db.session.get(AgendaSession, error.item_id)
    changes = [{"at": core.utc(e.at), "by": e.actor.display_name if e.actor else None, "action": e.action,
                "before": e.before, "after": e.after} for e in agenda.changes_since(item, error.expected_version)]
    return core.Problem(409, "stale-version", "This session changed since the version you sent",
                        f"Version {error.expected_version} was sent; it is now {item.version}. Read it again, "
                        "then send your change with the new version.", current_version=item.version, changes=changes)


def _load(event: Event, session_id: int) -> AgendaSession:
    return core.owned(AgendaSession, session_id, event, "session")


@blp.route("/events/<slug>/sessions")
@blp.doc(security=BEARER)
@blp.arguments(schemas.PageArgs, location="query")
@blp.response(200, WorkingSessionPage)
@core.guard(core.ORGANIZE)
def list_sessions(args, slug: str):
    """Every session of the working agenda (published or not), in start order, with its version."""
    event = core.staff_event(slug)
    items = db.session.scalars(
        select(AgendaSession).filter_by(event_id=event.id)
        .options(selectinload(AgendaSession.tags),
                 selectinload(AgendaSession.participations).selectinload(Participation.speaker))
        .order_by(AgendaSession.starts_at, AgendaSession.channel_id, AgendaSession.id)).all()
    return core.answer(core.page_of(list(items), args, lambda item: working_json(event, item)))


@blp.route("/events/<slug>/sessions", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(SessionCreate)
@blp.response(201, WorkingSession)
@idempotent
@core.guard(core.ORGANIZE)
def create_session(args, slug: str):
    """Add a session (not public until the agenda is published)."""
    event = core.staff_event(slug, write=True)
    values, tags = _values(event, args)
    values.setdefault("kind", SessionKind.PLENARY)
    try:
        item = agenda.create_session(event, actor=core.actor(), now=utcnow(), tags=tags or [], **values)
    except agenda.InvalidSession as error:
        db.session.rollback()
        raise problems.validation([("title", str(error))]) from None
    db.session.commit()
    return core.answer(working_json(event, item), status=201, headers={"Location": working_json(
        event, item)["links"]["self"]})


@blp.route("/events/<slug>/sessions/<int:session_id>")
@blp.doc(security=BEARER)
@blp.response(200, WorkingSession)
@core.guard(core.ORGANIZE)
def get_session(slug: str, session_id: int):
    event = core.staff_event(slug)
    return core.answer(working_json(event, _load(event, session_id)))


@blp.route("/events/<slug>/sessions/<int:session_id>", methods=["PATCH"])
@blp.doc(security=BEARER)
@blp.arguments(SessionChange)
@blp.response(200, WorkingSession)
@core.guard(core.ORGANIZE)
def change_session(args, slug: str, session_id: int):
    """Change some fields; `version` must be the one you read, or the answer is 409 with what changed."""
    event = core.staff_event(slug, write=True)
    item = _load(event, session_id)
    values, tags = _values(event, args)
    try:
        agenda.update_session(item, actor=core.actor(), now=utcnow(), tags=tags, expected_version=args["version"],
                              **values)
    except agenda.EditConflict as error:
        raise stale(event, error) from None
    except agenda.InvalidSession as error:
        db.session.rollback()
        raise problems.validation([("duration_minutes" if "last" in str(error) else "title", str(error))]) from None
    db.session.commit()
    return core.answer(working_json(event, item))


def _status_change(slug: str, session_id: int, version: int, service):
    event = core.staff_event(slug, write=True)
    item = _load(event, session_id)
    try:
        service(item, actor=core.actor(), now=utcnow(), expected_version=version)
    except agenda.EditConflict as error:
        raise stale(event, error) from None
    db.session.commit()
    return core.answer(working_json(event, item))


@blp.route("/events/<slug>/sessions/<int:session_id>/cancel", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(VersionOnly)
@blp.response(200, WorkingSession)
@core.guard(core.ORGANIZE)
def cancel_session(args, slug: str, session_id: int):
    """Cancel: the session stays on the agenda, marked cancelled, so calendars learn of it."""
    return _status_change(slug, session_id, args["version"], agenda.cancel_session)


@blp.route("/events/<slug>/sessions/<int:session_id>/reinstate", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(VersionOnly)
@blp.response(200, WorkingSession)
@core.guard(core.ORGANIZE)
def reinstate_session(args, slug: str, session_id: int):
    return _status_change(slug, session_id, args["version"], agenda.reinstate_session)


@blp.route("/events/<slug>/sessions/<int:session_id>/participations", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(ParticipationCreate)
@blp.response(201, WorkingSession)
@idempotent
@core.guard(core.ORGANIZE)
def add_participation(args, slug: str, session_id: int):
    """Add a speaker to the session; the speaking order follows protocol rank unless set by hand."""
    event = core.staff_event(slug, write=True)
    item = _load(event, session_id)
    speaker = db.session.get(Speaker, args["speaker_id"])
    if speaker is None or speaker.event_id != event.id:
        raise problems.validation([("speaker_id", f"This event has no speaker {args['speaker_id']}.")])
    limit = args.get("time_limit_minutes")
    try:
        speakers.add_participation(item, speaker, role=ParticipationRole(args["role"]), actor=core.actor(),
                                   time_limit=timedelta(minutes=limit) if limit else None, now=utcnow())
    except speakers.AlreadyParticipating as error:
        db.session.rollback()
        raise problems.conflict(str(error)) from None
    db.session.commit()
    return core.answer(working_json(event, item), status=201)


def _participation(event: Event, session_id: int, participation_id: int) -> Participation:
    item = _load(event, session_id)
    p = db.session.get(Participation, participation_id)
    if p is None or p.session_id != item.id:
        raise core.not_found(f"Session {session_id} has no participation {participation_id}.")
    return p


@blp.route("/events/<slug>/sessions/<int:session_id>/participations/<int:participation_id>", methods=["PATCH"])
@blp.doc(security=BEARER)
@blp.arguments(ParticipationChange)
@blp.response(200, WorkingSession)
@core.guard(core.ORGANIZE)
def change_participation(args, slug: str, session_id: int, participation_id: int):
    event = core.staff_event(slug, write=True)
    p = _participation(event, session_id, participation_id)
    limit = args.get("time_limit_minutes", core.minutes(p.time_limit))
    speakers.update_participation(p, role=ParticipationRole(args.get("role", p.role.value)), actor=core.actor(),
                                  time_limit=timedelta(minutes=limit) if limit else None, now=utcnow())
    db.session.commit()
    return core.answer(working_json(event, p.session))


@blp.route("/events/<slug>/sessions/<int:session_id>/participations/<int:participation_id>", methods=["DELETE"])
@blp.doc(security=BEARER)
@blp.response(204)
@core.guard(core.ORGANIZE)
def remove_participation(slug: str, session_id: int, participation_id: int):
    event = core.staff_event(slug, write=True)
    speakers.remove_participation(_participation(event, session_id, participation_id), actor=core.actor(),
                                  now=utcnow())
    db.session.commit()
    return core.answer(status=204)
