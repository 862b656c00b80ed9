"""The base of every confman form: each text field refuses control characters (confman.plaintext)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, StringField, TextAreaField
from wtforms.validators import ValidationError

from confman import plaintext


def _plain_text(multiline: bool):
    # Literals, so that the catalogue extraction finds them (the same words as plaintext's, for imports).
    message = (_l("Remove the control characters (such as NUL) from this text.") if multiline
               else _l("Remove the line breaks and control characters from this field."))

    def check(form, field) -> None:
        if isinstance(field.data, str) and not plaintext.is_clean(field.data, multiline=multiline):
            raise ValidationError(message)

    check.multiline = multiline
    return check


SINGLE_LINE = _plain_text(multiline=False)
MULTI_LINE = _plain_text(multiline=True)


class Form(FlaskForm):
    """FlaskForm whose StringField-like fields (email, URL, password, hidden too) get the single-line rule and
    whose TextAreaFields the multi-line one, added when the field is bound, so no form can forget it."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options) -> Field:
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, TextAreaField):
                field.filters = (plaintext.normalize_newlines, *field.filters)
                field.validators = [*field.validators, MULTI_LINE]
            elif isinstance(field, StringField):
                field.validators = [*field.validators, SINGLE_LINE]
            return field
