"""The team page's forms: add someone with a role, remove a role."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, SelectField
from wtforms.validators import DataRequired, Email, Length

from confman.forms.base import Form
from confman.forms.manage import _id_or_none, choices

ROLE_LABELS = {"organizer": _l("Organizer"), "moderator": _l("Moderator"), "interpreter": _l("Interpreter"),
               "focal_point": _l("Focal point of a delegation")}


class TeamGrantForm(Form):
    email = EmailField(_l("Email of the person"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS.items()))
    delegation_id = SelectField(_l("Delegation (for a focal point)"), coerce=_id_or_none)

    def __init__(self, *args, delegations, **kwargs):
        super().__init__(*args, **kwargs)
        self.delegation_id.choices = choices([(None, "—")] + [(d.id, d.organization.name) for d in delegations])


class TeamRevokeForm(Form):
    user_id = HiddenField(validators=[DataRequired()])
    role = HiddenField(validators=[DataRequired()])
    delegation_id = HiddenField()
