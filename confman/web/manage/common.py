"""What the organizer views share: loading an event's own objects, the current actor, the agenda's problems."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from confman.extensions import db
from confman.models import Event
from confman.services import conflicts
from confman.web.wording import error_text


def owned_or_404(model, object_id: int, event: Event):
    """An object of `event` by id: another event's object is as absent as a missing one."""
    obj = db.session.get(model, object_id)
    if obj is None or obj.event_id != event.id:
        abort(404)
    return obj


def actor():
    return current_user._get_current_object()


def read_upload(storage: FileStorage | None) -> bytes | None:
    if storage is None or not storage.filename:
        return None
    return storage.read()


def agenda_report(event: Event, sessions) -> conflicts.Report:
    """The problems of `sessions` (loaded with their participations and speakers), with readable names."""
    speaker_names = {p.speaker_id: p.speaker.full_name for item in sessions for p in item.participations}
    return conflicts.check_agenda(
        sessions, event_starts_on=event.starts_on, event_ends_on=event.ends_on, tz=event.tz,
        speaker_names=speaker_names, channel_names={c.id: c.name for c in event.channels},
    )


def form_errors_from(error, form, default_field: str | None = None) -> None:
    """Put a service error next to the field it names (or `default_field`)."""
    name = getattr(error, "field", None) or default_field
    target = getattr(form, name, None) if name else None
    if target is not None:
        target.errors = [*target.errors, str(error)] if isinstance(target.errors, list) else [str(error)]
    else:
        form.form_errors.append(error_text(error))
