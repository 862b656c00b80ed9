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

Concurrency: the live state is per channel. Every action names the version its console showed of the channel
it acts on (`LiveState.version` of the event's channel); that one row is bumped with a conditional UPDATE, so
of two moderators acting on the same channel one wins and the other gets `StaleState` and a refreshed console,
while moderators of two channels never stale each other (on PostgreSQL each locks its channel's row only). An
action that changes the plan also amends the published agenda, which is one per event: those amendments wait
for each other (a row lock on the event, for the amendment only), they do not refuse each other. The sum of
the channels' versions (`event_live_version`) makes `live.json`'s ETag.

Every action is audit-logged, kept in `LiveAction` under its channel with what it changed (so the channel's last
one can be undone, never another channel's), and queues webhook deliveries (never sent inline). Services flush;
the caller commits once.
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
    event_live_version,
    load_rundown,
    rundown_of,
    state_version,
)
from confman.services.live.state import last_action, undo_last
