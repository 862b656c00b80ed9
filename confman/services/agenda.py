"""Reading the agenda: sessions with everything a page or export shows, in a constant number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from confman.extensions import db
from confman.models import AgendaSession, Event, Participation, Speaker, Theme
from confman.models.video import VideoMessage


def load_sessions(event: Event, *, theme: Theme | None = None) -> Sequence[AgendaSession]:
    """Every session of `event` in start order, with theme, channel, tags, speakers and video message loaded."""
    query = (
        select(AgendaSession)
        .where(AgendaSession.event_id == event.id)
        .options(
            selectinload(AgendaSession.theme),
            selectinload(AgendaSession.channel),
            selectinload(AgendaSession.tags),
            selectinload(AgendaSession.participations)
            .selectinload(Participation.speaker)
            .selectinload(Speaker.organization),
            selectinload(AgendaSession.video_message).selectinload(VideoMessage.speaker),
        )
        .order_by(AgendaSession.starts_at, AgendaSession.channel_id, AgendaSession.id)
    )
    if theme is not None:
        query = query.where(AgendaSession.theme_id == theme.id)
    return db.session.scalars(query).all()


@dataclass(frozen=True)
class AgendaDay:
    day: date
    sessions: list[AgendaSession]


def group_by_day(sessions: Sequence[AgendaSession], tz: ZoneInfo) -> list[AgendaDay]:
    """Sessions grouped by their local start date in `tz` (the viewer's zone may move a session to another day)."""
    days: dict[date, list[AgendaSession]] = {}
    for item in sessions:
        days.setdefault(item.starts_at.astimezone(tz).date(), []).append(item)
    return [AgendaDay(day, items) for day, items in sorted(days.items())]


def speaking_order(item: AgendaSession) -> list[Participation]:
    return sorted(item.participations, key=lambda p: (p.position, getattr(p, "id", 0) or 0))


def is_ongoing(item: AgendaSession, now: datetime) -> bool:
    return item.starts_at <= now < item.ends_at and not item.is_cancelled
