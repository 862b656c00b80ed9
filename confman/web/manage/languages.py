"""Organizer pages: the event's content languages and interpretation defaults, and translating texts in forms."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from confman import languages
from confman.extensions import db
from confman.forms.languages import LanguagesForm, fill_translations, read_translations, with_translations
from confman.models import Event
from confman.services import interpretation
from confman.services import languages as content
from confman.timeutil import utcnow
from confman.web.helpers import organizer_required
from confman.web.manage import bp
from confman.web.manage.common import actor


def translated_form(form_class, event: Event, kind: str, /, *args, source=None, **kwargs):
    """`form_class(*args, **kwargs)` with an input per other language of the event, filled from `source` (the
    object being edited) on a first view."""
    form = with_translations(form_class, event, kind)(*args, **kwargs)
    if source is not None and not form.is_submitted():
        fill_translations(form, source, event, kind)
    return form


def save_translations(form, obj, event: Event, kind: str) -> bool:
    """Store what the form's translation inputs hold. Flushes; whether anything changed."""
    return content.set_translations(obj, event, kind, read_translations(form, event, kind))


def languages_error(error: content.InvalidLanguages) -> str:
    params = error.params
    return {
        "none": _("Declare at least one language."),
        "unknown": _("Not an ISO 639-1 language code: %(codes)s. Use two letters, like en, fr or ar.",
                     codes=params.get("codes", "")),
        "too_many": _("An event can have at most %(limit)s languages.", limit=params.get("limit")),
        "default_not_declared": _("The default language (%(code)s) must be one of the event's languages.",
                                  code=params.get("code", "")),
        "untranslated": _("%(count)s texts have no %(language)s translation yet: translate them before making "
                          "%(language)s the default language.", count=params.get("count"),
                          language=languages.name(str(params.get("code")), _ui_language())),
    }.get(error.code, error.code)


def _ui_language() -> str:
    return str(get_locale() or "en").split("_")[0]


@bp.route("/events/<slug>/languages", methods=["GET", "POST"])
@organizer_required
def event_languages(event: Event):
    form = LanguagesForm()
    if not form.is_submitted():
        form.languages.data = ", ".join(event.languages)
        form.default_language.data = event.default_language
        form.interpretation_languages.data = ", ".join(event.interpretation_languages or [])
        form.requires_interpretation.data = event.requires_interpretation
    elif form.validate_on_submit():
        try:
            changed = content.set_event_languages(
                event, languages.parse_codes(form.languages.data), form.default_language.data.lower(),
                actor=actor(), now=utcnow())
        except content.InvalidLanguages as error:
            db.session.rollback()
            form.languages.errors.append(languages_error(error))
        else:
            interpretation = languages.parse_codes(form.interpretation_languages.data or "")
            if (interpretation, form.requires_interpretation.data) != (
                    event.interpretation_languages, event.requires_interpretation):
                event.interpretation_languages = interpretation
                event.requires_interpretation = form.requires_interpretation.data
                changed = True
            db.session.commit()
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("manage.event_languages", slug=event.slug))
    missing = content.missing_translations(event)
    return render_template("manage/languages.html", event=event, form=form, missing=missing), \
        (400 if form.errors else 200)


@bp.route("/events/<slug>/interpretation")
@organizer_required
def interpretation_counts(event: Event):
    codes, rows = interpretation.demand(event)
    return render_template("manage/interpretation_counts.html", event=event, codes=codes, rows=rows, tz=event.tz)


@bp.route("/events/<slug>/interpretation.csv")
@organizer_required
def interpretation_csv(event: Event):
    body = interpretation.demand_csv(event, headings=[_("Session"), _("Starts (UTC)"), _("Heard in")])
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{event.slug}-interpretation.csv"'})
