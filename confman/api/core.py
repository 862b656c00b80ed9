"""What every API view shares: the bearer token and what it may do, JSON answers with ETags, cursors, errors.

Authentication is by personal token only (`Authorization: Bearer cm_…`). The API never reads the session cookie
(see `confman.web.caching`), so a browser that is signed in gives a page on another site no way to act through
the API: there is nothing for CSRF to ride on, and the API blueprints are exempt from the form CSRF check.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, current_app, g, request
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from confman.extensions import db
from confman.models import ApiToken, Event, TokenScope
from confman.services import api_tokens, permissions
from confman.timeutil import utcnow

PREFIX = "/api/v1"
MAX_LIMIT = 200
DEFAULT_LIMIT = 50


class Problem(HTTPException):
    """An RFC 9457 problem: `kind` names the problem type (documented on the reference page), `extra` are its
    extension members."""

    def __init__(self, status: int, kind: str, title: str, detail: str = "", headers: dict | None = None, **extra):
        super().__init__(description=detail or title)
        self.code = status
        self.kind, self.title, self.detail, self.extra, self.headers = kind, title, detail, extra, headers or {}


# --- JSON shapes -------------------------------------------------------------------------------------------------

def utc(instant: datetime | None) -> str | None:
    """RFC 3339 in UTC with a Z: the instant itself."""
    return None if instant is None else instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local(instant: datetime | None, tz: ZoneInfo) -> str | None:
    """The same instant on the event's wall clock, with its offset: what a programme shows."""
    return None if instant is None else instant.astimezone(tz).isoformat()


def instants(name: str, instant: datetime | None, tz: ZoneInfo) -> dict[str, str | None]:
    return {name: utc(instant), f"{name}_local": local(instant, tz)}


def minutes(duration) -> int | None:
    return None if duration is None else int(duration.total_seconds() // 60)


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode()


def answer(data: Any = None, *, status: int = 200, body: bytes | None = None, etag: str | None = None,
           headers: dict | None = None) -> Response:
    """A JSON answer. GETs get an ETag (given, or the body's hash) and a 304 when If-None-Match matches it."""
    if status == 204:
        return Response(status=204, headers=headers or {})
    body = json_bytes(data) if body is None else body
    response = Response(body, status=status, mimetype="application/json", headers=headers or {})
    if request.method in ("GET", "HEAD") and status == 200:
        response.set_etag(etag or hashlib.sha256(body).hexdigest()[:32])
        response.make_conditional(request)
    response.vary.add("Authorization")
    return response


# --- The token and what it allows -------------------------------------------------------------------------------

def authenticate_request() -> None:
    """Before every API request: the token named by `Authorization`, if any; a malformed or unknown one is a 401
    at once rather than a silent anonymous read."""
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is None:
        check_guard()  # a guarded view without a token: 401 before its body is read
        return
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise unauthorized("Send the token as “Authorization: Bearer <token>”.")
    token = api_tokens.authenticate(value.strip(), now=utcnow())
    if token is None:
        raise unauthorized("This token is unknown, revoked, or its owner no longer has a role on its event.")
    g.api_token = token
    check_guard()


def guard(may: Callable):
    """Mark a view as needing a token of its event whose owner passes `may` (writes: with the write scope).
    Checked before the request body is parsed, so a refused caller learns nothing about the fields."""

    def mark(view):
        view.api_guard = may
        return view

    return mark


def check_guard() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    may = getattr(view, "api_guard", None)
    if may is not None and request.view_args and "slug" in request.view_args:
        staff_event(request.view_args["slug"], may=may, write=request.method not in ("GET", "HEAD"))


def unauthorized(detail: str) -> Problem:
    return Problem(401, "unauthorized", "A valid API token is needed", detail,
                   headers={"WWW-Authenticate": 'Bearer realm="confman"'})


def current_token() -> ApiToken | None:
    return g.get("api_token")


def rate_limit_key() -> str:
    """Flask-Limiter counts per token; requests without one share their client address's allowance."""
    token = current_token()
    return f"token:{token.id}" if token is not None else f"address:{request.remote_addr}"


def _event_or_404(slug: str) -> Event:
    event = db.session.scalar(select(Event).filter_by(slug=slug))
    if event is None:
        raise not_found("There is no event with this slug.")
    return event


def not_found(detail: str = "Nothing is here.") -> Problem:
    return Problem(404, "not-found", "Not found", detail)


def readable_event(slug: str) -> Event:
    """A published or archived event, for anyone; a draft only with a token of that event (its staff)."""
    event = _event_or_404(slug)
    token = current_token()
    own = token is not None and token.event_id == event.id
    if event.is_public or (own and permissions.can_view(token.user, event)):
        return event
    raise not_found("There is no event with this slug.")


ORGANIZE, MODERATE = permissions.can_organize, permissions.can_moderate


def staff_event(slug: str, *, may: Callable = ORGANIZE, write: bool = False) -> Event:
    """The event, when the token is for it, its owner's role passes `may`, and (for writes) its scope is write.

    Without a token: 401. A token of another event: 403 if the event is public, 404 for a draft (as the web pages
    answer, so a draft's slug cannot be probed). The token's own event with too little: 403 naming what is missing.
    """
    token = current_token()
    if token is None:
        raise unauthorized("This needs an API token of the event (make one on your account page).")
    event = _event_or_404(slug)
    if token.event_id != event.id:
        if not event.is_public:
            raise not_found("There is no event with this slug.")
        raise Problem(403, "wrong-event", "This token is for another event",
                      f"The token “{token.name}” is for {token.event.slug}, not {event.slug}.")
    if not may(token.user, event):
        needed = "organizer" if may is ORGANIZE else "moderator"
        raise Problem(403, "forbidden", "Your role does not allow this", f"This needs the {needed} role on the event.")
    if write and token.scope != TokenScope.WRITE:
        raise Problem(403, "insufficient-scope", "This token may only read",
                      "Make a token with the write scope for changes.",
                      headers={"WWW-Authenticate": 'Bearer realm="confman", error="insufficient_scope", scope="write"'})
    return event


def actor():
    return current_token().user


def owned(model, object_id: int, event: Event, what: str):
    """An object of `event` by id: another event's object is as absent as a missing one."""
    obj = db.session.get(model, object_id)
    if obj is None or getattr(obj, "event_id", None) != event.id:
        raise not_found(f"This event has no {what} {object_id}.")
    return obj


# --- Cursors -----------------------------------------------------------------------------------------------------

def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"p{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The position a cursor stands for; 0 for none. A cursor is opaque: a made-up one is a 400."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if text.startswith("p") and text[1:].isdigit() and len(text) < 12:
            return int(text[1:])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise Problem(400, "bad-cursor", "This cursor is not one the API gave out",
                  "Start again without a cursor, then follow next_cursor.")


def page_of(items: list, args: dict, shape: Callable[[Any], dict]) -> dict:
    """One page of an ordered list, from `cursor` (an offset in it) for `limit` items, with the next cursor."""
    start = decode_cursor(args.get("cursor"))
    limit = args.get("limit") or DEFAULT_LIMIT
    chosen = items[start:start + limit]
    more = start + limit < len(items)
    return {"items": [shape(x) for x in chosen], "next_cursor": encode_cursor(start + limit) if more else None,
            "total": len(items)}


def api_url(path: str) -> str:
    """An absolute link into the API, from CONFMAN_BASE_URL (never from the request's Host)."""
    return f"{current_app.config['BASE_URL']}{PREFIX}{path}"
