"""Personal API tokens, and the answers remembered for POSTs sent with an Idempotency-Key."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confman.models.base import Base
from confman.timeutil import utcnow

if TYPE_CHECKING:
    from confman.models.events import Event
    from confman.models.users import User


class TokenScope(enum.StrEnum):
    READ = "read"  # GET only: what the owner may read of the event
    WRITE = "write"  # also every write the owner's role on the event allows


class ApiToken(Base):
    """A token a user makes for one event, shown once. Only the SHA-256 of its secret part is kept; the prefix
    (public, unique) finds the row without scanning, and the hash is compared in constant time."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[TokenScope] = mapped_column(default=TokenScope.READ)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    event: Mapped[Event] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotentRequest(Base):
    """What a creating POST answered, per token and Idempotency-Key, so a retry gets the same answer and a
    different body under the same key is refused rather than applied."""

    __tablename__ = "idempotent_request"
    __table_args__ = (UniqueConstraint("token_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    method_path: Mapped[str] = mapped_column(String(300))
    body_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int]
    response_body: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
