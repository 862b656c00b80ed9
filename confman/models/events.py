"""Events, their themes, tags and channels, and the published versions of their agenda."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confman.models.base import Base, Translatable
from confman.timeutil import utcnow

if TYPE_CHECKING:
    from confman.models.agenda import AgendaSession
    from confman.models.orgs import CoHost
    from confman.models.users import User


class EventFormat(enum.StrEnum):
    VIRTUAL = "virtual"
    HYBRID = "hybrid"
    IN_PERSON = "in_person"


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Event(Translatable, Base):
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    short_title: Mapped[str] = mapped_column(String(80), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitized on output
    # Calendar days in the event's own zone: a day is a local notion, so a date (not an instant) is right here.
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name
    format: Mapped[EventFormat] = mapped_column(default=EventFormat.VIRTUAL)
    venue: Mapped[str] = mapped_column(String(200), default="")  # city or platform, shown publicly
    joining_link: Mapped[str] = mapped_column(String(500), default="")  # never public
    status: Mapped[EventStatus] = mapped_column(default=EventStatus.DRAFT)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"))
    is_sample: Mapped[bool] = mapped_column(default=False)
    # A rehearsal is a draft sandbox copy of one day's running order (services/rehearsal.py): its console acts
    # on the copy only, so nothing reaches the real event's public agenda, feeds, SEQUENCE, webhooks or mail.
    rehearsal_of_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)

    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    capacity: Mapped[int | None]
    needs_approval: Mapped[bool] = mapped_column(default=True)
    # Shown on the registration form (deadlines, what to bring, whom to ask): translatable, like the title.
    registration_notice: Mapped[str] = mapped_column(Text, default="")

    # The languages the event's content is written in (ISO 639-1, in the order forms show them) and the one the
    # plain columns hold; every public view falls back to it where a translation is missing.
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["en"])
    default_language: Mapped[str] = mapped_column(String(8), default="en")
    # What a new session is interpreted into, and whether the problems page warns about a session that is not
    # interpreted into every language of the event.
    interpretation_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    requires_interpretation: Mapped[bool] = mapped_column(default=False)

    # Rises with every change a calendar must see; exports use it as their ETag.
    agenda_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    parent: Mapped[Event | None] = relationship(remote_side=[id], back_populates="children",
                                                foreign_keys=[parent_id])
    children: Mapped[list[Event]] = relationship(back_populates="parent", foreign_keys=[parent_id])
    rehearsal_of: Mapped[Event | None] = relationship(remote_side=[id], foreign_keys=[rehearsal_of_id])
    co_hosts: Mapped[list[CoHost]] = relationship(
        back_populates="event", order_by="CoHost.position", cascade="all, delete-orphan"
    )
    themes: Mapped[list[Theme]] = relationship(
        back_populates="event", order_by="Theme.position", cascade="all, delete-orphan"
    )
    channels: Mapped[list[Channel]] = relationship(
        back_populates="event", order_by="Channel.position", cascade="all, delete-orphan"
    )
    tags: Mapped[list[Tag]] = relationship(back_populates="event", order_by="Tag.name", cascade="all, delete-orphan")
    sessions: Mapped[list[AgendaSession]] = relationship(back_populates="event", cascade="all, delete-orphan")
    agenda_versions: Mapped[list[AgendaVersion]] = relationship(
        back_populates="event", order_by="AgendaVersion.number", cascade="all, delete-orphan"
    )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_public(self) -> bool:
        return self.status != EventStatus.DRAFT

    @property
    def days(self) -> list[date]:
        return [date.fromordinal(n) for n in range(self.starts_on.toordinal(), self.ends_on.toordinal() + 1)]


class Theme(Translatable, Base):
    """A thematic track of an event (Safety and Security, Protection)."""

    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("event_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    colour: Mapped[str] = mapped_column(String(7), default="#1f4e79")  # #rrggbb
    # Colour is never the only carrier of meaning: each theme also has a pattern for print and charts.
    pattern: Mapped[str] = mapped_column(String(20), default="solid")
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="themes")


class Tag(Base):
    """A topic on sessions (training, medical support, ...)."""

    __tablename__ = "tag"
    __table_args__ = (UniqueConstraint("event_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))

    event: Mapped[Event] = relationship(back_populates="tags")


class Channel(Base):
    """A virtual room or stream: the columns of the timetable and the rooms of a frab schedule."""

    __tablename__ = "channel"
    __table_args__ = (UniqueConstraint("event_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    meeting_url: Mapped[str] = mapped_column(String(500), default="")  # Zoom, Teams, Webex, Jitsi: never public
    livestream_url: Mapped[str] = mapped_column(String(500), default="")  # public

    event: Mapped[Event] = relationship(back_populates="channels")


class AgendaVersionKind(enum.StrEnum):
    RELEASE = "release"  # published by an organizer
    LIVE = "live"  # an amendment on the day (delay, cancellation, reorder)


class AgendaVersion(Base):
    """A published state of an event's agenda, with what changed since the previous one."""

    __tablename__ = "agenda_version"
    __table_args__ = (UniqueConstraint("event_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    kind: Mapped[AgendaVersionKind] = mapped_column(default=AgendaVersionKind.RELEASE)
    published_at: Mapped[datetime]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(Text, default="")
    # [{"change": "added"|"moved"|"cancelled"|"speakers"|..., "session_id": ..., "title": ..., "detail": ...}]
    changelog: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The public agenda as published, so the next release can be diffed against it.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    event: Mapped[Event] = relationship(back_populates="agenda_versions")
    published_by: Mapped[User | None] = relationship()
