"""The private submission link, what the speaker's office submits, and the organizers' review."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from confman.extensions import db
from confman.models import (
    SubmissionOutcome,
    User,
    VideoMessage,
    VideoStatus,
    VideoSubmission,
)
from confman.services import N_, audit
from confman.services.video import files
from confman.services.video.files import StagedFile
from confman.services.video.slots import (
    DEFAULT_LINK_VALIDITY,
    OPEN_STATUSES,
    REOPENED_LINK_VALIDITY,
    STATUS_LABELS,
    FileAndLinkBothGiven,
    InvalidVideoLink,
    NewerSubmissionArrived,
    NotApproved,
    NotAwaitingReview,
    NothingSubmitted,
    RejectionNeedsReason,
    SubmissionClosed,
    SubmissionLinkExpired,
    SubmissionLinkRevoked,
    current_submission,
    format_clock,
)
from confman.storage import FileStorage


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_submission_link(vm: VideoMessage, *, actor: User, now: datetime,
                         valid_for: timedelta = DEFAULT_LINK_VALIDITY) -> str:
    """A new secret for the slot's submission link, replacing any earlier one. Only its hash is kept: show it now.

    The link works for `valid_for`, and at least until the slot's deadline (an office that keeps to the deadline
    must never find its link dead). Raises SubmissionClosed once the video is approved.
    """
    if vm.status not in OPEN_STATUSES:
        raise SubmissionClosed("The video is already approved; there is nothing left to submit.")
    token = secrets.token_urlsafe(32)
    vm.submission_token_hash = hash_token(token)
    vm.submission_expires_at = max(now + valid_for, vm.deadline_at or now)
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
        raise SubmissionLinkRevoked(N_("This submission link was withdrawn by the organizers."))
    if state == "expired":
        raise SubmissionLinkExpired(N_("This submission link has expired."))


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
        video_key = files.keep(video, storage=storage, folder=folder) if video else None
        transcript_key = files.keep(transcript, storage=storage, folder=folder) if transcript else None
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
        files.remove_kept(storage, video_key, transcript_key)
        raise
    length = f", {format_clock(submission.measured_length)}" if submission.measured_length else ""
    what = submission.file_name or submission.link_url
    audit.record(event=vm.session.event, actor=None, action="video.received", target_type="video_message",
                 target_id=vm.id, now=now, summary=f"Video received for {vm.session.title} ({what}{length})",
                 after={"submission_id": submission.id, "checksum": submission.checksum,
                        "measured_length": submission.measured_length})
    return submission


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
