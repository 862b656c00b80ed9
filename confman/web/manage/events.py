"""Organizer pages: creating, editing and cloning an event."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from confman.extensions import db
from confman.forms.manage import CloneForm, EventForm
from confman.models import Event, EventFormat, EventStatus, Role
from confman.services import events as event_service
from confman.timeutil import common_zones, from_local, utcnow, zone_or_none
from confman.web.helpers import organizer_required
from confman.web.manage import bp
from confman.web.manage.common import actor, form_errors_from
from confman.web.manage.languages import save_translations, translated_form
from confman.web.wording import error_text


def may_create_events(user) -> bool:
    """Admins, and organizers of any event (they start their next one from /manage/)."""
    return user.is_admin or any(r.role == Role.ORGANIZER for r in user.roles)


def _parents(exclude: Event | None = None) -> list[Event]:
    query = select(Event).order_by(Event.starts_on.desc())
    if exclude is not None:
        query = query.where(Event.id != exclude.id)
    return [e for e in db.session.scalars(query) if current_user.is_admin or e.is_public
            or any(r.event_id == e.id for r in current_user.roles) or (exclude and e.id == exclude.parent_id)]


def _event_values(form: EventForm) -> dict:
    tz = zone_or_none(form.timezone.data)

    def local(value):
        return from_local(value, tz) if value is not None and tz is not None else None

    return dict(
        title=form.title.data, short_title=form.short_title.data or "", slug=form.slug.data,
        starts_on=form.starts_on.data, ends_on=form.ends_on.data, timezone=form.timezone.data,
        format=EventFormat(form.format.data), venue=form.venue.data or "", joining_link=form.joining_link.data or "",
        description=form.description.data or "", status=EventStatus(form.status.data), parent_id=form.parent_id.data,
        registration_opens_at=local(form.registration_opens_at.data),
        registration_closes_at=local(form.registration_closes_at.data),
        capacity=form.capacity.data, needs_approval=form.needs_approval.data,
        registration_notice=form.registration_notice.data or "",
    )


def _fill(form: EventForm, event: Event) -> None:
    for name in ("title", "short_title", "slug", "starts_on", "ends_on", "timezone", "venue", "joining_link",
                 "description", "capacity", "needs_approval", "registration_notice"):
        getattr(form, name).data = getattr(event, name)
    form.format.data = event.format.value
    form.status.data = event.status.value
    form.parent_id.data = event.parent_id
    for name in ("registration_opens_at", "registration_closes_at"):
        value = getattr(event, name)
        getattr(form, name).data = value.astimezone(event.tz).replace(tzinfo=None) if value else None
    form.version.data = str(event.version)


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def event_new():
    if not may_create_events(current_user):
        abort(403)
    form = EventForm(parents=_parents())
    if not form.is_submitted():
        form.timezone.data = "Europe/Amsterdam"
        form.needs_approval.data = True
        form.status.data = EventStatus.DRAFT.value
    if form.validate_on_submit():
        try:
            event = event_service.create_event(actor=actor(), now=utcnow(), **_event_values(form))
        except event_service.InvalidEvent as error:
            form_errors_from(error, form)
        else:
            db.session.commit()
            flash(_("Created %(title)s.", title=event.title), "success")
            return redirect(url_for("manage.event", slug=event.slug))
    return render_template("manage/event_form.html", form=form, event=None, zones=common_zones())


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@organizer_required
def event_edit(event: Event):
    form = translated_form(EventForm, event, "event", parents=_parents(exclude=event), source=event)
    if not form.is_submitted():
        _fill(form, event)
    elif form.validate_on_submit():
        try:
            changed = event_service.update_event(
                event, actor=actor(), now=utcnow(), expected_version=int(form.version.data or 0),
                **_event_values(form))
            changed = save_translations(form, event, event, "event") or changed
        except event_service.EventChanged as error:
            db.session.rollback()
            form.form_errors.append(error_text(error))
            _fill(form, db.session.get(Event, event.id))
        except event_service.InvalidEvent as error:
            db.session.rollback()
            form_errors_from(error, form)
        else:
            db.session.commit()
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("manage.event", slug=event.slug))
    return render_template("manage/event_form.html", form=form, event=event, zones=common_zones())


@bp.route("/events/<slug>/clone", methods=["GET", "POST"])
@organizer_required
def event_clone(event: Event):
    form = CloneForm()
    if not form.is_submitted():
        form.title.data = event.title
        form.starts_on.data = event.starts_on.replace(year=event.starts_on.year + 1)
        form.slug.data = f"{event.slug}-next"
    if form.validate_on_submit():
        try:
            clone = event_service.clone_event(event, slug=form.slug.data, title=form.title.data,
                                              starts_on=form.starts_on.data, actor=actor(), now=utcnow())
        except event_service.InvalidEvent as error:
            db.session.rollback()
            form_errors_from(error, form, "slug")
        else:
            db.session.commit()
            flash(_("Created the draft %(title)s from %(source)s, with its co-hosts, themes, channels and sessions "
                    "(not the cancelled ones). Add its speakers.", title=clone.title, source=event.title), "success")
            return redirect(url_for("manage.event", slug=clone.slug))
    return render_template("manage/event_clone.html", form=form, event=event)
