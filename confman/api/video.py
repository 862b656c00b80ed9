"""Organizers: video-message slots (settings, review, status); moderators mark them played. The same services as
the organizer pages; files themselves stay behind the signed-in download routes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from confman.api import core, problems, schemas
from confman.extensions import db
from confman.models import AgendaSession, Event, SessionKind, Speaker, VideoStatus
from confman.services import video
from confman.timeutil import utcnow

blp = Blueprint("api_video", __name__, url_prefix=core.PREFIX, description="Organizers: video-message slots")
BEARER = [{"bearer": []}]


class SubmissionSchema(Schema):
    id = fields.Integer(required=True)
    submitted_at = schemas.instant(required=True)
    outcome = fields.String(required=True)
    file_name = schemas.nullable(fields.String, required=True)
    link_url = schemas.nullable(fields.String, required=True)
    measured_length_seconds = schemas.nullable(fields.Integer, required=True)
    reason = fields.String(required=True)


class SlotSchema(Schema):
    session_id = fields.Integer(required=True)
    title = fields.String(required=True)
    status = schemas.nullable(schemas.enum, VideoStatus, required=True,
                              metadata={"description": "null: the slot's settings are not saved yet"})
    speaker_id = schemas.nullable(fields.Integer, required=True)
    introducer_id = schemas.nullable(fields.Integer, required=True)
    allowed_length_seconds = schemas.nullable(fields.Integer, required=True)
    deadline_at = schemas.nullable(schemas.instant, required=True)
    embargo_at = schemas.nullable(schemas.instant, required=True)
    language = schemas.nullable(fields.String, required=True)
    office_email = schemas.nullable(fields.String, required=True)
    measured_length_seconds = schemas.nullable(fields.Integer, required=True)
    played_at = schemas.nullable(schemas.instant, required=True)
    submissions = fields.List(fields.Nested(SubmissionSchema), required=True)
    links = fields.Nested(schemas.Links, required=True)


class SlotSettings(schemas.Strict):
    speaker_id = schemas.nullable(fields.Integer, **schemas.ID)
    introducer_id = schemas.nullable(fields.Integer, **schemas.ID)
    allowed_length_seconds = fields.Integer(required=True, validate=validate.Range(min=1, max=24 * 3600))
    deadline_at = schemas.nullable(fields.AwareDateTime)
    embargo_at = schemas.nullable(fields.AwareDateTime)
    language = fields.String(validate=validate.Length(min=1, max=40), load_default="English")
    subtitle_expectations = fields.String(validate=validate.Length(max=5000), load_default="")
    notes_for_office = fields.String(validate=validate.Length(max=5000), load_default="")
    fallback = fields.String(validate=validate.Length(max=5000), load_default="")
    office_email = fields.Email(validate=validate.Length(max=254), load_default="")
    interpreters_before_embargo = fields.Boolean(load_default=False)


class Review(schemas.Strict):
    submission_id = fields.Integer(required=True, **schemas.ID)
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    reason = fields.String(validate=validate.Length(max=5000), load_default="")


def _seconds(length: timedelta | None) -> int | None:
    return None if length is None else int(length.total_seconds())


def slot_json(event: Event, item: AgendaSession) -> dict[str, Any]:
    vm = item.video_message
    return {
        "session_id": item.id, "title": item.title, "status": vm.status.value if vm else None,
        "speaker_id": vm.speaker_id if vm else None, "introducer_id": vm.introducer_id if vm else None,
        "allowed_length_seconds": _seconds(vm.allowed_length) if vm else None,
        "deadline_at": core.utc(vm.deadline_at) if vm else None, "embargo_at": core.utc(vm.embargo_at) if vm else None,
        "language": vm.language if vm else None, "office_email": vm.office_email if vm else None,
        "measured_length_seconds": _seconds(vm.measured_length) if vm else None,
        "played_at": core.utc(vm.played_at) if vm else None,
        "submissions": [{"id": s.id, "submitted_at": core.utc(s.submitted_at), "outcome": s.outcome.value,
                         "file_name": s.file_name, "link_url": s.link_url,
                         "measured_length_seconds": _seconds(s.measured_length), "reason": s.reason}
                        for s in (vm.submissions if vm else [])],
        "links": {"self": core.api_url(f"/events/{event.slug}/video-messages/{item.id}")},
    }


def _slot_session(event: Event, session_id: int) -> AgendaSession:
    item = core.owned(AgendaSession, session_id, event, "session")
    if item.kind != SessionKind.VIDEO_MESSAGE:
        raise core.not_found(f"Session {session_id} is not a video-message session.")
    return item


def _speaker(event: Event, speaker_id: int | None, field: str) -> Speaker | None:
    if speaker_id is None:
        return None
    speaker = db.session.get(Speaker, speaker_id)
    if speaker is None or speaker.event_id != event.id:
        raise problems.validation([(field, f"This event has no speaker {speaker_id}.")])
    return speaker


@blp.route("/events/<slug>/video-messages")
@blp.doc(security=BEARER)
@blp.response(200, SlotSchema(many=True))
@core.guard(core.ORGANIZE)
def list_slots(slug: str):
    """Every video-message session with its slot's settings, status and submissions."""
    event = core.staff_event(slug)
    return core.answer([slot_json(event, item) for item in video.slot_sessions(event)])


@blp.route("/events/<slug>/video-messages/<int:session_id>")
@blp.doc(security=BEARER)
@blp.response(200, SlotSchema)
@core.guard(core.ORGANIZE)
def get_slot(slug: str, session_id: int):
    event = core.staff_event(slug)
    return core.answer(slot_json(event, _slot_session(event, session_id)))


@blp.route("/events/<slug>/video-messages/<int:session_id>", methods=["PUT"])
@blp.doc(security=BEARER)
@blp.arguments(SlotSettings)
@blp.response(200, SlotSchema)
@core.guard(core.ORGANIZE)
def save_slot(args, slug: str, session_id: int):
    """Create or replace the slot's settings (allowed length at most the session's)."""
    event = core.staff_event(slug, write=True)
    item = _slot_session(event, session_id)
    try:
        video.save_slot(
            item, actor=core.actor(), now=utcnow(), speaker=_speaker(event, args.get("speaker_id"), "speaker_id"),
            introducer=_speaker(event, args.get("introducer_id"), "introducer_id"),
            allowed_length=timedelta(seconds=args["allowed_length_seconds"]), deadline_at=args.get("deadline_at"),
            embargo_at=args.get("embargo_at"), language=args["language"],
            subtitle_expectations=args["subtitle_expectations"], notes_for_office=args["notes_for_office"],
            fallback=args["fallback"], office_email=args["office_email"],
            interpreters_before_embargo=args["interpreters_before_embargo"])
    except video.VideoMessageError as error:
        db.session.rollback()
        field = "allowed_length_seconds" if isinstance(error, video.InvalidAllowedLength) else "speaker_id"
        raise problems.validation([(field, str(error))]) from None
    db.session.commit()
    return core.answer(slot_json(event, item))


@blp.route("/events/<slug>/video-messages/<int:session_id>/review", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(Review)
@blp.response(200, SlotSchema)
@core.guard(core.ORGANIZE)
def review(args, slug: str, session_id: int):
    """Approve or reject the submission awaiting review (a rejection says why; the office reads it)."""
    event = core.staff_event(slug, write=True)
    item = _slot_session(event, session_id)
    if item.video_message is None:
        raise problems.conflict("Save the slot's settings first.")
    try:
        if args["decision"] == "reject":
            video.reject(item.video_message, submission_id=args["submission_id"], reason=args["reason"],
                         actor=core.actor(), now=utcnow())
        else:
            video.approve(item.video_message, submission_id=args["submission_id"], actor=core.actor(), now=utcnow())
    except video.VideoMessageError as error:
        db.session.rollback()
        raise problems.conflict(str(error)) from None
    db.session.commit()
    return core.answer(slot_json(event, item))


@blp.route("/events/<slug>/video-messages/<int:session_id>/played", methods=["POST"])
@blp.doc(security=BEARER)
@blp.response(200, SlotSchema)
@core.guard(core.MODERATE)
def mark_played(slug: str, session_id: int):
    """Moderators: the approved video was played."""
    event = core.staff_event(slug, may=core.MODERATE, write=True)
    item = _slot_session(event, session_id)
    if item.video_message is None:
        raise problems.conflict("This slot has no video yet.")
    try:
        video.mark_played(item.video_message, actor=core.actor(), now=utcnow())
    except video.VideoMessageError as error:
        db.session.rollback()
        raise problems.conflict(str(error)) from None
    db.session.commit()
    return core.answer(slot_json(event, item))
