"""Content languages: ISO 639-1 codes, their names in a reader's language, their direction, and choosing the text
of a translatable field. No Flask: models, services and exports use it alike."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from babel import Locale, UnknownLocaleError

# Two lower-case letters: what the event's language list, `?lang=` and the `lang` attribute of HTML share.
CODE = re.compile(r"^[a-z]{2}$")


class LocalizedText(str):
    """A text that knows which language it is written in (`lang`), so a page can mark a fallback with `lang=`."""

    lang: str
    default: str  # the same text in the default language, for what must not change with the reader (slugs)

    def __new__(cls, value: str, lang: str, default: str | None = None) -> LocalizedText:
        text = super().__new__(cls, value)
        text.lang = lang
        text.default = value if default is None else default
        return text


@lru_cache(maxsize=4096)
def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def is_known(code: str) -> bool:
    """An ISO 639-1 code Babel (CLDR) can name."""
    return bool(CODE.match(code or "")) and _locale("en").languages.get(code) is not None


def name(code: str, in_language: str = "en") -> str:
    """The language's name in `in_language` ("French", "français"), the code itself when CLDR has none."""
    reader = _locale(in_language) or _locale("en")
    found = reader.languages.get(code) if reader else None
    return found or code


def is_rtl(code: str) -> bool:
    locale = _locale(code)
    return locale is not None and locale.text_direction == "rtl"


def parse_codes(text: str) -> list[str]:
    """ "en, fr ar" → ["en", "fr", "ar"]: lower-cased, in order, each once."""
    seen: list[str] = []
    for part in re.split(r"[\s,;]+", (text or "").strip().lower()):
        if part and part not in seen:
            seen.append(part)
    return seen


def pick(base: str, translations: Mapping[str, Mapping[str, str]] | None, field: str, lang: str | None,
         default: str) -> LocalizedText:
    """The text of `field` in `lang`, else in the default language (`base`, which is written in `default`).
    Never empty when the default is not: a missing translation falls back, it does not blank the title."""
    if lang and lang != default:
        text = ((translations or {}).get(field) or {}).get(lang)
        if text:
            return LocalizedText(text, lang, base)
    return LocalizedText(base, default)


def missing(base: str, translations: Mapping[str, Mapping[str, str]] | None, field: str,
            languages: Iterable[str], default: str) -> list[str]:
    """The languages of `languages` other than the default in which `field` (non-empty in the default) has no text."""
    if not base:
        return []
    have = (translations or {}).get(field) or {}
    return [lang for lang in languages if lang != default and not have.get(lang)]
