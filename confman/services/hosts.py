"""Organizations and the co-hosts of an event, in protocol order, with their logos."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from confman.extensions import db
from confman.models import CoHost, CoHostRole, Event, Organization, OrganizationKind, User
from confman.services import ConfmanError, audit


class InvalidOrganization(ConfmanError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class AlreadyCoHost(ConfmanError):
    pass


def create_organization(*, name: str, short_name: str, kind: OrganizationKind, country_code: str | None,
                        event: Event, actor: User, now: datetime) -> Organization:
    """Raises InvalidOrganization (a name already known, a malformed country code). Flushes."""
    name = name.strip()
    if not name:
        raise InvalidOrganization("An organization needs a name.", "name")
    if db.session.scalar(select(Organization.id).where(func.lower(Organization.name) == name.lower())):
        raise InvalidOrganization(f"“{name}” is already known: pick it from the list instead.", "name")
    code = (country_code or "").strip().upper() or None
    if code is not None and not (len(code) == 2 and code.isalpha()):
        raise InvalidOrganization("A country code is two letters (ISO 3166-1), like NL.", "country_code")
    org = Organization(name=name, short_name=short_name.strip(), kind=kind, country_code=code)
    db.session.add(org)
    db.session.flush()
    audit.record(event=event, actor=actor, action="organization.created", target_type="organization",
                 target_id=org.id, now=now, summary=f"Added organization {name}",
                 after={"name": name, "short_name": org.short_name, "kind": kind, "country_code": code})
    return org


def set_logo(org: Organization, key: str | None, *, event: Event, actor: User, now: datetime) -> str | None:
    """Point the organization at a new logo; returns the key of the old one (for the caller to delete)."""
    old = org.logo_path
    org.logo_path = key
    db.session.flush()
    audit.record(event=event, actor=actor, action="organization.logo", target_type="organization", target_id=org.id,
                 now=now, summary=f"{'Replaced' if key else 'Removed'} the logo of {org.name}",
                 before={"logo_path": old}, after={"logo_path": key})
    return old


def add_co_host(event: Event, org: Organization, *, role: CoHostRole, actor: User, now: datetime) -> CoHost:
    """Appended last in protocol order. Raises AlreadyCoHost. Flushes."""
    if any(h.organization_id == org.id for h in event.co_hosts):
        raise AlreadyCoHost(f"{org.name} already hosts this event.")
    host = CoHost(organization=org, role=role, position=len(event.co_hosts))
    event.co_hosts.append(host)
    db.session.flush()
    audit.record(event=event, actor=actor, action="co_host.added", target_type="co_host", target_id=host.id, now=now,
                 summary=f"Added {org.name} as {role.value.replace('_', '-')}", after={"organization": org.name,
                                                                                     "role": role})
    return host


def update_co_host(host: CoHost, *, role: CoHostRole, actor: User, now: datetime) -> None:
    if host.role == role:
        return
    before = host.role
    host.role = role
    db.session.flush()
    audit.record(event=host.event, actor=actor, action="co_host.updated", target_type="co_host", target_id=host.id,
                 now=now, summary=f"{host.organization.name} is now {role.value.replace('_', '-')}",
                 before={"role": before}, after={"role": role})


def move_co_host(host: CoHost, offset: int, *, actor: User, now: datetime) -> None:
    """Move up (-1) or down (+1) in protocol order."""
    hosts = sorted(host.event.co_hosts, key=lambda h: (h.position, h.id))
    index = hosts.index(host)
    if not 0 <= index + offset < len(hosts):
        return
    before = [h.organization.name for h in hosts]
    hosts.insert(index + offset, hosts.pop(index))
    for position, h in enumerate(hosts):
        h.position = position
    db.session.flush()
    audit.record(event=host.event, actor=actor, action="co_host.reordered", target_type="co_host", target_id=host.id,
                 now=now, summary=f"Moved {host.organization.name} in protocol order",
                 before={"order": before}, after={"order": [h.organization.name for h in hosts]})


def remove_co_host(host: CoHost, *, actor: User, now: datetime) -> None:
    event = host.event
    audit.record(event=event, actor=actor, action="co_host.removed", target_type="co_host", target_id=host.id,
                 now=now, summary=f"Removed {host.organization.name}", before={"organization": host.organization.name,
                                                                              "role": host.role})
    event.co_hosts.remove(host)
    for position, h in enumerate(sorted(event.co_hosts, key=lambda h: h.position)):
        h.position = position
    db.session.flush()
