"""Comparing what a file proposes with an event (a plan: added, updated, unchanged, errors), and applying a plan
all at once. A plan carries a fingerprint of the event's agenda, so a preview that went stale is refused.

Matching: a row whose key (frab guid or id, CSV `ref`) is the key of an earlier import into this event, or the guid
confman's own schedule export gives one of the event's sessions, updates that session; any other row adds one.
Sessions the file does not name are left as they are: an import never deletes.
Channels, themes and topics are matched by name (or slug), speakers by name with or without honorific, ignoring
case; what is not found is created, and the preview lists it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from confman.extensions import db
from confman.models import (
    AgendaSession,
    Channel,
    Event,
    Participation,
    ParticipationRole,
    SessionKind,
    Speaker,
    Tag,
    Theme,
    User,
)
from confman.services import ConfmanError, agenda, audit, speakers
from confman.services.session_import.rows import N_, Message, ReadResult, RowError


class StalePreview(ConfmanError):
    """The agenda changed between the preview and the confirmation: nothing was imported."""


@dataclass
class Change:
    where: Message
    action: str  # "add", "update" or "unchanged"
    title: str
    starts_at: datetime | None
    duration: object
    channel: str
    theme: str
    speakers: list[str]
    item_id: int | None = None
    fields: list[str] = field(default_factory=list)  # what an update changes, by form field name
    values: dict = field(default_factory=dict)  # resolved values to write (names for what is still to create)
    key: str | None = None

    @property
    def ends_at(self) -> datetime | None:
        return None if self.starts_at is None else self.starts_at + self.duration


@dataclass
class Plan:
    format: str
    changes: list[Change]
    errors: list[RowError]
    truncated: bool
    new_channels: list[str]
    new_themes: list[str]
    new_topics: list[str]
    new_speakers: list[str]
    untouched: int  # sessions of the event the file does not name
    fingerprint: str
    colours: dict[str, str] = field(default_factory=dict)

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def is_applicable(self) -> bool:
        return not self.errors and any(c.action != "unchanged" for c in self.changes)


def norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def fingerprint(event: Event) -> str:
    """A digest of everything a plan depends on: sessions (and their versions), speakers, channels, themes, topics,
    who speaks where, and the event's days and zone."""
    digest = hashlib.sha256(f"{event.starts_on}|{event.ends_on}|{event.timezone}|{event.default_language}".encode())
    for statement in (
        select(AgendaSession.id, AgendaSession.version).filter_by(event_id=event.id).order_by(AgendaSession.id),
        select(Speaker.id, Speaker.honorific, Speaker.name).filter_by(event_id=event.id).order_by(Speaker.id),
        select(Channel.id, Channel.name).filter_by(event_id=event.id).order_by(Channel.id),
        select(Theme.id, Theme.name).filter_by(event_id=event.id).order_by(Theme.id),
        select(Tag.id, Tag.name).filter_by(event_id=event.id).order_by(Tag.id),
        select(Participation.id, Participation.session_id, Participation.speaker_id, Participation.role,
               Participation.position).join(AgendaSession).where(AgendaSession.event_id == event.id)
        .order_by(Participation.id),
    ):
        for row in db.session.execute(statement):
            digest.update(repr(tuple(row)).encode())
        digest.update(b"/")
    return digest.hexdigest()


class _Names:
    """Name (or slug) -> existing object, and the names still to create, in the order first met."""

    def __init__(self, objects):
        self.found = {}
        for obj in objects:
            self.found.setdefault(norm(obj.name), obj)
            self.found.setdefault(norm(getattr(obj, "slug", "") or ""), obj)
        self.found.pop("", None)
        self.new: dict[str, str] = {}

    def resolve(self, name: str):
        """An existing object, or ("new", name) for one to create; None for no name."""
        if not name:
            return None
        key = norm(name)
        if key in self.found:
            return self.found[key]
        self.new.setdefault(key, name)
        return ("new", self.new[key])


def plan_import(event: Event, result: ReadResult, *, own_key: Callable[[int], str] | None = None) -> Plan:
    """What importing `result` into `event` would do. Writes nothing. `own_key(session id)` is the key confman's
    own schedule export gives each session of the event (its frab guid), so that file updates them."""
    items = db.session.scalars(
        select(AgendaSession).filter_by(event_id=event.id).options(
            selectinload(AgendaSession.tags), selectinload(AgendaSession.channel), selectinload(AgendaSession.theme),
            selectinload(AgendaSession.participations).selectinload(Participation.speaker))).all()
    by_key = {i.import_key: i for i in items if i.import_key}
    if own_key is not None:
        by_key.update({own_key(i.id): i for i in items})
    channels, themes, topics = _Names(event.channels), _Names(event.themes), _Names(event.tags)
    people: dict[str, list[Speaker]] = {}
    for s in db.session.scalars(select(Speaker).filter_by(event_id=event.id).order_by(Speaker.id)):
        for name in {norm(s.full_name), norm(s.name)}:
            people.setdefault(name, []).append(s)
    new_speakers: dict[str, str] = {}
    errors = list(result.errors)
    changes: list[Change] = []
    seen_keys: set[str] = set()
    matched: set[int] = set()
    days = event.days
    for row in result.rows:
        def error(text: str, **params) -> None:
            errors.append(RowError(row.where, Message(text, params)))  # noqa: B023 - called in this iteration

        if row.key is not None:
            if row.key in seen_keys:
                error(N_("Another row of the file has the same key “%(key)s”."), key=row.key)
                continue
            seen_keys.add(row.key)
        item = by_key.get(row.key) if row.key else None
        if item is not None and item.id in matched:
            error(N_("Another row of the file updates the same session."))
            continue
        if row.starts_at is not None and (day := row.starts_at.astimezone(event.tz).date()) not in days:
            error(N_("It starts on %(day)s, outside the event's days (%(first)s to %(last)s)."),
                  day=day.isoformat(), first=days[0].isoformat(), last=days[-1].isoformat())
            continue
        persons = None
        if row.persons is not None:
            persons, ok = [], True
            for person in row.persons:
                found = people.get(norm(person.name), [])
                if len({s.id for s in found}) > 1:
                    error(N_("Several speakers of the event are called “%(name)s”: rename one, or add this one "
                             "on the session page."), name=person.name)
                    ok = False
                    continue
                target = found[0] if found else ("new", new_speakers.setdefault(norm(person.name), person.name))
                if any(_same(target, p) for p, _ in persons):
                    error(N_("“%(name)s” is named twice among its speakers."), name=person.name)
                    ok = False
                persons.append((target, person.role))
            if not ok:
                continue
        values = {"title": row.title}
        if row.has_start or item is None:
            values["starts_at"] = row.starts_at
        values["duration"] = row.duration
        if row.kind is not None:
            values["kind"] = row.kind
        if row.channel is not None:
            values["channel"] = channels.resolve(row.channel)
        if row.theme is not None:
            values["theme"] = themes.resolve(row.theme)
        if row.description is not None:
            values["description"] = row.description
        if row.language is not None:
            values["floor_language"] = "" if row.language == event.default_language else row.language
        if row.is_fixed is not None:
            values["is_fixed"] = row.is_fixed
        if row.topics is not None:
            values["tags"] = _unique([topics.resolve(t) for t in row.topics])
        if persons is not None:
            values["persons"] = persons
        change = Change(where=row.where, action="add", title=row.title,
                        starts_at=values["starts_at"] if "starts_at" in values else item.starts_at,
                        duration=row.duration, channel=_name(values.get("channel")), theme=_name(values.get("theme")),
                        speakers=[_name(p) for p, _ in persons or []], values=values, key=row.key)
        if item is not None:
            matched.add(item.id)
            change.item_id = item.id
            change.fields = _differences(item, values)
            change.action = "update" if change.fields else "unchanged"
            change.channel = change.channel if "channel" in values else (item.channel.name if item.channel else "")
            change.theme = change.theme if "theme" in values else (item.theme.name if item.theme else "")
            if persons is None:
                change.speakers = [p.speaker.full_name for p in agenda.speaking_order(item)]
        changes.append(change)
    return Plan(format=result.format, changes=changes, errors=errors, truncated=result.truncated,
                new_channels=list(channels.new.values()), new_themes=list(themes.new.values()),
                new_topics=list(topics.new.values()), new_speakers=list(new_speakers.values()),
                untouched=len(items) - len(matched), fingerprint=fingerprint(event), colours=result.colours)


def _same(a, b) -> bool:
    return a is b or (isinstance(a, tuple) and isinstance(b, tuple) and norm(a[1]) == norm(b[1]))


def _unique(targets: list) -> list:
    out = []
    for t in targets:
        if not any(_same(t, o) for o in out):
            out.append(t)
    return out


def _name(target) -> str:
    if target is None:
        return ""
    if isinstance(target, tuple):
        return target[1]
    return target.full_name if isinstance(target, Speaker) else target.name


_FIELD = {"channel": "channel_id", "theme": "theme_id", "tags": "tag_ids", "persons": "speakers"}


def _differences(item: AgendaSession, values: dict) -> list[str]:
    changed = []
    for name, value in values.items():
        if name == "channel":
            same = value is item.channel if value is not None else item.channel is None
        elif name == "theme":
            same = value is item.theme if value is not None else item.theme is None
        elif name == "tags":
            same = not any(isinstance(t, tuple) for t in value) and {t.id for t in value} == {t.id for t in item.tags}
        elif name == "persons":
            current = [(p.speaker, p.role) for p in agenda.speaking_order(item)]
            same = len(current) == len(value) and all(a[0] is b[0] and a[1] == b[1] for a, b in zip(
                current, value, strict=True))
        else:
            same = getattr(item, name) == value
        if not same:
            changed.append(_FIELD.get(name, name))
    return changed


def apply_plan(event: Event, plan: Plan, *, expected: str, actor: User | None, now: datetime, source: str) -> None:
    """Write every change of `plan`, or raise before the caller commits: StalePreview when the agenda is no longer
    the one whose fingerprint the preview showed (`expected`), agenda.EditConflict, agenda.InvalidSession.
    Flushes; the caller commits once, or rolls back."""
    db.session.refresh(event, with_for_update=True)  # one import at a time per event (PostgreSQL)
    if not (fingerprint(event) == plan.fingerprint == expected) or not plan.is_applicable:
        raise StalePreview("The agenda changed since the preview.")
    made = {"channel": {}, "theme": {}, "tag": {}, "speaker": {}}
    _create_labels(event, plan, made)
    for name in plan.new_speakers:
        made["speaker"][norm(name)] = speakers.create_speaker(event, actor=actor, now=now,
                                                              **speakers.split_honorific(name))
    db.session.flush()

    def real(target, kind: str):
        return made[kind][norm(target[1])] if isinstance(target, tuple) else target

    items = {i.id: i for i in db.session.scalars(select(AgendaSession).filter_by(event_id=event.id))}
    for change in plan.changes:
        if change.action == "unchanged":
            continue
        v = dict(change.values)
        persons = [(real(p, "speaker"), role) for p, role in v.pop("persons", None) or []] \
            if "persons" in change.values else None
        tags = [real(t, "tag") for t in v.pop("tags")] if "tags" in v else None
        for name in ("channel", "theme"):
            if name in v:
                target = v.pop(name)
                v[f"{name}_id"] = real(target, name).id if target is not None else None
        if change.action == "add":
            v.setdefault("kind", SessionKind.PLENARY)
            item = agenda.create_session(event, actor=actor, now=now, tags=tags or [], import_key=change.key,
                                         interpretation_languages=list(event.interpretation_languages or []), **v)
            for position, (speaker, role) in enumerate(persons or []):
                item.participations.append(Participation(speaker=speaker, role=role, position=position,
                                                         is_order_overridden=True, created_at=now))
        else:
            item = items[change.item_id]
            wanted = set(change.fields)
            v = {k: val for k, val in v.items() if k in wanted}
            agenda.update_session(item, actor=actor, now=now, expected_version=item.version,
                                  tags=tags if "tag_ids" in wanted else None, **v)
            if "speakers" in wanted:
                _set_speakers(item, persons, actor=actor, now=now)
    db.session.flush()
    audit.record(event=event, actor=actor, action="agenda.imported", target_type="event", target_id=event.id,
                 now=now, summary=f"Imported sessions from {source}: {plan.count('add')} added, "
                                  f"{plan.count('update')} updated")


def _create_labels(event: Event, plan: Plan, made: dict) -> None:
    for kind, model, names, existing in (("channel", Channel, plan.new_channels, event.channels),
                                         ("theme", Theme, plan.new_themes, event.themes),
                                         ("tag", Tag, plan.new_topics, event.tags)):
        taken = {o.slug for o in existing}
        first = len(existing)
        for name in names:
            obj = model(event=event, name=name, slug=agenda.unique_slug(name, taken))
            if kind != "tag":
                obj.position = first + len(made[kind])
            if kind == "theme" and name in plan.colours:
                obj.colour = plan.colours[name]
            db.session.add(obj)
            made[kind][norm(name)] = obj


def _set_speakers(item: AgendaSession, persons: list[tuple[Speaker, ParticipationRole]], *, actor: User | None,
                  now: datetime) -> None:
    """The session's speakers become exactly `persons`, in that order (time limits of those kept stay)."""
    before = [(p.speaker.full_name, p.role.value) for p in agenda.speaking_order(item)]
    keep = {p.speaker_id: p for p in item.participations}
    wanted = {s.id for s, _ in persons}
    for p in list(item.participations):
        if p.speaker_id not in wanted:
            item.participations.remove(p)
    db.session.flush()
    for position, (speaker, role) in enumerate(persons):
        p = keep.get(speaker.id)
        if p is None:
            p = Participation(speaker=speaker, created_at=now)
            item.participations.append(p)
        p.role, p.position, p.is_order_overridden = role, position, True
    db.session.flush()
    audit.record(event=item.event, actor=actor, action="session.speakers_imported", target_type="session",
                 target_id=item.id, now=now, summary=f"Speakers of “{item.title}” set by an import",
                 before={"speakers": before}, after={"speakers": [(s.full_name, r.value) for s, r in persons]})
