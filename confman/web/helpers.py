"""Loading events for a request and authorizing the current user *for that event*."""

from __future__ import annotations

from datetime import date
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from confman.cache import RenderCache
from confman.extensions import db
from confman.models import Event
from confman.services import permissions
from confman.site import MAX_ID
from confman.storage import FileStorage

MIN_YEAR, MAX_YEAR = 1900, 2999


def get_event_or_404(slug: str) -> Event:
    return db.one_or_404(select(Event).filter_by(slug=slug))


def get_public_event_or_404(slug: str) -> Event:
    """An event the current user may see: published or archived, or a draft for its own staff."""
    event = get_event_or_404(slug)
    if not permissions.can_view(current_user, event):
        abort(404)  # a draft does not exist for the public
    return event


def deny(event: Event):
    """403 for an event the user may know of; 404 for a draft they have no role in, as for an unknown slug, so
    draft slugs cannot be probed (issue 19, finding 10)."""
    abort(403 if event.is_public or permissions.can_interpret(current_user, event) else 404)


def get_organized_event_or_403(slug: str) -> Event:
    event = get_event_or_404(slug)
    if not permissions.can_organize(current_user, event):
        deny(event)
    return event


def get_moderated_event_or_403(slug: str) -> Event:
    event = get_event_or_404(slug)
    if not permissions.can_moderate(current_user, event):
        deny(event)
    return event


def event_permission_required(check):
    """Decorate a view taking `slug`: log in first, then require `check(user, event)`; pass `event=` to the view."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, slug: str, **kwargs):
            event = get_event_or_404(slug)
            if not check(current_user, event):
                deny(event)
            return view(*args, event=event, **kwargs)

        return wrapped

    return decorator


organizer_required = event_permission_required(permissions.can_organize)
moderator_required = event_permission_required(permissions.can_moderate)


def int_arg(name: str, *, default: int | None = None, minimum: int = 1) -> int | None:
    """A whole-number query parameter a database column can hold; anything else is a 400 with words."""
    value = request.args.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not minimum <= int(value) <= MAX_ID:
        abort(400, description=_("“%(name)s” must be a whole number from %(minimum)s up.", name=name, minimum=minimum))
    return int(value)


def day_arg(value: str | None) -> date | None:
    """`?day=YYYY-MM-DD`, in a range where adding a day or a time zone cannot overflow; else a 400 with words."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        abort(400, description=_("The day must be a date like 2021-10-25."))
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        abort(400, description=_("The day must be between the years %(first)s and %(last)s.", first=MIN_YEAR,
                                   last=MAX_YEAR))
    return day


def safe_next_url(default: str) -> str:
    """The `next` parameter when it points inside this site, else `default` (no open redirects)."""
    target = request.args.get("next") or request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return default


def storage() -> FileStorage:
    """The app's file storage (instance folder or object storage), as configured."""
    return current_app.extensions["confman.storage"]


def render_cache() -> RenderCache:
    """The cache for renderings: Redis when configured (shared by every app server), else the instance folder."""
    return current_app.extensions["confman.cache"]
