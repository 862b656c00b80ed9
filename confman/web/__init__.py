"""The web layer: blueprints, template filters and the helpers every view shares."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import nh3
from flask import Flask
from markdown_it import MarkdownIt
from markupsafe import Markup

from confman.timeutil import format_duration, utc_offset_label

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "code", "pre", "blockquote", "h3", "h4",
                 "table", "thead", "tbody", "tr", "th", "td", "hr"}


def render_markdown(text: str | None) -> Markup:
    """User Markdown to safe HTML: raw HTML is not rendered, and the result is sanitized again by nh3."""
    return _render_markdown(text or "")


@lru_cache(maxsize=4096)  # a published agenda renders the same descriptions on every request
def _render_markdown(text: str) -> Markup:
    html = _markdown.render(text)
    return Markup(nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                            link_rel="noopener noreferrer nofollow", url_schemes={"http", "https", "mailto"}))


def register_blueprints(app: Flask) -> None:
    from confman.web import (
        account,
        auth,
        caching,
        errors,
        feeds,
        i18n,
        jobs,
        manage,
        media,
        ops,
        public,
        registrations,
        video,
        wording,
    )
    from confman.web import exports as export_views
    from confman.web import floor as floor_views
    from confman.web.inscriptions import bp as inscriptions_bp
    from confman.web.live import bp as live_bp
    from confman.web.moderate import bp as moderate_bp

    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(manage.bp)
    app.register_blueprint(registrations.bp)
    app.register_blueprint(video.bp)
    app.register_blueprint(export_views.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(live_bp)
    app.register_blueprint(moderate_bp)
    app.register_blueprint(media.bp)
    app.register_blueprint(floor_views.bp)
    app.register_blueprint(inscriptions_bp)
    errors.register(app)
    from confman.web import content

    content.register(app)
    caching.setup(app)  # before ops: after-request handlers run in reverse, so the policy sees ops' headers
    ops.setup(app)
    i18n.setup(app)  # after caching: its headers (private for a session's choice) are in place before the policy
    jobs.start_inline_worker(app)
    wording.register(app)

    @app.template_filter("local")
    def local(instant: datetime | None, tz: ZoneInfo, fmt: str = "%H:%M") -> str:
        return "" if instant is None else instant.astimezone(tz).strftime(fmt)

    @app.template_filter("by_session_start")
    def by_session_start(participations) -> list:
        """Participations by their session's start, unscheduled sessions (no start yet) last."""
        def key(p):
            start = p.session.starts_at
            return (start is None, start.timestamp() if start else 0, p.session.id)

        return sorted(participations, key=key)

    @app.template_filter("offset")
    def offset(instant: datetime, tz: ZoneInfo) -> str:
        return utc_offset_label(instant, tz)

    @app.template_filter("minutes")
    def minutes(duration: timedelta | None) -> str:
        return "" if duration is None else format_duration(duration)

    @app.template_filter("clock")
    def clock(duration: timedelta | None) -> str:
        """'4:52' for video lengths and countdowns."""
        if duration is None:
            return ""
        seconds = int(duration.total_seconds())
        return f"{seconds // 60}:{seconds % 60:02d}"

    @app.template_filter("longdate")
    def longdate(value) -> str:
        return f"{value:%A} {value.day} {value:%B %Y}"

    app.jinja_env.filters["markdown"] = render_markdown
