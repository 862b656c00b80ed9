"""What everyone sees on the live page: now, next and later today per channel, as plain JSON-ready data.

Only published sessions appear (titles, speakers and themes come from the public agenda snapshot); their
live state (started, ended, expected times, who has the floor) comes from the moderators' running order,
computed for `now` by `live/timeline.py`, so a measured overrun keeps moving what follows.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Event, Participation, SessionStatus
from confman.services import languages, publication
from confman.services.live.timeline import Slot, Timing, compute_timeline, in_order
from confman.services.publication import PublicSession
from confman.timeutil import local_day_bounds

LATER_LIMIT = 6


def live_status(event: Event, *, now: datetime, lang: str | None = None) -> dict[str, Any]:
    """`lang`: one of the event's languages to read titles in (None or the default: the published texts)."""
    published = publication.localized(publication.public_agenda(event), lang, event.default_language)
    public = {s.id: s for s in published.sessions}
    tz = event.tz
    today = now.astimezone(tz).date()
    start, end = local_day_bounds(today, tz)
    items = db.session.scalars(select(AgendaSession).where(
        AgendaSession.event_id == event.id, AgendaSession.starts_at >= start, AgendaSession.starts_at < end)).all()
    by_channel: dict[int | None, list[AgendaSession]] = defaultdict(list)
    for item in items:
        by_channel[item.channel_id].append(item)
    live_ids = [i.id for i in items if i.status == SessionStatus.LIVE]
    speaking = {}
    if live_ids:
        for p in db.session.scalars(select(Participation).where(
                Participation.session_id.in_(live_ids), Participation.actual_started_at.is_not(None),
                Participation.actual_ended_at.is_(None))):
            speaking[p.session_id] = p.speaker_id

    channels = [(c.id, c.slug, c.name) for c in sorted(published.channels, key=lambda c: c.position)]
    if any(s.channel is None for s in published.sessions):
        channels.append((None, "", "Main"))
    result = []
    for channel_id, slug, name in channels:
        result.append(_channel(channel_id, slug, name, by_channel.get(channel_id, []), public, published, speaking,
                               now))
    for channel in result:  # "next" may be on a later day: say which, so nobody waits for it today
        if channel["next"] is not None:
            channel["next"]["day"] = _local_day(channel["next"]["expected_start"], tz)
    on_today = any(start <= s.starts_at < end and not s.is_cancelled for s in published.sessions)
    later_days = sorted({_local_day(s.starts_at.isoformat(), tz) for s in published.sessions
                         if s.starts_at >= end and not s.is_cancelled})
    return {
        "event": {"slug": event.slug, "title": languages.text(event, "title", lang, event),
                  "timezone": event.timezone, **_language(lang, event)},
        "day": today.isoformat(),
        # When nothing is on today: the next day with sessions (None when today has some, or none are left).
        "next_day": later_days[0] if later_days and not on_today else None,
        "generated_at": now.isoformat(),
        "agenda_version": published.version,
        "channels": result,
    }


def _local_day(iso: str, tz) -> str:
    return datetime.fromisoformat(iso).astimezone(tz).date().isoformat()


def _channel(channel_id, slug, name, items, public, published, speaking, now) -> dict[str, Any]:
    slots = in_order(Slot.of(i) for i in items)
    timings = compute_timeline(slots, now)
    status = {i.id: i.status for i in items}
    begun = any(s.actual_started_at is not None for s in slots)
    order = [s.id for s in slots if s.id in timings]

    current = next((sid for sid in order if status[sid] == SessionStatus.LIVE), None)
    if current is None and not begun:  # nobody runs the console for this channel: go by the clock
        current = next((sid for sid in order if timings[sid].starts_at <= now < timings[sid].ends_at), None)
    pending = [sid for sid in order if status[sid] == SessionStatus.SCHEDULED and sid != current
               and (begun or timings[sid].starts_at > now)]
    pending = [sid for sid in pending if sid in public]
    break_until = None
    if current is None and pending and (t := timings[pending[0]]).break_starts_at is not None:
        if t.break_starts_at <= now < t.starts_at:
            break_until = t.starts_at.isoformat()

    def entry(sid: int) -> dict[str, Any]:
        return _session(public[sid], timings[sid], status[sid], speaking.get(sid), published)

    late = timings[pending[0]].delay if pending else (timings[current].end_delay if current else None)
    next_entry = entry(pending[0]) if pending else None
    if next_entry is None:  # nothing more today: the channel's next published session on a later day
        later_day = next((s for s in published.sessions if s.starts_at > now and not s.is_cancelled
                          and (s.channel.id if s.channel else None) == channel_id), None)
        if later_day is not None:
            next_entry = _planned(later_day)
    return {
        "id": channel_id, "slug": slug, "name": name,
        "late_minutes": int(late.total_seconds() // 60) if late else 0,
        "now": entry(current) if current is not None and current in public else None,
        "break_until": break_until,
        "next": next_entry,
        "later": [entry(sid) for sid in pending[1:1 + LATER_LIMIT]],
    }


def _session(item: PublicSession, timing: Timing, status: SessionStatus, speaker_id: int | None,
             published) -> dict[str, Any]:
    data = _planned(item)
    data.update({
        "status": status.value,
        "expected_start": timing.starts_at.isoformat(),
        "expected_end": timing.ends_at.isoformat(),
        "late_minutes": int(timing.delay.total_seconds() // 60),
    })
    speaker = published.speakers.get(speaker_id) if speaker_id else None
    data["speaker_now"] = None if speaker is None else _person(speaker)
    return data


def _planned(item: PublicSession) -> dict[str, Any]:
    return {
        "id": item.id, "title": item.title, "kind": item.kind.value, "kind_label": item.kind.label,
        "theme": item.theme.name if item.theme else None, "is_fixed": item.is_fixed,
        "status": item.status.value,
        "planned_start": item.starts_at.isoformat(), "planned_end": item.ends_at.isoformat(),
        "expected_start": item.starts_at.isoformat(), "expected_end": item.ends_at.isoformat(),
        "late_minutes": 0, "speaker_now": None,
        "speakers": [_person(p.speaker) for p in item.participations],
        "video_from": _person(item.video_message.speaker) if item.video_message and item.video_message.speaker
        else None,
        **_interpretation(item),
    }


def _language(lang: str | None, event: Event) -> dict[str, str]:
    # Named only in another language than the default, so the default's live.json stays byte for byte the same.
    return {"language": lang} if lang and lang != event.default_language else {}


def _interpretation(item: PublicSession) -> dict[str, Any]:
    if not item.interpretation_languages:
        return {}
    return {"floor_language": item.floor_language, "interpretation": list(item.interpretation_languages),
            "interpretation_channels": dict(item.interpretation_channels)}


def _person(speaker) -> dict[str, Any]:
    org = speaker.organization
    return {"name": speaker.full_name, "title": speaker.title,
            "organization": (org.short_name or org.name) if org else None}
