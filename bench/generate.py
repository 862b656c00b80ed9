"""Deterministic generated events for benchmarks: the same seed always gives the same agenda."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from confman.extensions import db
from confman.models import (
    AgendaSession,
    Channel,
    CoHost,
    Event,
    EventStatus,
    Organization,
    OrganizationKind,
    Participation,
    ParticipationRole,
    ProtocolRank,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    SessionKind,
    Speaker,
    Tag,
    Theme,
)
from confman.services import publication
from confman.timeutil import from_local


@dataclass(frozen=True)
class Size:
    name: str
    days: int
    channels: int
    sessions_per_channel_day: int  # 30-minute slots from 09:00
    speakers: int
    registrations: int


SMALL = Size("small", days=1, channels=2, sessions_per_channel_day=6, speakers=20, registrations=200)
LARGE = Size("large", days=3, channels=6, sessions_per_channel_day=18, speakers=600, registrations=20_000)


def build_event(size: Size, *, slug: str | None = None, seed: int = 2021) -> Event:
    """A published event of `size` with themes, co-hosts, speakers (3 per session) and registrations. Flushes."""
    rng = random.Random(seed)
    now = datetime(2021, 9, 1, tzinfo=UTC)
    event = Event(
        slug=slug or f"bench-{size.name}", title=f"Benchmark conference ({size.name})", starts_on=date(2021, 10, 25),
        ends_on=date(2021, 10, 25) + timedelta(days=size.days - 1), timezone="Europe/Amsterdam",
        status=EventStatus.PUBLISHED, capacity=size.registrations, needs_approval=True, created_at=now,
        registration_opens_at=now, registration_closes_at=datetime(2021, 10, 24, tzinfo=UTC),
    )
    db.session.add(event)
    orgs = []
    for n in range(40):
        org = db.session.scalar(db.select(Organization).filter_by(name=f"Member State {n:02d}"))
        orgs.append(org or Organization(name=f"Member State {n:02d}", short_name=f"MS{n:02d}",
                                        kind=OrganizationKind.MEMBER_STATE))
    event.co_hosts.extend([CoHost(organization=orgs[0], position=0), CoHost(organization=orgs[1], position=1)])
    themes = [Theme(slug=f"theme-{n}", name=f"Theme {n}", colour=f"#{rng.randrange(0x1000000):06x}", position=n)
              for n in range(4)]
    channels = [Channel(slug=f"room-{n}", name=f"Room {n}", position=n) for n in range(size.channels)]
    tags = [Tag(slug=f"topic-{n}", name=f"Topic {n}") for n in range(10)]
    event.themes.extend(themes)
    event.channels.extend(channels)
    event.tags.extend(tags)
    ranks = list(ProtocolRank)
    speakers = [
        Speaker(event=event, honorific=rng.choice(["H.E.", "Ms.", "Mr.", "Dr.", "Col."]), name=f"Speaker {n:04d}",
                title="Delegate", protocol_rank=rng.choice(ranks), organization=rng.choice(orgs), created_at=now)
        for n in range(size.speakers)
    ]
    db.session.add_all(speakers)
    for day in range(size.days):
        for channel in channels:
            for slot in range(size.sessions_per_channel_day):
                local = datetime(2021, 10, 25 + day, 9, 0) + timedelta(minutes=30 * slot)
                item = AgendaSession(
                    event=event, kind=rng.choice([SessionKind.PANEL, SessionKind.PLENARY, SessionKind.STATEMENT]),
                    theme=rng.choice(themes), channel=channel, title=f"Session {day}-{channel.slug}-{slot}",
                    description="A *generated* session for benchmarks.", starts_at=from_local(local, event.tz),
                    duration=timedelta(minutes=30), tags=rng.sample(tags, 2), created_at=now, updated_at=now,
                )
                for position, speaker in enumerate(rng.sample(speakers, 3)):
                    item.participations.append(Participation(speaker=speaker, role=ParticipationRole.SPEAKER,
                                                             position=position, created_at=now))
                db.session.add(item)
    db.session.flush()
    _add_registrations(event, size.registrations, orgs, rng, now)
    # The public pages read the last published version, so an unpublished agenda would measure an empty page.
    publication.publish_agenda(event, actor=None, now=now)
    return event


def _add_registrations(event: Event, count: int, orgs: list[Organization], rng: random.Random,
                       now: datetime) -> None:
    rows = [
        dict(event_id=event.id, name=f"Delegate {n:05d}", email=f"delegate{n:05d}@{event.slug}.example",
             organization_id=rng.choice(orgs).id, category=rng.choice(list(RegistrationCategory)),
             status=rng.choice([RegistrationStatus.APPROVED] * 6 + [RegistrationStatus.PENDING] * 3
                               + [RegistrationStatus.DECLINED]),
             consented_at=now, registered_at=now + timedelta(seconds=n), updated_at=now, version=1,
             calendar_token=secrets.token_urlsafe(32), honorific="", title="", organization_name="", needs="")
        for n in range(count)
    ]
    if rows:
        db.session.execute(db.insert(Registration), rows)
