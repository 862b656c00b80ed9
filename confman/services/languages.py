"""Content in several languages: an event's languages, translations of its public texts, what is missing, and
interpretation per session. No Flask: the web layer words the codes and counts returned here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from sqlalchemy import select

from confman import languages
from confman.extensions import db
from confman.models import AgendaSession, CoHost, Event, SessionKind, Speaker
from confman.services import ConfmanError, audit

# What organizers translate, per kind of object: field → (multi-line, longest text). The plain column holds the
# default language; a co-host's default name is its organization's.
FIELDS: dict[str, dict[str, tuple[bool, int]]] = {
    "event": {"title": (False, 300), "short_title": (False, 80), "description": (True, 20_000),
              "registration_notice": (True, 5_000)},
    "session": {"title": (False, 200), "description": (True, 20_000)},
    "theme": {"name": (False, 120)},
    "speaker": {"title": (False, 200)},
    "co_host": {"name": (False, 200)},
}
MAX_LANGUAGES = 12


class InvalidLanguages(ConfmanError):
    """The list of languages or the default is not usable; `code` says why for the web layer to word."""

    def __init__(self, reason: str, **params: object):
        super().__init__(reason)
        self.code = reason
        self.params = params


def base_text(obj: object, field: str) -> str:
    if isinstance(obj, CoHost) and field == "name":
        return obj.organization.name
    return getattr(obj, field) or ""


def clean_translations(event: Event, kind: str, values: Mapping[str, Mapping[str, str | None]]) -> dict:
    """{field: {lang: text}} reduced to the event's other languages and non-empty, stripped texts."""
    other = [lang for lang in event.languages if lang != event.default_language]
    cleaned: dict[str, dict[str, str]] = {}
    for field in FIELDS[kind]:
        texts = {lang: (values.get(field, {}).get(lang) or "").strip() for lang in other}
        if texts := {lang: text for lang, text in texts.items() if text}:
            cleaned[field] = texts
    return cleaned


def merged_translations(obj, event: Event, kind: str, values: Mapping[str, Mapping[str, str | None]]) -> dict:
    """The translations of `obj` with those in the event's other languages replaced by `values` (texts in
    languages the event no longer declares are kept, so dropping a language and adding it back loses nothing)."""
    kept = {field: {lang: text for lang, text in texts.items() if lang not in event.languages}
            for field, texts in (obj.translations or {}).items()}
    for field, texts in clean_translations(event, kind, values).items():
        kept.setdefault(field, {}).update(texts)
    return {field: texts for field, texts in kept.items() if texts}


def set_translations(obj, event: Event, kind: str, values: Mapping[str, Mapping[str, str | None]]) -> bool:
    """Store `merged_translations`. Flushes; whether anything changed."""
    kept = merged_translations(obj, event, kind, values)
    if kept == (obj.translations or {}):
        return False
    obj.translations = kept
    db.session.flush()
    return True


def set_event_languages(event: Event, codes: Sequence[str], default: str, *, actor, now: datetime) -> bool:
    """Declare the event's content languages and which of them the plain texts are written in. Changing the default
    swaps each text with its translation; refused (InvalidLanguages "untranslated") while any text lacks one, so no
    title ever shows in the wrong language. Flushes; whether anything changed."""
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise InvalidLanguages("none")
    if unknown := [c for c in codes if not languages.is_known(c)]:
        raise InvalidLanguages("unknown", codes=", ".join(unknown))
    if len(codes) > MAX_LANGUAGES:
        raise InvalidLanguages("too_many", limit=MAX_LANGUAGES)
    if default not in codes:
        raise InvalidLanguages("default_not_declared", code=default)
    old = event.default_language
    if codes == event.languages and default == old:
        return False
    if default != old:
        objects = list(translatable_objects(event))
        untranslated = sum(1 for kind, obj in objects for field in FIELDS[kind]
                           if not (kind == "co_host" and field == "name") and base_text(obj, field)
                           and not (obj.translations or {}).get(field, {}).get(default))
        if untranslated:
            raise InvalidLanguages("untranslated", count=untranslated, code=default)
        for kind, obj in objects:
            _swap_default(obj, kind, old, default)
    before = {"languages": event.languages, "default_language": old}
    event.languages, event.default_language = codes, default
    db.session.flush()
    audit.record(event=event, actor=actor, action="event.languages", target_type="event", target_id=event.id,
                 now=now, summary="Languages: " + ", ".join(codes), before=before,
                 after={"languages": codes, "default_language": default})
    return True


def _swap_default(obj, kind: str, old: str, new: str) -> None:
    translations = {field: dict(texts) for field, texts in (obj.translations or {}).items()}
    for field in FIELDS[kind]:
        if kind == "co_host" and field == "name":
            continue  # the organization's own name stays; co-host names in every language live in translations
        texts = translations.setdefault(field, {})
        if base := getattr(obj, field):
            texts[old] = base
        setattr(obj, field, texts.pop(new, base))
    obj.translations = {field: texts for field, texts in translations.items() if texts}


def translatable_objects(event: Event) -> Iterable[tuple[str, object]]:
    yield "event", event
    for theme in event.themes:
        yield "theme", theme
    for host in event.co_hosts:
        yield "co_host", host
    yield from (("session", s) for s in db.session.scalars(
        select(AgendaSession).filter_by(event_id=event.id).order_by(AgendaSession.starts_at, AgendaSession.id)))
    yield from (("speaker", s) for s in db.session.scalars(
        select(Speaker).filter_by(event_id=event.id).order_by(Speaker.name, Speaker.id)))


@dataclass(frozen=True)
class Missing:
    """`field` of one object has no text in `languages`."""

    kind: str  # event, session, theme, speaker, co_host
    object_id: int
    label: str  # the text in the default language, to recognise the object by
    field: str
    languages: tuple[str, ...]


def missing_translations(event: Event) -> list[Missing]:
    """Every public text that has no translation in one of the event's other languages."""
    found = []
    for kind, obj in translatable_objects(event):
        for field in FIELDS[kind]:
            lacking = missing_in(obj, kind, field, event)
            if lacking:
                label = base_text(obj, "name" if kind in ("theme", "co_host") else "title") \
                    if kind != "speaker" else obj.full_name
                found.append(Missing(kind, obj.id, label, field, tuple(lacking)))
    return found


def missing_in(obj, kind: str, field: str, event: Event) -> list[str]:
    return languages.missing(base_text(obj, field), obj.translations, field, event.languages,
                             event.default_language)


def co_host_name(host: CoHost, lang: str | None, default: str) -> languages.LocalizedText:
    names = (host.translations or {}).get("name") or {}
    for code in (lang, default):
        if code and names.get(code):
            return languages.LocalizedText(names[code], code)
    return languages.LocalizedText(host.organization.name, default)


def text(obj, field: str, lang: str | None, event: Event) -> languages.LocalizedText:
    """The text of `field` of a model object in `lang`, with the fallback to the event's default language."""
    if isinstance(obj, CoHost) and field == "name":
        return co_host_name(obj, lang, event.default_language)
    return languages.pick(base_text(obj, field), obj.translations, field, lang, event.default_language)


class _Organization:
    """An organization as a co-host's name reads in one language."""

    def __init__(self, organization, name: languages.LocalizedText):
        self._organization, self.name = organization, name

    def __getattr__(self, attribute: str):
        return getattr(self._organization, attribute)


class _CoHost:
    def __init__(self, host: CoHost, lang: str, default: str):
        self._host = host
        self.name = co_host_name(host, lang, default)
        self.organization = _Organization(host.organization, self.name)

    def __getattr__(self, attribute: str):
        return getattr(self._host, attribute)


class LocalizedEvent:
    """The event as a reader of `content_language` sees it: its translatable texts (and its co-hosts' names) in that
    language, falling back to the default; every other attribute is the event's own. For reading only (templates,
    exports): never hand it to a query or a service that changes the event."""

    def __init__(self, event: Event, lang: str):
        self._event = event
        self.content_language = lang
        for field in FIELDS["event"]:
            setattr(self, field, text(event, field, lang, event))

    @cached_property
    def co_hosts(self) -> list[_CoHost]:
        """Loaded when read (a calendar feed never does): a reader in another language costs no extra query."""
        return [_CoHost(h, self.content_language, self._event.default_language) for h in self._event.co_hosts]

    def __getattr__(self, attribute: str):
        return getattr(self._event, attribute)


def localize_event(event: Event, lang: str | None):
    """`event` itself in its default language (so those bytes never change), else a LocalizedEvent."""
    if not lang or lang == event.default_language:
        return event
    return LocalizedEvent(event, lang)


@dataclass(frozen=True)
class InterpretationGap:
    """A session whose audience cannot follow it in `languages`: neither spoken on the floor nor interpreted."""

    session_id: int
    title: str
    languages: tuple[str, ...]


def interpretation_gaps(event: Event, sessions: Iterable[AgendaSession]) -> list[InterpretationGap]:
    """Where the event requires interpretation into all its languages, each session that lacks some. Breaks and
    cancelled sessions need none."""
    if not event.requires_interpretation:
        return []
    gaps = []
    for item in sessions:
        if item.is_cancelled or item.kind == SessionKind.BREAK:
            continue
        heard = {item.floor_language or event.default_language, *(item.interpretation_languages or ())}
        if lacking := tuple(lang for lang in event.languages if lang not in heard):
            gaps.append(InterpretationGap(item.id, item.title, lacking))
    return gaps
