"""The viewer's content language: which of an event's languages a public page, feed or export shows, and the
template helpers that mark text shown in another language (`lang=`, `dir="rtl"`) for screen readers and layout."""

from __future__ import annotations

from flask import Flask, g, has_request_context, request
from flask_babel import get_locale
from markupsafe import Markup, escape

from confman import languages
from confman.models import Event
from confman.services import languages as content
from confman.services import publication
from confman.services.publication import PublicAgenda


def page_language() -> str:
    """The interface language of this response (what `<html lang>` says)."""
    return str(get_locale() or "en").split("_")[0].lower()


def content_language(event: Event, preferred: str | None = None) -> str:
    """`?lang=` when the event has that language, else `preferred` (a delegate's registration language) when it
    has that, else the interface language when it does, else its default."""
    g.content_default = event.default_language
    wanted = request.args.get("lang", "").strip().lower() if has_request_context() else ""
    for code in (wanted, preferred, page_language()):
        if code and code in (event.languages or ()):
            return code
    return event.default_language


def viewer_agenda(event: Event, lang: str | None = None) -> PublicAgenda:
    """The event's published agenda in `lang`, by default the viewer's content language."""
    return publication.localized(publication.public_agenda(event), lang or content_language(event),
                                 event.default_language)


def localized_event(event: Event, lang: str | None = None):
    return content.localize_event(event, lang or content_language(event))


def _text_language(value) -> str | None:
    return getattr(value, "lang", None) or g.get("content_default")


def lang_attrs(value) -> Markup:
    """` lang="en"` (and ` dir="rtl"`/`"ltr"`) when `value` is written in another language than the page."""
    lang = _text_language(value)
    if not lang or lang == page_language():
        return Markup("")
    direction = "rtl" if languages.is_rtl(lang) else ("ltr" if languages.is_rtl(page_language()) else "")
    attrs = Markup(' lang="{}"').format(lang)
    return attrs + Markup(' dir="{}"').format(direction) if direction else attrs


def in_language(value) -> Markup:
    """`value`, escaped, inside `<span lang=…>` when it is written in another language than the page."""
    attrs = lang_attrs(value)
    return Markup("<span{}>{}</span>").format(attrs, value) if attrs else escape(value)


def translated(obj, field: str):
    """A model's translatable text (event title, co-host name, …) in the viewer's content language."""
    if isinstance(obj, content.LocalizedEvent):
        return getattr(obj, field)
    event = obj if isinstance(obj, Event) else obj.event
    return content.text(obj, field, content_language(event), event)


def register(app: Flask) -> None:
    app.jinja_env.filters["lang_attrs"] = lang_attrs
    app.jinja_env.filters["inlang"] = in_language
    app.jinja_env.globals["tr"] = translated
    app.jinja_env.globals["language_name"] = app.jinja_env.filters["language_name"] = \
        lambda code: languages.name(code, page_language())
    app.jinja_env.globals["language_is_rtl"] = languages.is_rtl
