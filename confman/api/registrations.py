"""Organizers: registrations (list, filter, read, decide one or many, all or none) and delegations, through the
registration services (seats, quotas, the waiting list, the audit log and the outbox)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from confman.api import core, problems, schemas
from confman.api.idempotency import idempotent
from confman.extensions import db
from confman.models import (
    Delegation,
    Event,
    Organization,
    OverQuotaPolicy,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from confman.services import registration, users
from confman.services.registration import delegations
from confman.timeutil import utcnow
from confman.web import mailer

blp = Blueprint("api_registrations", __name__, url_prefix=core.PREFIX,
                description="Organizers: registrations, decisions and delegations")
BEARER = [{"bearer": []}]
DECISIONS = sorted(registration.DECISIONS)


class RegistrationSchema(Schema):
    id = fields.Integer(required=True)
    honorific = fields.String(required=True)
    name = fields.String(required=True)
    title = fields.String(required=True)
    email = fields.String(required=True)
    category = schemas.enum(RegistrationCategory, required=True)
    status = schemas.enum(RegistrationStatus, required=True)
    organization = fields.String(required=True)
    delegation_id = schemas.nullable(fields.Integer, required=True)
    needs = fields.String(required=True)
    registered_at = schemas.instant(required=True)
    registered_at_local = fields.String(required=True)
    decided_at = schemas.nullable(schemas.instant, required=True)
    version = fields.Integer(required=True, metadata={"description": "send it back with a decision"})
    links = fields.Nested(schemas.Links, required=True)


RegistrationPage = schemas.page_schema(RegistrationSchema, "RegistrationPage")


class RegistrationArgs(schemas.PageArgs):
    status = schemas.enum(RegistrationStatus)
    category = schemas.enum(RegistrationCategory)
    delegation_id = fields.Integer(**schemas.ID)
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "words in name, email, org"})


class Decided(schemas.Strict):
    id = fields.Integer(required=True, **schemas.ID)
    version = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))


class BulkDecision(schemas.Strict):
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    registrations = fields.List(fields.Nested(Decided), required=True, validate=validate.Length(min=1, max=1000))


class OneDecision(schemas.Strict):
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    version = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))


class DecisionResult(Schema):
    changed = fields.List(fields.Nested(RegistrationSchema), required=True,
                          metadata={"description": "the registrations this decision changed"})
    promoted = fields.List(fields.Integer(), required=True,
                           metadata={"description": "waitlisted registrations that got a freed seat"})


class DelegationSchema(Schema):
    id = fields.Integer(required=True)
    organization = fields.Nested(schemas.OrganizationSchema, required=True)
    quota = schemas.nullable(fields.Integer, required=True)
    over_quota_policy = schemas.enum(OverQuotaPolicy, required=True)
    head_of_delegation = fields.String(required=True)
    focal_point = schemas.nullable(fields.String, required=True)
    seats_taken = fields.Integer(required=True)
    links = fields.Nested(schemas.Links, required=True)


class DelegationCreate(schemas.Strict):
    organization_id = fields.Integer(required=True, **schemas.ID)
    quota = schemas.nullable(fields.Integer, validate=validate.Range(min=1, max=100000), load_default=None)
    over_quota_policy = schemas.enum(OverQuotaPolicy, load_default="refuse")
    focal_point_email = fields.Email(validate=validate.Length(max=254))
    head_of_delegation = fields.String(validate=validate.Length(max=200), load_default="")


def registration_json(event: Event, reg: Registration) -> dict[str, Any]:
    return {
        "id": reg.id, "honorific": reg.honorific, "name": reg.name, "title": reg.title, "email": reg.email,
        "category": reg.category.value, "status": reg.status.value,
        "organization": reg.organization.name if reg.organization else reg.organization_name,
        "delegation_id": reg.delegation_id, "needs": reg.needs,
        **core.instants("registered_at", reg.registered_at, event.tz), "decided_at": core.utc(reg.decided_at),
        "version": reg.version,
        "links": {"self": core.api_url(f"/events/{event.slug}/registrations/{reg.id}")},
    }


@blp.route("/events/<slug>/registrations")
@blp.doc(security=BEARER)
@blp.arguments(RegistrationArgs, location="query")
@blp.response(200, RegistrationPage)
@core.guard(core.ORGANIZE)
def list_registrations(args, slug: str):
    """Registrations in arrival order, filtered; the cursor pages through any number of them at one cost."""
    event = core.staff_event(slug)
    query = (select(Registration).where(Registration.event_id == event.id)
             .options(selectinload(Registration.organization)).order_by(Registration.id))
    for name, column in (("status", Registration.status), ("category", Registration.category),
                         ("delegation_id", Registration.delegation_id)):
        if args.get(name) is not None:
            query = query.where(column == args[name])
    for word in (args.get("q") or "").split():
        pattern = f"%{word.lower()}%"
        query = query.where(or_(func.lower(Registration.name).like(pattern), Registration.email.like(pattern),
                                func.lower(Registration.organization_name).like(pattern)))
    after = core.decode_cursor(args.get("cursor"))  # keyset: the last id of the page before
    limit = args.get("limit") or core.DEFAULT_LIMIT
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.where(Registration.id > after).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return core.answer({"items": [registration_json(event, r) for r in rows],
                        "next_cursor": core.encode_cursor(rows[-1].id) if more else None, "total": total})


@blp.route("/events/<slug>/registrations/<int:registration_id>")
@blp.doc(security=BEARER)
@blp.response(200, RegistrationSchema)
@core.guard(core.ORGANIZE)
def get_registration(slug: str, registration_id: int):
    event = core.staff_event(slug)
    return core.answer(registration_json(event, core.owned(Registration, registration_id, event, "registration")))


def _decide(event: Event, decision: str, wanted: dict[int, int]):
    """All or none: lock the event, check every version sent, then decide through the service."""
    registration.lock_event(event)
    current = {r.id: r for r in db.session.scalars(
        select(Registration).where(Registration.event_id == event.id, Registration.id.in_(wanted))
        .execution_options(populate_existing=True))}
    missing = sorted(set(wanted) - set(current))
    if missing:
        db.session.rollback()
        raise core.not_found(f"This event has no registration {', '.join(map(str, missing))}. Nothing was changed.")
    stale = [r for rid, r in current.items() if r.version != wanted[rid]]
    if stale:
        changes = [{"id": r.id, "version": r.version, "status": r.status.value, "decided_at": core.utc(r.decided_at)}
                   for r in sorted(stale, key=lambda r: r.id)]
        db.session.rollback()
        raise core.Problem(409, "stale-version", "Some registrations changed since the versions you sent",
                           "Nothing was changed. Read them again and decide with their new versions.",
                           current_version=changes[0]["version"], changes=changes)
    waiting = set(db.session.scalars(select(Registration.id).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED)))
    try:
        changed = registration.decide(event, list(wanted), decision, actor=core.actor(), now=utcnow())
    except (registration.EventFull, registration.DelegationFull, registration.DecisionNotAllowed) as error:
        mailer.discard()
        raise problems.conflict(str(error)) from None
    promoted = sorted(rid for rid in waiting if rid not in wanted
                      and db.session.get(Registration, rid).status != RegistrationStatus.WAITLISTED)
    db.session.commit()
    mailer.send()
    return core.answer({"changed": [registration_json(event, r) for r in changed], "promoted": promoted})


@blp.route("/events/<slug>/registrations/decisions", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(BulkDecision)
@blp.response(200, DecisionResult)
@core.guard(core.ORGANIZE)
def decide_many(args, slug: str):
    """Approve, decline or waitlist many registrations at once: all or none (seats, quotas, versions)."""
    event = core.staff_event(slug, write=True)
    wanted = {r["id"]: r["version"] for r in args["registrations"]}
    return _decide(event, args["decision"], wanted)


@blp.route("/events/<slug>/registrations/<int:registration_id>/decision", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(OneDecision)
@blp.response(200, DecisionResult)
@core.guard(core.ORGANIZE)
def decide_one(args, slug: str, registration_id: int):
    event = core.staff_event(slug, write=True)
    return _decide(event, args["decision"], {registration_id: args["version"]})


def delegation_json(event: Event, d: Delegation) -> dict[str, Any]:
    org = d.organization
    return {"id": d.id, "organization": {"id": org.id, "name": org.name, "short_name": org.short_name,
                                         "kind": org.kind.value, "country_code": org.country_code},
            "quota": d.quota, "over_quota_policy": d.over_quota_policy.value,
            "head_of_delegation": d.head_of_delegation, "focal_point": d.focal_point.email if d.focal_point else None,
            "seats_taken": registration.delegation_seats_taken(d),
            "links": {"self": core.api_url(f"/events/{event.slug}/delegations/{d.id}")}}


@blp.route("/events/<slug>/delegations")
@blp.doc(security=BEARER)
@blp.response(200, DelegationSchema(many=True))
@core.guard(core.ORGANIZE)
def list_delegations(slug: str):
    event = core.staff_event(slug)
    return core.answer([delegation_json(event, d) for d in delegations.event_delegations(event)])


@blp.route("/events/<slug>/delegations/<int:delegation_id>")
@blp.doc(security=BEARER)
@blp.response(200, DelegationSchema)
@core.guard(core.ORGANIZE)
def get_delegation(slug: str, delegation_id: int):
    event = core.staff_event(slug)
    return core.answer(delegation_json(event, core.owned(Delegation, delegation_id, event, "delegation")))


@blp.route("/events/<slug>/delegations", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(DelegationCreate)
@blp.response(201, DelegationSchema)
@idempotent
@core.guard(core.ORGANIZE)
def create_delegation(args, slug: str):
    """A delegation with its quota; a focal point's address gets an account and a sign-in message."""
    event = core.staff_event(slug, write=True)
    org = db.session.get(Organization, args["organization_id"])
    if org is None:
        raise problems.validation([("organization_id", f"There is no organization {args['organization_id']}.")])
    try:
        d = delegations.create_delegation(
            event, org, quota=args["quota"], policy=OverQuotaPolicy(args["over_quota_policy"]),
            focal_point_email=args.get("focal_point_email", ""), head_of_delegation=args["head_of_delegation"],
            actor=core.actor(), now=utcnow())
    except delegations.DelegationExists as error:
        mailer.discard()
        raise problems.conflict(str(error)) from None
    except users.InvalidEmail:
        mailer.discard()
        raise problems.validation([("focal_point_email", "This is not a valid email address.")]) from None
    db.session.commit()
    mailer.send()
    body = delegation_json(event, d)
    return core.answer(body, status=201, headers={"Location": body["links"]["self"]})
