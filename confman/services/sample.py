"""The PrepCon 2021 sample: a realistic agenda to try confman with. Loading it twice changes nothing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from confman.extensions import db
from confman.models import (
    AgendaSession,
    Channel,
    CoHost,
    CoHostRole,
    Delegation,
    Event,
    EventFormat,
    EventStatus,
    Organization,
    OrganizationKind,
    OverQuotaPolicy,
    Participation,
    ParticipationRole,
    ProtocolRank,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    Role,
    SessionKind,
    Speaker,
    Tag,
    Theme,
    VideoMessage,
    VideoStatus,
)
from confman.services import publication, sample_languages, users
from confman.timeutil import from_local

PREPCON_SLUG = "prepcon-2021"
MINISTERIAL_SLUG = "seoul-ministerial-2021"
SAMPLE_PASSWORD = "prepcon-sample"
SAMPLE_ACCOUNTS = {
    "organizer": "organizer@prepcon.example",
    "moderator": "moderator@prepcon.example",
    "delegate": "delegate@prepcon.example",
}
SAMPLE_PREPARED_AT = datetime(2021, 10, 18, 14, 0, tzinfo=UTC)
SAMPLE_NOTE = (
    "**Sample data.** This agenda was made up to demonstrate confman. It follows the shape of the 2021 "
    "Peacekeeping Preparatory Conference, but sessions, times and most participants are illustrative."
)


@dataclass
class SampleReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def load_sample(*, now: datetime, interpretation: bool = False) -> SampleReport:
    """Create the PrepCon sample and its accounts, skipping whatever already exists. Flushes. `interpretation`:
    every session but the breaks interpreted from English into French (shown in English exports too)."""
    report = SampleReport()
    orgs = {name: _organization(name, short, kind, cc) for name, short, kind, cc in _ORGANIZATIONS}

    # The agenda itself is dated as if prepared in October 2021, so calendars and the changelog read true
    # and every fresh install exports byte-identical feeds; accounts are made now.
    prepared = SAMPLE_PREPARED_AT
    ministerial = db.session.scalar(select(Event).filter_by(slug=MINISTERIAL_SLUG))
    if ministerial is None:
        ministerial = _ministerial(orgs, prepared)
        report.created.append(f"event {MINISTERIAL_SLUG}")
    else:
        report.existing.append(f"event {MINISTERIAL_SLUG}")

    prepcon = db.session.scalar(select(Event).filter_by(slug=PREPCON_SLUG))
    if prepcon is None:
        prepcon = _prepcon(orgs, ministerial, prepared, interpretation=interpretation)
        report.created.append(f"event {PREPCON_SLUG}")
    else:
        report.existing.append(f"event {PREPCON_SLUG}")

    for role_name, email in SAMPLE_ACCOUNTS.items():
        if users.find_by_email(email) is not None:
            report.existing.append(f"user {email}")
            continue
        roles = ((prepcon, Role(role_name)),) if role_name in ("organizer", "moderator") else ()
        user = users.create_user(
            email, password=SAMPLE_PASSWORD, now=now, name=f"Sample {role_name}", roles=roles
        )
        if role_name == "delegate":
            _delegate_registration(prepcon, user, orgs["Kingdom of the Netherlands"], now)
        report.created.append(f"user {email}")
    db.session.flush()
    return report


_ORGANIZATIONS = [
    ("Islamic Republic of Pakistan", "Pakistan", OrganizationKind.MEMBER_STATE, "PK"),
    ("Kingdom of the Netherlands", "Netherlands", OrganizationKind.MEMBER_STATE, "NL"),
    ("Republic of Korea", "Korea", OrganizationKind.MEMBER_STATE, "KR"),
    ("United Nations Department of Peace Operations", "UN DPO", OrganizationKind.UN_ENTITY, None),
    ("United Nations Department of Operational Support", "UN DOS", OrganizationKind.UN_ENTITY, None),
    ("Federal Republic of Nigeria", "Nigeria", OrganizationKind.MEMBER_STATE, "NG"),
    ("Republic of Rwanda", "Rwanda", OrganizationKind.MEMBER_STATE, "RW"),
    ("Republic of Indonesia", "Indonesia", OrganizationKind.MEMBER_STATE, "ID"),
    ("Uruguay", "Uruguay", OrganizationKind.MEMBER_STATE, "UY"),
]


def _organization(name: str, short: str, kind: OrganizationKind, country: str | None) -> Organization:
    org = db.session.scalar(select(Organization).filter_by(name=name))
    if org is None:
        org = Organization(name=name, short_name=short, kind=kind, country_code=country)
        db.session.add(org)
    return org


def _ministerial(orgs: dict[str, Organization], now: datetime) -> Event:
    event = Event(
        slug=MINISTERIAL_SLUG,
        title="United Nations Peacekeeping Ministerial",
        short_title="Seoul Ministerial",
        description=SAMPLE_NOTE + "\n\nThe ministerial meeting that the Preparatory Conference prepared.",
        starts_on=date(2021, 12, 7),
        ends_on=date(2021, 12, 8),
        timezone="Asia/Seoul",
        format=EventFormat.HYBRID,
        venue="Seoul, Republic of Korea",
        status=EventStatus.PUBLISHED,
        is_sample=True,
        needs_approval=True,
        created_at=now,
        updated_at=now,
    )
    event.co_hosts.append(CoHost(organization=orgs["Republic of Korea"], position=0, role=CoHostRole.HOST))
    db.session.add(event)
    db.session.flush()
    return event


# (day, local start, minutes, kind, theme slug or None, title, tags, [(speaker key, role, limit minutes)])
_SESSIONS = [
    (0, "08:00", 30, SessionKind.OPENING, None, "Opening of the Preparatory Conference", [],
     [("lacroix", ParticipationRole.CHAIR, None), ("qureshi", ParticipationRole.SPEAKER, 7)]),
    (0, "08:30", 6, SessionKind.VIDEO_MESSAGE, None, "Video message: Minister of Defence of Pakistan", [],
     [("khattak", ParticipationRole.SPEAKER, 5)]),
    (0, "08:36", 6, SessionKind.VIDEO_MESSAGE, None, "Video message: Minister for Foreign Affairs of the Netherlands",
     [], [("knapen", ParticipationRole.SPEAKER, 5)]),
    (0, "08:45", 90, SessionKind.PANEL, "safety-and-security", "Training and capacity building",
     ["training", "capacity-building"],
     [("khare", ParticipationRole.MODERATOR, None), ("okafor", ParticipationRole.PANELIST, 5),
      ("rahman", ParticipationRole.PANELIST, 5), ("mukamana", ParticipationRole.PANELIST, 5)]),
    (0, "10:15", 15, SessionKind.BREAK, None, "Break", [], []),
    (0, "10:30", 90, SessionKind.PANEL, "safety-and-security", "Technology and the safety of peacekeepers",
     ["technology"],
     [("vermeulen", ParticipationRole.MODERATOR, None), ("santoso", ParticipationRole.PANELIST, 5),
      ("ferreira", ParticipationRole.PANELIST, 5)]),
    (1, "08:00", 90, SessionKind.PANEL, "safety-and-security", "Health and medical support",
     ["medical-support"],
     [("rahman", ParticipationRole.MODERATOR, None), ("mukamana", ParticipationRole.PANELIST, 5),
      ("de-graaf", ParticipationRole.PANELIST, 5)]),
    (1, "09:30", 15, SessionKind.BREAK, None, "Break", [], []),
    (1, "09:45", 90, SessionKind.PLENARY, "protection", "Mission integration for the protection of civilians",
     ["mission-integration"],
     [("lacroix", ParticipationRole.CHAIR, None), ("ferreira", ParticipationRole.SPEAKER, 5),
      ("okafor", ParticipationRole.SPEAKER, 5)]),
    (1, "11:15", 75, SessionKind.PANEL, "protection", "Community engagement and strategic communications",
     ["community-engagement"],
     [("vermeulen", ParticipationRole.MODERATOR, None), ("santoso", ParticipationRole.PANELIST, 5),
      ("de-graaf", ParticipationRole.PANELIST, 5)]),
    (1, "12:30", 30, SessionKind.CLOSING, None, "Closing: the road to Seoul", [],
     [("khare", ParticipationRole.CHAIR, None), ("qureshi", ParticipationRole.SPEAKER, 5)]),
]

# key: (honorific, name, title, rank, organization)
_SPEAKERS = {
    "qureshi": ("H.E. Mr.", "Shah Mahmood Qureshi", "Minister for Foreign Affairs", ProtocolRank.MINISTER,
                "Islamic Republic of Pakistan"),
    "khattak": ("H.E. Mr.", "Pervez Khattak", "Minister of Defence", ProtocolRank.MINISTER,
                "Islamic Republic of Pakistan"),
    "knapen": ("H.E. Mr.", "Ben Knapen", "Minister for Foreign Affairs", ProtocolRank.MINISTER,
               "Kingdom of the Netherlands"),
    "lacroix": ("Mr.", "Jean-Pierre Lacroix", "Under-Secretary-General for Peace Operations", ProtocolRank.OTHER,
                "United Nations Department of Peace Operations"),
    "khare": ("Mr.", "Atul Khare", "Under-Secretary-General for Operational Support", ProtocolRank.OTHER,
              "United Nations Department of Operational Support"),
    "okafor": ("Maj. Gen.", "Adaeze Okafor", "Director of Peacekeeping Training (sample)", ProtocolRank.OTHER,
               "Federal Republic of Nigeria"),
    "rahman": ("Col.", "Amina Rahman", "Senior Medical Officer (sample)", ProtocolRank.OTHER,
               "Islamic Republic of Pakistan"),
    "mukamana": ("H.E. Ms.", "Claudine Mukamana", "Permanent Representative (sample)",
                 ProtocolRank.PERMANENT_REPRESENTATIVE, "Republic of Rwanda"),
    "vermeulen": ("Ms.", "Sanne Vermeulen", "Head of Peace Operations Policy (sample)", ProtocolRank.OTHER,
                  "Kingdom of the Netherlands"),
    "santoso": ("Brig. Gen.", "Budi Santoso", "Chief of Staff, Peacekeeping Centre (sample)", ProtocolRank.OTHER,
                "Republic of Indonesia"),
    "ferreira": ("Ms.", "Lucía Ferreira", "Protection of Civilians Adviser (sample)", ProtocolRank.OTHER, "Uruguay"),
    "de-graaf": ("Dr.", "Pieter de Graaf", "Deputy Surgeon General (sample)", ProtocolRank.OTHER,
                 "Kingdom of the Netherlands"),
}


def _prepcon(orgs: dict[str, Organization], ministerial: Event, now: datetime, *, interpretation: bool) -> Event:
    event = Event(
        slug=PREPCON_SLUG,
        title="UN Peacekeeping Preparatory Conference (PrepCon) on Safety and Security and Protection",
        short_title="PrepCon 2021",
        description=SAMPLE_NOTE + "\n\nCo-hosted by Pakistan and the Netherlands in the run-up to the "
        "United Nations Peacekeeping Ministerial in Seoul. Senior civilian and military experts from Member "
        "States and the UN Secretariat discuss the safety and security of peacekeepers and the protection "
        "of civilians.",
        starts_on=date(2021, 10, 25),
        ends_on=date(2021, 10, 26),
        timezone="America/New_York",
        format=EventFormat.VIRTUAL,
        venue="Online",
        joining_link="https://meet.example.org/prepcon-2021-plenary",
        status=EventStatus.PUBLISHED,
        parent=ministerial,
        is_sample=True,
        registration_opens_at=datetime(2021, 9, 20, 13, 0, tzinfo=UTC),
        registration_closes_at=datetime(2021, 10, 22, 21, 0, tzinfo=UTC),
        capacity=300,
        needs_approval=True,
        created_at=now,
        updated_at=now,
    )
    event.co_hosts.extend([
        CoHost(organization=orgs["Islamic Republic of Pakistan"], position=0, role=CoHostRole.CO_HOST),
        CoHost(organization=orgs["Kingdom of the Netherlands"], position=1, role=CoHostRole.CO_HOST),
    ])
    themes = {
        "safety-and-security": Theme(slug="safety-and-security", name="Safety and Security", colour="#1f4e79",
                                     pattern="solid", position=0),
        "protection": Theme(slug="protection", name="Protection", colour="#7a3b00", pattern="striped", position=1),
    }
    event.themes.extend(themes.values())
    plenary = Channel(slug="plenary", name="Plenary", position=0)
    event.channels.append(plenary)
    tag_names = {
        "training": "Training", "capacity-building": "Capacity building",
        "medical-support": "Health and medical support",
        "mission-integration": "Mission integration", "technology": "Technology",
        "community-engagement": "Community engagement",
    }
    tags = {slug: Tag(slug=slug, name=name) for slug, name in tag_names.items()}
    event.tags.extend(tags.values())
    db.session.add(event)
    db.session.flush()

    speakers = {}
    for key, (honorific, name, title, rank, org_name) in _SPEAKERS.items():
        speakers[key] = Speaker(event=event, honorific=honorific, name=name, title=title, protocol_rank=rank,
                                organization=orgs[org_name], created_at=now)
    db.session.add_all(speakers.values())

    for day, start, minutes, kind, theme_slug, title, tag_slugs, people in _SESSIONS:
        hour, minute = map(int, start.split(":"))
        local = datetime(2021, 10, 25 + day, hour, minute)
        item = AgendaSession(
            event=event, kind=kind, theme=themes.get(theme_slug) if theme_slug else None, channel=plenary,
            title=title, starts_at=from_local(local, event.tz), duration=timedelta(minutes=minutes),
            tags=[tags[t] for t in tag_slugs], created_at=now, updated_at=now, is_fixed=kind == SessionKind.OPENING,
        )
        # Chairs and moderators first, then speakers in protocol order, ties by the order listed.
        ordered = sorted(
            enumerate(people), key=lambda p: (_ROLE_ORDER[p[1][1]], _SPEAKERS[p[1][0]][3].precedence, p[0])
        )
        for position, (_, (key, role, limit)) in enumerate(ordered):
            item.participations.append(Participation(
                speaker=speakers[key], role=role, position=position, created_at=now,
                time_limit=timedelta(minutes=limit) if limit else None,
            ))
        if kind == SessionKind.VIDEO_MESSAGE:
            key = people[0][0]
            item.video_message = VideoMessage(
                speaker=speakers[key], allowed_length=timedelta(minutes=5),
                deadline_at=from_local(datetime(2021, 10, 20, 17, 0), event.tz),
                embargo_at=item.starts_at, language="English",
                status=VideoStatus.APPROVED if key == "khattak" else VideoStatus.RECEIVED,
                measured_length=timedelta(minutes=4, seconds=52 if key == "khattak" else 31),
                link_url=None, created_at=now, updated_at=now,
                subtitle_expectations="English subtitles; a transcript for the "
                "interpreters (.txt, .vtt or .pdf)",
                office_email=f"office.{key}@video.example",
                fallback="Read-out of the statement by the Permanent Mission" if key == "khattak" else
                "Live dial-in by the Permanent Representative",
            )
        db.session.add(item)
    items = [i for i in db.session.new if isinstance(i, AgendaSession)]
    sample_languages.add_french(event, list(themes.values()), list(event.co_hosts), list(speakers.values()), items)
    if interpretation:
        sample_languages.add_interpretation(items)
    db.session.flush()
    db.session.refresh(event)
    publication.publish_agenda(event, actor=None, now=now, comment="First published agenda (sample)")
    return event


_ROLE_ORDER = {ParticipationRole.CHAIR: 0, ParticipationRole.MODERATOR: 1,
               ParticipationRole.SPEAKER: 2, ParticipationRole.PANELIST: 2}


def _delegate_registration(event: Event, user, organization: Organization, now: datetime) -> None:
    # The Netherlands sends a delegation of at most five; a sixth member would go on the waiting list.
    delegation = db.session.scalar(select(Delegation).filter_by(event_id=event.id, organization_id=organization.id))
    if delegation is None:
        delegation = Delegation(event=event, organization=organization, quota=5,
                                over_quota_policy=OverQuotaPolicy.WAITLIST,
                                head_of_delegation="Sample head of delegation")
        db.session.add(delegation)
    db.session.add(Registration(
        event=event, user=user, organization=organization, delegation=delegation, honorific="Ms.",
        name="Sample delegate",
        title="Counsellor, Permanent Mission", email=user.email, category=RegistrationCategory.MEMBER_STATE,
        consented_at=now, status=RegistrationStatus.APPROVED, registered_at=now, decided_at=now,
        calendar_token=secrets.token_urlsafe(32),
    ))
