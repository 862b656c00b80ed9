"""Forms of the organizer pages: they check shape; the services check the rules."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
    ValidationError,
    widgets,
)
from wtforms.validators import URL, DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp

from confman.forms.base import Form
from confman.models import (
    CoHostRole,
    EventFormat,
    EventStatus,
    OrganizationKind,
    ParticipationRole,
    ProtocolRank,
    SessionKind,
)
from confman.services.events import SLUG_PATTERN
from confman.services.uploads import MAX_IMAGE_BYTES
from confman.timeutil import suggest_zone, zone_or_none

try:  # WTForms 3.3 deprecates (value, label) tuples
    from wtforms.fields.choices import SelectChoice as _Choice
except ImportError:  # pragma: no cover - older WTForms
    def _Choice(value, label):  # noqa: N802
        return (value, label)


def choices(pairs) -> list:
    """(value, label) pairs as the installed WTForms wants them."""
    return [_Choice(value, label) for value, label in pairs]


LOCAL_FORMAT = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
_strip = [lambda v: v.strip() if isinstance(v, str) else v]


def _choices(enum_class, label=lambda m: m.value.replace("_", " ").capitalize()):
    """Enum choices worded when the form renders: their English labels are msgids of the web layer's labels."""
    return choices((m.value, _l(getattr(m, "label", None) or label(m))) for m in enum_class)


def _id_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ImageField(FileField):
    def __init__(self, label, **kwargs):
        super().__init__(label, validators=[
            Optional(), FileAllowed(["png", "jpg", "jpeg", "webp"], _l("Upload a PNG, JPEG or WebP image.")),
            FileSize(max_size=MAX_IMAGE_BYTES, message=_l("The image must be 2 MB or smaller.")),
        ], **kwargs)


class EventForm(Form):
    title = StringField(_l("Title"), filters=_strip, validators=[DataRequired(), Length(max=300)])
    short_title = StringField(_l("Short title"), filters=_strip, validators=[Optional(), Length(max=80)])
    slug = StringField(_l("Address (slug)"), filters=_strip, validators=[
        DataRequired(), Length(max=80),
        Regexp(SLUG_PATTERN, message=_l("Use lower-case letters, digits and single hyphens, like prepcon-2021."))])
    starts_on = DateField(_l("First day"), validators=[InputRequired(message=_l("Enter the first day."))])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(message=_l("Enter the last day."))])
    timezone = StringField(_l("Time zone (IANA)"), filters=_strip, validators=[DataRequired(), Length(max=64)])
    format = SelectField(_l("Format"), choices=_choices(EventFormat))
    venue = StringField(_l("Venue or platform"), filters=_strip, validators=[Optional(), Length(max=200)])
    joining_link = URLField(_l("Joining link (never public)"), filters=_strip, validators=[
        Optional(), URL(message=_l("Enter a full web address starting with https://.")), Length(max=500)])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional(), Length(max=20_000)])
    status = SelectField(_l("Status"), choices=_choices(EventStatus))
    parent_id = SelectField(_l("Part of (series or parent event)"), coerce=_id_or_none)
    registration_opens_at = DateTimeLocalField(_l("Registration opens"), format=LOCAL_FORMAT, validators=[Optional()])
    registration_closes_at = DateTimeLocalField(_l("Registration closes"), format=LOCAL_FORMAT, validators=[Optional()])
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=1, max=1_000_000)])
    needs_approval = BooleanField(_l("Registrations need approval"))
    registration_notice = TextAreaField(_l("Notice on the registration form (Markdown)"),
                                        validators=[Optional(), Length(max=5_000)])
    version = HiddenField()

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id.choices = choices([(None, _("— none —"))] + [(e.id, e.title) for e in parents])

    def validate_timezone(self, field):
        if zone_or_none(field.data) is None:
            suggestion = suggest_zone(field.data)
            if suggestion:
                raise ValidationError(str(_l(
                    "“%(text)s” is not an IANA time zone (like Europe/Amsterdam). Did you mean %(zone)s?",
                    text=field.data, zone=suggestion)))
            raise ValidationError(_("“%(zone)s” is not an IANA time zone (like Europe/Amsterdam).", zone=field.data))

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_("The last day cannot be before the first day."))

    def validate_registration_closes_at(self, field):
        opens = self.registration_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError(_("Registration must close after it opens."))


class CloneForm(Form):
    title = StringField(_l("Title of the new edition"), filters=_strip, validators=[DataRequired(), Length(max=300)])
    slug = StringField(_l("Address (slug)"), filters=_strip, validators=[
        DataRequired(), Length(max=80),
        Regexp(SLUG_PATTERN, message=_l("Use lower-case letters, digits and single hyphens, like prepcon-2022."))])
    starts_on = DateField(_l("First day"), validators=[InputRequired(message=_l("Enter the first day."))])


class LabelForm(Form):
    """A theme, tag or channel."""

    name = StringField(_l("Name"), filters=_strip, validators=[DataRequired(), Length(max=120)])


class ThemeForm(LabelForm):
    colour = StringField(_l("Colour"), default="#1f4e79", filters=_strip, validators=[
        DataRequired(), Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Use a colour like #1f4e79."))])
    pattern = SelectField(_l("Pattern (for print and colour-blind readers)"),
                          choices=choices([("solid", _l("Solid")), ("striped", _l("Striped")),
                                           ("dotted", _l("Dotted"))]))


class OrganizationForm(Form):
    name = StringField(_l("Name"), filters=_strip, validators=[DataRequired(), Length(max=200)])
    short_name = StringField(_l("Short name"), filters=_strip, validators=[Optional(), Length(max=60)])
    kind = SelectField(_l("Kind"), choices=_choices(OrganizationKind))
    country_code = StringField(_l("Country code (ISO, for Member States)"), filters=_strip,
                               validators=[Optional(), Length(min=2, max=2)])


class CoHostForm(Form):
    organization_id = SelectField(_l("Organization"), coerce=_id_or_none,
                                  validators=[DataRequired(message=_l("Pick an organization."))])
    role = SelectField(_l("Role"), choices=_choices(CoHostRole, lambda m: m.value.replace("_", "-").capitalize()))


class CoHostRoleForm(Form):
    role = SelectField(_l("Role"), choices=_choices(CoHostRole, lambda m: m.value.replace("_", "-").capitalize()))


class LogoForm(Form):
    logo = ImageField(_l("Logo (PNG, JPEG or WebP, up to 2 MB)"))

    def validate_logo(self, field):
        if not field.data:
            raise ValidationError(_("Choose an image file."))


class SessionForm(Form):
    title = StringField(_l("Title"), filters=_strip, validators=[DataRequired(message=_l("A session needs a title.")),
                                                            Length(max=200)])
    kind = SelectField(_l("Kind"), choices=_choices(SessionKind))
    theme_id = SelectField(_l("Theme"), coerce=_id_or_none)
    starts_at = DateTimeLocalField(_l("Starts"), format=LOCAL_FORMAT,
                                   validators=[InputRequired(message=_l("Enter a start date and time."))])
    duration = IntegerField(_l("Duration (minutes)"), validators=[
        InputRequired(message=_l("Enter a duration in minutes.")),
        NumberRange(min=1, max=1440, message=_l("Between 1 and 1440 minutes."))])
    channel_id = SelectField(_l("Channel"), coerce=_id_or_none)
    tag_ids = CheckboxListField(_l("Topics"), coerce=int)
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional(), Length(max=20_000)])
    notes = TextAreaField(_l("Notes for organizers and moderators"), validators=[Optional(), Length(max=20_000)])
    is_fixed = BooleanField(_l("Fixed start: never moved when earlier sessions run late"))
    version = HiddenField()

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme_id.choices = choices([(None, _("— no theme —"))] + [(t.id, t.name) for t in event.themes])
        self.channel_id.choices = choices([(None, _("— no channel —"))] + [(c.id, c.name) for c in event.channels])
        self.tag_ids.choices = choices((t.id, t.name) for t in event.tags)


class MoveForm(Form):
    day = SelectField(_l("Day"))
    start_time = TimeField(_l("Start time"), validators=[InputRequired(message=_l("Enter a start time."))])
    channel_id = SelectField(_l("Channel"), coerce=_id_or_none)
    version = HiddenField()

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.day.choices = choices((d.isoformat(), format_date(d, "EEEE d MMMM y")) for d in event.days)
        self.channel_id.choices = choices([(None, _("— no channel —"))] + [(c.id, c.name) for c in event.channels])


class VersionForm(Form):
    """A state-changing button (cancel, reinstate) that carries the version the organizer saw."""

    version = HiddenField()


class ConfirmForm(Form):
    """A state-changing button without fields: the CSRF token is the point."""


class SpeakerForm(Form):
    honorific = StringField(_l("Honorific"), filters=_strip, validators=[Optional(), Length(max=40)],
                            description=_l("H.E., Ms., Mr., Dr., Lt. Gen."))
    name = StringField(_l("Name"), filters=_strip, validators=[DataRequired(message=_l("A speaker needs a name.")),
                                                          Length(max=200)])
    title = StringField(_l("Title"), filters=_strip, validators=[Optional(), Length(max=200)],
                        description=_l("Minister for Foreign Affairs"))
    protocol_rank = SelectField(_l("Protocol rank"), choices=_choices(ProtocolRank), default=ProtocolRank.OTHER.value)
    organization_id = SelectField(_l("Organization"), coerce=_id_or_none)
    bio = TextAreaField(_l("Biography (Markdown, public)"), validators=[Optional(), Length(max=20_000)])
    email = StringField(_l("Email (private: organizers only)"), filters=_strip,
                        validators=[Optional(), Email(message=_l("Enter a valid email address.")), Length(max=254)])
    photo = ImageField(_l("Photo (PNG, JPEG or WebP, up to 2 MB)"))
    remove_photo = BooleanField(_l("Remove the current photo"))

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organization_id.choices = choices([(None, _("— none —"))] + [(o.id, o.name) for o in organizations])


class ParticipationForm(Form):
    """One or several speakers at once: picked from the event's, typed as new names (one per line), or both."""

    speaker_id = SelectMultipleField(_l("Speakers of this event"), coerce=int)
    new_speakers = TextAreaField(_l("New speakers, one name per line"), validators=[Optional(), Length(max=5000)])
    role = SelectField(_l("Role"), choices=_choices(ParticipationRole), default=ParticipationRole.SPEAKER.value)
    time_limit = IntegerField(_l("Time limit (minutes)"), validators=[Optional(), NumberRange(min=1, max=240)])

    def new_names(self) -> list[str]:
        return [" ".join(line.split()) for line in (self.new_speakers.data or "").splitlines() if line.strip()]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not self.speaker_id.data and not self.new_names():
            self.speaker_id.errors.append(_("Pick a speaker, or type the names of new ones."))
            return False
        if ok and any(len(name) > 200 for name in self.new_names()):
            self.new_speakers.errors.append(_("A name is longer than 200 characters."))
            return False
        return ok


class ParticipationEditForm(Form):
    role = SelectField(_l("Role"), choices=_choices(ParticipationRole))
    time_limit = IntegerField(_l("Time limit (minutes)"), validators=[Optional(), NumberRange(min=1, max=240)])


class PublishForm(Form):
    comment = TextAreaField(_l("Note for delegates (optional)"), filters=_strip,
                            validators=[Optional(), Length(max=2000)])
    # Shown only while the event is a draft: publishing an agenda nobody can see would be a false promise.
    make_public = BooleanField(_l("Also make the event public, so the public sees its pages and this agenda"),
                               default=True)

