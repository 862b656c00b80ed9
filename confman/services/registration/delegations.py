"""Delegations: quotas, focal points, delegates' accounts, and importing a delegation's list (all or nothing)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from confman import catalogues, plaintext
from confman.extensions import db
from confman.models import (
    Delegation,
    Event,
    Organization,
    OrganizationKind,
    OverQuotaPolicy,
    Registration,
    RegistrationCategory,
    User,
)
from confman.services import ConfmanError, audit, outbox, permissions, users
from confman.services.registration.registering import Details, delegation_for, find_registration, register
from confman.services.registration.seats import delegation_seats_taken, lock_event


class DelegationExists(ConfmanError):
    pass


class ImportFailed(ConfmanError):
    def __init__(self, errors: list[str]):
        super().__init__(f"The file was not imported: {len(errors)} problem(s). Nothing was changed.")
        self.errors = errors


def delegate_account(email: str, *, name: str, now: datetime) -> User:
    """The account of `email`, created (without a password: delegates sign in by emailed link) if there is none.

    Safe against a racing registration of the same address for another event: a savepoint absorbs the
    duplicate, and the other request's account is used.
    """
    email = users.normalize_email(email)
    user = users.find_by_email(email)
    if user is not None:
        return user
    try:
        with db.session.begin_nested():
            user = users.create_user(email, password=None, now=now, name=name)
    except (IntegrityError, users.UserAlreadyExists):
        user = users.find_by_email(email)
        if user is None:
            raise
    return user


def can_review(user: User | None, delegation: Delegation) -> bool:
    """Organizers of the event, and the delegation's own focal point."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return permissions.can_organize(user, delegation.event) or (
        user.is_active and delegation.focal_point_id == user.id)


def focal_point_delegations(user: User) -> Sequence[Delegation]:
    return db.session.scalars(select(Delegation).where(Delegation.focal_point_id == user.id)).all()


def event_delegations(event: Event) -> Sequence[Delegation]:
    return db.session.scalars(
        select(Delegation).join(Organization).where(Delegation.event_id == event.id).order_by(Organization.name)
    ).all()


def create_delegation(event: Event, organization: Organization, *, quota: int | None, policy: OverQuotaPolicy,
                      focal_point_email: str, head_of_delegation: str, actor: User, now: datetime) -> Delegation:
    """Raises DelegationExists, users.InvalidEmail. Tells the focal point by message. Flushes."""
    if delegation_for(event, organization) is not None:
        raise DelegationExists(f"{organization.name} already has a delegation for this event.")
    delegation = Delegation(event=event, organization=organization, quota=quota, over_quota_policy=policy,
                            head_of_delegation=head_of_delegation.strip())
    if focal_point_email.strip():
        focal_point = delegate_account(focal_point_email, name="", now=now)
        delegation.focal_point = focal_point
        language = outbox.mail_language(user=focal_point, event=event)
        _ = catalogues.gettext_for(language)
        reason = _(
            "You are the focal point of the delegation of %(organization)s to %(event)s: you can see and approve "
            "its members' registrations.", organization=organization.name, event=event.title)
        outbox.notify_sign_in(to_email=focal_point.email, now=now, event=event, reason=reason, language=language)
    db.session.add(delegation)
    db.session.flush()
    # Delegates of this organization who registered before the delegation existed join it (their seats are
    # already decided: the quota applies to decisions from now on).
    earlier = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.organization_id == organization.id,
        Registration.delegation_id.is_(None))).all()
    for registration in earlier:
        registration.delegation = delegation
    audit.record(event=event, actor=actor, action="delegation.created", target_type="delegation",
                 target_id=delegation.id, now=now, summary=f"Delegation of {organization.name} (quota {quota})",
                 after={"attached_registrations": len(earlier)})
    db.session.flush()
    return delegation


def members(delegation: Delegation) -> Sequence[Registration]:
    return db.session.scalars(
        select(Registration).where(Registration.delegation_id == delegation.id).order_by(Registration.id)).all()


# --- Importing a delegation list ------------------------------------------------------------------------------------

IMPORT_COLUMNS = ("honorific", "name", "title", "email", "category", "needs")


@dataclass(frozen=True)
class _Row:
    line: int
    details: Details


def import_members(delegation: Delegation, data: bytes, *, actor: User, now: datetime) -> list[Registration]:
    """Register every row of a CSV list (columns name and email; honorific, title, category, needs optional).

    All or nothing: any bad row raises ImportFailed with one message per problem, and nothing is created.
    Imported members are approved while seats are free, then waitlisted; over a refusing quota, nothing is
    imported. Each member gets an account and a confirmation message. Flushes.
    """
    rows = _parse(delegation, data)
    event = delegation.event
    lock_event(event)
    errors = []
    for row in rows:
        if find_registration(event, row.details.email) is not None:
            errors.append(f"Line {row.line}: {row.details.email} is already registered for this event.")
    if (delegation.quota is not None and delegation.over_quota_policy == OverQuotaPolicy.REFUSE
            and delegation_seats_taken(delegation) + len(rows) > delegation.quota):
        errors.append(f"The delegation's quota is {delegation.quota} members and "
                      f"{delegation_seats_taken(delegation)} places are taken: {len(rows)} more "
                      "would exceed it.")
    if errors:
        raise ImportFailed(errors)
    created = []
    for row in rows:
        user = delegate_account(row.details.email, name=row.details.name, now=now)
        created.append(register(event, row.details, user=user, now=now, approved=True,
                                             check_window=False))
    audit.record(event=event, actor=actor, action="delegation.imported", target_type="delegation",
                 target_id=delegation.id, now=now, summary=f"{len(created)} members of {delegation.organization.name}")
    return created


def _parse(delegation: Delegation, data: bytes) -> list[_Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(["The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”."]) from None
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _parse_rows(delegation, reader)
    except csv.Error as exc:  # e.g. a field over the csv module's 128 KB limit, or a NUL byte
        raise ImportFailed([f"Line {reader.line_num}: this is not a CSV line we can read ({exc})."]) from None


def _parse_rows(delegation: Delegation, reader: csv.DictReader) -> list[_Row]:
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in ("name", "email") if name not in header]
    if missing:
        raise ImportFailed([f"The first line must name the columns; missing: {', '.join(missing)} "
                            f"(known columns: {', '.join(IMPORT_COLUMNS)})."])
    reader.fieldnames = header
    default = {OrganizationKind.MEMBER_STATE: RegistrationCategory.MEMBER_STATE,
               OrganizationKind.UN_ENTITY: RegistrationCategory.UN_SECRETARIAT}.get(
        delegation.organization.kind, RegistrationCategory.OTHER)
    rows, errors, seen = [], [], {}
    for record in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in record.items() if k}
        if not any(values.values()):
            continue
        name, raw_email, raw_category = values.get("name", ""), values.get("email", ""), values.get("category", "")
        if dirty := [column for column, value in values.items() if not plaintext.is_clean(value)]:
            errors.append(f"Line {line}: {', '.join(dirty)} holds line breaks or control characters.")
            continue
        if not name:
            errors.append(f"Line {line}: the name is missing.")
        elif len(name) > 200:
            errors.append(f"Line {line}: the name is longer than 200 characters.")
        try:
            email = users.normalize_email(raw_email)
        except users.InvalidEmail:
            errors.append(f"Line {line}: “{raw_email}” is not a valid email address.")
            email = ""
        category = default
        if raw_category:
            try:
                category = RegistrationCategory(raw_category.lower())
            except ValueError:
                errors.append(f"Line {line}: “{raw_category}” is not a category "
                              f"({', '.join(c.value for c in RegistrationCategory)}).")
        if email and email in seen:
            errors.append(f"Line {line}: {email} is also on line {seen[email]}.")
        elif email:
            seen[email] = line
        rows.append(_Row(line, Details(
            name=name, email=email, category=category, honorific=values.get("honorific", "")[:40],
            title=values.get("title", "")[:200], organization=delegation.organization, needs=values.get("needs", ""))))
    if not rows and not errors:
        errors.append("The file has no members: add one line per member below the column names.")
    if errors:
        raise ImportFailed(errors)
    return rows
