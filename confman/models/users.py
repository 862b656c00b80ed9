"""Accounts and per-event roles."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confman.models.base import Base
from confman.timeutil import utcnow

if TYPE_CHECKING:
    from confman.models.events import Event


class Role(enum.StrEnum):
    ORGANIZER = "organizer"
    MODERATOR = "moderator"
    INTERPRETER = "interpreter"  # may read approved video-message transcripts ahead of the session


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Changing it logs out every session of this user (Flask-Login's alternative id).
    session_nonce: Mapped[str] = mapped_column(String(64), default="")
    # Raised by each sign-in by emailed link: every link sent before stops working (single-use links).
    sign_in_link_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # The header switcher's choice, kept for the next sign-in on any device (a BCP 47 code: en, fr, ar).
    interface_language: Mapped[str | None] = mapped_column(String(35))

    roles: Mapped[list[EventRole]] = relationship(back_populates="user", cascade="all, delete-orphan")

    # Flask-Login's protocol, spelled out to avoid a Flask import in the model layer.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def display_name(self) -> str:
        return self.name or self.email


class EventRole(Base):
    __tablename__ = "event_role"
    __table_args__ = (UniqueConstraint("user_id", "event_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role]

    user: Mapped[User] = relationship(back_populates="roles")
    event: Mapped[Event] = relationship()
