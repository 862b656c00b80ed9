"""The timetable editor's JSON: a day's grid, "what if" checks of a placement, and placing or creating a session.

Every change is a normal organizer request: logged in, authorized for the event, CSRF token in the X-CSRFToken
header, and the session's `version` in the body, through the same services as the move and edit forms. The grid
keeps no rules of its own: conflicts come from the problems page's check (see services/timetable_editor.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _

from confman.extensions import db
from confman.models import AgendaSession, Event, SessionKind
from confman.services import agenda
from confman.services import timetable_editor as editor
from confman.timeutil import utcnow
from confman.web import wording
from confman.web.helpers import day_arg, organizer_required
from confman.web.manage import bp
from confman.web.manage.common import actor, agenda_report, owned_or_404


class BadPlacement(ValueError):
    """The request's body does not describe a placement; the message says what is wrong."""


def step_minutes() -> int:
    return int(current_app.config.get("TIMETABLE_STEP_MINUTES", 5))


def session_json(item, event: Event) -> dict:
    """What the grid knows of a session (an AgendaSession or a schedule row)."""
    return {
        "id": item.id, "title": item.title, "kind": item.kind.value, "kind_label": wording.label(item.kind),
        "starts_at": item.starts_at.isoformat() if item.starts_at is not None else None,
        "duration": int(item.duration.total_seconds() // 60), "channel_id": item.channel_id,
        "version": item.version, "fixed": bool(item.is_fixed), "cancelled": item.is_cancelled,
        "colour": item.theme.colour if item.theme else None,
        "speakers": [p.speaker.full_name for p in item.participations],
        "edit_url": url_for("manage.session_edit", slug=event.slug, session_id=item.id),
    }


def _problems(event: Event, schedule) -> list[dict]:
    return editor.report_json(agenda_report(event, [s for s in schedule if s.starts_at is not None]),
                              wording.problem_text)


def problems_of_event(event: Event) -> list[dict]:
    return _problems(event, agenda.load_schedule(event, unscheduled=True))


@bp.route("/events/<slug>/timetable/day.json", endpoint="timetable_day")
@organizer_required
def timetable_day(event: Event):
    day = day_arg(request.args.get("day")) or event.starts_on
    schedule = agenda.load_schedule(event, unscheduled=True)
    shown = editor.sessions_of_day(schedule, day, event.tz)
    start, end = editor.day_window(day, event.tz, shown)
    return jsonify({
        "day": day.isoformat(), "timezone": event.timezone, "step": step_minutes(),
        "window": {"start": start.isoformat(), "end": end.isoformat()},
        "channels": [{"id": c.id, "name": c.name} for c in event.channels],
        "sessions": [session_json(s, event) for s in shown],
        "unscheduled": [session_json(s, event) for s in schedule if s.starts_at is None],
        "problems": _problems(event, schedule),
    })


@bp.route("/events/<slug>/timetable/check", methods=["POST"], endpoint="timetable_check")
@organizer_required
def timetable_check(event: Event):
    """The problems of the agenda as it would be with one session placed as proposed. Changes nothing."""
    body = request.get_json(silent=True) or {}
    schedule = agenda.load_schedule(event, unscheduled=True)
    try:
        session_id = _int(body.get("session_id"), "session_id")
        starts_at, duration, channel_id = _placement(body, event, unscheduled=True)
        proposed = editor.propose(schedule, session_id, starts_at=starts_at, duration=duration,
                                  channel_id=channel_id, channels={c.id: c for c in event.channels})
    except BadPlacement as error:
        return jsonify({"error": str(error)}), 400
    except StopIteration:
        return jsonify({"error": _("No such session in this event.")}), 404
    return jsonify({"problems": _problems(event, proposed)})


@bp.route("/events/<slug>/timetable/sessions/<int:session_id>", methods=["POST"], endpoint="timetable_place")
@organizer_required
def timetable_place(event: Event, session_id: int):
    """Move and/or resize a session, or take it off the grid (`starts_at` null: unscheduled). 409 with both values
    when the session changed since `version`."""
    item = owned_or_404(AgendaSession, session_id, event)
    body = request.get_json(silent=True) or {}
    try:
        version = _int(body.get("version"), "version")
        starts_at, duration, channel_id = _placement(body, event, unscheduled=True)
    except BadPlacement as error:
        return jsonify({"error": str(error)}), 400
    if item.is_fixed and item.starts_at is not None and starts_at != item.starts_at and not body.get("unlocked"):
        return jsonify({"error": _("“%(title)s” has a fixed start. Unlock it to move it.", title=item.title)}), 409
    mine = {"starts_at": starts_at.isoformat() if starts_at else None, "duration": int(duration.total_seconds() // 60),
            "channel_id": channel_id}
    action = "session.moved" if duration == item.duration else "session.updated"
    try:
        changed = agenda.update_session(item, actor=actor(), now=utcnow(), expected_version=version, action=action,
                                        starts_at=starts_at, duration=duration, channel_id=channel_id)
    except agenda.EditConflict as error:
        db.session.rollback()
        item = owned_or_404(AgendaSession, error.item_id, event)
        return jsonify({
            "conflict": True, "message": str(error), "mine": mine, "theirs": session_json(item, event),
            "changes": [{"summary": e.summary, "by": e.actor.display_name if e.actor else None}
                        for e in agenda.changes_since(item, error.expected_version)],
        }), 409
    except agenda.InvalidSession as error:
        db.session.rollback()
        return jsonify({"error": str(error)}), 400
    db.session.commit()
    return _saved(event, item, changed=bool(changed))


@bp.route("/events/<slug>/timetable/sessions", methods=["POST"], endpoint="timetable_create")
@organizer_required
def timetable_create(event: Event):
    """A new session from the short form the grid opens over a dragged stretch."""
    body = request.get_json(silent=True) or {}
    try:
        starts_at, duration, channel_id = _placement(body, event)
        kind = SessionKind(body.get("kind") or SessionKind.PLENARY.value)
    except BadPlacement as error:
        return jsonify({"error": str(error)}), 400
    except ValueError:
        return jsonify({"error": _("Choose a kind of session from the list.")}), 400
    title = body.get("title")
    if not isinstance(title, str) or len(title) > 200:
        return jsonify({"error": _("A session needs a title of at most 200 characters.")}), 400
    try:
        item = agenda.create_session(event, actor=actor(), now=utcnow(), title=title.strip(), kind=kind,
                                     starts_at=starts_at, duration=duration, channel_id=channel_id)
    except agenda.InvalidSession as error:
        db.session.rollback()
        return jsonify({"error": str(error)}), 400
    db.session.commit()
    return _saved(event, item, changed=True, status=201)


def _saved(event: Event, item: AgendaSession, *, changed: bool, status: int = 200):
    schedule = agenda.load_schedule(event, unscheduled=True)
    row = next(s for s in schedule if s.id == item.id)
    return jsonify({"session": session_json(row, event), "changed": changed,
                    "problems": _problems(event, schedule)}), status


def _int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadPlacement(_("“%(name)s” must be a whole number.", name=name))
    return value


def _placement(body: dict, event: Event, *, unscheduled: bool = False) -> tuple[datetime | None, timedelta,
                                                                               int | None]:
    """starts_at (ISO 8601 with its offset; null for unscheduled, where allowed), duration (minutes, 1–1440) and
    channel_id (one of the event's, or null) from a request body."""
    raw = body.get("starts_at")
    if raw is None and unscheduled and "starts_at" in body:
        return None, _duration(body), _channel(body, event)
    try:
        starts_at = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        starts_at = None
    if starts_at is None or starts_at.tzinfo is None:
        raise BadPlacement(_("The start must be a date and time with its UTC offset."))
    return starts_at.astimezone(UTC), _duration(body), _channel(body, event)


def _duration(body: dict) -> timedelta:
    minutes = _int(body.get("duration"), "duration")
    if not 1 <= minutes <= 1440:
        raise BadPlacement(_("The duration must be between 1 and 1440 minutes."))
    return timedelta(minutes=minutes)


def _channel(body: dict, event: Event) -> int | None:
    channel_id = body.get("channel_id")
    if channel_id is not None and channel_id not in {c.id for c in event.channels}:
        raise BadPlacement(_("Choose one of the event's channels."))
    return channel_id
