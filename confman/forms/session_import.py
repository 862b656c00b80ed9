"""The session import's forms: the upload, and the confirmation that carries the previewed file back."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired

from confman.forms.base import Form


class ImportUploadForm(Form):
    file = FileField(_l("File (CSV, schedule.xml or schedule.json)"),
                     validators=[FileRequired(_l("Choose the file to import."))])


class ImportConfirmForm(Form):
    # The file itself (compressed, base64) and a signed token binding it to this event, this organizer and the
    # agenda as previewed: confirming never imports anything but what the preview showed.
    payload = HiddenField(validators=[DataRequired()])
    token = HiddenField(validators=[DataRequired()])
    filename = HiddenField()
