"""What the live page and live.json say of the floor: who is speaking from the list now, the next three, the room.

It adds to the live status of `live.live_status` in a fixed number of queries whatever the lists' length (the
lists of the sessions on now, their entries and joint delegations, the sessions' rooms), and only public links.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from confman.extensions import db
from confman.models import AgendaSession, Event, Inscription, InscriptionStatus, SpeakersList
from confman.services.floor.calling import called
from confman.services.floor.lists import calling_order, time_limit
from confman.services.floor.rooms import resolve, rooms_by_session

NEXT_COUNT = 3


def person(inscription: Inscription) -> dict[str, Any]:
    return {"name": inscription.speaker_full_name, "title": inscription.speaker_title,
            "delegations": [d.organization.name for d in inscription.delegations],
            "from_floor": inscription.is_from_floor}


def floor_status(speakers_list: SpeakersList) -> dict[str, Any]:
    order = calling_order(speakers_list.inscriptions)
    waiting = [i for i in order if i.status == InscriptionStatus.PENDING]
    current = called(speakers_list)
    speaking = None
    if current is not None:
        limit = time_limit(current)
        speaking = {**person(current), "called_at": current.called_at.isoformat() if current.called_at else None,
                    "time_limit_seconds": int(limit.total_seconds()) if limit else None}
    return {"speaking": speaking, "next": [person(i) for i in waiting[:NEXT_COUNT]], "waiting": len(waiting)}


def lists_for(session_ids: list[int]) -> dict[int, SpeakersList]:
    if not session_ids:
        return {}
    return {sl.session_id: sl for sl in db.session.scalars(
        select(SpeakersList).where(SpeakersList.session_id.in_(session_ids))
        # One query, joined, so live.json costs the same with a list as without (bench/bench_live.py).
        .options(joinedload(SpeakersList.inscriptions).joinedload(Inscription.joint_delegations))).unique()}


def annotate(event: Event, status: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    """Add `floor` (list of speakers) and `room` (public livestream/recording) to each channel's `now` entry,
    and `room` to `next`. Changes `status` in place and returns it."""
    entries = [(ch, key) for ch in status["channels"] for key in ("now", "next") if ch.get(key)]
    ids = [ch[key]["id"] for ch, key in entries]
    if not ids:
        return status
    lists = lists_for([ch["now"]["id"] for ch in status["channels"] if ch.get("now")])
    rooms = rooms_by_session(ids)
    channel_of = dict(db.session.execute(select(AgendaSession.id, AgendaSession.channel_id)
                                         .where(AgendaSession.id.in_(ids))).all())
    channels = {c.id: c for c in event.channels}
    for ch, key in entries:
        entry = ch[key]
        links = resolve(event, channels.get(channel_of.get(entry["id"])), rooms.get(entry["id"])).public
        entry["room"] = {"livestream_url": links.livestream_url or None, "recording_url": links.recording_url or None}
        if key == "now":
            speakers_list = lists.get(entry["id"])
            entry["floor"] = floor_status(speakers_list) if speakers_list is not None else None
    return status
