"""A session's list of speakers: its settings, who may inscribe, and the calling order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from confman.extensions import db
from confman.models import (
    AgendaSession,
    Delegation,
    Event,
    Inscription,
    InscriptionStatus,
    LiveState,
    OrganizationKind,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    SpeakersList,
    User,
)
from confman.models.live import channel_key
from confman.services import N_, ConfmanError, audit, permissions

MAX_TIME_LIMIT = timedelta(minutes=60)
DEFAULT_CATEGORIES = (RegistrationCategory.MEMBER_STATE.value,)


class FloorError(ConfmanError):
    pass


class BadSettings(FloorError):
    pass


class StaleList(FloorError):
    def __init__(self) -> None:
        super().__init__(N_("Another moderator changed the list after this page was loaded, so your action was not "
                            "applied. The console now shows the current list: check it and try again."))


def list_of(item: AgendaSession) -> SpeakersList | None:
    return db.session.get(SpeakersList, item.id)


def load_list(session_id: int) -> SpeakersList | None:
    """The list with its entries, their delegations and joint delegations loaded in a fixed number of queries."""
    return db.session.scalar(
        select(SpeakersList).where(SpeakersList.session_id == session_id)
        .options(selectinload(SpeakersList.inscriptions).selectinload(Inscription.joint_delegations),
                 selectinload(SpeakersList.inscriptions).selectinload(Inscription.statements)))


@dataclass(frozen=True)
class Settings:
    is_open: bool
    opens_at: datetime | None
    closes_at: datetime | None
    categories: Sequence[str]
    default_time_limit: timedelta | None
    max_per_delegation: int
    cap: int | None
    delegates_may_inscribe: bool


def configure(item: AgendaSession, settings: Settings, *, actor: User, now: datetime) -> SpeakersList:
    """Create or change a session's list settings. Raises BadSettings. Flushes; audit-logged."""
    if settings.opens_at and settings.closes_at and settings.closes_at <= settings.opens_at:
        raise BadSettings(N_("The inscription window must close after it opens."))
    if settings.max_per_delegation < 1:
        raise BadSettings(N_("A delegation must be allowed at least one intervention."))
    if settings.cap is not None and settings.cap < 1:
        raise BadSettings(N_("A list cap must be at least 1 (leave it empty for no cap)."))
    limit = settings.default_time_limit
    if limit is not None and not timedelta(0) < limit <= MAX_TIME_LIMIT:
        raise BadSettings(N_("The time limit per intervention is between 1 second and 60 minutes."))
    unknown = set(settings.categories) - {c.value for c in RegistrationCategory}
    if unknown or not settings.categories:
        raise BadSettings(N_("Choose at least one registration category that may inscribe."))
    speakers_list = list_of(item)
    before = _settings_dict(speakers_list) if speakers_list else None
    if speakers_list is None:
        speakers_list = SpeakersList(session_id=item.id, event_id=item.event_id)
        db.session.add(speakers_list)
    for name, value in vars(settings).items():
        setattr(speakers_list, name, list(value) if name == "categories" else value)
    speakers_list.updated_at = now
    db.session.flush()
    audit.record(event=item.event, actor=actor, action="floor.list_configured", target_type="agenda_session",
                 target_id=item.id, now=now, summary=f"List of speakers of “{item.title}”",
                 before=before, after=_settings_dict(speakers_list))
    bump_live_version(item, now)
    return speakers_list


def _settings_dict(speakers_list: SpeakersList) -> dict:
    return {name: getattr(speakers_list, name) for name in Settings.__dataclass_fields__}


def is_window_open(speakers_list: SpeakersList, now: datetime) -> bool:
    return (speakers_list.is_open and (speakers_list.opens_at is None or speakers_list.opens_at <= now)
            and (speakers_list.closes_at is None or now < speakers_list.closes_at))


def delegation_categories(delegation: Delegation) -> set[str]:
    """What a delegation counts as: its approved members' registration categories, and its organization's kind."""
    kinds = {OrganizationKind.MEMBER_STATE: RegistrationCategory.MEMBER_STATE,
             OrganizationKind.UN_ENTITY: RegistrationCategory.UN_SECRETARIAT}
    categories = set(db.session.scalars(select(Registration.category).distinct().where(
        Registration.delegation_id == delegation.id, Registration.status == RegistrationStatus.APPROVED)))
    categories.add(kinds.get(delegation.organization.kind, RegistrationCategory.OBSERVER))
    return {c.value for c in categories}


def speaks_for(user: User | None, delegation: Delegation, speakers_list: SpeakersList | None = None) -> bool:
    """The delegation's focal point, or (when the list allows it) an approved delegate of that delegation."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if delegation.focal_point_id == user.id:
        return True
    if speakers_list is None or not speakers_list.delegates_may_inscribe:
        return False
    return db.session.scalar(select(Registration.id).where(
        Registration.delegation_id == delegation.id, Registration.user_id == user.id,
        Registration.status == RegistrationStatus.APPROVED).limit(1)) is not None


def delegations_of(user: User, event: Event) -> list[Delegation]:
    """The event's delegations `user` may act for on some list: focal point, or approved member."""
    focal = select(Delegation.id).where(Delegation.event_id == event.id, Delegation.focal_point_id == user.id)
    member = select(Registration.delegation_id).where(
        Registration.event_id == event.id, Registration.user_id == user.id,
        Registration.status == RegistrationStatus.APPROVED, Registration.delegation_id.is_not(None))
    return list(db.session.scalars(select(Delegation).where(Delegation.id.in_(focal.union(member)))))


def calling_order(inscriptions: Iterable[Inscription]) -> list[Inscription]:
    """Entries in the order the chair calls them: by protocol rank tier, then time of inscription; entries added
    from the floor after the inscribed ones; entries an organizer placed by hand at their place (1 = first)."""
    active = [i for i in inscriptions if i.status != InscriptionStatus.WITHDRAWN]
    order = sorted((i for i in active if i.position is None),
                   key=lambda i: (i.is_from_floor, i.protocol_rank.precedence, i.inscribed_at, i.id))
    for placed in sorted((i for i in active if i.position is not None), key=lambda i: (i.position, i.id)):
        order.insert(min(placed.position - 1, len(order)), placed)
    return order


def time_limit(inscription: Inscription) -> timedelta | None:
    return inscription.time_limit or inscription.speakers_list.default_time_limit


def may_manage(user: User | None, event: Event) -> bool:
    return permissions.can_organize(user, event)


def bump_live_version(item: AgendaSession, now: datetime, *, expected: int | None = None) -> None:
    """Raise the live-state version of `item`'s channel, so live.json's ETag changes and that channel's consoles
    refresh (as live actions do). With `expected` (the version the channel's console showed) it is the optimistic
    lock: raises StaleList."""
    table = LiveState.__table__
    connection = db.session.connection()
    key = channel_key(item.channel_id)
    where = (table.c.event_id == item.event_id) & (table.c.channel_key == key)
    if expected is not None:
        where = where & (table.c.version == expected)
    if connection.execute(update(table).where(where).values(version=table.c.version + 1,
                                                             updated_at=now)).rowcount == 1:
        return
    if expected in (None, 0):  # no live state yet: create it, unless a concurrent request just did
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        created = connection.execute(insert(table).values(event_id=item.event_id, channel_key=key, version=1,
                                                          updated_at=now)
                                     .on_conflict_do_nothing(index_elements=["event_id", "channel_key"])
                                     .returning(table.c.event_id)).first()
        if created is not None:
            return
        if expected is None:
            connection.execute(update(table).where(where).values(version=table.c.version + 1, updated_at=now))
            return
    raise StaleList()
