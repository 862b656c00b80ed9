"""Who may do what, per event. Every check in the app goes through these predicates."""

from __future__ import annotations

from sqlalchemy import select

from confman.extensions import db
from confman.models import Event, EventRole, Role, User


def has_role(user: User | None, event: Event, *roles: Role) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_admin:
        return True
    return any(r.event_id == event.id and r.role in roles for r in user.roles)


def can_organize(user: User | None, event: Event) -> bool:
    return has_role(user, event, Role.ORGANIZER)


def can_moderate(user: User | None, event: Event) -> bool:
    """Moderators run the live order; organizers may too."""
    return has_role(user, event, Role.ORGANIZER, Role.MODERATOR)


def can_interpret(user: User | None, event: Event) -> bool:
    """Interpreters read approved video-message transcripts; organizers and moderators may too."""
    return has_role(user, event, Role.ORGANIZER, Role.MODERATOR, Role.INTERPRETER)


def can_view(user: User | None, event: Event) -> bool:
    """Published and archived events are public; drafts only to their own staff."""
    return event.is_public or can_moderate(user, event)


def staff_events(user: User) -> list[tuple[Event, set[Role]]]:
    """The events a user organizes or moderates (all events for an admin), with their roles."""
    if user.is_admin:
        events = db.session.scalars(select(Event).order_by(Event.starts_on.desc())).all()
        return [(event, {Role.ORGANIZER, Role.MODERATOR}) for event in events]
    by_event: dict[int, tuple[Event, set[Role]]] = {}
    for role in user.roles:
        by_event.setdefault(role.event_id, (role.event, set()))[1].add(role.role)
    return sorted(by_event.values(), key=lambda pair: pair[0].starts_on, reverse=True)


def grant(user: User, event: Event, role: Role) -> EventRole:
    """Give `user` a role on `event`; granting a role twice is a no-op."""
    for existing in user.roles:
        if existing.event_id == event.id and existing.role == role:
            return existing
    event_role = EventRole(user=user, event=event, role=role)
    db.session.add(event_role)
    db.session.flush()
    return event_role
