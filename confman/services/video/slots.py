"""Video-message slots: statuses, the errors of the whole area, and the organizers' slot settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from confman.extensions import db
from confman.models import (
    AgendaSession,
    Event,
    SessionKind,
    Speaker,
    User,
    VideoMessage,
    VideoStatus,
    VideoSubmission,
)
from confman.services import ConfmanError, audit

DEFAULT_LINK_VALIDITY = timedelta(days=30)
REOPENED_LINK_VALIDITY = timedelta(days=7)  # a rejection leaves the office at least this long to send another
OPEN_STATUSES = (VideoStatus.REQUESTED, VideoStatus.RECEIVED, VideoStatus.REJECTED)
AWAITED_STATUSES = (VideoStatus.REQUESTED, VideoStatus.REJECTED)  # the organizers are still waiting for a video
STATUS_LABELS = {
    VideoStatus.REQUESTED: "Requested",
    VideoStatus.RECEIVED: "Received, awaiting review",
    VideoStatus.APPROVED: "Approved",
    VideoStatus.REJECTED: "Rejected, awaiting a new video",
    VideoStatus.PLAYED: "Played",
}


class VideoMessageError(ConfmanError):
    pass


class NotAVideoMessageSession(VideoMessageError):
    pass


class InvalidSlotSettings(VideoMessageError):
    pass


class InvalidAllowedLength(InvalidSlotSettings):
    pass


class SubmissionLinkRevoked(VideoMessageError):
    pass


class SubmissionLinkExpired(VideoMessageError):
    pass


class SubmissionClosed(VideoMessageError):
    pass


class NothingSubmitted(VideoMessageError):
    pass


class FileAndLinkBothGiven(VideoMessageError):
    pass


class InvalidVideoLink(VideoMessageError):
    pass


class NotAwaitingReview(VideoMessageError):
    pass


class RejectionNeedsReason(VideoMessageError):
    pass


class NewerSubmissionArrived(VideoMessageError):
    pass


class NotApproved(VideoMessageError):
    pass


# Organizers: slots and their settings ------------------------------------------------------------------------------


def slot_sessions(event: Event) -> Sequence[AgendaSession]:
    """The event's video-message sessions in start order, with slot, speakers and submissions loaded."""
    return db.session.scalars(
        select(AgendaSession)
        .where(AgendaSession.event_id == event.id, AgendaSession.kind == SessionKind.VIDEO_MESSAGE,
               AgendaSession.starts_at.is_not(None))
        .options(
            selectinload(AgendaSession.video_message).selectinload(VideoMessage.speaker),
            selectinload(AgendaSession.video_message).selectinload(VideoMessage.introducer),
            selectinload(AgendaSession.video_message).selectinload(VideoMessage.submissions),
        )
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()


_SETTINGS = ("speaker", "introducer", "allowed_length", "deadline_at", "embargo_at", "language",
             "subtitle_expectations", "notes_for_office", "fallback", "office_email", "interpreters_before_embargo")


def save_slot(item: AgendaSession, *, actor: User, now: datetime, speaker: Speaker | None,
              introducer: Speaker | None, allowed_length: timedelta, deadline_at: datetime | None,
              embargo_at: datetime | None, language: str, subtitle_expectations: str = "",
              notes_for_office: str = "", fallback: str = "", office_email: str = "",
              interpreters_before_embargo: bool = False) -> VideoMessage:
    """Create or update the slot of a video-message session. Raises NotAVideoMessageSession, InvalidSlotSettings."""
    if item.kind != SessionKind.VIDEO_MESSAGE:
        raise NotAVideoMessageSession(f"“{item.title}” is not a video-message session.")
    for person in (speaker, introducer):
        if person is not None and person.event_id != item.event_id:
            raise InvalidSlotSettings(f"{person.full_name} is not a speaker of this event.")
    if allowed_length <= timedelta(0):
        raise InvalidAllowedLength("The allowed length must be longer than zero.")
    if allowed_length > item.duration:
        raise InvalidAllowedLength(f"The allowed length ({format_clock(allowed_length)}) is longer than the session "
                                   f"({format_clock(item.duration)}). Shorten it, or lengthen the session first.")
    values = dict(speaker=speaker, introducer=introducer, allowed_length=allowed_length, deadline_at=deadline_at,
                  embargo_at=embargo_at, language=language.strip(),
                  subtitle_expectations=subtitle_expectations.strip(), notes_for_office=notes_for_office.strip(),
                  fallback=fallback.strip(), office_email=office_email.strip().lower(),
                  interpreters_before_embargo=interpreters_before_embargo)
    vm = item.video_message
    created = vm is None
    if vm is None:
        vm = VideoMessage(session=item, created_at=now, **values)
        db.session.add(vm)
        before = None
    else:
        before = {key: _plain(getattr(vm, key)) for key in _SETTINGS}
        for key, value in values.items():
            setattr(vm, key, value)
        vm.updated_at = now
    db.session.flush()
    after = {key: _plain(getattr(vm, key)) for key in _SETTINGS}
    if before is not None:
        changed = [key for key in _SETTINGS if before[key] != after[key]]
        before = {key: before[key] for key in changed}
        after = {key: after[key] for key in changed}
    audit.record(event=item.event, actor=actor, action="video.slot_created" if created else "video.slot_updated",
                 target_type="video_message", target_id=vm.id, now=now, summary=f"Video-message slot: {item.title}",
                 before=before, after=after)
    return vm


def _plain(value):
    return value.full_name if isinstance(value, Speaker) else value


def format_clock(length: timedelta | None) -> str:
    """'4:52'; rounds down to whole seconds, as a countdown does."""
    if length is None:
        return ""
    seconds = int(length.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d}"


def current_submission(vm: VideoMessage | None) -> VideoSubmission | None:
    return vm.submissions[-1] if vm is not None and vm.submissions else None
