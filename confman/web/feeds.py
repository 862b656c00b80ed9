"""Feeds a reader or calendar subscribes to: a delegate's personal calendar and the agenda's changelog."""

from __future__ import annotations

from flask import Blueprint, abort, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import load_only

from confman.exports import atom, ical
from confman.exports.programme_text import wording_for
from confman.extensions import db
from confman.models import AgendaVersion, Registration, RegistrationStatus, registration_session
from confman.services import floor
from confman.web.content import content_language, localized_event, viewer_agenda
from confman.web.exports import conditional_export, export_etag, session_url_for
from confman.web.helpers import get_public_event_or_404
from confman.web.i18n import supported
from confman.web.programme import programme_wording

bp = Blueprint("feeds", __name__)
_MAX_TOKEN = 64  # the column's length: anything longer is not a token


@bp.route("/calendar/<token>.ics")
def personal_calendar(token: str):
    """The sessions a delegate picked. An unknown or revoked token is a plain 404 that tells nothing more."""
    registration = None
    if 0 < len(token) <= _MAX_TOKEN:
        registration = db.session.scalar(select(Registration).where(Registration.calendar_token == token))
    if registration is None or not registration.event.is_public:
        abort(404)
    event = registration.event
    picked = sorted(db.session.scalars(
        select(registration_session.c.session_id).where(registration_session.c.registration_id == registration.id)
    ))
    approved = registration.status == RegistrationStatus.APPROVED
    # ?lang=, else the delegate's own language (their registration's, else their account's), else the event's.
    account = registration.user.interface_language if registration.user is not None else None
    interface = (supported(request.args.get("lang")) or supported(registration.language) or supported(account)
                 or supported(event.default_language) or "en")
    lang = content_language(event, preferred=registration.language or interface)
    etag = export_etag(event, "personal.ics", {"registration": registration.id, "token": token, "approved": approved,
                                               "sessions": ",".join(map(str, picked)), "content": lang},
                       language=interface)

    def produce() -> bytes:
        agenda = viewer_agenda(event, lang)
        chosen = set(picked)
        sessions = [s for s in agenda.sessions if s.id in chosen]
        # Meeting links are never public: only an approved delegate's own feed carries them.
        join = floor.meeting_links(event, sessions) if approved else {}
        return ical.personal_ical(localized_event(event, lang), sessions, session_url=session_url_for(event),
                                  join_link=join.get, words=wording_for(interface))

    return conditional_export(event, etag, produce, ical.MEDIA_TYPE, f"{event.slug}-my-sessions.ics", "attachment",
                              last_modified=max(event.updated_at, registration.updated_at), private=True,
                              language=interface)


@bp.route("/events/<slug>/changes.atom")
def changes_atom(slug: str):
    event = get_public_event_or_404(slug)

    def produce() -> bytes:
        versions = db.session.scalars(
            select(AgendaVersion).filter_by(event_id=event.id)
            .options(load_only(AgendaVersion.number, AgendaVersion.kind, AgendaVersion.published_at,
                               AgendaVersion.comment, AgendaVersion.changelog))
        ).all()
        lang = content_language(event)
        titles = {} if lang == event.default_language else {
            s.id: s.title for s in viewer_agenda(event).sessions if getattr(s.title, "lang", None) == lang}
        return atom.changes_atom(localized_event(event), versions,
                                 feed_url=url_for("feeds.changes_atom", slug=slug, _external=True),
                                 agenda_url=url_for("public.agenda_page", slug=slug, _external=True), titles=titles,
                                 words=programme_wording())

    return conditional_export(event, export_etag(event, "changes.atom", {}), produce, atom.MEDIA_TYPE, None, None)
