"""The live session order on the day: each channel's state version, its undo log, and outgoing webhooks."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confman.models.base import Base
from confman.timeutil import utcnow

if TYPE_CHECKING:
    from confman.models.events import Event
    from confman.models.users import User


NO_CHANNEL = 0  # the channel key of sessions in no channel


def channel_key(channel_id: int | None) -> int:
    """The key of a channel's live state and undo log: its id, or NO_CHANNEL for sessions without one."""
    return channel_id or NO_CHANNEL


class LiveState(Base):
    """One row per channel of an event that has been run live. `version` rises with every action on that channel.

    It is the optimistic lock of the channel's console (an action names the version it was made on), so two
    moderators running two channels never stale each other. The event-level figure of `live.json`'s ETag is the
    sum of its channels' versions (it rises with any action), read from these few small rows.
    """

    __tablename__ = "live_channel_state"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    # Not a foreign key: NO_CHANNEL (0) stands for the sessions without a channel, which a key cannot name.
    channel_key: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class LiveAction(Base):
    """A moderator's action on a channel with what it changed, so the channel's last one can be undone."""

    __tablename__ = "live_action"
    __table_args__ = (Index("ix_live_action_channel_undone", "event_id", "channel_key", "undone_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    channel_key: Mapped[int] = mapped_column(default=NO_CHANNEL)  # as LiveState.channel_key
    session_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_session.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))  # started, ended, delay, moved_up, break, skipped, ...
    summary: Mapped[str] = mapped_column(String(300), default="")
    # [{"id": session id, field: value, ..., "participations": [{"id", "actual_started_at", ...}]}] before it
    before: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    at: Mapped[datetime]
    undone_at: Mapped[datetime | None]

    actor: Mapped[User | None] = relationship()


class WebhookDeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its first or next attempt
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry


class Webhook(Base):
    """An organizer-configured receiver of an event's live notifications, with the secret that signs them."""

    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    # The receiver checks the HMAC-SHA256 signature with it, so it is kept (not hashed); rotating revokes it.
    secret: Mapped[str] = mapped_column(String(64))
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)  # the notifications it wants
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    deliveries: Mapped[list[WebhookDelivery]] = relationship(back_populates="webhook", cascade="all, delete-orphan",
                                                             passive_deletes=True)


class WebhookDelivery(Base):
    """One notification to one webhook: stored with the moderator's action, sent afterwards, retried with back-off."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhook.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # agenda.published, session.started, ...
    payload: Mapped[str] = mapped_column(Text)  # the exact JSON body that is signed and sent
    status: Mapped[WebhookDeliveryStatus] = mapped_column(default=WebhookDeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]

    webhook: Mapped[Webhook] = relationship(back_populates="deliveries")
