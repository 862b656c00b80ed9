"""What the printable programme says, word for word: one plain document that the HTML page and the PDF both lay out.

`programme_text()` decides every sentence, date and time once (in the viewer's zone and language), so the two
layouts cannot disagree. Words come through a `Wording`: the web layer passes its gettext and date formats, and
the English defaults serve the CLI and tests. The result is plain JSON (strings, lists, dicts, booleans).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from confman import catalogues, languages
from confman.exports.programme import Programme
from confman.services.publication import PublicSession, PublicSpeaker
from confman.timeutil import utc_offset_label


def _english(message: str, **values: object) -> str:
    return message % values if values else message


def _english_longdate(value: date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def _english_datetime(instant: datetime, tz: ZoneInfo, fmt: str) -> str:
    return instant.astimezone(tz).strftime(fmt)


@dataclass(frozen=True)
class Wording:
    """The viewer's language: gettext-style `gettext(message, **values)` and the date formats of the page."""

    lang: str = "en"
    gettext: Callable[..., str] = _english
    longdate: Callable[[date], str] = _english_longdate
    strftime: Callable[[datetime, ZoneInfo, str], str] = field(default=_english_datetime)
    content_default: str = ""  # the event's default language: what a text without its own `lang` is written in

    @property
    def direction(self) -> str:
        return "rtl" if self.lang.split("-")[0] in {"ar", "fa", "he", "ur"} else "ltr"

    @property
    def reader(self) -> str:
        """The language code names are written in ("French", « français »)."""
        return self.lang.split("-")[0] or "en"


def wording_for(lang: str, content_default: str = "") -> Wording:
    """The interface catalogue and Babel's weekday and month names of `lang` (English without a catalogue)."""
    return Wording(lang=lang, gettext=catalogues.gettext_for(lang),
                   longdate=lambda value: catalogues.format_date(value, lang),
                   strftime=lambda instant, tz, fmt: catalogues.strftime(instant, tz, fmt, lang),
                   content_default=content_default)


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def programme_text(programme: Programme, words: Wording = Wording()) -> dict[str, Any]:
    """The programme as nested plain data; see the module docstring."""
    _ = words.gettext
    event, tz = programme.event, programme.tz
    hosts = " · ".join(programme.co_hosts)
    title = _("Programme · %(event)s", event=event.title)
    return {
        "lang": words.lang,
        "dir": words.direction,
        "title": title,
        "event_title": event.title,
        **_lang_of("event_title", event.title, words),
        "author": hosts or event.title,
        "description": _("Programme of %(event)s, %(start)s – %(end)s", event=event.title,
                         start=words.longdate(event.starts_on), end=words.longdate(event.ends_on)),
        "keywords": [t.name for t in programme.agenda.themes],
        "running_header": f"{event.title} · {hosts}" if hosts else event.title,
        "page_of": _("Page %(page)s of %(total)s", page="{page}", total="{total}"),
        "page_ref": _("p. %(page)s", page="{page}"),
        "cover": _cover(programme, words),
        "days": [_day(day, programme, words) for day in programme.days],
        "empty": "" if programme.days else (
            _("No sessions match these options.") if programme.agenda.version
            else _("The agenda has not been published yet.")),
        "index": {
            "heading": _("Speakers"),
            "entries": [{
                "name": entry.speaker.full_name,
                "detail": _speaker_detail(entry.speaker),
                "refs": [{"session_id": item.id, "title": item.title,
                          "label": words.strftime(item.starts_at, tz, "%a %d %b %H:%M")} for item in entry.sessions],
            } for entry in programme.speakers],
        },
    }


def _cover(programme: Programme, words: Wording) -> dict[str, Any]:
    _ = words.gettext
    event, tz, agenda = programme.event, programme.tz, programme.agenda
    dates = words.longdate(event.starts_on)
    if event.ends_on != event.starts_on:
        dates += " – " + words.longdate(event.ends_on)
    where = [_(event.format.value.replace("_", " ").capitalize())]
    if event.venue and event.venue.lower() != event.format.value:
        where.append(event.venue)
    facts = [[_("Times"), tz.key if tz.key == event.timezone else _(
        "%(zone)s (the event's own zone is %(event_zone)s)", zone=tz.key, event_zone=event.timezone)]]
    if programme.theme:
        facts.append([_("Theme"), _("%(theme)s only", theme=programme.theme.name)])
    elif agenda.themes:
        facts.append([_("Themes"), ", ".join(t.name for t in agenda.themes)])
    if programme.day:
        facts.append([_("Day"), _("%(day)s only", day=words.longdate(programme.day))])
    if agenda.version:
        version = _("Version %(number)s", number=agenda.version)
        if agenda.published_at:
            version = _("Version %(number)s, as of %(when)s", number=agenda.version,
                        when=words.strftime(agenda.published_at, tz, "%d %B %Y %H:%M") + f" ({tz.key})")
        facts.append([_("Agenda"), version])
    return {
        "kicker": _("Programme"),
        "dates": " · ".join([dates, *where]),
        "hosts_label": (_("Co-hosted by") if len(programme.co_hosts) > 1 else _("Hosted by"))
        if programme.co_hosts else "",
        "hosts": [{"country_code": h.organization.country_code or "", "name": h.organization.name}
                  for h in event.co_hosts],
        "facts": facts,
    }


def _day(day, programme: Programme, words: Wording) -> dict[str, Any]:
    _ = words.gettext
    tz = programme.tz
    several_offsets = len(day.offsets) > 1
    return {
        "id": f"day-{day.day.isoformat()}",
        "heading": words.longdate(day.day),
        "zone_note": _("Times in %(zone)s (%(offsets)s)", zone=tz.key,
                       offsets=_(", then ").join(day.offsets)),
        "sessions": [_session(item, tz, several_offsets, words) for item in day.sessions],
    }


def _session(item: PublicSession, tz: ZoneInfo, show_offset: bool, words: Wording) -> dict[str, Any]:
    _ = words.gettext
    video = None
    if item.kind.value == "video_message":
        who = item.video_message.speaker if item.video_message else None
        video = {"label": _("Video message"), "note": _("(pre-recorded)"),
                 "who": ", ".join([who.full_name, *_speaker_detail_parts(who)]) if who else ""}
    theme = item.theme
    return {
        "id": item.id,
        "anchor": f"session-{item.id}",
        "starts_at": item.starts_at.isoformat(),
        "ends_at": item.ends_at.isoformat(),
        "start": words.strftime(item.starts_at, tz, "%H:%M"),
        "end": words.strftime(item.ends_at, tz, "%H:%M"),
        "offset": utc_offset_label(item.starts_at, tz) if show_offset else "",
        "title": item.title,
        **_lang_of("title", item.title, words),
        "cancelled": _("Cancelled:") if item.is_cancelled else "",
        "kind": item.kind.value,
        "kind_label": _(item.kind.label),
        "theme": None if theme is None else {
            "name": theme.name, "label": _("Theme: %(theme)s", theme=theme.name), "pattern": theme.pattern,
            "colour": theme.colour if _COLOUR.fullmatch(theme.colour or "") else ""},
        "channel": item.channel.name if item.channel else "",
        "video": video,
        "description": item.description or "",
        **_lang_of("description", item.description, words),
        **_interpretation(item, words),
        "speakers": [{"role": _(p.role.value.capitalize()), "name": p.speaker.full_name,
                      "detail": _speaker_detail(p.speaker)} for p in item.participations],
    }


def _lang_of(key: str, text: str, words: Wording) -> dict[str, str]:
    """{"<key>_lang": code} when `text` is written in another language than the programme (a missing translation
    shown in the default language, or content in a language without a catalogue), else nothing: a programme in
    the event's default language says exactly what it said before languages existed."""
    lang = getattr(text, "lang", None) or words.content_default
    if not text or not lang or lang == words.lang.split("-")[0]:
        return {}
    return {f"{key}_lang": lang, f"{key}_dir": "rtl" if languages.is_rtl(lang) else "ltr"}


def _interpretation(item: PublicSession, words: Wording) -> dict[str, Any]:
    """The session's interpretation line, where it has any."""
    if not item.interpretation_languages:
        return {}
    return {"interpretation": interpretation_line(item, words.gettext, words.lang.split("-")[0])}


def interpretation_line(item, gettext: Callable[..., str], reader: str) -> str:
    """ "Interpretation: Arabic, French (floor: English)" in the reader's language."""
    names = ", ".join(languages.name(code, reader) for code in item.interpretation_languages)
    if item.floor_language:
        return gettext("Interpretation: %(languages)s (floor: %(floor)s)", languages=names,
                       floor=languages.name(item.floor_language, reader))
    return gettext("Interpretation: %(languages)s", languages=names)


def _speaker_detail_parts(person: PublicSpeaker) -> list[str]:
    return [part for part in (person.title, person.organization.name if person.organization else "") if part]


def _speaker_detail(person: PublicSpeaker) -> str:
    """', Senior Adviser, Training': what follows the name."""
    return "".join(f", {part}" for part in _speaker_detail_parts(person))
