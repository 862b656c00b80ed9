"""The live session order on the day: moderators' actions on a channel's running order, and undo.

Owns the day itself: running order, expected times (timeline), now/next for the public, and undo.

Decision: expected times are live state, planned times are the schedule.
    Delays (announced, or measured as a session overruns), short breaks inserted live and breaks absorbing
    delay change only *expected* times (`expected_starts_at`, recomputed by `live/timeline.py`). They do
    not touch `starts_at` or the iCal `sequence`, so calendars are not spammed with every minute of overrun;
    the live page and `live.json` show them to everyone at once. A real change of schedule does change the
    plan: cancelling, skipping (moving a session to the end of its day), reordering (the sessions swap
    their planned slots) and an explicit "reschedule" (adopting the expected times as the new plan) change
    `starts_at`/`status`, bump `sequence`, and are carried into the public agenda at once with
    `publication.amend_published` (a LIVE agenda version with its changelog, touching only those sessions).

Concurrency: every action names the live-state version its console showed (`LiveState.version` of the
event); the version is bumped with a conditional UPDATE, so of two moderators acting on the same state one
wins and the other gets `StaleState` and a refreshed console. The version also makes `live.json`'s ETag.

Every action is audit-logged, kept in `LiveAction` with what it changed (so the last one can be undone), and
queues webhook deliveries (never sent inline). Services flush; the caller commits once.
"""

from confman.services.live.actions import (
    announce_delay,
    cancel_session,
    end_session,
    insert_break,
    move_session,
    next_speaker,
    reschedule,
    skip_session,
    start_session,
)
from confman.services.live.now_next import live_status
from confman.services.live.rundown import (
    MAX_BREAK_MINUTES,
    MAX_DELAY_MINUTES,
    WRAP_UP,
    LiveError,
    NothingToUndo,
    NotPossibleNow,
    Rundown,
    SessionIsFixed,
    SpeakerClock,
    StaleState,
    current_speaker,
    load_rundown,
    rundown_of,
    state_version,
)
from confman.services.live.state import last_action, undo_last
