"""Pre-recorded video messages that fill video-message sessions."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confman.models.base import Base
from confman.timeutil import utcnow

if TYPE_CHECKING:
    from confman.models.agenda import AgendaSession, Speaker
    from confman.models.users import User


class VideoStatus(enum.StrEnum):
    REQUESTED = "requested"
    RECEIVED = "received"
    APPROVED = "approved"
    REJECTED = "rejected"
    PLAYED = "played"


class VideoMessage(Base):
    __tablename__ = "video_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("agenda_session.id", ondelete="CASCADE"), unique=True)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speaker.id", ondelete="SET NULL"))
    introducer_id: Mapped[int | None] = mapped_column(ForeignKey("speaker.id", ondelete="SET NULL"))
    allowed_length: Mapped[timedelta]
    deadline_at: Mapped[datetime | None]
    embargo_at: Mapped[datetime | None]  # nothing is shown outside the organizers before this
    language: Mapped[str] = mapped_column(String(40), default="English")
    subtitle_expectations: Mapped[str] = mapped_column(Text, default="")
    notes_for_office: Mapped[str] = mapped_column(Text, default="")
    fallback: Mapped[str] = mapped_column(Text, default="")  # live dial-in or read-out, for the moderator
    status: Mapped[VideoStatus] = mapped_column(default=VideoStatus.REQUESTED)

    file_path: Mapped[str | None] = mapped_column(String(255))  # a key in private upload storage
    file_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    link_url: Mapped[str | None] = mapped_column(String(500))  # a file hosted elsewhere
    measured_length: Mapped[timedelta | None]
    transcript_path: Mapped[str | None] = mapped_column(String(255))
    transcript_name: Mapped[str | None] = mapped_column(String(255))

    # The submission link's secret is stored hashed: the link is shown once, when made.
    submission_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    submission_expires_at: Mapped[datetime | None]
    submission_revoked_at: Mapped[datetime | None]
    received_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    played_at: Mapped[datetime | None]
    last_reminded_at: Mapped[datetime | None]
    office_email: Mapped[str] = mapped_column(String(254), default="")  # the speaker's office: reminders go here
    checksum: Mapped[str | None] = mapped_column(String(64))  # SHA-256 of the current file, hex
    transcript_content_type: Mapped[str | None] = mapped_column(String(100))
    # Interpreters may read the approved transcript before the embargo (an organizer's decision per slot).
    interpreters_before_embargo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    session: Mapped[AgendaSession] = relationship(back_populates="video_message")
    speaker: Mapped[Speaker | None] = relationship(foreign_keys=[speaker_id])
    introducer: Mapped[Speaker | None] = relationship(foreign_keys=[introducer_id])
    reviewed_by: Mapped[User | None] = relationship()
    submissions: Mapped[list[VideoSubmission]] = relationship(
        back_populates="video_message", order_by="VideoSubmission.id", cascade="all, delete-orphan"
    )


class SubmissionOutcome(enum.StrEnum):
    RECEIVED = "received"  # the current one, awaiting review
    REPLACED = "replaced"  # a newer submission came before review
    APPROVED = "approved"
    REJECTED = "rejected"


class VideoSubmission(Base):
    """One thing a speaker's office sent through the link: kept, files and all, when a newer one replaces it."""

    __tablename__ = "video_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    video_message_id: Mapped[int] = mapped_column(ForeignKey("video_message.id", ondelete="CASCADE"), index=True)
    submitted_at: Mapped[datetime]
    file_path: Mapped[str | None] = mapped_column(String(255))
    file_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    checksum: Mapped[str | None] = mapped_column(String(64))
    link_url: Mapped[str | None] = mapped_column(String(500))
    measured_length: Mapped[timedelta | None]
    transcript_path: Mapped[str | None] = mapped_column(String(255))
    transcript_name: Mapped[str | None] = mapped_column(String(255))
    transcript_content_type: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[SubmissionOutcome] = mapped_column(default=SubmissionOutcome.RECEIVED)
    reason: Mapped[str] = mapped_column(Text, default="")

    video_message: Mapped[VideoMessage] = relationship(back_populates="submissions")
