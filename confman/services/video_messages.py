"""Video-message slots: their settings, the private submission link, submissions, review, and what others see."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from confman.extensions import db
from confman.models import (
    AgendaSession,
    Event,
    SessionKind,
    Speaker,
    SubmissionOutcome,
    User,
    VideoMessage,
    VideoStatus,
    VideoSubmission,
)
from confman.services import ConfmanError, audit, video_files
from confman.services.video_files import StagedFile
from confman.storage import FileStorage

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
        .where(AgendaSession.event_id == event.id, AgendaSession.kind == SessionKind.VIDEO_MESSAGE)
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


# The private submission link ----------------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_submission_link(vm: VideoMessage, *, actor: User, now: datetime,
                         valid_for: timedelta = DEFAULT_LINK_VALIDITY) -> str:
    """A new secret for the slot's submission link, replacing any earlier one. Only its hash is kept: show it now.

    Raises SubmissionClosed once the video is approved.
    """
    if vm.status not in OPEN_STATUSES:
        raise SubmissionClosed("The video is already approved; there is nothing left to submit.")
    token = secrets.token_urlsafe(32)
    vm.submission_token_hash = hash_token(token)
    vm.submission_expires_at = now + valid_for
    vm.submission_revoked_at = None
    db.session.flush()
    audit.record(event=vm.session.event, actor=actor, action="video.link_made", target_type="video_message",
                 target_id=vm.id, now=now, summary=f"New submission link for {vm.session.title}",
                 after={"expires_at": vm.submission_expires_at})
    return token


def revoke_submission_link(vm: VideoMessage, *, actor: User, now: datetime) -> None:
    if vm.submission_token_hash is None or vm.submission_revoked_at is not None:
        return
    vm.submission_revoked_at = now
    db.session.flush()
    audit.record(event=vm.session.event, actor=actor, action="video.link_revoked", target_type="video_message",
                 target_id=vm.id, now=now, summary=f"Submission link withdrawn for {vm.session.title}")


def find_by_token(token: str) -> VideoMessage | None:
    """The slot whose link carries `token`, or None. Looked up by hash, so timing says nothing about the secret."""
    if not token or len(token) > 200:
        return None
    return db.session.scalar(select(VideoMessage).where(VideoMessage.submission_token_hash == hash_token(token)))


def link_state(vm: VideoMessage, now: datetime) -> str:
    """'none', 'active', 'expired' or 'revoked'."""
    if vm.submission_token_hash is None:
        return "none"
    if vm.submission_revoked_at is not None:
        return "revoked"
    if vm.submission_expires_at is not None and now >= vm.submission_expires_at:
        return "expired"
    return "active"


def check_link(vm: VideoMessage, now: datetime) -> None:
    """Raises SubmissionLinkRevoked or SubmissionLinkExpired when the link no longer works."""
    state = link_state(vm, now)
    if state == "revoked":
        raise SubmissionLinkRevoked("This submission link was withdrawn by the organizers.")
    if state == "expired":
        raise SubmissionLinkExpired("This submission link has expired.")


# The speaker's office: submissions --------------------------------------------------------------------------------


def check_video_link(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500 or any(c.isspace() for c in url):
        raise InvalidVideoLink("Give the full address of the video, starting with https://.")
    return url


def submit(vm: VideoMessage, *, video: StagedFile | None, link_url: str | None, transcript: StagedFile | None,
           storage: FileStorage, now: datetime) -> VideoSubmission:
    """Take a video (a checked file or a link) and an optional transcript from the speaker's office.

    A submission before review replaces the previous one, which stays in the history with its files. Raises
    SubmissionLinkRevoked, SubmissionLinkExpired, SubmissionClosed, NothingSubmitted, FileAndLinkBothGiven,
    InvalidVideoLink. On error the staged files are left for the caller to discard.
    """
    db.session.refresh(vm, with_for_update=True)  # one submission or review at a time per slot on PostgreSQL
    check_link(vm, now)
    if vm.status not in OPEN_STATUSES:
        raise SubmissionClosed("The video for this slot is already approved; no further submission is needed.")
    link_url = (link_url or "").strip() or None
    if video is None and link_url is None:
        raise NothingSubmitted("Choose a video file to upload, or give a link to the video.")
    if video is not None and link_url is not None:
        raise FileAndLinkBothGiven("Send either a file or a link, not both.")
    if link_url is not None:
        link_url = check_video_link(link_url)

    folder = f"video/{vm.session.event_id}/{vm.id}"
    video_key = transcript_key = None
    try:  # a failure after the first file is kept (disk full, database refusal) must not leave it behind
        video_key = video_files.keep(video, storage=storage, folder=folder) if video else None
        transcript_key = video_files.keep(transcript, storage=storage, folder=folder) if transcript else None
        for earlier in vm.submissions:
            if earlier.outcome == SubmissionOutcome.RECEIVED:
                earlier.outcome = SubmissionOutcome.REPLACED
        submission = VideoSubmission(
            video_message=vm, submitted_at=now, file_path=video_key, link_url=link_url,
            file_name=video.original_name if video else None, content_type=video.content_type if video else None,
            file_size=video.size if video else None, checksum=video.checksum if video else None,
            measured_length=video.duration if video else None, transcript_path=transcript_key,
            transcript_name=transcript.original_name if transcript else None,
            transcript_content_type=transcript.content_type if transcript else None,
        )
        db.session.add(submission)
        for key in ("file_path", "file_name", "content_type", "file_size", "checksum", "link_url", "measured_length",
                    "transcript_path", "transcript_name", "transcript_content_type"):
            setattr(vm, key, getattr(submission, key))
        vm.status = VideoStatus.RECEIVED
        vm.received_at = now
        vm.rejection_reason = ""
        vm.reviewed_by = None
        vm.reviewed_at = None
        vm.updated_at = now
        db.session.flush()
    except BaseException:
        video_files.remove_kept(storage, video_key, transcript_key)
        raise
    length = f", {format_clock(submission.measured_length)}" if submission.measured_length else ""
    what = submission.file_name or submission.link_url
    audit.record(event=vm.session.event, actor=None, action="video.received", target_type="video_message",
                 target_id=vm.id, now=now, summary=f"Video received for {vm.session.title} ({what}{length})",
                 after={"submission_id": submission.id, "checksum": submission.checksum,
                        "measured_length": submission.measured_length})
    return submission


def current_submission(vm: VideoMessage | None) -> VideoSubmission | None:
    return vm.submissions[-1] if vm is not None and vm.submissions else None


# Organizers: review ----------------------------------------------------------------------------------------------


def _reviewable(vm: VideoMessage, submission_id: int) -> VideoSubmission:
    db.session.refresh(vm, with_for_update=True)
    if vm.status != VideoStatus.RECEIVED:
        raise NotAwaitingReview(f"The video message is {STATUS_LABELS[vm.status].lower()}: there is nothing to review.")
    current = current_submission(vm)
    if current is None or current.id != submission_id:
        raise NewerSubmissionArrived("A newer video arrived in the meantime. Look at it, then decide again.")
    return current


def approve(vm: VideoMessage, *, submission_id: int, actor: User, now: datetime) -> None:
    """Approve the submission the organizer looked at. Raises NotAwaitingReview, NewerSubmissionArrived."""
    submission = _reviewable(vm, submission_id)
    submission.outcome = SubmissionOutcome.APPROVED
    vm.status, vm.reviewed_by, vm.reviewed_at, vm.updated_at = VideoStatus.APPROVED, actor, now, now
    db.session.flush()
    audit.record(event=vm.session.event, actor=actor, action="video.approved", target_type="video_message",
                 target_id=vm.id, now=now, summary=f"Video approved for {vm.session.title}",
                 before={"status": VideoStatus.RECEIVED}, after={"status": vm.status, "submission_id": submission.id})


def reject(vm: VideoMessage, *, submission_id: int, reason: str, actor: User, now: datetime) -> None:
    """Reject with a reason the office will read; the submission link opens again (unless it was withdrawn).

    Raises RejectionNeedsReason, NotAwaitingReview, NewerSubmissionArrived.
    """
    reason = reason.strip()
    if not reason:
        raise RejectionNeedsReason("Say why the video is rejected: the speaker's office will read it.")
    submission = _reviewable(vm, submission_id)
    submission.outcome, submission.reason = SubmissionOutcome.REJECTED, reason
    vm.status, vm.rejection_reason = VideoStatus.REJECTED, reason
    vm.reviewed_by, vm.reviewed_at, vm.updated_at = actor, now, now
    if vm.submission_token_hash and vm.submission_revoked_at is None:
        reopened_until = now + REOPENED_LINK_VALIDITY
        if vm.submission_expires_at is None or vm.submission_expires_at < reopened_until:
            vm.submission_expires_at = reopened_until
    db.session.flush()
    audit.record(event=vm.session.event, actor=actor, action="video.rejected", target_type="video_message",
                 target_id=vm.id, now=now, summary=f"Video rejected for {vm.session.title}: {reason}",
                 before={"status": VideoStatus.RECEIVED},
                 after={"status": vm.status, "submission_id": submission.id, "reason": reason})


def mark_played(vm: VideoMessage, *, actor: User, now: datetime) -> None:
    """The moderator played it. Raises NotApproved."""
    if vm.status != VideoStatus.APPROVED:
        raise NotApproved("Only an approved video can be marked as played.")
    vm.status, vm.played_at, vm.updated_at = VideoStatus.PLAYED, now, now
    db.session.flush()
    audit.record(event=vm.session.event, actor=actor, action="video.played", target_type="video_message",
                 target_id=vm.id, now=now, summary=f"Video played in {vm.session.title}",
                 before={"status": VideoStatus.APPROVED}, after={"status": vm.status})


# What organizers, moderators, interpreters and the public see ------------------------------------------------------


def is_overdue(vm: VideoMessage | None, now: datetime) -> bool:
    return (vm is not None and vm.deadline_at is not None and now >= vm.deadline_at
            and vm.status in AWAITED_STATUSES)


def is_over_length(vm: VideoMessage | VideoSubmission | None) -> bool:
    if vm is None or vm.measured_length is None:
        return False
    allowed = vm.allowed_length if isinstance(vm, VideoMessage) else vm.video_message.allowed_length
    return vm.measured_length > allowed


def format_clock(length: timedelta | None) -> str:
    """'4:52'; rounds down to whole seconds, as a countdown does."""
    if length is None:
        return ""
    seconds = int(length.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d}"


def speaker_label(speaker: Speaker | None) -> str:
    if speaker is None:
        return "speaker to be confirmed"
    org = speaker.organization.short_name or speaker.organization.name if speaker.organization else ""
    return ", ".join(part for part in (speaker.full_name, speaker.title, org) if part)


@dataclass(frozen=True)
class VideoSummary:
    """What a moderator needs to cue a video message; built from a session with its slot loaded."""

    session_id: int
    video_message_id: int
    status: VideoStatus
    status_label: str
    speaker: str
    introducer: str | None
    allowed_length: timedelta
    measured_length: timedelta | None
    is_over_length: bool
    submission_id: int | None  # for the file's URL (manage.video_file), when there is an uploaded file
    link_url: str | None  # when the office sent a link instead of a file
    has_transcript: bool
    fallback: str

    @property
    def is_ready(self) -> bool:
        return self.status in (VideoStatus.APPROVED, VideoStatus.PLAYED) and bool(self.submission_id or self.link_url)

    @property
    def cue(self) -> str:
        """'play video: H.E. Mr. Pervez Khattak, Minister of Defence, Pakistan, 4:52'."""
        length = format_clock(self.measured_length) if self.measured_length else "length unknown"
        return f"play video: {self.speaker}, {length}"


def video_summary(item: AgendaSession) -> VideoSummary | None:
    """The video message of a session for the management view and the moderator's live console; None if no slot."""
    vm = item.video_message
    if vm is None:
        return None
    current = current_submission(vm)
    return VideoSummary(
        session_id=item.id, video_message_id=vm.id, status=vm.status, status_label=STATUS_LABELS[vm.status],
        speaker=speaker_label(vm.speaker), introducer=vm.introducer.full_name if vm.introducer else None,
        allowed_length=vm.allowed_length, measured_length=vm.measured_length, is_over_length=is_over_length(vm),
        submission_id=current.id if current is not None and current.file_path else None, link_url=vm.link_url,
        has_transcript=bool(vm.transcript_path), fallback=vm.fallback,
    )


def public_label(item: AgendaSession) -> str | None:
    """How public pages, calendars and the programme describe a video message; never the file or a link."""
    vm = item.video_message
    if item.kind != SessionKind.VIDEO_MESSAGE or vm is None or vm.speaker is None:
        return None
    title = f", {vm.speaker.title}" if vm.speaker.title else ""
    return f"Pre-recorded video message from {vm.speaker.full_name}{title}"
