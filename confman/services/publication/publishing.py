"""Publishing: a release of the whole agenda, or a live amendment of the sessions a moderator touched."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from confman.extensions import db
from confman.models import (
    AgendaSession,
    AgendaVersion,
    AgendaVersionKind,
    Event,
    User,
)
from confman.services import ConfmanError, audit, webhooks
from confman.services.publication.snapshot import build_snapshot, diff_snapshots, session_json


class NothingToPublish(ConfmanError):
    pass


def publish_agenda(event: Event, *, actor: User | None, now: datetime, comment: str = "",
                   allow_empty: bool = False) -> AgendaVersion:
    """Publish the current agenda as a new version with its changelog. Raises NothingToPublish. Flushes."""
    previous = latest_version(event)
    snapshot = build_snapshot(event)
    changelog = diff_snapshots(previous.snapshot if previous else None, snapshot)
    if previous is not None and not changelog and not allow_empty:
        raise NothingToPublish(f"Nothing changed since version {previous.number}.")
    version = _new_version(event, AgendaVersionKind.RELEASE, snapshot, changelog, actor=actor, now=now,
                           comment=comment)
    audit.record(event=event, actor=actor, action="agenda.published", target_type="agenda_version",
                 target_id=version.id, now=now, summary=f"Published version {version.number}",
                 after={"changes": len(changelog)})
    return version


def amend_published(event: Event, items: Iterable[AgendaSession], *, actor: User | None, now: datetime,
                    comment: str = "") -> AgendaVersion | None:
    """Carry live changes of `items` (already published sessions) into a new LIVE version, leaving the rest
    of the published agenda as it was. Returns None when nothing public changed. Flushes."""
    previous = latest_version(event)
    if previous is None:
        return None
    snapshot = {**previous.snapshot, "sessions": list(previous.snapshot["sessions"])}
    index = {s["id"]: n for n, s in enumerate(snapshot["sessions"])}
    for item in items:
        if item.id in index:
            snapshot["sessions"][index[item.id]] = session_json(item)
    snapshot["sessions"].sort(key=lambda s: (s["starts_at"], s["channel_id"] or 0, s["id"]))
    changelog = diff_snapshots(previous.snapshot, snapshot)
    if not changelog:
        return None
    return _new_version(event, AgendaVersionKind.LIVE, snapshot, changelog, actor=actor, now=now, comment=comment)


def _new_version(event, kind, snapshot, changelog, *, actor, now, comment) -> AgendaVersion:
    number = (db.session.scalar(select(db.func.max(AgendaVersion.number)).filter_by(event_id=event.id)) or 0) + 1
    version = AgendaVersion(event=event, number=number, kind=kind, published_at=now, published_by=actor,
                            comment=comment, changelog=changelog, snapshot=snapshot)
    db.session.add(version)
    event.agenda_version = number  # the public ETag of every export
    db.session.flush()
    webhooks.enqueue(event, "agenda.published", {"version": number, "kind": kind.value, "comment": comment,
                                                 "changes": changelog}, now=now)
    return version


def latest_version(event: Event) -> AgendaVersion | None:
    return db.session.scalar(
        select(AgendaVersion).filter_by(event_id=event.id).order_by(AgendaVersion.number.desc()).limit(1)
    )
