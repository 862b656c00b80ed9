"""Organizer pages: an event's themes, topics (tags) and channels, which share one shape."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from confman.extensions import db
from confman.forms.manage import ConfirmForm, LabelForm, ThemeForm
from confman.models import Event
from confman.services import events as event_service
from confman.timeutil import utcnow
from confman.web.helpers import organizer_required
from confman.web.manage import bp
from confman.web.manage.common import actor, owned_or_404
from confman.web.manage.languages import save_translations, translated_form

KINDS = {"themes": ("theme", "Themes", "theme"), "tags": ("tag", "Topics", "topic"),
         "channels": ("channel", "Channels", "channel")}
_ROUTE_KINDS = "<any(themes,tags,channels):kinds>"


def _form(kind: str, event: Event, obj=None):
    if kind == "theme":  # theme names are public in every language; topics and channels are organizers' words
        return translated_form(ThemeForm, event, "theme", obj=obj, source=obj)
    return LabelForm(obj=obj)


def _values(kind: str, form) -> dict:
    values = {"name": form.name.data}
    if kind == "theme":
        values.update(colour=form.colour.data.lower(), pattern=form.pattern.data)
    return values


@bp.route(f"/events/<slug>/{_ROUTE_KINDS}/", methods=["GET", "POST"])
@organizer_required
def labels(event: Event, kinds: str):
    kind, heading, noun = KINDS[kinds]
    form = _form(kind, event)
    if form.validate_on_submit():
        try:
            obj = event_service.save_label(event, kind, actor=actor(), now=utcnow(), **_values(kind, form))
            if kind == "theme":
                save_translations(form, obj, event, "theme")
        except event_service.NameTaken as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Added the {noun} {form.name.data}.", "success")
            return redirect(url_for("manage.labels", slug=event.slug, kinds=kinds))
    return render_template("manage/labels.html", event=event, kinds=kinds, kind=kind, heading=heading, noun=noun,
                           items=getattr(event, kinds), form=form, obj=None), (400 if form.errors else 200)


@bp.route(f"/events/<slug>/{_ROUTE_KINDS}/<int:label_id>", methods=["GET", "POST"])
@organizer_required
def label_edit(event: Event, kinds: str, label_id: int):
    kind, heading, noun = KINDS[kinds]
    obj = owned_or_404(event_service.TAXONOMY[kind], label_id, event)
    form = _form(kind, event, obj)
    if form.validate_on_submit():
        try:
            event_service.save_label(event, kind, obj, actor=actor(), now=utcnow(), **_values(kind, form))
            if kind == "theme":
                save_translations(form, obj, event, "theme")
        except event_service.NameTaken as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Saved the {noun} {obj.name}.", "success")
            return redirect(url_for("manage.labels", slug=event.slug, kinds=kinds))
    return render_template("manage/labels.html", event=event, kinds=kinds, kind=kind, heading=heading, noun=noun,
                           items=getattr(event, kinds), form=form, obj=obj,
                           confirm_form=ConfirmForm()), (400 if form.errors else 200)


@bp.route(f"/events/<slug>/{_ROUTE_KINDS}/<int:label_id>/delete", methods=["POST"])
@organizer_required
def label_delete(event: Event, kinds: str, label_id: int):
    kind, _, noun = KINDS[kinds]
    obj = owned_or_404(event_service.TAXONOMY[kind], label_id, event)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = obj.name
    event_service.delete_label(obj, kind, actor=actor(), now=utcnow())
    db.session.commit()
    flash(f"Removed the {noun} {name}. Its sessions stay on the agenda.", "success")
    return redirect(url_for("manage.labels", slug=event.slug, kinds=kinds))
