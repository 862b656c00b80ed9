"""The interface catalogues without Flask: `gettext` and Babel date formats for a named language, for what is
written outside the request's own language (a delegate's mail, a personal feed in the registration's language,
a worker's render). Flask-Babel reads the same compiled catalogues (confman/translations) for pages.

A language without a catalogue (or English, the msgids) gets the English text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def has_catalogue(language: str) -> bool:
    """English (the msgids) or a language with a compiled catalogue."""
    code = (language or "").replace("-", "_")
    return code == "en" or (bool(code) and (TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo").is_file())


@lru_cache(maxsize=32)
def translations(language: str) -> NullTranslations:
    code = (language or "en").replace("-", "_")
    if code == "en" or not has_catalogue(code):
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [code], domain="messages")


@lru_cache(maxsize=32)
def locale(language: str) -> Locale:
    try:
        return Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


def gettext_for(language: str) -> Callable[..., str]:
    """`gettext(message, **values)` in `language`, as Flask-Babel's: the translation, then `% values`."""
    catalogue = translations(language)

    def gettext(message: str, **values: object) -> str:
        text = catalogue.gettext(message)
        return text % values if values else text

    return gettext


def ngettext_for(language: str) -> Callable[..., str]:
    catalogue = translations(language)

    def ngettext(singular: str, plural: str, num: int, **values: object) -> str:
        values.setdefault("num", num)
        return catalogue.ngettext(singular, plural, num) % values

    return ngettext


# Day before month, as UN documents write dates in English and as French always does (web/wording.py's patterns).
LONG_DATE = "EEEE d MMMM y"
SHORT_DAY_TIME = "EEE d MMM HH:mm"


def format_date(value: date, language: str, pattern: str = LONG_DATE) -> str:
    """ "Monday 25 October 2021" / « lundi 25 octobre 2021 »."""
    return babel_dates.format_date(value, pattern, locale=locale(language))


def format_instant(instant: datetime, tz: ZoneInfo, language: str, pattern: str = SHORT_DAY_TIME) -> str:
    """An instant in `tz`, with the weekday and month names of `language`."""
    return babel_dates.format_datetime(instant.astimezone(tz), pattern, tzinfo=tz, locale=locale(language))


# strftime directives the exports use, as Babel (CLDR) patterns.
_STRFTIME = {"%H:%M": "HH:mm", "%a %d %b %H:%M": "EEE dd MMM HH:mm", "%d %B %Y %H:%M": "dd MMMM y HH:mm",
             "%A": "EEEE", "%d %B %Y": "dd MMMM y"}


def strftime(instant: datetime, tz: ZoneInfo, fmt: str, language: str) -> str:
    """`instant.astimezone(tz).strftime(fmt)` with `language`'s names, for the formats the exports use."""
    pattern = _STRFTIME.get(fmt)
    if pattern is None:
        return instant.astimezone(tz).strftime(fmt)
    return format_instant(instant, tz, language, pattern)
