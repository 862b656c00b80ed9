"""Forms for content in several languages: the event's languages, and one input per language for each text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from confman import languages
from confman.forms.base import Form
from confman.services.languages import FIELDS

_strip = [lambda v: v.strip() if isinstance(v, str) else v]


def _codes_field(label, description, required=False):
    return StringField(label, filters=_strip, description=description,
                       validators=[DataRequired() if required else Optional(), Length(max=200)])


def check_codes(field) -> None:
    unknown = [c for c in languages.parse_codes(field.data) if not languages.is_known(c)]
    if unknown:
        raise ValidationError(_l("Not an ISO 639-1 language code: %(codes)s. Use two letters, like en, fr or ar.",
                                 codes=", ".join(unknown)))


class LanguagesForm(Form):
    languages = _codes_field(_l("Languages of the content"), _l("ISO 639-1 codes in the order forms show them, "
                                                                "like “en, fr”."), required=True)
    default_language = StringField(_l("Default language"), filters=_strip, validators=[DataRequired(), Length(max=8)],
                                   description=_l("Where a translation is missing, every page shows this one."))
    interpretation_languages = _codes_field(_l("Interpretation into (default for new sessions)"),
                                            _l("Codes, like “en, fr”; leave empty for none."))
    requires_interpretation = BooleanField(_l("Every session must be interpreted into every language of the event"))

    def validate_languages(self, field):
        check_codes(field)

    def validate_interpretation_languages(self, field):
        check_codes(field)


class InterpretationForm(Form):
    """Mixed into the session form: the floor language, the interpretation and where to listen."""

    floor_language = StringField(_l("Floor language"), filters=_strip, validators=[Optional(), Length(max=8)],
                                 description=_l("The language spoken in the room; empty: the event's default."))
    interpretation_languages = _codes_field(_l("Interpreted into"), _l("Codes, like “en, fr”."))
    interpretation_channels = TextAreaField(
        _l("Interpretation channels (public)"), validators=[Optional(), Length(max=5_000)],
        description=_l("One line per language: the code, a colon, and a stream address or words such as "
                       "“fr: https://stream.example.org/fr” or “ar: Floor + channel 3”. Shown publicly: keep "
                       "meeting (join) links in the room's settings."))

    def validate_floor_language(self, field):
        if field.data and not languages.is_known(field.data.lower()):
            raise ValidationError(_l("Not an ISO 639-1 language code: %(codes)s. Use two letters, like en, fr or ar.",
                                     codes=field.data))

    def validate_interpretation_languages(self, field):
        check_codes(field)

    def validate_interpretation_channels(self, field):
        try:
            parse_channels(field.data or "")
        except ValueError as error:
            raise ValidationError(_l("Line %(line)s: write a language code, a colon and the channel, like "
                                     "“fr: Floor + channel 2”.", line=error.args[0])) from None


def parse_channels(text: str) -> dict[str, str]:
    """ "fr: https://…" lines → {"fr": "https://…"}. Raises ValueError(line number) on a malformed line."""
    channels: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        code, colon, where = line.partition(":")
        code = code.strip().lower()
        if not colon or not where.strip() or not languages.is_known(code):
            raise ValueError(number)
        channels[code] = where.strip()[:500]
    return channels


def format_channels(channels: dict[str, str]) -> str:
    return "\n".join(f"{code}: {where}" for code, where in channels.items())


def input_name(field: str, lang: str) -> str:
    return f"{field}__{lang}"


def with_translations(form_class: type[Form], event, kind: str) -> type[Form]:
    """`form_class` with one more input per text of `kind` and per language of `event` other than the default
    (the form's own input is the default language's). Built per request: languages are the event's."""
    other = [lang for lang in event.languages if lang != event.default_language]
    if not other:
        return form_class
    extra = {}
    for field, (multiline, longest) in FIELDS[kind].items():
        for lang in other:
            kind_of_field = TextAreaField if multiline else StringField
            extra[input_name(field, lang)] = kind_of_field(
                languages.name(lang, lang), filters=_strip if not multiline else (),
                validators=[Optional(), Length(max=longest)], render_kw={"lang": lang, **_direction(lang)})
    return type(form_class.__name__, (form_class,), extra)


def _direction(lang: str) -> dict[str, str]:
    return {"dir": "rtl"} if languages.is_rtl(lang) else {}


def fill_translations(form: Form, obj, event, kind: str) -> None:
    for field in FIELDS[kind]:
        for lang in event.languages:
            if (target := getattr(form, input_name(field, lang), None)) is not None:
                target.data = ((obj.translations or {}).get(field) or {}).get(lang, "")


def read_translations(form: Form, event, kind: str) -> dict[str, dict[str, str]]:
    return {field: {lang: getattr(form, input_name(field, lang)).data or ""
                    for lang in event.languages if hasattr(form, input_name(field, lang))}
            for field in FIELDS[kind]}


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RegistrationLanguagesForm(Form):
    """Mixed into the registration form: the delegate's language and the interpretation they need."""

    language = SelectField(_l("Preferred language"), validators=[Optional()],
                           description=_l("Pages, messages and your calendar feed use it where they can."))
    interpretation_languages = _Checkboxes(_l("I will listen in (interpretation)"), validators=[Optional()],
                                           description=_l("So the organizers can book interpretation."))

    def set_languages(self, event, reader: str) -> None:
        names = [(code, languages.name(code, reader)) for code in event.languages]
        self.language.choices = [SelectChoice("", _l("No preference"))] + [SelectChoice(c, n) for c, n in names]
        self.interpretation_languages.choices = [SelectChoice(c, n) for c, n in names]
