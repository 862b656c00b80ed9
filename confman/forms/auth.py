"""Forms of the auth blueprint."""

from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from confman.forms.base import Form


class LoginForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me logged in on this device")
    next = HiddenField()
    submit = SubmitField("Log in")


class LogoutForm(Form):
    """Logging out changes state, so it is a POST with a CSRF token, not a link."""

    submit = SubmitField("Log out")


class SignOutEverywhereForm(Form):
    """Ends every session of the account: a POST with a CSRF token (the template draws its button)."""
