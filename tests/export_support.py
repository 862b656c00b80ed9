"""Helpers for the export tests: publishing an agenda as an organizer would, and UTC instants."""

from __future__ import annotations

from datetime import UTC, datetime

from confman.extensions import db
from confman.services import publication

from factories import NOW


def publish(event, now=NOW):
    version = publication.publish_agenda(event, actor=None, now=now, allow_empty=True)
    db.session.commit()
    return version


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
