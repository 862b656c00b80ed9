"""The registration window and seats: who holds one, the waiting list, and promotion when one frees."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from confman.extensions import db
from confman.models import (
    Delegation,
    Event,
    EventStatus,
    OverQuotaPolicy,
    Registration,
    RegistrationStatus,
)
from confman.services import N_, ConfmanError, audit, outbox

SEAT_HOLDING = (RegistrationStatus.PENDING, RegistrationStatus.APPROVED)


class RegistrationNotOpen(ConfmanError):
    pass


class AlreadyRegistered(ConfmanError):
    """Never shown as such to an anonymous visitor: the view answers as for a new registration."""

    def __init__(self, registration: Registration):
        super().__init__(N_("This address is already registered for this event."))
        self.registration = registration


class DelegationFull(ConfmanError):
    pass


class EventFull(ConfmanError):
    pass


class DecisionNotAllowed(ConfmanError):
    pass


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


def status_for_newcomer(event: Event, delegation: Delegation | None, *, approved: bool) -> RegistrationStatus:
    quota = delegation.quota if delegation is not None else None
    if delegation is not None and quota is not None and delegation_seats_taken(delegation) >= quota:
        if delegation.over_quota_policy == OverQuotaPolicy.REFUSE:
            raise DelegationFull(
                N_("The delegation of %(organization)s is full (quota: %(quota)s). Please contact your "
                   "delegation's focal point."), organization=delegation.organization.name, quota=delegation.quota)
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
