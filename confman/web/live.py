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

from babel import Locale
from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import Event, EventStatus, LiveState, SessionKind
from confman.services import floor, live
from confman.timeutil import utcnow, zone_or_none
from confman.web.content import content_language, page_language
from confman.web.helpers import get_public_event_or_404
from confman.web.wording import label

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


def plural_forms(singular: str, plural: str) -> dict[str, str]:
    """A counted message for the page's script, by CLDR plural category ("one", "other"; Arabic has six):
    the catalogue's form for a number of each category, its %(num)d left for the script (Intl.PluralRules)."""
    rule = (get_locale() or Locale("en")).plural_form
    samples: dict[str, int] = {}
    for n in range(200):
        samples.setdefault(rule(n), n)
    translations = get_translations()
    return {category: translations.ungettext(singular, plural, n) for category, n in samples.items()}


def live_labels() -> dict:
    """Every word the live page's script writes, in the page's language (static/js/live.js fills %(name)s)."""
    return {
        "now_speaking": _("Now speaking:"), "next_on_list": _("Next on the list of speakers:"),
        "livestream": _("Watch the livestream"), "recording": _("Recording"),
        "event_time": _("(%(time)s event time)"), "late_planned": _("%(num)s min late, planned %(time)s"),
        "late": _("%(num)s min late"), "fixed": _("fixed start"), "speaking_now": _("Speaking now:"),
        "video_from": _("Video message from"), "on_time": _("On time"),
        "running_late": plural_forms("Running %(num)d minute late", "Running %(num)d minutes late"),
        "now": _("Now"), "next": _("Next"), "later": _("Later today"), "short_break": _("Short break"),
        "until": _("until %(time)s"), "nothing_now": _("Nothing is on right now."),
        "nothing_more": _("Nothing more is scheduled."),
        "summary_now": _("%(channel)s: now %(title)s."), "summary_break": _("%(channel)s: short break until %(time)s."),
        "summary_nothing": _("%(channel)s: nothing on now."), "summary_speaking": _("%(name)s is speaking."),
        "summary_next": _("Next %(title)s at %(time)s."),
        "zone": _("Times are in <strong>%(zone)s</strong>."),
        "zone_device": _("Times are in <strong>%(zone)s</strong> (your device's time zone)."),
        "zone_other": _("Times are in <strong>%(zone)s</strong>; the event's own time zone is %(event_zone)s, "
                        "shown beside."),
        "zone_device_other": _("Times are in <strong>%(zone)s</strong> (your device's time zone); the event's own "
                               "time zone is %(event_zone)s, shown beside."),
        "last_update": _("Last update %(time)s"), "connection_lost": _("Connection lost; retrying…"),
        "kinds": {kind.value: label(kind) for kind in SessionKind},
    }


@bp.route("/events/<slug>/live")
def live_page(slug: str):
    event = get_public_event_or_404(slug)
    now = request_now()
    tz_name = request.args.get("tz", "").strip()
    tz = zone_or_none(tz_name) or event.tz
    data = floor.annotate_live(event, live.live_status(event, now=now, lang=content_language(event)), now=now)
    return render_template("live/live.html", event=event, data=data, tz=tz, event_tz=event.tz,
                           chosen_tz=tz_name if zone_or_none(tz_name) else "", now=now,
                           parse=datetime.fromisoformat, poll_seconds=POLL_SECONDS, labels=live_labels())
