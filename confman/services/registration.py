"""Registrations: seats, the waiting list, decisions, and a delegate's own changes. Services flush; callers commit.

Seats. A *pending* or *approved* registration holds a seat: pending holds it while the organizers decide, so an
approval can never overbook. `Event.capacity` None means no limit. A delegation's quota counts its members'
seats the same way.

Arrival order is the registration id. Every change that takes or frees seats first locks the event's row
(SELECT ... FOR UPDATE on PostgreSQL), and ids are allocated while the lock is held, so they follow the order in
which registrations got their seat or their place on the waiting list. When a seat frees, the waiting list is
promoted in that order (skipping those whose delegation is at its quota).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from confman.extensions import db
from confman.models import (
    Delegation,
    Event,
    EventStatus,
    Organization,
    OverQuotaPolicy,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    User,
)
from confman.services import ConfmanError, audit, outbox

SEAT_HOLDING = (RegistrationStatus.PENDING, RegistrationStatus.APPROVED)


class RegistrationNotOpen(ConfmanError):
    pass


class AlreadyRegistered(ConfmanError):
    """Never shown as such to an anonymous visitor: the view answers as for a new registration."""

    def __init__(self, registration: Registration):
        super().__init__("This address is already registered for this event.")
        self.registration = registration


class DelegationFull(ConfmanError):
    pass


class EventFull(ConfmanError):
    pass


class DecisionNotAllowed(ConfmanError):
    pass


@dataclass(frozen=True)
class Details:
    """What a delegate types into the registration form."""

    name: str
    email: str
    category: RegistrationCategory
    honorific: str = ""
    title: str = ""
    organization: Organization | None = None
    organization_name: str = ""
    needs: str = ""


# --- The registration window ------------------------------------------------------------------------------------

def window_state(event: Event, now: datetime) -> str:
    """'open', 'not_yet' (opens later), 'closed', or 'unavailable' (not published, or no opening time set)."""
    if event.status != EventStatus.PUBLISHED or event.registration_opens_at is None:
        return "unavailable"
    if now < event.registration_opens_at:
        return "not_yet"
    if event.registration_closes_at is not None and now >= event.registration_closes_at:
        return "closed"
    return "open"


def is_open(event: Event, now: datetime) -> bool:
    return window_state(event, now) == "open"


# --- Seats --------------------------------------------------------------------------------------------------------

def lock_event(event: Event) -> None:
    """Serialise seat counting for `event` across connections and worker processes, until the commit."""
    db.session.refresh(event, with_for_update=True)


def seats_taken(event: Event) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(SEAT_HOLDING))
    ) or 0


def delegation_seats_taken(delegation: Delegation) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Registration)
        .where(Registration.delegation_id == delegation.id, Registration.status.in_(SEAT_HOLDING))
    ) or 0


def free_seats(event: Event) -> int | None:
    """None when the event has no capacity limit."""
    return None if event.capacity is None else max(0, event.capacity - seats_taken(event))


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count()).select_from(Registration).where(
            Registration.event_id == registration.event_id, Registration.status == RegistrationStatus.WAITLISTED,
            Registration.id < registration.id)
    ) or 0
    return ahead + 1


def _status_for_newcomer(event: Event, delegation: Delegation | None, *, approved: bool) -> RegistrationStatus:
    quota = delegation.quota if delegation is not None else None
    if delegation is not None and quota is not None and delegation_seats_taken(delegation) >= quota:
        if delegation.over_quota_policy == OverQuotaPolicy.REFUSE:
            raise DelegationFull(
                f"The delegation of {delegation.organization.name} is full ({delegation.quota} members). "
                "Please contact your delegation's focal point.")
        return RegistrationStatus.WAITLISTED
    if event.capacity is not None and seats_taken(event) >= event.capacity:
        return RegistrationStatus.WAITLISTED
    if approved or not event.needs_approval:
        return RegistrationStatus.APPROVED
    return RegistrationStatus.PENDING


def _seat_status(event: Event) -> RegistrationStatus:
    return RegistrationStatus.PENDING if event.needs_approval else RegistrationStatus.APPROVED


def fill_free_seats(event: Event, *, now: datetime, exclude: set[int] = frozenset()) -> list[Registration]:
    """Promote waitlisted registrations, first come first served, while seats are free. Call with the event locked."""
    free = free_seats(event)
    if free == 0:
        return []
    quotas = {d.id: d.quota for d in db.session.scalars(
        select(Delegation).where(Delegation.event_id == event.id, Delegation.quota.is_not(None)))}
    taken = dict(db.session.execute(
        select(Registration.delegation_id, func.count()).where(
            Registration.event_id == event.id, Registration.delegation_id.in_(quotas),
            Registration.status.in_(SEAT_HOLDING)).group_by(Registration.delegation_id)).all())
    promoted = []
    waiting = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.id))
    for registration in waiting:
        if free is not None and free <= 0:
            break
        if registration.id in exclude:
            continue
        delegation_id = registration.delegation_id
        if delegation_id in quotas and taken.get(delegation_id, 0) >= quotas[delegation_id]:
            continue
        taken[delegation_id] = taken.get(delegation_id, 0) + 1
        free = None if free is None else free - 1
        promoted.append(registration)
    for registration in promoted:
        registration.status = _seat_status(event)
        registration.decided_at = now
        audit.record(event=event, actor=None, action="registration.promoted", target_type="registration",
                     target_id=registration.id, now=now, summary=f"{registration.name} promoted from the waiting list")
        outbox.notify_registration(registration, "promoted", now=now)
    db.session.flush()
    return promoted


# --- Registering --------------------------------------------------------------------------------------------------

def delegation_for(event: Event, organization: Organization | None) -> Delegation | None:
    if organization is None:
        return None
    return db.session.scalar(
        select(Delegation).where(Delegation.event_id == event.id, Delegation.organization_id == organization.id))


def find_registration(event: Event, email: str) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(Registration.event_id == event.id, Registration.email == email.strip().lower()))


def register(event: Event, details: Details, *, user: User, now: datetime, document_key: str | None = None,
             approved: bool = False, check_window: bool = True, notify: bool = True) -> Registration:
    """Register `user` (whose email is `details.email`) for `event`, or waitlist them when it is full.

    Raises RegistrationNotOpen, AlreadyRegistered (nothing created), DelegationFull (over a delegation's quota
    whose policy is to refuse). `approved=True` is an organizer's import: a seat is approved at once.
    Queues the confirmation message. Flushes; the caller commits.
    """
    if check_window and not is_open(event, now):
        raise RegistrationNotOpen("Registration for this event is not open.")
    email = details.email.strip().lower()
    lock_event(event)
    existing = find_registration(event, email)
    if existing is not None:
        raise AlreadyRegistered(existing)
    delegation = delegation_for(event, details.organization)
    status = _status_for_newcomer(event, delegation, approved=approved)
    registration = Registration(
        event=event, user=user, delegation=delegation, organization=details.organization,
        organization_name="" if details.organization else details.organization_name.strip(),
        honorific=details.honorific.strip(), name=details.name.strip(), title=details.title.strip(), email=email,
        category=details.category, needs=details.needs.strip(), consented_at=now, status=status,
        registered_at=now, decided_at=now if status == RegistrationStatus.APPROVED else None,
        calendar_token=secrets.token_urlsafe(32), nomination_document_path=document_key,
    )
    db.session.add(registration)
    db.session.flush()
    if notify:
        outbox.notify_registration(registration, "confirmation", now=now)
    return registration


# --- Decisions by organizers and focal points ---------------------------------------------------------------------

DECISIONS = {"approve": RegistrationStatus.APPROVED, "decline": RegistrationStatus.DECLINED,
             "waitlist": RegistrationStatus.WAITLISTED}
_MESSAGES = {RegistrationStatus.APPROVED: "approved", RegistrationStatus.DECLINED: "declined",
             RegistrationStatus.WAITLISTED: "waitlisted"}


def decide(event: Event, registration_ids: Sequence[int], decision: str, *, actor: User, now: datetime,
           delegation: Delegation | None = None) -> list[Registration]:
    """Approve, decline or waitlist the registrations `registration_ids` of `event` (of `delegation`), all or none.

    Raises DecisionNotAllowed for an id that is not a registration of the event (or delegation) or for a
    cancelled registration. Approving a waitlisted or declined registration needs a free seat and room in its
    delegation: raises EventFull or DelegationFull. Seats freed by a decline or a move to the waiting list go to
    the waiting list in arrival order, except to the registrations just moved there. Returns the registrations
    that changed. Flushes.
    """
    target = DECISIONS[decision]
    ids = set(registration_ids)
    lock_event(event)
    query = select(Registration).where(Registration.event_id == event.id, Registration.id.in_(ids))
    if delegation is not None:
        query = query.where(Registration.delegation_id == delegation.id)
    registrations = db.session.scalars(query.execution_options(populate_existing=True)).all()
    if not ids or len(registrations) != len(ids):
        raise DecisionNotAllowed("Some of the selected registrations do not exist here. Nothing was changed.")
    if any(r.status == RegistrationStatus.CANCELLED for r in registrations):
        raise DecisionNotAllowed("A cancelled registration cannot be approved, declined or waitlisted. "
                                 "Nothing was changed.")
    changing = sorted((r for r in registrations if r.status != target), key=lambda r: r.id)
    if target == RegistrationStatus.APPROVED:
        _check_room([r for r in changing if r.status not in SEAT_HOLDING], event)
    for registration in changing:
        before = registration.status
        registration.status = target
        registration.decided_at = now
        registration.decided_by_id = actor.id
        audit.record(event=event, actor=actor, action=f"registration.{target.value}", target_type="registration",
                     target_id=registration.id, now=now,
                     summary=f"{registration.name}: {before.value} → {target.value}",
                     before={"status": before}, after={"status": target})
        outbox.notify_registration(registration, _MESSAGES[target], now=now)
    db.session.flush()
    if target != RegistrationStatus.APPROVED:
        fill_free_seats(event, now=now, exclude={r.id for r in changing})
    return changing


def _check_room(newcomers: list[Registration], event: Event) -> None:
    if not newcomers:
        return
    free = free_seats(event)
    if free is not None and len(newcomers) > free:
        raise EventFull(f"Not enough free seats: {len(newcomers)} to approve, {free} free (capacity "
                        f"{event.capacity}). Decline someone or raise the capacity first.")
    by_delegation: dict[int, list[Registration]] = {}
    for registration in newcomers:
        if registration.delegation is not None and registration.delegation.quota is not None:
            by_delegation.setdefault(registration.delegation_id, []).append(registration)
    for members in by_delegation.values():
        delegation = members[0].delegation
        if delegation_seats_taken(delegation) + len(members) > delegation.quota:
            raise DelegationFull(f"The delegation of {delegation.organization.name} would exceed its quota of "
                                 f"{delegation.quota}.")


# --- A delegate's own changes ---------------------------------------------------------------------------------------

def cancel(registration: Registration, *, now: datetime) -> list[Registration]:
    """The delegate cancels; their seat goes to the waiting list. Returns who was promoted. Flushes."""
    event = registration.event
    lock_event(event)
    db.session.refresh(registration)
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED):
        raise DecisionNotAllowed("This registration is no longer active.")
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.calendar_token = None
    audit.record(event=event, actor=registration.user, action="registration.cancelled", target_type="registration",
                 target_id=registration.id, now=now, summary=f"{registration.name} cancelled")
    db.session.flush()
    return fill_free_seats(event, now=now)


def update_details(registration: Registration, *, honorific: str, name: str, title: str, needs: str) -> None:
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED):
        raise DecisionNotAllowed("This registration is no longer active.")
    registration.honorific, registration.name = honorific.strip(), name.strip()
    registration.title, registration.needs = title.strip(), needs.strip()
    db.session.flush()


def set_sessions(registration: Registration, session_ids: set[int]) -> None:
    """The sessions a delegate will attend ("my agenda"); ids must be sessions of the registration's event."""
    from confman.models import AgendaSession

    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED):
        raise DecisionNotAllowed("This registration is no longer active.")
    chosen = db.session.scalars(select(AgendaSession).where(
        AgendaSession.event_id == registration.event_id, AgendaSession.id.in_(session_ids))).all()
    if len(chosen) != len(session_ids):
        raise DecisionNotAllowed("A chosen session is not part of this event.")
    registration.sessions = list(chosen)
    db.session.flush()


def regenerate_calendar_token(registration: Registration) -> str:
    """A new secret for the personal calendar feed; the old link stops working at once."""
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED):
        raise DecisionNotAllowed("This registration is no longer active.")
    registration.calendar_token = secrets.token_urlsafe(32)
    db.session.flush()
    return registration.calendar_token


def revoke_calendar_token(registration: Registration) -> None:
    registration.calendar_token = None
    db.session.flush()


def registration_of(user: User, event: Event) -> Registration | None:
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == user.id))
