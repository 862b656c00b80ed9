"""Forms of the organizers' webhook settings."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, URLField
from wtforms.validators import URL, DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from confman.forms.base import Form
from confman.services.webhooks import KINDS

try:  # WTForms 3.3 names choices; older versions take (value, label) pairs
    from wtforms.fields.choices import SelectChoice

    _CHOICES = [SelectChoice(kind, _l(label)) for kind, label in KINDS.items()]  # msgids: web.wording
except ImportError:  # pragma: no cover
    _CHOICES = [(kind, _l(label)) for kind, label in KINDS.items()]


class WebhookForm(Form):
    url = URLField(_l("Receiver address"), validators=[DataRequired(), URL(require_tld=False), Length(max=500)])
    kinds = SelectMultipleField(
        "Notifications to send", choices=_CHOICES, default=list(KINDS),
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        validators=[DataRequired(message=_l("Choose at least one notification."))],
    )


class WebhookButtonForm(Form):
    """Remove or rotate: a POST with a CSRF token and nothing else."""
