"""Agenda sessions, speakers and who speaks where."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confman.models.base import Base, Translatable
from confman.timeutil import utcnow

if TYPE_CHECKING:
    from confman.models.events import Channel, Event, Tag, Theme
    from confman.models.orgs import Organization
    from confman.models.video import VideoMessage


class SessionKind(enum.StrEnum):
    OPENING = "opening"
    STATEMENT = "statement"  # keynote or statement
    PLENARY = "plenary"
    PANEL = "panel"
    VIDEO_MESSAGE = "video_message"
    BREAK = "break"
    CLOSING = "closing"

    @property
    def label(self) -> str:
        return {"statement": "Keynote / statement", "video_message": "Video message"}.get(
            self.value, self.value.capitalize()
        )


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    DONE = "done"
    CANCELLED = "cancelled"


class ProtocolRank(enum.StrEnum):
    """Customary protocol precedence, highest first: members are declared in speaking order."""

    HEAD_OF_STATE_OR_GOVERNMENT = "head_of_state_or_government"
    MINISTER = "minister"
    VICE_MINISTER = "vice_minister"
    PERMANENT_REPRESENTATIVE = "permanent_representative"
    OTHER = "other"

    @property
    def precedence(self) -> int:
        """0 speaks first."""
        return list(ProtocolRank).index(self)

    @property
    def label(self) -> str:
        if self is ProtocolRank.HEAD_OF_STATE_OR_GOVERNMENT:
            return "Head of State or Government"
        return self.value.replace("_", " ").capitalize()


class ParticipationRole(enum.StrEnum):
    CHAIR = "chair"
    MODERATOR = "moderator"
    SPEAKER = "speaker"
    PANELIST = "panelist"


session_tag = Table(
    "session_tag",
    Base.metadata,
    Column("session_id", ForeignKey("agenda_session.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class SessionTiming:
    """What every shape of a session (model, published snapshot, timetable row) derives the same way from its
    `starts_at`, `duration` and `status`."""

    @property
    def ends_at(self) -> datetime | None:
        return self.starts_at + self.duration if self.starts_at is not None else None

    @property
    def is_scheduled(self) -> bool:
        """False while the session waits, without a start, on the timetable editor's unscheduled list."""
        return self.starts_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class AgendaSession(SessionTiming, Translatable, Base):
    """One agenda item. Never name it `Session`: SQLAlchemy and Flask already own that word."""

    __tablename__ = "agenda_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SessionKind] = mapped_column(default=SessionKind.PLENARY)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"), index=True)
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channel.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitized on output
    # None while unscheduled: never public, never exported, never live (the loaders leave such sessions out).
    starts_at: Mapped[datetime | None] = mapped_column(index=True)
    duration: Mapped[timedelta]
    status: Mapped[SessionStatus] = mapped_column(default=SessionStatus.SCHEDULED)
    notes: Mapped[str] = mapped_column(Text, default="")  # for organizers and moderators only
    # The session's key in the file it was imported from (a frab guid or id, a CSV `ref`), so importing a later
    # version of that file updates it rather than adding it again. Not copied by duplicate or clone.
    import_key: Mapped[str | None] = mapped_column(String(200))

    # Interpretation: the language spoken on the floor ("" = the event's default language), the languages it is
    # interpreted into, and per language where to listen ({"fr": "https://…" or "Floor + channel 2"}, public).
    floor_language: Mapped[str] = mapped_column(String(8), default="")
    interpretation_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    interpretation_channels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    # The live session order on the day.
    is_fixed: Mapped[bool] = mapped_column(default=False)  # a hard start that delay propagation never moves
    expected_starts_at: Mapped[datetime | None]  # when it will really start, if that differs from starts_at
    actual_started_at: Mapped[datetime | None]
    actual_ended_at: Mapped[datetime | None]
    # Moderators' inputs to delay propagation (see services/live/): "not before planned start + delay",
    # and a short break inserted live just before this session.
    announced_delay: Mapped[timedelta | None]
    break_before: Mapped[timedelta | None]

    sequence: Mapped[int] = mapped_column(default=0)  # iCal SEQUENCE: bumped by calendar-visible edits
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}  # a stale save raises StaleDataError

    event: Mapped[Event] = relationship(back_populates="sessions")
    theme: Mapped[Theme | None] = relationship()
    channel: Mapped[Channel | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=session_tag, order_by="Tag.name")
    participations: Mapped[list[Participation]] = relationship(
        back_populates="session", order_by="Participation.position", cascade="all, delete-orphan"
    )
    video_message: Mapped[VideoMessage | None] = relationship(back_populates="session", cascade="all, delete-orphan")



class Speaker(Translatable, Base):
    __tablename__ = "speaker"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    honorific: Mapped[str] = mapped_column(String(40), default="")  # "H.E.", "Ms.", "Lt. Gen."
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")  # "Minister for Foreign Affairs"
    protocol_rank: Mapped[ProtocolRank] = mapped_column(default=ProtocolRank.OTHER)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="SET NULL"))
    bio: Mapped[str] = mapped_column(Text, default="")
    photo_path: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(254), default="")  # private: organizers only
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()
    organization: Mapped[Organization | None] = relationship()
    participations: Mapped[list[Participation]] = relationship(back_populates="speaker", cascade="all, delete-orphan")

    @property
    def full_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()


class Participation(Base):
    """A speaker's part in a session: role, place in the speaking order and statement time limit."""

    __tablename__ = "participation"
    __table_args__ = (UniqueConstraint("session_id", "speaker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("agenda_session.id", ondelete="CASCADE"), index=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speaker.id", ondelete="CASCADE"), index=True)
    role: Mapped[ParticipationRole] = mapped_column(default=ParticipationRole.SPEAKER)
    position: Mapped[int] = mapped_column(default=0)  # speaking order
    is_order_overridden: Mapped[bool] = mapped_column(default=False)  # set by hand, not by protocol rank
    time_limit: Mapped[timedelta | None]
    actual_started_at: Mapped[datetime | None]
    actual_ended_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[AgendaSession] = relationship(back_populates="participations")
    speaker: Mapped[Speaker] = relationship(back_populates="participations")
