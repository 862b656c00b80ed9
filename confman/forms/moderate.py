"""Forms of the moderate blueprint: one small form per console button, each naming the state it was made on."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField
from wtforms.validators import AnyOf, DataRequired, InputRequired, NumberRange, Optional

from confman.forms.base import Form

ACTIONS = ("start", "end", "next_speaker", "delay", "break", "up", "down", "skip", "cancel", "reschedule", "undo")


class LiveActionForm(Form):
    action = HiddenField(validators=[DataRequired(), AnyOf(ACTIONS)])
    session_id = IntegerField(validators=[Optional()])
    version = IntegerField(validators=[InputRequired()])  # the live-state version the console showed
    channel = HiddenField()  # channel slug; empty for sessions without a channel
    day = HiddenField(validators=[DataRequired()])
    minutes = IntegerField(_l("Minutes"), validators=[Optional(), NumberRange(min=0, max=240)])
    confirmed = BooleanField()  # the moderator confirmed an unusual action (starting a session on another day)


class RehearsalForm(Form):
    action = HiddenField(validators=[DataRequired(), AnyOf(("start", "end"))])
    day = HiddenField()
