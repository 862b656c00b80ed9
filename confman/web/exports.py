"""Downloads and subscriptions of the published agenda: iCalendar, frab schedules, the printable programme.

Thin: each view reads its options, answers a conditional request from the event row alone (ETag from the agenda
version and the options, Last-Modified from the event's last change), and only then renders an export.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from flask import Blueprint, Response, abort, request, url_for
from werkzeug.http import is_resource_modified

from confman import site
from confman.exports import EXPORTERS, ExportRequest, calendar_links, export_key, ical
from confman.models import Event
from confman.services import floor
from confman.services.publication import PublicAgenda
from confman.timeutil import zone_or_none
from confman.web.content import content_language, localized_event, viewer_agenda
from confman.web.helpers import day_arg, get_public_event_or_404, render_cache
from confman.web.i18n import current_language

bp = Blueprint("exports", __name__)


@bp.app_template_global()
def session_calendar_links(event: Event, item) -> calendar_links.CalendarLinks:
    return calendar_links.session_links(event, item, url=session_url_for(event)(item.id),
                                        words=programme_views.programme_wording())


@bp.app_template_filter("webcal")
def webcal(url: str) -> str:
    return calendar_links.webcal(url)


@bp.route("/events/<slug>/agenda.ics")
def agenda_ics(slug: str):
    return _export(slug, "agenda.ics")


@bp.route("/events/<slug>/schedule.json")
def schedule_json(slug: str):
    return _export(slug, "schedule.json")


@bp.route("/events/<slug>/schedule.xml")
def schedule_xml(slug: str):
    return _export(slug, "schedule.xml")


@bp.route("/events/<slug>/sessions/<int:session_id>.ics")
def session_ics(slug: str, session_id: int):
    event = get_public_event_or_404(slug)

    def produce() -> bytes:
        item = viewer_agenda(event).session(session_id)
        if item is None:
            abort(404)
        return ical.session_ical(event, item, session_url=session_url_for(event),
                                 words=programme_views.programme_wording())

    etag = export_etag(event, "session.ics", {"session": session_id})
    return conditional_export(event, etag, produce, ical.MEDIA_TYPE, f"{event.slug}-session-{session_id}.ics",
                              "attachment")


@bp.route("/events/<slug>/speakers/<int:speaker_id>.ics")
def speaker_ics(slug: str, speaker_id: int):
    event = get_public_event_or_404(slug)

    def produce() -> bytes:
        person = viewer_agenda(event).speakers.get(speaker_id)
        if person is None:
            abort(404)
        return ical.speaker_ical(localized_event(event), person, session_url=session_url_for(event),
                                 words=programme_views.programme_wording())

    etag = export_etag(event, "speaker.ics", {"speaker": speaker_id})
    return conditional_export(event, etag, produce, ical.MEDIA_TYPE, f"{event.slug}-speaker-{speaker_id}.ics",
                              "attachment")


def _export(slug: str, name: str):
    event = get_public_event_or_404(slug)
    exporter = EXPORTERS[name]

    def produce() -> bytes:
        return exporter.render(export_request(event, viewer_agenda(event)))

    return conditional_export(event, export_etag(event, name, raw_options()), produce, exporter.media_type,
                        export_filename(event, name), exporter.disposition)


def conditional_export(event: Event, etag: str, produce: Callable[[], bytes], media_type: str, filename: str | None,
                 disposition: str | None, *, last_modified: datetime | None = None, private: bool = False,
                 store: bool = True, language: str | None = None):
    """304 when the client's copy is current (without loading the agenda), else the rendered export, kept in the
    shared cache unless `private` or not `store` (bytes that are already there). `Content-Language` is
    `language`, by default the request's interface language (what the ETag names)."""
    last_modified = last_modified or event.updated_at
    if is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        body = produce() if private or not store else cached_rendering(event, etag, produce)
        response = Response(body, content_type=media_type)
        if filename:
            response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    else:
        response = Response(status=304)
    response.set_etag(etag)
    response.last_modified = last_modified
    response.headers["Content-Language"] = language or current_language()
    if private:  # a personal feed; the public exports get their shared-cache policy from web/caching.py
        response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Accept-Encoding")
    return response.make_conditional(request)


RENDER_TTL_SECONDS = 24 * 3600


def cached_rendering(event: Event, etag: str, produce: Callable[[], bytes]) -> bytes:
    """The rendering from the shared cache (Redis when configured), else `produce()` stored there.

    The ETag already names everything the bytes depend on (agenda version, event fields, options, host), so
    every app server computes the same key, and a new agenda version on any server is a new key everywhere.
    """
    return render_cache().get_or_render(rendering_key(event, etag), produce, ttl=RENDER_TTL_SECONDS)


def rendering_key(event: Event, etag: str, version: int | None = None) -> str:
    return f"export:{event.slug}:v{event.agenda_version if version is None else version}:{etag}"


def raw_options() -> dict[str, str]:
    return {k: request.args.get(k, "").strip() for k in ("theme", "day", "tz", "tag", "speaker")
            if request.args.get(k, "").strip()}


def export_etag(event: Event, name: str, options: dict, *, language: str | None = None) -> str:
    """Everything the bytes depend on: the published version, the event's own fields, options, our address, the
    interface language (`language`, by default the request's) and the content language (so the render cache and
    every client keep one copy of each)."""
    return export_key(name, event.id, event.agenda_version, event.updated_at.isoformat(),
                      sorted(options.items()), site.base_url(), language or current_language(),
                      content_language(event))


def export_request(event: Event, agenda: PublicAgenda) -> ExportRequest:
    """The options of the query string, checked: an unknown theme is 404, a malformed day or zone 400."""
    theme = day = tz = None
    if theme_slug := request.args.get("theme", "").strip():
        theme = agenda.theme(theme_slug)
        if theme is None:
            abort(404, description=f"This event has no theme “{theme_slug}”.")
    day = day_arg(request.args.get("day"))
    if tz_name := request.args.get("tz", "").strip():
        tz = zone_or_none(tz_name)
        if tz is None:
            abort(400, description=f"“{tz_name}” is not a time zone we know (try Europe/Amsterdam or UTC).")
    # The agenda page's topic and speaker filters too, so its calendar links subscribe to what it shows.
    tag = speaker = None
    if tag_slug := request.args.get("tag", "").strip():
        tag = agenda.tag(tag_slug)
        if tag is None:
            abort(404, description=f"This event has no topic “{tag_slug}”.")
    if speaker_arg := request.args.get("speaker", "").strip():
        if not speaker_arg.isdigit() or int(speaker_arg) > site.MAX_ID:
            abort(400, description="The speaker must be given by number.")
        speaker = agenda.speakers.get(int(speaker_arg))
        if speaker is None:
            abort(404, description="This event has no such speaker.")
    return ExportRequest(
        event=localized_event(event), agenda=agenda, session_url=session_url_for(event), tag=tag, speaker=speaker,
        event_url=url_for("public.event", slug=event.slug, _external=True), theme=theme, day=day, tz=tz,
        wording=replace(programme_views.programme_wording(), content_default=event.default_language),
        paper=programme_views.paper(),
        self_url=site.base_url() + request.path, public_links=floor.public_links(event, agenda.sessions),
    )


def session_url_for(event: Event) -> Callable[[int], str]:
    # One url_for, then string work: a large agenda has hundreds of sessions.
    marker = 987654321
    template = url_for("public.session_page", slug=event.slug, session_id=marker, _external=True)
    head, _, tail = template.partition(str(marker))
    return lambda session_id: f"{head}{session_id}{tail}"


def export_filename(event: Event, name: str, *extra: str) -> str:
    stem, _dot, ext = name.rpartition(".")
    parts = [event.slug, stem, *raw_options().values(), *extra]
    return re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(parts)) + "." + ext


def co_host_names(event: Event) -> str:
    return "|".join(h.organization.name for h in event.co_hosts)


from confman.web import programme as programme_views  # noqa: E402  (its views use the helpers above)
