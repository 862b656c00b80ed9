"""Inscribing delegations on a list of speakers, changing and withdrawing entries, and organizers' moves.

Concurrency: `inscribe` locks the list's row (SELECT ... FOR UPDATE on PostgreSQL) before it counts, so any number
of workers inscribing at once never fill a capped list past its cap; the unique (session, delegation, turn)
constraint is the database's own refusal of a duplicate, turned into AlreadyInscribed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from confman.extensions import db
from confman.models import (
    AuditEntry,
    Delegation,
    Inscription,
    InscriptionStatus,
    ProtocolRank,
    SpeakersList,
    User,
)
from confman.services import N_, audit
from confman.services.floor.lists import (
    MAX_TIME_LIMIT,
    FloorError,
    bump_live_version,
    calling_order,
    delegation_categories,
    is_window_open,
    may_manage,
    speaks_for,
)


class NotAllowed(FloorError):
    pass


class WindowClosed(FloorError):
    pass


class NotEligible(FloorError):
    pass


class AlreadyInscribed(FloorError):
    pass


class ListFull(FloorError):
    pass


class BadEntry(FloorError):
    pass


class NothingToUndo(FloorError):
    pass


@dataclass(frozen=True)
class SpeakerDetails:
    name: str
    honorific: str = ""
    title: str = ""
    protocol_rank: ProtocolRank = ProtocolRank.OTHER
    time_limit: timedelta | None = None

    def checked(self) -> SpeakerDetails:
        name = self.name.strip()
        if not name:
            raise BadEntry(N_("Name who speaks for the delegation."))
        if len(name) > 200 or len(self.title) > 200 or len(self.honorific) > 40:
            raise BadEntry(N_("The speaker's name or title is too long."))
        if self.time_limit is not None and not timedelta(0) < self.time_limit <= MAX_TIME_LIMIT:
            raise BadEntry(N_("The time limit is between 1 second and 60 minutes."))
        return SpeakerDetails(name, self.honorific.strip(), self.title.strip(), self.protocol_rank, self.time_limit)


def _snapshot(inscription: Inscription) -> dict:
    return {"delegations": [d.organization.name for d in inscription.delegations],
            "speaker": inscription.speaker_full_name, "title": inscription.speaker_title,
            "protocol_rank": inscription.protocol_rank, "status": inscription.status,
            "position": inscription.position, "position_reason": inscription.position_reason}


def _label(inscription: Inscription) -> str:
    names = " / ".join(d.organization.name for d in inscription.delegations)
    return f"{names}: {inscription.speaker_full_name}"


def _record(inscription: Inscription, action: str, *, actor: User | None, now: datetime, summary: str,
            before: dict | None = None) -> AuditEntry:
    item = inscription.speakers_list.session
    return audit.record(event=item.event, actor=actor, action=f"floor.{action}", target_type="inscription",
                        target_id=inscription.id, now=now, summary=f"{summary} (“{item.title}”)", before=before,
                        after=_snapshot(inscription))


def _held_turns(speakers_list: SpeakersList, delegation: Delegation) -> list[Inscription]:
    return [i for i in speakers_list.inscriptions
            if i.status.is_active and (i.delegation_id == delegation.id or delegation in i.joint_delegations)]


def inscribe(speakers_list: SpeakersList, delegation: Delegation, details: SpeakerDetails, *, actor: User,
             now: datetime, joint: Sequence[Delegation] = (), from_floor: bool = False) -> Inscription:
    """Put `delegation` (with `joint` ones, for a joint statement) on the list.

    The delegation's focal point, an approved delegate when the list allows it, or an organizer may inscribe;
    `from_floor` (the chair's late inscription) skips the window, the categories and the cap. Raises NotAllowed,
    WindowClosed, NotEligible, ListFull, AlreadyInscribed, BadEntry. Flushes; audit-logged.
    """
    item = speakers_list.session
    event = item.event
    details = details.checked()
    db.session.refresh(speakers_list, with_for_update=True)  # serialise counting across PostgreSQL workers
    db.session.expire(speakers_list, ["inscriptions"])  # and count what is committed now, after the lock
    organizer = may_manage(actor, event)
    if not from_floor and not organizer and not speaks_for(actor, delegation, speakers_list):
        raise NotAllowed(N_("Only the focal point of %(name)s may inscribe it."), name=delegation.organization.name)
    joint = [d for d in dict.fromkeys(joint) if d.id != delegation.id]
    if any(d.event_id != event.id for d in [delegation, *joint]):
        raise NotAllowed(N_("That delegation is not one of this event's."))
    if not from_floor:
        if not is_window_open(speakers_list, now):
            raise WindowClosed(N_("Inscriptions to “%(title)s” are not open now."), title=item.title)
        for d in [delegation, *joint]:
            if not delegation_categories(d) & set(speakers_list.categories):
                raise NotEligible(N_("%(name)s is not among the delegations that may inscribe to “%(title)s”."),
                                  name=d.organization.name, title=item.title)
        active = sum(1 for i in speakers_list.inscriptions if i.status.is_active)
        if speakers_list.cap is not None and active >= speakers_list.cap:
            raise ListFull(N_("The list of speakers of “%(title)s” is full (%(cap)s entries)."), title=item.title,
                           cap=speakers_list.cap)
    for d in [delegation, *joint]:
        if len(_held_turns(speakers_list, d)) >= speakers_list.max_per_delegation:
            raise AlreadyInscribed(N_("%(name)s is already inscribed on this list."), name=d.organization.name)
    held = {i.turn for i in _held_turns(speakers_list, delegation) if i.delegation_id == delegation.id}
    turn = next(n for n in range(1, speakers_list.max_per_delegation + 2) if n not in held)
    inscription = Inscription(
        session_id=speakers_list.session_id, event_id=event.id, delegation_id=delegation.id, turn=turn,
        speaker_honorific=details.honorific, speaker_name=details.name, speaker_title=details.title,
        protocol_rank=details.protocol_rank, time_limit=details.time_limit, inscribed_at=now,
        inscribed_by_id=actor.id if actor else None, is_from_floor=from_floor, joint_delegations=joint, updated_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(inscription)
            db.session.flush()
    except IntegrityError:
        # Without the row lock (SQLite) a racing twin may get here first: the constraint keeps one.
        raise AlreadyInscribed(N_("%(name)s is already inscribed on this list."),
                               name=delegation.organization.name) from None
    db.session.expire(speakers_list, ["inscriptions"])
    _record(inscription, "inscribed_from_floor" if from_floor else "inscribed", actor=actor, now=now,
            summary=f"Inscribed {_label(inscription)}")
    bump_live_version(item, now)
    return inscription


def _may_change(inscription: Inscription, actor: User | None, now: datetime) -> None:
    speakers_list = inscription.speakers_list
    if may_manage(actor, speakers_list.session.event):
        return
    if not speaks_for(actor, inscription.delegation, speakers_list):
        raise NotAllowed(N_("Only the delegation's focal point may change its inscription."))
    if not is_window_open(speakers_list, now):
        raise WindowClosed(N_("The inscription window has closed: ask the Secretariat to change the entry."))
    if inscription.status != InscriptionStatus.PENDING:
        raise BadEntry(N_("This entry has already been called: it can no longer be changed."))


def change(inscription: Inscription, details: SpeakerDetails, *, actor: User, now: datetime) -> Inscription:
    """Name another speaker (or rank, or time limit). Raises NotAllowed, WindowClosed, BadEntry. Flushes."""
    _may_change(inscription, actor, now)
    details = details.checked()
    before = _snapshot(inscription)
    inscription.speaker_honorific, inscription.speaker_name = details.honorific, details.name
    inscription.speaker_title, inscription.protocol_rank = details.title, details.protocol_rank
    if may_manage(actor, inscription.speakers_list.session.event):
        inscription.time_limit = details.time_limit
    inscription.updated_at = now
    db.session.flush()
    _record(inscription, "inscription_changed", actor=actor, now=now, summary=f"Changed {_label(inscription)}",
            before=before)
    bump_live_version(inscription.speakers_list.session, now)
    return inscription


def withdraw(inscription: Inscription, *, actor: User, now: datetime, reason: str = "") -> Inscription:
    """Take the entry off the list; its turn is free again. Raises NotAllowed, WindowClosed, BadEntry."""
    _may_change(inscription, actor, now)
    if inscription.status == InscriptionStatus.WITHDRAWN:
        raise BadEntry(N_("This entry has already been withdrawn."))
    before = _snapshot(inscription)
    inscription.status, inscription.turn, inscription.withdrawn_at = InscriptionStatus.WITHDRAWN, None, now
    inscription.updated_at = now
    db.session.flush()
    _record(inscription, "inscription_withdrawn", actor=actor, now=now,
            summary=f"Withdrew {_label(inscription)}" + (f": {reason.strip()}" if reason.strip() else ""),
            before=before)
    bump_live_version(inscription.speakers_list.session, now)
    return inscription


def move(inscription: Inscription, position: int | None, reason: str, *, actor: User, now: datetime) -> Inscription:
    """Place an entry at `position` (1 = first) for a stated reason, or back in protocol order (None).
    Organizers and moderators only (the view checks); raises BadEntry. Audit-logged, and `undo_move` reverses it."""
    reason = reason.strip()
    if position is not None and not reason:
        raise BadEntry(N_("Give the reason for moving the entry: it is kept in the audit log."))
    if position is not None and position < 1:
        raise BadEntry(N_("Positions start at 1."))
    if inscription.status == InscriptionStatus.WITHDRAWN:
        raise BadEntry(N_("A withdrawn entry has no place on the list."))
    before = _snapshot(inscription)
    count = len(calling_order(inscription.speakers_list.inscriptions))
    inscription.position = min(position, count) if position is not None else None
    inscription.position_reason = reason if position is not None else ""
    inscription.updated_at = now
    db.session.flush()
    where = f"to place {inscription.position}" if position is not None else "back to protocol order"
    _record(inscription, "inscription_moved", actor=actor, now=now,
            summary=f"Moved {_label(inscription)} {where}" + (f": {reason}" if reason else ""), before=before)
    bump_live_version(inscription.speakers_list.session, now)
    return inscription


def undo_move(speakers_list: SpeakersList, *, actor: User, now: datetime) -> Inscription:
    """Put back the list's last move that is not undone yet. Raises NothingToUndo."""
    ids = [i.id for i in speakers_list.inscriptions]
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.target_type == "inscription", AuditEntry.target_id.in_(ids),
        AuditEntry.action.in_(("floor.inscription_moved", "floor.move_undone"))).order_by(AuditEntry.id)).all()
    undone = {e.after.get("undoes") for e in entries if e.action == "floor.move_undone"}
    move_entry = next((e for e in reversed(entries) if e.action == "floor.inscription_moved" and e.id not in undone),
                      None)
    if move_entry is None:
        raise NothingToUndo(N_("No move on this list is left to undo."))
    inscription = next(i for i in speakers_list.inscriptions if i.id == move_entry.target_id)
    inscription.position = move_entry.before.get("position")
    inscription.position_reason = move_entry.before.get("position_reason") or ""
    inscription.updated_at = now
    db.session.flush()
    audit.record(event=speakers_list.session.event, actor=actor, action="floor.move_undone",
                 target_type="inscription", target_id=inscription.id, now=now,
                 summary=f"Undid: {move_entry.summary}"[:300], after={"undoes": move_entry.id})
    bump_live_version(speakers_list.session, now)
    return inscription
