"""Forms of registrations: the public form, a delegate's own pages, and the organizers' pages. Shape only."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
    """Worded when the form renders: the English labels are msgids of the web layer's labels (wording.LABELS)."""
    return [SelectChoice(c.value, _l(c.label)) for c in RegistrationCategory]


class RegistrationForm(Form):
    honorific = StringField(_l("Honorific"), validators=[Optional(), Length(max=40)],
                            description=_l("For example H.E. Mr., Ms., Dr. or Col."))
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    title = StringField(_l("Title or function"), validators=[Optional(), Length(max=200)],
                        description=_l("For example Counsellor, Permanent Mission to the United Nations."))
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    organization = SelectField(_l("Organization or delegation"), validators=[DataRequired()])
    organization_name = StringField(_l("Name of your organization, if not in the list"),
                                    validators=[Optional(), Length(max=200)])
    category = SelectField(_l("Category"), choices=category_choices(), validators=[DataRequired()])
    needs = TextAreaField(_l("Accessibility or interpretation needs (optional)"),
                          validators=[Optional(), Length(max=2000)])
    document = FileField(_l("Note verbale or nomination letter (PDF)"), validators=[FileRequired(
        _l("Please attach your note verbale (Member State delegates) or nomination letter (others) as a PDF."))])
    consent = BooleanField(
        _l("I have read the privacy notice and agree that my registration is processed as it says."),
        validators=[DataRequired(_l("Please agree to the privacy notice to register."))])
    submit = SubmitField(_l("Register"))

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organization.choices = [SelectChoice("", _("Choose…"))] + [
            SelectChoice(str(o.id), o.name) for o in organizations] + [
            SelectChoice(OTHER_ORGANIZATION, _("Other (type its name below)"))]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.organization.data == OTHER_ORGANIZATION and not (self.organization_name.data or "").strip():
            self.organization_name.errors = [
                *self.organization_name.errors,
                _("Type the name of your organization, or choose it in the list above.")]
            return False
        return valid


class DetailsForm(Form):
    honorific = StringField(_l("Honorific"), validators=[Optional(), Length(max=40)])
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    title = StringField(_l("Title or function"), validators=[Optional(), Length(max=200)])
    needs = TextAreaField(_l("Accessibility or interpretation needs"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()
    submit = SubmitField(_l("Save my details"))


class CancelForm(Form):
    confirm = BooleanField(_l("Yes, cancel my registration. I understand my place may go to someone else."),
                           validators=[DataRequired(_l("Tick the box to confirm the cancellation."))])
    submit = SubmitField(_l("Cancel my registration"))


class ButtonForm(Form):
    """A state-changing button: a POST with only a CSRF token."""

    submit = SubmitField(_l("Go"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AgendaChoiceForm(Form):
    sessions = MultiCheckboxField(_l("Sessions I will attend"), coerce=int)
    submit = SubmitField(_l("Save my agenda"))


class DocumentForm(Form):
    document = FileField(_l("Note verbale or nomination letter (PDF)"),
                         validators=[FileRequired(_l("Choose a PDF file."))])
    submit = SubmitField(_l("Upload"))


class SignInRequestForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send me a sign-in link"))


# --- Organizers ------------------------------------------------------------------------------------------------

class SettingsForm(Form):
    opens_at = DateTimeLocalField(_l("Registration opens"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    closes_at = DateTimeLocalField(_l("Registration closes"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    capacity = IntegerField(_l("Capacity (seats)"), validators=[Optional(), NumberRange(min=1, max=1_000_000)],
                            description=_l("Leave empty for no limit. Pending and approved registrations hold a seat."))
    needs_approval = BooleanField(_l("Organizers approve each registration"))
    version = HiddenField()
    submit = SubmitField(_l("Save registration settings"))

    def validate_closes_at(self, field):
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_("Registration must close after it opens."))


DECISION_CHOICES = [SelectChoice("approve", _l("Approve")), SelectChoice("decline", _l("Decline")),
                    SelectChoice("waitlist", _l("Move to the waiting list"))]


class DecisionForm(Form):
    action = SelectField(_l("Decision"), choices=DECISION_CHOICES, validators=[InputRequired()])
    submit = SubmitField(_l("Apply"))


class BulkDecisionForm(Form):
    action = SelectField(_l("With the selected registrations"), choices=DECISION_CHOICES,
                         validators=[InputRequired()])
    ids = SelectMultipleField(_l("Registrations"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Apply to selected"))

    def validate_ids(self, field):
        if not field.data:
            raise ValidationError(_("Select at least one registration."))


class ImportForm(Form):
    file = FileField(_l("Delegation list (CSV)"), validators=[FileRequired(_l("Choose a CSV file."))])
    submit = SubmitField(_l("Import the list"))


class DelegationForm(Form):
    organization = SelectField(_l("Organization"), coerce=int, validators=[InputRequired()])
    quota = IntegerField(_l("Quota (members)"), validators=[Optional(), NumberRange(min=1, max=10_000)],
                         description=_l("Leave empty for no quota."))
    over_quota_policy = SelectField(_l("Beyond the quota"), choices=[
        SelectChoice(OverQuotaPolicy.REFUSE.value, _l("Refuse the registration")),
        SelectChoice(OverQuotaPolicy.WAITLIST.value, _l("Put it on the waiting list"))])
    focal_point_email = EmailField(_l("Focal point's email"), validators=[Optional(), Email(), Length(max=254)],
                                   description=_l("They get an account that can see and approve this delegation "
                                                  "only."))
    head_of_delegation = StringField(_l("Head of delegation"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Create the delegation"))

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organization.choices = [SelectChoice(o.id, o.name) for o in organizations]
