"""Organizer pages: importing sessions from a file (CSV, frab schedule.xml, c3voc schedule.json), previewed first,
then applied all at once when the organizer confirms, or not at all."""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
import zlib

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from itsdangerous import BadSignature, URLSafeTimedSerializer

from confman import site
from confman.exports.frab.export import NAMESPACE
from confman.extensions import db
from confman.forms.session_import import ImportConfirmForm, ImportUploadForm
from confman.models import Event
from confman.services import agenda
from confman.services import session_import as importing
from confman.timeutil import utcnow
from confman.web.helpers import organizer_required
from confman.web.manage import bp
from confman.web.manage.common import actor
from confman.web.manage.sessions import FIELD_LABELS

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
PREVIEW_MAX_AGE = 3600  # seconds a preview can be confirmed
CHANGE_LABELS = {**FIELD_LABELS, "speakers": _l("Speakers")}


def import_limit(config) -> int:
    return int(config.get("IMPORT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def say(message: importing.Message | None) -> str:
    """A reader's or planner's message in the viewer's language."""
    return "" if message is None else _(message.text, **message.params)


def _plan(event: Event, data: bytes) -> importing.Plan:
    def own_key(session_id: int) -> str:  # the guid of the event's own frab export (exports/frab/export.py)
        return str(uuid.uuid5(NAMESPACE, f"{event.slug}/session/{session_id}"))

    return importing.plan_import(event, importing.read_file(data, event.tz), own_key=own_key)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="session-import")


@bp.route("/events/<slug>/sessions/import", methods=["GET", "POST"])
@site.accepts_upload(import_limit)
@organizer_required
def session_import(event: Event):
    form = ImportUploadForm()
    if form.validate_on_submit():
        limit = import_limit(current_app.config)
        data = form.file.data.read(limit + 1)
        if len(data) > limit:
            form.file.errors.append(_("The file is larger than %(size)s MB: import it in parts.",
                                      size=f"{limit / 1024 / 1024:.0f}"))
        else:
            return _preview(event, data, form.file.data.filename or "")
    return render_template("manage/session_import.html", event=event, form=form, columns=importing.COLUMNS,
                           max_mb=f"{import_limit(current_app.config) / 1024 / 1024:.0f}"), (
        400 if form.is_submitted() else 200)


def _preview(event: Event, data: bytes, filename: str, *, stale: bool = False):
    plan = _plan(event, data)
    confirm = None
    if plan.is_applicable:
        payload = base64.b64encode(zlib.compress(data, 9)).decode()
        if len(payload) > int(current_app.config.get("MAX_FORM_MEMORY_SIZE") or 500_000) - 10_000:
            plan.errors.append(importing.RowError(None, importing.Message(
                importing.N_("The file is too large to preview and confirm at once: import it in parts."))))
        else:
            token = _serializer().dumps({"e": event.id, "u": actor().id, "f": plan.fingerprint,
                                         "h": hashlib.sha256(data).hexdigest()})
            confirm = ImportConfirmForm(data={"payload": payload, "token": token, "filename": filename[:200]})
    return render_template("manage/session_import_preview.html", event=event, plan=plan, confirm=confirm,
                           filename=filename, say=say, change_labels=CHANGE_LABELS, tz=event.tz, stale=stale), (
        409 if stale else 200 if not plan.errors else 400)


@bp.route("/events/<slug>/sessions/import/confirm", methods=["POST"])
@organizer_required
def session_import_confirm(event: Event):
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        claims = _serializer().loads(form.token.data, max_age=PREVIEW_MAX_AGE)
        data = zlib.decompress(base64.b64decode(form.payload.data, validate=True))
    except BadSignature:
        flash(_("This preview is more than an hour old. Upload the file again to see what it would change now."),
              "error")
        return redirect(url_for("manage.session_import", slug=event.slug))
    except (binascii.Error, zlib.error):
        abort(400)
    if claims.get("e") != event.id or claims.get("u") != actor().id or claims.get(
            "h") != hashlib.sha256(data).hexdigest():
        abort(400)
    filename = form.filename.data or ""
    plan = _plan(event, data)
    try:
        importing.apply_plan(event, plan, expected=claims["f"], actor=actor(), now=utcnow(),
                             source=filename or plan.format)
    except (importing.StalePreview, agenda.EditConflict, agenda.InvalidSession):
        db.session.rollback()
        flash(_("The agenda changed since the preview, so nothing was imported. Here is what the file would change "
                "now: check it and confirm again."), "error")
        return _preview(event, data, filename, stale=True)
    db.session.commit()
    added, updated = plan.count("add"), plan.count("update")
    flash(_("Imported from %(file)s: %(added)s, %(updated)s.", file=filename or plan.format,
            added=ngettext("%(num)d session added", "%(num)d sessions added", added),
            updated=ngettext("%(num)d updated", "%(num)d updated", updated)), "success")
    return redirect(url_for("manage.sessions", slug=event.slug))
