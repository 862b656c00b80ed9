"""Speakers of an event and their part in sessions: roles, time limits and the speaking order.

The speaking order follows customary protocol unless an organizer sets it by hand: chairs and moderators open,
then speakers by protocol rank (`ProtocolRank.precedence`), ties by the order they were added. Once an organizer
moves someone, the order of that session is kept as set (`Participation.is_order_overridden`) until they restore
the protocol order.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Event, Participation, ParticipationRole, Speaker, User
from confman.services import ConfmanError, audit

SPEAKER_FIELDS = ("honorific", "name", "title", "protocol_rank", "organization_id", "bio", "email", "photo_path")
# Honorifics a name may open with ("H.E. Ms. Ada Lovelace"), split off when a speaker is made from a bare name.
HONORIFICS = re.compile(r"^((?:(?:H\.E\.|H\.R\.H\.|Mr\.|Ms\.|Mrs\.|Dr\.|Prof\.|Amb\.|Gen\.|Lt\. ?Gen\.|Maj\. ?Gen\.|"
                        r"Brig\. ?Gen\.|Col\.|Rev\.|Sir|Dame)\s+)+)(.+)$")
_ROLE_ORDER = {ParticipationRole.CHAIR: 0, ParticipationRole.MODERATOR: 1,
               ParticipationRole.SPEAKER: 2, ParticipationRole.PANELIST: 2}


class InvalidSpeaker(ConfmanError):
    pass


class AlreadyParticipating(ConfmanError):
    pass


class SpeakerOfAnotherEvent(ConfmanError):
    pass


class AmbiguousName(InvalidSpeaker):
    def __init__(self, name: str):
        super().__init__(f"Several speakers are called {name}: pick the right one from the list.")
        self.name = name


def _values(obj, names) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def create_speaker(event: Event, *, actor: User | None, now: datetime, **values: Any) -> Speaker:
    """Raises InvalidSpeaker. Flushes."""
    if not (values.get("name") or "").strip():
        raise InvalidSpeaker("A speaker needs a name.")
    speaker = Speaker(event=event, created_at=now, **values)
    db.session.add(speaker)
    db.session.flush()
    audit.record(event=event, actor=actor, action="speaker.created", target_type="speaker", target_id=speaker.id,
                 now=now, summary=f"Added speaker {speaker.full_name}", after=_values(speaker, SPEAKER_FIELDS))
    return speaker


def update_speaker(speaker: Speaker, *, actor: User | None, now: datetime, **values: Any) -> dict:
    """Returns {field: (before, after)}. A new protocol rank re-orders the sessions that follow protocol."""
    if "name" in values and not (values["name"] or "").strip():
        raise InvalidSpeaker("A speaker needs a name.")
    before = _values(speaker, SPEAKER_FIELDS)
    for name, value in values.items():
        setattr(speaker, name, value)
    after = _values(speaker, SPEAKER_FIELDS)
    changed = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    if not changed:
        return {}
    if "protocol_rank" in changed:
        for p in speaker.participations:
            renumber(p.session)
    db.session.flush()
    audit.record(event=speaker.event, actor=actor, action="speaker.updated", target_type="speaker",
                 target_id=speaker.id, now=now, summary=f"Edited speaker {speaker.full_name}",
                 before={k: v[0] for k, v in changed.items()}, after={k: v[1] for k, v in changed.items()})
    return changed


def delete_speaker(speaker: Speaker, *, actor: User | None, now: datetime) -> None:
    """Remove a speaker and their participations. Flushes."""
    audit.record(event=speaker.event, actor=actor, action="speaker.deleted", target_type="speaker",
                 target_id=speaker.id, now=now, summary=f"Removed speaker {speaker.full_name}",
                 before={**_values(speaker, SPEAKER_FIELDS),
                         "sessions": [p.session.title for p in speaker.participations]})
    db.session.delete(speaker)
    db.session.flush()


def protocol_key(p: Participation) -> tuple:
    """Chairs and moderators first, then protocol rank, then the order added."""
    return (_ROLE_ORDER[p.role], p.speaker.protocol_rank.precedence, p.created_at, p.id or 0)


def renumber(item: AgendaSession) -> None:
    """Give positions 0..n-1: by protocol, unless someone set the order by hand (then keep it, newcomers last)."""
    people = list(item.participations)
    if any(p.is_order_overridden for p in people):
        people.sort(key=lambda p: (p.position, p.id or 0))  # newcomers were appended with the last position
    else:
        people.sort(key=protocol_key)
    for position, p in enumerate(people):
        p.position = position


def add_participation(item: AgendaSession, speaker: Speaker, *, role: ParticipationRole,
                      time_limit: timedelta | None, actor: User | None, now: datetime) -> Participation:
    """Raises AlreadyParticipating, SpeakerOfAnotherEvent. Flushes."""
    if speaker.event_id != item.event_id:
        raise SpeakerOfAnotherEvent("This speaker belongs to another event.")
    if any(p.speaker_id == speaker.id for p in item.participations):
        raise AlreadyParticipating(f"{speaker.full_name} already takes part in this session.")
    p = Participation(speaker=speaker, role=role, time_limit=time_limit, created_at=now,
                      position=len(item.participations),
                      is_order_overridden=any(x.is_order_overridden for x in item.participations))
    item.participations.append(p)
    db.session.flush()
    renumber(item)
    db.session.flush()
    audit.record(event=item.event, actor=actor, action="participation.added", target_type="session",
                 target_id=item.id, now=now, summary=f"Added {speaker.full_name} to “{item.title}” as {role.value}",
                 after={"speaker_id": speaker.id, "role": role, "time_limit": time_limit, "position": p.position})
    return p


def split_honorific(name: str) -> dict[str, str]:
    """{"honorific": "H.E. Ms.", "name": "Ada Lovelace"} of "H.E. Ms. Ada Lovelace"."""
    match = HONORIFICS.match(name)
    honorific, plain = (match.group(1).strip(), match.group(2).strip()) if match else ("", name)
    return {"honorific": honorific[:40], "name": plain}


def speakers_named(event: Event, names: list[str], *, actor: User | None, now: datetime) -> list[Speaker]:
    """The event's speaker for each name (with or without honorific, ignoring case and spacing), created when there
    is none. Raises InvalidSpeaker when two speakers share a name. Flushes."""
    def key(text: str) -> str:
        return " ".join(text.split()).casefold()

    known: dict[str, set[Speaker]] = {}
    for speaker in db.session.scalars(select(Speaker).filter_by(event_id=event.id)):
        for name in (speaker.full_name, speaker.name):
            known.setdefault(key(name), set()).add(speaker)
    found = []
    for name in names:
        matches = known.get(key(name), set())
        if len(matches) > 1:
            raise AmbiguousName(name)
        if matches:
            speaker = next(iter(matches))
        else:
            speaker = create_speaker(event, actor=actor, now=now, **split_honorific(name))
            known[key(name)] = {speaker}
        if speaker not in found:
            found.append(speaker)
    return found


def update_participation(p: Participation, *, role: ParticipationRole, time_limit: timedelta | None,
                         actor: User | None, now: datetime) -> None:
    before = {"role": p.role, "time_limit": p.time_limit}
    if before == {"role": role, "time_limit": time_limit}:
        return
    p.role, p.time_limit = role, time_limit
    renumber(p.session)
    db.session.flush()
    audit.record(event=p.session.event, actor=actor, action="participation.updated", target_type="session",
                 target_id=p.session_id, now=now, summary=f"Changed {p.speaker.full_name} in “{p.session.title}”",
                 before={"speaker_id": p.speaker_id, **before},
                 after={"speaker_id": p.speaker_id, "role": role, "time_limit": time_limit})


def remove_participation(p: Participation, *, actor: User | None, now: datetime) -> None:
    item = p.session
    audit.record(event=item.event, actor=actor, action="participation.removed", target_type="session",
                 target_id=item.id, now=now, summary=f"Removed {p.speaker.full_name} from “{item.title}”",
                 before={"speaker_id": p.speaker_id, "role": p.role, "position": p.position})
    item.participations.remove(p)
    db.session.flush()
    renumber(item)
    db.session.flush()


def move_participation(p: Participation, offset: int, *, actor: User | None, now: datetime) -> None:
    """Move a speaker up (-1) or down (+1) in the speaking order by hand; the session's order is then kept as
    set, and the override is recorded. Flushes."""
    item = p.session
    people = sorted(item.participations, key=lambda x: (x.position, x.id or 0))
    index = people.index(p)
    target = index + offset
    if not 0 <= target < len(people):
        return
    before = [x.speaker_id for x in people]
    people.insert(target, people.pop(index))
    for position, x in enumerate(people):
        x.position = position
        x.is_order_overridden = True
    db.session.flush()
    audit.record(event=item.event, actor=actor, action="participation.order_overridden", target_type="session",
                 target_id=item.id, now=now,
                 summary=f"Set the speaking order of “{item.title}” by hand (moved {p.speaker.full_name})",
                 before={"order": before}, after={"order": [x.speaker_id for x in people]})


def restore_protocol_order(item: AgendaSession, *, actor: User | None, now: datetime) -> None:
    before = [x.speaker_id for x in sorted(item.participations, key=lambda x: x.position)]
    for p in item.participations:
        p.is_order_overridden = False
    renumber(item)
    db.session.flush()
    after = [x.speaker_id for x in sorted(item.participations, key=lambda x: x.position)]
    audit.record(event=item.event, actor=actor, action="participation.protocol_order", target_type="session",
                 target_id=item.id, now=now, summary=f"Restored the protocol speaking order of “{item.title}”",
                 before={"order": before}, after={"order": after})


class InvalidOrder(ConfmanError):
    pass


def set_speaking_order(item: AgendaSession, speaker_ids: list[int], *, actor: User | None, now: datetime) -> None:
    """Put the session's speakers in the order of `speaker_ids` (all of them, each once), by hand, as
    move_participation does one step at a time. Raises InvalidOrder. Flushes."""
    people = {p.speaker_id: p for p in item.participations}
    if sorted(speaker_ids) != sorted(people):
        raise InvalidOrder("The order must name each speaker of the session once.")
    before = [x.speaker_id for x in sorted(item.participations, key=lambda x: (x.position, x.id or 0))]
    if before == list(speaker_ids):
        return
    for position, speaker_id in enumerate(speaker_ids):
        people[speaker_id].position = position
        people[speaker_id].is_order_overridden = True
    db.session.flush()
    audit.record(event=item.event, actor=actor, action="participation.order_overridden", target_type="session",
                 target_id=item.id, now=now, summary=f"Set the speaking order of “{item.title}” by hand",
                 before={"order": before}, after={"order": list(speaker_ids)})
