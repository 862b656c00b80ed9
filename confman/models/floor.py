"""The floor: a session's list of speakers (inscriptions of delegations), written statements, and virtual rooms."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confman.models.agenda import ProtocolRank
from confman.models.base import Base
from confman.timeutil import utcnow

if TYPE_CHECKING:
    from confman.models.agenda import AgendaSession
    from confman.models.orgs import Delegation
    from confman.models.users import User


class SpeakersList(Base):
    """A session's settings for interventions from the floor. One row per session that takes inscriptions.

    Its row is also the lock that serialises inscriptions to one session: `inscribe` reads it FOR UPDATE on
    PostgreSQL before counting, so a capped list never takes one more than `cap`.
    """

    __tablename__ = "speakers_list"

    session_id: Mapped[int] = mapped_column(ForeignKey("agenda_session.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    is_open: Mapped[bool] = mapped_column(default=False)  # takes inscriptions at all
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    # RegistrationCategory values whose delegations may inscribe (Member States, observers, UN entities, ...).
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    default_time_limit: Mapped[timedelta | None]
    max_per_delegation: Mapped[int] = mapped_column(default=1)  # interventions one delegation may hold here
    cap: Mapped[int | None]  # the most entries the list takes; None: no limit
    # An approved delegate of a delegation may inscribe it, not only its focal point.
    delegates_may_inscribe: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    session: Mapped[AgendaSession] = relationship()
    inscriptions: Mapped[list[Inscription]] = relationship(
        back_populates="speakers_list", cascade="all, delete-orphan", order_by="Inscription.id")


class InscriptionStatus(enum.StrEnum):
    PENDING = "pending"  # on the list, waiting to be called
    CALLED = "called"  # has the floor now
    DELIVERED = "delivered"
    ABSENT = "absent"  # called, not there
    YIELDED = "yielded"  # gave up the turn (to another delegation, or the time)
    WITHDRAWN = "withdrawn"  # taken off the list by the delegation or an organizer

    @property
    def is_active(self) -> bool:
        """Counts towards the cap and the delegation's maximum."""
        return self is not InscriptionStatus.WITHDRAWN


inscription_delegation = Table(
    "inscription_delegation",
    Base.metadata,
    # The other delegations a joint statement speaks for (the inscribing delegation is Inscription.delegation).
    Column("inscription_id", ForeignKey("inscription.id", ondelete="CASCADE"), primary_key=True),
    Column("delegation_id", ForeignKey("delegation.id", ondelete="CASCADE"), primary_key=True),
)


class Inscription(Base):
    """One entry on a list of speakers: a delegation (or several, for a joint statement) and who speaks for it."""

    __tablename__ = "inscription"
    __table_args__ = (
        # One delegation holds turn 1..max_per_delegation once each; a withdrawn entry gives its turn back (NULL).
        # The database, not a check-then-insert, refuses a racing duplicate.
        UniqueConstraint("session_id", "delegation_id", "turn"),
        Index("ix_inscription_session_status", "session_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("speakers_list.session_id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"), index=True)
    turn: Mapped[int | None]
    speaker_honorific: Mapped[str] = mapped_column(String(40), default="")
    speaker_name: Mapped[str] = mapped_column(String(200))
    speaker_title: Mapped[str] = mapped_column(String(200), default="")
    protocol_rank: Mapped[ProtocolRank] = mapped_column(default=ProtocolRank.OTHER)
    time_limit: Mapped[timedelta | None]  # None: the list's default
    status: Mapped[InscriptionStatus] = mapped_column(default=InscriptionStatus.PENDING)
    is_from_floor: Mapped[bool] = mapped_column(default=False)  # added late by the chair
    # Set by an organizer moving the entry (1 = first), with why; None: protocol order.
    position: Mapped[int | None]
    position_reason: Mapped[str] = mapped_column(Text, default="")
    inscribed_at: Mapped[datetime]
    inscribed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    called_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    speakers_list: Mapped[SpeakersList] = relationship(back_populates="inscriptions")
    delegation: Mapped[Delegation] = relationship(lazy="joined")
    joint_delegations: Mapped[list[Delegation]] = relationship(secondary=inscription_delegation)
    inscribed_by: Mapped[User | None] = relationship()
    statements: Mapped[list[Statement]] = relationship(back_populates="inscription", order_by="Statement.language")

    @property
    def speaker_full_name(self) -> str:
        return f"{self.speaker_honorific} {self.speaker_name}".strip()

    @property
    def delegations(self) -> list[Delegation]:
        return [self.delegation, *self.joint_delegations]


class Statement(Base):
    """A delegation's written statement for its intervention, in one language: private until delivered or embargo."""

    __tablename__ = "statement"
    __table_args__ = (UniqueConstraint("inscription_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    inscription_id: Mapped[int] = mapped_column(ForeignKey("inscription.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(35))  # BCP 47 tag: en, fr, es, ar, zh, ru, ...
    file_path: Mapped[str] = mapped_column(String(255))  # a key in private upload storage
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    file_size: Mapped[int] = mapped_column(BigInteger)
    checksum: Mapped[str] = mapped_column(String(64))  # SHA-256, hex
    embargo_at: Mapped[datetime | None]  # public from then on even when not (yet) delivered
    uploaded_at: Mapped[datetime]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    inscription: Mapped[Inscription] = relationship(back_populates="statements")
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])


class SessionRoom(Base):
    """A session's own virtual room: links that override its channel's, and the recording once it is over."""

    __tablename__ = "session_room"

    session_id: Mapped[int] = mapped_column(ForeignKey("agenda_session.id", ondelete="CASCADE"), primary_key=True)
    meeting_url: Mapped[str] = mapped_column(String(500), default="")  # never public
    livestream_url: Mapped[str] = mapped_column(String(500), default="")
    recording_url: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
