"""Public pages of the floor: a session's list of speakers (HTML, JSON, CSV) and the event's written statements.

The list is live data: its ETag is the published agenda version and the live-state version (which every change
to a list raises), so a poll of an unchanged list is a bodiless 304.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_login import current_user

from confman.exports import list_of_speakers
from confman.extensions import db
from confman.models import Event, Statement
from confman.services import floor, live, permissions
from confman.web.content import viewer_agenda
from confman.web.helpers import get_public_event_or_404, storage
from confman.web.live import request_now

bp = Blueprint("floor", __name__)


def _published_list(slug: str, session_id: int):
    event = get_public_event_or_404(slug)
    item = viewer_agenda(event).session(session_id)
    if item is None:
        abort(404)
    speakers_list = floor.load_list(session_id)
    if speakers_list is None:
        abort(404)
    return event, item, speakers_list


def _etag(event: Event, session_id: int, kind: str) -> str:
    return f"los-{kind}-{session_id}-{event.agenda_version}-{live.event_live_version(event)}-{request.host}"


def _statement_url(event: Event):
    return lambda statement_id: url_for("floor.statement_file", slug=event.slug, statement_id=statement_id,
                                        _external=True)


@bp.route("/events/<slug>/sessions/<int:session_id>/list-of-speakers")
def list_page(slug: str, session_id: int):
    event, item, speakers_list = _published_list(slug, session_id)
    now = request_now()
    mine = floor.delegations_of(current_user, event) if current_user.is_authenticated else []
    return render_template("floor/list.html", event=event, item=item, speakers_list=speakers_list,
                           order=floor.calling_order(speakers_list.inscriptions), now=now,
                           window_open=floor.is_window_open(speakers_list, now), may_inscribe=bool(mine),
                           is_public=floor.is_public, time_limit=floor.time_limit)


def _export(slug: str, session_id: int, kind: str, media_type: str, render):
    event, item, speakers_list = _published_list(slug, session_id)
    etag = _etag(event, session_id, kind)
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(render(event, item, speakers_list), content_type=media_type)
        response.headers["Content-Language"] = "en"
    response.set_etag(etag)
    return response


@bp.route("/events/<slug>/sessions/<int:session_id>/list-of-speakers.json")
def list_json(slug: str, session_id: int):
    def render(event, item, speakers_list):
        return list_of_speakers.as_json(
            speakers_list, title=item.title, now=request_now(), statement_url=_statement_url(event),
            session_url=url_for("public.session_page", slug=event.slug, session_id=item.id, _external=True))

    return _export(slug, session_id, "json", "application/json", render)


@bp.route("/events/<slug>/sessions/<int:session_id>/list-of-speakers.csv")
def list_csv(slug: str, session_id: int):
    response = _export(slug, session_id, "csv", "text/csv; charset=utf-8",
                       lambda event, item, speakers_list: list_of_speakers.as_csv(speakers_list))
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-session-{session_id}-speakers.csv"'
    return response


@bp.route("/events/<slug>/statements")
def statements_page(slug: str):
    """Statements made public; interpreters, moderators and organizers also see those not public yet."""
    event = get_public_event_or_404(slug)
    now = request_now()
    published = {s.id: s for s in viewer_agenda(event).sessions}
    staff = permissions.can_interpret(current_user, event)
    rows = []
    for statement in floor.event_statements(event):
        session_id = statement.inscription.session_id
        if session_id not in published or statement.withdrawn_at is not None:
            continue
        public = floor.is_public(statement, now)
        if public or staff:
            rows.append((published[session_id], statement, public))
    rows.sort(key=lambda row: (row[0].starts_at, row[1].inscription.inscribed_at, row[1].language))
    return render_template("floor/statements.html", event=event, rows=rows, staff=staff)


@bp.route("/events/<slug>/statements/<int:statement_id>")
def statement_file(slug: str, statement_id: int):
    event = get_public_event_or_404(slug)
    statement = db.session.get(Statement, statement_id)
    if statement is None or statement.event_id != event.id or not floor.may_read(current_user, statement,
                                                                                 request_now()):
        abort(404)  # a private statement does not exist for the public
    data = floor.read_statement(statement, storage())
    if data is None:
        current_app.logger.error("statement file missing", extra={"statement": statement.id})
        abort(404)
    response = Response(data, content_type=statement.content_type)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in statement.file_name) or "statement"
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    if not floor.is_public(statement, request_now()):  # an interpreter's or the delegation's copy, before delivery
        response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
