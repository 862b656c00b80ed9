"""The day itself: the live state (as live.json), a session's list of speakers, and (for moderators) the console's
actions on a channel's running order, through the same services as the console."""

from __future__ import annotations

import json
from datetime import date

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from confman.api import core, problems, schemas
from confman.exports import list_of_speakers
from confman.extensions import db
from confman.forms.moderate import ACTIONS
from confman.models import AgendaSession, Channel, Event
from confman.services import floor, live, publication
from confman.web.live import request_now

blp = Blueprint("api_live", __name__, url_prefix=core.PREFIX, description="Live state, lists of speakers, live actions")
BEARER = [{"bearer": []}]


@blp.route("/events/<slug>/live")
@blp.response(200, schemas.LiveSchema)
def live_state(slug: str):
    """Now, next and how late, per channel: what the public live page and live.json show."""
    event = core.readable_event(slug)
    now = request_now()
    data = floor.annotate_live(event, live.live_status(event, now=now), now=now)
    data["live_version"] = live.event_live_version(event)
    return core.answer(data)


@blp.route("/events/<slug>/sessions/<int:session_id>/list-of-speakers")
@blp.response(200, schemas.ListOfSpeakersSchema)
def list_of_speakers_read(slug: str, session_id: int):
    """A published session's list of speakers: inscribed delegations in calling order, and their status."""
    event = core.readable_event(slug)
    item = publication.public_agenda(event).session(session_id)
    speakers_list = floor.load_list(session_id) if item is not None else None
    if speakers_list is None:
        raise core.not_found(f"Session {session_id} of {slug} has no published list of speakers.")
    body = list_of_speakers.as_json(
        speakers_list, title=item.title, now=request_now(),
        session_url=url_for("public.session_page", slug=event.slug, session_id=item.id, _external=True),
        statement_url=lambda sid: url_for("floor.statement_file", slug=event.slug, statement_id=sid, _external=True))
    return core.answer(json.loads(body))


# --- Moderators: the console's running order and its actions ------------------------------------------------

class RundownArgs(Schema):
    channel = fields.String(validate=validate.Length(max=80),
                            metadata={"description": "a channel's slug; none: sessions without a channel"})
    day = fields.Date(metadata={"description": "a day of the event (default: today, or its first day)"})


class RundownItem(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    is_fixed = fields.Boolean(required=True)
    planned_starts_at = schemas.instant(required=True)
    expected_starts_at = schemas.nullable(schemas.instant, required=True)
    expected_starts_at_local = schemas.nullable(fields.String, required=True)
    expected_ends_at = schemas.nullable(schemas.instant, required=True)
    delay_minutes = fields.Integer(required=True)
    version = fields.Integer(required=True)


class RundownSchema(Schema):
    channel = schemas.nullable(fields.String, required=True)
    day = fields.Date(required=True)
    live_version = fields.Integer(required=True, metadata={
        "description": "this channel's live-state version: send it with an action on this channel"})
    late_by_minutes = fields.Integer(required=True)
    live_session_id = schemas.nullable(fields.Integer, required=True)
    next_session_id = schemas.nullable(fields.Integer, required=True)
    items = fields.List(fields.Nested(RundownItem), required=True)


class LiveActionArgs(schemas.Strict):
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS), metadata={
        "description": "start, end, next_speaker, delay, break, up, down, skip, cancel, reschedule, undo"})
    version = fields.Integer(required=True, validate=validate.Range(min=0, max=2**31 - 1),
                             metadata={"description": "live_version of the channel's rundown you acted on"})
    session_id = fields.Integer(**schemas.ID, metadata={"description": "the session (all but delay, reschedule, "
                                                                          "undo)"})
    channel = fields.String(validate=validate.Length(max=80), load_default="",
                            metadata={"description": "channel slug (delay, reschedule, undo; default: the "
                                                     "session's channel, else the first)"})
    day = fields.Date(metadata={"description": "day (delay, reschedule)"})
    minutes = fields.Integer(validate=validate.Range(min=0, max=240), load_default=0)
    confirmed = fields.Boolean(load_default=False, metadata={
        "description": "start a session planned for another day anyway (as the console's confirmation)"})


class LiveActionResult(Schema):
    summary = fields.String(required=True)
    live_version = fields.Integer(required=True)
    agenda_version = fields.Integer(required=True, metadata={"description": "rises when the plan changed"})
    rundown = fields.Nested(RundownSchema, required=True)


def _channel(event: Event, slug: str | None) -> Channel | None:
    if not slug:
        return event.channels[0] if event.channels else None
    if slug == "none":
        return None
    channel = db.session.scalar(select(Channel).filter_by(event_id=event.id, slug=slug))
    if channel is None:
        raise problems.validation([("channel", f"This event has no channel {slug}.")])
    return channel


def _day(event: Event, value: date | None, now) -> date:
    if value is None:
        today = now.astimezone(event.tz).date()
        return today if event.starts_on <= today <= event.ends_on else event.starts_on
    return value


def rundown_json(event: Event, rundown: live.Rundown) -> dict:
    tz = event.tz
    items = []
    for item in rundown.items:
        timing = rundown.timings.get(item.id)
        items.append({
            "id": item.id, "title": item.title, "kind": item.kind.value, "status": item.status.value,
            "is_fixed": item.is_fixed, "planned_starts_at": core.utc(item.starts_at),
            "expected_starts_at": core.utc(timing.starts_at) if timing else None,
            "expected_starts_at_local": core.local(timing.starts_at, tz) if timing else None,
            "expected_ends_at": core.utc(timing.ends_at) if timing else None,
            "delay_minutes": core.minutes(timing.starts_at - item.starts_at) if timing else 0,
            "version": item.version})
    return {"channel": rundown.channel.slug if rundown.channel else None, "day": rundown.day.isoformat(),
            "live_version": live.state_version(event, rundown.channel_id),
            "late_by_minutes": core.minutes(rundown.late_by),
            "live_session_id": rundown.live.id if rundown.live else None,
            "next_session_id": rundown.next.id if rundown.next else None, "items": items}


@blp.route("/events/<slug>/live/rundown")
@blp.doc(security=BEARER)
@blp.arguments(RundownArgs, location="query")
@blp.response(200, RundownSchema)
@core.guard(core.MODERATE)
def rundown(args, slug: str):
    """A channel's day as the moderators' console shows it: running order, expected times, the live version."""
    event = core.staff_event(slug, may=core.MODERATE)
    now = request_now()
    channel = _channel(event, args.get("channel"))
    data = live.load_rundown(event, channel.id if channel else None, _day(event, args.get("day"), now), now=now)
    return core.answer(rundown_json(event, data))


@blp.route("/events/<slug>/live/actions", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(LiveActionArgs)
@blp.response(200, LiveActionResult)
@core.guard(core.MODERATE)
def act(args, slug: str):
    """One console action (the same services, the same optimistic lock on the live version: a stale one is 409)."""
    from confman.web.programme import queue_programme_render

    event = core.staff_event(slug, may=core.MODERATE, write=True)
    now = request_now()
    item = None
    if args.get("session_id") is not None:
        item = core.owned(AgendaSession, args["session_id"], event, "session")
    channel = _channel(event, args["channel"] or (item.channel.slug if item and item.channel else ""))
    day = _day(event, args.get("day"), now)
    if args["action"] == "start" and item is not None and not args["confirmed"] and (
            item.starts_at.astimezone(event.tz).date() != now.astimezone(event.tz).date()):
        # As on the console: a start records a real start today, and every expected time after it follows.
        raise problems.conflict(f"Nothing was started: “{item.title}” is planned for "
                                f"{item.starts_at.astimezone(event.tz):%A %d %B %Y}, not today. Send "
                                "confirmed: true to start it anyway.")
    published = event.agenda_version
    common = {"actor": core.actor(), "now": now, "version": args["version"]}
    channel_id = channel.id if channel else None
    try:
        summary = _dispatch(args["action"], event, channel_id, day, item, args["minutes"], common)
    except (live.StaleState, StaleDataError):
        db.session.rollback()
        current = live.state_version(event, channel_id)
        raise core.Problem(409, "stale-version", "Another moderator acted first",
                           str(live.StaleState()), current_version=current,
                           changes=_since(event, channel_id, args["version"])) from None
    except live.LiveError as error:
        db.session.rollback()
        raise problems.conflict(f"Nothing was changed: {error}") from None
    if event.agenda_version != published:
        queue_programme_render(event, now=now, live=True)
    db.session.commit()
    rundown_now = live.load_rundown(event, channel_id, day, now=now)
    return core.answer({"summary": summary, "live_version": live.state_version(event, channel_id),
                        "agenda_version": event.agenda_version, "rundown": rundown_json(event, rundown_now)})


def _dispatch(action: str, event: Event, channel_id, day, item, minutes: int, common) -> str:
    if action == "delay":
        return live.announce_delay(event, channel_id, day, minutes, **common).summary
    if action == "reschedule":
        return live.reschedule(event, channel_id, day, **common).summary
    if action == "undo":
        return f"Undone: {live.undo_last(event, channel_id, **common).summary}"
    if item is None:
        raise problems.validation([("session_id", f"The action {action} needs a session.")])
    handlers = {"start": live.start_session, "end": live.end_session, "next_speaker": live.next_speaker,
                "skip": live.skip_session, "cancel": live.cancel_session}
    if action in handlers:
        return handlers[action](item, **common).summary
    if action == "break":
        return live.insert_break(item, minutes, **common).summary
    return live.move_session(item, -1 if action == "up" else 1, **common).summary


def _since(event: Event, channel_id: int | None, version: int) -> list[dict]:
    """The live actions on the channel after `version`: what the other moderator did."""
    from confman.models import LiveAction
    from confman.models.live import channel_key

    missed = min(10, max(0, live.state_version(event, channel_id) - version))
    actions = db.session.scalars(select(LiveAction).filter_by(event_id=event.id, channel_key=channel_key(channel_id))
                                 .order_by(LiveAction.id.desc()).limit(missed)).all() if missed else []
    return [{"at": core.utc(a.at), "action": a.kind, "summary": a.summary,
             "undone": a.undone_at is not None} for a in reversed(actions)]
