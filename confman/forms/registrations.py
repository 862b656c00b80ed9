"""Forms of registrations: the public form, a delegate's own pages, and the organizers' pages. Shape only."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from confman.forms.base import Form
from confman.models import OverQuotaPolicy, RegistrationCategory

OTHER_ORGANIZATION = "other"


def category_choices() -> list[SelectChoice]:
    return [SelectChoice(c.value, c.label) for c in RegistrationCategory]


class RegistrationForm(Form):
    honorific = StringField("Honorific", validators=[Optional(), Length(max=40)],
                            description="For example H.E. Mr., Ms., Dr. or Col.")
    name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    title = StringField("Title or function", validators=[Optional(), Length(max=200)],
                        description="For example Counsellor, Permanent Mission to the United Nations.")
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    organization = SelectField("Organization or delegation", validators=[DataRequired()])
    organization_name = StringField("Name of your organization, if not in the list",
                                    validators=[Optional(), Length(max=200)])
    category = SelectField("Category", choices=category_choices(), validators=[DataRequired()])
    needs = TextAreaField("Accessibility or interpretation needs (optional)", validators=[Optional(), Length(max=2000)])
    document = FileField("Note verbale or nomination letter (PDF)", validators=[FileRequired(
        "Please attach your note verbale (Member State delegates) or nomination letter (others) as a PDF.")])
    consent = BooleanField("I have read the privacy notice and agree that my registration is processed as it says.",
                           validators=[DataRequired("Please agree to the privacy notice to register.")])
    submit = SubmitField("Register")

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organization.choices = [SelectChoice("", "Choose…")] + [
            SelectChoice(str(o.id), o.name) for o in organizations] + [
            SelectChoice(OTHER_ORGANIZATION, "Other (type its name below)")]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.organization.data == OTHER_ORGANIZATION and not (self.organization_name.data or "").strip():
            self.organization_name.errors = [
                *self.organization_name.errors, "Type the name of your organization, or choose it in the list above."]
            return False
        return valid


class DetailsForm(Form):
    honorific = StringField("Honorific", validators=[Optional(), Length(max=40)])
    name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    title = StringField("Title or function", validators=[Optional(), Length(max=200)])
    needs = TextAreaField("Accessibility or interpretation needs", validators=[Optional(), Length(max=2000)])
    version = HiddenField()
    submit = SubmitField("Save my details")


class CancelForm(Form):
    confirm = BooleanField("Yes, cancel my registration. I understand my place may go to someone else.",
                           validators=[DataRequired("Tick the box to confirm the cancellation.")])
    submit = SubmitField("Cancel my registration")


class ButtonForm(Form):
    """A state-changing button: a POST with only a CSRF token."""

    submit = SubmitField("Go")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AgendaChoiceForm(Form):
    sessions = MultiCheckboxField("Sessions I will attend", coerce=int)
    submit = SubmitField("Save my agenda")


class DocumentForm(Form):
    document = FileField("Note verbale or nomination letter (PDF)", validators=[FileRequired("Choose a PDF file.")])
    submit = SubmitField("Upload")


class SignInRequestForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField("Send me a sign-in link")


# --- Organizers ------------------------------------------------------------------------------------------------

class SettingsForm(Form):
    opens_at = DateTimeLocalField("Registration opens", validators=[Optional()], format="%Y-%m-%dT%H:%M")
    closes_at = DateTimeLocalField("Registration closes", validators=[Optional()], format="%Y-%m-%dT%H:%M")
    capacity = IntegerField("Capacity (seats)", validators=[Optional(), NumberRange(min=1, max=1_000_000)],
                            description="Leave empty for no limit. Pending and approved registrations hold a seat.")
    needs_approval = BooleanField("Organizers approve each registration")
    version = HiddenField()
    submit = SubmitField("Save registration settings")

    def validate_closes_at(self, field):
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError("Registration must close after it opens.")


DECISION_CHOICES = [SelectChoice("approve", "Approve"), SelectChoice("decline", "Decline"),
                    SelectChoice("waitlist", "Move to the waiting list")]


class DecisionForm(Form):
    action = SelectField("Decision", choices=DECISION_CHOICES, validators=[InputRequired()])
    submit = SubmitField("Apply")


class BulkDecisionForm(Form):
    action = SelectField("With the selected registrations", choices=DECISION_CHOICES, validators=[InputRequired()])
    ids = SelectMultipleField("Registrations", coerce=int, validate_choice=False)
    submit = SubmitField("Apply to selected")

    def validate_ids(self, field):
        if not field.data:
            raise ValidationError("Select at least one registration.")


class ImportForm(Form):
    file = FileField("Delegation list (CSV)", validators=[FileRequired("Choose a CSV file.")])
    submit = SubmitField("Import the list")


class DelegationForm(Form):
    organization = SelectField("Organization", coerce=int, validators=[InputRequired()])
    quota = IntegerField("Quota (members)", validators=[Optional(), NumberRange(min=1, max=10_000)],
                         description="Leave empty for no quota.")
    over_quota_policy = SelectField("Beyond the quota", choices=[
        SelectChoice(OverQuotaPolicy.REFUSE.value, "Refuse the registration"),
        SelectChoice(OverQuotaPolicy.WAITLIST.value, "Put it on the waiting list")])
    focal_point_email = EmailField("Focal point's email", validators=[Optional(), Email(), Length(max=254)],
                                   description="They get an account that can see and approve this delegation only.")
    head_of_delegation = StringField("Head of delegation", validators=[Optional(), Length(max=200)])
    submit = SubmitField("Create the delegation")

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organization.choices = [SelectChoice(o.id, o.name) for o in organizations]
