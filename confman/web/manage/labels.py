"""Organizer pages: an event's themes, topics (tags) and channels, which share one shape."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from confman.extensions import db
from confman.forms.manage import ConfirmForm, LabelForm, ThemeForm
from confman.models import Event
from confman.services import events as event_service
from confman.timeutil import utcnow
from confman.web.helpers import organizer_required
from confman.web.manage import bp
from confman.web.manage.common import actor, owned_or_404
from confman.web.manage.languages import save_translations, translated_form

KINDS = {"themes": ("theme", _l("Themes"), "theme"), "tags": ("tag", _l("Topics"), "topic"),
         "channels": ("channel", _l("Channels"), "channel")}
# Whole phrases per kind rather than "the {noun}": French nouns have genders (le thème, la thématique).
WORDS = {
    "theme": {"add": _l("Add a theme"), "edit": _l("Edit the theme “%(name)s”"),
              "remove": _l("Remove the theme “%(name)s”"),
              "confirm": _l("Remove the theme “%(name)s”? Sessions keep their place but lose it."),
              "added": _l("Added the theme %(name)s."), "saved": _l("Saved the theme %(name)s."),
              "removed": _l("Removed the theme %(name)s. Its sessions stay on the agenda."),
              "taken": _l("This event already has a theme called “%(name)s”.")},
    "tag": {"add": _l("Add a topic"), "edit": _l("Edit the topic “%(name)s”"),
            "remove": _l("Remove the topic “%(name)s”"),
            "confirm": _l("Remove the topic “%(name)s”? Sessions keep their place but lose it."),
            "added": _l("Added the topic %(name)s."), "saved": _l("Saved the topic %(name)s."),
            "removed": _l("Removed the topic %(name)s. Its sessions stay on the agenda."),
            "taken": _l("This event already has a topic called “%(name)s”.")},
    "channel": {"add": _l("Add a channel"), "edit": _l("Edit the channel “%(name)s”"),
                "remove": _l("Remove the channel “%(name)s”"),
                "confirm": _l("Remove the channel “%(name)s”? Sessions keep their place but lose it."),
                "added": _l("Added the channel %(name)s."), "saved": _l("Saved the channel %(name)s."),
                "removed": _l("Removed the channel %(name)s. Its sessions stay on the agenda."),
                "taken": _l("This event already has a channel called “%(name)s”.")},
}


def _name_taken(kind: str, name: str | None) -> str:
    name = (name or "").strip()
    return WORDS[kind]["taken"] % {"name": name} if name else _("A name is needed.")
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
    kind, heading = KINDS[kinds][:2]
    form = _form(kind, event)
    if form.validate_on_submit():
        try:
            obj = event_service.save_label(event, kind, actor=actor(), now=utcnow(), **_values(kind, form))
            if kind == "theme":
                save_translations(form, obj, event, "theme")
        except event_service.NameTaken:
            db.session.rollback()
            form.name.errors.append(_name_taken(kind, form.name.data))
        else:
            db.session.commit()
            flash(WORDS[kind]["added"] % {"name": form.name.data}, "success")
            return redirect(url_for("manage.labels", slug=event.slug, kinds=kinds))
    return render_template("manage/labels.html", event=event, kinds=kinds, kind=kind, heading=heading,
                           words=WORDS[kind],
                           items=getattr(event, kinds), form=form, obj=None), (400 if form.errors else 200)


@bp.route(f"/events/<slug>/{_ROUTE_KINDS}/<int:label_id>", methods=["GET", "POST"])
@organizer_required
def label_edit(event: Event, kinds: str, label_id: int):
    kind, heading = KINDS[kinds][:2]
    obj = owned_or_404(event_service.TAXONOMY[kind], label_id, event)
    form = _form(kind, event, obj)
    if form.validate_on_submit():
        try:
            event_service.save_label(event, kind, obj, actor=actor(), now=utcnow(), **_values(kind, form))
            if kind == "theme":
                save_translations(form, obj, event, "theme")
        except event_service.NameTaken:
            db.session.rollback()
            form.name.errors.append(_name_taken(kind, form.name.data))
        else:
            db.session.commit()
            flash(WORDS[kind]["saved"] % {"name": obj.name}, "success")
            return redirect(url_for("manage.labels", slug=event.slug, kinds=kinds))
    return render_template("manage/labels.html", event=event, kinds=kinds, kind=kind, heading=heading,
                           words=WORDS[kind],
                           items=getattr(event, kinds), form=form, obj=obj,
                           confirm_form=ConfirmForm()), (400 if form.errors else 200)


@bp.route(f"/events/<slug>/{_ROUTE_KINDS}/<int:label_id>/delete", methods=["POST"])
@organizer_required
def label_delete(event: Event, kinds: str, label_id: int):
    kind = KINDS[kinds][0]
    obj = owned_or_404(event_service.TAXONOMY[kind], label_id, event)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = obj.name
    event_service.delete_label(obj, kind, actor=actor(), now=utcnow())
    db.session.commit()
    flash(WORDS[kind]["removed"] % {"name": name}, "success")
    return redirect(url_for("manage.labels", slug=event.slug, kinds=kinds))
