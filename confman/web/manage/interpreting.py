"""Interpreters' pages: their assignments per language and day (with the transcripts they may read), and a
calendar feed of them behind a signed, per-person address."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user, login_required
from itsdangerous import BadData, URLSafeSerializer

from confman import languages
from confman.exports import ical
from confman.exports.programme_text import wording_for
from confman.extensions import db
from confman.models import User
from confman.services import permissions, video
from confman.timeutil import utcnow
from confman.web.content import viewer_agenda
from confman.web.exports import conditional_export, export_etag, session_url_for
from confman.web.helpers import deny, get_event_or_404
from confman.web.i18n import supported
from confman.web.manage import bp

_SALT = "confman.interpreting-feed"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _assignments(event, lang: str):
    """The published sessions interpreted into `lang`, in start order."""
    return [s for s in viewer_agenda(event).sessions if lang in s.interpretation_languages]


def _languages(event) -> list[str]:
    found = dict.fromkeys(event.languages)
    for s in viewer_agenda(event).sessions:
        found.update(dict.fromkeys(s.interpretation_languages))
    return list(found)


@bp.route("/events/<slug>/interpreting")
@login_required
def interpreting(slug: str):
    event = get_event_or_404(slug)
    if not permissions.can_interpret(current_user, event):
        deny(event)
    codes = _languages(event)
    lang = request.args.get("into", "").strip().lower()
    lang = lang if lang in codes else (codes[1] if len(codes) > 1 else codes[0])
    now = utcnow()
    transcripts = {t.item.id: t for t in video.interpreter_transcripts(event, now)}
    days: dict = {}
    for item in _assignments(event, lang):
        days.setdefault(item.starts_at.astimezone(event.tz).date(), []).append(item)
    token = _serializer().dumps([current_user.id, event.id])
    feed = url_for("manage.interpreting_feed", slug=slug, lang=lang, token=token, _external=True)
    return render_template("manage/interpreting.html", event=event, codes=codes, lang=lang, days=days,
                           transcripts=transcripts, feed=feed, tz=event.tz, now=now)


@bp.route("/events/<slug>/interpreting/<lang>.ics")
def interpreting_feed(slug: str, lang: str):
    """An interpreter's assignments in `lang` as a calendar. The signed token names the person: it stops working
    when they are no longer an interpreter (or organizer, moderator) of the event."""
    event = get_event_or_404(slug)
    try:
        user_id, event_id = _serializer().loads(request.args.get("token", ""))
    except (BadData, ValueError, TypeError):
        abort(404)
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if event_id != event.id or user is None or not user.is_active or not permissions.can_interpret(user, event) \
            or not languages.is_known(lang):
        abort(404)

    # In the interpreter's own interface language (their account's), else the event's: a calendar app has no
    # session and sends no useful Accept-Language.
    interface = supported(user.interface_language) or supported(event.default_language) or "en"
    words = wording_for(interface)

    def produce() -> bytes:
        name = words.gettext("Interpreting into %(language)s: %(event)s", language=languages.name(lang, lang),
                             event=event.title)
        return ical.calendar(event, _assignments(event, lang), name=name, session_url=session_url_for(event),
                             words=words)

    etag = export_etag(event, "interpreting.ics", {"lang": lang, "user": user.id}, language=interface)
    return conditional_export(event, etag, produce, ical.MEDIA_TYPE, f"{event.slug}-interpreting-{lang}.ics",
                              "attachment", private=True, language=interface)
