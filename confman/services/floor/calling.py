"""The chair's side of a list of speakers: calling entries, marking how each turn ended, the intervention clock.

Every action names the live-state version the console showed (as the run-of-show actions do), so two moderators
calling the same list cannot both succeed on a stale view; each action raises the version, which is what makes
live.json and other consoles follow at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from confman.models import Inscription, InscriptionStatus, SpeakersList, User
from confman.services import N_, audit
from confman.services.floor.lists import FloorError, bump_live_version, calling_order, time_limit

WRAP_UP = timedelta(minutes=1)  # as the planned speakers' countdown
OUTCOMES = (InscriptionStatus.DELIVERED, InscriptionStatus.ABSENT, InscriptionStatus.YIELDED)


class NotPossibleNow(FloorError):
    pass


@dataclass(frozen=True)
class Clock:
    inscription: Inscription
    elapsed: timedelta
    remaining: timedelta | None  # None: no time limit

    @property
    def state(self) -> str:
        """'ok', 'wrap-up' (the last minute) or 'overrun'."""
        if self.remaining is None or self.remaining > WRAP_UP:
            return "ok"
        return "wrap-up" if self.remaining >= timedelta(0) else "overrun"


def called(speakers_list: SpeakersList) -> Inscription | None:
    return next((i for i in speakers_list.inscriptions if i.status == InscriptionStatus.CALLED), None)


def waiting(speakers_list: SpeakersList) -> list[Inscription]:
    return [i for i in calling_order(speakers_list.inscriptions) if i.status == InscriptionStatus.PENDING]


def clock(speakers_list: SpeakersList, now: datetime) -> Clock | None:
    current = called(speakers_list)
    if current is None or current.called_at is None:
        return None
    elapsed = max(timedelta(0), now - current.called_at)
    limit = time_limit(current)
    return Clock(current, elapsed, None if limit is None else limit - elapsed)


def _log(inscription: Inscription, action: str, summary: str, *, actor: User | None, now: datetime,
         before: InscriptionStatus) -> None:
    item = inscription.speakers_list.session
    audit.record(event=item.event, actor=actor, action=f"floor.{action}", target_type="inscription",
                 target_id=inscription.id, now=now, summary=f"{summary} (“{item.title}”)",
                 before={"status": before}, after={"status": inscription.status})


def _finish(inscription: Inscription, outcome: InscriptionStatus, *, actor: User | None, now: datetime) -> None:
    before = inscription.status
    inscription.status = outcome
    inscription.finished_at = now
    inscription.updated_at = now
    _log(inscription, f"marked_{outcome.value}", f"{inscription.speaker_full_name}: {outcome.value}", actor=actor,
         now=now, before=before)


def call(inscription: Inscription, *, actor: User | None, now: datetime, version: int) -> Inscription:
    """Give `inscription` the floor (the one speaking now counts as delivered). Raises NotPossibleNow, StaleList."""
    speakers_list = inscription.speakers_list
    if inscription.status != InscriptionStatus.PENDING:
        raise NotPossibleNow(N_("%(name)s is not waiting: only a waiting entry can be called."),
                             name=inscription.speaker_full_name)
    bump_live_version(speakers_list.session, now, expected=version)
    current = called(speakers_list)
    if current is not None:
        _finish(current, InscriptionStatus.DELIVERED, actor=actor, now=now)
    inscription.status, inscription.called_at, inscription.updated_at = InscriptionStatus.CALLED, now, now
    _log(inscription, "called", f"Gave the floor to {inscription.speaker_full_name}", actor=actor, now=now,
         before=InscriptionStatus.PENDING)
    return inscription


def call_next(speakers_list: SpeakersList, *, actor: User | None, now: datetime, version: int) -> Inscription | None:
    """End the current turn (delivered) and call the first waiting entry; None when the list is done."""
    following = next(iter(waiting(speakers_list)), None)
    if following is not None:
        return call(following, actor=actor, now=now, version=version)
    current = called(speakers_list)
    if current is None:
        raise NotPossibleNow(N_("Nobody is waiting on the list of speakers."))
    bump_live_version(speakers_list.session, now, expected=version)
    _finish(current, InscriptionStatus.DELIVERED, actor=actor, now=now)
    return None


def mark(inscription: Inscription, outcome: InscriptionStatus, *, actor: User | None, now: datetime,
         version: int) -> Inscription:
    """How a turn ended: delivered, yielded, or absent (also for a waiting entry whose delegation is not there)."""
    if outcome not in OUTCOMES:
        raise NotPossibleNow(N_("A turn ends delivered, absent or yielded."))
    allowed = (InscriptionStatus.CALLED,) if outcome != InscriptionStatus.ABSENT else (
        InscriptionStatus.CALLED, InscriptionStatus.PENDING)
    if inscription.status not in allowed:
        raise NotPossibleNow(N_("The entry of %(name)s cannot be marked that way in its present state."),
                             name=inscription.speaker_full_name)
    bump_live_version(inscription.speakers_list.session, now, expected=version)
    _finish(inscription, outcome, actor=actor, now=now)
    return inscription


def reopen(inscription: Inscription, *, actor: User | None, now: datetime, version: int) -> Inscription:
    """Put a marked entry back on the waiting list (a mistaken mark)."""
    if inscription.status not in OUTCOMES:
        raise NotPossibleNow(N_("The turn of %(name)s has not ended: nothing to put back."),
                             name=inscription.speaker_full_name)
    bump_live_version(inscription.speakers_list.session, now, expected=version)
    before = inscription.status
    inscription.status, inscription.called_at, inscription.finished_at = InscriptionStatus.PENDING, None, None
    inscription.updated_at = now
    _log(inscription, "reopened", f"Put {inscription.speaker_full_name} back on the list", actor=actor, now=now,
         before=before)
    return inscription
