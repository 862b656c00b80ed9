"""An event's team: who organizes, moderates, interprets or is a delegation's focal point, granted and revoked.

A role goes to an existing account as readily as to a new address (which gets a password-less account: people
sign in by emailed link). Every grant tells the person by message, with a sign-in link; grants and revocations
are audit-logged. The last organizer cannot be removed, so an event is never left without one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from confman.extensions import db
from confman.models import Delegation, Event, EventRole, Role, User
from confman.services import ConfmanError, audit, outbox, permissions, users
from confman.services.registration.delegations import delegate_account

FOCAL_POINT = "focal_point"  # not an EventRole: a delegation names its focal point
TEAM_ROLES = (Role.ORGANIZER.value, Role.MODERATOR.value, Role.INTERPRETER.value, FOCAL_POINT)


class LastOrganizer(ConfmanError):
    """Removing this role would leave the event without an organizer."""


class DelegationNeeded(ConfmanError):
    """A focal point is the focal point of one delegation: which one?"""


@dataclass
class Member:
    user: User
    roles: list[str] = field(default_factory=list)  # values of TEAM_ROLES, in that order
    delegations: list[Delegation] = field(default_factory=list)  # those they are the focal point of


def members(event: Event) -> list[Member]:
    """Everyone with a role on `event`, by email."""
    by_user: dict[int, Member] = {}
    for event_role in db.session.scalars(select(EventRole).filter_by(event_id=event.id)):
        by_user.setdefault(event_role.user_id, Member(event_role.user)).roles.append(event_role.role.value)
    for delegation in db.session.scalars(select(Delegation).where(Delegation.event_id == event.id,
                                                                  Delegation.focal_point_id.is_not(None))):
        member = by_user.setdefault(delegation.focal_point_id, Member(delegation.focal_point))
        member.delegations.append(delegation)
        if FOCAL_POINT not in member.roles:
            member.roles.append(FOCAL_POINT)
    for member in by_user.values():
        member.roles.sort(key=TEAM_ROLES.index)
    return sorted(by_user.values(), key=lambda m: m.user.email)


def grant(event: Event, *, email: str, role: str, actor: User | None, now: datetime,
          delegation: Delegation | None = None, invitation: str = "") -> tuple[User, bool]:
    """Give the account of `email` (made if there is none) `role` on `event`. Returns (user, account created).

    `invitation` is the message's first line, worded by the caller. Raises users.InvalidEmail, DelegationNeeded.
    Granting a role someone has already changes nothing and sends nothing. Flushes.
    """
    if role not in TEAM_ROLES:
        raise ValueError(role)
    email = users.normalize_email(email)
    created = users.find_by_email(email) is None
    user = delegate_account(email, name="", now=now)
    if role == FOCAL_POINT:
        if delegation is None or delegation.event_id != event.id:
            raise DelegationNeeded("Choose the delegation this person is the focal point of.")
        if delegation.focal_point_id == user.id:
            return user, created
        delegation.focal_point = user
    else:
        if permissions.has_role(user, event, Role(role)) and not user.is_admin:
            return user, created
        permissions.grant(user, event, Role(role))
    audit.record(event=event, actor=actor, action="team.granted", target_type="user", target_id=user.id, now=now,
                 summary=f"Made {user.email} {role.replace('_', ' ')}"
                 + (f" of {delegation.organization.name}" if delegation is not None and role == FOCAL_POINT else ""),
                 after={"role": role, "delegation_id": delegation.id if role == FOCAL_POINT and delegation else None})
    outbox.notify_sign_in(to_email=user.email, now=now, event=event, reason=invitation)
    db.session.flush()
    return user, created


def revoke(event: Event, *, user: User, role: str, actor: User | None, now: datetime,
           delegation: Delegation | None = None) -> bool:
    """Take `role` away. Returns False when they did not have it. Raises LastOrganizer. Flushes."""
    if role == FOCAL_POINT:
        if delegation is None or delegation.event_id != event.id or delegation.focal_point_id != user.id:
            return False
        delegation.focal_point = None
    else:
        event_role = db.session.scalar(select(EventRole).filter_by(event_id=event.id, user_id=user.id,
                                                                   role=Role(role)))
        if event_role is None:
            return False
        if role == Role.ORGANIZER.value and _organizer_count(event) <= 1:
            raise LastOrganizer("An event needs at least one organizer: add another before removing this one.")
        user.roles.remove(event_role)
        db.session.delete(event_role)
    audit.record(event=event, actor=actor, action="team.revoked", target_type="user", target_id=user.id, now=now,
                 summary=f"Removed {user.email} as {role.replace('_', ' ')}", before={"role": role})
    db.session.flush()
    return True


def _organizer_count(event: Event) -> int:
    return len(db.session.scalars(select(EventRole.id).filter_by(event_id=event.id, role=Role.ORGANIZER)).all())
