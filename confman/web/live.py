"""The public live page and live.json: now / next / running late per channel, updating by itself.

`live.json` is polled by every screen, so an unchanged state costs at most one small query: its ETag is made of
the published agenda version, the moderators' live-state figure (the sum of the channels' versions: a few small
rows, so it changes with an action on any channel) and a 30-second clock bucket (so "now" moves on with time
even when nobody acts), all read in one SELECT; a matching If-None-Match gets 304 at once. Each
worker process remembers that row for LIVE_STATE_TTL_SECONDS (default 0.5 s: hundreds of screens then cost one
query per worker and half-second, and a moderator's action still shows within the ~2 s polling goal). A changed
state is computed once per worker process and ETag (single-flight: threads that miss together wait for one
computation), then served from memory; in front of it, a shared cache holds it for 2 s (web/caching.py).
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from datetime import datetime

from flask import Blueprint, Response, abort, current_app, render_template, request
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import Event, EventStatus, LiveState
from confman.services import floor, live
from confman.timeutil import utcnow, zone_or_none
from confman.web.content import content_language, page_language
from confman.web.helpers import get_public_event_or_404

bp = Blueprint("live", __name__)
BUCKET_SECONDS = 30
POLL_SECONDS = 2
FLIGHT_WAIT_SECONDS = 5  # a follower computes the body itself if the first computation takes longer (or failed)
_cache: OrderedDict[tuple[int, str], bytes] = OrderedDict()
_flights: dict[tuple[int, str], threading.Event] = {}
_cache_lock = threading.Lock()


def request_now() -> datetime:
    """The wall clock. Only a testing app may pin it (config TESTING_NOW: an aware datetime or a callable)."""
    if current_app.testing and (pinned := current_app.config.get("TESTING_NOW")) is not None:
        return pinned() if callable(pinned) else pinned
    return utcnow()


def _etag(agenda_version: int, live_version: int | None, now: datetime) -> str:
    return f"live-{agenda_version}-{live_version or 0}-{int(now.timestamp()) // BUCKET_SECONDS}"


def _state_row(slug: str):
    """(id, status, agenda_version, live figure) of the event, remembered briefly per worker process."""
    ttl = current_app.config.get("LIVE_STATE_TTL_SECONDS", 0.5)
    memo = current_app.extensions.setdefault("confman_live_state", {})
    hit = memo.get(slug)
    if hit is not None and time.monotonic() - hit[0] < ttl:
        return hit[1]
    # The event's live figure: the sum of its channels' versions, which rises with an action on any channel.
    version = (select(func.coalesce(func.sum(LiveState.version), 0)).where(LiveState.event_id == Event.id)
               .correlate(Event).scalar_subquery().label("version"))
    row = db.session.execute(
        select(Event.id, Event.status, Event.agenda_version, version, Event.languages, Event.default_language)
        .where(Event.slug == slug)
    ).one_or_none()
    if row is not None and ttl > 0:
        memo[slug] = (time.monotonic(), row)
    return row


@bp.route("/events/<slug>/live.json")
def live_json(slug: str):
    now = request_now()
    row = _state_row(slug)
    if row is None:
        abort(404)
    if row.status == EventStatus.DRAFT:
        get_public_event_or_404(slug)  # staff only; 404 for everyone else
    lang = _language(row)
    etag = _etag(row.agenda_version, row.version, now) + ("" if lang == row.default_language else f"-{lang}")
    headers = {"ETag": f'"{etag}"'}  # Cache-Control: web/caching.py
    if request.if_none_match.contains(etag):
        return Response(status=304, headers=headers)
    body = _body(row.id, etag, now, lang)
    return Response(body, mimetype="application/json", headers=headers)


def _language(row) -> str:
    """The content language of this request, from the remembered row (no query): as web.content decides it."""
    for code in (request.args.get("lang", "").strip().lower(), page_language()):
        if code and code in (row.languages or ()):
            return code
    return row.default_language


def _body(event_id: int, etag: str, now: datetime, lang: str) -> bytes:
    """The body for this ETag, computed once per process: the first thread to miss computes it, the others that
    miss meanwhile wait for it instead of computing the same thing (a poll storm right after a live action)."""
    key = (event_id, etag)
    with _cache_lock:
        if (body := _cache.get(key)) is not None:
            return body
        flight = _flights.get(key)
        leader = flight is None
        if leader:
            flight = _flights[key] = threading.Event()
    if not leader:
        flight.wait(timeout=FLIGHT_WAIT_SECONDS)
        with _cache_lock:
            if (body := _cache.get(key)) is not None:
                return body
    try:
        event = db.session.get(Event, event_id)
        data = floor.annotate_live(event, live.live_status(event, now=now, lang=lang), now=now)
        data["etag"] = etag
        data["poll_seconds"] = POLL_SECONDS
        body = json.dumps(data, separators=(",", ":")).encode()
        with _cache_lock:
            _cache[key] = body
            while len(_cache) > 64:
                _cache.popitem(last=False)
        return body
    finally:
        if leader:
            with _cache_lock:
                _flights.pop(key, None)
            flight.set()


@bp.route("/events/<slug>/live")
def live_page(slug: str):
    event = get_public_event_or_404(slug)
    now = request_now()
    tz_name = request.args.get("tz", "").strip()
    tz = zone_or_none(tz_name) or event.tz
    data = floor.annotate_live(event, live.live_status(event, now=now, lang=content_language(event)), now=now)
    return render_template("live/live.html", event=event, data=data, tz=tz, event_tz=event.tz,
                           chosen_tz=tz_name if zone_or_none(tz_name) else "", now=now,
                           parse=datetime.fromisoformat, poll_seconds=POLL_SECONDS)
