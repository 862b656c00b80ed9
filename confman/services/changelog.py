"""The agenda's changelog in words: what publishing now would announce, and what each published version changed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import defer

from confman.extensions import db
from confman.models import AgendaSession, AgendaVersion, Event
from confman.services.publication import build_snapshot, diff_snapshots, latest_version


def unpublished_changes(event: Event, sessions: Sequence[AgendaSession] | None = None) -> list[dict[str, Any]]:
    """What publishing now would announce: the current agenda (`sessions` as `agenda.load_sessions` gives them)
    against the last published one."""
    previous = latest_version(event)
    return diff_snapshots(previous.snapshot if previous else None, build_snapshot(event, sessions))


def describe_change(change: dict[str, Any], tz) -> str:
    """One changelog entry in words, times in `tz`: what a delegate reads under "What changed"."""
    title = f"“{change['title']}”"

    def when(iso: str | None, seconds: int | None = None) -> str:
        if not iso:
            return ""
        start = datetime.fromisoformat(iso).astimezone(tz)
        text = f"{start:%a} {start.day} {start:%b} {start:%H:%M}"
        if seconds is not None:
            text += f"–{(start + timedelta(seconds=seconds)).astimezone(tz):%H:%M}"
        return text

    match change["change"]:
        case "added":
            return f"Added {title}" + (f", {when(change.get('to'), change.get('duration_to'))}" if change.get("to")
                                      else "")
        case "moved":
            return (f"Moved {title} from {when(change.get('from'), change.get('duration_from'))} "
                    f"to {when(change.get('to'), change.get('duration_to'))}")
        case "cancelled":
            return f"Cancelled {title}"
        case "reinstated":
            return f"Reinstated {title}"
        case "renamed":
            return f"Renamed “{change.get('from_title') or '?'}” to {title}"
        case "channel":
            if change.get("to_channel"):
                return f"{title} now takes place in {change['to_channel']}"
            return f"{title} changed channel"
        case "speakers":
            return f"Speakers of {title}: {change.get('detail') or 'changed'}"
        case "removed":
            return f"Removed {title}"
        case "translated":
            return f"Translations of {title} changed" + (f" ({change['detail']})" if change.get("detail") else "")
        case "interpretation":
            return f"Interpretation of {title}: {change.get('detail') or 'none'}"
    return f"{title}: {change['change']}"


def recent_versions(event: Event, limit: int = 20) -> list[AgendaVersion]:
    """The latest published versions, newest first, without their (large) snapshots."""
    return list(db.session.scalars(
        select(AgendaVersion).filter_by(event_id=event.id).order_by(AgendaVersion.number.desc()).limit(limit)
        .options(defer(AgendaVersion.snapshot))
    ))
