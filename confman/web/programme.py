"""The printable programme (HTML page and PDF), and keeping the PDF rendered through a live day.

Publishing and every live amendment queue one coalesced render job per event (`jobs.coalesce`): a burst of
amendments within PROGRAMME_RENDER_DELAY_SECONDS of its first makes a single render, of whatever is live when
the job runs. Until then, while that job is due, a request for the PDF gets the last rendering made (with its
own ETag) instead of typesetting every intermediate version; so the PDF served is never older than the live
agenda by more than the delay plus the render time (RENDER_GRACE bounds the wait for a late or dead worker).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from flask import abort, current_app, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _

from confman import site
from confman.exports import EXPORTERS, export_key, programme, programme_pdf
from confman.exports.programme_text import Wording, programme_text, wording_for
from confman.extensions import db
from confman.models import Event
from confman.services import jobs
from confman.web.content import viewer_agenda
from confman.web.exports import (
    RENDER_TTL_SECONDS,
    bp,
    co_host_names,
    conditional_export,
    export_etag,
    export_filename,
    export_request,
    raw_options,
    rendering_key,
)
from confman.web.helpers import get_public_event_or_404, render_cache
from confman.web.i18n import current_language, supported
from confman.web.live import request_now

RENDER_JOB = "programme.render"
RENDER_GRACE = timedelta(seconds=30)  # past its due time plus this, a waiting render no longer excuses a stale PDF


@bp.route("/events/<slug>/programme")
def programme_page(slug: str):
    event = get_public_event_or_404(slug)
    options = {**raw_options(), "co_hosts": co_host_names(event), "lang": programme_wording().lang}

    def produce() -> bytes:
        data = programme.build_programme(export_request(event, viewer_agenda(event)))
        words = replace(programme_wording(), content_default=event.default_language)
        return render_template("exports/programme.html", doc=programme_text(data, words),
                               event=event).encode()

    return conditional_export(event, export_etag(event, "programme", options), produce,
                              "text/html; charset=utf-8", None, None)


@bp.route("/events/<slug>/programme.pdf")
def programme_pdf_file(slug: str):
    event = get_public_event_or_404(slug)
    etag, produce = _programme_pdf(event)
    store = True
    if (last := _last_rendering_while_due(event, etag)) is not None:
        etag, body = last
        produce, store = (lambda: body), False
    extra = [] if paper() == "a4" else [paper()]
    return conditional_export(event, etag, produce, EXPORTERS["programme.pdf"].media_type,
                              export_filename(event, "programme.pdf", *extra), "inline", store=store)


def _options(event: Event) -> dict:
    return {**raw_options(), "paper": paper(), "co_hosts": co_host_names(event), "lang": programme_wording().lang}


def _programme_pdf(event: Event) -> tuple[str, Callable[[], bytes]]:
    """The ETag of the programme PDF the current request asks for, and how to render it (which also records it
    as the last rendering of these options)."""
    exporter = EXPORTERS["programme.pdf"]
    etag = export_etag(event, exporter.name, _options(event))
    version = event.agenda_version

    def produce() -> bytes:
        body = exporter.render(export_request(event, viewer_agenda(event)))
        render_cache().set(_last_key(event), f"{version}:{etag}".encode(), ttl=RENDER_TTL_SECONDS)
        return body

    return etag, produce


def _last_key(event: Event) -> str:
    """Where the version and ETag of the last PDF rendered with these options (of any version) are kept."""
    options = export_key(event.id, sorted(_options(event).items()), site.base_url(), current_language())
    return f"export:{event.slug}:programme.pdf:last:{options}"


def _last_rendering_while_due(event: Event, etag: str) -> tuple[str, bytes] | None:
    """(ETag, bytes) of the last rendering, when the current version is not rendered yet and its render job is
    waiting and due within the grace period. None otherwise: then the current version is served (rendered now
    if need be)."""
    waiting = jobs.waiting_job(render_job_key(event))
    if waiting is None or waiting.run_after + RENDER_GRACE < request_now():
        return None
    cache = render_cache()
    if cache.get(rendering_key(event, etag)) is not None:
        return None
    last = cache.get(_last_key(event))
    if last is None:
        return None
    version, _sep, last_etag = last.decode().partition(":")
    body = cache.get(rendering_key(event, last_etag, version=int(version)))
    return None if body is None else (last_etag, body)


def render_job_key(event: Event) -> str:
    return f"{RENDER_JOB}:{event.id}"


def queue_programme_render(event: Event, *, now: datetime, live: bool) -> None:
    """After a publication (at once) or a live amendment (after PROGRAMME_RENDER_DELAY_SECONDS, so a burst of
    amendments renders once): render the full programme PDF in the background, so no delegate waits for it.
    """
    delay = timedelta(seconds=float(current_app.config["PROGRAMME_RENDER_DELAY_SECONDS"])) if live else timedelta()
    jobs.coalesce(RENDER_JOB, {"event_id": event.id}, key=render_job_key(event),
                  now=now, delay=delay)


@jobs.handler(RENDER_JOB, coalescing=True)
def _render_programme(payload: dict, now: datetime) -> None:
    """The plain programme in each of the event's languages that has an interface catalogue (its default first),
    each as a request for it at the configured address would key it (the ETag names the language)."""
    event = db.session.get(Event, payload["event_id"])
    if event is None or not event.is_public:
        return
    codes = [code for code in dict.fromkeys([event.default_language, *(event.languages or ())]) if supported(code)]
    for code in codes or ["en"]:
        # force_locale: the worker's app context outlives each request context, and Flask-Babel keeps a locale in it.
        with current_app.test_request_context(f"/?lang={code}", base_url=site.base_url()), force_locale(code):
            etag, produce = _programme_pdf(event)
            render_cache().get_or_render(rendering_key(event, etag), produce, ttl=RENDER_TTL_SECONDS)


def paper() -> str:
    """?paper=a4 (the default) or letter; anything else is 400."""
    chosen = request.args.get("paper", "").strip().lower() or "a4"
    if chosen not in programme_pdf.PAPERS:
        abort(400, description=_("The paper must be a4 or letter."))
    return chosen


def programme_wording() -> Wording:
    """The programme's words in the request's language: its catalogue, and Babel's weekday and month names."""
    return wording_for(current_language())
