"""Who may keep a copy of a response, and for how long: the cache policy per URL (README, "Behind a CDN or a
caching proxy").

Public reads are the same for every anonymous visitor, so a shared cache (a CDN, nginx in front) may hold them
briefly and revalidate them with their ETag: thousands of delegates polling `live.json` then cost the origin a
few requests per second. Such a response must not depend on the visitor: it touches no session (no Set-Cookie, no
`Vary: Cookie`), carries no CSRF token and no flashed message. Anything else (a signed-in visitor, a form, a
personal feed, the manage, moderate, account and upload pages) is `private` and never shared.
"""

from __future__ import annotations

from flask import Flask, Response, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

# s-maxage is the shared cache's lifetime; max-age the browser's. stale-while-revalidate lets the cache answer at
# once while it fetches the next copy; stale-if-error keeps the agenda readable through an origin outage.
LIVE = "public, max-age=1, s-maxage=2, stale-while-revalidate=5, stale-if-error=60"
LIVE_PAGE = "public, max-age=0, s-maxage=2, stale-while-revalidate=5, stale-if-error=60"
PAGE = "public, max-age=0, s-maxage=30, stale-while-revalidate=30, stale-if-error=86400"
FEED = "public, max-age=60, s-maxage=60, stale-while-revalidate=60, stale-if-error=86400"
# A public statement may be withdrawn by the organizers: no copy outlives the origin's word for it.
STATEMENT = "public, max-age=0, s-maxage=30"
PRIVATE = "private, no-cache"

POLICIES = {
    "live.live_json": LIVE,
    "live.live_page": LIVE_PAGE,
    "public.index": PAGE,
    "public.event": PAGE,
    "public.agenda_page": PAGE,
    "public.session_page": PAGE,
    "public.speakers": PAGE,
    "public.speaker": PAGE,
    "exports.agenda_ics": FEED,
    "exports.schedule_json": FEED,
    "exports.schedule_xml": FEED,
    "exports.programme_page": FEED,
    "exports.programme_pdf_file": FEED,
    "exports.speaker_ics": FEED,
    "exports.session_ics": FEED,
    "feeds.changes_atom": FEED,
    # The chair calls the list during the session: as fresh as live.json.
    "floor.list_page": LIVE_PAGE,
    "floor.list_json": LIVE,
    "floor.list_csv": LIVE,
    "floor.statements_page": PAGE,
    "floor.statement_file": STATEMENT,
}


def policy_for(endpoint: str | None) -> str | None:
    return POLICIES.get(endpoint or "")


def _shareable(response: Response) -> bool:
    """The same bytes would go to every anonymous visitor: nothing in them or their headers is the visitor's."""
    if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
        return False
    if request.endpoint == "static":
        return True
    return (policy_for(request.endpoint) is not None
            and "private" not in (response.headers.get("Cache-Control") or "")
            and "csrf_token" not in g  # a rendered form carries the visitor's CSRF token
            and not session.modified
            and not current_user.is_authenticated)


def apply_policy(response: Response) -> Response:
    if _shareable(response):
        if request.endpoint != "static":  # static files: a year when fingerprinted (web/ops.py), else Flask's no-cache
            response.headers["Cache-Control"] = policy_for(request.endpoint)
        response.vary.discard("Cookie")
        g.shareable_response = True
    elif not any(word in (response.headers.get("Cache-Control") or "") for word in ("private", "no-store")):
        # Signed in, a form, a flashed message, an error: this copy is the visitor's own.
        response.headers["Cache-Control"] = PRIVATE
    return response


class PublicReadSessionInterface(SecureCookieSessionInterface):
    """Flask adds `Vary: Cookie` whenever a request merely read the session (Flask-Login does on every request):
    a shared response is not saved, so it stays one copy for everyone."""

    def open_session(self, app, request):
        # The API authenticates by bearer token only: a browser's session cookie is not even read there, so a
        # signed-in visitor's cookie cannot make a cross-site request to the API act as them.
        if request.path.startswith("/api/v1"):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response) -> None:
        if g.get("shareable_response") or request.path.startswith("/api/v1"):
            return
        super().save_session(app, session, response)


def setup(app: Flask) -> None:
    app.session_interface = PublicReadSessionInterface()
    app.after_request(apply_policy)
