"""Registering, organizers' and focal points' decisions, and a delegate's own changes."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from confman.extensions import db
from confman.models import (
    Delegation,
    Event,
    Organization,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    User,
)
from confman.services import N_, audit, outbox
from confman.services.registration.seats import (
    SEAT_HOLDING,
    AlreadyRegistered,
    DecisionNotAllowed,
    DelegationFull,
    EventFull,
    RegistrationNotOpen,
    delegation_seats_taken,
    fill_free_seats,
    free_seats,
    is_open,
    lock_event,
    status_for_newcomer,
)


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
    language: str = ""  # one of the event's languages, or ""
    interpretation_languages: tuple[str, ...] = ()
    interface_language: str = ""  # the page's language: the confirmation's when the delegate chose none


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
    status = status_for_newcomer(event, delegation, approved=approved)
    registration = Registration(
        event=event, user=user, delegation=delegation, organization=details.organization,
        organization_name="" if details.organization else details.organization_name.strip(),
        honorific=details.honorific.strip(), name=details.name.strip(), title=details.title.strip(), email=email,
        category=details.category, needs=details.needs.strip(), consented_at=now, status=status,
        registered_at=now, decided_at=now if status == RegistrationStatus.APPROVED else None,
        calendar_token=secrets.token_urlsafe(32), nomination_document_path=document_key,
        # Only the event's languages: anything else is a form that was tampered with, and means nothing here.
        language=details.language if details.language in event.languages else "",
        interpretation_languages=[c for c in event.languages if c in details.interpretation_languages],
    )
    db.session.add(registration)
    if details.interface_language and not user.interface_language:
        # The language they registered in speaks for them until they choose one: later mail, their personal feed.
        user.interface_language = details.interface_language
    db.session.flush()
    if notify:
        outbox.notify_registration(registration, "confirmation", now=now, language=details.interface_language or None)
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
        raise DecisionNotAllowed(N_("Some of the selected registrations do not exist here. Nothing was changed."))
    if any(r.status == RegistrationStatus.CANCELLED for r in registrations):
        raise DecisionNotAllowed(N_("A cancelled registration cannot be approved, declined or waitlisted. "
                                    "Nothing was changed."))
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
            raise DelegationFull(N_("The delegation of %(organization)s would exceed its quota of %(quota)s."),
                                 organization=delegation.organization.name, quota=delegation.quota)


# --- A delegate's own changes ---------------------------------------------------------------------------------------

def cancel(registration: Registration, *, now: datetime) -> list[Registration]:
    """The delegate cancels; their seat goes to the waiting list. Returns who was promoted. Flushes."""
    event = registration.event
    lock_event(event)
    db.session.refresh(registration)
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED):
        raise DecisionNotAllowed(N_("This registration is no longer active."))
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.calendar_token = None
    audit.record(event=event, actor=registration.user, action="registration.cancelled", target_type="registration",
                 target_id=registration.id, now=now, summary=f"{registration.name} cancelled")
    db.session.flush()
    return fill_free_seats(event, now=now)


def update_details(registration: Registration, *, honorific: str, name: str, title: str, needs: str,
                   language: str | None = None, interpretation_languages: tuple[str, ...] | None = None) -> None:
    """`language` and `interpretation_languages` unchanged when None; kept to the event's languages."""
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED):
        raise DecisionNotAllowed(N_("This registration is no longer active."))
    registration.honorific, registration.name = honorific.strip(), name.strip()
    registration.title, registration.needs = title.strip(), needs.strip()
    codes = registration.event.languages
    if language is not None:
        registration.language = language if language in codes else ""
    if interpretation_languages is not None:
        registration.interpretation_languages = [c for c in codes if c in interpretation_languages]
    db.session.flush()


def set_sessions(registration: Registration, session_ids: set[int]) -> None:
    """The sessions a delegate will attend ("my agenda"); ids must be sessions of the registration's event."""
    from confman.models import AgendaSession

    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED):
        raise DecisionNotAllowed(N_("This registration is no longer active."))
    chosen = db.session.scalars(select(AgendaSession).where(
        AgendaSession.event_id == registration.event_id, AgendaSession.id.in_(session_ids))).all()
    if len(chosen) != len(session_ids):
        raise DecisionNotAllowed(N_("A chosen session is not part of this event."))
    registration.sessions = list(chosen)
    db.session.flush()


def regenerate_calendar_token(registration: Registration) -> str:
    """A new secret for the personal calendar feed; the old link stops working at once."""
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED):
        raise DecisionNotAllowed(N_("This registration is no longer active."))
    registration.calendar_token = secrets.token_urlsafe(32)
    db.session.flush()
    return registration.calendar_token


def revoke_calendar_token(registration: Registration) -> None:
    registration.calendar_token = None
    db.session.flush()


def registration_of(user: User, event: Event) -> Registration | None:
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == user.id))
