"""Organizer pages: the timetable, sessions (create, edit, move, cancel, duplicate) and who speaks in them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from confman import languages
from confman.extensions import db
from confman.forms.languages import InterpretationForm, format_channels, parse_channels, read_translations
from confman.forms.manage import (
    ConfirmForm,
    MoveForm,
    ParticipationEditForm,
    ParticipationForm,
    SessionForm,
    VersionForm,
)
from confman.models import AgendaSession, Event, SessionKind, Speaker, Tag
from confman.services import agenda, conflicts, timetable
from confman.services import languages as content
from confman.timeutil import from_local, utcnow
from confman.web.helpers import day_arg, organizer_required
from confman.web.manage import bp
from confman.web.manage.common import actor, agenda_report, owned_or_404
from confman.web.manage.languages import translated_form
from confman.web.wording import error_text

FIELD_LABELS = {"kind": _l("Kind"), "theme_id": _l("Theme"), "channel_id": _l("Channel"), "title": _l("Title"),
                "description": _l("Description"), "starts_at": _l("Start"), "duration": _l("Duration"),
                "notes": _l("Notes"), "status": _l("Status"), "tag_ids": _l("Topics"),
                "is_fixed": _l("Fixed start"), "translations": _l("Translations"),
                "floor_language": _l("Floor language"), "interpretation_languages": _l("Interpretation"),
                "interpretation_channels": _l("Interpretation channels")}


@bp.route("/events/<slug>/timetable", endpoint="timetable")
@organizer_required
def timetable_page(event: Event):
    sessions = agenda.load_schedule(event)
    report = agenda_report(event, sessions)
    days = timetable.build_timetable(sessions, event.channels, event.tz, days=event.days)
    day = _day_arg()
    shown = [d for d in days if d.day == day] if day else days
    return render_template("manage/timetable.html", event=event, days=days, shown=shown, day=day, report=report,
                           problem_ids=report.session_ids, tz=event.tz, session_kinds=list(SessionKind),
                           step=current_app.config["TIMETABLE_STEP_MINUTES"])


def _day_arg() -> date | None:
    return day_arg(request.args.get("day"))


@bp.route("/events/<slug>/sessions/")
@organizer_required
def sessions(event: Event):
    everything = agenda.load_schedule(event, unscheduled=True)
    items = [s for s in everything if s.starts_at is not None]
    report = agenda_report(event, items)
    return render_template("manage/sessions.html", event=event, days=agenda.group_by_day(items, event.tz),
                           report=report, problem_ids=report.session_ids, tz=event.tz,
                           unscheduled=[s for s in everything if s.starts_at is None])


def session_form(event: Event, item: AgendaSession | None = None) -> SessionForm:
    """The session form with the interpretation fields and an input per other language of the event."""
    return translated_form(_SessionForm, event, "session", event=event, source=item)


class _SessionForm(SessionForm, InterpretationForm):
    pass


def _session_values(form: SessionForm, event: Event, item: AgendaSession | None = None) -> tuple[dict, list[Tag]]:
    tags = [t for t in event.tags if t.id in set(form.tag_ids.data or [])]
    translations = read_translations(form, event, "session")
    return dict(
        title=form.title.data, kind=SessionKind(form.kind.data), theme_id=form.theme_id.data,
        channel_id=form.channel_id.data, starts_at=from_local(form.starts_at.data, event.tz),
        duration=timedelta(minutes=form.duration.data), description=form.description.data or "",
        notes=form.notes.data or "", is_fixed=bool(form.is_fixed.data),
        translations=content.merged_translations(item, event, "session", translations) if item is not None
        else content.clean_translations(event, "session", translations),
        floor_language=(form.floor_language.data or "").lower(),
        interpretation_languages=languages.parse_codes(form.interpretation_languages.data or ""),
        interpretation_channels=parse_channels(form.interpretation_channels.data or ""),
    ), tags


def fill_session_form(form: SessionForm, item: AgendaSession) -> None:
    for name in ("title", "theme_id", "channel_id", "description", "notes", "is_fixed", "floor_language"):
        getattr(form, name).data = getattr(item, name)
    form.interpretation_languages.data = ", ".join(item.interpretation_languages or [])
    form.interpretation_channels.data = format_channels(item.interpretation_channels or {})
    form.kind.data = item.kind.value
    # An unscheduled session's form asks for a start: saving it puts the session on the timetable.
    form.starts_at.data = item.starts_at.astimezone(item.event.tz).replace(tzinfo=None) if item.starts_at else None
    form.duration.data = int(item.duration.total_seconds() // 60)
    form.tag_ids.data = [t.id for t in item.tags]
    form.version.data = str(item.version)


@bp.route("/events/<slug>/sessions/new", methods=["GET", "POST"])
@organizer_required
def session_new(event: Event):
    form = session_form(event)
    if not form.is_submitted():
        form.interpretation_languages.data = ", ".join(event.interpretation_languages or [])
        form.duration.data = 60
        form.channel_id.data = event.channels[0].id if event.channels else None
        form.starts_at.data = datetime.combine(event.starts_on, datetime.min.time()).replace(hour=9)
    if form.validate_on_submit():
        values, tags = _session_values(form, event)
        try:
            item = agenda.create_session(event, actor=actor(), now=utcnow(), tags=tags, **values)
        except agenda.InvalidSession as error:
            form.form_errors.append(error_text(error))
        else:
            db.session.commit()
            flash(_("Added “%(title)s”.", title=item.title), "success")
            return redirect(url_for("manage.session_edit", slug=event.slug, session_id=item.id))
    return render_template("manage/session_form.html", event=event, form=form, item=None, tz=event.tz,
                           notices=conflicts.dst_changes(event.starts_on, event.ends_on, event.tz))


@bp.route("/events/<slug>/sessions/<int:session_id>", methods=["GET", "POST"])
@organizer_required
def session_edit(event: Event, session_id: int):
    item = owned_or_404(AgendaSession, session_id, event)
    form = session_form(event, item)
    conflict = None
    if not form.is_submitted():
        fill_session_form(form, item)
    elif form.validate_on_submit():
        values, tags = _session_values(form, event, item)
        try:
            changed = agenda.update_session(item, actor=actor(), now=utcnow(), tags=tags,
                                            expected_version=_version(form), **values)
        except agenda.EditConflict as error:
            conflict = _conflict(event, error)
            item = conflict["item"]
            form.version.data = str(item.version)  # a second save, knowingly, overwrites with what is shown
        except agenda.InvalidSession as error:
            db.session.rollback()
            form.form_errors.append(error_text(error))
        else:
            db.session.commit()
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("manage.session_edit", slug=event.slug, session_id=item.id))
    return render_session(event, item, form, conflict=conflict)


def _version(form) -> int:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return -1


def _conflict(event: Event, error: agenda.EditConflict) -> dict:
    """After a refused save: roll back, and describe what the other organizer changed."""
    db.session.rollback()
    item = owned_or_404(AgendaSession, error.item_id, event)
    message = _("This session was changed by someone else while you were editing it. Nothing was saved.")
    return {"item": item, "message": message, "entries": agenda.changes_since(item, error.expected_version)}


def render_session(event: Event, item: AgendaSession, form: SessionForm, *, conflict=None, add_form=None):
    report = agenda_report(event, agenda.load_schedule(event))
    speakers_list = db.session.scalars(
        db.select(Speaker).filter_by(event_id=event.id).order_by(Speaker.name)).all()
    add_form = add_form or ParticipationForm()
    present = {p.speaker_id for p in item.participations}
    add_form.speaker_id.choices = [(s.id, f"{s.full_name}{', ' + s.title if s.title else ''}")
                                   for s in speakers_list if s.id not in present]
    edit_forms = {p.id: ParticipationEditForm(prefix=f"p{p.id}", data={
        "role": p.role.value, "time_limit": int(p.time_limit.total_seconds() // 60) if p.time_limit else None})
        for p in item.participations}
    return render_template(
        "manage/session_form.html", event=event, form=form, item=item, tz=event.tz, conflict=conflict,
        was_published=agenda.was_published(item),
        problems=report.for_session(item.id), add_form=add_form, edit_forms=edit_forms,
        version_form=VersionForm(data={"version": item.version}), confirm_form=ConfirmForm(),
        speaking_order=agenda.speaking_order(item), field_labels=FIELD_LABELS, notices=report.notices,
    ), (409 if conflict else 200)


@bp.route("/events/<slug>/sessions/<int:session_id>/move", methods=["GET", "POST"])
@organizer_required
def session_move(event: Event, session_id: int):
    item = owned_or_404(AgendaSession, session_id, event)
    form = MoveForm(event=event)
    conflict = None
    if not form.is_submitted():
        local = (item.starts_at or from_local(datetime.combine(event.starts_on, datetime.min.time()).replace(hour=9),
                                              event.tz)).astimezone(event.tz)
        form.day.data = local.date().isoformat()
        form.start_time.data = local.time().replace(tzinfo=None)
        form.channel_id.data = item.channel_id
        form.version.data = str(item.version)
    elif form.validate_on_submit():
        starts_at = from_local(datetime.combine(date.fromisoformat(form.day.data), form.start_time.data), event.tz)
        try:
            agenda.move_session(item, starts_at=starts_at, channel_id=form.channel_id.data, actor=actor(),
                                now=utcnow(), expected_version=_version(form))
        except agenda.EditConflict as error:
            conflict = _conflict(event, error)
            item = conflict["item"]
            form.version.data = str(item.version)
        else:
            db.session.commit()
            flash(_("Moved “%(title)s”.", title=item.title), "success")
            return redirect(url_for("manage.session_edit", slug=event.slug, session_id=item.id))
    return render_template("manage/session_move.html", event=event, item=item, form=form, conflict=conflict,
                           field_labels=FIELD_LABELS, tz=event.tz), (409 if conflict else 200)


def _status_action(event: Event, session_id: int, service, done: str):
    item = owned_or_404(AgendaSession, session_id, event)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service(item, actor=actor(), now=utcnow(), expected_version=_version(form))
    except agenda.EditConflict as error:
        conflict = _conflict(event, error)
        item = conflict["item"]
        form = session_form(event, item)
        fill_session_form(form, item)
        return render_session(event, item, form, conflict=conflict)
    db.session.commit()
    flash(done % {"title": item.title}, "success")
    return redirect(url_for("manage.session_edit", slug=event.slug, session_id=item.id))


@bp.route("/events/<slug>/sessions/<int:session_id>/cancel", methods=["POST"])
@organizer_required
def session_cancel(event: Event, session_id: int):
    return _status_action(event, session_id, agenda.cancel_session,
                          _l("Cancelled “%(title)s”. It stays on the agenda, marked as cancelled."))


@bp.route("/events/<slug>/sessions/<int:session_id>/reinstate", methods=["POST"])
@organizer_required
def session_reinstate(event: Event, session_id: int):
    return _status_action(event, session_id, agenda.reinstate_session, _l("Reinstated “%(title)s”."))


@bp.route("/events/<slug>/sessions/<int:session_id>/duplicate", methods=["POST"])
@organizer_required
def session_duplicate(event: Event, session_id: int):
    item = owned_or_404(AgendaSession, session_id, event)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    copy = agenda.duplicate_session(item, actor=actor(), now=utcnow())
    db.session.commit()
    flash(_("Duplicated “%(title)s”. Move the copy to its own slot.", title=item.title), "success")
    return redirect(url_for("manage.session_edit", slug=event.slug, session_id=copy.id))


@bp.route("/events/<slug>/sessions/<int:session_id>/delete", methods=["POST"])
@organizer_required
def session_delete(event: Event, session_id: int):
    """Only for a session no published version held; a published one is cancelled, so calendars learn of it."""
    item = owned_or_404(AgendaSession, session_id, event)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    title = item.title
    try:
        agenda.delete_session(item, actor=actor(), now=utcnow(), expected_version=_version(form))
    except agenda.SessionWasPublished:
        db.session.rollback()
        flash(_("“%(title)s” was published, so delegates and calendars may have it: cancel it instead, and it "
                "stays on the agenda, marked as cancelled.", title=title), "error")
        return redirect(url_for("manage.session_edit", slug=event.slug, session_id=session_id))
    except agenda.EditConflict as error:
        conflict = _conflict(event, error)
        form = session_form(event, conflict["item"])
        fill_session_form(form, conflict["item"])
        return render_session(event, conflict["item"], form, conflict=conflict)
    db.session.commit()
    flash(_("Deleted “%(title)s”. It was never published, so nobody outside the team saw it.", title=title), "success")
    return redirect(url_for("manage.sessions", slug=event.slug))
