"""Video messages: slots and their settings, the speaker's office's private link and submissions, review, the
uploaded files (`video.files`), who may fetch them (interpreters), and deadline reminders."""

from confman.services.video import files
from confman.services.video.access import (
    NoSuchAccount,
    grant_interpreter,
    interpreter_transcripts,
    interpreters,
    may_fetch,
    remove_interpreter,
    transcript_is_released,
)
from confman.services.video.reminders import DEFAULT_LEAD_TIMES, ReminderReport, queue_reminders
from confman.services.video.slots import (
    AWAITED_STATUSES,
    DEFAULT_LINK_VALIDITY,
    OPEN_STATUSES,
    REOPENED_LINK_VALIDITY,
    STATUS_LABELS,
    FileAndLinkBothGiven,
    InvalidAllowedLength,
    InvalidSlotSettings,
    InvalidVideoLink,
    NewerSubmissionArrived,
    NotApproved,
    NotAVideoMessageSession,
    NotAwaitingReview,
    NothingSubmitted,
    RejectionNeedsReason,
    SubmissionClosed,
    SubmissionLinkExpired,
    SubmissionLinkRevoked,
    VideoMessageError,
    current_submission,
    format_clock,
    save_slot,
    slot_sessions,
)
from confman.services.video.submissions import (
    approve,
    check_link,
    check_video_link,
    find_by_token,
    hash_token,
    link_state,
    make_submission_link,
    mark_played,
    reject,
    revoke_submission_link,
    submit,
)
from confman.services.video.summary import (
    VideoSummary,
    is_over_length,
    is_overdue,
    public_label,
    speaker_label,
    video_summary,
)
