"""Forms of the floor: list settings, inscriptions, moves, statements, rooms, and the console's list buttons."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    URLField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from confman.forms.base import Form
from confman.models import ProtocolRank, RegistrationCategory

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
FLOOR_ACTIONS = ("call_next", "call", "delivered", "absent", "yielded", "reopen", "late")
LANGUAGES = (("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربية"), ("zh", "中文"),
             ("ru", "Русский"), ("pt", "Português"), ("de", "Deutsch"), ("nl", "Nederlands"), ("ur", "اردو"))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def rank_choices():
    return choices((r.value, r.label) for r in ProtocolRank)


class SpeakersListForm(Form):
    is_open = BooleanField(_l("Open for interventions from the floor"))
    opens_at = DateTimeLocalField(_l("Inscriptions open"), format=LOCAL_FORMAT, validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Inscriptions close"), format=LOCAL_FORMAT, validators=[Optional()])
    categories = MultiCheckboxField(_l("Who may inscribe"),
                                    choices=choices((c.value, c.label) for c in RegistrationCategory),
                                    validators=[DataRequired(message=_l("Choose at least one category."))])
    time_limit_minutes = IntegerField(_l("Time limit per intervention (minutes)"),
                                      validators=[Optional(), NumberRange(min=1, max=60)])
    max_per_delegation = IntegerField(_l("Interventions per delegation"), default=1,
                                      validators=[InputRequired(), NumberRange(min=1, max=10)])
    cap = IntegerField(_l("Most entries on the list"), validators=[Optional(), NumberRange(min=1, max=1000)])
    delegates_may_inscribe = BooleanField(_l("Approved delegates may inscribe their delegation, not only its "
                                             "focal point"))
    submit = SubmitField(_l("Save the list's settings"))


class SpeakerFields(Form):
    honorific = StringField(_l("Honorific"), filters=[_strip], validators=[Length(max=40)])
    speaker_name = StringField(_l("Who speaks"), filters=[_strip], validators=[DataRequired(), Length(max=200)])
    speaker_title = StringField(_l("Title"), filters=[_strip], validators=[Length(max=200)])
    protocol_rank = SelectField(_l("Protocol rank"), choices=rank_choices, default=ProtocolRank.OTHER.value)


class InscriptionForm(SpeakerFields):
    delegation = SelectField(_l("Delegation"), coerce=int)
    joint = MultiCheckboxField(_l("Joint statement on behalf of also"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Inscribe"))


class ChangeForm(SpeakerFields):
    submit = SubmitField(_l("Save"))


class MoveForm(Form):
    position = IntegerField(_l("Place on the list"), validators=[Optional(), NumberRange(min=1, max=1000)])
    reason = StringField(_l("Reason"), filters=[_strip], validators=[Length(max=300)])
    submit = SubmitField(_l("Move"))


class ReasonForm(Form):
    reason = StringField(_l("Reason"), filters=[_strip], validators=[Length(max=300)])
    submit = SubmitField(_l("Withdraw"))


class ButtonForm(Form):
    """A state-changing button: a POST with only a CSRF token."""

    submit = SubmitField(_l("Go"))


class StatementForm(Form):
    language = SelectField(_l("Language"), choices=choices(LANGUAGES), default="en")
    document = FileField(_l("Statement (PDF, DOCX or ODT)"), validators=[FileRequired(_l("Choose the file."))])
    embargo_at = DateTimeLocalField(_l("Embargoed until (optional)"), format=LOCAL_FORMAT, validators=[Optional()])
    submit = SubmitField(_l("Upload the statement"))


class ChannelRoomForm(Form):
    meeting_url = URLField(_l("Meeting link (never public)"), filters=[_strip], validators=[Length(max=500)])
    livestream_url = URLField(_l("Livestream link (public)"), filters=[_strip], validators=[Length(max=500)])
    submit = SubmitField(_l("Save"))


class SessionRoomForm(Form):
    meeting_url = URLField(_l("Meeting link for this session (never public)"), filters=[_strip],
                           validators=[Length(max=500)])
    livestream_url = URLField(_l("Livestream link for this session"), filters=[_strip], validators=[Length(max=500)])
    recording_url = URLField(_l("Recording"), filters=[_strip], validators=[Length(max=500)])
    submit = SubmitField(_l("Save the room"))


class FloorActionForm(Form):
    """One console button on the list of speakers, naming the live-state version the console showed."""

    action = HiddenField(validators=[DataRequired(), AnyOf(FLOOR_ACTIONS)])
    session_id = IntegerField(validators=[InputRequired()])
    inscription_id = IntegerField(validators=[Optional()])
    version = IntegerField(validators=[InputRequired()])
    channel = HiddenField()
    day = HiddenField()


class LateInscriptionForm(FloorActionForm, SpeakerFields):
    delegation = SelectField(_l("Delegation"), coerce=int)
