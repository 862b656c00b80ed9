"""The demo event: a second sample dated around the day it is loaded, so registration is open and something is on.

PrepCon 2021 stays as it was (byte-stable feeds); this one is laid out from the load instant in its own zone:
yesterday, today and tomorrow, two channels, both themes, a fixed-start opening, video messages (one awaiting
upload) and a break, with a session in each channel running at the load instant and another next. Loading it
again re-dates it: every session of the plan is matched by its key (its title) and moved to where the plan puts
it for the new instant, so nothing is duplicated and a second load in the same half hour changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from confman.extensions import db
from confman.models import (
    AgendaSession,
    Channel,
    CoHost,
    CoHostRole,
    Event,
    EventFormat,
    EventRole,
    EventStatus,
    LiveAction,
    LiveState,
    Organization,
    OrganizationKind,
    Participation,
    ParticipationRole,
    ProtocolRank,
    Role,
    SessionKind,
    SessionStatus,
    Speaker,
    Tag,
    Theme,
    VideoMessage,
    VideoStatus,
)
from confman.services import publication, users
from confman.services.sample import SAMPLE_ACCOUNTS
from confman.timeutil import from_local

DEMO_SLUG = "demo"
DEMO_TIMEZONE = "Europe/Zurich"  # Geneva
DEMO_NOTE = (
    "**Demo event.** Made up to try confman today: it is dated around the day it was loaded, so registration is "
    "open and sessions are on now. Run `confman demo` again to move it to the current day."
)
STEP = timedelta(minutes=30)


@dataclass(frozen=True)
class Planned:
    key: str  # the session's title: how a reload finds it again
    starts_at: datetime
    minutes: int
    kind: SessionKind
    channel: str
    theme: str | None = None
    speakers: tuple[tuple[str, ParticipationRole, int | None], ...] = ()
    tags: tuple[str, ...] = ()
    is_fixed: bool = False
    video: VideoStatus | None = None


@dataclass
class DemoReport:
    created: bool
    moved: int  # sessions re-dated by this load
    version: int | None  # the agenda version published by this load, if any


def plan(now: datetime, tz: ZoneInfo) -> list[Planned]:
    """The demo's sessions for a load at `now`: today's block starts at the half hour before the last one (never
    before local midnight), so at `now` a session has run a while in each channel and at least 30 minutes remain."""
    today = now.astimezone(tz).date()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)

    def at(day: date, hh: int, mm: int = 0) -> datetime:
        return from_local(datetime.combine(day, time(hh, mm)), tz)

    local_now = now.astimezone(tz).replace(tzinfo=None)
    floor = local_now.replace(minute=local_now.minute - local_now.minute % 30, second=0, microsecond=0)
    block = from_local(max(floor - STEP, datetime.combine(today, time())), tz)
    minute = timedelta(minutes=1)
    security, protection = "safety-and-security", "protection"
    chair, speaker, panelist, moderator = (ParticipationRole.CHAIR, ParticipationRole.SPEAKER,
                                           ParticipationRole.PANELIST, ParticipationRole.MODERATOR)
    return [
        Planned("Opening of the demo conference", at(yesterday, 9), 30, SessionKind.OPENING, "plenary",
                speakers=(("chair", chair, None), ("minister", speaker, 7)), is_fixed=True),
        Planned("Video message: Minister of Defence", at(yesterday, 9, 30), 6, SessionKind.VIDEO_MESSAGE, "plenary",
                speakers=(("defence", speaker, 5),), video=VideoStatus.APPROVED),
        Planned("Training for the next mandate", at(yesterday, 10), 90, SessionKind.PANEL, "plenary", security,
                (("trainer", moderator, None), ("medic", panelist, 5), ("envoy", panelist, 5)), ("training",)),
        Planned("Protecting civilians in the field", at(yesterday, 10), 90, SessionKind.PANEL, "side-room",
                protection, (("adviser", moderator, None), ("envoy", panelist, 5)), ("community",)),
        Planned("Technology and safety", block, 90, SessionKind.PANEL, "plenary", security,
                (("trainer", moderator, None), ("engineer", panelist, 5), ("medic", panelist, 5)), ("technology",)),
        Planned("Community engagement", block, 90, SessionKind.PLENARY, "side-room", protection,
                (("adviser", chair, None), ("envoy", speaker, 5), ("minister", speaker, 5)), ("community",)),
        Planned("Break", block + 90 * minute, 15, SessionKind.BREAK, "plenary"),
        Planned("Medical support in remote missions", block + 105 * minute, 60, SessionKind.PANEL, "plenary",
                security, (("medic", moderator, None), ("engineer", panelist, 5)), ("medical",)),
        Planned("Women, peace and security", block + 105 * minute, 60, SessionKind.PANEL, "side-room", protection,
                (("envoy", moderator, None), ("adviser", panelist, 5)), ("community",)),
        Planned("Video message: Minister for Foreign Affairs", at(tomorrow, 9), 6, SessionKind.VIDEO_MESSAGE,
                "plenary", speakers=(("foreign", speaker, 5),), video=VideoStatus.REQUESTED),
        Planned("The road ahead", at(tomorrow, 9, 15), 60, SessionKind.PANEL, "plenary", security,
                (("chair", moderator, None), ("trainer", panelist, 5), ("medic", panelist, 5)), ("training",)),
        Planned("Closing of the demo conference", at(tomorrow, 10, 30), 30, SessionKind.CLOSING, "plenary",
                speakers=(("chair", chair, None), ("minister", speaker, 5)), is_fixed=True),
    ]


_SPEAKERS = {
    "chair": ("Ms.", "Amara Diallo", "Conference chair (demo)", ProtocolRank.OTHER, "org-un"),
    "minister": ("H.E. Ms.", "Ingrid Solberg", "Minister for Foreign Affairs (demo)", ProtocolRank.MINISTER, "org-a"),
    "defence": ("H.E. Mr.", "Tomás Rivera", "Minister of Defence (demo)", ProtocolRank.MINISTER, "org-b"),
    "foreign": ("H.E. Mr.", "Kwame Mensah", "Minister for Foreign Affairs (demo)", ProtocolRank.MINISTER, "org-b"),
    "trainer": ("Col.", "Lea Keller", "Head of Training (demo)", ProtocolRank.OTHER, "org-a"),
    "medic": ("Dr.", "Ravi Iyer", "Chief Medical Officer (demo)", ProtocolRank.OTHER, "org-un"),
    "envoy": ("H.E. Ms.", "Nadia Haddad", "Permanent Representative (demo)",
              ProtocolRank.PERMANENT_REPRESENTATIVE, "org-b"),
    "adviser": ("Ms.", "Sofia Lind", "Protection Adviser (demo)", ProtocolRank.OTHER, "org-un"),
    "engineer": ("Mr.", "Kenji Watanabe", "Field Technology Lead (demo)", ProtocolRank.OTHER, "org-a"),
}
_ORGANIZATIONS = {
    "org-a": ("Swiss Confederation (demo)", "Switzerland", OrganizationKind.MEMBER_STATE, "CH"),
    "org-b": ("Republic of Ghana (demo)", "Ghana", OrganizationKind.MEMBER_STATE, "GH"),
    "org-un": ("United Nations Department of Peace Operations", "UN DPO", OrganizationKind.UN_ENTITY, None),
}
_TAGS = {"training": "Training", "technology": "Technology", "medical": "Medical support",
         "community": "Community engagement"}


def load_demo(*, now: datetime) -> DemoReport:
    """Create the demo event, or re-date the existing one to `now`. Publishes when the public agenda changes.

    The sample organizer and moderator (if they exist) get their roles on it. Flushes; the caller commits.
    """
    tz = ZoneInfo(DEMO_TIMEZONE)
    planned = plan(now, tz)
    event = db.session.scalar(select(Event).filter_by(slug=DEMO_SLUG))
    created = event is None
    if created:
        event = _create_event(now)
    _date_event(event, planned, tz, now)
    moved = _place_sessions(event, planned, now)
    _grant_sample_roles(event)
    db.session.flush()
    db.session.refresh(event)
    try:
        version = publication.publish_agenda(event, actor=None, now=now,
                                             comment="Demo agenda" if created else "Demo re-dated to today")
    except publication.NothingToPublish:
        version = None
    return DemoReport(created=created, moved=moved, version=version.number if version else None)


def _create_event(now: datetime) -> Event:
    orgs = {key: _organization(*values) for key, values in _ORGANIZATIONS.items()}
    event = Event(slug=DEMO_SLUG, title="Demo Conference on Peace Operations", short_title="Demo conference",
                  description=DEMO_NOTE, starts_on=now.date(), ends_on=now.date(), timezone=DEMO_TIMEZONE,
                  format=EventFormat.VIRTUAL, venue="Online", joining_link="https://meet.example.org/demo-plenary",
                  status=EventStatus.PUBLISHED, is_sample=True, capacity=500, needs_approval=False,
                  created_at=now, updated_at=now)
    event.co_hosts.extend([CoHost(organization=orgs["org-a"], position=0, role=CoHostRole.CO_HOST),
                           CoHost(organization=orgs["org-b"], position=1, role=CoHostRole.CO_HOST),
                           CoHost(organization=orgs["org-un"], position=2, role=CoHostRole.PARTNER)])
    event.themes.extend([
        Theme(slug="safety-and-security", name="Safety and Security", colour="#1f4e79", pattern="solid", position=0),
        Theme(slug="protection", name="Protection", colour="#7a3b00", pattern="striped", position=1),
    ])
    event.channels.extend([Channel(slug="plenary", name="Plenary", position=0),
                           Channel(slug="side-room", name="Side room", position=1)])
    event.tags.extend(Tag(slug=slug, name=name) for slug, name in _TAGS.items())
    db.session.add(event)
    db.session.flush()
    for key, (honorific, name, title, rank, org_key) in _SPEAKERS.items():
        db.session.add(Speaker(event=event, honorific=honorific, name=name, title=title, protocol_rank=rank,
                               organization=orgs[org_key], email=f"{key}@demo.example", created_at=now))
    db.session.flush()
    return event


def _organization(name: str, short: str, kind: OrganizationKind, country: str | None) -> Organization:
    org = db.session.scalar(select(Organization).filter_by(name=name))
    if org is None:
        org = Organization(name=name, short_name=short, kind=kind, country_code=country)
        db.session.add(org)
    return org


def _date_event(event: Event, planned: list[Planned], tz: ZoneInfo, now: datetime) -> None:
    days = sorted({p.starts_at.astimezone(tz).date() for p in planned})
    starts_on, ends_on = days[0], max(days[-1], now.astimezone(tz).date() + timedelta(days=1))
    opens = from_local(datetime.combine(starts_on - timedelta(days=30), time(9)), tz)
    closes = from_local(datetime.combine(ends_on, time(18)), tz)
    if (event.starts_on, event.ends_on, event.registration_opens_at, event.registration_closes_at) != (
            starts_on, ends_on, opens, closes):
        event.starts_on, event.ends_on = starts_on, ends_on
        event.registration_opens_at, event.registration_closes_at = opens, closes
        event.updated_at = now


def _place_sessions(event: Event, planned: list[Planned], now: datetime) -> int:
    existing = {item.title: item for item in db.session.scalars(select(AgendaSession).filter_by(event_id=event.id))}
    themes = {t.slug: t for t in event.themes}
    channels = {c.slug: c for c in event.channels}
    tags = {t.slug: t for t in event.tags}
    speakers = {s.email.split("@")[0]: s for s in db.session.scalars(select(Speaker).filter_by(event_id=event.id))}
    moved = 0
    for p in planned:
        item = existing.get(p.key)
        if item is None:
            item = AgendaSession(event=event, title=p.key, kind=p.kind, starts_at=p.starts_at,
                                 duration=timedelta(minutes=p.minutes), theme=themes.get(p.theme or ""),
                                 channel=channels[p.channel], tags=[tags[t] for t in p.tags], is_fixed=p.is_fixed,
                                 created_at=now, updated_at=now)
            for position, (key, role, limit) in enumerate(p.speakers):
                item.participations.append(Participation(
                    speaker=speakers[key], role=role, position=position, created_at=now,
                    time_limit=timedelta(minutes=limit) if limit else None))
            db.session.add(item)
        elif item.starts_at != p.starts_at:
            # A new day: the plan's time, and the live day's traces cleared (it has not happened yet).
            item.starts_at = p.starts_at
            item.status = SessionStatus.SCHEDULED
            item.expected_starts_at = item.actual_started_at = item.actual_ended_at = None
            item.announced_delay = item.break_before = None
            item.sequence += 1
            item.updated_at = now
            for participation in item.participations:
                participation.actual_started_at = participation.actual_ended_at = None
            moved += 1
        else:
            continue
        if p.video is not None:
            _video(item, p, speakers, now)
    if moved:
        db.session.execute(delete(LiveAction).where(LiveAction.event_id == event.id))
        db.session.execute(delete(LiveState).where(LiveState.event_id == event.id))
    return moved


def _video(item: AgendaSession, p: Planned, speakers: dict[str, Speaker], now: datetime) -> None:
    # The office has until two hours before the session: always ahead of a load, so the slot is awaiting upload.
    deadline = p.starts_at - timedelta(hours=2)
    if item.video_message is None:
        key = p.speakers[0][0]
        received = p.video != VideoStatus.REQUESTED
        item.video_message = VideoMessage(
            speaker=speakers[key], allowed_length=timedelta(minutes=5), language="English", status=p.video,
            measured_length=timedelta(minutes=4, seconds=40) if received else None,
            link_url="https://video.example.org/demo-defence.mp4" if received else None,
            received_at=now if received else None, office_email=f"office.{key}@demo.example",
            fallback="Read-out of the statement by the Permanent Mission", created_at=now, updated_at=now)
    vm = item.video_message
    vm.deadline_at, vm.embargo_at = deadline, p.starts_at
    if vm.status == VideoStatus.PLAYED and p.video != VideoStatus.PLAYED:
        vm.status, vm.played_at = p.video, None


def _grant_sample_roles(event: Event) -> None:
    for role in (Role.ORGANIZER, Role.MODERATOR):
        user = users.find_by_email(SAMPLE_ACCOUNTS[role.value])
        if user is None:
            continue
        has = db.session.scalar(select(EventRole.id).filter_by(user_id=user.id, event_id=event.id, role=role))
        if has is None:
            db.session.add(EventRole(user=user, event=event, role=role))

