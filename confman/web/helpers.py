"""Loading events for a request and authorizing the current user *for that event*."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, request
from flask_login import current_user, login_required
from sqlalchemy import select

from confman.cache import RenderCache
from confman.extensions import db
from confman.models import Event
from confman.services import permissions
from confman.storage import FileStorage


def get_event_or_404(slug: str) -> Event:
    return db.one_or_404(select(Event).filter_by(slug=slug))


def get_public_event_or_404(slug: str) -> Event:
    """An event the current user may see: published or archived, or a draft for its own staff."""
    event = get_event_or_404(slug)
    if not permissions.can_view(current_user, event):
        abort(404)  # a draft does not exist for the public
    return event


def get_organized_event_or_403(slug: str) -> Event:
    event = get_event_or_404(slug)
    if not permissions.can_organize(current_user, event):
        abort(403)
    return event


def get_moderated_event_or_403(slug: str) -> Event:
    event = get_event_or_404(slug)
    if not permissions.can_moderate(current_user, event):
        abort(403)
    return event


def event_permission_required(check):
    """Decorate a view taking `slug`: log in first, then require `check(user, event)`; pass `event=` to the view."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, slug: str, **kwargs):
            event = get_event_or_404(slug)
            if not check(current_user, event):
                abort(403)
            return view(*args, event=event, **kwargs)

        return wrapped

    return decorator


organizer_required = event_permission_required(permissions.can_organize)
moderator_required = event_permission_required(permissions.can_moderate)


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
