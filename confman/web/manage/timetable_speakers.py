"""Speakers in bulk from the timetable editor: search the event's speakers as you type, add several (or create
them) in one request, and set the speaking order. The same services as the session page's speaker forms."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from confman import plaintext
from confman.extensions import db
from confman.models import AgendaSession, Event, ParticipationRole, Speaker
from confman.services import agenda, speakers
from confman.timeutil import utcnow
from confman.web.helpers import organizer_required
from confman.web.manage import bp
from confman.web.manage.common import actor, owned_or_404
from confman.web.manage.timetable_editor import problems_of_event

MAX_RESULTS = 20


def _speaker_json(speaker: Speaker) -> dict:
    return {"id": speaker.id, "name": speaker.full_name, "title": speaker.title}


def _session_speakers(event: Event, item: AgendaSession) -> dict:
    order = agenda.speaking_order(item)
    return {"session_id": item.id, "speakers": [{**_speaker_json(p.speaker), "role": p.role.value} for p in order],
            "names": [p.speaker.full_name for p in order], "problems": problems_of_event(event)}


@bp.route("/events/<slug>/timetable/speakers.json", endpoint="timetable_speakers")
@organizer_required
def timetable_speakers(event: Event):
    """The event's speakers whose name, title or honorific contains `q` (case-insensitive), by name."""
    query = (request.args.get("q") or "").strip()[:100]
    statement = select(Speaker).filter_by(event_id=event.id).order_by(Speaker.name).limit(MAX_RESULTS)
    if query:
        escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        statement = statement.where(or_(*(func.lower(column).like(like, escape="\\")
                                          for column in (Speaker.name, Speaker.title, Speaker.honorific))))
    return jsonify({"speakers": [_speaker_json(s) for s in db.session.scalars(statement)]})


@bp.route("/events/<slug>/timetable/sessions/<int:session_id>/speakers", methods=["GET", "POST"],
          endpoint="timetable_session_speakers")
@organizer_required
def timetable_session_speakers(event: Event, session_id: int):
    """GET: the session's speakers in speaking order. POST {"add": [speaker ids], "create": [{"honorific",
    "name", "title"}]}: all of them join the session as speakers, or none does."""
    item = owned_or_404(AgendaSession, session_id, event)
    if request.method == "GET":
        return jsonify(_session_speakers(event, item))
    body = request.get_json(silent=True) or {}
    add, create = body.get("add") or [], body.get("create") or []
    if not isinstance(add, list) or not isinstance(create, list) or not all(
            isinstance(x, int) and not isinstance(x, bool) for x in add) or not all(
            isinstance(x, dict) for x in create):
        return jsonify({"error": _("Send the speakers to add as a list of ids and a list of new speakers.")}), 400
    try:
        people = [owned_or_404(Speaker, speaker_id, event) for speaker_id in add]
        for new in create:
            values = {k: new.get(k) if isinstance(new.get(k), str) else "" for k in ("honorific", "name", "title")}
            if not all(plaintext.is_clean(v, multiline=False) for v in values.values()):
                raise speakers.InvalidSpeaker(_("Remove the line breaks and control characters from this field."))
            if len(values["name"]) > 200 or len(values["title"]) > 200 or len(values["honorific"]) > 40:
                raise speakers.InvalidSpeaker(_("A name or title is too long."))
            people.append(speakers.create_speaker(event, actor=actor(), now=utcnow(),
                                                  **{k: v.strip() for k, v in values.items()}))
        for speaker in people:
            speakers.add_participation(item, speaker, role=ParticipationRole.SPEAKER, time_limit=None,
                                       actor=actor(), now=utcnow())
    except (speakers.InvalidSpeaker, speakers.AlreadyParticipating, speakers.SpeakerOfAnotherEvent) as error:
        db.session.rollback()
        return jsonify({"error": str(error)}), 400
    db.session.commit()
    return jsonify(_session_speakers(event, item))


@bp.route("/events/<slug>/timetable/sessions/<int:session_id>/speaking-order", methods=["POST"],
          endpoint="timetable_speaking_order")
@organizer_required
def timetable_speaking_order(event: Event, session_id: int):
    """POST {"order": [speaker ids]}: the whole speaking order, set by hand."""
    item = owned_or_404(AgendaSession, session_id, event)
    order = (request.get_json(silent=True) or {}).get("order")
    if not isinstance(order, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in order):
        return jsonify({"error": _("Send the speaking order as a list of speaker ids.")}), 400
    try:
        speakers.set_speaking_order(item, order, actor=actor(), now=utcnow())
    except speakers.InvalidOrder as error:
        db.session.rollback()
        return jsonify({"error": str(error)}), 400
    db.session.commit()
    return jsonify(_session_speakers(event, item))
