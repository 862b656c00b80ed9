"""Forms for video messages: the organizers' slot, link and review forms, and the speaker's office upload form."""

from __future__ import annotations

import re
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from confman.extensions import db
from confman.forms.base import Form
from confman.models import Event, Speaker

_LENGTH = re.compile(r"^\s*(\d{1,3})(?::([0-5]\d))?\s*$")


def parse_length(text: str) -> timedelta | None:
    """'5' or '5:00' or '4:30' (minutes[:seconds]) as a timedelta; None when it is not such a length."""
    match = _LENGTH.match(text or "")
    if match is None:
        return None
    minutes, seconds = int(match.group(1)), int(match.group(2) or 0)
    return timedelta(minutes=minutes, seconds=seconds)


class SlotForm(Form):
    speaker_id = SelectField(_l("Speaker"), coerce=int)
    introducer_id = SelectField(_l("Introducer (optional)"), coerce=int)
    allowed_length = StringField(_l("Allowed length (minutes:seconds)"), validators=[DataRequired(), Length(max=10)],
                                 default="5:00")
    deadline = DateTimeLocalField(_l("Deadline"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    embargo = DateTimeLocalField(_l("Embargo until"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    language = StringField(_l("Language of the statement"), validators=[DataRequired(), Length(max=40)],
                           default="English")
    subtitle_expectations = TextAreaField(_l("Subtitles and transcript expected"), validators=[Length(max=2000)])
    notes_for_office = TextAreaField(_l("Notes for the speaker's office"), validators=[Length(max=5000)])
    fallback = TextAreaField(_l("Fallback for the moderator"), validators=[Length(max=2000)])
    office_email = EmailField(_l("Speaker's office email (for reminders)"),
                              validators=[Optional(), Email(), Length(max=254)])
    interpreters_before_embargo = BooleanField(_l("Interpreters may read the approved transcript before the embargo"))
    submit = SubmitField(_l("Save the slot"))

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        speakers = db.session.scalars(select(Speaker).where(Speaker.event_id == event.id).order_by(Speaker.name))
        choices = [(s.id, f"{s.full_name}{', ' + s.title if s.title else ''}") for s in speakers]
        self.speaker_id.choices = [(0, _("To be confirmed")), *choices]
        self.introducer_id.choices = [(0, _("No introducer")), *choices]

    def validate_allowed_length(self, field) -> None:
        length = parse_length(field.data)
        if length is None or length <= timedelta(0):
            raise ValidationError(_("Give the length as minutes:seconds, for example 5:00 or 4:30."))

    @property
    def length_value(self) -> timedelta:
        return parse_length(self.allowed_length.data) or timedelta(0)


class LinkForm(Form):
    valid_days = IntegerField(_l("The link works for (days)"), default=30,
                              validators=[InputRequired(), NumberRange(min=1, max=365)])
    send_to_office = BooleanField(_l("Also send it to the speaker's office by mail"), default=True)
    submit = SubmitField(_l("Make a new submission link"))


class RevokeLinkForm(Form):
    submit = SubmitField(_l("Withdraw the link"))


class ReviewForm(Form):
    submission_id = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason (needed to reject; the speaker's office reads it)"),
                           validators=[Length(max=2000)])
    approve = SubmitField(_l("Approve"))
    reject = SubmitField(_l("Reject"))

    def validate_submission_id(self, field) -> None:
        if not str(field.data).isdigit():
            raise ValidationError(_("The form was damaged; reload the page."))


class PlayedForm(Form):
    submit = SubmitField(_l("Mark as played"))


class InterpreterForm(Form):
    email = EmailField(_l("Email of the interpreter's account"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Give access"))


class RemoveInterpreterForm(Form):
    user_id = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Remove access"))


class SubmissionForm(Form):
    """The speaker's office form: a video file or a link to one, and an optional transcript or subtitles."""

    video = FileField(_l("Video file"))
    link = URLField(_l("Or a link to the video"), validators=[Optional(), Length(max=500)])
    transcript = FileField(_l("Transcript or subtitles (optional)"))
    submit = SubmitField(_l("Send the video"))
