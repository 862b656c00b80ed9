"""The API's shapes as marshmallow schemas: they validate what comes in, and they are the OpenAPI document.

Answers are built as plain dicts by the views (fast, and the schemathesis contract test holds them to these
schemas); requests are parsed by these schemas before a view runs, so a bad field is a 422 naming it.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from confman.models import (
    CoHostRole,
    EventFormat,
    EventStatus,
    OverQuotaPolicy,
    ParticipationRole,
    ProtocolRank,
    RegistrationCategory,
    RegistrationStatus,
    SessionKind,
    SessionStatus,
    VideoStatus,
)

ID = {"validate": validate.Range(min=1, max=2**31 - 1)}


def enum(values, **kwargs):
    return fields.String(validate=validate.OneOf([v.value for v in values]), **kwargs)


def instant(**kwargs):
    return fields.DateTime(**kwargs)


def nullable(field_class, *args, **kwargs):
    return field_class(*args, allow_none=True, **kwargs)


class Strict(Schema):
    """Request bodies: an unknown field is an error (a typo must not be ignored silently)."""


# --- errors and pages ---------------------------------------------------------------------------------------------

class FieldError(Schema):
    location = fields.String(required=True, metadata={"description": "json, query, path or header"})
    field = fields.String(required=True)
    messages = fields.List(fields.String(), required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"description": "a URI naming the problem; see /api/#problems"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    instance = fields.String()
    errors = fields.List(fields.Nested(FieldError), metadata={"description": "validation problems, field by field"})
    current_version = fields.Integer(metadata={"description": "a stale version: the version now stored"})
    changes = fields.List(fields.Dict(), metadata={"description": "a stale version: what changed since yours"})


class PageArgs(Schema):
    cursor = fields.String(validate=validate.Length(max=40), metadata={"description": "next_cursor of the page before"})
    limit = fields.Integer(validate=validate.Range(min=1, max=200), metadata={"description": "items per page (50)"})


def page_schema(item_schema, name: str):
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next_cursor": nullable(fields.String, required=True),
        "total": fields.Integer(required=True),
    }, name=name)


# --- public reads -----------------------------------------------------------------------------------------------

class Links(Schema):
    self = fields.String(required=True)
    html = fields.String()


class RegistrationWindow(Schema):
    opens_at = nullable(instant, required=True)
    opens_at_local = nullable(fields.String, required=True)
    closes_at = nullable(instant, required=True)
    closes_at_local = nullable(fields.String, required=True)
    capacity = nullable(fields.Integer, required=True)
    needs_approval = fields.Boolean(required=True)


class EventSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    short_title = fields.String(required=True)
    description = fields.String(required=True, metadata={"description": "Markdown"})
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    timezone = fields.String(required=True, metadata={"description": "IANA name: the zone of every *_local"})
    format = enum(EventFormat, required=True)
    venue = fields.String(required=True)
    status = enum(EventStatus, required=True)
    parent = nullable(fields.String, required=True, metadata={"description": "slug of the series event"})
    agenda_version = fields.Integer(required=True, metadata={"description": "the published version (0: none)"})
    registration = fields.Nested(RegistrationWindow, required=True)
    links = fields.Nested(Links, required=True)


class ThemeSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    colour = fields.String(required=True)
    pattern = fields.String(required=True)


class ChannelSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    position = fields.Integer(required=True)
    livestream_url = fields.String(required=True)


class TagSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)


class OrganizationSchema(Schema):
    id = fields.Integer()
    name = fields.String(required=True)
    short_name = fields.String(required=True)
    kind = fields.String()
    country_code = nullable(fields.String, required=True)


class CoHostSchema(Schema):
    position = fields.Integer(required=True)
    role = enum(CoHostRole, required=True)
    organization = fields.Nested(OrganizationSchema, required=True)


class LabelRef(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)


class SpeakingPart(Schema):
    speaker_id = fields.Integer(required=True)
    name = fields.String(required=True)
    role = enum(ParticipationRole, required=True)
    position = fields.Integer(required=True)
    time_limit_minutes = nullable(fields.Integer, required=True)


class PublicVideo(Schema):
    speaker_id = nullable(fields.Integer, required=True)
    allowed_length_seconds = fields.Integer(required=True)


class PublicSessionSchema(Schema):
    id = fields.Integer(required=True)
    kind = enum(SessionKind, required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    status = enum(SessionStatus, required=True)
    starts_at = instant(required=True)
    starts_at_local = fields.String(required=True)
    ends_at = instant(required=True)
    ends_at_local = fields.String(required=True)
    duration_minutes = fields.Integer(required=True)
    theme = nullable(fields.Nested, LabelRef, required=True)
    channel = nullable(fields.Nested, LabelRef, required=True)
    tags = fields.List(fields.Nested(LabelRef), required=True)
    speakers = fields.List(fields.Nested(SpeakingPart), required=True, metadata={"description": "speaking order"})
    video_message = nullable(fields.Nested, PublicVideo, required=True)
    sequence = fields.Integer(required=True, metadata={"description": "iCal SEQUENCE"})
    updated_at = instant(required=True)
    is_fixed = fields.Boolean(required=True)
    links = fields.Nested(Links, required=True)


class PublicSpeakerSchema(Schema):
    id = fields.Integer(required=True)
    honorific = fields.String(required=True)
    name = fields.String(required=True)
    full_name = fields.String(required=True)
    title = fields.String(required=True)
    protocol_rank = enum(ProtocolRank, required=True)
    organization = nullable(fields.Nested, OrganizationSchema, required=True)
    bio = fields.String(required=True)
    has_photo = fields.Boolean(required=True)
    session_ids = fields.List(fields.Integer(), required=True)
    links = fields.Nested(Links, required=True)


class AgendaSchema(Schema):
    event = fields.String(required=True, metadata={"description": "the event's slug"})
    timezone = fields.String(required=True)
    version = fields.Integer(required=True)
    published_at = nullable(instant, required=True)
    themes = fields.List(fields.Nested(ThemeSchema), required=True)
    channels = fields.List(fields.Nested(LabelRef), required=True)
    tags = fields.List(fields.Nested(TagSchema), required=True)
    sessions = fields.List(fields.Nested(PublicSessionSchema), required=True)
    speakers = fields.List(fields.Nested(PublicSpeakerSchema), required=True)


class AgendaArgs(Schema):
    version = fields.Integer(validate=validate.Range(min=1, max=10**6),
                             metadata={"description": "a published version number (default: the latest)"})


class SessionFilterArgs(PageArgs):
    version = fields.Integer(validate=validate.Range(min=1, max=10**6))
    theme = fields.String(validate=validate.Length(max=80), metadata={"description": "a theme's slug"})
    day = fields.Date(metadata={"description": "a day of the event, in its zone"})


class ChangeSchema(Schema):
    change = fields.String(required=True, metadata={"description": "added, moved, cancelled, renamed, ..."})
    session_id = fields.Integer(required=True)
    title = fields.String(required=True)
    detail = fields.String()


class VersionSchema(Schema):
    number = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"description": "release, or live (an amendment on the day)"})
    published_at = instant(required=True)
    published_at_local = fields.String(required=True)
    comment = fields.String(required=True)
    changes = fields.List(fields.Nested(ChangeSchema), required=True)


class LiveSchema(Schema):
    """The live state, as live.json has it: now, next and how late, per channel."""

    class Meta:
        unknown = "include"

    etag = fields.String()
    poll_seconds = fields.Integer()


class ListOfSpeakersSchema(Schema):
    session = fields.Dict(required=True, metadata={"description": "id, title and url of the session"})
    open_for_inscriptions = fields.Boolean(required=True)
    opens_at = nullable(fields.String, required=True)
    closes_at = nullable(fields.String, required=True)
    cap = nullable(fields.Integer, required=True)
    entries = fields.List(fields.Dict(), required=True, metadata={"description": "in calling order"})


class MeSchema(Schema):
    name = fields.String(required=True)
    scope = fields.String(required=True)
    event = fields.String(required=True)
    user = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    created_at = instant(required=True)
    last_used_at = nullable(instant, required=True)


# enums the write schemas of the other modules share
ENUMS = {"kind": SessionKind, "status": RegistrationStatus, "category": RegistrationCategory,
         "video_status": VideoStatus, "policy": OverQuotaPolicy}
