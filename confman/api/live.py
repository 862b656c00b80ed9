"""The day itself: the live state (as live.json), a session's list of speakers, and (for moderators) the console's
actions on a channel's running order, through the same services as the console."""

from __future__ import annotations

import json

from flask import url_for
from flask_smorest import Blueprint

from confman.api import core, schemas
from confman.exports import list_of_speakers
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
    data["live_version"] = live.state_version(event)
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
