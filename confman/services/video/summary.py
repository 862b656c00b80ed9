"""What organizers, moderators, interpreters and the public see of a video message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from confman.models import (
    AgendaSession,
    SessionKind,
    Speaker,
    VideoMessage,
    VideoStatus,
    VideoSubmission,
)
from confman.services.video.slots import AWAITED_STATUSES, STATUS_LABELS, current_submission, format_clock


def is_overdue(vm: VideoMessage | None, now: datetime) -> bool:
    return (vm is not None and vm.deadline_at is not None and now >= vm.deadline_at
            and vm.status in AWAITED_STATUSES)


def is_over_length(vm: VideoMessage | VideoSubmission | None) -> bool:
    if vm is None or vm.measured_length is None:
        return False
    allowed = vm.allowed_length if isinstance(vm, VideoMessage) else vm.video_message.allowed_length
    return vm.measured_length > allowed


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
