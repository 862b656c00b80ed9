"""Delegates' registrations for an event, the sessions they pick, and the messages sent to them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confman.models.base import Base
from confman.timeutil import utcnow

if TYPE_CHECKING:
    from confman.models.agenda import AgendaSession
    from confman.models.events import Event
    from confman.models.orgs import Delegation, Organization
    from confman.models.users import User


class RegistrationCategory(enum.StrEnum):
    MEMBER_STATE = "member_state"
    UN_SECRETARIAT = "un_secretariat"
    OBSERVER = "observer"
    MEDIA = "media"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "member_state": "Member State delegate",
            "un_secretariat": "UN Secretariat",
            "observer": "Observer",
            "media": "Media",
            "other": "Other",
        }[self.value]


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


registration_session = Table(
    "registration_session",
    Base.metadata,
    Column("registration_id", ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True),
    Column("session_id", ForeignKey("agenda_session.id", ondelete="CASCADE"), primary_key=True),
)


class Registration(Base):
    __tablename__ = "registration"
    __table_args__ = (
        UniqueConstraint("event_id", "email"),  # the database, not a check-then-insert, refuses a racing duplicate
        Index("ix_registration_event_status_registered", "event_id", "status", "registered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegation.id", ondelete="SET NULL"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="SET NULL"))
    organization_name: Mapped[str] = mapped_column(String(200), default="")  # as typed, when not a known one
    honorific: Mapped[str] = mapped_column(String(40), default="")
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))  # stored lower-cased
    category: Mapped[RegistrationCategory]
    needs: Mapped[str] = mapped_column(Text, default="")  # accessibility or interpretation needs
    # The delegate's preferred language (one of the event's; "" = none given): pages, mail and the personal feed
    # follow it. And the languages they need to listen in: what organizers count to book interpretation booths.
    language: Mapped[str] = mapped_column(String(8), default="")
    interpretation_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    consented_at: Mapped[datetime]
    status: Mapped[RegistrationStatus] = mapped_column(default=RegistrationStatus.PENDING)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None]
    # The personal calendar feed's secret (/calendar/<token>.ics); None once revoked.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    nomination_document_path: Mapped[str | None] = mapped_column(String(255))  # private upload storage
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    event: Mapped[Event] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    delegation: Mapped[Delegation | None] = relationship()
    organization: Mapped[Organization | None] = relationship()
    sessions: Mapped[list[AgendaSession]] = relationship(secondary=registration_session)


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    STORED = "stored"  # no mail server configured: kept for organizers to read


class OutboxMessage(Base):
    """A message to a delegate or speaker's office. Stored first, sent after, so none is lost when sending fails."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))  # confirmation, approved, waitlisted, promoted, declined, ...
    to_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(default=OutboxStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
