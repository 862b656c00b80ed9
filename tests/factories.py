"""Builders with sensible defaults: they add and flush, and never commit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count

from confman.extensions import db
from confman.models import (
    AgendaSession,
    Channel,
    CoHost,
    Event,
    EventStatus,
    Organization,
    Participation,
    ParticipationRole,
    Registration,
    RegistrationCategory,
    Role,
    SessionKind,
    Speaker,
    Theme,
    User,
)
from confman.services import permissions, users

NOW = datetime(2021, 10, 1, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
_seq = count(1)


def make_event(**overrides) -> Event:
    n = next(_seq)
    values = dict(
        slug=f"event-{n}", title=f"Event {n}", starts_on=date(2021, 10, 25), ends_on=date(2021, 10, 26),
        timezone="America/New_York", status=EventStatus.PUBLISHED, created_at=NOW,
    )
    values.update(overrides)
    event = Event(**values)
    db.session.add(event)
    db.session.flush()
    return event


def make_user(email: str | None = None, *, password: str = PASSWORD, is_admin: bool = False,
              roles: tuple[tuple[Event, Role], ...] = ()) -> User:
    email = email or f"user{next(_seq)}@example.org"
    return users.create_user(email, password=password, now=NOW, is_admin=is_admin, roles=roles)


def make_organizer(event: Event, email: str | None = None) -> User:
    return make_user(email, roles=((event, Role.ORGANIZER),))


def make_moderator(event: Event, email: str | None = None) -> User:
    return make_user(email, roles=((event, Role.MODERATOR),))


def make_organization(**overrides) -> Organization:
    n = next(_seq)
    values = dict(name=f"Organization {n}", short_name=f"Org {n}")
    values.update(overrides)
    org = Organization(**values)
    db.session.add(org)
    db.session.flush()
    return org


def make_co_host(event: Event, organization: Organization | None = None, **overrides) -> CoHost:
    host = CoHost(event=event, organization=organization or make_organization(), **overrides)
    db.session.add(host)
    db.session.flush()
    return host


def make_theme(event: Event, **overrides) -> Theme:
    n = next(_seq)
    values = dict(event=event, slug=f"theme-{n}", name=f"Theme {n}", colour="#1f4e79")
    values.update(overrides)
    theme = Theme(**values)
    db.session.add(theme)
    db.session.flush()
    return theme


def make_channel(event: Event, **overrides) -> Channel:
    n = next(_seq)
    values = dict(event=event, slug=f"channel-{n}", name=f"Channel {n}")
    values.update(overrides)
    channel = Channel(**values)
    db.session.add(channel)
    db.session.flush()
    return channel


def make_session(event: Event, **overrides) -> AgendaSession:
    n = next(_seq)
    values = dict(
        event=event, title=f"Session {n}", kind=SessionKind.PLENARY,
        starts_at=datetime(2021, 10, 25, 13, 0, tzinfo=UTC), duration=timedelta(minutes=60), created_at=NOW,
        updated_at=NOW,
    )
    values.update(overrides)
    item = AgendaSession(**values)
    db.session.add(item)
    db.session.flush()
    return item


def make_speaker(event: Event, **overrides) -> Speaker:
    n = next(_seq)
    values = dict(event=event, name=f"Speaker {n}", title="Expert", created_at=NOW)
    values.update(overrides)
    speaker = Speaker(**values)
    db.session.add(speaker)
    db.session.flush()
    return speaker


def make_participation(item: AgendaSession, speaker: Speaker, **overrides) -> Participation:
    values = dict(session=item, speaker=speaker, role=ParticipationRole.SPEAKER, position=len(item.participations),
                  created_at=NOW)
    values.update(overrides)
    participation = Participation(**values)
    db.session.add(participation)
    db.session.flush()
    return participation


def make_registration(event: Event, **overrides) -> Registration:
    n = next(_seq)
    values = dict(event=event, name=f"Delegate {n}", email=f"delegate{n}@example.org",
                  category=RegistrationCategory.MEMBER_STATE, consented_at=NOW, registered_at=NOW)
    values.update(overrides)
    registration = Registration(**values)
    db.session.add(registration)
    db.session.flush()
    return registration


def grant(user: User, event: Event, role: Role) -> None:
    permissions.grant(user, event, role)


def make_delegation(event: Event, organization: Organization | None = None, *, focal_point: User | None = None,
                    **overrides):
    from confman.models import Delegation, OrganizationKind

    organization = organization or make_organization(kind=OrganizationKind.MEMBER_STATE)
    delegation = Delegation(event=event, organization=organization, focal_point=focal_point, **overrides)
    db.session.add(delegation)
    db.session.flush()
    return delegation


def make_speakers_list(item: AgendaSession, **overrides):
    from confman.models import SpeakersList

    values = dict(session_id=item.id, event_id=item.event_id, is_open=True, categories=["member_state"],
                  default_time_limit=timedelta(minutes=4), max_per_delegation=1)
    values.update(overrides)
    speakers_list = SpeakersList(**values)
    db.session.add(speakers_list)
    db.session.flush()
    return speakers_list
