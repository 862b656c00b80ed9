"""Forms of the auth blueprint."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from confman.forms.base import Form


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class LogoutForm(Form):
    """Logging out changes state, so it is a POST with a CSRF token, not a link."""

    submit = SubmitField(_l("Log out"))


class SignOutEverywhereForm(Form):
    """Ends every session of the account: a POST with a CSRF token (the template draws its button)."""
