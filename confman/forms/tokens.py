"""Forms of the account's API tokens page."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from confman.forms.base import Form
from confman.forms.manage import choices


class TokenForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    event_id = SelectField(_l("Event"), coerce=int, validators=[DataRequired()])
    scope = RadioField(_l("Scope"), default="read", validators=[DataRequired()])
    submit = SubmitField(_l("Make token"))

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.event_id.choices = choices([(e.id, e.title) for e in events])
        self.scope.choices = choices([("read", _l("Read only")), ("write", _l("Read and write"))])


class RevokeTokenForm(Form):
    """Revoking changes state: a POST with a CSRF token."""

    submit = SubmitField(_l("Revoke"))
