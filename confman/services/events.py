"""Creating, editing and cloning events. Every change is audit-logged; slugs are unique; status only moves forward
(draft → published → archived, and an archived event may be published again)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select

from confman.extensions import db
from confman.models import (
    AgendaSession,
    AgendaVersion,
    AgendaVersionKind,
    Channel,
    CoHost,
    Event,
    EventStatus,
    Role,
    SessionStatus,
    Tag,
    Theme,
    User,
    session_tag,
)
from confman.services import ConfmanError, audit, permissions
from confman.timeutil import from_local, suggest_zone, zone_or_none

EVENT_FIELDS = ("slug", "title", "short_title", "description", "starts_on", "ends_on", "timezone", "format",
                "venue", "joining_link", "status", "parent_id", "registration_opens_at", "registration_closes_at",
                "capacity", "needs_approval", "registration_notice")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ALLOWED_STATUS = {
    EventStatus.DRAFT: {EventStatus.DRAFT, EventStatus.PUBLISHED},
    EventStatus.PUBLISHED: {EventStatus.PUBLISHED, EventStatus.ARCHIVED},
    EventStatus.ARCHIVED: {EventStatus.ARCHIVED, EventStatus.PUBLISHED},
}


class InvalidEvent(ConfmanError):
    """Bad values; `field` names the form field to show the message next to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class SlugTaken(InvalidEvent):
    def __init__(self, slug: str):
        super().__init__(f"Another event already uses the address “{slug}”.", "slug")


class EventChanged(ConfmanError):
    def __init__(self):
        super().__init__("Someone else saved this event while you were editing it. Nothing was saved; "
                         "the form now shows their version.")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "item"


def _values(event: Event) -> dict[str, Any]:
    return {name: getattr(event, name) for name in EVENT_FIELDS}


def _validate(values: dict[str, Any], *, event: Event | None) -> None:
    slug = values["slug"]
    if not SLUG_PATTERN.match(slug or ""):
        raise InvalidEvent("Use lower-case letters, digits and single hyphens, like prepcon-2021.", "slug")
    if not (values["title"] or "").strip():
        raise InvalidEvent("An event needs a title.", "title")
    if zone_or_none(values["timezone"]) is None:
        suggestion = suggest_zone(values["timezone"])
        hint = f" Did you mean {suggestion}?" if suggestion else ""
        raise InvalidEvent(f"“{values['timezone']}” is not an IANA time zone (like Europe/Amsterdam).{hint}",
                           "timezone")
    if values["ends_on"] < values["starts_on"]:
        raise InvalidEvent("The last day cannot be before the first day.", "ends_on")
    if values["ends_on"] - values["starts_on"] > timedelta(days=60):
        raise InvalidEvent("An event lasts at most 60 days.", "ends_on")
    opens, closes = values.get("registration_opens_at"), values.get("registration_closes_at")
    if opens and closes and closes <= opens:
        raise InvalidEvent("Registration must close after it opens.", "registration_closes_at")
    if values.get("capacity") is not None and values["capacity"] < 1:
        raise InvalidEvent("The capacity must be at least 1, or left empty for no limit.", "capacity")
    if event is not None and values.get("parent_id") == event.id:
        raise InvalidEvent("An event cannot be part of itself.", "parent_id")
    clash = db.session.scalar(select(Event.id).filter_by(slug=slug))
    if clash is not None and (event is None or clash != event.id):
        raise SlugTaken(slug)
    if event is not None and values["status"] not in _ALLOWED_STATUS[event.status]:
        raise InvalidEvent(f"A {event.status.value} event cannot go back to {values['status'].value}.", "status")


def create_event(*, actor: User, now: datetime, **values: Any) -> Event:
    """A new event (a draft unless told otherwise); its creator organizes it. Raises InvalidEvent. Flushes."""
    values = {"status": EventStatus.DRAFT, **values}
    full = {name: values.get(name) for name in EVENT_FIELDS}
    _validate(full, event=None)
    event = Event(created_at=now, updated_at=now, **values)
    db.session.add(event)
    db.session.flush()
    if not actor.is_admin:
        permissions.grant(actor, event, Role.ORGANIZER)
    audit.record(event=event, actor=actor, action="event.created", target_type="event", target_id=event.id, now=now,
                 summary=f"Created event {event.slug}", after=_values(event))
    return event


def update_event(event: Event, *, actor: User, now: datetime, expected_version: int | None = None,
                 **values: Any) -> dict:
    """Returns {field: (before, after)}. Raises InvalidEvent, EventChanged. Flushes."""
    if expected_version is not None and expected_version != event.version:
        raise EventChanged()
    before = _values(event)
    _validate({**before, **values}, event=event)
    for name, value in values.items():
        setattr(event, name, value)
    after = _values(event)
    changed = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    if not changed:
        return {}
    event.updated_at = now
    db.session.flush()
    audit.record(event=event, actor=actor, action="event.updated", target_type="event", target_id=event.id, now=now,
                 summary=f"Edited {', '.join(k.replace('_', ' ') for k in changed)}",
                 before={k: v[0] for k, v in changed.items()}, after={k: v[1] for k, v in changed.items()})
    return changed


def clone_event(source: Event, *, slug: str, title: str, starts_on: date, actor: User, now: datetime) -> Event:
    """The next edition: same zone, format, settings, themes, tags, channels, co-hosts and sessions (kind, theme,
    channel, title, description, duration, tags) at the same local times on the matching days. No speakers,
    video messages or registrations. A draft. Raises InvalidEvent. Flushes."""
    shift = starts_on - source.starts_on
    event = create_event(
        actor=actor, now=now, slug=slug, title=title, short_title="", description=source.description,
        starts_on=starts_on, ends_on=source.ends_on + shift, timezone=source.timezone, format=source.format,
        venue=source.venue, joining_link="", status=EventStatus.DRAFT, parent_id=source.parent_id,
        capacity=source.capacity, needs_approval=source.needs_approval,
        registration_opens_at=_shift_local(source.registration_opens_at, shift, source),
        registration_closes_at=_shift_local(source.registration_closes_at, shift, source),
        registration_notice=source.registration_notice, languages=list(source.languages),
        default_language=source.default_language, interpretation_languages=list(source.interpretation_languages),
        requires_interpretation=source.requires_interpretation,
        # The new edition has a new title: only the texts that carry over keep their translations.
        translations={k: v for k, v in (source.translations or {}).items() if k in ("description",
                                                                                     "registration_notice")},
    )
    themes = {t.id: Theme(slug=t.slug, name=t.name, colour=t.colour, pattern=t.pattern, position=t.position,
                          translations=dict(t.translations or {})) for t in source.themes}
    channels = {c.id: Channel(slug=c.slug, name=c.name, position=c.position) for c in source.channels}
    tags = {t.id: Tag(slug=t.slug, name=t.name) for t in source.tags}
    event.themes.extend(themes.values())
    event.channels.extend(channels.values())
    event.tags.extend(tags.values())
    event.co_hosts.extend(CoHost(organization_id=h.organization_id, position=h.position, role=h.role,
                                 translations=dict(h.translations or {})) for h in source.co_hosts)
    # Cancelled sessions stay behind, and each session keeps its planned time: the last release's, since on the
    # day live reorders and skips rewrite starts_at (the next edition plans from the plan, not from what happened).
    plan = _released_starts(source)
    items = db.session.scalars(select(AgendaSession).where(
        AgendaSession.event_id == source.id, AgendaSession.status != SessionStatus.CANCELLED)
        .order_by(AgendaSession.starts_at, AgendaSession.id)).all()
    for item in items:
        db.session.add(AgendaSession(
            event=event, kind=item.kind, theme=themes.get(item.theme_id), channel=channels.get(item.channel_id),
            title=item.title, description=item.description, notes=item.notes, is_fixed=item.is_fixed,
            starts_at=_shift_local(plan.get(item.id, item.starts_at), shift, source),  # None stays unscheduled
            duration=item.duration,
            tags=[tags[t.id] for t in item.tags], created_at=now, updated_at=now,
            translations=dict(item.translations or {}), floor_language=item.floor_language,
            interpretation_languages=list(item.interpretation_languages or []),
            interpretation_channels=dict(item.interpretation_channels or {}),
        ))
    db.session.flush()
    audit.record(event=event, actor=actor, action="event.cloned", target_type="event", target_id=event.id, now=now,
                 summary=f"Cloned from {source.slug} ({len(items)} sessions)", after={"source": source.slug})
    return event


def _released_starts(event: Event) -> dict[int, datetime]:
    """Each session's start in the last release (an organizer's publication, not a live amendment)."""
    snapshot = db.session.scalar(select(AgendaVersion.snapshot).where(
        AgendaVersion.event_id == event.id, AgendaVersion.kind == AgendaVersionKind.RELEASE)
        .order_by(AgendaVersion.number.desc()).limit(1)) or {}
    return {s["id"]: datetime.fromisoformat(s["starts_at"]) for s in snapshot.get("sessions", [])
            if s.get("starts_at")}


def _shift_local(instant: datetime | None, shift: timedelta, source: Event) -> datetime | None:
    """The same wall-clock time `shift` days later in the event's zone (so 09:00 stays 09:00 across DST)."""
    if instant is None:
        return None
    local = instant.astimezone(source.tz).replace(tzinfo=None)
    return from_local(local + shift, source.tz)


def local_datetime(day: date, at: time, event: Event) -> datetime:
    return from_local(datetime.combine(day, at), event.tz)


# --- themes, tags and channels -----------------------------------------------------------------------------------

TAXONOMY = {"theme": Theme, "tag": Tag, "channel": Channel}


class NameTaken(ConfmanError):
    pass


def save_label(event: Event, kind: str, obj=None, *, actor: User, now: datetime, **values: Any):
    """Create (obj None) or edit a theme, tag or channel of `event`; its slug follows its name.
    Raises NameTaken. Flushes."""
    model = TAXONOMY[kind]
    name = (values.get("name") or "").strip()
    if not name:
        raise NameTaken("A name is needed.")
    slug = slugify(name)
    clash = db.session.scalar(select(model.id).filter_by(event_id=event.id, slug=slug))
    if clash is not None and (obj is None or clash != obj.id):
        raise NameTaken(f"This event already has a {kind} called “{name}”.")
    values = {**values, "name": name}
    if obj is None:
        if "position" in model.__table__.columns:
            values.setdefault("position", len(getattr(event, f"{kind}s")))
        obj = model(event=event, slug=slug, **values)
        db.session.add(obj)
        db.session.flush()
        audit.record(event=event, actor=actor, action=f"{kind}.created", target_type=kind, target_id=obj.id, now=now,
                     summary=f"Added {kind} {name}", after=values)
        return obj
    before = {k: getattr(obj, k) for k in values}
    for k, v in values.items():
        setattr(obj, k, v)
    obj.slug = slug
    db.session.flush()
    audit.record(event=event, actor=actor, action=f"{kind}.updated", target_type=kind, target_id=obj.id, now=now,
                 summary=f"Edited {kind} {name}", before=before, after=values)
    return obj


def delete_label(obj, kind: str, *, actor: User, now: datetime) -> None:
    """Sessions keep their place; they lose the theme or channel (or tag). Flushes."""
    audit.record(event=obj.event, actor=actor, action=f"{kind}.deleted", target_type=kind, target_id=obj.id, now=now,
                 summary=f"Removed {kind} {obj.name}", before={"name": obj.name})
    # Spelled out rather than left to ON DELETE, which SQLite only honours with a pragma.
    if kind == "tag":
        db.session.execute(delete(session_tag).where(session_tag.c.tag_id == obj.id))
    else:
        column = getattr(AgendaSession, f"{kind}_id")
        for item in db.session.scalars(select(AgendaSession).where(column == obj.id)):
            setattr(item, f"{kind}_id", None)
            item.updated_at = now
            if kind == "channel":
                item.sequence += 1
    db.session.delete(obj)
    db.session.flush()


def make_public(event: Event, *, actor: User | None, now: datetime) -> bool:
    """Publish a draft event (its pages stop answering 404). Returns False when it was already public. Flushes."""
    if event.is_public:
        return False
    event.status = EventStatus.PUBLISHED
    audit.record(event=event, actor=actor, action="event.updated", target_type="event", target_id=event.id, now=now,
                 summary="Made the event public", before={"status": EventStatus.DRAFT.value},
                 after={"status": EventStatus.PUBLISHED.value})
    db.session.flush()
    return True
