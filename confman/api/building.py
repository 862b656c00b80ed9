"""Organizers: speakers, organizations and co-hosts, themes, channels and tags, and publishing the agenda, through
the services of the organizer pages."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from confman.api import core, problems, schemas
from confman.api.idempotency import idempotent
from confman.extensions import db
from confman.models import CoHostRole, Event, Organization, OrganizationKind, ProtocolRank, Speaker
from confman.services import events as event_service
from confman.services import hosts, publication
from confman.services import speakers as speaker_service
from confman.timeutil import utcnow

blp = Blueprint("api_building", __name__, url_prefix=core.PREFIX,
                description="Organizers: speakers, organizations, co-hosts, themes, channels, tags, publishing")
BEARER = [{"bearer": []}]


class SpeakerSchema(Schema):
    id = fields.Integer(required=True)
    honorific = fields.String(required=True)
    name = fields.String(required=True)
    full_name = fields.String(required=True)
    title = fields.String(required=True)
    protocol_rank = schemas.enum(ProtocolRank, required=True)
    organization_id = schemas.nullable(fields.Integer, required=True)
    bio = fields.String(required=True)
    email = fields.String(required=True, metadata={"description": "private: organizers only"})
    session_ids = fields.List(fields.Integer(), required=True)
    links = fields.Nested(schemas.Links, required=True)


SpeakerPage = schemas.page_schema(SpeakerSchema, "SpeakerPage")
OrganizationPage = schemas.page_schema(schemas.OrganizationSchema, "OrganizationPage")


class SpeakerFields(schemas.Strict):
    honorific = fields.String(validate=validate.Length(max=40))
    name = fields.String(validate=validate.Length(min=1, max=200))
    title = fields.String(validate=validate.Length(max=200))
    protocol_rank = schemas.enum(ProtocolRank)
    organization_id = schemas.nullable(fields.Integer, **schemas.ID)
    bio = fields.String(validate=validate.Length(max=20000))
    email = fields.String(validate=validate.Length(max=254))


class SpeakerCreate(SpeakerFields):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class OrganizationCreate(schemas.Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    short_name = fields.String(validate=validate.Length(max=60), load_default="")
    kind = schemas.enum(OrganizationKind, load_default="other")
    country_code = schemas.nullable(fields.String, validate=validate.Length(max=2))


class CoHostCreate(schemas.Strict):
    organization_id = fields.Integer(required=True, **schemas.ID)
    role = schemas.enum(CoHostRole, load_default="co_host")


class LabelCreate(schemas.Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    colour = fields.String(validate=validate.Regexp(r"^#[0-9a-fA-F]{6}$"), metadata={"description": "themes"})
    pattern = fields.String(validate=validate.OneOf(["solid", "striped", "dotted", "hatched"]),
                            metadata={"description": "themes"})
    livestream_url = fields.URL(schemes={"https", "http"}, validate=validate.Length(max=500),
                                metadata={"description": "channels"})


class LabelSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)


class PublishArgs(schemas.Strict):
    comment = fields.String(validate=validate.Length(max=2000), load_default="")


def speaker_json(event: Event, speaker: Speaker) -> dict[str, Any]:
    return {"id": speaker.id, "honorific": speaker.honorific, "name": speaker.name, "full_name": speaker.full_name,
            "title": speaker.title, "protocol_rank": speaker.protocol_rank.value,
            "organization_id": speaker.organization_id, "bio": speaker.bio, "email": speaker.email,
            "session_ids": sorted(p.session_id for p in speaker.participations),
            "links": {"self": core.api_url(f"/events/{event.slug}/speakers/{speaker.id}")}}


def _organization(org_id: int | None, field: str = "organization_id") -> Organization | None:
    if org_id is None:
        return None
    org = db.session.get(Organization, org_id)
    if org is None:
        raise problems.validation([(field, f"There is no organization {org_id}.")])
    return org


def _speaker_values(args: dict) -> dict:
    values = {k: v for k, v in args.items()}
    if "protocol_rank" in values:
        values["protocol_rank"] = ProtocolRank(values["protocol_rank"])
    if "email" in values:
        values["email"] = values["email"].strip().lower()
    _organization(values.get("organization_id"))
    return values


@blp.route("/events/<slug>/speakers")
@blp.doc(security=BEARER)
@blp.arguments(schemas.PageArgs, location="query")
@blp.response(200, SpeakerPage)
@core.guard(core.ORGANIZE)
def list_speakers(args, slug: str):
    """Every speaker of the event, published or not, with their private email."""
    event = core.staff_event(slug)
    items = db.session.scalars(select(Speaker).filter_by(event_id=event.id).order_by(Speaker.id)).all()
    return core.answer(core.page_of(list(items), args, lambda s: speaker_json(event, s)))


@blp.route("/events/<slug>/speakers", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(SpeakerCreate)
@blp.response(201, SpeakerSchema)
@idempotent
@core.guard(core.ORGANIZE)
def create_speaker(args, slug: str):
    event = core.staff_event(slug, write=True)
    try:
        speaker = speaker_service.create_speaker(event, actor=core.actor(), now=utcnow(), **_speaker_values(args))
    except speaker_service.InvalidSpeaker as error:
        db.session.rollback()
        raise problems.validation([("name", str(error))]) from None
    db.session.commit()
    body = speaker_json(event, speaker)
    return core.answer(body, status=201, headers={"Location": body["links"]["self"]})


@blp.route("/events/<slug>/speakers/<int:speaker_id>")
@blp.doc(security=BEARER)
@blp.response(200, SpeakerSchema)
@core.guard(core.ORGANIZE)
def get_speaker(slug: str, speaker_id: int):
    event = core.staff_event(slug)
    return core.answer(speaker_json(event, core.owned(Speaker, speaker_id, event, "speaker")))


@blp.route("/events/<slug>/speakers/<int:speaker_id>", methods=["PATCH"])
@blp.doc(security=BEARER)
@blp.arguments(SpeakerFields)
@blp.response(200, SpeakerSchema)
@core.guard(core.ORGANIZE)
def change_speaker(args, slug: str, speaker_id: int):
    event = core.staff_event(slug, write=True)
    speaker = core.owned(Speaker, speaker_id, event, "speaker")
    try:
        speaker_service.update_speaker(speaker, actor=core.actor(), now=utcnow(), **_speaker_values(args))
    except speaker_service.InvalidSpeaker as error:
        db.session.rollback()
        raise problems.validation([("name", str(error))]) from None
    db.session.commit()
    return core.answer(speaker_json(event, speaker))


@blp.route("/events/<slug>/speakers/<int:speaker_id>", methods=["DELETE"])
@blp.doc(security=BEARER)
@blp.response(204)
@core.guard(core.ORGANIZE)
def delete_speaker(slug: str, speaker_id: int):
    """Remove a speaker and their part in every session."""
    event = core.staff_event(slug, write=True)
    speaker_service.delete_speaker(core.owned(Speaker, speaker_id, event, "speaker"), actor=core.actor(),
                                   now=utcnow())
    db.session.commit()
    return core.answer(status=204)


def _org_json(org: Organization) -> dict:
    return {"id": org.id, "name": org.name, "short_name": org.short_name, "kind": org.kind.value,
            "country_code": org.country_code}


@blp.route("/organizations")
@blp.arguments(schemas.PageArgs, location="query")
@blp.response(200, OrganizationPage)
def list_organizations(args):
    """Member States, UN entities and other bodies known to this installation, by name."""
    orgs = db.session.scalars(select(Organization).order_by(Organization.name, Organization.id)).all()
    return core.answer(core.page_of(list(orgs), args, _org_json))


@blp.route("/events/<slug>/organizations", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(OrganizationCreate)
@blp.response(201, schemas.OrganizationSchema)
@idempotent
@core.guard(core.ORGANIZE)
def create_organization(args, slug: str):
    """Add an organization (for a speaker, a co-host or a delegation of this event)."""
    event = core.staff_event(slug, write=True)
    try:
        org = hosts.create_organization(name=args["name"], short_name=args["short_name"],
                                        kind=OrganizationKind(args["kind"]), country_code=args.get("country_code"),
                                        event=event, actor=core.actor(), now=utcnow())
    except hosts.InvalidOrganization as error:
        db.session.rollback()
        raise problems.validation([(error.field or "name", str(error))]) from None
    db.session.commit()
    return core.answer(_org_json(org), status=201)


@blp.route("/events/<slug>/co-hosts", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(CoHostCreate)
@blp.response(201, schemas.CoHostSchema)
@idempotent
@core.guard(core.ORGANIZE)
def add_co_host(args, slug: str):
    """Add a co-host, last in protocol order."""
    event = core.staff_event(slug, write=True)
    org = _organization(args["organization_id"])
    try:
        host = hosts.add_co_host(event, org, role=CoHostRole(args["role"]), actor=core.actor(), now=utcnow())
    except hosts.AlreadyCoHost as error:
        db.session.rollback()
        raise problems.conflict(str(error)) from None
    db.session.commit()
    return core.answer({"position": host.position, "role": host.role.value, "organization": _org_json(org)},
                       status=201)


def _label_view(kind: str):
    def create(args, slug: str):
        event = core.staff_event(slug, write=True)
        allowed = {"theme": ("colour", "pattern"), "channel": ("livestream_url",), "tag": ()}[kind]
        extra = sorted(set(args) - {"name", *allowed})
        if extra:
            raise problems.validation([(name, f"A {kind} has no {name}.") for name in extra])
        try:
            obj = event_service.save_label(event, kind, actor=core.actor(), now=utcnow(), **args)
        except event_service.NameTaken as error:
            db.session.rollback()
            raise problems.conflict(str(error)) from None
        db.session.commit()
        return core.answer({"id": obj.id, "slug": obj.slug, "name": obj.name}, status=201)

    create.__name__ = f"create_{kind}"
    create.__doc__ = f"Add a {kind} to the event; its slug follows its name."
    return create


for _kind in ("theme", "channel", "tag"):
    blp.route(f"/events/<slug>/{_kind}s", methods=["POST"])(
        blp.doc(security=BEARER)(blp.arguments(LabelCreate)(blp.response(201, LabelSchema)(
            idempotent(core.guard(core.ORGANIZE)(_label_view(_kind)))))))


@blp.route("/events/<slug>/publications", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(PublishArgs)
@blp.response(201, schemas.VersionSchema)
@idempotent
@core.guard(core.ORGANIZE)
def publish(args, slug: str):
    """Publish the working agenda as a new version: delegates, calendars and exports see it at once."""
    from confman.web.programme import queue_programme_render

    event = core.staff_event(slug, write=True)
    now = utcnow()
    try:
        version = publication.publish_agenda(event, actor=core.actor(), now=now, comment=args["comment"])
    except publication.NothingToPublish as error:
        db.session.rollback()
        raise problems.conflict(str(error)) from None
    queue_programme_render(event, now=now, live=False)
    db.session.commit()
    location = core.api_url(f"/events/{slug}/agenda?version={version.number}")
    return core.answer({"number": version.number, "kind": version.kind.value, "comment": version.comment,
                        **core.instants("published_at", version.published_at, event.tz),
                        "changes": [{k: c[k] for k in ("change", "session_id", "title", "detail") if k in c}
                                    for c in version.changelog]},
                       status=201, headers={"Location": location})
